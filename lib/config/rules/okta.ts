import { ConfigProblem, shown } from "../errors";
import { StackConfig } from "../schema";

/**
 * The Okta side of a stack (`okta`, `app`, `authorizationServer`): the org URL the Okta provider talks to, who is
 * assigned the Qlik app, the groups-claim filter and the custom authorization server's scopes. These are the mistakes
 * Okta would otherwise report only at apply time, or not at all (an app nobody is assigned to applies cleanly, yet
 * nobody can sign in), so they are caught when the config is read, with a message that names the fix.
 */

/** Okta org URL: https, bare origin (the provider builds API URLs from it and refuses admin URLs). */
export function checkOrgUrl(value: string, path: string): ConfigProblem[] {
  const example = "https://acme.okta.com";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [{ path, message: `${shown(value)} is not a URL; expected the Okta org URL, e.g. ${example}` }];
  }
  if (url.username || url.password) {
    // Checked first, and the value never shown: it contains a credential.
    return [{ path, message: `must not contain credentials (value not shown); set OKTA_API_TOKEN in the environment instead` }];
  }
  if (url.protocol !== "https:") {
    return [{ path, message: `${shown(value)} must use https, e.g. ${example}` }];
  }
  const problems: ConfigProblem[] = [];
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    problems.push({
      path,
      message: `${shown(value)} must be the org URL without a path, e.g. https://${url.host}`,
    });
  }
  if (/-admin\.(okta|oktapreview|okta-emea)\.com$/i.test(url.hostname)) {
    problems.push({
      path,
      message: `${shown(value)} is the admin console URL; use the org URL https://${url.hostname.replace(/-admin\./i, ".")}`,
    });
  }
  return problems;
}

export function checkGroupsClaimRegex(value: string, path: string): ConfigProblem[] {
  if (value.length === 0) {
    return [{ path, message: `must not be empty; use ".*" to send every group the user belongs to` }];
  }
  try {
    new RegExp(value);
    return [];
  } catch (e) {
    const reason = (e as Error).message.replace(/^Invalid regular expression: /, "");
    return [{ path, message: `${shown(value)} is not a valid regular expression (${reason}); e.g. ".*" or "^qlik-.*"` }];
  }
}

export function checkAssignment(app: StackConfig["app"], path: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!app.assignToEveryone && app.groups.length === 0) {
    problems.push({
      path,
      message:
        `nobody is assigned the Okta app (assignToEveryone is false and groups is empty), so nobody could sign in ` +
        `to Qlik; set assignToEveryone: true or list Okta group names under groups`,
    });
  }
  app.groups.forEach((g, i) => {
    if (g.trim() === "") problems.push({ path: `${path}.groups[${i}]`, message: `group name must not be empty` });
  });
  const seen = new Set<string>();
  app.groups.forEach((g, i) => {
    if (seen.has(g)) problems.push({ path: `${path}.groups[${i}]`, message: `group ${shown(g)} is listed twice` });
    seen.add(g);
  });
  if (app.label.trim() === "") problems.push({ path: `${path}.label`, message: `must not be empty, e.g. "Qlik Cloud"` });
  return problems;
}

const SCOPE_NAME = /^[A-Za-z0-9:._/-]+$/;

export function checkAuthorizationServer(as: StackConfig["authorizationServer"], path: string): ConfigProblem[] {
  if (!as.enabled) return [];
  const problems: ConfigProblem[] = [];
  if (as.scopes.length === 0) {
    problems.push({
      path: `${path}.scopes`,
      message: `the authorization server needs at least one scope, e.g. [{ name: qlik.api }]; or set enabled: false if your org has no API Access Management`,
    });
  }
  const seen = new Set<string>();
  as.scopes.forEach((s, i) => {
    if (!SCOPE_NAME.test(s.name)) {
      problems.push({
        path: `${path}.scopes[${i}].name`,
        message: `${shown(s.name)} is not a valid scope name; use letters, digits and . : _ / - without spaces, e.g. qlik.api`,
      });
    }
    if (seen.has(s.name)) {
      problems.push({ path: `${path}.scopes[${i}].name`, message: `duplicate scope name ${shown(s.name)}; scope names must be unique` });
    }
    seen.add(s.name);
  });
  if (as.name.trim() === "") problems.push({ path: `${path}.name`, message: `must not be empty, e.g. QlikAPI` });
  if (as.audience.trim() === "") problems.push({ path: `${path}.audience`, message: `must not be empty, e.g. qlik.api` });
  return problems;
}

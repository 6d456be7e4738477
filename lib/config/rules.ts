import { ConfigProblem, shown } from "./errors";
import { QLIK_CLAIM_KEYS, StackConfig } from "./schema";

/**
 * Semantic rules, one pure function each: (value, path) → problems. They run after the structure is known to be
 * right, so they can trust types. Messages name the bad value and what would be valid.
 */

export const STACK_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

export function checkStackName(name: string, path: string): ConfigProblem[] {
  if (STACK_NAME_PATTERN.test(name)) return [];
  return [
    {
      path,
      message:
        `stack name ${shown(name)} is not valid: use 1-63 letters, digits, "-" or "_", starting with a letter ` +
        `(it becomes the directory cdktf.out/stacks/<name> and part of Terraform state names)`,
    },
  ];
}

/** Okta org URL: https, bare origin (the provider builds API URLs from it and refuses admin URLs). */
export function checkOrgUrl(value: string, path: string): ConfigProblem[] {
  const example = "https://acme.okta.com";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [{ path, message: `${shown(value)} is not a URL; expected the Okta org URL, e.g. ${example}` }];
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
  if (url.username || url.password) {
    problems.push({ path, message: `must not contain credentials; set OKTA_API_TOKEN in the environment instead` });
  }
  if (/-admin\.(okta|oktapreview|okta-emea)\.com$/i.test(url.hostname)) {
    problems.push({
      path,
      message: `${shown(value)} is the admin console URL; use the org URL https://${url.hostname.replace(/-admin\./i, ".")}`,
    });
  }
  return problems;
}

const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The Qlik tenant hostname becomes the Okta sign-in callback `https://<host>/login/callback`, so it must be a bare,
 * lowercase hostname. Whether it is the tenant's real hostname (not an alias) needs the Qlik API: `qlik-okta doctor`
 * and the identity-provider step check that.
 */
export function checkTenantHostname(value: string, path: string): { problems: ConfigProblem[]; warnings: ConfigProblem[] } {
  const example = "acme.eu.qlikcloud.com";
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  if (/\s/.test(value)) {
    problems.push({ path, message: `${shown(value)} contains whitespace; write the bare hostname, e.g. ${example}` });
    return { problems, warnings };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  if (scheme) {
    const rest = value.slice(scheme[0].length).split(/[/?#]/)[0].toLowerCase();
    problems.push({ path, message: `${shown(value)} must not include a scheme; write just the hostname: ${rest}` });
    return { problems, warnings };
  }
  if (/[/?#]/.test(value)) {
    const host = value.split(/[/?#]/)[0];
    problems.push({
      path,
      message: `${shown(value)} must not include a path; write just the hostname: ${host} (the callback path /login/callback is added for you)`,
    });
    return { problems, warnings };
  }
  if (/:\d*$/.test(value)) {
    problems.push({ path, message: `${shown(value)} must not include a port; Qlik Cloud tenants are served on 443` });
    return { problems, warnings };
  }
  if (value !== value.toLowerCase()) {
    problems.push({ path, message: `${shown(value)} must be lowercase: ${value.toLowerCase()}` });
    return { problems, warnings };
  }
  const labels = value.split(".");
  if (labels.length < 2 || !labels.every((l) => HOST_LABEL.test(l)) || value.length > 253) {
    problems.push({ path, message: `${shown(value)} is not a hostname; expected e.g. ${example}` });
    return { problems, warnings };
  }
  if (!value.endsWith(".qlikcloud.com")) {
    warnings.push({
      path,
      message: `${shown(value)} is not under qlikcloud.com; fine for Qlik Cloud Government or other Qlik domains, otherwise check for a typo`,
    });
  }
  return { problems, warnings };
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

/** Qlik allows at most 128 characters of description, and we append the managed-by marker. */
export const DESCRIPTION_LIMIT = 128;

export function checkIdentityProvider(
  idp: StackConfig["identityProvider"],
  path: string,
  markerLength: number,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const room = DESCRIPTION_LIMIT - markerLength;
  if (idp.description.length > room) {
    problems.push({
      path: `${path}.description`,
      message: `is ${idp.description.length} characters; at most ${room} fit, because Qlik allows ${DESCRIPTION_LIMIT} and the managed-by marker takes ${markerLength}`,
    });
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9.\-_]+$/.test(idp.realm) || idp.realm.length > 254) {
    problems.push({
      path: `${path}.realm`,
      message: `${shown(idp.realm)} is not a valid realm; use 2-254 letters, digits, ".", "-" or "_", starting with a letter or digit, e.g. okta`,
    });
  }
  if (!Number.isInteger(idp.clockToleranceSec) || idp.clockToleranceSec < 0 || idp.clockToleranceSec > 7200) {
    problems.push({
      path: `${path}.clockToleranceSec`,
      message: `${shown(idp.clockToleranceSec)} is out of range; use a whole number of seconds from 0 to 7200`,
    });
  }
  const scopes = idp.scope.split(" ").filter(Boolean);
  if (!scopes.includes("openid")) {
    problems.push({ path: `${path}.scope`, message: `${shown(idp.scope)} must include openid, e.g. "openid profile email groups"` });
  }
  if (idp.scope.length > 254) problems.push({ path: `${path}.scope`, message: `is longer than 254 characters` });
  const mapping = idp.claimsMapping;
  for (const key of Object.keys(mapping)) {
    if (!(QLIK_CLAIM_KEYS as readonly string[]).includes(key)) {
      problems.push({
        path: `${path}.claimsMapping.${key}`,
        message: `${shown(key)} is not a Qlik claim; valid claims: ${QLIK_CLAIM_KEYS.join(", ")}`,
      });
    } else if (mapping[key].length === 0 || mapping[key].some((v) => v.trim() === "")) {
      problems.push({
        path: `${path}.claimsMapping.${key}`,
        message: `needs one or more Okta claim names, e.g. [${key}]`,
      });
    }
  }
  if (!mapping.sub) {
    problems.push({
      path: `${path}.claimsMapping.sub`,
      message: `is required: it is the user's identity in Qlik (use [sub], Okta's stable user id)`,
    });
  }
  if (idp.postLogoutRedirectUri !== undefined) {
    try {
      const u = new URL(idp.postLogoutRedirectUri);
      if (u.protocol !== "https:") throw new Error("not https");
    } catch {
      problems.push({
        path: `${path}.postLogoutRedirectUri`,
        message: `${shown(idp.postLogoutRedirectUri)} must be an absolute https URL, e.g. https://acme.eu.qlikcloud.com/`,
      });
    }
  }
  if (idp.activate && idp.verification === "interactive") {
    // Not an error: activation simply waits until the admin has validated the pending configuration.
  }
  return problems;
}

const SECRET_KEY = /(secret|token|password|passwd|apikey|api_key|privatekey|private_key|credential)/i;
// Okta API tokens are 42 characters starting with "00"; Qlik API keys are JWTs.
const SECRET_VALUE = /^(00[A-Za-z0-9_-]{40}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*|SSWS\s.+)$/;

const SECRET_ENV_HINT: Record<string, string> = {
  okta: "set OKTA_API_TOKEN in the environment",
  qlik: "set QLIK_API_KEY (or QLIK_CLIENT_ID and QLIK_CLIENT_SECRET) in the environment",
  identityProvider: "the Okta client secret is passed from the Okta app to Qlik for you",
};

/** Secrets are refused wherever they appear: a config file gets committed, shared and printed. */
export function findSecrets(raw: unknown, path: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const walk = (value: unknown, at: string, section: string) => {
    if (typeof value === "string") {
      if (SECRET_VALUE.test(value.trim())) {
        problems.push({ path: at, message: `looks like a secret (value not shown); secrets never go in the config file: ${hint(section)}` });
      }
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${at}[${i}]`, section));
      return;
    }
    if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const child = at ? `${at}.${k}` : k;
        if (SECRET_KEY.test(k)) {
          problems.push({ path: child, message: `secrets are not accepted in the config file (value not shown): ${hint(section || k)}` });
          continue;
        }
        walk(v, child, section || k);
      }
    }
  };
  const hint = (section: string) => SECRET_ENV_HINT[section] ?? "pass secrets through the environment";
  if (raw && typeof raw === "object") {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) walk(v, path ? `${path}.${k}` : k, k);
  }
  return problems;
}

import { ConfigProblem, shown } from "../errors";
import { QLIK_CLAIM_KEYS, StackConfig } from "../schema";

/**
 * The Qlik side of a stack (`qlik`, `identityProvider`): the tenant hostname, which becomes the Okta sign-in callback,
 * and the settings of the Qlik identity provider (description length, realm, clock tolerance, scopes, claims
 * mapping, logout URL). They mirror the limits of the Qlik identity-providers API, so a bad value is refused with a
 * clear message when the config is read rather than by Qlik in the middle of an apply.
 */

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

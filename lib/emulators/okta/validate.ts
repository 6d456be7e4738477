import type { ValidationCause } from "./errors";

/** A JSON object as parsed from a request body. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `get(o, "a.b.c")`, undefined as soon as a step is missing or not an object. */
export function get(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split(".")) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function isAbsoluteUri(value: string): boolean {
  // Okta rejects relative redirect URIs; any scheme (custom schemes for native apps included) is fine.
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

class Causes {
  readonly list: ValidationCause[] = [];
  add(field: string, message: string): void {
    this.list.push({ field, message });
  }
  required(field: string, value: unknown): boolean {
    if (!isNonEmptyString(value)) {
      this.add(field, "The field cannot be left blank");
      return false;
    }
    return true;
  }
  oneOf(field: string, value: unknown, allowed: readonly string[], optional = true): void {
    if (value === undefined || value === null) {
      if (!optional) this.add(field, "The field cannot be left blank");
      return;
    }
    if (typeof value !== "string" || !allowed.includes(value)) {
      this.add(field, `'${String(value)}' is not one of ${allowed.join(", ")}`);
    }
  }
  optionalBoolean(field: string, value: unknown): void {
    if (value !== undefined && value !== null && typeof value !== "boolean") this.add(field, "must be a boolean");
  }
  optionalString(field: string, value: unknown): void {
    if (value !== undefined && value !== null && typeof value !== "string") this.add(field, "must be a string");
  }
}

/** OpenAPI `OAuthGrantType` (the values the provider sends; it maps its short names to these URNs). */
export const OAUTH_GRANT_TYPES: readonly string[] = [
  "authorization_code",
  "implicit",
  "password",
  "refresh_token",
  "client_credentials",
  "interaction_code",
  "urn:ietf:params:oauth:grant-type:saml2-bearer",
  "urn:ietf:params:oauth:grant-type:token-exchange",
  "urn:ietf:params:oauth:grant-type:jwt-bearer",
  "urn:ietf:params:oauth:grant-type:device_code",
  "urn:okta:params:oauth:grant-type:oob",
  "urn:okta:params:oauth:grant-type:otp",
  "http://auth0.com/oauth/grant-type/mfa-oob",
  "http://auth0.com/oauth/grant-type/mfa-otp",
  "urn:openid:params:grant-type:ciba",
];
export const OAUTH_RESPONSE_TYPES: readonly string[] = ["code", "token", "id_token"];
export const APPLICATION_TYPES: readonly string[] = ["web", "native", "browser", "service"];
export const TOKEN_ENDPOINT_AUTH_METHODS: readonly string[] = [
  "client_secret_basic",
  "client_secret_post",
  "client_secret_jwt",
  "private_key_jwt",
  "none",
];
export const ISSUER_MODES: readonly string[] = ["ORG_URL", "CUSTOM_URL", "DYNAMIC"];
export const GROUP_FILTER_TYPES: readonly string[] = ["STARTS_WITH", "EQUALS", "CONTAINS", "REGEX"];
const STATUSES: readonly string[] = ["ACTIVE", "INACTIVE"];

/** Grant types that send the user's browser back to a redirect URI. */
const REDIRECT_GRANTS: readonly string[] = ["authorization_code", "implicit", "interaction_code"];

/**
 * An OIDC app body for `POST /api/v1/apps` and `PUT /api/v1/apps/{id}`, in the shape the okta provider's
 * okta_app_oauth resource sends (an OpenIdConnectApplication: label, name "oidc_client", credentials, settings).
 * Only `oidc_client` apps are modelled; anything else is rejected so that a test notices.
 */
export function validateOidcApp(body: JsonObject): ValidationCause[] {
  const c = new Causes();
  c.required("label", body.label);
  if (body.name !== "oidc_client") c.add("name", `'${String(body.name)}' is not supported by the emulator; only 'oidc_client' apps are`);
  if (body.signOnMode !== "OPENID_CONNECT") c.add("signOnMode", `'${String(body.signOnMode)}' must be OPENID_CONNECT for an oidc_client app`);
  for (const key of ["credentials", "settings", "visibility", "accessibility"] as const) {
    if (body[key] !== undefined && !isObject(body[key])) c.add(key, "must be an object");
  }
  const credClient = get(body, "credentials.oauthClient");
  if (credClient !== undefined && !isObject(credClient)) c.add("credentials.oauthClient", "must be an object");
  c.oneOf("credentials.oauthClient.token_endpoint_auth_method", get(credClient, "token_endpoint_auth_method"), TOKEN_ENDPOINT_AUTH_METHODS);
  c.optionalBoolean("credentials.oauthClient.autoKeyRotation", get(credClient, "autoKeyRotation"));
  c.optionalBoolean("credentials.oauthClient.pkce_required", get(credClient, "pkce_required"));
  c.optionalString("credentials.oauthClient.client_id", get(credClient, "client_id"));
  c.optionalString("credentials.oauthClient.client_secret", get(credClient, "client_secret"));

  const oauth = get(body, "settings.oauthClient");
  if (!isObject(oauth)) {
    c.add("settings.oauthClient", "The field cannot be left blank");
    return c.list;
  }
  c.oneOf("settings.oauthClient.application_type", oauth.application_type, APPLICATION_TYPES, false);
  c.oneOf("settings.oauthClient.issuer_mode", oauth.issuer_mode, ISSUER_MODES);
  c.oneOf("settings.oauthClient.consent_method", oauth.consent_method, ["REQUIRED", "TRUSTED"]);
  c.oneOf("settings.oauthClient.wildcard_redirect", oauth.wildcard_redirect, ["DISABLED", "SUBDOMAIN"]);

  const grants = oauth.grant_types ?? ["authorization_code"];
  if (!isStringArray(grants) || grants.length === 0) {
    c.add("settings.oauthClient.grant_types", "must be a non-empty array of grant types");
  } else {
    for (const g of grants) {
      if (!OAUTH_GRANT_TYPES.includes(g)) c.add("settings.oauthClient.grant_types", `'${g}' is not a valid grant type`);
    }
  }
  const responses = oauth.response_types ?? ["code"];
  if (!isStringArray(responses)) {
    c.add("settings.oauthClient.response_types", "must be an array of response types");
  } else {
    for (const r of responses) {
      if (!OAUTH_RESPONSE_TYPES.includes(r)) c.add("settings.oauthClient.response_types", `'${r}' is not a valid response type`);
    }
  }
  for (const field of ["redirect_uris", "post_logout_redirect_uris"] as const) {
    const uris = oauth[field];
    if (uris === undefined || uris === null) continue;
    if (!isStringArray(uris)) {
      c.add(`settings.oauthClient.${field}`, "must be an array of URIs");
      continue;
    }
    for (const uri of uris) {
      if (!isAbsoluteUri(uri)) c.add(`settings.oauthClient.${field}`, `'${uri}' is not an absolute URI`);
    }
  }
  for (const field of ["client_uri", "logo_uri", "tos_uri", "policy_uri", "initiate_login_uri", "jwks_uri"] as const) {
    const uri = oauth[field];
    if (uri === undefined || uri === null || uri === "") continue;
    if (typeof uri !== "string" || !isAbsoluteUri(uri)) c.add(`settings.oauthClient.${field}`, `'${String(uri)}' is not an absolute URI`);
  }
  if (isStringArray(grants) && isStringArray(responses)) {
    const appType = oauth.application_type;
    const redirects = isStringArray(oauth.redirect_uris) ? oauth.redirect_uris : [];
    if (appType !== "service" && grants.some((g) => REDIRECT_GRANTS.includes(g)) && redirects.length === 0) {
      c.add("settings.oauthClient.redirect_uris", `A redirect URI is required for the ${grants.filter((g) => REDIRECT_GRANTS.includes(g)).join(", ")} grant type`);
    }
    if (appType === "web" && !grants.includes("authorization_code")) {
      c.add("settings.oauthClient.grant_types", "A web application must use the authorization_code grant type");
    }
    if (appType === "service" && !grants.includes("client_credentials")) {
      c.add("settings.oauthClient.grant_types", "A service application must use the client_credentials grant type");
    }
    if (grants.includes("authorization_code") && responses.length > 0 && !responses.includes("code")) {
      c.add("settings.oauthClient.response_types", "'code' is required for the authorization_code grant type");
    }
    if (grants.includes("implicit") && !responses.some((r) => r === "token" || r === "id_token")) {
      c.add("settings.oauthClient.response_types", "'token' or 'id_token' is required for the implicit grant type");
    }
  }
  return c.list;
}

/**
 * A SAML 2.0 or bookmark app body (`signOnMode` SAML_2_0 / BOOKMARK) — only the seeding helpers send these, to have
 * non-OIDC apps around for the adopt command's refusals. Checked: label, and the one URL each kind needs
 * (`settings.signOn.ssoAcsUrl`, `settings.app.url`).
 */
export function validateOtherApp(body: JsonObject): ValidationCause[] {
  const c = new Causes();
  c.required("label", body.label);
  const url = body.signOnMode === "SAML_2_0" ? get(body, "settings.signOn.ssoAcsUrl") : get(body, "settings.app.url");
  const field = body.signOnMode === "SAML_2_0" ? "settings.signOn.ssoAcsUrl" : "settings.app.url";
  if (typeof url !== "string" || !isAbsoluteUri(url)) c.add(field, `'${String(url)}' is not an absolute URI`);
  return c.list;
}

/**
 * Body of the internal `POST /api/v1/internal/apps/{id}/settings/oauth/idToken`.
 * A body without name and value clears the claim (what the provider sends for an empty groups_claim set).
 */
export function validateGroupsClaim(body: JsonObject): ValidationCause[] {
  const c = new Causes();
  c.oneOf("issuerMode", body.issuerMode, ISSUER_MODES);
  if (isClearingGroupsClaim(body)) return c.list;
  c.required("name", body.name);
  c.required("value", body.value);
  c.oneOf("valueType", body.valueType, ["GROUPS", "EXPRESSION"], false);
  if (body.valueType === "GROUPS") c.oneOf("groupFilterType", body.groupFilterType, GROUP_FILTER_TYPES, false);
  return c.list;
}

export function isClearingGroupsClaim(body: JsonObject): boolean {
  return !body.name && !body.value && !body.valueType;
}

/** `PUT /api/v1/apps/{appId}/groups/{groupId}` body: `{}` or `{priority, profile}` (plural resource also sends `id`). */
export function validateAssignment(body: JsonObject, groupId: string): ValidationCause[] {
  const c = new Causes();
  if (body.id !== undefined && body.id !== groupId) c.add("id", `'${String(body.id)}' does not match the group id in the path`);
  if (body.priority !== undefined && body.priority !== null && (!Number.isInteger(body.priority) || (body.priority as number) < 0)) {
    c.add("priority", "must be an integer >= 0");
  }
  if (body.profile !== undefined && body.profile !== null && !isObject(body.profile)) c.add("profile", "must be an object");
  return c.list;
}

/** `POST|PUT /api/v1/authorizationServers[/{id}]`. */
export function validateAuthServer(body: JsonObject): ValidationCause[] {
  const c = new Causes();
  c.required("name", body.name);
  const audiences = body.audiences;
  if (!isStringArray(audiences) || audiences.length === 0 || audiences.some((a) => a.trim() === "")) {
    c.add("audiences", "The field cannot be left blank");
  }
  c.optionalString("description", body.description);
  c.oneOf("issuerMode", body.issuerMode, ISSUER_MODES);
  c.oneOf("status", body.status, STATUSES);
  c.oneOf("credentials.signing.rotationMode", get(body, "credentials.signing.rotationMode"), ["AUTO", "MANUAL"]);
  return c.list;
}

/** `POST|PUT …/scopes[/{id}]`; `otherNames` are the names of the server's other scopes. */
export function validateScope(body: JsonObject, otherNames: readonly string[]): ValidationCause[] {
  const c = new Causes();
  if (c.required("name", body.name)) {
    if (/\s/.test(body.name as string)) c.add("name", "must not contain whitespace");
    else if (otherNames.includes(body.name as string)) c.add("name", `A scope with the name '${String(body.name)}' already exists`);
  }
  c.oneOf("consent", body.consent, ["REQUIRED", "IMPLICIT", "ADMIN", "FLEXIBLE"]);
  c.oneOf("metadataPublish", body.metadataPublish, ["ALL_CLIENTS", "NO_CLIENTS"]);
  c.optionalBoolean("default", body.default);
  c.optionalBoolean("optional", body.optional);
  c.optionalString("description", body.description);
  c.optionalString("displayName", body.displayName);
  return c.list;
}

/** `POST|PUT …/policies[/{id}]`; `knownClients` are the client ids and app ids a policy may name. */
export function validatePolicy(body: JsonObject, knownClients: readonly string[]): ValidationCause[] {
  const c = new Causes();
  c.required("name", body.name);
  c.required("description", body.description);
  c.oneOf("type", body.type, ["OAUTH_AUTHORIZATION_POLICY"]);
  c.oneOf("status", body.status, STATUSES);
  checkPriority(c, body.priority);
  const include = get(body, "conditions.clients.include");
  if (!isStringArray(include) || include.length === 0) {
    c.add("conditions.clients.include", "The field cannot be left blank");
  } else {
    for (const client of include) {
      if (client !== "ALL_CLIENTS" && !knownClients.includes(client)) c.add("conditions.clients.include", `'${client}' is not a known client`);
    }
  }
  return c.list;
}

function checkPriority(c: Causes, priority: unknown): void {
  if (priority === undefined || priority === null) return;
  if (!Number.isInteger(priority) || (priority as number) < 1) c.add("priority", "must be an integer >= 1");
}

/** `POST|PUT …/rules[/{id}]`; `knownGroups` are group ids a rule may name besides EVERYONE, `knownUsers` user ids. */
export function validateRule(body: JsonObject, knownGroups: readonly string[], knownUsers: readonly string[]): ValidationCause[] {
  const c = new Causes();
  c.required("name", body.name);
  c.oneOf("type", body.type, ["RESOURCE_ACCESS"]);
  c.oneOf("status", body.status, STATUSES);
  checkPriority(c, body.priority);
  const grants = get(body, "conditions.grantTypes.include");
  if (!isStringArray(grants) || grants.length === 0) {
    c.add("conditions.grantTypes.include", "The field cannot be left blank");
  } else {
    for (const g of grants) {
      if (!OAUTH_GRANT_TYPES.includes(g)) c.add("conditions.grantTypes.include", `'${g}' is not a valid grant type`);
    }
  }
  const scopes = get(body, "conditions.scopes.include");
  if (scopes !== undefined && scopes !== null && !isStringArray(scopes)) c.add("conditions.scopes.include", "must be an array of scope names");
  const people = get(body, "conditions.people");
  const groups = get(people, "groups.include");
  const users = get(people, "users.include");
  const groupList = isStringArray(groups) ? groups : [];
  const userList = isStringArray(users) ? users : [];
  if (!isObject(people) || groupList.length + userList.length === 0) {
    c.add("conditions.people", "A rule must include at least one group (or EVERYONE) or user");
  }
  for (const g of groupList) {
    if (g !== "EVERYONE" && !knownGroups.includes(g)) c.add("conditions.people.groups.include", `'${g}' is not a known group`);
  }
  for (const u of userList) {
    if (!knownUsers.includes(u)) c.add("conditions.people.users.include", `'${u}' is not a known user`);
  }
  const token = get(body, "actions.token");
  if (token !== undefined && !isObject(token)) c.add("actions.token", "must be an object");
  const access = get(token, "accessTokenLifetimeMinutes");
  if (access !== undefined && (!Number.isInteger(access) || (access as number) < 5 || (access as number) > 1440)) {
    c.add("actions.token.accessTokenLifetimeMinutes", "must be between 5 and 1440");
  }
  const window = get(token, "refreshTokenWindowMinutes");
  if (window !== undefined && (!Number.isInteger(window) || (window as number) < 5 || (window as number) > 2628000)) {
    c.add("actions.token.refreshTokenWindowMinutes", "must be between 5 and 2628000");
  }
  const lifetime = get(token, "refreshTokenLifetimeMinutes");
  if (lifetime !== undefined && (!Number.isInteger(lifetime) || (lifetime as number) < 0)) {
    c.add("actions.token.refreshTokenLifetimeMinutes", "must be an integer >= 0 (0 = unlimited)");
  }
  return c.list;
}

/** `POST|PUT …/claims[/{id}]`; `otherKeys` are `"<claimType>/<name>"` of the server's other claims. */
export function validateClaim(body: JsonObject, otherKeys: readonly string[]): ValidationCause[] {
  const c = new Causes();
  c.required("name", body.name);
  c.oneOf("claimType", body.claimType, ["RESOURCE", "IDENTITY"], false);
  c.oneOf("valueType", body.valueType, ["EXPRESSION", "GROUPS", "SYSTEM"]);
  c.oneOf("status", body.status, STATUSES);
  c.optionalBoolean("alwaysIncludeInToken", body.alwaysIncludeInToken);
  // SYSTEM claims (the built-in OIDC ones) have no value (cassette TestAccResourceOktaAuthServerClaimDefault_crud PUT).
  if (body.valueType !== "SYSTEM") c.required("value", body.value);
  if (body.valueType === "GROUPS") c.oneOf("group_filter_type", body.group_filter_type, GROUP_FILTER_TYPES, false);
  const scopes = get(body, "conditions.scopes");
  if (scopes !== undefined && scopes !== null && !isStringArray(scopes)) c.add("conditions.scopes", "must be an array of scope names");
  if (typeof body.name === "string" && otherKeys.includes(`${String(body.claimType)}/${body.name}`)) {
    c.add("name", `A claim named '${body.name}' of type ${String(body.claimType)} already exists`);
  }
  return c.list;
}

import { timingSafeEqual } from "node:crypto";
import * as errors from "./errors";
import type { Reply, RouteContext } from "./context";
import type { AppRecord } from "./state";
import { get, OAUTH_GRANT_TYPES } from "./validate";

/**
 * `POST /oauth2/v1/token` of the org authorization server: client authentication and the token request's errors,
 * as strict as the real endpoint. The emulator never issues a token (it has no users, codes or keys), so a request
 * that passes every check ends in the error Okta gives for an unknown grant (invalid_grant). What this models, and
 * what was confirmed against Okta's documentation, is written down in lib/okta/secret-check.ts.
 *
 * Order of checks (client authentication before anything about the grant, per RFC 6749 §4.1.3 and §5.2):
 * 1. `Content-Type: application/x-www-form-urlencoded`, no repeated parameter, a `grant_type` (400 invalid_request);
 * 2. client credentials: HTTP Basic (client_secret_basic) *or* `client_id` + `client_secret` in the body
 *    (client_secret_post), not both (401 invalid_request), a well-formed Basic header (401 invalid_request);
 * 3. the client: an unknown or inactive client id → 401 in Okta's API error shape (`errorCode: invalid_client`);
 *    an app that does not authenticate with a client secret, a secret it does not have, or no secret for a
 *    confidential app → 401 invalid_client;
 * 4. the grant: one the server does not know → 400 unsupported_grant_type; one the app is not configured for →
 *    400 unauthorized_client naming the app's configured grant types;
 * 5. the grant's own parameters (missing → 400 invalid_request) and value (→ 400 invalid_grant).
 */

/** Okta's wording for a wrong secret (support.okta.com, "Invalid_Client Error Returned When Requesting OAuth Token(s)"). */
export const WRONG_SECRET = "The client secret supplied for a confidential client is invalid.";
/** Okta's wording when the client cannot authenticate the way it tried (same article). */
export const AUTH_FAILED = "Client authentication failed. Either the client or the client credentials are invalid.";
/** Okta's answer when both the header and the body carry credentials (observed, HTTP 401). */
export const MULTIPLE_CREDENTIALS =
  "Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.";

/** Body parameters whose values are credentials or grants: never kept in `OktaEmulator.requests`. */
const SECRET_PARAMS: readonly string[] = ["client_secret", "client_assertion", "code", "code_verifier", "refresh_token", "password", "assertion", "subject_token", "actor_token", "device_code"];

/** Grants the token endpoint knows. `implicit` is an /authorize-only flow, so the token endpoint does not. */
const TOKEN_GRANTS: readonly string[] = OAUTH_GRANT_TYPES.filter((g) => g !== "implicit");

const SECRET_METHODS: readonly string[] = ["client_secret_basic", "client_secret_post"];

/** What the emulator records for a form body: the parameters, with credential values replaced. */
export function recordedForm(text: string): Record<string, string | string[]> {
  const params = new URLSearchParams(text);
  const out: Record<string, string | string[]> = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name).map((v) => (SECRET_PARAMS.includes(name) ? "(redacted)" : v));
    out[name] = values.length === 1 ? values[0] : values;
  }
  return out;
}

function oauthError(status: number, error: string, description: string, unexpected = false): Reply {
  return { status, body: { error, error_description: description }, ...(unexpected ? { unexpected } : {}) };
}

function isForm(contentType: string | undefined): boolean {
  return (contentType ?? "").split(";")[0].trim().toLowerCase() === "application/x-www-form-urlencoded";
}

/** RFC 6749 §2.3.1: each half of the Basic credentials is application/x-www-form-urlencoded. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

type Basic = { readonly id: string; readonly secret: string } | "malformed";

function parseBasic(header: string): Basic {
  const m = /^Basic +([A-Za-z0-9+/]+={0,2})$/i.exec(header.trim());
  if (!m) return "malformed";
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) return "malformed";
  const id = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  return id === undefined || secret === undefined || id === "" ? "malformed" : { id, secret };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

function grantTypesOf(app: AppRecord): string[] {
  const grants = get(app.body, "settings.oauthClient.grant_types");
  return Array.isArray(grants) && grants.every((g) => typeof g === "string") ? (grants as string[]) : ["authorization_code"];
}

function authMethodOf(app: AppRecord): string {
  const method = get(app.body, "credentials.oauthClient.token_endpoint_auth_method");
  return typeof method === "string" ? method : "client_secret_basic";
}

/** The org authorization server's token endpoint (see the module comment for the order of checks). */
export function tokenEndpoint(ctx: RouteContext): Reply {
  // 1. The request itself.
  if (!isForm(ctx.headers["content-type"])) {
    return oauthError(400, "invalid_request", "The token request must be sent as application/x-www-form-urlencoded.", true);
  }
  const form = new URLSearchParams(ctx.rawBody);
  for (const name of new Set(form.keys())) {
    if (form.getAll(name).length > 1) return oauthError(400, "invalid_request", `The '${name}' parameter must not be repeated.`, true);
  }
  const grantType = form.get("grant_type");
  if (!grantType) return oauthError(400, "invalid_request", "The token request must specify a 'grant_type'.", true);

  // 2. Which credentials the client sent.
  const header = ctx.headers.authorization;
  const basic = header === undefined ? undefined : parseBasic(header);
  if (basic === "malformed") return oauthError(401, "invalid_request", "The basic authentication header is malformed.", true);
  const formId = form.get("client_id");
  const formSecret = form.get("client_secret");
  const assertion = form.get("client_assertion");
  if ((basic && (formSecret !== null || assertion !== null)) || (formSecret !== null && assertion !== null)) {
    return oauthError(401, "invalid_request", MULTIPLE_CREDENTIALS, true);
  }
  if (basic && formId !== null && formId !== basic.id) {
    return oauthError(401, "invalid_request", "The client_id in the body does not match the Authorization header.", true);
  }
  if (assertion !== null) {
    // client_secret_jwt / private_key_jwt: not modelled.
    return oauthError(401, "invalid_client", "The Okta emulator does not verify client_assertion JWTs.", true);
  }
  const clientId = basic ? basic.id : formId;
  const secret = basic ? basic.secret : formSecret;
  if (!clientId) return oauthError(401, "invalid_client", "No client credentials found.");

  // 3. Authenticate the client.
  const app = [...ctx.store.apps.values()].find((a) => a.clientId === clientId && a.status === "ACTIVE");
  if (!app) return errors.unknownOAuthClient();
  const method = authMethodOf(app);
  if (secret === null) {
    if (method !== "none") return oauthError(401, "invalid_client", AUTH_FAILED);
  } else {
    if (!SECRET_METHODS.includes(method) || app.secret === undefined) return oauthError(401, "invalid_client", AUTH_FAILED);
    if (!sameSecret(secret, app.secret.value)) return oauthError(401, "invalid_client", WRONG_SECRET);
  }

  // 4. The grant, for the authenticated client.
  if (!TOKEN_GRANTS.includes(grantType)) {
    return oauthError(400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.", true);
  }
  const configured = grantTypesOf(app);
  if (!configured.includes(grantType)) {
    return oauthError(400, "unauthorized_client", `The client is not authorized to use the provided grant type. Configured grant types: [${configured.join(", ")}].`);
  }

  // 5. The grant's parameters. The emulator issues no codes, refresh tokens or users, so none can be valid.
  switch (grantType) {
    case "authorization_code":
      if (!form.get("code")) return oauthError(400, "invalid_request", "The 'code' parameter is required for the authorization_code grant.", true);
      if (!form.get("redirect_uri")) return oauthError(400, "invalid_request", "The 'redirect_uri' parameter is required for the authorization_code grant.", true);
      return oauthError(400, "invalid_grant", "The authorization code is invalid or has expired.");
    case "refresh_token":
      if (!form.get("refresh_token")) return oauthError(400, "invalid_request", "The 'refresh_token' parameter is required for the refresh_token grant.", true);
      return oauthError(400, "invalid_grant", "The refresh token is invalid or expired.");
    case "password":
      return oauthError(400, "invalid_grant", "The credentials provided were invalid.");
    case "client_credentials":
      // Okta documents the message; the status and error code it comes with are not documented.
      return oauthError(401, "invalid_client", "Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.", true);
    default:
      return oauthError(400, "invalid_grant", `The Okta emulator does not model the '${grantType}' grant.`, true);
  }
}

/**
 * Checks an Okta OIDC app's client secret against Okta before anything writes it into a live Qlik identity provider:
 * a wrong secret there locks every user out.
 *
 * WHAT OKTA'S DOCUMENTATION SAYS (and what it does not)
 *
 * - Client authentication at `POST {org}/oauth2/v1/token`: `client_secret_basic` sends
 *   `Authorization: Basic base64(client_id:client_secret)`, `client_secret_post` sends both as body parameters;
 *   the default method is client_secret_basic.
 *   https://developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth/
 * - The /token reference ("List of Errors"; formerly https://developer.okta.com/docs/api/resources/oidc/#token, kept
 *   in github.com/okta/okta-developer-docs packages/@okta/vuepress-site/docs/api/resources/oidc/index.md):
 *   invalid_client "The specified client_id wasn't found"; invalid_grant "The code, refresh_token, or username and
 *   password combination is invalid, or the redirect_uri doesn't match"; invalid_request "the basic authentication
 *   header is malformed, both header and form parameters were used for authentication, or no authentication
 *   information was provided"; invalid_scope; unsupported_grant_type. Error example: `HTTP 401 Unauthorized`,
 *   `{"error":"invalid_client","error_description":"No client credentials found."}`. unauthorized_client is not listed.
 * - Okta support, "Invalid_Client Error Returned When Requesting OAuth Token(s)"
 *   (https://support.okta.com/help/s/article/invalid-client-error-returned-during-client-authentication-failure):
 *   a wrong or revoked client id/secret gives `{"error":"invalid_client","error_description":"The client secret
 *   supplied for a confidential client is invalid."}` or "Client authentication failed. Either the client or the
 *   client credentials are invalid.", and an unknown client id `{"errorCode":"invalid_client","errorSummary":
 *   "Invalid value for 'client_id' parameter.",…}` (Okta's Management API error shape). The article gives no status.
 * - Org authorization server and client_credentials: Okta scopes (`okta.*`) only for service apps using
 *   private_key_jwt (https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/); a client
 *   authenticating with a secret gets "Client Credentials requests to the Org Authorization Server must use the
 *   private_key_jwt token_endpoint_auth_method."
 *   (https://support.okta.com/help/s/article/client-credentials-requests-to-the-org-auithorization-server-must-use-the-private-key-jwt-token-endpoint-auth-method).
 *   NOT CONFIRMED: the HTTP status and error code of that answer, and whether Okta checks the secret before it.
 * - RFC 6749: §2.3.1 the client id and secret are application/x-www-form-urlencoded before Basic encoding; §4.1.3
 *   the server authenticates a confidential client and ensures the code was issued to it; §5.2 unauthorized_client
 *   is "The authenticated client is not authorized to use this authorization grant type", and invalid_client after
 *   Basic authentication MUST be HTTP 401.
 *
 * Observed (public reports, not documentation):
 * - 401 for both the unknown-client and the wrong-secret invalid_client (NCI wiki's Okta token page,
 *   https://wiki.nci.nih.gov/pages/diffpagesbyversion.action?pageId=453018227&selectedPageVersions=7&selectedPageVersions=8);
 *   the errorCode shape for an unknown client id also in github.com/freizl/hoauth2 docs/okta.org.
 * - A right secret with a grant the app lacks: `400 unauthorized_client`, "The client is not authorized to use the
 *   provided grant type. Configured grant types: [refresh_token, authorization_code]."
 *   (https://github.com/okta/okta-mobile-kotlin/issues/224 for the text; the 400 in public integration notes).
 * - Header and body credentials at once: HTTP 401 invalid_request "Cannot supply multiple client credentials. …"
 *   (https://github.com/boylesoftware/tomcat-oidcauth/issues/6).
 * - A bogus code: invalid_grant "The authorization code is invalid or has expired."
 *   (https://github.com/oktadev/okta-smartfhir-docs/issues/13).
 *
 * NOT CONFIRMED anywhere: that Okta authenticates the client *before* it looks at the grant type, the code or the
 * redirect URI (standard per RFC 6749 and what the reports above suggest, but Okta does not document it); whether
 * Okta form-decodes the Basic credentials (for secrets of letters, digits, "-", "." and "_", which is what Okta
 * generates in every report seen, the encoding changes nothing); whether an app set to client_secret_post accepts
 * client_secret_basic.
 *
 * WHICH RESPONSE TELLS "WRONG" FROM "RIGHT": only `401` with `invalid_client` says the secret (or client) was refused.
 * Any other answer could come from a check Okta makes before authenticating the client, so it proves nothing alone.
 *
 * THE REQUEST, AND WHY
 * `grant_type=authorization_code` with a random, never-issued `code` and a `redirect_uri` that is not registered:
 * - it is the grant and client authentication Qlik itself uses with this secret (a web app, client_secret_basic),
 *   so it exercises exactly the path the secret will be used on;
 * - it cannot issue anything: the code does not exist (invalid_grant) or the app lacks the grant (unauthorized_client);
 * - it avoids client_credentials on the org authorization server, which Okta special-cases (private_key_jwt only,
 *   with an undocumented status and an undocumented place in the order of checks).
 * Because the order of Okta's checks is not documented, an answer that looks like "authenticated" is only believed
 * when a control request — the same request with a random wrong secret — gets `401 invalid_client`. If both get the
 * same non-401 answer, the endpoint did not look at the secret and the verdict is "unknown". A "rejected" verdict
 * needs no control: `401 invalid_client` is the refusal itself.
 */
import { randomBytes } from "node:crypto";
import axios from "axios";
import { ENV } from "../contract";
import { redactText } from "../redact";

/** The outcome. `detail` never holds the secret, the Authorization header, or Okta's answer beyond its error code. */
export type SecretCheck = { readonly verdict: "accepted" | "rejected" | "unknown"; readonly detail: string };

/** Options for {@link checkOktaClientSecret}. */
export interface SecretCheckOptions {
  /**
   * Origin to send the request to instead of `orgUrl`'s, e.g. an emulator's `http://127.0.0.1:<port>` (the value of
   * OKTA_HTTP_PROXY). Plain http is allowed here only.
   * @default - the origin of orgUrl, which must be https
   */
  readonly baseUrl?: string;
  /** Per request; the check makes at most two. @default 10000 */
  readonly timeoutMs?: number;
  /**
   * How the client authenticates: HTTP Basic, or client_id/client_secret in the body.
   * @default "client_secret_basic" (what the Qlik OIDC app is configured with, and what Qlik sends)
   */
  readonly authMethod?: "client_secret_basic" | "client_secret_post";
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Not registered on any app, and in the reserved .invalid TLD: never reachable. */
const PROBE_REDIRECT_URI = "https://secret-check.invalid/callback";

/** RFC 6749 §2.3.1 / Appendix B: application/x-www-form-urlencoded (UTF-8, space as "+"). */
export function formEncode(value: string): string {
  return new URLSearchParams([["", value]]).toString().slice(1);
}

/** `Basic base64(formEncode(clientId) ":" formEncode(clientSecret))`, RFC 6749 §2.3.1. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`, "utf8").toString("base64")}`;
}

type Answer = { readonly kind: "http"; readonly status: number; readonly error?: string } | { readonly kind: "network"; readonly code: string };

/** An error code fit to print: a short token, never anything that contains the secret. */
function safeCode(value: unknown, secret: string): string | undefined {
  if (typeof value !== "string" || !/^[A-Za-z0-9_.-]{1,64}$/.test(value)) return undefined;
  return secret !== "" && value.includes(secret) ? undefined : value;
}

/** The OAuth `error`, or the Management API shape's `errorCode` (Okta's unknown-client answer). */
function errorCodeOf(data: unknown, secret: string): string | undefined {
  let parsed = data;
  if (typeof data === "string") {
    try {
      parsed = JSON.parse(data) as unknown;
    } catch {
      return undefined;
    }
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const o = parsed as { error?: unknown; errorCode?: unknown };
  return safeCode(o.error, secret) ?? safeCode(o.errorCode, secret);
}

function describe(a: Answer): string {
  return a.kind === "network" ? `network error ${a.code}` : `HTTP ${a.status}${a.error ? ` ${a.error}` : ""}`;
}

async function probe(tokenUrl: string, clientId: string, secret: string, timeoutMs: number, method: SecretCheckOptions["authMethod"]): Promise<Answer> {
  const form = new URLSearchParams({
    grant_type: "authorization_code",
    code: `secret-check-${randomBytes(24).toString("hex")}`,
    redirect_uri: PROBE_REDIRECT_URI,
  });
  const headers: Record<string, string> = { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" };
  if (method === "client_secret_post") {
    form.set("client_id", clientId);
    form.set("client_secret", secret);
  } else {
    headers.Authorization = basicAuthorization(clientId, secret);
  }
  try {
    const res = await axios.post(tokenUrl, form.toString(), { headers, timeout: timeoutMs, maxRedirects: 0, validateStatus: () => true });
    return { kind: "http", status: res.status, error: errorCodeOf(res.data, secret) };
  } catch (e) {
    // Only the code: the error object's config holds the Authorization header (and the body the secret).
    const code = (e as { code?: unknown } | null)?.code;
    return { kind: "network", code: typeof code === "string" && /^[A-Z0-9_]{1,40}$/.test(code) ? code : "UNKNOWN" };
  }
}

function isRefusal(a: Answer): boolean {
  return a.kind === "http" && a.status === 401 && a.error === "invalid_client";
}

/** An answer from a server that looked at the request and said no (or yes): a 200, or a 400 with an OAuth error. */
function looksAuthenticated(a: Answer): a is Answer & { kind: "http" } {
  return a.kind === "http" && (a.status === 200 || (a.status === 400 && a.error !== undefined));
}

function tokenUrlFor(orgUrl: string, baseUrl: string | undefined): string | SecretCheck {
  let url: URL;
  try {
    url = new URL(baseUrl ?? orgUrl);
  } catch {
    return { verdict: "unknown", detail: baseUrl === undefined ? "the Okta org URL is not a valid URL" : "the base URL is not a valid URL" };
  }
  if (url.username !== "" || url.password !== "") return { verdict: "unknown", detail: "the Okta URL must not contain credentials" };
  const allowed = baseUrl === undefined ? ["https:"] : ["https:", "http:"];
  if (!allowed.includes(url.protocol)) {
    return { verdict: "unknown", detail: `the ${baseUrl === undefined ? "Okta org URL must use https" : "base URL must use http or https"}; the secret is not sent otherwise` };
  }
  return `${url.origin}/oauth2/v1/token`;
}

function finish(result: SecretCheck, secret: string): SecretCheck {
  // Belt and braces: whatever went wrong above, the secret never leaves in the detail (in any form).
  return { verdict: result.verdict, detail: redactText(result.detail, [secret]) };
}

/**
 * Asks Okta's org authorization server whether `clientSecret` is the secret of the client `clientId`, without
 * obtaining any token (see the comment at the top of this file for the request and how its answer is read):
 * - "rejected": Okta answered 401 invalid_client (wrong secret, unknown or inactive client, or an app that does not
 *   authenticate with a client secret this way);
 * - "accepted": Okta answered with a grant error (or 200) for this secret, and 401 invalid_client for a random one;
 * - "unknown": anything else (network error, timeout, 429, 5xx, a redirect, an answer that did not depend on the
 *   secret). Never throws.
 */
export async function checkOktaClientSecret(orgUrl: string, clientId: string, clientSecret: string, options: SecretCheckOptions = {}): Promise<SecretCheck> {
  const secret = typeof clientSecret === "string" ? clientSecret : "";
  try {
    if (typeof clientId !== "string" || clientId === "") return { verdict: "unknown", detail: "no client id given" };
    if (secret === "") return { verdict: "rejected", detail: "the client secret is empty (not sent to Okta)" };
    const tokenUrl = tokenUrlFor(orgUrl, options.baseUrl);
    if (typeof tokenUrl !== "string") return tokenUrl;
    const timeoutMs = options.timeoutMs !== undefined && Number.isFinite(options.timeoutMs) && options.timeoutMs > 0 ? options.timeoutMs : DEFAULT_TIMEOUT_MS;
    const method = options.authMethod ?? "client_secret_basic";

    const answer = await probe(tokenUrl, clientId, secret, timeoutMs, method);
    if (isRefusal(answer)) {
      return finish({ verdict: "rejected", detail: `Okta refused the client credentials (HTTP 401 invalid_client): wrong client secret, unknown or inactive client id, or an app that does not use ${method}` }, secret);
    }
    if (answer.kind === "network") return finish({ verdict: "unknown", detail: `could not reach Okta's token endpoint (${answer.code})` }, secret);
    if (answer.status === 429) return { verdict: "unknown", detail: "Okta rate-limited the check (HTTP 429); try again later" };
    if (answer.status >= 500) return finish({ verdict: "unknown", detail: `Okta's token endpoint failed (${describe(answer)})` }, secret);
    if (!looksAuthenticated(answer)) return finish({ verdict: "unknown", detail: `unexpected answer from Okta's token endpoint (${describe(answer)})` }, secret);

    // Control: the same request with a secret that is certainly wrong must be refused, or the answer above did not
    // depend on the secret.
    let wrong = randomBytes(32).toString("base64url");
    while (wrong === secret) wrong = randomBytes(32).toString("base64url");
    const control = await probe(tokenUrl, clientId, wrong, timeoutMs, method);
    if (isRefusal(control)) {
      return finish({ verdict: "accepted", detail: `Okta authenticated the client (${describe(answer)}; a wrong secret gets HTTP 401 invalid_client)` }, secret);
    }
    return finish(
      {
        verdict: "unknown",
        detail: `Okta answered ${describe(answer)} for this secret and ${describe(control)} for a wrong one: the answer does not show whether the secret is right`,
      },
      secret,
    );
  } catch {
    // Not reached in practice (probe catches its own errors); never let an error object (with headers) escape.
    return { verdict: "unknown", detail: "the check failed unexpectedly" };
  }
}

/** How the Qlik step asks Okta about a secret: the client id and the secret in, a verdict out. */
export type SecretChecker = (clientId: string, clientSecret: string) => Promise<SecretCheck>;

/**
 * The checker for an app of the Okta org behind `discoveryUrl` (the org authorization server's discovery document),
 * reaching it through `OKTA_HTTP_PROXY` when that is set — the same plain-http switch the okta provider honours, so
 * the emulator answers in tests and demos.
 */
export function oktaSecretChecker(discoveryUrl: string, env: NodeJS.ProcessEnv = process.env): SecretChecker {
  const orgUrl = new URL(discoveryUrl).origin;
  const baseUrl = env[ENV.oktaHttpProxy] || undefined;
  return (clientId, clientSecret) => checkOktaClientSecret(orgUrl, clientId, clientSecret, baseUrl ? { baseUrl } : {});
}

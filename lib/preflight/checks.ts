/**
 * Preflight checks for one stack, each one line — what is fine, or what is wrong and what to do: the Qlik
 * credentials and TenantAdmin, that the tenant hostname is the real one and not an alias, that the Okta org answers,
 * the API token, and whether the org has API Access Management (custom authorization servers need it).
 * Heavy modules (the Qlik client, axios) load only when the checks run.
 */
import type { AxiosInstance } from "axios";
import type { StackConfig } from "../config/schema";
import { ENV } from "../contract";
import { errorLine, networkCode } from "../errors";
import type { QlikCredentials } from "../qlik/client";
import { RetryPolicy } from "../qlik/retry";
import { classifyHostname } from "../qlik/tenant";

export interface Check {
  readonly ok: boolean;
  readonly text: string;
}

const pass = (text: string): Check => ({ ok: true, text });
const fail = (text: string): Check => ({ ok: false, text });

/** Every check for one stack, in order; later Qlik checks are skipped (and fail) when an earlier one cannot pass. */
export async function stackChecks(name: string, stack: StackConfig, env: NodeJS.ProcessEnv): Promise<Check[]> {
  return [...(await qlikChecks(name, stack, env)), ...(await oktaChecks(name, stack, env))];
}

async function qlikChecks(name: string, stack: StackConfig, env: NodeJS.ProcessEnv): Promise<Check[]> {
  const { QlikClient, qlikBaseUrl, qlikCredentialsFromEnv } = await import("../qlik/client");
  const checks: Check[] = [];
  let credentials: QlikCredentials;
  let baseUrl: string;
  try {
    credentials = qlikCredentialsFromEnv(env);
    baseUrl = qlikBaseUrl(stack.qlik.tenantHostname, env);
  } catch (e) {
    return [fail(errorLine(e))];
  }
  checks.push(
    pass(
      credentials.kind === "apiKey"
        ? "Qlik credentials: API key (QLIK_API_KEY)"
        : "Qlik credentials: OAuth machine-to-machine client (QLIK_CLIENT_ID + QLIK_CLIENT_SECRET)",
    ),
  );
  const client = new QlikClient({ baseUrl, credentials, policy: DOCTOR_POLICY });

  let hostnames: readonly string[];
  try {
    const tenant = await client.myTenant();
    hostnames = tenant.hostnames ?? [];
    checks.push(pass(`Qlik API reachable at ${baseUrl}: tenant ${tenant.name ?? tenant.id} (${tenant.id})`));
  } catch (e) {
    checks.push(fail(`Qlik API at ${baseUrl}: ${errorLine(e)}`));
    return checks;
  }

  try {
    await client.listIdps({ pageSize: 1, firstPageOnly: true });
    checks.push(pass("TenantAdmin: these credentials can manage identity providers"));
  } catch (e) {
    checks.push(fail(`TenantAdmin: ${errorLine(e)}`));
  }

  const verdict = classifyHostname(stack.qlik.tenantHostname, hostnames);
  if (verdict.kind === "canonical") {
    checks.push(pass(`Tenant hostname ${verdict.hostname} is the tenant's real hostname`));
  } else if (verdict.kind === "alias") {
    checks.push(
      fail(
        `Tenant hostname ${verdict.hostname} is an alias: set stacks.${name}.qlik.tenantHostname to ${verdict.canonical} ` +
          `(the Okta callback https://<host>/login/callback must use the real hostname)`,
      ),
    );
  } else {
    checks.push(
      fail(
        `Tenant hostname ${verdict.hostname} is not one of this tenant's hostnames (${verdict.hostnames.join(", ")}); ` +
          `fix stacks.${name}.qlik.tenantHostname or use credentials for the right tenant`,
      ),
    );
  }
  return checks;
}

async function oktaChecks(name: string, stack: StackConfig, env: NodeJS.ProcessEnv): Promise<Check[]> {
  const okta = await oktaHttp();
  const checks: Check[] = [];
  // OKTA_HTTP_PROXY is the okta provider's own switch to a plain-http endpoint (an emulator): use it as the base.
  const base = (env[ENV.oktaHttpProxy] || stack.okta.orgUrl).replace(/\/+$/, "");
  const discovery = `${base}/.well-known/openid-configuration`;
  try {
    const res = await okta.get(discovery);
    const issuer = (res.data as { issuer?: unknown } | undefined)?.issuer;
    if (res.status === 200 && typeof issuer === "string") checks.push(pass(`Okta org reachable: ${discovery} (issuer ${issuer})`));
    else checks.push(fail(`Okta org: ${discovery} answered HTTP ${res.status} without an OIDC issuer; check stacks.${name}.okta.orgUrl`));
  } catch (e) {
    checks.push(fail(`Okta org: could not reach ${discovery} (${networkCode(e)}); check stacks.${name}.okta.orgUrl and the network`));
  }

  const token = env[ENV.oktaApiToken];
  if (!token) {
    checks.push(fail("OKTA_API_TOKEN is not set: the okta provider needs an API token of an Okta admin (Security → API → Tokens)"));
  } else {
    checks.push(await tokenCheck(okta, base, token));
  }

  if (!stack.authorizationServer.enabled) {
    checks.push(pass("API Access Management: not needed (authorizationServer.enabled: false)"));
  } else if (token) {
    const url = `${base}/api/v1/authorizationServers?limit=1`;
    try {
      const res = await okta.get(url, { headers: { Authorization: `SSWS ${token}` } });
      const code = (res.data as { errorCode?: unknown } | undefined)?.errorCode;
      if (res.status === 200) {
        checks.push(pass("API Access Management: available (custom authorization servers can be created)"));
      } else if ((res.status === 401 || res.status === 403) && code === "E0000015") {
        checks.push(
          fail(
            `API Access Management: this Okta org does not have it (E0000015); set stacks.${name}.authorizationServer.enabled: false ` +
              `(Qlik then uses the org authorization server)`,
          ),
        );
      } else if (res.status === 401) {
        checks.push(fail(`API Access Management: OKTA_API_TOKEN was not accepted (HTTP 401${code ? ` ${String(code)}` : ""}); create a new token`));
      } else if (res.status === 403) {
        checks.push(fail(`API Access Management: the token's admin may not read authorization servers (HTTP 403${code ? ` ${String(code)}` : ""}); use a Super Administrator's token`));
      } else {
        checks.push(fail(`API Access Management: GET /api/v1/authorizationServers answered HTTP ${res.status}; try again, or set stacks.${name}.authorizationServer.enabled: false`));
      }
    } catch (e) {
      checks.push(fail(`API Access Management: could not reach ${base} (${networkCode(e)})`));
    }
  }
  return checks;
}

/** The token is set and Okta accepts it (`GET /api/v1/users/me` answers for the token's own admin). */
async function tokenCheck(okta: AxiosInstance, base: string, token: string): Promise<Check> {
  try {
    const res = await okta.get(`${base}/api/v1/users/me`, { headers: { Authorization: `SSWS ${token}` } });
    const code = (res.data as { errorCode?: unknown } | undefined)?.errorCode;
    if (res.status === 200) return pass("OKTA_API_TOKEN is accepted by the Okta org");
    if (res.status === 401) return fail(`OKTA_API_TOKEN was not accepted (HTTP 401${code ? ` ${String(code)}` : ""}): it is expired, revoked or of another org; create a new token (Security → API → Tokens)`);
    return fail(`OKTA_API_TOKEN: GET /api/v1/users/me answered HTTP ${res.status}${code ? ` ${String(code)}` : ""}; try again`);
  } catch (e) {
    return fail(`OKTA_API_TOKEN: could not reach ${base} (${networkCode(e)})`);
  }
}

/** Doctor answers quickly: a short timeout and little retrying. */
const DOCTOR_POLICY: RetryPolicy = { retries: 1, baseDelayMs: 200, maxDelayMs: 1_000, maxRetryAfterMs: 5_000, doNotRetry: [400, 401, 403, 404, 409, 412, 422], timeoutMs: 10_000 };

/** A plain client for the Okta org's public and management endpoints; statuses are handled by the caller. */
async function oktaHttp(): Promise<AxiosInstance> {
  const { default: axios } = await import("axios");
  return axios.create({ timeout: 10_000, maxRedirects: 0, validateStatus: () => true, headers: { Accept: "application/json" } });
}


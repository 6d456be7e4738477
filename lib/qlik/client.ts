import { readFileSync } from "node:fs";
import * as path from "node:path";
import axios, { AxiosInstance, AxiosResponse } from "axios";
import type { IDP, IDPArray, IDPsStatus } from "@qlik/api/identity-providers";
import type { Tenant } from "@qlik/api/tenants";
import type { User } from "@qlik/api/users";
import { ENV, plainHttpAllowed, tenantUrl } from "../contract";
import { networkCode as errorNetworkCode } from "../errors";
import { PROJECT_ROOT } from "../paths";
import {
  ambiguousCredentialsError,
  badBaseUrlError,
  foreignOriginError,
  halfOAuthCredentialsError,
  missingCredentialsError,
  QlikApiError,
  QlikAuthKind,
  redirectWithoutLocationError,
  tokenResponseError,
  unexpectedResponseError,
} from "./errors";
import { DEFAULT_RETRY_POLICY, isSafeToRepeat, nextDelay, PatchOperation, RetryPolicy } from "./retry";

/**
 * A small Qlik Cloud REST client on axios, for the endpoints the identity-provider step needs (identity providers,
 * the tenant, the current user). Every failure leaves a method as a {@link QlikApiError}: a raw AxiosError carries
 * the request config, including the bearer token, so none may escape.
 */

/** The `qlik-api-version` @qlik/api 2.19.0 sends; it only selects which deprecation warnings Qlik returns. */
export const QLIK_API_VERSION = "2026-08";

export type QlikCredentials =
  | { readonly kind: "apiKey"; readonly apiKey: string }
  | { readonly kind: "oauth"; readonly clientId: string; readonly clientSecret: string };

/** `QLIK_API_KEY`, else `QLIK_CLIENT_ID` + `QLIK_CLIENT_SECRET` (OAuth machine-to-machine). */
export function qlikCredentialsFromEnv(env: NodeJS.ProcessEnv = process.env): QlikCredentials {
  const apiKey = env[ENV.qlikApiKey];
  const clientId = env[ENV.qlikClientId];
  const clientSecret = env[ENV.qlikClientSecret];
  // Two kinds of credentials at once leaves it to chance which tenant and which rights a run gets: refuse it.
  if (apiKey && (clientId || clientSecret)) throw ambiguousCredentialsError();
  if (apiKey) return { kind: "apiKey", apiKey };
  if (clientId && clientSecret) return { kind: "oauth", clientId, clientSecret };
  if (clientId) throw halfOAuthCredentialsError(ENV.qlikClientSecret);
  if (clientSecret) throw halfOAuthCredentialsError(ENV.qlikClientId);
  throw missingCredentialsError();
}

/**
 * `QLIK_BASE_URL` (tests, demos) or `https://<tenantHostname>`: an origin, no path (the API paths start at the
 * root). Plain `http:` only to this machine, so a key never crosses a network in clear.
 */
export function qlikBaseUrl(tenantHostname: string, env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env[ENV.qlikBaseUrl];
  if (!explicit) return tenantUrl(tenantHostname, "");
  let url: URL;
  try {
    url = new URL(explicit);
  } catch {
    throw badBaseUrlError(explicit, "is not a URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw badBaseUrlError(explicit, "is not an http(s) URL");
  if (url.protocol === "http:" && !plainHttpAllowed(url)) throw badBaseUrlError(explicit, "uses plain http to another machine (only https, or http to 127.0.0.1/localhost)");
  if (url.pathname !== "/" || url.search || url.hash) throw badBaseUrlError(explicit, `has a path; give the origin only, e.g. ${url.origin}`);
  return url.origin;
}


/** One attempt of one request, as tests and `--json` output count them. No headers, no bodies. */
export interface RequestLogEntry {
  readonly method: string;
  /** Path and query, relative to the API origin. */
  readonly path: string;
  /** HTTP status; undefined when no response arrived. */
  readonly status?: number;
  /** 1 for the first attempt, 2 for the first retry… */
  readonly attempt: number;
  /** POST/PATCH/PUT/DELETE under /api/ (the token request is not a write). */
  readonly write: boolean;
}

export interface QlikClientOptions {
  /** API origin, e.g. https://acme.eu.qlikcloud.com (see {@link qlikBaseUrl}). */
  readonly baseUrl: string;
  readonly credentials: QlikCredentials;
  /** @default DEFAULT_RETRY_POLICY */
  readonly policy?: RetryPolicy;
  /** Called after every attempt. */
  readonly onRequest?: (entry: RequestLogEntry) => void;
  /** @default setTimeout-based sleep (tests pass a recorder) */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface IdpWithPopts {
  readonly idp: IDP;
  /** `QLIK-IDP-POPTS`: hash of the pending configuration, needed to promote it. */
  readonly popts?: string;
}

interface RequestSpec {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  /** A path on the base URL, or an absolute URL on the same origin (pagination links). */
  readonly target: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Statuses that count as success. */
  readonly expect: readonly number[];
  /** Send no Authorization header (the token request). */
  readonly anonymous?: boolean;
}

const IDP_PATH = "/api/v1/identity-providers";

export class QlikClient {
  /** Every attempt made, in order. */
  public readonly requests: RequestLogEntry[] = [];
  private readonly http: AxiosInstance;
  private readonly origin: string;
  private readonly policy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private token?: Promise<string>;

  /** A client for the tenant, with credentials and base URL from the environment. */
  static fromEnv(
    tenantHostname: string,
    options: Omit<QlikClientOptions, "baseUrl" | "credentials"> = {},
    env: NodeJS.ProcessEnv = process.env,
  ): QlikClient {
    return new QlikClient({ ...options, baseUrl: qlikBaseUrl(tenantHostname, env), credentials: qlikCredentialsFromEnv(env) });
  }

  constructor(private readonly options: QlikClientOptions) {
    this.policy = options.policy ?? DEFAULT_RETRY_POLICY;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.origin = new URL(options.baseUrl).origin;
    this.http = axios.create({
      baseURL: options.baseUrl,
      timeout: this.policy.timeoutMs,
      // Redirects are handled here: axios would drop Authorization on a cross-host redirect (tenants/me → 302).
      maxRedirects: 0,
      validateStatus: () => true,
      headers: {
        Accept: "application/json",
        "qlik-api-version": QLIK_API_VERSION,
        "User-Agent": `qlik-okta-iac/${packageVersion()}`,
      },
    });
  }

  get authKind(): QlikAuthKind {
    return this.options.credentials.kind;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /**
   * The tenant the credentials belong to. `/tenants/me` answers 302 → `/tenants/{id}`; the id is taken from
   * `Location` and fetched on our own origin with the same Authorization (never following a redirect elsewhere).
   */
  async myTenant(): Promise<Tenant> {
    const res = await this.request({ method: "GET", target: "/api/v1/tenants/me", expect: [200, 301, 302, 303, 307, 308] });
    if (res.status === 200) return res.data as Tenant;
    const location = headerValue(res, "location");
    const id = location ? /\/api\/v1\/tenants\/([^/?#]+)/.exec(new URL(location, this.options.baseUrl).pathname)?.[1] : undefined;
    if (!id || id === "me") throw redirectWithoutLocationError("/api/v1/tenants/me");
    const tenant = await this.request({ method: "GET", target: `/api/v1/tenants/${encodeURIComponent(decodeURIComponent(id))}`, expect: [200] });
    return tenant.data as Tenant;
  }

  async me(): Promise<User> {
    return (await this.request({ method: "GET", target: "/api/v1/users/me", expect: [200] })).data as User;
  }

  /**
   * Every IdP on the tenant, following `links.next.href` until there is none.
   * @param options.pageSize `limit` per page (1–100) @default 100
   * @param options.firstPageOnly stop after one page (a permission probe) @default false
   */
  async listIdps(options: { pageSize?: number; firstPageOnly?: boolean } = {}): Promise<IDP[]> {
    const all: IDP[] = [];
    let target: string | undefined = `${IDP_PATH}?limit=${options.pageSize ?? 100}`;
    const seen = new Set<string>();
    while (target && !seen.has(target)) {
      seen.add(target);
      const page: IDPArray = (await this.request({ method: "GET", target, expect: [200] })).data as IDPArray;
      all.push(...(page.data ?? []));
      target = options.firstPageOnly ? undefined : page.links?.next?.href;
    }
    return all;
  }

  async getIdp(id: string): Promise<IdpWithPopts> {
    const res = await this.request({ method: "GET", target: `${IDP_PATH}/${encodeURIComponent(id)}`, expect: [200] });
    return { idp: res.data as IDP, popts: headerValue(res, "qlik-idp-popts") };
  }

  async createIdp(payload: object): Promise<IdpWithPopts> {
    const res = await this.request({ method: "POST", target: IDP_PATH, body: payload, expect: [200, 201] });
    return { idp: res.data as IDP, popts: headerValue(res, "qlik-idp-popts") };
  }

  /** JSON-Patch (204). `poptsMatch` becomes `QLIK-IDP-POPTS-MATCH`, required by `promote-options`. */
  async patchIdp(id: string, ops: readonly PatchOperation[], options: { poptsMatch?: string } = {}): Promise<void> {
    const headers: Record<string, string> = options.poptsMatch ? { "QLIK-IDP-POPTS-MATCH": options.poptsMatch } : {};
    await this.request({ method: "PATCH", target: `${IDP_PATH}/${encodeURIComponent(id)}`, body: ops, headers, expect: [200, 204] });
  }

  /** DELETE; "absent" when it was already gone (e.g. a retried delete whose first attempt succeeded). */
  async deleteIdp(id: string): Promise<"deleted" | "absent"> {
    try {
      await this.request({ method: "DELETE", target: `${IDP_PATH}/${encodeURIComponent(id)}`, expect: [200, 204] });
      return "deleted";
    } catch (e) {
      if (e instanceof QlikApiError && e.status === 404) return "absent";
      throw e;
    }
  }

  async idpStatus(): Promise<IDPsStatus> {
    return (await this.request({ method: "GET", target: `${IDP_PATH}/status`, expect: [200] })).data as IDPsStatus;
  }

  // ── transport ──────────────────────────────────────────────────────────────────────────────────────────────────

  private async authorization(): Promise<string> {
    const c = this.options.credentials;
    if (c.kind === "apiKey") return `Bearer ${c.apiKey}`;
    this.token ??= this.fetchToken(c.clientId, c.clientSecret);
    try {
      return `Bearer ${await this.token}`;
    } catch (e) {
      this.token = undefined;
      throw e;
    }
  }

  /** OAuth client credentials, JSON body as @qlik/api sends it; `admin_classic` is the scope IdP routes need. */
  private async fetchToken(clientId: string, clientSecret: string): Promise<string> {
    const res = await this.request({
      method: "POST",
      target: "/oauth/token",
      body: { client_id: clientId, client_secret: clientSecret, grant_type: "client_credentials", scope: "admin_classic" },
      expect: [200],
      anonymous: true,
    });
    const token = (res.data as { access_token?: unknown } | undefined)?.access_token;
    if (typeof token !== "string" || token === "") throw tokenResponseError();
    return token;
  }

  /** One logical request: auth, retries per the policy, one token refresh on 401, errors mapped once. */
  private async request(spec: RequestSpec): Promise<AxiosResponse> {
    const url = this.resolve(spec.target);
    const shownPath = url.pathname;
    const logPath = `${url.pathname}${url.search}`;
    const isToken = spec.anonymous === true;
    // The token request changes no tenant state, so repeating it is harmless.
    const safeToRepeat = isToken || isSafeToRepeat(spec.method, spec.body);
    const write = spec.method !== "GET" && url.pathname.startsWith("/api/");
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = { ...(spec.headers ?? {}) };
      if (!spec.anonymous) headers.Authorization = await this.authorization();
      if (spec.body !== undefined) headers["Content-Type"] = "application/json";

      let res: AxiosResponse | undefined;
      let networkCode: string | undefined;
      try {
        res = await this.http.request({ method: spec.method, url: url.toString(), data: spec.body, headers });
      } catch (e) {
        // Only the code leaves this block: the error object holds the request config with the Authorization header.
        networkCode = errorNetworkCode(e, "UNKNOWN");
      }
      const entry: RequestLogEntry = { method: spec.method, path: logPath, status: res?.status, attempt, write };
      this.requests.push(entry);
      this.options.onRequest?.(entry);

      if (res && spec.expect.includes(res.status)) return res;
      if (res && res.status >= 300 && res.status < 400) throw unexpectedResponseError(spec.method, shownPath, res.status);

      if (res?.status === 401 && this.options.credentials.kind === "oauth" && !isToken && !refreshed) {
        // An expired or revoked token: fetch a new one once, then repeat (the request was refused, not executed).
        refreshed = true;
        this.token = undefined;
        attempt--;
        continue;
      }

      const delay = nextDelay(attempt, { status: res?.status, retryAfter: res ? headerValue(res, "retry-after") : undefined, safeToRepeat }, this.policy);
      if (delay === undefined) {
        const first = res ? qlikErrorOf(res.data) : undefined;
        throw new QlikApiError({
          status: res?.status,
          code: first?.code,
          title: first?.title,
          pointer: first?.pointer,
          method: spec.method,
          path: shownPath,
          attempts: attempt,
          networkCode,
          safeToRepeat,
          authKind: this.options.credentials.kind,
          origin: this.origin,
        });
      }
      await this.sleep(delay);
    }
  }

  /** Resolve a path or a pagination link; never send credentials to another origin. */
  private resolve(target: string): URL {
    const base = this.options.baseUrl.endsWith("/") ? this.options.baseUrl : `${this.options.baseUrl}/`;
    const url = /^[a-z][a-z0-9+.-]*:/i.test(target) ? new URL(target) : new URL(target.replace(/^\//, ""), base);
    if (url.origin !== this.origin) throw foreignOriginError("a link from Qlik", url.origin, this.origin);
    return url;
  }
}

function headerValue(res: AxiosResponse, name: string): string | undefined {
  const v: unknown = res.headers?.[name];
  if (Array.isArray(v)) return typeof v[0] === "string" ? v[0] : undefined;
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
}

/** The first entry of Qlik's `{ errors: [{ code, title, source: { pointer } }] }`, nothing else of the body. */
function qlikErrorOf(body: unknown): { code?: string; title?: string; pointer?: string } | undefined {
  const first = (body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(first) || typeof first[0] !== "object" || first[0] === null) return undefined;
  const e = first[0] as { code?: unknown; title?: unknown; source?: { pointer?: unknown } };
  const text = (v: unknown): string | undefined => (typeof v === "string" && v.length <= 200 ? v : undefined);
  return { code: text(e.code), title: text(e.title), pointer: text(e.source?.pointer) };
}


let cachedVersion: string | undefined;

/** This package's version, for the User-Agent. */
export function packageVersion(): string {
  if (cachedVersion === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { version?: unknown };
      cachedVersion = typeof pkg.version === "string" ? pkg.version : "0.0.0";
    } catch {
      cachedVersion = "0.0.0";
    }
  }
  return cachedVersion;
}

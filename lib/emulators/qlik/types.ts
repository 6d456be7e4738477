/**
 * Public types of the Qlik Cloud API emulator (see `server.ts` for the behaviour, and for the Qlik API it follows).
 */

export interface QlikEmulatorOptions {
  /** @default 0 (random port) */
  readonly port?: number;
  /** Canonical tenant hostname = hostnames[0]. @default "acme.eu.qlikcloud.com" */
  readonly tenantHostname?: string;
  /** Aliases = hostnames[1..]. @default [] */
  readonly aliases?: readonly string[];
  /**
   * Accepted API keys; each maps to a user; `tenantAdmin: false` gets 403 on IdP routes.
   * @default [{ key: "qlik-emulator-key", tenantAdmin: true }]
   */
  readonly apiKeys?: readonly { key: string; tenantAdmin?: boolean }[];
  /** OAuth M2M clients accepted at POST /oauth/token (scope admin_classic required for IdP routes). @default [] */
  readonly oauthClients?: readonly { clientId: string; clientSecret: string }[];
  /** Access-token lifetime for OAuth tokens. @default 21600 */
  readonly tokenTtlSeconds?: number;
  /** Pre-existing IdPs (e.g. someone's active interactive IdP), created as-is. @default [] */
  readonly seedIdps?: readonly Record<string, unknown>[];
  /** Page size default for the list route. @default 20 */
  readonly defaultPageSize?: number;
}

export interface FaultRule {
  /** Which requests: method and/or a path prefix or RegExp (matched against path + query); omitted = all. */
  readonly method?: string;
  readonly path?: string | RegExp;
  readonly kind: "status" | "latency" | "drop";
  /** for kind "status": 429, 500, 502, 503… */
  readonly status?: number;
  /** seconds, sent as Retry-After with 429/503 (429 defaults to 1) */
  readonly retryAfter?: number;
  /** for kind "latency": ms to delay before handling */
  readonly delayMs?: number;
  /** apply to the next N matching requests, then stop. @default 1 */
  readonly times?: number;
}

export interface RecordedRequest {
  readonly method: string;
  /** Path including the query string. */
  readonly path: string;
  /** Response status; 0 when the connection was dropped (fault "drop" or the client went away). */
  readonly status: number;
  /** POST/PATCH/PUT/DELETE under /api/ (POST /oauth/token is not a write: it changes no tenant state). */
  readonly write: boolean;
  /** Set when a fault answered instead of the handlers: "status:<code>", "drop", or "aborted". Latency is not a fault here. */
  readonly faulted?: string;
}

export type VerificationOutcome = "success" | "claimsError" | "tokenError";

export interface QlikEmulator {
  /** "http://127.0.0.1:<port>" — used as QLIK_BASE_URL */
  readonly url: string;
  readonly tenantId: string;
  /** Every request in completion order; never contains headers or bodies. */
  readonly requests: readonly RecordedRequest[];
  /** POST/PATCH/PUT/DELETE under /api/ that reached the handlers (not faulted). */
  writes(): RecordedRequest[];
  /** Add a fault rule (rules are checked in the order they were added). */
  inject(rule: FaultRule): void;
  clearFaults(): void;
  /** Simulate the tenant admin's interactive "Validate" login against the pending configuration. */
  completeVerification(idpId: string, outcome?: VerificationOutcome): void;
  /** Raw stored IdPs including the real clientSecret values (for assertions only). */
  idps(): Record<string, unknown>[];
  /** Make every OAuth access token issued so far expire now (the next call with one gets 401). */
  expireTokens(): void;
  close(): Promise<void>;
}

/**
 * A strict, stateful Qlik Cloud API emulator on node:http (loopback only), covering what qlik-okta needs:
 * `/oauth/token`, `/api/v1/tenants/me` (302) and `/{id}`, `/api/v1/users/me`, and the identity-providers API.
 *
 * It follows Qlik's published API (the `@qlik/api` types and qlik.dev), and is stricter where that is silent, so a
 * client that works here does not rely on leniency. Validation rules: `validate.ts`; state rules and the redacted
 * read model: `state.ts`; auth: `auth.ts`; faults: `faults.ts`.
 */
import { randomBytes } from "node:crypto";
import { createServer, IncomingMessage, ServerResponse, STATUS_CODES } from "node:http";
import type { AddressInfo } from "node:net";
import type { Tenant } from "@qlik/api/tenants";
import type { User } from "@qlik/api/users";
import type { IDPArray, IDPMeta } from "@qlik/api/identity-providers";
import { AuthRegistry, Principal } from "./auth";
import {
  HttpError,
  QLIK_EMULATOR_ERROR_CODES,
  badRequest,
  forbidden,
  httpStatusError,
  tenantsError,
  unauthorized,
} from "./errors";
import { FaultInjector } from "./faults";
import { IdpStore, parseListQuery, poptsHash, readModel } from "./state";
import type { FaultRule, QlikEmulator, QlikEmulatorOptions, RecordedRequest, VerificationOutcome } from "./types";
import { isPlainObject, validateCreate, validatePatch } from "./validate";

const WRITE_METHODS = new Set(["POST", "PATCH", "PUT", "DELETE"]);
const MAX_BODY_BYTES = 1024 * 1024;
const IDP_BASE = "/api/v1/identity-providers";
const POPTS_HEADER = "QLIK-IDP-POPTS";

/** Datacenters per region code (from the TenantCreationRequest docs in `@qlik/api/tenants`). */
const DATACENTERS: Readonly<Record<string, string>> = {
  us: "us-east-1",
  eu: "eu-west-1",
  de: "eu-central-1",
  uk: "eu-west-2",
  ap: "ap-southeast-1",
  sg: "ap-southeast-2",
  jp: "ap-northeast-1",
};

interface JsonReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

function send(res: ServerResponse, reply: JsonReply): void {
  if (res.destroyed || res.headersSent) return;
  const headers: Record<string, string | number> = { ...(reply.headers ?? {}) };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers["Content-Type"] = "application/json";
  headers["Content-Length"] = Buffer.byteLength(text);
  res.writeHead(reply.status, headers);
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on("end", () => (size > MAX_BODY_BYTES ? reject(httpStatusError(413, "Payload Too Large")) : resolve(Buffer.concat(chunks))));
    req.on("error", reject);
  });
}

function mediaType(req: IncomingMessage): string {
  return (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** Parse a JSON request body, strictly: JSON media type required, non-empty, valid JSON. */
function jsonBody(req: IncomingMessage, raw: Buffer, accepted: readonly string[]): unknown {
  const type = mediaType(req);
  if (!accepted.includes(type))
    throw httpStatusError(415, `Unsupported Media Type: send Content-Type ${accepted.join(" or ")}`);
  if (raw.length === 0) throw badRequest("request body is required", "");
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch {
    throw badRequest("request body is not valid JSON", "");
  }
}

function methodNotAllowed(allowed: readonly string[]): HttpError {
  return httpStatusError(405, "Method Not Allowed", { Allow: allowed.join(", ") });
}

const notFound = (): HttpError => httpStatusError(404, "Not Found");

function faultReply(rule: FaultRule): JsonReply {
  const status = rule.status ?? 500;
  const headers: Record<string, string> = {};
  if (status === 429) headers["Retry-After"] = String(rule.retryAfter ?? 1);
  else if (status === 503 && rule.retryAfter !== undefined) headers["Retry-After"] = String(rule.retryAfter);
  const body =
    status === 429
      ? { errors: [{ code: QLIK_EMULATOR_ERROR_CODES.rateLimited, title: "API rate limit reached." }] }
      : { errors: [{ code: `HTTP-${status}`, title: STATUS_CODES[status] ?? "Error", status }] };
  return { status, body, headers };
}

export async function startQlikEmulator(options: QlikEmulatorOptions = {}): Promise<QlikEmulator> {
  const hostname = options.tenantHostname ?? "acme.eu.qlikcloud.com";
  const aliases = [...(options.aliases ?? [])];
  const defaultPageSize = options.defaultPageSize ?? 20;
  if (!Number.isInteger(defaultPageSize) || defaultPageSize < 1 || defaultPageSize > 100)
    throw new Error("defaultPageSize must be an integer between 1 and 100");
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 21600;
  if (!(tokenTtlSeconds > 0)) throw new Error("tokenTtlSeconds must be > 0");

  const tenantId = randomBytes(24).toString("base64url");
  const tenantCreated = new Date().toISOString();
  const store = new IdpStore(tenantId);
  for (const seed of options.seedIdps ?? []) store.seed(seed);
  const auth = new AuthRegistry(
    tenantId,
    options.apiKeys ?? [{ key: "qlik-emulator-key", tenantAdmin: true }],
    options.oauthClients ?? [],
    tokenTtlSeconds,
  );
  const faults = new FaultInjector();
  const recorded: RecordedRequest[] = [];
  const sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  const tenantAdminRoleId = randomBytes(12).toString("hex");
  let baseUrl = "";
  let closed = false;

  const labels = hostname.toLowerCase().split(".");
  const region = labels.length >= 4 && labels.slice(-2).join(".") === "qlikcloud.com" ? (labels[1] ?? "us") : "us";

  const tenant = (): Tenant => ({
    id: tenantId,
    name: labels[0] ?? hostname,
    hostnames: [hostname, ...aliases],
    region,
    datacenter: DATACENTERS[region] ?? "unknown",
    status: "active",
    created: tenantCreated,
    lastUpdated: tenantCreated,
    statusLastUpdatedAt: tenantCreated,
    autoAssignCreateSharedSpacesRoleToProfessionals: false,
    autoAssignPrivateAnalyticsContentCreatorRoleToProfessionals: false,
    autoAssignDataServicesContributorRoleToProfessionals: false,
    enableAppOpeningFeedback: false,
    links: { self: { href: `${baseUrl}/api/v1/tenants/${tenantId}` } },
  });

  const me = (p: Principal): User & { roles: string[] } => ({
    id: p.user.id,
    tenantId,
    name: p.user.name,
    email: p.user.email,
    subject: p.user.subject,
    status: "active",
    createdAt: p.user.createdAt,
    lastUpdatedAt: p.user.createdAt,
    roles: p.tenantAdmin ? ["TenantAdmin"] : [],
    assignedRoles: p.tenantAdmin ? [{ id: tenantAdminRoleId, name: "TenantAdmin", type: "default", level: "admin" }] : [],
    assignedGroups: [],
    links: { self: { href: `${baseUrl}/api/v1/users/${p.user.id}` } },
  });

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          sleepers.delete(entry);
          resolve();
        }, ms),
        wake: resolve,
      };
      sleepers.add(entry);
    });

  function idpRoutes(req: IncomingMessage, raw: Buffer, url: URL, principal: Principal): JsonReply {
    const denial = auth.idpDenial(principal);
    if (denial) throw forbidden(denial);
    const method = req.method ?? "GET";
    const rest = url.pathname.slice(IDP_BASE.length);

    if (rest === "") {
      if (method === "GET") {
        const q = parseListQuery(url.searchParams, defaultPageSize);
        const page = store.list(q);
        const link = (cursorParam: "next" | "prev", cursor: string): { href: string } => {
          const sp = new URLSearchParams();
          if (q.active !== undefined) sp.set("active", String(q.active));
          sp.set("limit", String(q.limit));
          sp.set(cursorParam, cursor);
          return { href: `${baseUrl}${IDP_BASE}?${sp.toString()}` };
        };
        const body: IDPArray = { data: page.data, links: { self: { href: `${baseUrl}${url.pathname}${url.search}` } } };
        if (page.nextCursor && body.links) body.links.next = link("next", page.nextCursor);
        if (page.prevCursor && body.links) body.links.prev = link("prev", page.prevCursor);
        return { status: 200, body };
      }
      if (method === "POST") {
        const payload = validateCreate(jsonBody(req, raw, ["application/json"]), tenantId);
        const doc = store.create(payload);
        const headers: Record<string, string> = {};
        if (doc.pendingOptions) headers[POPTS_HEADER] = poptsHash(doc.pendingOptions);
        return { status: 201, body: readModel(doc), headers };
      }
      throw methodNotAllowed(["GET", "POST"]);
    }
    if (rest === "/status") {
      if (method !== "GET") throw methodNotAllowed(["GET"]);
      return { status: 200, body: store.status() };
    }
    if (rest === "/me/meta") {
      if (method !== "GET") throw methodNotAllowed(["GET"]);
      const defaultIdpInUse = (store.status().active_interactive_idps_count ?? 0) === 0;
      const body: IDPMeta = defaultIdpInUse
        ? { userPortalLink: "https://account.myqlik.qlik.com/account", upgradeSubscriptionLink: "https://www.qlik.com/us/pricing" }
        : {};
      return { status: 200, body };
    }
    const m = /^\/([^/]+)$/.exec(rest);
    if (!m || m[1] === undefined) throw notFound();
    let id: string;
    try {
      id = decodeURIComponent(m[1]);
    } catch {
      throw notFound();
    }
    if (method === "GET") {
      const doc = store.require(id);
      const headers: Record<string, string> = {};
      if (doc.pendingOptions) headers[POPTS_HEADER] = poptsHash(doc.pendingOptions);
      return { status: 200, body: readModel(doc), headers };
    }
    if (method === "PATCH") {
      const doc = store.require(id);
      const ops = validatePatch(jsonBody(req, raw, ["application/json", "application/json-patch+json"]), doc);
      const matchHeader = req.headers["qlik-idp-popts-match"];
      store.patch(id, ops, Array.isArray(matchHeader) ? matchHeader[0] : matchHeader);
      return { status: 204 };
    }
    if (method === "DELETE") {
      store.delete(id);
      return { status: 204 };
    }
    throw methodNotAllowed(["GET", "PATCH", "DELETE"]);
  }

  function route(req: IncomingMessage, raw: Buffer): JsonReply {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", baseUrl);
    const path = url.pathname;

    if (path === "/oauth/token") {
      if (method !== "POST") throw methodNotAllowed(["POST"]);
      let body: unknown;
      if (mediaType(req) === "application/x-www-form-urlencoded") body = Object.fromEntries(new URLSearchParams(raw.toString("utf8")));
      else body = jsonBody(req, raw, ["application/json", "application/x-www-form-urlencoded"]);
      if (!isPlainObject(body)) throw badRequest("request body must be a JSON object", "");
      return { status: 200, body: auth.issueToken(body), headers: { "Cache-Control": "no-store" } };
    }
    if (path === "/.well-known/oauth-authorization-server") {
      if (method !== "GET") throw methodNotAllowed(["GET"]);
      return {
        status: 200,
        body: {
          issuer: baseUrl,
          token_endpoint: `${baseUrl}/oauth/token`,
          grant_types_supported: ["client_credentials"],
          token_endpoint_auth_methods_supported: ["client_secret_post"],
        },
      };
    }
    if (!path.startsWith("/api/")) throw notFound();

    const principal = auth.authenticate(req.headers.authorization);
    if (!principal) throw unauthorized();

    if (path === "/api/v1/tenants/me") {
      if (method !== "GET") throw methodNotAllowed(["GET"]);
      return { status: 302, headers: { Location: `/api/v1/tenants/${tenantId}` } };
    }
    const t = /^\/api\/v1\/tenants\/([^/]+)$/.exec(path);
    if (t) {
      if (method !== "GET") throw methodNotAllowed(["GET"]);
      if (t[1] !== tenantId) throw tenantsError(404, QLIK_EMULATOR_ERROR_CODES.tenantNotFound, "Not found", randomBytes(8).toString("hex"));
      return { status: 200, body: tenant() };
    }
    if (path === "/api/v1/users/me") {
      if (method !== "GET") throw methodNotAllowed(["GET"]);
      return { status: 200, body: me(principal) };
    }
    if (path === IDP_BASE || path.startsWith(`${IDP_BASE}/`)) return idpRoutes(req, raw, url, principal);
    throw notFound();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    let path = req.url ?? "/";
    try {
      const parsed = new URL(path, "http://127.0.0.1"); // also normalises absolute-form request targets
      path = `${parsed.pathname}${parsed.search}`;
    } catch {
      /* keep the raw target; routing answers 404 */
    }
    const write = WRITE_METHODS.has(method) && path.startsWith("/api/");
    let faulted: string | undefined;
    let done = false;
    const record = (status: number): void => {
      if (done) return;
      done = true;
      recorded.push(faulted === undefined ? { method, path, status, write } : { method, path, status, write, faulted });
    };
    res.on("finish", () => record(res.statusCode));
    res.on("close", () => {
      if (!res.writableFinished) {
        faulted ??= "aborted";
        record(0);
      }
    });

    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (e) {
      send(res, e instanceof HttpError ? e : { status: 400, body: { errors: [{ code: "HTTP-400", title: "Bad Request" }] } });
      return;
    }

    const plan = faults.take(method, path);
    if (plan.delayMs > 0) await sleep(plan.delayMs);
    if (closed || res.destroyed) {
      req.socket.destroy();
      return;
    }
    if (plan.terminal) {
      if (plan.terminal.kind === "drop") {
        faulted = "drop";
        req.socket.destroy();
        return;
      }
      const reply = faultReply(plan.terminal);
      faulted = `status:${reply.status}`;
      send(res, reply);
      return;
    }

    try {
      send(res, route(req, raw));
    } catch (e) {
      if (e instanceof HttpError) send(res, { status: e.status, body: e.body, headers: e.headers });
      else
        send(res, {
          status: 500,
          body: { errors: [{ code: "HTTP-500", title: "Internal Server Error", detail: (e as Error).message, status: 500 }] },
        });
    }
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    tenantId,
    get requests(): readonly RecordedRequest[] {
      return recorded.slice();
    },
    writes: () => recorded.filter((r) => r.write && r.faulted === undefined),
    inject: (rule: FaultRule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    completeVerification: (idpId: string, outcome: VerificationOutcome = "success") => store.completeVerification(idpId, outcome),
    idps: () => store.raw(),
    expireTokens: () => auth.expireAll(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (closed) return resolve();
        closed = true;
        for (const s of sleepers) {
          clearTimeout(s.timer);
          s.wake();
        }
        sleepers.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

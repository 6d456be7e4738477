import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as errors from "./errors";
import { matchRoute, ROUTES, type Method, type Reply, type Route } from "./routes";
import { OktaStore, stateView, type OktaEmulatorState } from "./state";
import { recordedForm } from "./token";

export interface OktaEmulatorOptions {
  /** TCP port on 127.0.0.1. @default 0 (random free port) */
  readonly port?: number;
  /** SSWS token the emulator accepts. @default "okta-emulator-token" */
  readonly apiToken?: string;
  /**
   * false = org without API Access Management: every /api/v1/authorizationServers route answers like real Okta does,
   * errorCode E0000015 "You do not have permission to access the feature you are requesting" — with HTTP **401**,
   * the status the provider's cassettes recorded from real Okta (not 403). Key checks on the errorCode.
   * true = the org also has Okta's built-in `default` authorization server (listed with `default: true`, readable as
   * `/api/v1/authorizationServers/default`, never deletable; left out of `state.authServers()` and `isEmpty()`).
   * @default true
   */
  readonly apiAccessManagement?: boolean;
  /**
   * "classic" answers /.well-known/okta-organization with pipeline v1; "oie" with "idx" and then also serves the OIE
   * access-policy calls (`GET /api/v1/policies?type=ACCESS_POLICY`, `PUT /api/v1/apps/{id}/policies/{policyId}`).
   * @default "classic"
   */
  readonly orgType?: "classic" | "oie";
  /** Extra groups (type OKTA_GROUP) besides the built-in Everyone, e.g. ["Qlik Admins"]. @default [] */
  readonly groups?: readonly string[];
}

/** One request as the emulator saw it. Headers (and so the Authorization token) are never recorded. */
export interface RecordedRequest {
  readonly method: string;
  /** URL pathname only, e.g. `/api/v1/apps/0oa…` (absolute-form targets are reduced to their path). */
  readonly path: string;
  /** Raw query string without the leading `?`, e.g. `activate=true`; "" when none. */
  readonly query: string;
  /** Status the emulator answered with. */
  readonly status: number;
  /**
   * Parsed JSON body; the raw text when it was not valid JSON; absent when the request had no body. For the OAuth
   * token endpoint: the form parameters, with credentials (client_secret, code, …) replaced by "(redacted)".
   */
  readonly body?: unknown;
}

export interface OktaEmulator {
  /** "http://127.0.0.1:<port>" — usable as OKTA_HTTP_PROXY / the provider's http_proxy. */
  readonly url: string;
  /** The SSWS token the emulator accepts (for helpers such as `seedHandMadeSetup` that call its API). */
  readonly apiToken: string;
  /** The org's type ("classic" | "oie"), as configured. */
  readonly orgType: "classic" | "oie";
  /** Every request, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Read-only views of the emulated org for assertions. */
  readonly state: OktaEmulatorState;
  /**
   * Requests the emulator does not model: no route (404), wrong method (405), a body that is not well-formed JSON
   * (400 E0000003), or one the real API would reject as invalid (400 E0000001/E0000031; on the token endpoint a
   * malformed request: invalid_request, unsupported_grant_type, or a grant it does not model). Also in `requests`.
   * Tests driving a real client assert this is empty.
   */
  readonly unexpected: readonly RecordedRequest[];
  close(): Promise<void>;
}

const DEFAULT_TOKEN = "okta-emulator-token";

function resolveOptions(options: OktaEmulatorOptions) {
  const groups = options.groups ?? [];
  const seen = new Set<string>(["everyone"]);
  for (const name of groups) {
    if (typeof name !== "string" || name.trim() === "") throw new Error(`Okta emulator: group names must be non-empty strings, got ${JSON.stringify(name)}`);
    if (seen.has(name.toLowerCase())) throw new Error(`Okta emulator: group "${name}" is listed twice or clashes with the built-in Everyone group`);
    seen.add(name.toLowerCase());
  }
  const apiToken = options.apiToken ?? DEFAULT_TOKEN;
  if (apiToken === "") throw new Error("Okta emulator: apiToken must not be empty");
  const orgType = options.orgType ?? "classic";
  if (orgType !== "classic" && orgType !== "oie") throw new Error(`Okta emulator: orgType must be "classic" or "oie", got ${JSON.stringify(orgType)}`);
  return { port: options.port ?? 0, apiToken, apiAccessManagement: options.apiAccessManagement ?? true, oie: orgType === "oie", groups };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * The org URL the client addressed. The provider's v4/v5 SDK requests arrive as `GET http://127.0.0.1/api/…`
 * with `Host: 127.0.0.1`: under `OKTA_HTTP_PROXY` those SDKs use the proxy URL as their org URL but drop its port
 * from each request (the older v2 SDK keeps it). Issuers and links are built from what the client used.
 */
function orgUrlOf(req: IncomingMessage, target: URL, fallback: string): string {
  if (req.headers.host) return `http://${req.headers.host}`;
  if (/^https?:\/\//i.test(req.url ?? "")) return `${target.protocol}//${target.host}`;
  return fallback;
}

/** Starts an Okta Management API emulator on 127.0.0.1, serving the calls the okta provider makes (see `ROUTES`). */
export async function startOktaEmulator(options: OktaEmulatorOptions = {}): Promise<OktaEmulator> {
  const config = resolveOptions(options);
  const store = new OktaStore(config.groups);
  const routes: readonly Route[] = ROUTES.filter((r) => config.oie || !r.oieOnly);
  const requests: RecordedRequest[] = [];
  const unexpected: RecordedRequest[] = [];
  let url = "";

  function dispatch(req: IncomingMessage, target: URL, raw: Buffer): { reply: Reply; body: unknown } {
    const method = (req.method ?? "GET").toUpperCase();
    const text = raw.toString("utf8");
    const match = matchRoute(routes, target.pathname);
    const form = match?.route.body === "form";
    let body: unknown;
    let wellFormed = true;
    if (text.trim() !== "" && form) {
      // OAuth form bodies carry client secrets: only a redacted copy is recorded, and handlers read rawBody.
      body = recordedForm(text);
    } else if (text.trim() !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
        wellFormed = false;
      }
    }
    if (!match) return { reply: errors.noRoute(method, target.pathname), body };
    const handler = match.route.methods[method as Method];
    if (!handler) return { reply: errors.methodNotAllowed(), body };
    if (match.route.auth === "api" && req.headers.authorization !== `SSWS ${config.apiToken}`) return { reply: errors.invalidToken(), body };
    if (match.route.needsApiAccessManagement && !config.apiAccessManagement) return { reply: errors.featureNotEnabled(), body };
    if (!wellFormed) return { reply: errors.malformedBody(), body };
    const reply = handler({
      params: match.params,
      query: target.searchParams,
      body: form ? undefined : body,
      rawBody: text,
      headers: req.headers,
      org: orgUrlOf(req, target, url),
      store,
      oie: config.oie,
    });
    return { reply, body };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const target = new URL(req.url ?? "/", "http://placeholder");
    let outcome: { reply: Reply; body: unknown };
    try {
      outcome = dispatch(req, target, raw);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      outcome = {
        reply: { status: 500, unexpected: true, body: { errorCode: "E0000009", errorSummary: `Internal Server Error: ${message}`, errorLink: "E0000009", errorId: "oaeEmulatorFault", errorCauses: [] } },
        body: undefined,
      };
    }
    const { reply, body } = outcome;
    const record: RecordedRequest = {
      method: (req.method ?? "GET").toUpperCase(),
      path: target.pathname,
      query: target.search.replace(/^\?/, ""),
      status: reply.status,
      ...(body !== undefined ? { body } : {}),
    };
    requests.push(record);
    if (reply.unexpected) unexpected.push(record);

    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(reply.headers ?? {})) headers[name] = typeof value === "string" ? value : [...value];
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers);
      res.end();
      return;
    }
    const payload = JSON.stringify(reply.body);
    headers["Content-Type"] = "application/json";
    headers["Content-Length"] = String(Buffer.byteLength(payload));
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    apiToken: config.apiToken,
    orgType: config.oie ? "oie" : "classic",
    requests,
    unexpected,
    state: stateView(store, url, config.oie),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // The provider's Go clients keep connections alive; don't wait for them to idle out.
        server.closeAllConnections();
      }),
  };
}

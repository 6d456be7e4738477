/**
 * checkOktaClientSecret against the Okta emulator's token endpoint (over real HTTP on loopback), plus small servers
 * for the answers the emulator never gives (503, a hang, a reflected secret, an endpoint that ignores the secret).
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { OktaEmulator, startOktaEmulator } from "../../lib/emulators/okta";
import { basicAuthorization, checkOktaClientSecret, formEncode } from "../../lib/okta";

const TOKEN = "okta-emulator-token";
const ORG = "https://acme.okta.com";
/** Quotes, a backslash and a colon (the Basic separator): must survive form-encoding and never show up in a detail. */
const CANARY = 'ca"n\\ary:x';
/** The other characters form-encoding changes: space, +, %, &, =. */
const CANARY_2 = "p+l%us &e=q~";

let emu: OktaEmulator;

beforeEach(async () => {
  emu = await startOktaEmulator();
});

afterEach(async () => {
  await emu.close();
});

/** Creates an OIDC app through the Management API, as the okta provider does; returns its client id and secret. */
function createApp(over: { secret?: string; authMethod?: string; type?: "web" | "service" } = {}): Promise<{ clientId: string; clientSecret: string }> {
  const service = over.type === "service";
  const body = {
    label: "Qlik Cloud",
    name: "oidc_client",
    signOnMode: "OPENID_CONNECT",
    credentials: {
      oauthClient: {
        autoKeyRotation: true,
        token_endpoint_auth_method: over.authMethod ?? "client_secret_basic",
        ...(over.secret !== undefined ? { client_secret: over.secret } : {}),
      },
    },
    settings: {
      oauthClient: service
        ? { application_type: "service", grant_types: ["client_credentials"], response_types: ["token"] }
        : { application_type: "web", grant_types: ["authorization_code"], response_types: ["code"], redirect_uris: ["https://acme.eu.qlikcloud.com/login/callback"] },
    },
  };
  const payload = JSON.stringify(body);
  const { port } = new URL(emu.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: Number(port),
        method: "POST",
        path: "/api/v1/apps?activate=true",
        headers: { Authorization: `SSWS ${TOKEN}`, "Content-Type": "application/json", Accept: "application/json" },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const json = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { credentials: { oauthClient: { client_id: string; client_secret: string } } };
          if (res.statusCode !== 200) reject(new Error(`create app: HTTP ${String(res.statusCode)}`));
          else resolve({ clientId: json.credentials.oauthClient.client_id, clientSecret: json.credentials.oauthClient.client_secret });
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

const tokenRequests = (): number => emu.requests.filter((r) => r.path === "/oauth2/v1/token").length;

/** A throwaway server; `handler` sees every request. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<{ url: string; close: () => Promise<void>; seen: { auth?: string; body: string }[] }> {
  const seen: { auth?: string; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ auth: req.headers.authorization, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

describe("against the Okta emulator", () => {
  it("accepts the app's real secret: a grant error for it, 401 invalid_client for a random one", async () => {
    // GIVEN
    const app = await createApp();
    // WHEN
    const result = await checkOktaClientSecret(ORG, app.clientId, app.clientSecret, { baseUrl: emu.url });
    // THEN
    expect(result).toEqual({ verdict: "accepted", detail: expect.stringContaining("HTTP 400 invalid_grant") });
    expect(result.detail).not.toContain(app.clientSecret);
    expect(tokenRequests()).toBe(2); // the probe and the control
    expect(emu.requests.map((r) => r.status)).toEqual([200, 400, 401]);
    expect(emu.unexpected).toEqual([]);
    expect(JSON.stringify(emu.requests.slice(1))).not.toContain(app.clientSecret);
  });

  it("rejects a wrong secret after one request", async () => {
    // GIVEN
    const app = await createApp();
    // WHEN
    const result = await checkOktaClientSecret(ORG, app.clientId, `${app.clientSecret}-old`, { baseUrl: emu.url });
    // THEN
    expect(result.verdict).toBe("rejected");
    expect(result.detail).toContain("HTTP 401 invalid_client");
    expect(result.detail).not.toContain(app.clientSecret);
    expect(tokenRequests()).toBe(1);
    expect(emu.unexpected).toEqual([]);
  });

  it("rejects an unknown client id (Okta's errorCode-shaped 401)", async () => {
    // GIVEN
    const app = await createApp();
    // WHEN
    const result = await checkOktaClientSecret(ORG, "0oaNOSUCHCLIENT", app.clientSecret, { baseUrl: emu.url });
    // THEN
    expect(result.verdict).toBe("rejected");
  });

  it.each([
    ["quotes, a backslash and a colon", CANARY],
    ["space, plus, percent, ampersand and equals", CANARY_2],
  ])("form-encodes a secret with %s, so it is accepted when it is the app's secret, and never shows it", async (_what, secret) => {
    // GIVEN an app whose secret was set by hand
    const app = await createApp({ secret });
    expect(app.clientSecret).toBe(secret);
    // WHEN
    const right = await checkOktaClientSecret(ORG, app.clientId, secret, { baseUrl: emu.url });
    const wrong = await checkOktaClientSecret(ORG, app.clientId, `${secret}!`, { baseUrl: emu.url });
    // THEN
    expect(right.verdict).toBe("accepted");
    expect(wrong.verdict).toBe("rejected");
    for (const r of [right, wrong]) {
      expect(r.detail).not.toContain(secret);
      expect(r.detail).not.toContain(JSON.stringify(secret).slice(1, -1));
      expect(r.detail).not.toContain(formEncode(secret));
    }
    expect(JSON.stringify(emu.requests.slice(1))).not.toContain(formEncode(secret));
    expect(emu.unexpected).toEqual([]);
  });

  it("sends the credentials in the body with authMethod client_secret_post", async () => {
    // GIVEN
    const app = await createApp({ secret: CANARY, authMethod: "client_secret_post" });
    // WHEN
    const right = await checkOktaClientSecret(ORG, app.clientId, CANARY, { baseUrl: emu.url, authMethod: "client_secret_post" });
    const wrong = await checkOktaClientSecret(ORG, app.clientId, "not-it", { baseUrl: emu.url, authMethod: "client_secret_post" });
    // THEN
    expect(right.verdict).toBe("accepted");
    expect(wrong.verdict).toBe("rejected");
    expect(emu.requests.filter((r) => r.path === "/oauth2/v1/token").every((r) => (r.body as Record<string, string>).client_secret === "(redacted)")).toBe(true);
    expect(emu.unexpected).toEqual([]);
  });

  it("accepts the secret of an app without the authorization_code grant (unauthorized_client)", async () => {
    // GIVEN a service app (client_credentials only)
    const app = await createApp({ type: "service" });
    // WHEN
    const result = await checkOktaClientSecret(ORG, app.clientId, app.clientSecret, { baseUrl: emu.url });
    // THEN
    expect(result.verdict).toBe("accepted");
    expect(result.detail).toContain("HTTP 400 unauthorized_client");
  });

  it("rejects without asking Okta when the secret is empty", async () => {
    const result = await checkOktaClientSecret(ORG, "0oa1", "", { baseUrl: emu.url });
    expect(result.verdict).toBe("rejected");
    expect(tokenRequests()).toBe(0);
  });
});

describe("the encoding (RFC 6749 §2.3.1)", () => {
  it("form-encodes client id and secret before Basic encoding", () => {
    // WHEN
    const header = basicAuthorization("0oa:id", CANARY);
    // THEN
    expect(header.startsWith("Basic ")).toBe(true);
    const decoded = Buffer.from(header.slice("Basic ".length), "base64").toString("utf8");
    expect(decoded).toBe("0oa%3Aid:ca%22n%5Cary%3Ax");
    expect(formEncode(CANARY_2)).toBe("p%2Bl%25us+%26e%3Dq%7E");
    expect(formEncode("AZaz09-._")).toBe("AZaz09-._");
    expect(formEncode("é")).toBe("%C3%A9");
  });
});

describe("answers that do not settle the question", () => {
  it("is unknown with ECONNREFUSED for a closed port", async () => {
    // GIVEN a port that was free a moment ago
    const probe = await serve(() => undefined);
    await probe.close();
    // WHEN
    const result = await checkOktaClientSecret(ORG, "0oa1", CANARY, { baseUrl: probe.url });
    // THEN
    expect(result).toEqual({ verdict: "unknown", detail: "could not reach Okta's token endpoint (ECONNREFUSED)" });
  });

  it("is unknown for a 503, a 429 and a redirect, naming the status", async () => {
    for (const [status, expected] of [
      [503, "HTTP 503"],
      [429, "HTTP 429"],
      [302, "HTTP 302"],
    ] as const) {
      // GIVEN
      const server = await serve((_req, res) => {
        if (status === 302) {
          res.writeHead(302, { Location: "https://elsewhere.example/" });
          res.end();
        } else json(res, status, { error: "temporarily_unavailable" });
      });
      // WHEN
      const result = await checkOktaClientSecret(ORG, "0oa1", CANARY, { baseUrl: server.url });
      await server.close();
      // THEN
      expect(result.verdict).toBe("unknown");
      expect(result.detail).toContain(expected);
      expect(result.detail).not.toContain(CANARY);
      expect(server.seen).toHaveLength(1);
    }
  });

  it("is unknown when there is no answer in time", async () => {
    // GIVEN a server that never answers
    const server = await serve(() => undefined);
    // WHEN
    const result = await checkOktaClientSecret(ORG, "0oa1", CANARY, { baseUrl: server.url, timeoutMs: 200 });
    await server.close();
    // THEN
    expect(result.verdict).toBe("unknown");
    expect(result.detail).toMatch(/could not reach Okta's token endpoint \((ECONNABORTED|ETIMEDOUT)\)/);
  });

  it("is unknown when the endpoint answers the same for a random secret (it never looked at the secret)", async () => {
    // GIVEN an endpoint that checks the grant before (or instead of) the client
    const server = await serve((_req, res) => json(res, 400, { error: "invalid_grant", error_description: "The authorization code is invalid or has expired." }));
    // WHEN
    const result = await checkOktaClientSecret(ORG, "0oa1", CANARY, { baseUrl: server.url });
    await server.close();
    // THEN
    expect(result.verdict).toBe("unknown");
    expect(result.detail).toContain("HTTP 400 invalid_grant for this secret and HTTP 400 invalid_grant for a wrong one");
    expect(server.seen).toHaveLength(2);
    // The control used a different secret, and the probe the real one.
    expect(server.seen[0].auth).toBe(basicAuthorization("0oa1", CANARY));
    expect(server.seen[1].auth).not.toBe(server.seen[0].auth);
    expect(server.seen[0].body).toMatch(/^grant_type=authorization_code&code=secret-check-[0-9a-f]{48}&redirect_uri=https%3A%2F%2Fsecret-check\.invalid%2Fcallback$/);
  });

  it("never copies the answer into the detail, even when it reflects the secret and the header", async () => {
    // GIVEN a hostile endpoint that echoes the credentials back
    const server = await serve((req, res) => json(res, 401, { error: CANARY, errorCode: req.headers.authorization, error_description: `${CANARY} ${String(req.headers.authorization)}` }));
    // WHEN
    const result = await checkOktaClientSecret(ORG, "0oa1", CANARY, { baseUrl: server.url });
    await server.close();
    // THEN
    expect(result).toEqual({ verdict: "unknown", detail: "unexpected answer from Okta's token endpoint (HTTP 401)" });
  });

  it("reads an error code that is only a token, and drops one that is the secret", async () => {
    // GIVEN a secret that looks like an error code, reflected as the error
    const secret = "invalid_client_secret_value";
    const server = await serve((_req, res) => json(res, 400, { error: secret }));
    // WHEN
    const result = await checkOktaClientSecret(ORG, "0oa1", secret, { baseUrl: server.url });
    await server.close();
    // THEN
    expect(result.verdict).toBe("unknown");
    expect(result.detail).not.toContain(secret);
  });

  it("sends nothing to an org URL that is not https, or not a URL", async () => {
    // GIVEN
    const server = await serve((_req, res) => json(res, 400, { error: "invalid_grant" }));
    // WHEN
    const plain = await checkOktaClientSecret(server.url, "0oa1", CANARY);
    const garbage = await checkOktaClientSecret("not a url", "0oa1", CANARY);
    const withUser = await checkOktaClientSecret("https://user:pw@acme.okta.com", "0oa1", CANARY);
    await server.close();
    // THEN
    for (const r of [plain, garbage, withUser]) expect(r.verdict).toBe("unknown");
    expect(plain.detail).toContain("https");
    expect(server.seen).toHaveLength(0);
  });
});

import { metaWithFingerprint } from "../../lib/qlik/diff";
import { createServer, IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import type { IDPOIDC } from "@qlik/api/identity-providers";
import { QlikEmulator, startQlikEmulator } from "../../lib/emulators/qlik";
import { QlikClient, QlikClientOptions, QlikCredentials } from "../../lib/qlik/client";
import { QlikApiError, QlikError } from "../../lib/qlik/errors";
import { executeActions, ExecutionError } from "../../lib/qlik/execute";
import { planActions } from "../../lib/qlik/plan";
import { DEFAULT_RETRY_POLICY } from "../../lib/qlik/retry";
import { secretFingerprint } from "../../lib/qlik/desired";
import { desired, SECRET, TENANT } from "./fixtures";

const API_KEY = "qlik-emulator-key";
let emu: QlikEmulator;
afterEach(async () => emu?.close());

/** A client whose sleeps are recorded instead of waited for. */
function client(credentials: QlikCredentials = { kind: "apiKey", apiKey: API_KEY }, extra: Partial<QlikClientOptions> = {}) {
  const sleeps: number[] = [];
  const c = new QlikClient({
    baseUrl: emu.url,
    credentials,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  });
  return { c, sleeps };
}

describe("QlikClient against the Qlik emulator", () => {
  it("resolves the tenant through the tenants/me redirect, keeping the Authorization header", async () => {
    // GIVEN a tenant with an alias; /tenants/me answers 302 and /tenants/{id} needs auth
    emu = await startQlikEmulator({ aliases: ["analytics.eu.qlikcloud.com"] });
    // WHEN
    const { c } = client();
    const tenant = await c.myTenant();
    // THEN
    expect(tenant.id).toBe(emu.tenantId);
    expect(tenant.hostnames).toEqual([TENANT, "analytics.eu.qlikcloud.com"]);
    expect(c.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "GET /api/v1/tenants/me 302",
      `GET /api/v1/tenants/${emu.tenantId} 200`,
    ]);
  });

  it("lists every IdP across pages by following links.next.href", async () => {
    // GIVEN three IdPs, listed one per page
    emu = await startQlikEmulator({
      seedIdps: ["a", "b", "c"].map((id) => ({ id, protocol: "OIDC", provider: "generic", interactive: false, active: true })),
    });
    // WHEN
    const { c } = client();
    const all = await c.listIdps({ pageSize: 1 });
    // THEN
    expect(all.map((i) => i.id)).toEqual(["a", "b", "c"]);
    expect(c.requests).toHaveLength(3);
  });

  it("returns the QLIK-IDP-POPTS header with an IdP that has pending options", async () => {
    // GIVEN an IdP created with pendingOptions / WHEN it is read back / THEN the POPTS hash comes with it, as on create
    emu = await startQlikEmulator();
    const { c } = client();
    const created = await c.createIdp(desired());
    const got = await c.getIdp(created.idp.id ?? "");
    expect(got.popts).toMatch(/^[0-9a-f-]{36}$/);
    expect(got.popts).toBe(created.popts);
  });

  it("sends qlik-api-version and a qlik-okta-iac User-Agent", async () => {
    // GIVEN a server that records headers
    const seen: IncomingMessage["headers"][] = [];
    const server = await listen((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ active_interactive_idps_count: 0 }));
    });
    try {
      // WHEN
      await new QlikClient({ baseUrl: server.url, credentials: { kind: "apiKey", apiKey: "k" } }).idpStatus();
      // THEN
      expect(seen[0]["qlik-api-version"]).toBe("2026-08");
      expect(seen[0]["user-agent"]).toMatch(/^qlik-okta-iac\/\d+\.\d+\.\d+/);
      expect(seen[0].authorization).toBe("Bearer k");
    } finally {
      server.server.close();
    }
  });

  it("refuses to send credentials to another origin named by a pagination link", async () => {
    // GIVEN a tenant whose next link points somewhere else, and that somewhere else
    const elsewhere: string[] = [];
    const other = await listen((req, res) => {
      elsewhere.push(String(req.headers.authorization));
      res.writeHead(200).end("{}");
    });
    const server = await listen((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ data: [], links: { next: { href: `${other.url}/api/v1/identity-providers?next=x` } } }));
    });
    try {
      // WHEN
      const run = new QlikClient({ baseUrl: server.url, credentials: { kind: "apiKey", apiKey: "secret-key" } }).listIdps();
      // THEN
      await expect(run).rejects.toThrow(`Refusing to follow a link from Qlik to ${other.url}`);
      expect(elsewhere).toEqual([]);
    } finally {
      server.server.close();
      other.server.close();
    }
  });

  it("authenticates as an OAuth machine-to-machine client with scope admin_classic and reuses the token", async () => {
    // GIVEN an OAuth M2M client / WHEN two calls are made / THEN one token request served both
    emu = await startQlikEmulator({ oauthClients: [{ clientId: "m2m", clientSecret: "m2m-secret" }] });
    const { c } = client({ kind: "oauth", clientId: "m2m", clientSecret: "m2m-secret" });
    await c.listIdps();
    await c.idpStatus();
    expect(c.requests.filter((r) => r.path === "/oauth/token")).toHaveLength(1);
    expect(c.requests.filter((r) => r.path === "/oauth/token")[0].write).toBe(false);
  });

  it("refreshes an expired OAuth token once on 401 and repeats the request", async () => {
    // GIVEN a client holding a token that the tenant then expires
    emu = await startQlikEmulator({ oauthClients: [{ clientId: "m2m", clientSecret: "m2m-secret" }] });
    const { c } = client({ kind: "oauth", clientId: "m2m", clientSecret: "m2m-secret" });
    await c.listIdps();
    emu.expireTokens();
    // WHEN
    const idps = await c.listIdps();
    // THEN
    expect(idps).toEqual([]);
    expect(c.requests.map((r) => `${r.method} ${r.path.split("?")[0]} ${r.status}`)).toEqual([
      "POST /oauth/token 200",
      "GET /api/v1/identity-providers 200",
      "GET /api/v1/identity-providers 401",
      "POST /oauth/token 200",
      "GET /api/v1/identity-providers 200",
    ]);
  });

  it("says to check QLIK_CLIENT_ID/QLIK_CLIENT_SECRET when the OAuth client is refused", async () => {
    // GIVEN a wrong client secret / WHEN the token request is refused / THEN the message names the variables, not the value
    emu = await startQlikEmulator({ oauthClients: [{ clientId: "m2m", clientSecret: "m2m-secret" }] });
    const { c } = client({ kind: "oauth", clientId: "m2m", clientSecret: "wrong-m2m-secret" });
    const error = await c.listIdps().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QlikApiError);
    expect((error as Error).message).toContain("check QLIK_CLIENT_ID and QLIK_CLIENT_SECRET");
    expect((error as Error).message).not.toContain("wrong-m2m-secret");
  });

  it("maps a 401 to one line naming QLIK_API_KEY, and never leaks the key or an AxiosError", async () => {
    // GIVEN a key the tenant does not know
    emu = await startQlikEmulator();
    const { c } = client({ kind: "apiKey", apiKey: "canary-api-key-9f8e7d" });
    // WHEN
    const error = await c.myTenant().catch((e: unknown) => e);
    // THEN
    expect(error).toBeInstanceOf(QlikApiError);
    expect(error).toMatchObject({ status: 401, method: "GET", path: "/api/v1/tenants/me" });
    expect((error as Error).message).toBe(
      "Qlik API GET /api/v1/tenants/me failed: HTTP 401 Unauthorized (HTTP-401); check QLIK_API_KEY: it is not accepted by this tenant (expired, revoked, or for another tenant)",
    );
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain("canary-api-key-9f8e7d");
  });

  it("says the key's user needs TenantAdmin on a 403", async () => {
    // GIVEN a key of a user without TenantAdmin / WHEN it lists IdPs / THEN the message says which role is missing
    emu = await startQlikEmulator({ apiKeys: [{ key: "viewer-key", tenantAdmin: false }] });
    const error = await client({ kind: "apiKey", apiKey: "viewer-key" }).c.listIdps().catch((e: unknown) => e);
    expect((error as Error).message).toContain("HTTP 403 Forbidden (IDP-5); the API key's user needs the TenantAdmin role");
  });

  it("waits out a 429 storm as Retry-After says, then succeeds", async () => {
    // GIVEN two 429 answers with Retry-After: 1
    emu = await startQlikEmulator();
    emu.inject({ path: "/api/v1/identity-providers", kind: "status", status: 429, retryAfter: 1, times: 2 });
    // WHEN
    const { c, sleeps } = client();
    await c.listIdps();
    // THEN
    expect(sleeps).toEqual([1000, 1000]);
    expect(c.requests.map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it("retries a read through 5xx and dropped connections with bounded backoff", async () => {
    // GIVEN two 502s and a dropped connection on reads / WHEN reading / THEN each retry waits within its backoff bracket, then succeeds
    emu = await startQlikEmulator();
    emu.inject({ method: "GET", kind: "status", status: 502, times: 2 });
    emu.inject({ method: "GET", kind: "drop", times: 1 });
    const { c, sleeps } = client();
    await c.idpStatus();
    expect(c.requests.map((r) => r.status)).toEqual([502, 502, undefined, 200]);
    expect(sleeps).toHaveLength(3);
    sleeps.forEach((ms, i) => {
      const step = Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** i);
      expect(ms).toBeGreaterThanOrEqual(step / 2);
      expect(ms).toBeLessThanOrEqual(step);
    });
  });

  it("does not repeat a create after a 5xx, so a retry can never make a duplicate", async () => {
    // GIVEN the create answered with 503
    emu = await startQlikEmulator();
    emu.inject({ method: "POST", path: "/api/v1/identity-providers", kind: "status", status: 503 });
    // WHEN
    const error = await client().c.createIdp(desired()).catch((e: unknown) => e);
    // THEN
    expect(error).toMatchObject({ status: 503, attempts: 1 });
    expect((error as Error).message).toContain("not repeated because repeating it could make a duplicate");
    expect(emu.requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("reports a network failure with what to check, without retrying a create", async () => {
    // GIVEN the connection drops on the create / WHEN creating / THEN one error says what to check, and nothing was created
    emu = await startQlikEmulator();
    emu.inject({ method: "POST", kind: "drop" });
    const error = await client().c.createIdp(desired()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QlikError);
    expect((error as Error).message).toMatch(/network error ECONNRESET reaching http:\/\/127\.0\.0\.1:\d+.*check QLIK_BASE_URL/);
    expect(emu.idps()).toHaveLength(0);
  });

  it("counts a delete of an IdP that is already gone as done", async () => {
    // GIVEN no such IdP / WHEN deleting it (as a retried delete would) / THEN it counts as absent, not as a failure
    emu = await startQlikEmulator();
    expect(await client().c.deleteIdp("nope")).toBe("absent");
  });
});

describe("executing a promote", () => {
  it("re-reads QLIK-IDP-POPTS and retries once when Qlik answers 412", async () => {
    // GIVEN a validated IdP and a plan made with a stale QLIK-IDP-POPTS value
    emu = await startQlikEmulator();
    const { c } = client();
    const d = desired();
    const created = await c.createIdp(d);
    const id = created.idp.id ?? "";
    // (as apply does after a create: the secret's hash goes into meta)
    await c.patchIdp(id, [{ op: "replace", path: "/meta", value: metaWithFingerprint({}, secretFingerprint(SECRET)) }]);
    emu.completeVerification(id);
    const live = (await c.getIdp(id)).idp;
    const plan = planActions(d, { managed: live, others: [], popts: "00000000-0000-5000-8000-000000000000" }, {
      mode: "apply",
      stack: "prod",
      tenantHostname: TENANT,
      description: "Okta",
      secretFingerprint: secretFingerprint(SECRET),
    });
    // WHEN
    await executeActions(c, plan.actions, { stack: "prod", tenantHostname: TENANT, desired: d, idpId: id });
    // THEN
    const after = emu.idps()[0] as IDPOIDC;
    expect(after.options?.clientId).toBe(d.pendingOptions?.clientId);
    // (the first PATCH is the meta write of the setup)
    expect(c.requests.filter((r) => r.method === "PATCH").map((r) => r.status)).toEqual([204, 412, 204]);
  });

  it("a promote another apply made a moment earlier counts as done, with a note (two applies right after validation)", async () => {
    // GIVEN a validated IdP, planned for promotion by this run
    emu = await startQlikEmulator();
    const { c } = client();
    const d = desired();
    const id = (await c.createIdp(d)).idp.id ?? "";
    await c.patchIdp(id, [{ op: "replace", path: "/meta", value: metaWithFingerprint({}, secretFingerprint(SECRET)) }]);
    emu.completeVerification(id);
    const fresh = await c.getIdp(id);
    const opts = { mode: "apply" as const, stack: "prod", tenantHostname: TENANT, description: "Okta", secretFingerprint: secretFingerprint(SECRET) };
    const plan = planActions(d, { managed: fresh.idp, others: [], popts: fresh.popts }, opts);
    expect(plan.actions.map((a) => a.kind)).toEqual(["promote"]);
    // AND another run promotes it first
    await c.patchIdp(id, [{ op: "promote-options" }], { poptsMatch: fresh.popts });
    // WHEN this run executes its plan
    const outcome = await executeActions(c, plan.actions, { stack: "prod", tenantHostname: TENANT, desired: d, idpId: id });
    // THEN Qlik's "nothing to promote" is read as the other run's success, not as this run's failure
    expect(outcome.records.map((r) => `${r.kind}:${r.status}`)).toEqual(["promote:done"]);
    expect(outcome.notes).toEqual([`Another apply promoted the validated configuration of IdP ${id} at the same time; nothing was left to do here`]);
  });

  it("a refused promote whose live options are not ours still fails", async () => {
    // GIVEN a validated IdP, and someone else promoted a different test configuration meanwhile
    emu = await startQlikEmulator();
    const { c } = client();
    const d = desired();
    const id = (await c.createIdp(d)).idp.id ?? "";
    emu.completeVerification(id);
    const fresh = await c.getIdp(id);
    const promoteOnly = [{ kind: "promote" as const, summary: `~ promote the validated configuration of Okta IdP ${id} to live`, id, popts: fresh.popts }];
    await c.patchIdp(id, [{ op: "replace", path: "/pendingOptions", value: { ...d.pendingOptions, realm: "other" } }]);
    emu.completeVerification(id);
    await c.patchIdp(id, [{ op: "promote-options" }], { poptsMatch: (await c.getIdp(id)).popts });
    // WHEN / THEN
    const error = await executeActions(c, promoteOnly, { stack: "prod", tenantHostname: TENANT, desired: d, idpId: id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecutionError);
    expect((error as Error).message).toMatch(/HTTP 400 Invalid state transition \(IDP-3\)/);
  });
});

describe("executing a plan", () => {
  const planOptions = { mode: "apply" as const, stack: "prod", tenantHostname: TENANT, description: "Okta", secretFingerprint: secretFingerprint(SECRET) };

  it("recreates the IdP when a field Qlik cannot patch changed", async () => {
    // GIVEN a live skip-verify IdP that creates users on login
    emu = await startQlikEmulator();
    const { c } = client();
    const before = desired({ verification: "skip" });
    await executeActions(c, planActions(before, { others: [] }, planOptions).actions, { stack: "prod", tenantHostname: TENANT });
    const oldId = String(emu.idps()[0].id);
    // WHEN createNewUsersOnLogin is turned off
    const after = desired({ verification: "skip", createNewUsersOnLogin: false });
    const plan = planActions(after, { managed: (await c.getIdp(oldId)).idp, others: [] }, planOptions);
    const outcome = await executeActions(c, plan.actions, { stack: "prod", tenantHostname: TENANT, idpId: plan.idpId });
    // THEN one IdP remains: a new one, with the new setting
    expect(plan.actions.map((a) => a.kind)).toEqual(["recreate"]);
    expect(emu.idps()).toHaveLength(1);
    expect(emu.idps()[0]).toMatchObject({ id: outcome.idpId, createNewUsersOnLogin: false });
    expect(outcome.idpId).not.toBe(oldId);
  });

  it("reports what was already done when a later step fails", async () => {
    // GIVEN every PATCH is refused (403) after the create succeeds
    emu = await startQlikEmulator();
    emu.inject({ method: "PATCH", kind: "status", status: 403, times: 10 });
    const { c } = client();
    const plan = planActions(desired({ verification: "skip" }), { others: [] }, { ...planOptions, activate: true });
    // WHEN
    const error = await executeActions(c, plan.actions, { stack: "prod", tenantHostname: TENANT }).catch((e: unknown) => e);
    // THEN the message names the failure and the IdP that now exists, and the outcome records it
    const id = String(emu.idps()[0].id);
    expect(error).toBeInstanceOf(ExecutionError);
    expect((error as Error).message).toMatch(/HTTP 403 .*\(already done: created Okta IdP [0-9a-f]+\)$/);
    expect((error as Error).message).toContain(id);
    expect((error as ExecutionError).outcome.idpId).toBe(id);
    expect((error as ExecutionError).outcome.records.map((r) => r.status)).toEqual(["failed", "not run"]);
  });
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

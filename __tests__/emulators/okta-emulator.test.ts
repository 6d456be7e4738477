/**
 * The Okta Management API emulator, exercised over real HTTP on loopback with the request shapes the okta provider
 * 4.20.0 sends (reference/okta.md §B). The emulator was also proven against the real provider binary.
 */
import { request } from "node:http";
import { OktaEmulator, OktaEmulatorOptions, startOktaEmulator } from "../../lib/emulators/okta";
import { AS_BODY, POLICY_BODY, RULE_BODY, SCOPE_BODY } from "./okta-bodies";

const TOKEN = "okta-emulator-token";

interface Reply {
  status: number;
  contentType: string | undefined;
  link: string | undefined;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

interface CallOptions {
  token?: string | null;
  body?: unknown;
  /** Request target exactly as sent on the request line (absolute-form like a forward-proxy client). */
  target?: string;
  headers?: Record<string, string>;
}

/** Every response seen by `call`, to check the Content-Type rule across the whole suite. */
const seen: { what: string; reply: Reply }[] = [];

let emu: OktaEmulator;

function call(method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
  const { port } = new URL(emu.url);
  const headers: Record<string, string> = { Accept: "application/json", ...(opts.headers ?? {}) };
  const token = opts.token === undefined ? TOKEN : opts.token;
  if (token !== null) headers.Authorization = `SSWS ${token}`;
  let payload: string | undefined;
  if (opts.body !== undefined) {
    payload = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
    headers["Content-Type"] = "application/json";
  }
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: Number(port), method, path: opts.target ?? path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const reply: Reply = { status: res.statusCode ?? 0, contentType: res.headers["content-type"], link: typeof res.headers.link === "string" ? res.headers.link : undefined, text, json: text ? (JSON.parse(text) as unknown) : undefined };
        seen.push({ what: `${method} ${path}`, reply });
        resolve(reply);
      });
    });
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

async function restart(options: OktaEmulatorOptions = {}): Promise<void> {
  await emu?.close();
  emu = await startOktaEmulator(options);
}

/** The body okta_app_oauth sends on create (okta.md §B.4, cassette TestAccResourceOktaAppOauth_groups_claim #0). */
const appBody = (over: Record<string, unknown> = {}, oauth: Record<string, unknown> = {}): Record<string, unknown> => ({
  accessibility: { selfService: false },
  credentials: {
    userNameTemplate: { template: "${source.login}", type: "BUILT_IN" },
    oauthClient: { autoKeyRotation: true, pkce_required: false, token_endpoint_auth_method: "client_secret_basic" },
  },
  label: "Qlik Cloud",
  name: "oidc_client",
  settings: {
    app: {},
    implicitAssignment: false,
    notes: { admin: null, enduser: null },
    oauthClient: {
      application_type: "web",
      consent_method: "TRUSTED",
      grant_types: ["authorization_code"],
      idp_initiated_login: { default_scope: [], mode: "DISABLED" },
      issuer_mode: "ORG_URL",
      redirect_uris: ["https://acme.eu.qlikcloud.com/login/callback"],
      response_types: ["code"],
      wildcard_redirect: "DISABLED",
      ...oauth,
    },
  },
  signOnMode: "OPENID_CONNECT",
  visibility: { autoSubmitToolbar: false, hide: { iOS: true, web: true } },
  ...over,
});

const GROUPS_CLAIM = { valueType: "GROUPS", groupFilterType: "REGEX", issuerMode: "ORG_URL", name: "groups", value: ".*" };
const CLAIM_BODY = { alwaysIncludeInToken: true, claimType: "IDENTITY", conditions: {}, group_filter_type: "REGEX", name: "groups", status: "ACTIVE", value: ".*", valueType: "GROUPS" };

async function createApp(over: Record<string, unknown> = {}): Promise<Reply> {
  const r = await call("POST", "/api/v1/apps?activate=true", { body: appBody(over) });
  expect(r.status).toBe(200);
  return r;
}

async function createAuthServer(): Promise<string> {
  const r = await call("POST", "/api/v1/authorizationServers", { body: AS_BODY });
  expect(r.status).toBe(201);
  return r.json.id as string;
}

beforeEach(async () => {
  await restart();
});

afterAll(async () => {
  await emu?.close();
});

describe("authentication", () => {
  it("answers users/me for the configured SSWS token and never records the token", async () => {
    // WHEN
    const r = await call("GET", "/api/v1/users/me");
    // THEN
    expect(r.status).toBe(200);
    expect(r.json.id).toMatch(/^00u[0-9A-Za-z]{17}$/);
    expect(r.json.status).toBe("ACTIVE");
    expect(r.json.profile.login).toEqual(expect.any(String));
    expect(JSON.stringify(emu.requests)).not.toContain(TOKEN);
    expect(emu.requests).toEqual([{ method: "GET", path: "/api/v1/users/me", query: "", status: 200 }]);
  });

  it.each([
    ["a wrong token", "not-the-token"],
    ["no token", null],
  ])("rejects %s with 401 E0000011", async (_what, token) => {
    // WHEN
    const r = await call("GET", "/api/v1/users/me", { token });
    // THEN
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ errorCode: "E0000011", errorSummary: "Invalid token provided", errorLink: "E0000011", errorCauses: [] });
    expect(r.json.errorId).toEqual(expect.any(String));
    expect(emu.unexpected).toEqual([]);
  });

  it("honours a custom apiToken", async () => {
    // GIVEN
    await restart({ apiToken: "custom-secret-token" });
    // THEN
    expect((await call("GET", "/api/v1/users/me", { token: "custom-secret-token" })).status).toBe(200);
    expect((await call("GET", "/api/v1/users/me")).status).toBe(401);
  });
});

describe("forward-proxy request targets (OKTA_HTTP_PROXY)", () => {
  it("routes absolute-form targets whose Host lacks the port, ignoring Proxy-Authorization", async () => {
    // GIVEN the okta-sdk-golang v4 shape: port dropped from both the target and Host (okta.md §C.2)
    const headers = { Host: "127.0.0.1", "Proxy-Authorization": "Basic Og==" };
    // WHEN
    const me = await call("GET", "/api/v1/users/me", { target: "http://127.0.0.1/api/v1/users/me", headers });
    const org = await call("GET", "/.well-known/okta-organization", { target: "http://127.0.0.1/.well-known/okta-organization", headers });
    // THEN
    expect(me.status).toBe(200);
    expect(org.json._links.organization.href).toBe("http://127.0.0.1");
    expect(emu.requests.map((r) => r.path)).toEqual(["/api/v1/users/me", "/.well-known/okta-organization"]);
    expect(emu.unexpected).toEqual([]);
  });

  it("keeps the query string of an absolute-form target", async () => {
    // GIVEN the v2 SDK shape: port kept
    const { host } = new URL(emu.url);
    // WHEN
    const r = await call("GET", "/api/v1/groups", { target: `http://${host}/api/v1/groups?q=Everyone`, headers: { Host: host } });
    // THEN
    expect(r.json.map((g: { profile: { name: string } }) => g.profile.name)).toEqual(["Everyone"]);
    expect(emu.requests[0]).toMatchObject({ path: "/api/v1/groups", query: "q=Everyone" });
  });
});

describe("okta_app_oauth lifecycle", () => {
  it("creates, reads, updates, deactivates and deletes an OIDC web app", async () => {
    // WHEN created with the provider's body
    const created = await createApp();
    const id = created.json.id as string;
    // THEN
    expect(id).toMatch(/^0oa[0-9A-Za-z]{17}$/);
    expect(created.json.status).toBe("ACTIVE");
    const secret = created.json.credentials.oauthClient.client_secret as string;
    expect(secret).toHaveLength(64);
    expect(created.json.credentials.oauthClient.client_id).toBe(id);
    expect(created.json.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    // WHEN read back
    const read = await call("GET", `/api/v1/apps/${id}`);
    // THEN: the objects the provider dereferences are present, the secret is not
    expect(read.status).toBe(200);
    expect(read.json.credentials.oauthClient).not.toHaveProperty("client_secret");
    expect(read.json.credentials.oauthClient).toMatchObject({ client_id: id, token_endpoint_auth_method: "client_secret_basic", autoKeyRotation: true, pkce_required: false });
    expect(read.json.settings.app).toEqual({});
    expect(read.json.visibility.hide).toEqual({ iOS: true, web: true });
    expect(read.json.settings.notes).toEqual({ admin: null, enduser: null });
    expect(read.json.settings.oauthClient).toMatchObject({
      application_type: "web",
      redirect_uris: ["https://acme.eu.qlikcloud.com/login/callback"],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      issuer_mode: "ORG_URL",
    });
    expect(read.json._links.logo[0].href).toEqual(expect.any(String));

    // WHEN updated with the state's secret, as the provider does
    const body = appBody({ label: "Qlik Cloud Prod" });
    (body.credentials as { oauthClient: Record<string, unknown> }).oauthClient.client_secret = secret;
    (body.credentials as { oauthClient: Record<string, unknown> }).oauthClient.client_id = id;
    const updated = await call("PUT", `/api/v1/apps/${id}`, { body });
    // THEN
    expect(updated.status).toBe(200);
    expect(updated.json.label).toBe("Qlik Cloud Prod");
    expect(updated.json.credentials.oauthClient.client_secret).toBe(secret);
    expect(emu.state.apps()).toEqual([expect.objectContaining({ id, label: "Qlik Cloud Prod", clientId: id, clientSecret: secret, status: "ACTIVE" })]);
    const reread = await call("GET", `/api/v1/apps/${id}`);
    expect(reread.json.label).toBe("Qlik Cloud Prod");
    expect(reread.json.credentials.oauthClient).not.toHaveProperty("client_secret");
    expect(emu.state.apps()[0].resource.credentials).toEqual(expect.objectContaining({ oauthClient: expect.not.objectContaining({ client_secret: expect.anything() }) }));

    // WHEN deleted while ACTIVE
    const refused = await call("DELETE", `/api/v1/apps/${id}`);
    // THEN
    expect(refused.status).toBe(400);
    expect(refused.json.errorCode).toBe("E0000056");

    // WHEN deactivated, then deleted
    const deactivated = await call("POST", `/api/v1/apps/${id}/lifecycle/deactivate`);
    expect(deactivated.status).toBe(200);
    expect(deactivated.json).toEqual({});
    expect(emu.state.apps()[0].status).toBe("INACTIVE");
    const deleted = await call("DELETE", `/api/v1/apps/${id}`);
    // THEN
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect(deleted.contentType).toBeUndefined();
    const gone = await call("GET", `/api/v1/apps/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.json).toMatchObject({ errorCode: "E0000007", errorSummary: `Not found: Resource not found: ${id} (AppInstance)` });
    expect(emu.state.isEmpty()).toBe(true);
    expect(emu.unexpected).toEqual([]);
  });

  it("creates an INACTIVE app with activate=false and re-activates it", async () => {
    // WHEN
    const r = await call("POST", "/api/v1/apps?activate=false", { body: appBody() });
    const activated = await call("POST", `/api/v1/apps/${r.json.id}/lifecycle/activate`);
    // THEN
    expect(r.json.status).toBe("INACTIVE");
    expect(activated.status).toBe(200);
    expect(emu.state.apps()[0].status).toBe("ACTIVE");
  });

  it("records request bodies, including the one-time client secret, for assertions", async () => {
    // WHEN
    await createApp();
    // THEN
    expect(emu.requests[0]).toMatchObject({ method: "POST", path: "/api/v1/apps", query: "activate=true", status: 200, body: appBody() });
  });
});

describe("groups claim (internal idToken route)", () => {
  it("answers without a name before a claim is set, then round-trips the claim", async () => {
    // GIVEN
    const id = (await createApp()).json.id as string;
    const path = `/api/v1/internal/apps/${id}/settings/oauth/idToken`;
    // WHEN nothing was set
    const empty = await call("GET", path);
    // THEN: the cassette's shape for "no claim"
    expect(empty.status).toBe(200);
    expect(empty.json).not.toHaveProperty("name");
    expect(empty.json).toMatchObject({ orgUrl: null, customUrl: null, audience: id, issuerMode: "ORG_URL" });

    // WHEN the provider posts its FILTER/REGEX claim
    const posted = await call("POST", path, { body: GROUPS_CLAIM });
    const read = await call("GET", path);
    // THEN
    expect(posted.status).toBe(200);
    expect(posted.json).toMatchObject(GROUPS_CLAIM);
    expect(read.json).toMatchObject({ ...GROUPS_CLAIM, audience: id });
    expect(emu.state.idTokenGroupsClaim(id)).toEqual(GROUPS_CLAIM);
  });

  it("clears the claim when the provider posts only the issuer mode", async () => {
    // GIVEN
    const id = (await createApp()).json.id as string;
    const path = `/api/v1/internal/apps/${id}/settings/oauth/idToken`;
    await call("POST", path, { body: GROUPS_CLAIM });
    // WHEN
    await call("POST", path, { body: { issuerMode: "ORG_URL" } });
    // THEN
    expect(emu.state.idTokenGroupsClaim(id)).toBeUndefined();
    expect((await call("GET", path)).json).not.toHaveProperty("name");
  });

  it("rejects a GROUPS claim without a filter type and 404s for an unknown app", async () => {
    // GIVEN
    const id = (await createApp()).json.id as string;
    // WHEN
    const bad = await call("POST", `/api/v1/internal/apps/${id}/settings/oauth/idToken`, { body: { ...GROUPS_CLAIM, groupFilterType: "REGX" } });
    const unknown = await call("GET", "/api/v1/internal/apps/0oaNOPE/settings/oauth/idToken");
    // THEN
    expect(bad.status).toBe(400);
    expect(bad.json.errorCauses).toEqual([{ errorSummary: expect.stringMatching(/^groupFilterType: /) }]);
    expect(unknown.status).toBe(404);
  });

  it("disappears, with the app's assignments, when the app is deleted", async () => {
    // GIVEN
    const id = (await createApp()).json.id as string;
    const everyone = (await call("GET", "/api/v1/groups?q=Everyone")).json[0].id as string;
    await call("POST", `/api/v1/internal/apps/${id}/settings/oauth/idToken`, { body: GROUPS_CLAIM });
    await call("PUT", `/api/v1/apps/${id}/groups/${everyone}`, { body: {} });
    // WHEN
    await call("POST", `/api/v1/apps/${id}/lifecycle/deactivate`);
    await call("DELETE", `/api/v1/apps/${id}`);
    // THEN
    expect(emu.state.idTokenGroupsClaim(id)).toBeUndefined();
    expect(emu.state.appGroupAssignments(id)).toEqual([]);
    expect(emu.state.isEmpty()).toBe(true);
  });
});

describe("groups and assignments", () => {
  it("finds Everyone by starts-with search, with and without the BUILT_IN filter", async () => {
    // GIVEN
    await restart({ groups: ["Qlik Admins", "Everyone Else"] });
    // WHEN
    const byName = await call("GET", "/api/v1/groups?q=Everyone");
    const builtIn = await call("GET", `/api/v1/groups?filter=${encodeURIComponent('type eq "BUILT_IN"')}&q=Everyone`);
    const prefix = await call("GET", "/api/v1/groups?q=qlik");
    // THEN
    expect(byName.json.map((g: { profile: { name: string } }) => g.profile.name)).toEqual(["Everyone", "Everyone Else"]);
    expect(builtIn.json).toHaveLength(1);
    expect(builtIn.json[0]).toMatchObject({ type: "BUILT_IN", profile: { name: "Everyone", description: "All users in your organization" } });
    expect(builtIn.json[0].id).toMatch(/^00g[0-9A-Za-z]{17}$/);
    expect(prefix.json.map((g: { profile: { name: string } }) => g.profile.name)).toEqual(["Qlik Admins"]);
    expect((await call("GET", `/api/v1/groups/${builtIn.json[0].id}`)).json.profile.name).toBe("Everyone");
    expect(emu.state.groups().map((g) => g.name)).toEqual(["Everyone", "Qlik Admins", "Everyone Else"]);
  });

  it("assigns an app to Everyone and removes the assignment", async () => {
    // GIVEN
    const appId = (await createApp()).json.id as string;
    const gid = (await call("GET", "/api/v1/groups?q=Everyone")).json[0].id as string;
    // WHEN
    const put = await call("PUT", `/api/v1/apps/${appId}/groups/${gid}`, { body: {} });
    const get = await call("GET", `/api/v1/apps/${appId}/groups/${gid}`);
    const list = await call("GET", `/api/v1/apps/${appId}/groups?limit=200`);
    // THEN
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ id: gid, priority: 0, profile: {} });
    expect(get.json).toMatchObject({ id: gid, priority: 0, profile: {} });
    expect(list.json.map((a: { id: string }) => a.id)).toEqual([gid]);
    expect(emu.state.appGroupAssignments(appId)).toEqual([{ groupId: gid, groupName: "Everyone", priority: 0, profile: {} }]);
    expect(emu.state.isEmpty()).toBe(false);

    // WHEN
    const del = await call("DELETE", `/api/v1/apps/${appId}/groups/${gid}`);
    // THEN
    expect(del.status).toBe(204);
    expect((await call("GET", `/api/v1/apps/${appId}/groups/${gid}`)).status).toBe(404);
  });

  it("404s an assignment to an unknown group or app", async () => {
    // GIVEN
    const appId = (await createApp()).json.id as string;
    const gid = (await call("GET", "/api/v1/groups?q=Everyone")).json[0].id as string;
    // WHEN
    const noGroup = await call("PUT", `/api/v1/apps/${appId}/groups/00gDOESNOTEXIST000000`, { body: {} });
    const noApp = await call("PUT", `/api/v1/apps/0oaDOESNOTEXIST000000/groups/${gid}`, { body: {} });
    // THEN
    expect(noGroup.status).toBe(404);
    expect(noGroup.json.errorSummary).toContain("(UserGroup)");
    expect(noApp.status).toBe(404);
    expect(noApp.json.errorSummary).toContain("(AppInstance)");
    expect(emu.state.appGroupAssignments(appId)).toEqual([]);
  });

  it("pages group assignments with limit and a Link rel=next header", async () => {
    // GIVEN
    await restart({ groups: ["A", "B"] });
    const appId = (await createApp()).json.id as string;
    for (const g of emu.state.groups()) await call("PUT", `/api/v1/apps/${appId}/groups/${g.id}`, { body: { priority: 1 } });
    // WHEN
    const first = await call("GET", `/api/v1/apps/${appId}/groups?limit=2`);
    // THEN
    expect(first.json).toHaveLength(2);
    const after = first.json[1].id as string;
    // Two Link headers, as real Okta sends them (node joins them with ", ").
    expect(first.link).toBe(`<${emu.url}/api/v1/apps/${appId}/groups?limit=2>; rel="self", <${emu.url}/api/v1/apps/${appId}/groups?limit=2&after=${after}>; rel="next"`);
    const second = await call("GET", `/api/v1/apps/${appId}/groups?limit=2&after=${after}`);
    expect(second.json.map((a: { id: string }) => a.id)).toEqual([emu.state.groups()[2].id]);
    expect(second.link).toBe(`<${emu.url}/api/v1/apps/${appId}/groups?limit=2&after=${after}>; rel="self"`);
  });
});

describe("authorization server stack", () => {
  it("creates, reads, updates and deletes a server with scope, policy, rule and claim", async () => {
    // WHEN the server is created without status, as the provider does
    const created = await call("POST", "/api/v1/authorizationServers", { body: AS_BODY });
    const asId = created.json.id as string;
    // THEN
    expect(created.status).toBe(201);
    expect(asId).toMatch(/^aus[0-9A-Za-z]{17}$/);
    expect(created.json).toMatchObject({ status: "ACTIVE", issuer: `${emu.url}/oauth2/${asId}`, issuerMode: "ORG_URL", audiences: ["qlik.api"] });
    expect(created.json.credentials.signing).toMatchObject({ rotationMode: "AUTO", kid: expect.any(String) });

    // WHEN scope, policy, rule and claim are created
    const base = `/api/v1/authorizationServers/${asId}`;
    const scope = await call("POST", `${base}/scopes`, { body: SCOPE_BODY });
    const policy = await call("POST", `${base}/policies`, { body: POLICY_BODY });
    const policyId = policy.json.id as string;
    const rule = await call("POST", `${base}/policies/${policyId}/rules`, { body: RULE_BODY });
    const claim = await call("POST", `${base}/claims`, { body: CLAIM_BODY });
    // THEN
    expect([scope.status, policy.status, rule.status, claim.status]).toEqual([201, 201, 201, 201]);
    expect(scope.json.id).toMatch(/^scp/);
    expect(scope.json).toMatchObject({ ...SCOPE_BODY, system: false });
    expect(policyId).toMatch(/^00p/);
    expect(policy.json).toMatchObject({ priority: 1, status: "ACTIVE", conditions: { clients: { include: ["ALL_CLIENTS"] } } });
    expect(rule.json.id).toMatch(/^0pr/);
    expect(rule.json.conditions.people.users).toEqual({});
    expect(rule.json.actions.token).toEqual(RULE_BODY.actions.token);
    expect(claim.json.id).toMatch(/^ocl/);
    expect(claim.json).toMatchObject({ group_filter_type: "REGEX", claimType: "IDENTITY", valueType: "GROUPS", conditions: {} });
    expect(emu.state.scopes(asId).filter((s) => !s.system)).toEqual([expect.objectContaining({ name: "qlik.api.access", consent: "IMPLICIT", default: true, metadataPublish: "NO_CLIENTS" })]);
    expect(emu.state.policies(asId)).toEqual([expect.objectContaining({ id: policyId, priority: 1, clients: ["ALL_CLIENTS"] })]);
    expect(emu.state.rules(asId, policyId)).toEqual([expect.objectContaining({ grantTypes: ["client_credentials"], groups: ["EVERYONE"], scopes: ["*"], priority: 1 })]);
    expect(emu.state.claims(asId).filter((c) => !c.system)).toEqual([expect.objectContaining({ name: "groups", claimType: "IDENTITY", groupFilterType: "REGEX" })]);

    // WHEN each is updated
    const upServer = await call("PUT", base, { body: { ...AS_BODY, description: "changed" } });
    const upScope = await call("PUT", `${base}/scopes/${scope.json.id}`, { body: { ...SCOPE_BODY, default: false } });
    const upPolicy = await call("PUT", `${base}/policies/${policyId}`, { body: { ...POLICY_BODY, description: "changed" } });
    const upRule = await call("PUT", `${base}/policies/${policyId}/rules/${rule.json.id}`, { body: { ...RULE_BODY, name: "renamed" } });
    const upClaim = await call("PUT", `${base}/claims/${claim.json.id}`, { body: { ...CLAIM_BODY, value: "^qlik" } });
    // THEN
    expect([upServer.json.description, upScope.json.default, upPolicy.json.description, upRule.json.name, upClaim.json.value]).toEqual(["changed", false, "changed", "renamed", "^qlik"]);
    expect(upServer.json.status).toBe("ACTIVE");

    // WHEN deleted in the provider's order
    const deletes = [
      await call("DELETE", `${base}/policies/${policyId}/rules/${rule.json.id}`),
      await call("DELETE", `${base}/claims/${claim.json.id}`),
      await call("DELETE", `${base}/scopes/${scope.json.id}`),
      await call("DELETE", `${base}/policies/${policyId}`),
    ];
    // THEN
    expect(deletes.map((d) => d.status)).toEqual([204, 204, 204, 204]);
    expect((await call("GET", `${base}/policies/${policyId}/rules/${rule.json.id}`)).status).toBe(404);
    expect((await call("GET", `${base}/claims/${claim.json.id}`)).status).toBe(404);
    expect((await call("GET", `${base}/scopes/${scope.json.id}`)).status).toBe(404);
    const goneP = await call("GET", `${base}/policies/${policyId}`);
    expect(goneP.status).toBe(404);
    expect(goneP.json.errorSummary).toBe(`Not found: Resource not found: ${policyId} (Policy)`);

    // WHEN the server is deleted while ACTIVE, then after deactivation
    expect((await call("DELETE", base)).status).toBe(400);
    const deactivated = await call("POST", `${base}/lifecycle/deactivate`);
    expect(deactivated.status).toBe(204);
    expect(emu.state.authServers()[0].status).toBe("INACTIVE");
    expect((await call("DELETE", base)).status).toBe(204);
    // THEN
    const gone = await call("GET", base);
    expect(gone.status).toBe(404);
    expect(gone.json.errorSummary).toBe(`Not found: Resource not found: ${asId} (AuthorizationServer)`);
    expect(emu.state.isEmpty()).toBe(true);
    expect(emu.unexpected).toEqual([]);
  });

  it("clamps a policy priority beyond the end, like Okta (okta.md G5)", async () => {
    // GIVEN
    const asId = await createAuthServer();
    // WHEN
    const p = await call("POST", `/api/v1/authorizationServers/${asId}/policies`, { body: { ...POLICY_BODY, priority: 100 } });
    // THEN
    expect(p.json.priority).toBe(1);
  });

  it("reorders policies when one is inserted at priority 1", async () => {
    // GIVEN
    const asId = await createAuthServer();
    const first = await call("POST", `/api/v1/authorizationServers/${asId}/policies`, { body: { ...POLICY_BODY, name: "first" } });
    // WHEN
    await call("POST", `/api/v1/authorizationServers/${asId}/policies`, { body: { ...POLICY_BODY, name: "second" } });
    // THEN
    expect(emu.state.policies(asId).map((p) => [p.name, p.priority])).toEqual([["second", 1], ["first", 2]]);
    expect((await call("GET", `/api/v1/authorizationServers/${asId}/policies/${first.json.id}`)).json.priority).toBe(2);
  });

  it("serves discovery documents for the org and for active custom servers only", async () => {
    // GIVEN
    const asId = await createAuthServer();
    await call("POST", `/api/v1/authorizationServers/${asId}/scopes`, { body: { ...SCOPE_BODY, name: "published", metadataPublish: "ALL_CLIENTS" } });
    await call("POST", `/api/v1/authorizationServers/${asId}/scopes`, { body: SCOPE_BODY });
    const { host } = new URL(emu.url);
    // WHEN
    const org = await call("GET", "/.well-known/openid-configuration", { token: null, headers: { Host: "acme.okta.test:8443" } });
    const custom = await call("GET", `/oauth2/${asId}/.well-known/openid-configuration`, { token: null });
    // THEN
    expect(org.json).toMatchObject({
      issuer: "http://acme.okta.test:8443",
      authorization_endpoint: "http://acme.okta.test:8443/oauth2/v1/authorize",
      token_endpoint: "http://acme.okta.test:8443/oauth2/v1/token",
      jwks_uri: "http://acme.okta.test:8443/oauth2/v1/keys",
      userinfo_endpoint: "http://acme.okta.test:8443/oauth2/v1/userinfo",
      end_session_endpoint: "http://acme.okta.test:8443/oauth2/v1/logout",
    });
    expect(org.json.scopes_supported).toEqual(expect.arrayContaining(["openid", "profile", "email", "groups"]));
    expect(custom.json.issuer).toBe(`http://${host}/oauth2/${asId}`);
    expect(custom.json.token_endpoint).toBe(`http://${host}/oauth2/${asId}/v1/token`);
    expect(custom.json.scopes_supported).toContain("published");
    expect(custom.json.scopes_supported).not.toContain("qlik.api.access");

    // WHEN the server is deactivated, or never existed
    await call("POST", `/api/v1/authorizationServers/${asId}/lifecycle/deactivate`);
    // THEN
    expect((await call("GET", `/oauth2/${asId}/.well-known/openid-configuration`, { token: null })).status).toBe(404);
    expect((await call("GET", "/oauth2/ausNOPE/.well-known/openid-configuration", { token: null })).status).toBe(404);
    expect(emu.unexpected).toEqual([]);
  });

  it("deleting a server removes its scopes, policies and claims", async () => {
    // GIVEN
    const asId = await createAuthServer();
    const base = `/api/v1/authorizationServers/${asId}`;
    await call("POST", `${base}/scopes`, { body: SCOPE_BODY });
    const p = await call("POST", `${base}/policies`, { body: POLICY_BODY });
    await call("POST", `${base}/policies/${p.json.id}/rules`, { body: RULE_BODY });
    // WHEN
    await call("POST", `${base}/lifecycle/deactivate`);
    await call("DELETE", base);
    // THEN
    expect(emu.state.scopes(asId)).toEqual([]);
    expect(emu.state.policies(asId)).toEqual([]);
    expect(emu.state.rules(asId, p.json.id as string)).toEqual([]);
    expect((await call("GET", `${base}/scopes`)).status).toBe(404);
  });
});

describe("validation like the real API", () => {
  const oauth = (o: Record<string, unknown>) => appBody({}, o);
  const appCases: [string, Record<string, unknown>, string][] = [
    ["no label", appBody({ label: undefined }), "label"],
    ["a non-OIDC app name", appBody({ name: "bookmark" }), "name"],
    ["a wrong signOnMode", appBody({ signOnMode: "SAML_2_0" }), "signOnMode"],
    ["a relative redirect URI", oauth({ redirect_uris: ["/login/callback"] }), "settings.oauthClient.redirect_uris"],
    ["an unknown grant type", oauth({ grant_types: ["authorization_code", "magic"] }), "settings.oauthClient.grant_types"],
    ["an unknown response type", oauth({ response_types: ["code", "cookie"] }), "settings.oauthClient.response_types"],
    ["authorization_code without redirect URIs", oauth({ redirect_uris: undefined }), "settings.oauthClient.redirect_uris"],
    ["an unknown application type", oauth({ application_type: "desktop" }), "settings.oauthClient.application_type"],
  ];

  it.each(appCases)("rejects an app with %s", async (_what, body, field) => {
    // WHEN
    const r = await call("POST", "/api/v1/apps?activate=true", { body });
    // THEN
    expect(r.status).toBe(400);
    expect(r.json.errorCode).toBe("E0000001");
    expect(r.json.errorSummary).toBe(`Api validation failed: ${field}`);
    expect(r.json.errorCauses).toContainEqual({ errorSummary: expect.stringMatching(new RegExp(`^${field.replace(/\./g, "\\.")}: `)) });
    expect(emu.state.apps()).toEqual([]);
    expect(emu.unexpected).toHaveLength(1);
  });

  it("rejects an app update that would break it, keeping the stored app", async () => {
    // GIVEN
    const id = (await createApp()).json.id as string;
    // WHEN
    const r = await call("PUT", `/api/v1/apps/${id}`, { body: appBody({ label: "" }) });
    // THEN
    expect(r.status).toBe(400);
    expect(emu.state.apps()[0].label).toBe("Qlik Cloud");
  });

  it.each([
    ["no name", { ...AS_BODY, name: undefined }, "name"],
    ["no audiences", { ...AS_BODY, audiences: [] }, "audiences"],
  ])("rejects an authorization server with %s", async (_what, body, field) => {
    // WHEN
    const r = await call("POST", "/api/v1/authorizationServers", { body });
    // THEN
    expect(r.status).toBe(400);
    expect(r.json.errorCauses[0].errorSummary).toMatch(new RegExp(`^${field}: `));
    expect(emu.state.authServers()).toEqual([]);
  });

  it("rejects a scope without a name and a duplicate scope name in the same server", async () => {
    // GIVEN
    const asId = await createAuthServer();
    const other = await createAuthServer();
    await call("POST", `/api/v1/authorizationServers/${asId}/scopes`, { body: SCOPE_BODY });
    // WHEN
    const noName = await call("POST", `/api/v1/authorizationServers/${asId}/scopes`, { body: { ...SCOPE_BODY, name: "" } });
    const dup = await call("POST", `/api/v1/authorizationServers/${asId}/scopes`, { body: SCOPE_BODY });
    const builtIn = await call("POST", `/api/v1/authorizationServers/${asId}/scopes`, { body: { ...SCOPE_BODY, name: "openid" } });
    const elsewhere = await call("POST", `/api/v1/authorizationServers/${other}/scopes`, { body: SCOPE_BODY });
    // THEN
    expect(noName.status).toBe(400);
    expect(noName.json.errorCauses[0].errorSummary).toMatch(/^name: /);
    expect(dup.status).toBe(400);
    expect(dup.json.errorCauses[0].errorSummary).toMatch(/^name: A scope with the name 'qlik.api.access' already exists/);
    expect(builtIn.status).toBe(400);
    expect(elsewhere.status).toBe(201);
  });

  it.each([
    ["no name", { ...POLICY_BODY, name: "" }, "name"],
    ["no description", { ...POLICY_BODY, description: undefined }, "description"],
    ["no clients", { ...POLICY_BODY, conditions: { clients: { include: [] } } }, "conditions.clients.include"],
    ["an unknown client", { ...POLICY_BODY, conditions: { clients: { include: ["0oaUNKNOWN"] } } }, "conditions.clients.include"],
    ["priority 0", { ...POLICY_BODY, priority: 0 }, "priority"],
  ])("rejects a policy with %s", async (_what, body, field) => {
    // GIVEN
    const asId = await createAuthServer();
    // WHEN
    const r = await call("POST", `/api/v1/authorizationServers/${asId}/policies`, { body });
    // THEN
    expect(r.status).toBe(400);
    expect(r.json.errorCauses.map((c: { errorSummary: string }) => c.errorSummary.split(": ")[0])).toContain(field);
    expect(emu.state.policies(asId)).toEqual([]);
  });

  it.each([
    ["no name", { ...RULE_BODY, name: undefined }, "name"],
    ["no grant types", { ...RULE_BODY, conditions: { ...RULE_BODY.conditions, grantTypes: { include: [] } } }, "conditions.grantTypes.include"],
    ["no people", { ...RULE_BODY, conditions: { ...RULE_BODY.conditions, people: undefined } }, "conditions.people"],
    ["an unknown group", { ...RULE_BODY, conditions: { ...RULE_BODY.conditions, people: { groups: { include: ["00gNOPE"] }, users: {} } } }, "conditions.people.groups.include"],
    ["a too long token lifetime", { ...RULE_BODY, actions: { token: { accessTokenLifetimeMinutes: 5000 } } }, "actions.token.accessTokenLifetimeMinutes"],
  ])("rejects a rule with %s", async (_what, body, field) => {
    // GIVEN
    const asId = await createAuthServer();
    const policyId = (await call("POST", `/api/v1/authorizationServers/${asId}/policies`, { body: POLICY_BODY })).json.id as string;
    // WHEN
    const r = await call("POST", `/api/v1/authorizationServers/${asId}/policies/${policyId}/rules`, { body });
    // THEN
    expect(r.status).toBe(400);
    expect(r.json.errorCode).toBe("E0000001");
    expect(r.json.errorCauses.map((c: { errorSummary: string }) => c.errorSummary.split(": ")[0])).toContain(field);
    expect(emu.state.rules(asId, policyId)).toEqual([]);
  });

  it("rejects a body that is not JSON with E0000003 and records it as unexpected", async () => {
    // WHEN
    const r = await call("POST", "/api/v1/apps?activate=true", { body: "{not json" });
    // THEN
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ errorCode: "E0000003", errorSummary: "The request body was not well-formed." });
    expect(emu.unexpected).toEqual([{ method: "POST", path: "/api/v1/apps", query: "activate=true", status: 400, body: "{not json" }]);
  });
});

describe("org without API Access Management", () => {
  it("answers authorization-server routes with E0000015 (HTTP 401, as recorded from real Okta) and still serves apps", async () => {
    // GIVEN
    await restart({ apiAccessManagement: false });
    // WHEN
    const create = await call("POST", "/api/v1/authorizationServers", { body: AS_BODY });
    const list = await call("GET", "/api/v1/authorizationServers");
    // THEN
    for (const r of [create, list]) {
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ errorCode: "E0000015", errorSummary: "You do not have permission to access the feature you are requesting" });
    }
    expect(emu.state.authServers()).toEqual([]);
    await createApp();
    expect(emu.unexpected).toEqual([]);
  });
});

describe("OIE org", () => {
  it("reports pipeline idx and serves the default access policy calls", async () => {
    // GIVEN
    await restart({ orgType: "oie" });
    const appId = (await createApp()).json.id as string;
    // WHEN
    const org = await call("GET", "/.well-known/okta-organization");
    const policies = await call("GET", "/api/v1/policies?type=ACCESS_POLICY");
    const system = (policies.json as { id: string; system: boolean }[]).filter((p) => p.system);
    const put = await call("PUT", `/api/v1/apps/${appId}/policies/${system[0].id}`);
    const app = await call("GET", `/api/v1/apps/${appId}`);
    // THEN
    expect(org.json.pipeline).toBe("idx");
    expect(system).toHaveLength(1);
    expect(put.status).toBe(204);
    expect(app.json._links.accessPolicy.href).toMatch(new RegExp(`/api/v1/policies/${system[0].id}$`));
    expect(emu.state.apps()[0].accessPolicyId).toBe(system[0].id);
    expect(emu.unexpected).toEqual([]);
  });

  it("is classic by default, where the OIE policy routes do not exist", async () => {
    // WHEN
    const org = await call("GET", "/.well-known/okta-organization");
    const policies = await call("GET", "/api/v1/policies?type=ACCESS_POLICY");
    // THEN
    expect(org.json.pipeline).toBe("v1");
    expect(policies.status).toBe(404);
    expect(emu.unexpected).toHaveLength(1);
  });
});

describe("requests the emulator does not model", () => {
  it("records an unknown route and a wrong method in unexpected", async () => {
    // WHEN
    const unknown = await call("GET", "/api/v1/apps/0oa1/credentials/jwks");
    const wrongMethod = await call("PATCH", "/api/v1/users/me");
    // THEN
    expect(unknown.status).toBe(404);
    expect(unknown.json.errorCode).toBe("E0000007");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.json.errorCode).toBe("E0000022");
    expect(emu.unexpected.map((r) => [r.method, r.path, r.status])).toEqual([
      ["GET", "/api/v1/apps/0oa1/credentials/jwks", 404],
      ["PATCH", "/api/v1/users/me", 405],
    ]);
    expect(emu.requests).toHaveLength(2);
  });

  it("does not count ordinary API answers (401, 404 on a deleted object) as unexpected", async () => {
    // WHEN
    await call("GET", "/api/v1/users/me", { token: "wrong" });
    await call("GET", "/api/v1/apps/0oaGONE");
    // THEN
    expect(emu.unexpected).toEqual([]);
  });
});

describe("state snapshots", () => {
  it("returns copies that assertions cannot use to change the emulator", async () => {
    // GIVEN
    await createApp();
    // WHEN
    const snapshot = emu.state.apps()[0];
    (snapshot.resource as Record<string, unknown>).label = "tampered";
    // THEN
    expect(emu.state.apps()[0].label).toBe("Qlik Cloud");
    expect((await call("GET", `/api/v1/apps/${snapshot.id}`)).json.label).toBe("Qlik Cloud");
  });

  it("rejects invalid options", async () => {
    await expect(startOktaEmulator({ groups: ["Everyone"] })).rejects.toThrow(/Everyone/);
    await expect(startOktaEmulator({ apiToken: "" })).rejects.toThrow(/apiToken/);
  });
});

describe("org authorization server token endpoint (POST /oauth2/v1/token)", () => {
  interface TokenCall {
    /** Form parameters, form-encoded; a string is sent as is. */
    form?: Record<string, string> | string;
    /** Defaults to application/x-www-form-urlencoded; null sends none. */
    contentType?: string | null;
    basic?: { id: string; secret: string };
    authorization?: string;
    method?: string;
  }

  const enc = (v: string): string => new URLSearchParams([["", v]]).toString().slice(1);

  /** A token request like an OAuth client sends it (not through `call`, which sends JSON and an SSWS token). */
  function token(opts: TokenCall): Promise<Reply> {
    const { port } = new URL(emu.url);
    const headers: Record<string, string> = { Accept: "application/json" };
    const contentType = opts.contentType === undefined ? "application/x-www-form-urlencoded" : opts.contentType;
    if (contentType !== null) headers["Content-Type"] = contentType;
    if (opts.basic) headers.Authorization = `Basic ${Buffer.from(`${enc(opts.basic.id)}:${enc(opts.basic.secret)}`).toString("base64")}`;
    if (opts.authorization) headers.Authorization = opts.authorization;
    const payload = typeof opts.form === "string" ? opts.form : new URLSearchParams(opts.form ?? {}).toString();
    return new Promise((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port: Number(port), method: opts.method ?? "POST", path: "/oauth2/v1/token", headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const reply: Reply = { status: res.statusCode ?? 0, contentType: res.headers["content-type"], link: undefined, text, json: text ? (JSON.parse(text) as unknown) : undefined };
          seen.push({ what: `${opts.method ?? "POST"} /oauth2/v1/token`, reply });
          resolve(reply);
        });
      });
      req.on("error", reject);
      req.end(payload);
    });
  }

  const CODE_GRANT = { grant_type: "authorization_code", code: "not-a-code", redirect_uri: "https://acme.eu.qlikcloud.com/login/callback" };

  async function webApp(over: Record<string, unknown> = {}): Promise<{ id: string; secret: string; appId: string }> {
    const r = await createApp(over);
    return { id: r.json.credentials.oauthClient.client_id as string, secret: r.json.credentials.oauthClient.client_secret as string, appId: r.json.id as string };
  }

  it("authenticates the app's secret by HTTP Basic and by post, then answers the bogus code with invalid_grant", async () => {
    // GIVEN
    const app = await webApp();
    // WHEN
    const basic = await token({ form: CODE_GRANT, basic: { id: app.id, secret: app.secret } });
    const post = await token({ form: { ...CODE_GRANT, client_id: app.id, client_secret: app.secret } });
    // THEN
    for (const r of [basic, post]) {
      expect(r.status).toBe(400);
      expect(r.json).toEqual({ error: "invalid_grant", error_description: "The authorization code is invalid or has expired." });
    }
    expect(emu.unexpected).toEqual([]);
    // The secret (and the code) are recorded redacted; headers never are.
    expect(JSON.stringify(emu.requests)).not.toContain(app.secret);
    expect(emu.requests.at(-1)).toMatchObject({ method: "POST", path: "/oauth2/v1/token", status: 400, body: { grant_type: "authorization_code", client_id: app.id, client_secret: "(redacted)", code: "(redacted)" } });
  });

  it("answers a wrong secret with 401 invalid_client, whichever way it is sent", async () => {
    // GIVEN
    const app = await webApp();
    // WHEN
    const basic = await token({ form: CODE_GRANT, basic: { id: app.id, secret: `${app.secret}x` } });
    const post = await token({ form: { ...CODE_GRANT, client_id: app.id, client_secret: "wrong" } });
    const none = await token({ form: { ...CODE_GRANT, client_id: app.id } });
    // THEN
    for (const r of [basic, post]) {
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ error: "invalid_client", error_description: "The client secret supplied for a confidential client is invalid." });
    }
    expect(none.status).toBe(401);
    expect(none.json.error).toBe("invalid_client");
    expect(emu.unexpected).toEqual([]);
  });

  it("answers an unknown or inactive client id with 401 in Okta's errorCode shape", async () => {
    // GIVEN
    const app = await webApp();
    await call("POST", `/api/v1/apps/${app.appId}/lifecycle/deactivate`);
    // WHEN
    const inactive = await token({ form: CODE_GRANT, basic: { id: app.id, secret: app.secret } });
    const unknown = await token({ form: CODE_GRANT, basic: { id: "0oaUNKNOWN", secret: app.secret } });
    // THEN
    for (const r of [inactive, unknown]) {
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ errorCode: "invalid_client", errorSummary: "Invalid value for 'client_id' parameter.", errorLink: "invalid_client", errorCauses: [] });
    }
    expect(emu.unexpected).toEqual([]);
  });

  it("refuses a secret for an app that does not authenticate with client_secret_basic/post", async () => {
    // GIVEN an app set to client_secret_jwt (it has a secret, but signs JWTs with it instead of sending it)
    const r = await createApp({
      credentials: { oauthClient: { autoKeyRotation: true, pkce_required: false, token_endpoint_auth_method: "client_secret_jwt" } },
    });
    const id = r.json.credentials.oauthClient.client_id as string;
    const secret = r.json.credentials.oauthClient.client_secret as string;
    // WHEN
    const reply = await token({ form: CODE_GRANT, basic: { id, secret } });
    // THEN
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({ error: "invalid_client", error_description: "Client authentication failed. Either the client or the client credentials are invalid." });
  });

  it("answers a grant the app is not configured for with unauthorized_client naming its grant types", async () => {
    // GIVEN
    const web = await webApp();
    const both = await webApp({
      settings: { ...(appBody().settings as Record<string, unknown>), oauthClient: { ...((appBody().settings as Record<string, Record<string, unknown>>).oauthClient), grant_types: ["authorization_code", "refresh_token"] } },
    });
    // WHEN
    const r1 = await token({ form: { grant_type: "client_credentials", scope: "okta.apps.read" }, basic: { id: web.id, secret: web.secret } });
    const r2 = await token({ form: { grant_type: "password", username: "u", password: "p", scope: "openid" }, basic: { id: both.id, secret: both.secret } });
    const wrongSecret = await token({ form: { grant_type: "client_credentials" }, basic: { id: web.id, secret: "wrong" } });
    // THEN
    expect(r1.status).toBe(400);
    expect(r1.json).toEqual({ error: "unauthorized_client", error_description: "The client is not authorized to use the provided grant type. Configured grant types: [authorization_code]." });
    expect(r2.json.error_description).toBe("The client is not authorized to use the provided grant type. Configured grant types: [authorization_code, refresh_token].");
    // The client is authenticated before the grant is looked at.
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.json.error).toBe("invalid_client");
    expect(emu.unexpected).toEqual([]);
  });

  it("rejects requests the real endpoint refuses as malformed, and records them as unexpected", async () => {
    // GIVEN
    const app = await webApp();
    const basic = { id: app.id, secret: app.secret };
    // WHEN
    const json = await token({ form: JSON.stringify(CODE_GRANT), contentType: "application/json", basic });
    const noType = await token({ form: CODE_GRANT, contentType: null, basic });
    const both = await token({ form: { ...CODE_GRANT, client_id: app.id, client_secret: app.secret }, basic });
    const noGrant = await token({ form: { code: "x" }, basic });
    const repeated = await token({ form: "grant_type=authorization_code&grant_type=password", basic });
    const unsupported = await token({ form: { grant_type: "implicit" }, basic });
    const invented = await token({ form: { grant_type: "magic" }, basic });
    const malformed = await token({ form: CODE_GRANT, authorization: "Basic !!!" });
    const noColon = await token({ form: CODE_GRANT, authorization: `Basic ${Buffer.from(app.id).toString("base64")}` });
    const noCode = await token({ form: { grant_type: "authorization_code", redirect_uri: "https://x.example/cb" }, basic });
    // THEN
    for (const r of [json, noType, noGrant, repeated, noCode]) {
      expect(r.status).toBe(400);
      expect(r.json.error).toBe("invalid_request");
    }
    expect(both.status).toBe(401);
    expect(both.json).toEqual({
      error: "invalid_request",
      error_description:
        "Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.",
    });
    for (const r of [unsupported, invented]) {
      expect(r.status).toBe(400);
      expect(r.json.error).toBe("unsupported_grant_type");
    }
    for (const r of [malformed, noColon]) {
      expect(r.status).toBe(401);
      expect(r.json.error).toBe("invalid_request");
    }
    expect(emu.unexpected).toHaveLength(10);
    expect(JSON.stringify(emu.requests)).not.toContain(app.secret);
  });

  it("serves POST only, and needs no SSWS token", async () => {
    // WHEN
    const get = await token({ method: "GET" });
    const noAuth = await token({ form: CODE_GRANT });
    // THEN
    expect(get.status).toBe(405);
    expect(noAuth.status).toBe(401);
    expect(noAuth.json).toEqual({ error: "invalid_client", error_description: "No client credentials found." });
  });
});

// Runs last: every response with a body, across all tests above, was JSON with the JSON content type.
describe("content type", () => {
  it("labels every non-empty response application/json and sends none for empty ones", () => {
    expect(seen.length).toBeGreaterThan(100);
    const wrong = seen.filter(({ reply }) => (reply.text === "" ? reply.contentType !== undefined : reply.contentType !== "application/json"));
    expect(wrong.map((w) => `${w.what} -> ${w.reply.status} ${String(w.reply.contentType)}`)).toEqual([]);
  });
});

/**
 * The Qlik Cloud API emulator, exercised over real HTTP on loopback.
 */
import { QLIK_EMULATOR_ERROR_CODES as CODES, QlikEmulator, QlikEmulatorOptions, startQlikEmulator } from "../../lib/emulators/qlik";

const KEY = "qlik-emulator-key";
const SECRET = "okta-client-secret-CANARY-7f3a";
const DISCOVERY = "https://acme.okta.com/oauth2/default/.well-known/openid-configuration";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const IDPS = "/api/v1/identity-providers";

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

interface CallOptions {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  redirect?: "follow" | "manual";
}

let emu: QlikEmulator;

async function call(method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  const token = opts.token === undefined ? KEY : opts.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  Object.assign(headers, opts.headers ?? {});
  const init: RequestInit = { method, headers, redirect: opts.redirect ?? "follow" };
  if (opts.body !== undefined) init.body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
  const res = await fetch(path.startsWith("http") ? path : `${emu.url}${path}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? (JSON.parse(text) as unknown) : undefined };
}

const pendingOptions = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  discoveryUrl: DISCOVERY,
  clientId: "0oa-qlik-client",
  clientSecret: SECRET,
  realm: "okta",
  scope: "openid profile email groups",
  useClaimsFromIdToken: true,
  blockOfflineAccessScope: true,
  claimsMapping: { sub: ["sub"], name: ["name"], email: ["email"], email_verified: ["email_verified"], groups: ["groups"] },
  ...over,
});

const pendingBody = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  protocol: "OIDC",
  provider: "okta",
  interactive: true,
  description: "Okta (managed by qlik-okta)",
  postLogoutRedirectUri: "https://acme.eu.qlikcloud.com/",
  pendingOptions: pendingOptions(),
  ...over,
});

const skipBody = (over: Record<string, unknown> = {}): Record<string, unknown> => {
  const b: Record<string, unknown> = { ...pendingBody(), skipVerify: true, options: pendingOptions(), ...over };
  delete b.pendingOptions;
  return b;
};

async function create(body: Record<string, unknown>): Promise<Reply> {
  const r = await call("POST", IDPS, { body });
  expect(r.status).toBe(201);
  return r;
}

async function start(options?: QlikEmulatorOptions): Promise<void> {
  emu = await startQlikEmulator(options);
}

afterEach(async () => {
  await emu?.close();
});

describe("authentication", () => {
  beforeEach(() => start({ apiKeys: [{ key: KEY }, { key: "plain-user-key", tenantAdmin: false }] }));

  it("answers 401 with the Qlik body when the Authorization header is missing or unknown", async () => {
    for (const token of [null, "nope"]) {
      const r = await call("GET", IDPS, { token });
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ errors: [{ code: "HTTP-401", title: "Unauthorized", status: 401 }] });
    }
    expect((await call("GET", "/api/v1/tenants/me", { token: null, redirect: "manual" })).status).toBe(401);
  });

  it("gives a non-TenantAdmin 403 on identity-provider routes but lets it read itself and the tenant", async () => {
    for (const [method, path, body] of [
      ["GET", IDPS],
      ["GET", `${IDPS}/status`],
      ["POST", IDPS, pendingBody()],
    ] as const) {
      const r = await call(method, path, { token: "plain-user-key", body });
      expect(r.status).toBe(403);
      expect(r.json.errors[0].code).toBe(CODES.forbidden);
    }
    const me = await call("GET", "/api/v1/users/me", { token: "plain-user-key" });
    expect(me.status).toBe(200);
    expect(me.json.roles).toEqual([]);
    expect((await call("GET", "/api/v1/tenants/me", { token: "plain-user-key" })).status).toBe(200);
    expect(emu.idps()).toHaveLength(0);
  });

  it("describes the admin at /users/me with the TenantAdmin role", async () => {
    const me = await call("GET", "/api/v1/users/me");
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ tenantId: emu.tenantId, status: "active", roles: ["TenantAdmin"] });
    expect(typeof me.json.id).toBe("string");
    expect(typeof me.json.subject).toBe("string");
  });
});

describe("OAuth machine-to-machine", () => {
  const client = { clientId: "m2m-client", clientSecret: "m2m-secret" };
  beforeEach(() => start({ oauthClients: [client], tokenTtlSeconds: 3600 }));

  const token = (over: Record<string, unknown> = {}): Promise<Reply> =>
    call("POST", "/oauth/token", {
      token: null,
      body: { client_id: client.clientId, client_secret: client.clientSecret, grant_type: "client_credentials", scope: "admin_classic", ...over },
    });

  it("issues a bearer token that works on identity-provider routes with scope admin_classic", async () => {
    const t = await token();
    expect(t.status).toBe(200);
    expect(t.json).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect((await call("GET", IDPS, { token: t.json.access_token })).status).toBe(200);
  });

  it("refuses a wrong secret (401), another grant type (400), and IdP access without admin_classic (403)", async () => {
    const bad = await token({ client_secret: "wrong" });
    expect(bad.status).toBe(401);
    expect(Array.isArray(bad.json.errors)).toBe(true);
    expect((await token({ grant_type: "password" })).status).toBe(400);
    const userDefault = await token({ scope: "user_default" });
    expect(userDefault.status).toBe(200);
    const r = await call("GET", IDPS, { token: userDefault.json.access_token });
    expect(r.status).toBe(403);
    expect(r.json.errors[0].detail).toMatch(/admin_classic/);
  });

  it("expireTokens() makes issued tokens fail with 401 until a new one is fetched", async () => {
    const t1 = (await token()).json.access_token as string;
    expect((await call("GET", IDPS, { token: t1 })).status).toBe(200);
    emu.expireTokens();
    expect((await call("GET", IDPS, { token: t1 })).status).toBe(401);
    const t2 = (await token()).json.access_token as string;
    expect(t2).not.toBe(t1);
    expect((await call("GET", IDPS, { token: t2 })).status).toBe(200);
  });

  it("does not count token requests as writes", async () => {
    await token();
    expect(emu.writes()).toHaveLength(0);
    expect(emu.requests).toHaveLength(1);
  });
});

describe("tenants", () => {
  beforeEach(() => start({ tenantHostname: "acme.eu.qlikcloud.com", aliases: ["analytics.acme.com"] }));

  it("redirects /tenants/me with 302 to a relative Location, and the tenant lists canonical hostname then aliases", async () => {
    const r = await call("GET", "/api/v1/tenants/me", { redirect: "manual" });
    expect(r.status).toBe(302);
    expect(r.headers.get("location")).toBe(`/api/v1/tenants/${emu.tenantId}`);

    const followed = await call("GET", "/api/v1/tenants/me");
    expect(followed.status).toBe(200);
    expect(followed.json).toMatchObject({
      id: emu.tenantId,
      hostnames: ["acme.eu.qlikcloud.com", "analytics.acme.com"],
      region: "eu",
      datacenter: "eu-west-1",
      status: "active",
      links: { self: { href: `${emu.url}/api/v1/tenants/${emu.tenantId}` } },
    });
    expect(typeof followed.json.created).toBe("string");
  });

  it("answers 404 in the Tenants error format for another tenant id", async () => {
    const r = await call("GET", "/api/v1/tenants/someone-else");
    expect(r.status).toBe(404);
    expect(r.json.errors[0]).toEqual({ code: "TENANTS-8", title: "Not found", status: "404" });
    expect(typeof r.json.traceId).toBe("string");
  });
});

describe("listing identity providers", () => {
  it("pages with limit and opaque next/prev cursors given as absolute links", async () => {
    await start();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create(pendingBody({ description: `idp ${i}` }))).json.id);

    const p1 = await call("GET", `${IDPS}?limit=2`);
    expect(p1.status).toBe(200);
    expect(p1.json.links.self.href).toBe(`${emu.url}${IDPS}?limit=2`);
    expect(p1.json.links.prev).toBeUndefined();
    const next1: string = p1.json.links.next.href;
    expect(next1.startsWith(`${emu.url}${IDPS}?`)).toBe(true);

    const p2 = await call("GET", next1);
    const p3 = await call("GET", p2.json.links.next.href);
    expect(p3.json.links.next).toBeUndefined();
    const seen = [...p1.json.data, ...p2.json.data, ...p3.json.data].map((d: { id: string }) => d.id);
    expect(seen).toEqual(ids);
    expect([p1, p2, p3].map((p) => p.json.data.length)).toEqual([2, 2, 1]);

    const back = await call("GET", p2.json.links.prev.href);
    expect(back.json.data.map((d: { id: string }) => d.id)).toEqual(ids.slice(0, 2));
  });

  it("rejects limit outside 1–100 and bad cursors with 400 naming the parameter", async () => {
    await start();
    for (const q of ["limit=0", "limit=101", "limit=abc", "next=garbage", "active=yes"]) {
      const r = await call("GET", `${IDPS}?${q}`);
      expect(r.status).toBe(400);
      expect(r.json.errors[0].code).toBe(CODES.invalidQuery);
      expect(r.json.errors[0].source.parameter).toBe(q.split("=")[0]);
    }
    expect((await call("GET", `${IDPS}?limit=100`)).status).toBe(200);
  });

  it("filters by active and uses defaultPageSize when no limit is given", async () => {
    await start({ defaultPageSize: 2, seedIdps: [{ protocol: "OIDC", provider: "generic", interactive: true, active: true, options: {} }] });
    await create(pendingBody());
    await create(pendingBody());
    const all = await call("GET", IDPS);
    expect(all.json.data).toHaveLength(2);
    expect(all.json.links.next.href).toContain("limit=2");
    const active = await call("GET", `${IDPS}?active=true`);
    expect(active.json.data.map((d: { provider: string }) => d.provider)).toEqual(["generic"]);
    const inactive = await call("GET", `${IDPS}?active=false&limit=10`);
    expect(inactive.json.data).toHaveLength(2);
  });

  it("summarises at /status", async () => {
    await start({ seedIdps: [{ protocol: "OIDC", provider: "generic", interactive: true, active: true, options: {} }] });
    await create(pendingBody());
    const r = await call("GET", `${IDPS}/status`);
    expect(r.json).toEqual({
      active_interactive_idps_count: 1,
      idps_metadata: [
        { active: true, interactive: true, provider: "generic" },
        { active: false, interactive: true, provider: "okta" },
      ],
    });
  });
});

describe("create validation", () => {
  beforeEach(() => start());

  const rejects = async (body: unknown, pointer: string, detail?: RegExp): Promise<void> => {
    const r = await call("POST", IDPS, { body });
    expect(r.status).toBe(400);
    const e = (r.json.errors as { code: string; status: number; detail: string; source?: { pointer?: string } }[]).find(
      (x) => x.source?.pointer === pointer,
    );
    expect(e).toBeDefined();
    expect(e?.code).toBe(CODES.invalidProperty);
    expect(e?.status).toBe(400);
    if (detail) expect(e?.detail).toMatch(detail);
  };

  it("requires the credentials and claims mapping inside pendingOptions", async () => {
    const po = pendingOptions();
    delete po.clientId;
    await rejects(pendingBody({ pendingOptions: po }), "/pendingOptions/clientId", /required/);
    const po2 = pendingOptions();
    delete po2.claimsMapping;
    await rejects(pendingBody({ pendingOptions: po2 }), "/pendingOptions/claimsMapping");
    const po3 = pendingOptions();
    delete po3.discoveryUrl;
    await rejects(pendingBody({ pendingOptions: po3 }), "/pendingOptions/discoveryUrl");
  });

  it("rejects unknown properties and active at any level", async () => {
    await rejects(pendingBody({ foo: 1 }), "/foo", /unknown/);
    await rejects(pendingBody({ active: true }), "/active");
    await rejects(pendingBody({ pendingOptions: pendingOptions({ issuer: "https://x" }) }), "/pendingOptions/issuer");
  });

  it("checks top-level enums, types and limits", async () => {
    await rejects(pendingBody({ protocol: "SAML" }), "/protocol");
    await rejects(pendingBody({ provider: "qlik" }), "/provider");
    const noInteractive = pendingBody();
    delete noInteractive.interactive;
    await rejects(noInteractive, "/interactive");
    await rejects(pendingBody({ description: "x".repeat(129) }), "/description");
    await rejects(pendingBody({ clockToleranceSec: 7201 }), "/clockToleranceSec");
    await rejects(pendingBody({ clockToleranceSec: 1.5 }), "/clockToleranceSec");
    await rejects(pendingBody({ postLogoutRedirectUri: `https://x/${"a".repeat(2100)}` }), "/postLogoutRedirectUri");
  });

  it("checks option fields: realm, claims, URLs, algorithms, provider-specific flags", async () => {
    await rejects(pendingBody({ pendingOptions: pendingOptions({ realm: "o" }) }), "/pendingOptions/realm");
    await rejects(pendingBody({ pendingOptions: pendingOptions({ realm: "ok ta" }) }), "/pendingOptions/realm");
    await rejects(pendingBody({ pendingOptions: pendingOptions({ claimsMapping: { sub: ["sub"], role: ["r"] } }) }), "/pendingOptions/claimsMapping/role");
    await rejects(pendingBody({ pendingOptions: pendingOptions({ claimsMapping: { sub: "sub" } }) }), "/pendingOptions/claimsMapping/sub");
    await rejects(pendingBody({ pendingOptions: pendingOptions({ claimsMapping: { sub: [""] } }) }), "/pendingOptions/claimsMapping/sub/0");
    await rejects(pendingBody({ pendingOptions: pendingOptions({ discoveryUrl: "acme.okta.com" }) }), "/pendingOptions/discoveryUrl");
    await rejects(pendingBody({ pendingOptions: pendingOptions({ discoveryUrl: "ftp://acme.okta.com/x" }) }), "/pendingOptions/discoveryUrl");
    await rejects(pendingBody({ pendingOptions: pendingOptions({ idTokenSignatureAlg: "HS256" }) }), "/pendingOptions/idTokenSignatureAlg");
    await rejects(pendingBody({ pendingOptions: pendingOptions({ scope: "s".repeat(255) }) }), "/pendingOptions/scope");
    await rejects(
      pendingBody({ pendingOptions: pendingOptions({ emailVerifiedAlwaysTrue: true }) }),
      "/pendingOptions/emailVerifiedAlwaysTrue",
      /ADFS and AzureAD/,
    );
    await create(pendingBody({ provider: "azureAD", pendingOptions: pendingOptions({ emailVerifiedAlwaysTrue: true }) }));
  });

  it("requires exactly one of pendingOptions, or options with skipVerify", async () => {
    const neither = pendingBody();
    delete neither.pendingOptions;
    await rejects(neither, "/pendingOptions");
    await rejects(skipBody({ skipVerify: undefined }), "/skipVerify");
    await rejects(pendingBody({ skipVerify: true }), "/skipVerify");
    await rejects(pendingBody({ options: pendingOptions() }), "/options");
    await rejects(skipBody({ options: pendingOptions({ clientSecret: undefined }) }), "/options/clientSecret");
  });

  it("reports every problem at once and creates nothing", async () => {
    const r = await call("POST", IDPS, { body: pendingBody({ description: "x".repeat(200), clockToleranceSec: -1, foo: true }) });
    expect(r.status).toBe(400);
    expect(r.json.errors.map((e: { source: { pointer: string } }) => e.source.pointer).sort()).toEqual(
      ["/clockToleranceSec", "/description", "/foo"],
    );
    expect(emu.idps()).toHaveLength(0);
  });

  it("answers 403 when tenantIds lacks the caller's tenant, 201 when it has it", async () => {
    const r = await call("POST", IDPS, { body: pendingBody({ tenantIds: ["another-tenant"] }) });
    expect(r.status).toBe(403);
    expect(r.json.errors[0].code).toBe(CODES.forbidden);
    await create(pendingBody({ tenantIds: [emu.tenantId] }));
  });

  it("rejects invalid JSON (400), a non-JSON content type (415) and a non-object body (400)", async () => {
    const bad = await call("POST", IDPS, { body: "{not json" });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].code).toBe(CODES.badRequest);
    const plain = await call("POST", IDPS, { body: JSON.stringify(pendingBody()), headers: { "Content-Type": "text/plain" } });
    expect(plain.status).toBe(415);
    expect((await call("POST", IDPS, { body: [pendingBody()] })).status).toBe(400);
    expect(emu.idps()).toHaveLength(0);
  });
});

describe("stored state and read model", () => {
  beforeEach(() => start());

  it("stores a pendingOptions create as inactive and pending, with Qlik's defaults", async () => {
    const r = await create(pendingBody());
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(r.json).toMatchObject({
      protocol: "OIDC",
      provider: "okta",
      interactive: true,
      active: false,
      tenantIds: [emu.tenantId],
      clockToleranceSec: 5,
      createNewUsersOnLogin: true,
      meta: {},
      pendingState: "pending",
      pendingResult: { status: "pending" },
    });
    expect(r.json.options).toBeUndefined();
    expect(r.json.pendingOptions.useClaimsFromIdToken).toBe(true);
    expect(Date.parse(r.json.created)).not.toBeNaN();
    expect(r.json.lastUpdated).toBe(r.json.created);
  });

  it("stores an options + skipVerify create with live options, inactive, and nothing pending", async () => {
    const r = await create(skipBody({ clockToleranceSec: 30, createNewUsersOnLogin: false }));
    expect(r.json).toMatchObject({ active: false, clockToleranceSec: 30, createNewUsersOnLogin: false, options: { clientId: "0oa-qlik-client" } });
    expect(r.json.pendingOptions).toBeUndefined();
    expect(r.json.pendingState).toBeUndefined();
    expect(r.headers.get("qlik-idp-popts")).toBeNull();
  });

  it("never returns the client secret from POST, GET or list, but keeps it", async () => {
    const a = await create(pendingBody());
    const b = await create(skipBody());
    const replies = [a, b, await call("GET", `${IDPS}/${a.json.id}`), await call("GET", `${IDPS}/${b.json.id}`), await call("GET", IDPS)];
    for (const r of replies) {
      expect(r.status).toBeLessThan(300);
      expect(r.text).not.toContain(SECRET);
      expect(r.text).not.toContain("clientSecret");
    }
    const raw = emu.idps();
    expect((raw[0]?.pendingOptions as Record<string, unknown>).clientSecret).toBe(SECRET);
    expect((raw[1]?.options as Record<string, unknown>).clientSecret).toBe(SECRET);
    expect(JSON.stringify(emu.requests)).not.toContain(SECRET);
    expect(JSON.stringify(emu.requests)).not.toContain(KEY);
  });

  it("answers 404 for unknown ids on GET, PATCH and DELETE", async () => {
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const r = await call(method, `${IDPS}/000000000000000000000000`, method === "PATCH" ? { body: [{ op: "replace", path: "/description", value: "x" }] } : {});
      expect(r.status).toBe(404);
      expect(r.json.errors[0].code).toBe(CODES.notFound);
    }
  });
});

describe("QLIK-IDP-POPTS", () => {
  beforeEach(() => start());

  it("is a uuid that depends only on pendingOptions, sent on POST and GET", async () => {
    const a = await create(pendingBody());
    const popts = a.headers.get("qlik-idp-popts");
    expect(popts).toMatch(UUID);
    const get = await call("GET", `${IDPS}/${a.json.id}`);
    expect(get.headers.get("qlik-idp-popts")).toBe(popts);

    const reordered = Object.fromEntries(Object.entries(pendingOptions()).reverse());
    const b = await create(pendingBody({ description: "another", pendingOptions: reordered }));
    expect(b.headers.get("qlik-idp-popts")).toBe(popts);
    const c = await create(pendingBody({ pendingOptions: pendingOptions({ clientSecret: "other-secret" }) }));
    expect(c.headers.get("qlik-idp-popts")).not.toBe(popts);
  });

  it("changes when pendingOptions change", async () => {
    const a = await create(pendingBody());
    const before = a.headers.get("qlik-idp-popts");
    const p = await call("PATCH", `${IDPS}/${a.json.id}`, { body: [{ op: "replace", path: "/pendingOptions/realm", value: "okta2" }] });
    expect(p.status).toBe(204);
    expect(p.text).toBe("");
    const after = (await call("GET", `${IDPS}/${a.json.id}`)).headers.get("qlik-idp-popts");
    expect(after).toMatch(UUID);
    expect(after).not.toBe(before);
  });
});

describe("verification and promote-options", () => {
  beforeEach(() => start());
  const promote = [{ op: "promote-options" }];

  it("needs the current POPTS in QLIK-IDP-POPTS-MATCH (412), a verified test (400), then promotes (204)", async () => {
    const a = await create(pendingBody());
    const id: string = a.json.id;
    const stale = a.headers.get("qlik-idp-popts") ?? "";

    const noHeader = await call("PATCH", `${IDPS}/${id}`, { body: promote });
    expect(noHeader.status).toBe(412);
    expect(noHeader.json.errors[0].code).toBe(CODES.preconditionFailed);

    expect((await call("PATCH", `${IDPS}/${id}`, { body: [{ op: "replace", path: "/pendingOptions/clientId", value: "0oa-new" }] })).status).toBe(204);
    const staleHeader = await call("PATCH", `${IDPS}/${id}`, { body: promote, headers: { "QLIK-IDP-POPTS-MATCH": stale } });
    expect(staleHeader.status).toBe(412);

    const current = (await call("GET", `${IDPS}/${id}`)).headers.get("qlik-idp-popts") ?? "";
    const unverified = await call("PATCH", `${IDPS}/${id}`, { body: promote, headers: { "QLIK-IDP-POPTS-MATCH": current } });
    expect(unverified.status).toBe(400);
    expect(unverified.json.errors[0].code).toBe(CODES.invalidStateTransition);
    expect(unverified.json.errors[0].detail).toMatch(/pending options have not been verified/);

    emu.completeVerification(id);
    const verified = await call("GET", `${IDPS}/${id}`);
    expect(verified.json.pendingState).toBe("verified");
    expect(verified.json.pendingResult).toMatchObject({ status: "success", protocol: "OIDC" });
    expect(verified.json.pendingResult.resultantClaims.groups).toEqual(["Everyone", "Qlik Admins"]);
    expect(verified.headers.get("qlik-idp-popts")).toBe(current);

    const ok = await call("PATCH", `${IDPS}/${id}`, { body: promote, headers: { "QLIK-IDP-POPTS-MATCH": current } });
    expect(ok.status).toBe(204);
    const after = await call("GET", `${IDPS}/${id}`);
    expect(after.json.options).toMatchObject({ clientId: "0oa-new", realm: "okta" });
    expect(after.json.options.clientSecret).toBeUndefined();
    expect(after.json.pendingOptions).toBeUndefined();
    expect(after.json.pendingState).toBeUndefined();
    expect(after.json.pendingResult).toBeUndefined();
    expect(after.json.active).toBe(false);
    expect(after.headers.get("qlik-idp-popts")).toBeNull();
    expect((emu.idps()[0]?.options as Record<string, unknown>).clientSecret).toBe(SECRET);
  });

  it("refuses to promote a failed test, and a change after verification resets it to pending", async () => {
    const a = await create(pendingBody());
    const id: string = a.json.id;
    const popts = a.headers.get("qlik-idp-popts") ?? "";
    emu.completeVerification(id, "tokenError");
    const failed = await call("GET", `${IDPS}/${id}`);
    expect(failed.json).toMatchObject({ pendingState: "error", pendingResult: { status: "tokenError" } });
    expect((await call("PATCH", `${IDPS}/${id}`, { body: promote, headers: { "QLIK-IDP-POPTS-MATCH": popts } })).status).toBe(400);

    emu.completeVerification(id, "success");
    await call("PATCH", `${IDPS}/${id}`, { body: [{ op: "replace", path: "/pendingOptions/clientSecret", value: "rotated" }] });
    const reset = await call("GET", `${IDPS}/${id}`);
    expect(reset.json).toMatchObject({ pendingState: "pending", pendingResult: { status: "pending" } });
    const fresh = reset.headers.get("qlik-idp-popts") ?? "";
    expect((await call("PATCH", `${IDPS}/${id}`, { body: promote, headers: { "QLIK-IDP-POPTS-MATCH": fresh } })).status).toBe(400);
  });

  it("can promote and activate in one atomic PATCH", async () => {
    const a = await create(pendingBody());
    emu.completeVerification(a.json.id);
    const r = await call("PATCH", `${IDPS}/${a.json.id}`, {
      body: [{ op: "promote-options" }, { op: "replace", path: "/active", value: true }],
      headers: { "QLIK-IDP-POPTS-MATCH": a.headers.get("qlik-idp-popts") ?? "" },
    });
    expect(r.status).toBe(204);
    expect((await call("GET", `${IDPS}/${a.json.id}`)).json.active).toBe(true);
  });

  it("completeVerification throws for unknown ids and IdPs with nothing pending", async () => {
    const b = await create(skipBody());
    expect(() => emu.completeVerification("nope")).toThrow(/no identity provider/);
    expect(() => emu.completeVerification(b.json.id)).toThrow(/no pendingOptions/);
  });
});

describe("activation and deletion", () => {
  const activate = (id: string, value = true): Promise<Reply> =>
    call("PATCH", `${IDPS}/${id}`, { body: [{ op: "replace", path: "/active", value }] });

  it("activates only IdPs with live options, and only one interactive IdP at a time", async () => {
    await start();
    const pending = await create(pendingBody());
    const r = await activate(pending.json.id);
    expect(r.status).toBe(400);
    expect(r.json.errors[0].code).toBe(CODES.invalidStateTransition);

    const first = await create(skipBody());
    const second = await create(skipBody({ description: "second" }));
    expect((await activate(first.json.id)).status).toBe(204);
    expect((await call("GET", `${IDPS}/status`)).json.active_interactive_idps_count).toBe(1);

    const clash = await activate(second.json.id);
    expect(clash.status).toBe(400);
    expect(clash.json.errors[0].detail).toMatch(/only one interactive identity provider can be active/);
    expect((await call("GET", `${IDPS}/${second.json.id}`)).json.active).toBe(false);

    expect((await activate(first.json.id, false)).status).toBe(204);
    expect((await activate(second.json.id)).status).toBe(204);
  });

  it("refuses to activate over a pre-existing active interactive IdP (seeded)", async () => {
    await start({ seedIdps: [{ id: "seeded-active", protocol: "OIDC", provider: "generic", interactive: true, active: true, options: {} }] });
    const mine = await create(skipBody());
    expect((await activate(mine.json.id)).status).toBe(400);
    expect((await call("GET", `${IDPS}/seeded-active`)).json.active).toBe(true);
  });

  it("refuses to delete the active interactive IdP; deletes it once deactivated", async () => {
    await start();
    const a = await create(skipBody());
    await activate(a.json.id);
    const del = await call("DELETE", `${IDPS}/${a.json.id}`);
    expect(del.status).toBe(400);
    expect(del.json.errors[0].detail).toMatch(/The interactive IdP for the tenant can't be deleted/);
    expect(emu.idps()).toHaveLength(1);

    await activate(a.json.id, false);
    const ok = await call("DELETE", `${IDPS}/${a.json.id}`);
    expect(ok.status).toBe(204);
    expect((await call("GET", `${IDPS}/${a.json.id}`)).status).toBe(404);
  });
});

describe("PATCH strictness and atomicity", () => {
  let id: string;
  let before: Record<string, unknown>;
  beforeEach(async () => {
    await start();
    id = (await create(skipBody())).json.id;
    before = emu.idps()[0] ?? {};
  });

  const patch = (body: unknown): Promise<Reply> => call("PATCH", `${IDPS}/${id}`, { body });

  it("applies nothing when one op fails validation", async () => {
    const r = await patch([
      { op: "replace", path: "/description", value: "changed" },
      { op: "replace", path: "/clockToleranceSec", value: 99999 },
    ]);
    expect(r.status).toBe(400);
    expect(r.json.errors[0].source.pointer).toBe("/1/value");
    expect(emu.idps()[0]).toEqual(before);
  });

  it("applies nothing when a later op breaks a state rule", async () => {
    const pendingId: string = (await create(pendingBody())).json.id;
    const snapshot = emu.idps()[1];
    const r = await call("PATCH", `${IDPS}/${pendingId}`, {
      body: [
        { op: "replace", path: "/description", value: "changed" },
        { op: "replace", path: "/active", value: true },
      ],
    });
    expect(r.status).toBe(400);
    expect(emu.idps()[1]).toEqual(snapshot);
  });

  it("accepts only replace/promote-options, documented paths and well-typed values", async () => {
    const cases: [unknown, string][] = [
      [{ op: "replace", path: "/description", value: "x" }, "body must be an array"],
      [[], "empty array"],
      [[{ op: "add", path: "/description", value: "x" }], "op add"],
      [[{ op: "remove", path: "/description" }], "op remove"],
      [[{ op: "replace", path: "/provider", value: "auth0" }], "immutable path"],
      [[{ op: "replace", path: "/options/clientId", value: "x" }], "undocumented options path"],
      [[{ op: "replace", path: "/options/scope", value: "openid" }], "undocumented options path"],
      [[{ op: "replace", path: "/description" }], "missing value"],
      [[{ op: "replace", path: "/active", value: "true" }], "string for boolean"],
      [[{ op: "replace", path: "/options/realm", value: "bad realm" }], "realm pattern"],
      [[{ op: "replace", path: "/options/claimsMapping", value: { nope: ["x"] } }], "unknown claim"],
      [[{ op: "replace", path: "/pendingOptions/clientSecret", value: "x" }], "no pendingOptions yet"],
      [[{ op: "replace", path: "/description", value: "x", from: "/a" }], "unknown member"],
    ];
    for (const [body, why] of cases) {
      const r = await patch(body);
      if (r.status !== 400) throw new Error(`expected 400 for ${why}, got ${r.status}`);
    }
    expect(emu.idps()[0]).toEqual(before);
  });

  it("applies documented replaces and bumps lastUpdated", async () => {
    await new Promise((r) => setTimeout(r, 5));
    const r = await patch([
      { op: "replace", path: "/description", value: "new description" },
      { op: "replace", path: "/clockToleranceSec", value: 60 },
      { op: "replace", path: "/options/discoveryUrl", value: "https://acme.okta.com/.well-known/openid-configuration" },
      { op: "replace", path: "/meta", value: { owner: "iac" } },
    ]);
    expect(r.status).toBe(204);
    const after = (await call("GET", `${IDPS}/${id}`)).json;
    expect(after).toMatchObject({
      description: "new description",
      clockToleranceSec: 60,
      meta: { owner: "iac" },
      options: { discoveryUrl: "https://acme.okta.com/.well-known/openid-configuration" },
    });
    expect(after.lastUpdated > (before.lastUpdated as string)).toBe(true);
  });
});

describe("fault injection and request log", () => {
  beforeEach(() => start());

  it("answers 429 with Retry-After and Qlik's body, for the next N matching requests only", async () => {
    emu.inject({ kind: "status", status: 429, retryAfter: 7, path: IDPS, method: "GET", times: 2 });
    for (let i = 0; i < 2; i++) {
      const r = await call("GET", IDPS);
      expect(r.status).toBe(429);
      expect(r.headers.get("retry-after")).toBe("7");
      expect(r.json).toEqual({ errors: [{ code: "HTTP-429", title: "API rate limit reached." }] });
    }
    expect((await call("GET", "/api/v1/users/me")).status).toBe(200);
    expect((await call("GET", IDPS)).status).toBe(200);
    expect(emu.requests.map((r) => r.faulted)).toEqual(["status:429", "status:429", undefined, undefined]);
  });

  it("answers 503 for writes without reaching the handlers; faulted writes are not counted", async () => {
    emu.inject({ kind: "status", status: 503, retryAfter: 2, method: "POST", path: /identity-providers$/ });
    const r = await call("POST", IDPS, { body: pendingBody() });
    expect(r.status).toBe(503);
    expect(r.headers.get("retry-after")).toBe("2");
    expect(r.json.errors[0].code).toBe("HTTP-503");
    expect(emu.idps()).toHaveLength(0);
    expect(emu.writes()).toHaveLength(0);
    await create(pendingBody());
    expect(emu.writes()).toEqual([{ method: "POST", path: IDPS, status: 201, write: true }]);
  });

  it("delays with latency and then handles normally", async () => {
    emu.inject({ kind: "latency", delayMs: 300 });
    const t0 = Date.now();
    const r = await call("GET", IDPS);
    expect(r.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    const t1 = Date.now();
    await call("GET", IDPS);
    expect(Date.now() - t1).toBeLessThan(250);
  });

  it("drops the connection without a response", async () => {
    emu.inject({ kind: "drop", method: "POST" });
    await expect(call("POST", IDPS, { body: pendingBody() })).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 20));
    expect(emu.idps()).toHaveLength(0);
    expect(emu.requests).toEqual([{ method: "POST", path: IDPS, status: 0, write: true, faulted: "drop" }]);
    expect(emu.writes()).toHaveLength(0);
  });

  it("clearFaults removes pending rules", async () => {
    emu.inject({ kind: "status", status: 500, times: 5 });
    emu.clearFaults();
    expect((await call("GET", IDPS)).status).toBe(200);
  });

  it("rejects malformed fault rules", () => {
    expect(() => emu.inject({ kind: "status" })).toThrow(/status/);
    expect(() => emu.inject({ kind: "latency" })).toThrow(/delayMs/);
    expect(() => emu.inject({ kind: "drop", times: 0 })).toThrow(/times/);
  });

  it("writes() counts POST/PATCH/DELETE that reached the handlers, not reads", async () => {
    const a = await create(skipBody());
    await call("GET", IDPS);
    await call("GET", `${IDPS}/${a.json.id}`);
    await call("PATCH", `${IDPS}/${a.json.id}`, { body: [{ op: "replace", path: "/description", value: "d" }] });
    await call("DELETE", `${IDPS}/${a.json.id}`);
    expect(emu.writes().map((w) => `${w.method} ${w.status}`)).toEqual(["POST 201", "PATCH 204", "DELETE 204"]);
    expect(emu.requests).toHaveLength(5);
  });
});

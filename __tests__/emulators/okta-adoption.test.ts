/**
 * What `qlik-okta adopt` needs from the Okta emulator: the read routes it calls (apps list with q/filter/paging, an
 * app's client secrets, authorization servers with q and the built-in default server), the fidelity points taken
 * from real Okta's recorded answers (consent_method on Classic vs OIE, rotationMode on create, rule timestamps,
 * system claims), and seeding a setup an admin made by hand in the console. Over real HTTP on loopback.
 */
import { createHash } from "node:crypto";
import { OktaEmulator, OktaEmulatorOptions, seedAuthServer, seedHandMadeSetup, seedOktaApp, startOktaEmulator } from "../../lib/emulators/okta";
import { checkOktaClientSecret } from "../../lib/okta";
import { AS_BODY, POLICY_BODY, RULE_BODY } from "./okta-bodies";

const HOST = "acme.eu.qlikcloud.com";
const CALLBACK = `https://${HOST}/login/callback`;

interface Reply {
  status: number;
  link: string | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

let emu: OktaEmulator;

async function call(method: string, path: string, body?: unknown): Promise<Reply> {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: { Accept: "application/json", Authorization: `SSWS ${emu.apiToken}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, link: res.headers.get("link") ?? undefined, json: text ? (JSON.parse(text) as unknown) : undefined };
}

async function restart(options: OktaEmulatorOptions = {}): Promise<void> {
  await emu?.close();
  emu = await startOktaEmulator(options);
}

/** The body okta_app_oauth sends (reference/okta.md §B.4), with overrides of settings.oauthClient. */
function providerApp(label: string, oauth: Record<string, unknown> = {}, credentials: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    label,
    name: "oidc_client",
    signOnMode: "OPENID_CONNECT",
    credentials: { oauthClient: { autoKeyRotation: true, pkce_required: false, token_endpoint_auth_method: "client_secret_basic", ...credentials } },
    settings: {
      app: {},
      oauthClient: {
        application_type: "web",
        consent_method: "TRUSTED",
        grant_types: ["authorization_code"],
        issuer_mode: "ORG_URL",
        redirect_uris: [CALLBACK],
        response_types: ["code"],
        ...oauth,
      },
    },
  };
}


const names = (list: { label: string }[]): string[] => list.map((a) => a.label);
const sha256Half = (s: string): string => createHash("sha256").update(s).digest().subarray(0, 16).toString("base64url");

beforeEach(async () => {
  await restart();
});

afterAll(async () => {
  await emu?.close();
});

describe("GET /api/v1/apps", () => {
  beforeEach(async () => {
    for (const label of ["Qlik Cloud", "Qlik Cloud-dev", "Other"]) expect((await call("POST", "/api/v1/apps?activate=true", providerApp(label))).status).toBe(200);
    await call("POST", "/api/v1/apps?activate=false", providerApp("Qlik Inactive"));
    await seedOktaApp(emu, { tenantHostname: HOST, kind: "saml", label: "Qlik SAML", assignments: [] });
  });

  it("lists every app, ACTIVE and INACTIVE, in creation order, without client secrets", async () => {
    // WHEN
    const r = await call("GET", "/api/v1/apps");
    // THEN
    expect(r.status).toBe(200);
    expect(names(r.json)).toEqual(["Qlik Cloud", "Qlik Cloud-dev", "Other", "Qlik Inactive", "Qlik SAML"]);
    expect(r.json.map((a: { status: string }) => a.status)).toEqual(["ACTIVE", "ACTIVE", "ACTIVE", "INACTIVE", "ACTIVE"]);
    for (const a of r.json.slice(0, 4)) expect(a.credentials.oauthClient).not.toHaveProperty("client_secret");
    expect(r.json[0].settings.oauthClient.redirect_uris).toEqual([CALLBACK]);
    expect(r.json[4]).toMatchObject({ signOnMode: "SAML_2_0", settings: { signOn: { ssoAcsUrl: CALLBACK } } });
    expect(r.json[4].settings).not.toHaveProperty("oauthClient");
    expect(r.link).toBe(`<${emu.url}/api/v1/apps>; rel="self"`);
    expect(emu.unexpected).toEqual([]);
  });

  it("matches q as a case-insensitive prefix of the label or the name, like the recorded testAcc_…/testAcc_…-dev pair", async () => {
    // WHEN
    const byLabel = await call("GET", "/api/v1/apps?q=qlik%20cloud");
    const byName = await call("GET", "/api/v1/apps?q=oidc");
    const inside = await call("GET", "/api/v1/apps?q=Cloud");
    // THEN
    expect(names(byLabel.json)).toEqual(["Qlik Cloud", "Qlik Cloud-dev"]);
    expect(names(byName.json)).toEqual(["Qlik Cloud", "Qlik Cloud-dev", "Other", "Qlik Inactive"]);
    expect(inside.json).toEqual([]);
  });

  it.each([
    ['status eq "ACTIVE"', ["Qlik Cloud", "Qlik Cloud-dev", "Other", "Qlik SAML"]],
    ['status eq "INACTIVE"', ["Qlik Inactive"]],
    ['name eq "oidc_client"', ["Qlik Cloud", "Qlik Cloud-dev", "Other", "Qlik Inactive"]],
    ['name eq "bookmark"', []],
  ])("filters with %s", async (filter, expected) => {
    // WHEN
    const r = await call("GET", `/api/v1/apps?filter=${encodeURIComponent(filter)}`);
    // THEN
    expect(r.status).toBe(200);
    expect(names(r.json)).toEqual(expected);
  });

  it("combines q with a status filter, as the provider's okta_app_oauth data source sends them", async () => {
    // WHEN
    const r = await call("GET", `/api/v1/apps?filter=${encodeURIComponent('status eq "ACTIVE"')}&limit=1&q=Qlik`);
    // THEN: first page of the active Qlik* apps, with a next link carrying the cursor
    expect(names(r.json)).toEqual(["Qlik Cloud"]);
    const next = /<([^>]+)>; rel="next"/.exec(r.link ?? "")?.[1];
    expect(next).toBeDefined();
    const page2 = await call("GET", new URL(next!).pathname + new URL(next!).search);
    expect(names(page2.json)).toEqual(["Qlik Cloud-dev"]);
  });

  it.each([
    ['name sw "Qlik"'],
    ['status eq "ACTIVE" and name eq "oidc_client"'],
    ['group.id eq "00g1"'],
    ["status eq ACTIVE"],
    ['label eq "Qlik Cloud"'],
  ])("refuses the filter %s with real Okta's 400 E0000031 and records it as unexpected", async (filter) => {
    // WHEN
    const r = await call("GET", `/api/v1/apps?filter=${encodeURIComponent(filter)}`);
    // THEN (okta/terraform-provider-okta#2251: no errorCauses)
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ errorCode: "E0000031", errorSummary: "Invalid search criteria.", errorCauses: [] });
    expect(emu.unexpected).toHaveLength(1);
  });

  it("pages with limit and after, sending rel=self and rel=next Link headers, and caps limit at 200", async () => {
    // WHEN
    const first = await call("GET", "/api/v1/apps?limit=2");
    const cursor = first.json[1].id as string;
    const second = await call("GET", `/api/v1/apps?limit=2&after=${cursor}`);
    const last = await call("GET", `/api/v1/apps?limit=2&after=${second.json[1].id as string}`);
    const big = await call("GET", "/api/v1/apps?limit=1000");
    // THEN
    expect(names(first.json)).toEqual(["Qlik Cloud", "Qlik Cloud-dev"]);
    expect(first.link).toBe(`<${emu.url}/api/v1/apps?limit=2>; rel="self", <${emu.url}/api/v1/apps?limit=2&after=${cursor}>; rel="next"`);
    expect(names(second.json)).toEqual(["Other", "Qlik Inactive"]);
    expect(names(last.json)).toEqual(["Qlik SAML"]);
    expect(last.link).not.toContain('rel="next"');
    expect(big.json).toHaveLength(5);
  });

  it("answers 20 apps per page by default", async () => {
    // GIVEN 25 apps in all
    for (let i = 0; i < 20; i++) await call("POST", "/api/v1/apps?activate=true", providerApp(`App ${i}`));
    // WHEN
    const first = await call("GET", "/api/v1/apps");
    // THEN
    expect(first.json).toHaveLength(20);
    expect(first.link).toContain('rel="next"');
    expect(first.link).toContain("limit=20");
  });
});

describe("GET /api/v1/apps/{id}/credentials/secrets", () => {
  it("returns the app's ACTIVE secret in full, with Okta's secret_hash, and by id", async () => {
    // GIVEN
    const created = await call("POST", "/api/v1/apps?activate=true", providerApp("Qlik Cloud"));
    const appId = created.json.id as string;
    const secret = created.json.credentials.oauthClient.client_secret as string;
    // WHEN
    const list = await call("GET", `/api/v1/apps/${appId}/credentials/secrets`);
    // THEN: the recorded shape (TestAccDataSourceOktaAppOauth_read)
    expect(list.status).toBe(200);
    expect(list.json).toHaveLength(1);
    const [s] = list.json;
    expect(Object.keys(s)).toEqual(["id", "created", "lastUpdated", "status", "client_secret", "secret_hash", "_links"]);
    expect(s).toMatchObject({ status: "ACTIVE", client_secret: secret, secret_hash: sha256Half(secret), created: created.json.created });
    expect(s.id).toMatch(/^ocs[0-9A-Za-z]{17}$/);
    expect(s._links).toEqual({ deactivate: { href: `${emu.url}/api/v1/apps/${appId}/credentials/secrets/${s.id}/lifecycle/deactivate`, hints: { allow: ["POST"] } } });
    expect(list.link).toBeUndefined();
    const one = await call("GET", `/api/v1/apps/${appId}/credentials/secrets/${s.id}`);
    expect(one.json).toEqual(s);
    expect(emu.state.apps()[0]).toMatchObject({ clientSecret: secret, clientSecretId: s.id });
  });

  it("computes secret_hash exactly as real Okta did for a recorded secret", async () => {
    // GIVEN the secret and hash recorded in test/fixtures/vcr/idaas/TestAccDataSourceOktaAppOauth_read/classic-00.yaml
    const recorded = "WKstYC8XDS-Y-PQN_nieOcnWdY4rwbZ7wnjJ8HiA0rNNexMIR3Xx-fe9EVPGY4Cb";
    const appId = (await call("POST", "/api/v1/apps?activate=true", providerApp("Qlik Cloud", {}, { client_secret: recorded }))).json.id as string;
    // WHEN
    const [s] = (await call("GET", `/api/v1/apps/${appId}/credentials/secrets`)).json;
    // THEN
    expect(s.secret_hash).toBe("JXE2MY4BxLM9TGyzyXiTkg");
  });

  it("shows the new secret, as a new secret object, after an update changes it; the same one after an update that keeps it", async () => {
    // GIVEN
    const created = await call("POST", "/api/v1/apps?activate=true", providerApp("Qlik Cloud"));
    const appId = created.json.id as string;
    const [before] = (await call("GET", `/api/v1/apps/${appId}/credentials/secrets`)).json;
    // WHEN the provider's PUT sends the same secret back
    await call("PUT", `/api/v1/apps/${appId}`, providerApp("Renamed", {}, { client_id: appId, client_secret: before.client_secret }));
    const [kept] = (await call("GET", `/api/v1/apps/${appId}/credentials/secrets`)).json;
    // THEN
    expect(kept).toEqual(before);
    // WHEN a PUT sends another secret
    await call("PUT", `/api/v1/apps/${appId}`, providerApp("Renamed", {}, { client_id: appId, client_secret: "a-new-secret-value" }));
    const after = (await call("GET", `/api/v1/apps/${appId}/credentials/secrets`)).json;
    // THEN
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ status: "ACTIVE", client_secret: "a-new-secret-value", secret_hash: sha256Half("a-new-secret-value") });
    expect(after[0].id).not.toBe(before.id);
    expect((await call("GET", `/api/v1/apps/${appId}/credentials/secrets/${before.id}`)).status).toBe(404);
  });

  it("answers [] for a public client and 404 for an unknown app or secret", async () => {
    // GIVEN
    const spa = await call("POST", "/api/v1/apps?activate=true", providerApp("SPA", { application_type: "browser" }, { token_endpoint_auth_method: "none", pkce_required: true }));
    const web = await call("POST", "/api/v1/apps?activate=true", providerApp("Web"));
    // WHEN
    const none = await call("GET", `/api/v1/apps/${spa.json.id as string}/credentials/secrets`);
    const noApp = await call("GET", "/api/v1/apps/0oaNOSUCHAPP0000000/credentials/secrets");
    const noSecret = await call("GET", `/api/v1/apps/${web.json.id as string}/credentials/secrets/ocsNOSUCHSECRET00000`);
    // THEN
    expect(none.json).toEqual([]);
    expect(noApp.status).toBe(404);
    expect(noApp.json.errorCode).toBe("E0000007");
    expect(noSecret.status).toBe(404);
    expect(noSecret.json.errorSummary).toContain("ocsNOSUCHSECRET00000");
    expect(emu.unexpected).toEqual([]);
  });
});

describe("consent_method: OIE returns it, Classic never does", () => {
  it("drops it from every Classic answer even when the request sent it", async () => {
    // WHEN
    const created = await call("POST", "/api/v1/apps?activate=true", providerApp("Qlik Cloud", { consent_method: "REQUIRED" }));
    const read = await call("GET", `/api/v1/apps/${created.json.id as string}`);
    // THEN
    for (const r of [created, read]) expect(r.json.settings.oauthClient).not.toHaveProperty("consent_method");
    expect((await call("GET", "/api/v1/apps")).json[0].settings.oauthClient).not.toHaveProperty("consent_method");
  });

  it("echoes it on OIE, TRUSTED when the request sent none", async () => {
    // GIVEN
    await restart({ orgType: "oie" });
    // WHEN
    const required = await call("POST", "/api/v1/apps?activate=true", providerApp("A", { consent_method: "REQUIRED" }));
    const unsent = await call("POST", "/api/v1/apps?activate=true", providerApp("B", { consent_method: undefined }));
    // THEN
    expect(required.json.settings.oauthClient.consent_method).toBe("REQUIRED");
    expect((await call("GET", `/api/v1/apps/${unsent.json.id as string}`)).json.settings.oauthClient.consent_method).toBe("TRUSTED");
  });
});

describe("authorization server fidelity", () => {
  it("ignores rotationMode on create (AUTO, with nextRotation); a PUT makes it MANUAL (no nextRotation) and back", async () => {
    // WHEN created with MANUAL, as in cassette TestAccResourceOktaAuthServer_gh299
    const created = await call("POST", "/api/v1/authorizationServers", { ...AS_BODY, credentials: { signing: { rotationMode: "MANUAL" } } });
    const id = created.json.id as string;
    // THEN
    expect(created.json.credentials.signing).toMatchObject({ rotationMode: "AUTO", nextRotation: expect.any(String), lastRotated: expect.any(String) });
    expect((await call("GET", `/api/v1/authorizationServers/${id}`)).json.credentials.signing.rotationMode).toBe("AUTO");
    // WHEN
    const manual = await call("PUT", `/api/v1/authorizationServers/${id}`, { ...AS_BODY, credentials: { signing: { rotationMode: "MANUAL" } } });
    // THEN
    expect(manual.json.credentials.signing.rotationMode).toBe("MANUAL");
    expect(manual.json.credentials.signing).not.toHaveProperty("nextRotation");
    // WHEN
    const auto = await call("PUT", `/api/v1/authorizationServers/${id}`, AS_BODY);
    // THEN
    expect(auto.json.credentials.signing).toMatchObject({ rotationMode: "AUTO", nextRotation: expect.any(String) });
  });

  it("reads back description null when none was sent", async () => {
    // WHEN
    const r = await call("POST", "/api/v1/authorizationServers", { audiences: ["x"], name: "NoDescription" });
    // THEN
    expect(r.json.description).toBeNull();
    expect((await call("POST", "/api/v1/authorizationServers", AS_BODY)).json.description).toBe("Qlik API access");
  });

  it("answers a rule's timestamps as recorded: set on create, null on read and list, only lastUpdated on update", async () => {
    // GIVEN
    const asId = (await call("POST", "/api/v1/authorizationServers", AS_BODY)).json.id as string;
    const base = `/api/v1/authorizationServers/${asId}/policies`;
    const policy = await call("POST", base, POLICY_BODY);
    const rules = `${base}/${policy.json.id as string}/rules`;
    // WHEN
    const created = await call("POST", rules, RULE_BODY);
    const read = await call("GET", `${rules}/${created.json.id as string}`);
    const list = await call("GET", rules);
    const updated = await call("PUT", `${rules}/${created.json.id as string}`, { ...RULE_BODY, name: "renamed" });
    // THEN
    expect(created.json).toMatchObject({ created: expect.stringMatching(/Z$/), lastUpdated: expect.stringMatching(/Z$/) });
    expect(read.json).toMatchObject({ created: null, lastUpdated: null });
    expect(list.json[0]).toMatchObject({ created: null, lastUpdated: null });
    expect(updated.json).toMatchObject({ created: null, lastUpdated: expect.stringMatching(/Z$/) });
    // Policies keep theirs (same cassette).
    expect((await call("GET", `${base}/${policy.json.id as string}`)).json.created).toEqual(expect.stringMatching(/Z$/));
  });

  it("gives every custom server the recorded system claims, which cannot be deleted but can be updated without a value", async () => {
    // GIVEN
    const asId = (await call("POST", "/api/v1/authorizationServers", AS_BODY)).json.id as string;
    // WHEN
    const claims = (await call("GET", `/api/v1/authorizationServers/${asId}/claims`)).json as { id: string; name: string; system: boolean; claimType: string; valueType: string }[];
    // THEN (TestAccResourceOktaAuthServerClaimDefault_crud: sub + 18 standard OIDC claims)
    expect(claims).toHaveLength(19);
    expect(claims.every((c) => c.system)).toBe(true);
    expect(claims[0]).toMatchObject({ name: "sub", claimType: "RESOURCE", valueType: "EXPRESSION" });
    const address = claims.find((c) => c.name === "address")!;
    expect(address).toMatchObject({ claimType: "IDENTITY", valueType: "SYSTEM", alwaysIncludeInToken: false, conditions: { scopes: ["address"] } });
    expect((await call("DELETE", `/api/v1/authorizationServers/${asId}/claims/${address.id}`)).status).toBe(403);
    const put = await call("PUT", `/api/v1/authorizationServers/${asId}/claims/${address.id}`, {
      alwaysIncludeInToken: true,
      claimType: "IDENTITY",
      conditions: { scopes: ["address"] },
      name: "address",
      status: "ACTIVE",
      valueType: "SYSTEM",
    });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ system: true, alwaysIncludeInToken: true });
    expect(emu.state.claims(asId).filter((c) => !c.system)).toEqual([]);
    expect(emu.unexpected).toEqual([]);
  });

  it("searches servers with q on the name or an audience, with Okta's self link", async () => {
    // GIVEN
    await call("POST", "/api/v1/authorizationServers", AS_BODY);
    await call("POST", "/api/v1/authorizationServers", { ...AS_BODY, name: "Other", audiences: ["api://other"] });
    // WHEN
    const byName = await call("GET", "/api/v1/authorizationServers?q=qlik&limit=200");
    const byAudience = await call("GET", "/api/v1/authorizationServers?q=api://");
    const all = await call("GET", "/api/v1/authorizationServers");
    // THEN
    expect(byName.json.map((s: { name: string }) => s.name)).toEqual(["QlikAPI"]);
    expect(byName.link).toBe(`<${emu.url}/api/v1/authorizationServers?q=qlik&limit=200>; rel="self"`);
    expect(byAudience.json.map((s: { name: string }) => s.name)).toEqual(["default", "Other"]);
    expect(all.json.map((s: { name: string }) => s.name)).toEqual(["default", "QlikAPI", "Other"]);
  });
});

describe("the built-in default authorization server", () => {
  it("is listed first, readable by id and by the alias default, with the recorded shape", async () => {
    // WHEN
    const list = await call("GET", "/api/v1/authorizationServers");
    const byAlias = await call("GET", "/api/v1/authorizationServers/default");
    // THEN (TestAccResourceOktaAuthServerDefault_crud/oie-00.yaml)
    const def = list.json[0];
    expect(def).toMatchObject({
      name: "default",
      description: "Default Authorization Server for your Applications",
      audiences: ["api://default"],
      issuer: `${emu.url}/oauth2/default`,
      issuerMode: "ORG_URL",
      status: "ACTIVE",
      default: true,
    });
    expect(def.id).toMatch(/^aus[0-9A-Za-z]{17}$/);
    expect(def._links.self.href).toBe(`${emu.url}/api/v1/authorizationServers/default`);
    expect(byAlias.json).toEqual(def);
    expect((await call("GET", `/api/v1/authorizationServers/${def.id as string}`)).json).toEqual(def);
    expect((await call("GET", "/oauth2/default/.well-known/openid-configuration")).json.issuer).toBe(`${emu.url}/oauth2/default`);
  });

  it("has system scopes, system claims, and a Default Policy with a Default Policy Rule", async () => {
    // WHEN
    const scopes = (await call("GET", "/api/v1/authorizationServers/default/scopes")).json as { name: string; system: boolean }[];
    const claims = (await call("GET", "/api/v1/authorizationServers/default/claims")).json as { system: boolean }[];
    const policies = (await call("GET", "/api/v1/authorizationServers/default/policies")).json;
    const rules = (await call("GET", `/api/v1/authorizationServers/default/policies/${policies[0].id as string}/rules`)).json;
    // THEN
    expect(scopes.map((s) => s.name)).toEqual(expect.arrayContaining(["openid", "profile", "email", "offline_access"]));
    expect(scopes.every((s) => s.system)).toBe(true);
    expect(claims.length).toBeGreaterThan(0);
    expect(claims.every((c) => c.system)).toBe(true);
    expect(policies).toEqual([expect.objectContaining({ name: "Default Policy", priority: 1, status: "ACTIVE", conditions: { clients: { include: ["ALL_CLIENTS"] } } })]);
    expect(rules).toEqual([expect.objectContaining({ name: "Default Policy Rule", priority: 1, conditions: expect.objectContaining({ people: expect.objectContaining({ groups: { include: ["EVERYONE"] } }), scopes: { include: ["*"] } }) })]);
    expect(scopes[0]).toMatchObject({ _links: { self: { href: expect.stringContaining("/authorizationServers/default/scopes/") } } });
  });

  it("cannot be deleted, active or not", async () => {
    // WHEN
    const active = await call("DELETE", "/api/v1/authorizationServers/default");
    await call("POST", "/api/v1/authorizationServers/default/lifecycle/deactivate");
    const inactive = await call("DELETE", "/api/v1/authorizationServers/default");
    // THEN
    expect(active.status).toBe(403);
    expect(inactive.status).toBe(403);
    expect(inactive.json).toMatchObject({ errorCode: "E0000006" });
    expect((await call("GET", "/api/v1/authorizationServers/default")).json.status).toBe("INACTIVE");
    expect(emu.unexpected).toEqual([]);
  });

  it("does not count for isEmpty or in authServers() unless asked for", async () => {
    // THEN, on a fresh org
    expect(emu.state.isEmpty()).toBe(true);
    expect(emu.state.authServers()).toEqual([]);
    expect(emu.state.authServers({ includeDefault: true })).toEqual([expect.objectContaining({ name: "default", default: true, issuer: `${emu.url}/oauth2/default` })]);
    const defaultId = emu.state.authServers({ includeDefault: true })[0].id;
    expect(emu.state.policies("default")).toHaveLength(1);
    expect(emu.state.policies(defaultId)).toHaveLength(1);
    // WHEN a custom server exists, it counts
    await call("POST", "/api/v1/authorizationServers", AS_BODY);
    expect(emu.state.isEmpty()).toBe(false);
    expect(emu.state.authServers().map((s) => s.name)).toEqual(["QlikAPI"]);
  });

  it("is behind API Access Management like every authorization-server route", async () => {
    // GIVEN
    await restart({ apiAccessManagement: false });
    // WHEN
    const r = await call("GET", "/api/v1/authorizationServers/default");
    // THEN (TestAccResourceOktaAuthServerDefault_crud/classic-00.yaml)
    expect(r.status).toBe(401);
    expect(r.json.errorCode).toBe("E0000015");
  });
});

describe("seedHandMadeSetup", () => {
  it("seeds the console's defaults: a web app on the tenant callback, assigned to Everyone, no groups claim, a working secret", async () => {
    // WHEN
    const seeded = await seedHandMadeSetup(emu, { tenantHostname: HOST });
    // THEN
    const [app] = emu.state.apps();
    expect(app).toMatchObject({
      id: seeded.appId,
      label: "Qlik Cloud",
      signOnMode: "OPENID_CONNECT",
      applicationType: "web",
      status: "ACTIVE",
      clientId: seeded.clientId,
      clientSecret: seeded.clientSecret,
      clientSecretId: seeded.secretId,
      redirectUris: [CALLBACK],
      postLogoutRedirectUris: [],
      grantTypes: ["authorization_code"],
      responseTypes: ["code"],
      issuerMode: "ORG_URL",
      tokenEndpointAuthMethod: "client_secret_basic",
    });
    expect(app.resource.credentials).toMatchObject({ oauthClient: { pkce_required: false } });
    expect(seeded.clientSecret).toEqual(expect.any(String));
    expect(seeded.secretId).toMatch(/^ocs/);
    expect(seeded.assignments).toEqual([{ groupName: "Everyone", groupId: emu.state.groups()[0].id }]);
    expect(emu.state.appGroupAssignments(seeded.appId).map((a) => a.groupName)).toEqual(["Everyone"]);
    expect(seeded.groupsClaim).toBe(false);
    expect(emu.state.idTokenGroupsClaim(seeded.appId)).toBeUndefined();
    expect(seeded.authServer).toBeUndefined();
    expect(emu.state.authServers()).toEqual([]);
    // The secret is the live one: Okta's token endpoint accepts it.
    expect((await checkOktaClientSecret("https://acme.okta.com", seeded.clientId, seeded.clientSecret!, { baseUrl: emu.url })).verdict).toBe("accepted");
    // Made through the API, like any client.
    expect(emu.requests.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(["POST /api/v1/apps", `PUT /api/v1/apps/${seeded.appId}/groups/${seeded.assignments[0].groupId}`]),
    );
    expect(emu.unexpected).toEqual([]);
  });

  it("seeds the authorization server with the console's scope, policy and rule defaults, unlike the article", async () => {
    // WHEN
    const seeded = await seedHandMadeSetup(emu, { tenantHostname: HOST, authServer: {} });
    // THEN
    const [as] = emu.state.authServers();
    expect(as).toMatchObject({ id: seeded.authServerId, name: "QlikAPI", audiences: ["qlik.api"], status: "ACTIVE" });
    expect(as.resource.credentials).toMatchObject({ signing: { rotationMode: "AUTO" } });
    expect(emu.state.scopes(as.id).filter((s) => !s.system)).toEqual([
      expect.objectContaining({ id: seeded.scopeIds["qlik.api"], name: "qlik.api", consent: "IMPLICIT", default: false, metadataPublish: "ALL_CLIENTS" }),
    ]);
    expect(emu.state.policies(as.id)).toEqual([expect.objectContaining({ id: seeded.policyId, priority: 1, clients: ["ALL_CLIENTS"] })]);
    expect(emu.state.rules(as.id, seeded.policyId!)).toEqual([
      expect.objectContaining({ id: seeded.ruleId, grantTypes: ["client_credentials", "authorization_code", "implicit", "password"], groups: ["EVERYONE"], scopes: ["*"], priority: 1 }),
    ]);
    expect(emu.unexpected).toEqual([]);
  });

  it("applies every article value with preset article", async () => {
    // WHEN
    const seeded = await seedHandMadeSetup(emu, { tenantHostname: HOST, preset: "article", authServer: {} });
    // THEN
    expect(seeded.groupsClaim).toBe(true);
    expect(emu.state.idTokenGroupsClaim(seeded.appId)).toEqual({ valueType: "GROUPS", groupFilterType: "REGEX", name: "groups", value: ".*", issuerMode: "ORG_URL" });
    const asId = seeded.authServerId!;
    expect(emu.state.scopes(asId).filter((s) => !s.system)).toEqual([expect.objectContaining({ name: "qlik.api", consent: "IMPLICIT", default: true, metadataPublish: "NO_CLIENTS" })]);
    expect(emu.state.rules(asId, seeded.policyId!)).toEqual([expect.objectContaining({ grantTypes: ["client_credentials"], groups: ["EVERYONE"], scopes: ["*"] })]);
  });

  it("takes explicit values over the preset: label, groups, groups claim, names, scopes, no policy", async () => {
    // GIVEN
    await restart({ groups: ["Qlik Admins", "Qlik Users"] });
    // WHEN
    const seeded = await seedHandMadeSetup(emu, {
      tenantHostname: HOST,
      label: "Qlik SaaS",
      assignments: ["Qlik Admins", "Qlik Users"],
      groupsClaim: { filterType: "STARTS_WITH", value: "Qlik" },
      authServer: { name: "Qlik", audience: "api://qlik", scopes: [{ name: "a" }, { name: "b", default: true }], policy: false },
    });
    // THEN
    expect(emu.state.apps()[0].label).toBe("Qlik SaaS");
    expect(seeded.assignments.map((a) => a.groupName)).toEqual(["Qlik Admins", "Qlik Users"]);
    expect(emu.state.appGroupAssignments(seeded.appId).map((a) => a.groupId)).toEqual(seeded.assignments.map((a) => a.groupId));
    expect(emu.state.idTokenGroupsClaim(seeded.appId)).toMatchObject({ name: "groups", groupFilterType: "STARTS_WITH", value: "Qlik" });
    expect(emu.state.authServers()[0]).toMatchObject({ name: "Qlik", audiences: ["api://qlik"] });
    expect(Object.keys(seeded.scopeIds)).toEqual(["a", "b"]);
    expect(emu.state.scopes(seeded.authServerId!).filter((s) => !s.system).map((s) => [s.name, s.default])).toEqual([["a", false], ["b", true]]);
    expect(seeded.policyId).toBeUndefined();
    expect(emu.state.policies(seeded.authServerId!)).toEqual([]);
  });

  it("seeds the refusal cases: SPA, native, SAML and bookmark apps on the callback, an alias redirect, a second web app", async () => {
    // WHEN
    const spa = await seedOktaApp(emu, { tenantHostname: HOST, kind: "browser", label: "SPA" });
    const native = await seedOktaApp(emu, { tenantHostname: HOST, kind: "native", label: "Native" });
    const saml = await seedOktaApp(emu, { tenantHostname: HOST, kind: "saml", label: "SAML" });
    const bookmark = await seedOktaApp(emu, { tenantHostname: HOST, kind: "bookmark", label: "Bookmark", assignments: [] });
    const alias = await seedOktaApp(emu, { tenantHostname: HOST, label: "Alias", redirectUris: ["https://acme.qlikcloud.com/login/callback"] });
    const web1 = await seedOktaApp(emu, { tenantHostname: HOST, label: "Web 1" });
    const web2 = await seedOktaApp(emu, { tenantHostname: HOST, label: "Web 2" });
    // THEN
    const apps = emu.state.apps();
    expect(apps.map((a) => [a.label, a.signOnMode, a.applicationType])).toEqual([
      ["SPA", "OPENID_CONNECT", "browser"],
      ["Native", "OPENID_CONNECT", "native"],
      ["SAML", "SAML_2_0", ""],
      ["Bookmark", "BOOKMARK", ""],
      ["Alias", "OPENID_CONNECT", "web"],
      ["Web 1", "OPENID_CONNECT", "web"],
      ["Web 2", "OPENID_CONNECT", "web"],
    ]);
    for (const pub of [spa, native]) {
      expect(pub.clientSecret).toBeUndefined();
      expect(apps.find((a) => a.id === pub.appId)).toMatchObject({ tokenEndpointAuthMethod: "none", resource: { credentials: { oauthClient: { pkce_required: true } } } });
    }
    expect(saml.clientId).toBe("");
    expect(bookmark.clientSecret).toBeUndefined();
    expect(alias.redirectUris).toEqual(["https://acme.qlikcloud.com/login/callback"]);
    expect(web1.clientId).not.toBe(web2.clientId);
    expect(web1.clientSecret).not.toBe(web2.clientSecret);
    // What adopt's lookup sees: the OIDC apps whose redirect URIs include the tenant callback.
    const oidc = (await call("GET", `/api/v1/apps?filter=${encodeURIComponent('name eq "oidc_client"')}&limit=200`)).json as { label: string; settings: { oauthClient: { redirect_uris: string[] } } }[];
    expect(oidc.filter((a) => a.settings.oauthClient.redirect_uris.includes(CALLBACK)).map((a) => a.label)).toEqual(["SPA", "Native", "Web 1", "Web 2"]);
    expect(emu.unexpected).toEqual([]);
  });

  it("goes through the emulator's validation: an invalid redirect URI or an unknown group fails like in the console", async () => {
    await expect(seedOktaApp(emu, { tenantHostname: HOST, redirectUris: ["/login/callback"] })).rejects.toThrow(/HTTP 400.*redirect_uris/);
    await expect(seedOktaApp(emu, { tenantHostname: HOST, assignments: ["No Such Group"] })).rejects.toThrow(/no group named "No Such Group"/);
  });

  it("on an OIE org: the app gets the default access policy and reads back consent_method; the rule's console grants add interaction_code", async () => {
    // GIVEN
    await restart({ orgType: "oie" });
    // WHEN
    const seeded = await seedHandMadeSetup(emu, { tenantHostname: HOST, authServer: {} });
    // THEN
    const [app] = emu.state.apps();
    expect(app.accessPolicyId).toEqual(expect.any(String));
    expect(app.resource).toMatchObject({ settings: { oauthClient: { consent_method: "TRUSTED" } } });
    expect(emu.state.rules(seeded.authServerId!, seeded.policyId!)[0].grantTypes).toContain("interaction_code");
  });

  it("seeds a server on its own with seedAuthServer, and the secret read matches the seeded app after a rotation through the API", async () => {
    // GIVEN
    const app = await seedOktaApp(emu, { tenantHostname: HOST, clientSecret: "pasted-by-the-admin-0123456789" });
    const as = await seedAuthServer(emu, { preset: "article" });
    // THEN
    expect(app.clientSecret).toBe("pasted-by-the-admin-0123456789");
    expect(as.issuer).toBe(`${emu.url}/oauth2/${as.authServerId}`);
    expect(as.ruleId).toMatch(/^0pr/);
    expect(emu.state.isEmpty()).toBe(false);
  });
});

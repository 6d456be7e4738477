/**
 * `qlik-okta adopt` as users run it (a real process), against both emulators: what it finds, what it refuses, and
 * that it says so in one line without ever printing a credential.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { OktaEmulator, startOktaEmulator } from "../../lib/emulators/okta";
import { seedOktaApp } from "../../lib/emulators/okta/seed";
import { QlikEmulator, startQlikEmulator } from "../../lib/emulators/qlik";
import { parseConfig } from "../../lib/config";
import { orgDiscoveryUrl } from "../../lib/qlik/request";
import { ensureBuilt, exampleConfig, runCli, workspace } from "../e2e/helpers";
import { removeTempDirs } from "../tmp";

afterAll(removeTempDirs);
jest.setTimeout(60_000);

const HOST = "acme.eu.qlikcloud.com";
const ALIAS = "acme-analytics.eu.qlikcloud.com";
// Canaries with quotes and backslashes: they must appear nowhere in what adopt prints.
const OKTA_TOKEN = `okta-"CANARY"\\token-adopt`;
const QLIK_KEY = `qlik-"CANARY"\\key-adopt`;

const open: (OktaEmulator | QlikEmulator)[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((emulator) => emulator.close()));
});

async function oktaOrg(apiAccessManagement = true): Promise<OktaEmulator> {
  const okta = await startOktaEmulator({ apiToken: OKTA_TOKEN, groups: ["Qlik Admins"], apiAccessManagement });
  open.push(okta);
  return okta;
}

async function adopt(okta: OktaEmulator, seedIdps: Record<string, unknown>[], args: string[] = []) {
  const qlik = await startQlikEmulator({ tenantHostname: HOST, aliases: [ALIAS], apiKeys: [{ key: QLIK_KEY, tenantAdmin: true }], seedIdps });
  open.push(qlik);
  const dir = workspace(exampleConfig());
  const seeded = okta.requests.length;
  const r = await runCli(["adopt", ...args], dir, { OKTA_API_TOKEN: OKTA_TOKEN, OKTA_HTTP_PROXY: okta.url, QLIK_BASE_URL: qlik.url, QLIK_API_KEY: QLIK_KEY });
  for (const text of [r.stdout, r.stderr]) {
    for (const secret of [OKTA_TOKEN, QLIK_KEY, JSON.stringify(OKTA_TOKEN).slice(1, -1), JSON.stringify(QLIK_KEY).slice(1, -1)]) expect(text).not.toContain(secret);
  }
  expect(okta.unexpected).toEqual([]);
  // Read-only: nothing was written to Okta, nothing to Qlik.
  expect(okta.requests.slice(seeded).filter((q) => q.method !== "GET")).toEqual([]);
  expect(qlik.writes()).toEqual([]);
  return { ...r, dir, config: () => readFileSync(path.join(dir, "qlik-okta.yaml"), "utf8") };
}

const oktaIdp = (id: string, clientId: string, description: string, extra: Record<string, unknown> = {}) => ({
  id,
  protocol: "OIDC",
  provider: "okta",
  interactive: true,
  active: false,
  description,
  options: { discoveryUrl: orgDiscoveryUrl("https://acme.okta.com"), clientId, realm: "okta" },
  ...extra,
});

beforeAll(ensureBuilt);

describe("qlik-okta adopt", () => {
  it("refuses when no app has the tenant's callback, saying where to look", async () => {
    const okta = await oktaOrg();
    await seedOktaApp(okta, { tenantHostname: HOST, label: "Other app", redirectUris: ["https://intranet.example.com/callback"] });
    const r = await adopt(okta, []);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^adopt: no Okta OIDC web app has the redirect URI https:\/\/acme\.eu\.qlikcloud\.com\/login\/callback; look in the Okta admin console/)]);
  });

  it("refuses an app with the callback that is not an OIDC web app", async () => {
    const okta = await oktaOrg();
    await seedOktaApp(okta, { tenantHostname: HOST, label: "Qlik SPA", kind: "browser" });
    const r = await adopt(okta, []);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^adopt: app "Qlik SPA" \(id 0oa\w+, client id \w+, created \d{4}-\d\d-\d\d\) is a single-page app, not an OIDC web app/);
  });

  it("refuses --okta-app-id naming an app that is not OIDC", async () => {
    const okta = await oktaOrg();
    const saml = await seedOktaApp(okta, { tenantHostname: HOST, label: "Qlik SAML", kind: "saml" });
    const r = await adopt(okta, [], ["--okta-app-id", saml.appId]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`app "Qlik SAML" (id ${saml.appId}`);
    expect(r.stderr).toContain("is not an OIDC app");
  });

  it("refuses a redirect URI on the tenant's alias, naming the real callback; --okta-app-id adopts it anyway", async () => {
    const okta = await oktaOrg();
    const app = await seedOktaApp(okta, { tenantHostname: HOST, redirectUris: [`https://${ALIAS}/login/callback`] });
    const r = await adopt(okta, []);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`has the redirect URI https://${ALIAS}/login/callback, on an alias of the tenant: Qlik sends users back to https://${HOST}/login/callback`);
    const forced = await adopt(okta, [], ["--okta-app-id", app.appId]);
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain(`note: app "Qlik Cloud" does not have the redirect URI https://${HOST}/login/callback yet: the first plan adds it`);
  });

  it("refuses two candidate Qlik IdPs for the app's client id", async () => {
    const okta = await oktaOrg();
    const app = await seedOktaApp(okta, { tenantHostname: HOST });
    const r = await adopt(okta, [oktaIdp("idp-a", app.clientId, "Okta"), oktaIdp("idp-b", app.clientId, "Okta test")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^adopt: 2 Qlik IdPs use client id ${app.clientId}: idp-a \\("Okta", inactive\\); idp-b \\("Okta test", inactive\\)`));
  });

  it("refuses an IdP another stack manages", async () => {
    const okta = await oktaOrg();
    const app = await seedOktaApp(okta, { tenantHostname: HOST });
    const r = await adopt(okta, [oktaIdp("idp-s", app.clientId, "Okta [managed by qlik-okta-iac:staging]")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`Qlik IdP idp-s uses client id ${app.clientId} and is managed by stack "staging"`);
  });

  it("prints what it found next to the config, writes only with --write, and pre-fills named groups", async () => {
    const okta = await oktaOrg();
    const app = await seedOktaApp(okta, { tenantHostname: HOST, label: "Qlik", assignments: ["Qlik Admins"], groupsClaim: { value: "^qlik" } });
    const r = await adopt(okta, [oktaIdp("idp-1", app.clientId, "Okta login", { active: true })]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`assignments       Qlik Admins (${app.assignments[0].groupId})`);
    expect(r.stdout).toContain("groups claim      groups: REGEX ^qlik");
    expect(r.stdout).toContain('app.groups: [] → ["Qlik Admins"]');
    expect(r.stdout).toContain("app.assignToEveryone: true → false");
    expect(r.config()).toBe(exampleConfig());
  });

  it("--write turns the authorization server off in an org without API Access Management", async () => {
    const okta = await oktaOrg(false);
    const app = await seedOktaApp(okta, { tenantHostname: HOST });
    const r = await adopt(okta, [oktaIdp("idp-1", app.clientId, "Okta")], ["--write"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("authorizationServer.enabled: true → false");
    const stack = parseConfig(r.config()).stacks.example;
    expect(stack.authorizationServer.enabled).toBe(false);
    expect(stack.adopted).toEqual({ oktaAppId: app.appId, groupAssignments: { Everyone: app.assignments[0].groupId } });
  });
});

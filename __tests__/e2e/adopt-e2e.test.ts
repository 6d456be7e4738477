/**
 * Adoption end to end: a setup made by hand from the article (console defaults where the article says nothing, an
 * active Qlik IdP users sign in through) → `qlik-okta adopt --write` → `qlik-okta plan` imports everything and
 * changes it in place → `qlik-okta apply` → every object keeps its id, the Qlik IdP stays active, and the secret Qlik
 * holds is one Okta accepts at every moment → `qlik-okta plan`: no changes. Real CLI processes, the real engine and
 * okta provider, both emulators.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { OktaEmulator, startOktaEmulator } from "../../lib/emulators/okta";
import { seedHandMadeSetup, SeededSetup, seedOktaApp } from "../../lib/emulators/okta/seed";
import { QlikEmulator, startQlikEmulator } from "../../lib/emulators/qlik";
import { parseConfig } from "../../lib/config";
import { hasMarker } from "../../lib/qlik/marker";
import { orgDiscoveryUrl } from "../../lib/qlik/request";
import { PlanSummary } from "../../lib/review/plan-summary";
import { engineLikelyAvailable, ensureBuilt, exampleConfig, requireEngine, runCli, workspace } from "./helpers";
import { removeTempDirs } from "../tmp";

afterAll(removeTempDirs);

const suite = engineLikelyAvailable() ? describe : describe.skip;
jest.setTimeout(300_000);

const HOST = "acme.eu.qlikcloud.com";
const IDP_ID = "handmade-okta-idp";

const OKTA_TOKEN = "okta-adopt-token";
const QLIK_KEY = "qlik-adopt-key";

suite("adopting a setup made by hand, through the real engine", () => {
  let sandbox: { okta: OktaEmulator; qlik: QlikEmulator; env: Record<string, string>; close(): Promise<void> };
  let seeded: SeededSetup;
  let dir: string;
  const run = (args: string[]) => runCli(args, dir, sandbox.env);
  const qlikIdp = () => sandbox.qlik.idps().find((i) => i.id === IDP_ID) as Record<string, any>;
  const oktaApp = () => sandbox.okta.state.apps().find((a) => a.id === seeded.appId)!;
  const summaryOf = (stack: string): PlanSummary => JSON.parse(readFileSync(path.join(dir, ".qlik-okta", stack, "plan-summary.json"), "utf8"));

  beforeAll(async () => {
    ensureBuilt();
    await requireEngine();
    const okta = await startOktaEmulator({ apiToken: OKTA_TOKEN });
    // GIVEN what an admin clicked together from the article, with the console's defaults where it says nothing
    // (no groups claim; a scope that asks for consent, is no default scope and is published in the metadata)
    seeded = await seedHandMadeSetup(okta, { tenantHostname: HOST, label: "Qlik Cloud SaaS", authServer: { scopes: [{ consent: "REQUIRED" }] } });
    // AND the Qlik IdP they made with that app's credentials: active, users signing in through it (live options)
    const qlik = await startQlikEmulator({
      tenantHostname: HOST,
      apiKeys: [{ key: QLIK_KEY, tenantAdmin: true }],
      seedIdps: [
        {
          id: IDP_ID,
          protocol: "OIDC",
          provider: "okta",
          interactive: true,
          active: true,
          description: "Okta SSO",
          clockToleranceSec: 5,
          createNewUsersOnLogin: true,
          options: {
            discoveryUrl: orgDiscoveryUrl("https://acme.okta.com"),
            clientId: seeded.clientId,
            clientSecret: seeded.clientSecret,
            realm: "Okta",
            scope: "openid profile email",
            claimsMapping: { sub: ["sub"], name: ["name"], email: ["email"] },
          },
        },
      ],
    });
    sandbox = {
      okta,
      qlik,
      env: { OKTA_API_TOKEN: OKTA_TOKEN, OKTA_HTTP_PROXY: okta.url, QLIK_BASE_URL: qlik.url, QLIK_API_KEY: QLIK_KEY },
      close: async () => void (await Promise.all([okta.close(), qlik.close()])),
    };
    dir = workspace(exampleConfig());
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it("adopt finds it, and --write records it and pre-fills the config from it", async () => {
    const looked = await run(["adopt"]);
    expect(looked.stderr).toBe("");
    expect(looked.status).toBe(0);
    expect(looked.stdout).toContain(`Okta app          "Qlik Cloud SaaS" id ${seeded.appId}, client id ${seeded.clientId}`);
    expect(looked.stdout).toContain(`Qlik IdP          ${IDP_ID} "Okta SSO" (active)`);
    expect(looked.stdout).toContain("note: app \"Qlik Cloud SaaS\" has no groups claim");
    expect(readFileSync(path.join(dir, "qlik-okta.yaml"), "utf8")).toBe(exampleConfig()); // read-only without --write

    const wrote = await run(["adopt", "--write"]);
    expect(wrote.status).toBe(0);
    const stack = parseConfig(readFileSync(path.join(dir, "qlik-okta.yaml"), "utf8")).stacks.example;
    expect(stack.adopted).toEqual({
      oktaAppId: seeded.appId,
      groupAssignments: { Everyone: seeded.assignments[0].groupId },
      authorizationServer: { id: seeded.authServerId, scopes: seeded.scopeIds, policyId: seeded.policyId, ruleId: seeded.ruleId },
    });
    expect(stack.app.label).toBe("Qlik Cloud SaaS");
    expect(stack.identityProvider).toMatchObject({ activate: true, realm: "Okta", description: "Okta SSO" });
  });

  it("plan imports every hand-made object and only changes them in place; the Qlik plan adopts the IdP", async () => {
    const planned = await run(["plan"]);
    expect(planned.status).toBe(2);
    const summary = summaryOf("example");
    const okta = summary.changes.filter((c) => c.type.startsWith("okta_"));
    expect(okta.map((c) => c.importing).sort()).toEqual(
      [
        seeded.appId,
        `${seeded.appId}/${seeded.assignments[0].groupId}`,
        seeded.authServerId,
        `${seeded.authServerId}/${Object.values(seeded.scopeIds)[0]}`,
        `${seeded.authServerId}/${seeded.policyId}`,
        `${seeded.authServerId}/${seeded.policyId}/${seeded.ruleId}`,
      ].sort(),
    );
    expect(okta.every((c) => c.action === "update" || c.action === "no-op")).toBe(true);
    // The article's values the console left out arrive as in-place updates a reviewer sees.
    const app = okta.find((c) => c.type === "okta_app_oauth")!;
    expect(app.action).toBe("update");
    expect(app.attributes.map((a) => a.path)).toEqual(expect.arrayContaining([expect.stringMatching(/^groups_claim/)]));
    expect(okta.find((c) => c.type === "okta_auth_server_scope")!.attributes.map((a) => a.path)).toEqual(expect.arrayContaining(["consent", "default", "metadata_publish"]));
    expect(summary.changes.filter((c) => c.action === "create").every((c) => c.type === "terraform_data")).toBe(true);
    expect(summary.totals).toMatchObject({ import: 6, destroy: 0 });
    expect(planned.stdout).toMatch(/Okta: 6 to import, 0 to add, \d+ to change, 0 to destroy/);
    const qlik = JSON.parse(readFileSync(path.join(dir, ".qlik-okta", "example", "qlik-plan.json"), "utf8"));
    expect(qlik.status).toBe("planned");
    expect(qlik.report.actions.map((a: { kind: string }) => a.kind)).toEqual(["patch"]);
    // The review comment shows each import, and no activation warning for an IdP that is already the sign-in.
    const comment = (await run(["report"])).stdout;
    expect(comment).toContain(`**import** (\`${seeded.appId}\`) + **update** Okta app \`Qlik Cloud SaaS\``);
    expect(comment).toContain("6 to import, 0 to add");
    expect(comment).not.toContain("Qlik IdP activation");
  });

  it("apply keeps every id, the client id, the IdP and its active state, and the secret Qlik holds valid throughout", async () => {
    const before = { app: oktaApp(), server: sandbox.okta.state.authServers()[0] };
    const oktaMark = sandbox.okta.requests.length;
    const broken: string[] = [];
    const watch = setInterval(() => {
      const secret = (qlikIdp().options as { clientSecret?: string } | undefined)?.clientSecret;
      if (secret !== oktaApp().clientSecret) broken.push(new Date().toISOString());
      if (qlikIdp().active !== true) broken.push("inactive");
    }, 5);
    let applied;
    try {
      applied = await run(["apply"]);
    } finally {
      clearInterval(watch);
    }
    expect(applied.stderr).toBe("");
    expect(applied.status).toBe(0);
    expect(broken).toEqual([]);
    const after = oktaApp();
    expect(sandbox.okta.state.apps()).toHaveLength(1);
    expect(after).toMatchObject({ id: before.app.id, clientId: before.app.clientId, clientSecret: before.app.clientSecret });
    expect(sandbox.okta.state.idTokenGroupsClaim(after.id)).toMatchObject({ name: "groups" });
    expect(sandbox.okta.state.authServers().map((s) => s.id)).toEqual([before.server.id]);
    const idp = qlikIdp();
    expect(sandbox.qlik.idps()).toHaveLength(1);
    expect(idp.active).toBe(true);
    expect(hasMarker(idp.description, "example")).toBe(true);
    expect(idp.options.clientId).toBe(seeded.clientId);
    // The hash of the secret is recorded only once Okta's token endpoint has accepted the secret.
    expect(sandbox.okta.requests.slice(oktaMark).some((r) => r.method === "POST" && r.path === "/oauth2/v1/token")).toBe(true);
    expect(JSON.stringify(idp.meta)).toContain("clientSecretSha256");
  });

  it("the next plan has no changes", async () => {
    const again = await run(["plan"]);
    expect(again.stdout).toContain("no changes");
    expect(again.status).toBe(0);
  });

  it("refuses a plan that would replace an adopted object, naming the attribute, and apply then refuses too", async () => {
    // GIVEN ids recorded by hand for a single-page app (adopt itself refuses one): the config's web app would replace it
    const spa = await seedOktaApp(sandbox.okta, { tenantHostname: "other.eu.qlikcloud.com", label: "Qlik SPA", kind: "browser" });
    const config = exampleConfig({ "enabled: true ": "enabled: false " }) + `    adopted: { oktaAppId: ${spa.appId} }\n`;
    dir = workspace(config);
    // WHEN
    const planned = await run(["plan"]);
    // THEN
    expect(planned.status).toBe(1);
    expect(`${planned.stdout}${planned.stderr}`).toContain(
      `plan refused, the adopted Okta app "Qlik Cloud" (${spa.appId}) would be replaced (deleted and created again): type differs from what Okta has`,
    );
    expect((await run(["apply"])).status).toBe(1);
    expect(sandbox.okta.state.apps().find((a) => a.id === spa.appId)).toMatchObject({ label: "Qlik SPA", applicationType: "browser" });
  });
});


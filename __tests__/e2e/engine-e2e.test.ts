/**
 * The end-to-end test: a real OpenTofu/Terraform with the real okta/okta 4.20.0 provider applies the synthesized
 * bundled example; the provider talks to the Okta emulator, the Qlik step (the real CLI, run by Terraform's
 * local-exec) talks to the Qlik emulator.
 */
import * as path from "node:path";
import { existsSync, readFileSync } from "node:fs";
import { Engine, EngineName, findOnPath } from "../../lib/engine";
import { apply, destroy, init, plan, show } from "../../lib/engine/run";
import { Sandbox, startSandbox } from "../../lib/emulators/sandbox";
import {
  changedResources,
  EngineLog,
  engineLikelyAvailable,
  ensureBuilt,
  envFor,
  exampleConfig,
  qlikOkta,
  requireEngine,
  workspace,
} from "./helpers";
import { removeTempDirs } from "../tmp";
import { expectArticleInOkta, expectPendingIdpInQlik } from "./article";

afterAll(removeTempDirs); // every tempDir()/workspace() of this file

const OKTA_TOKEN = "00okta-CANARY-token-e2e-4c1d9f";
const QLIK_KEY = "qlik-CANARY-api-key-e2e-8b2e7a";
const HOST = "acme.eu.qlikcloud.com";

const suite = engineLikelyAvailable() ? describe : describe.skip;
jest.setTimeout(240_000);

/**
 * The project's engine (OpenTofu from scripts/engine.sh, or what `.ci/run` exported as QLIK_OKTA_ENGINE_NAME), and
 * HashiCorp Terraform as well when it is on PATH: users run either, and both must apply the same JSON the same way.
 * TF_BINARY wins over QLIK_OKTA_ENGINE in resolveEngine and `.ci/run` exports TF_BINARY=<tofu>, so the Terraform
 * variant clears it (an empty TF_BINARY counts as unset).
 */
const provisioned: EngineName =
  (process.env.QLIK_OKTA_ENGINE_NAME || process.env.QLIK_OKTA_ENGINE) === "terraform" ? "terraform" : "tofu";
const engines: { label: string; env: Record<string, string>; expected: EngineName }[] = [
  { label: "the provisioned engine", env: {}, expected: provisioned },
];
if (findOnPath("terraform")) {
  engines.push({ label: "terraform on PATH", env: { QLIK_OKTA_ENGINE: "terraform", TF_BINARY: "" }, expected: "terraform" });
}

suite.each(engines)("end to end: the bundled example through the real provider, with $label", ({ env: engineChoice, expected }) => {
  let engine: Engine;
  let sandbox: Sandbox;
  let dir: string;
  let stackDir: string;
  const log = new EngineLog();

  const env = () => envFor(engine, sandbox.env);
  const synth = (config: string) => {
    const { writeFileSync } = require("node:fs") as typeof import("node:fs");
    writeFileSync(path.join(dir, "qlik-okta.yaml"), config);
    const r = qlikOkta(["synth"], dir);
    if (r.status !== 0) throw new Error(`synth failed: ${r.stderr}`);
  };

  beforeAll(async () => {
    ensureBuilt();
    engine = await requireEngine(engineChoice);
    // the variant runs the engine it is named for (not, say, the tofu of TF_BINARY under .ci/run)
    expect(engine.name).toBe(expected);
    sandbox = await startSandbox({ oktaApiToken: OKTA_TOKEN, qlikApiKey: QLIK_KEY, qlik: { tenantHostname: HOST } });
    dir = workspace(exampleConfig());
    synth(exampleConfig());
    stackDir = path.join(dir, "cdktf.out", "stacks", "example");
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it("initializes offline from the provider mirror", async () => {
    const r = await init(engine, stackDir, { env: env() });
    log.add(r);
    expect(r.stdout).toMatch(/okta\/okta v4\.20\.0/);
  });

  it("plans the article's resources", async () => {
    const r = await plan(engine, stackDir, { env: env(), out: "tfplan" });
    log.add(r);
    const planJson = await show<{ resource_changes: { address: string; change: { actions: string[] } }[] }>(engine, stackDir, "tfplan", { env: env() });
    expect(changedResources(planJson).sort()).toEqual(
      [
        "okta_app_group_assignment.QlikOidcApp_EveryoneAssignment_2B03A917: create",
        "okta_app_oauth.QlikOidcApp_DCEADC5B: create",
        "okta_auth_server.QlikApiAuthServer_0F52D116: create",
        "okta_auth_server_policy.QlikApiAuthServer_Policy_958A2F53: create",
        "okta_auth_server_policy_rule.QlikApiAuthServer_Rule_16B30D0D: create",
        "okta_auth_server_scope.QlikApiAuthServer_Scope-qlikapi_CE28CE12: create",
        "terraform_data.QlikIdentityProvider_2E5F14B3: create",
        "terraform_data.QlikIdentityProvider_Retirement_94BA6208: create",
      ].sort(),
    );
  });

  it("applies: Okta holds the app, its groups claim, the assignment and the authorization server", async () => {
    // WHEN
    const r = await apply(engine, stackDir, "tfplan", { env: env() });
    log.add(r);
    // THEN Okta holds the article's objects
    expectArticleInOkta(sandbox.okta, HOST);
  });

  it("applies: Qlik holds one pending Okta IdP with the app's client id and secret and the org discovery URL", () => {
    const [app] = sandbox.okta.state.apps();
    expectPendingIdpInQlik(sandbox.qlik, app);
    // What the CLI did is recorded beside the state, since Terraform hides a sensitive provisioner's output.
    const result = JSON.parse(readFileSync(path.join(stackDir, "qlik-idp-result.json"), "utf8"));
    expect(JSON.stringify(result)).not.toContain(app.clientSecret!);
  });

  it("plans again with no changes", async () => {
    const r = await plan(engine, stackDir, { env: env(), detailedExitcode: true });
    log.add(r);
    expect(r.stdout).toContain("No changes.");
    expect(r.changes).toBe(false);
  });

  it("plans exactly the one change a config edit makes, and applies it", async () => {
    // GIVEN the label changes in the config
    synth(exampleConfig({ "label: Qlik Cloud": "label: Qlik Cloud (EU)" }));
    // WHEN
    const r = await plan(engine, stackDir, { env: env(), out: "tfplan2" });
    log.add(r);
    const planJson = await show<{ resource_changes: { address: string; change: { actions: string[] } }[] }>(engine, stackDir, "tfplan2", { env: env() });
    // THEN
    expect(changedResources(planJson)).toEqual(["okta_app_oauth.QlikOidcApp_DCEADC5B: update"]);
    log.add(await apply(engine, stackDir, "tfplan2", { env: env() }));
    expect(sandbox.okta.state.apps()[0].label).toBe("Qlik Cloud (EU)");
    expect(sandbox.qlik.idps()).toHaveLength(1);
  });

  it("destroys: Okta is empty and the Qlik IdP is retained (onDestroy: retain)", async () => {
    const writesBefore = sandbox.qlik.writes().length;
    const r = await destroy(engine, stackDir, { env: env() });
    log.add(r);
    expect(sandbox.okta.state.isEmpty()).toBe(true);
    expect(sandbox.okta.unexpected).toEqual([]);
    expect(sandbox.qlik.idps()).toHaveLength(1);
    expect(sandbox.qlik.writes().length).toBe(writesBefore);
  });

  it("never printed a secret: no Okta token, Qlik key or client secret in any engine output", () => {
    const secrets = [OKTA_TOKEN, QLIK_KEY];
    const clientSecret = (sandbox.qlik.idps()[0] as Record<string, any>).pendingOptions.clientSecret as string;
    expect(clientSecret.length).toBeGreaterThan(10);
    secrets.push(clientSecret);
    expect(log.text.length).toBeGreaterThan(1000);
    for (const s of secrets) expect(log.text).not.toContain(s);
    expect(existsSync(path.join(stackDir, "cdk.tf.json"))).toBe(true);
    const synthesized = readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8");
    for (const s of secrets) expect(synthesized).not.toContain(s);
  });
});

suite("end to end: the Qlik step rides out rate limits and a server error during apply", () => {
  let engine: Engine;
  let sandbox: Sandbox;

  beforeAll(async () => {
    ensureBuilt();
    engine = await requireEngine();
    sandbox = await startSandbox({ qlik: { tenantHostname: HOST } });
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it("applies with 429s and a 503 injected, creates exactly one IdP, then deletes it on destroy (onDestroy: delete)", async () => {
    // GIVEN a stack that deletes its IdP on destroy, and a Qlik API that throttles and fails once
    const dir = workspace(exampleConfig({ "onDestroy: retain": "onDestroy: delete" }));
    const synth = qlikOkta(["synth"], dir);
    expect(synth.status).toBe(0);
    const stackDir = path.join(dir, "cdktf.out", "stacks", "example");
    const env = envFor(engine, sandbox.env);
    sandbox.qlik.inject({ kind: "status", status: 429, retryAfter: 1, times: 2, path: "/api/v1/identity-providers" });
    sandbox.qlik.inject({ kind: "status", status: 503, times: 1, method: "GET", path: "/api/v1/identity-providers" });
    // WHEN
    await init(engine, stackDir, { env });
    await apply(engine, stackDir, { autoApprove: true }, { env });
    // THEN the faults were hit and there is still exactly one IdP
    expect(sandbox.qlik.requests.filter((r) => r.faulted).map((r) => r.faulted)).toEqual(
      expect.arrayContaining(["status:429", "status:503"]),
    );
    expect(sandbox.qlik.idps()).toHaveLength(1);
    // AND destroy removes it, because the stack says onDestroy: delete
    await destroy(engine, stackDir, { env });
    expect(sandbox.qlik.idps()).toHaveLength(0);
    expect(sandbox.okta.state.isEmpty()).toBe(true);
  });
});

/**
 * `qlik-okta plan | report | apply` as a pipeline runs them: the real compiled CLI, the real engine and okta
 * provider, both SaaS APIs emulated in this process (so the CLI is always spawned asynchronously: the emulators
 * must keep answering while it runs).
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { Sandbox, startSandbox } from "../../lib/emulators/sandbox";
import { REVIEW_MARKER } from "../../lib/review/render";
import { sha256 } from "../../lib/hash";
import { REDACTED as SCRUBBED } from "../../lib/redact";
import { CliRun, engineLikelyAvailable, ensureBuilt, requireEngine, runCli, workspace } from "../e2e/helpers";
import { HOST, OKTA_TOKEN, prodConfig, QLIK_KEY } from "../review/real-plans";
import { removeTempDirs } from "../tmp";

afterAll(removeTempDirs); // every tempDir()/workspace() of this file

const suite = engineLikelyAvailable() ? describe : describe.skip;
jest.setTimeout(120_000);


suite("qlik-okta plan | report | apply against the emulators", () => {
  let sandbox: Sandbox;
  let dir: string;
  const transcript: string[] = [];

  /**
   * `qlik-okta …` in the workspace; no QLIK_/OKTA_ variable of the caller leaks in, only the sandbox's (none at all
   * with `credentials: false`).
   */
  const cli = async (args: readonly string[], extraEnv: Record<string, string> = {}, { credentials = true } = {}): Promise<CliRun> => {
    const run = await runCli(args, dir, { ...(credentials ? sandbox.env : {}), ...extraEnv });
    transcript.push(run.stdout, run.stderr);
    return run;
  };
  const config = (text: string) => writeFileSync(path.join(dir, "qlik-okta.yaml"), text);
  const planDir = (outDir = ".qlik-okta") => path.join(dir, outDir, "prod");
  const meta = (outDir?: string) => JSON.parse(readFileSync(path.join(planDir(outDir), "plan-meta.json"), "utf8"));
  const oktaWrites = () => sandbox.okta.requests.filter((r) => r.method !== "GET").length;

  beforeAll(async () => {
    ensureBuilt();
    await requireEngine();
    sandbox = await startSandbox({ oktaApiToken: OKTA_TOKEN, qlikApiKey: QLIK_KEY, qlik: { tenantHostname: HOST } });
    dir = workspace(prodConfig());
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it("plan: exit 2, the saved plan and the review files, nothing applied", async () => {
    // WHEN
    const r = await cli(["plan"]);
    // THEN
    expect(r.stderr).toBe("");
    expect(r.status).toBe(2);
    expect(r.stdout).toContain("prod — Okta: 6 to add, 0 to change, 0 to destroy · Qlik IdP: create (after the Okta app exists)");
    expect(readdirSync(planDir()).sort()).toEqual(["plan-meta.json", "plan-summary.json", "qlik-plan.json", "tfplan"]);
    // the plan file holds secrets: owner only
    expect(statSync(path.join(planDir(), "tfplan")).mode & 0o777).toBe(0o600);
    expect(statSync(planDir()).mode & 0o777).toBe(0o700);
    expect(meta()).toMatchObject({
      stack: "prod",
      destroy: false,
      planFile: "tfplan",
      changes: { okta: true, qlik: true },
      stackJsonSha256: sha256(readFileSync(path.join(dir, "cdktf.out", "stacks", "prod", "cdk.tf.json"))),
      configSha256: sha256(readFileSync(path.join(dir, "qlik-okta.yaml"))),
    });
    expect(JSON.parse(readFileSync(path.join(planDir(), "qlik-plan.json"), "utf8"))).toEqual({ status: "after-okta", reason: "no Okta app in the state yet" });
    expect(sandbox.okta.state.apps()).toHaveLength(0);
    expect(sandbox.qlik.idps()).toHaveLength(0);
  });

  it("report: the review comment from those files", async () => {
    const r = await cli(["report", "--output", "comment.md", "--commit", "0123456789abcdef"]);
    expect(r.status).toBe(0);
    const md = readFileSync(path.join(dir, "comment.md"), "utf8");
    expect(md.split("\n")[0]).toBe(REVIEW_MARKER);
    expect(md).toContain("**prod** — Okta: 6 to add, 0 to change, 0 to destroy · Qlik IdP: create (after the Okta app exists)");
    expect(md).toContain("commit `0123456789ab`");
    // to stdout without --output
    const out = await cli(["report", "--commit", "0123456789abcdef"]);
    expect(out.stdout.trim()).toBe(md.trim());
  });

  it("apply: applies the reviewed plan, then the Qlik step; the plan file is gone", async () => {
    const r = await cli(["apply"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("prod: applied the reviewed plan (Okta: 6 added, 0 changed, 0 destroyed)");
    expect(sandbox.okta.state.apps()).toHaveLength(1);
    const idps = sandbox.qlik.idps();
    expect(idps).toHaveLength(1);
    expect(idps[0]).toMatchObject({ pendingState: "pending", active: false });
    expect(existsSync(path.join(planDir(), "tfplan"))).toBe(false);
    expect(meta().appliedAt).toEqual(expect.any(String));
    // applying again needs a new plan
    const again = await cli(["apply"]);
    expect(again.status).toBe(1);
    expect(again.stderr.trim()).toBe("no saved plan for stack prod in .qlik-okta/prod (never planned, or already applied); run qlik-okta plan first");
  });

  it("plan after apply: no changes anywhere, exit 0", async () => {
    const r = await cli(["plan"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("prod — Okta: no changes · Qlik IdP: none");
    expect(JSON.parse(readFileSync(path.join(planDir(), "qlik-plan.json"), "utf8"))).toMatchObject({ status: "planned", report: { ok: true, changed: false } });
  });

  it("a validated IdP shows as a Qlik change and apply promotes it, though Okta has nothing to do", async () => {
    // GIVEN an admin validated the test login
    const [idp] = sandbox.qlik.idps() as { id: string }[];
    sandbox.qlik.completeVerification(idp.id);
    // WHEN
    const p = await cli(["plan"]);
    // THEN
    expect(p.status).toBe(2);
    expect(p.stdout).toContain("prod — Okta: no changes · Qlik IdP: promote");
    const a = await cli(["apply"]);
    expect(a.status).toBe(0);
    expect(a.stdout).toContain("~ promote the validated configuration of Okta IdP");
    const [app] = sandbox.okta.state.apps();
    expect(sandbox.qlik.idps()[0]).toMatchObject({ options: { clientId: app.clientId } });
    expect((await cli(["plan"])).status).toBe(0);
  });

  it("apply refuses a plan made before the config changed, and applies nothing", async () => {
    // GIVEN a reviewed plan for one label
    config(prodConfig({ "label: Qlik Cloud": "label: Qlik Cloud (EU)" }));
    expect((await cli(["plan"])).status).toBe(2);
    // AND the config changed after the review
    config(prodConfig({ "label: Qlik Cloud": "label: Qlik Cloud (US)" }));
    const writes = oktaWrites();
    // WHEN
    const r = await cli(["apply"]);
    // THEN one line, exit 1, nothing applied, the plan kept
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("the plan in .qlik-okta/prod was made for a different configuration; run qlik-okta plan again\n");
    expect(oktaWrites()).toBe(writes);
    expect(sandbox.okta.state.apps()[0].label).toBe("Qlik Cloud");
    expect(existsSync(path.join(planDir(), "tfplan"))).toBe(true);
  });

  it("apply refuses a plan whose state moved on since it was made", async () => {
    // GIVEN two plans of the same change, and the second one applied
    config(prodConfig({ "label: Qlik Cloud": "label: Qlik Cloud (EU)" }));
    expect((await cli(["plan", "--out-dir", "first"])).status).toBe(2);
    expect((await cli(["plan", "--out-dir", "second"])).status).toBe(2);
    expect((await cli(["apply", "--out-dir", "second"])).status).toBe(0);
    expect(sandbox.okta.state.apps()[0].label).toBe("Qlik Cloud (EU)");
    // WHEN the first is applied
    const r = await cli(["apply", "--out-dir", "first"]);
    // THEN the engine's refusal, as one line
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("the plan in first/prod is stale: the stack's state changed after it was made (another apply ran); run qlik-okta plan again\n");
  });

  it("a Qlik plan that cannot run fails the plan (exit 1), and the comment says why", async () => {
    // GIVEN a Qlik API key the tenant does not accept
    const r = await cli(["plan"], { QLIK_API_KEY: "qlik-wrong-key-0000" });
    // THEN
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("prod — Okta: no changes · Qlik IdP: plan failed");
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^prod: the Qlik plan failed: .*401/)]);
    const report = await cli(["report"]);
    expect(report.stdout).toContain("❌ The Qlik plan failed:");
    // AND apply refuses that plan before touching Okta
    const writesBefore = sandbox.okta.requests.filter((q) => q.method !== "GET").length;
    const applied = await cli(["apply"]);
    expect(applied.status).toBe(1);
    expect(applied.stderr).toMatch(/^the plan in \.qlik-okta\/prod failed \(Qlik: .*401.*\); fix that and run qlik-okta plan again\n$/);
    expect(sandbox.okta.requests.filter((q) => q.method !== "GET").length).toBe(writesBefore);
  });

  it("never printed or wrote a secret: no client secret, Okta token or Qlik key in any output or review file", () => {
    const [app] = sandbox.okta.state.apps();
    const secrets = [app.clientSecret!, OKTA_TOKEN, QLIK_KEY];
    expect(secrets[0].length).toBeGreaterThan(20);
    const files = [".qlik-okta", "first", "second"].flatMap((d) =>
      readdirSync(path.join(dir, d, "prod"))
        .filter((f) => f.endsWith(".json"))
        .map((f) => readFileSync(path.join(dir, d, "prod", f), "utf8")),
    );
    const everything = [...transcript, ...files, readFileSync(path.join(dir, "comment.md"), "utf8")].join("\n");
    expect(everything).toContain("okta_app_oauth.QlikOidcApp_DCEADC5B");
    for (const s of secrets) expect(everything).not.toContain(s);
  });

  // Last: it leaves the workspace's config and .qlik-okta/prod holding this plan.
  it("plan scrubs the Qlik API key from config values, so a report made without credentials cannot leak it", async () => {
    // GIVEN the Qlik API key pasted where a URL belongs: the config error quotes the value
    config(prodConfig({ "orgUrl: https://acme.okta.com": `orgUrl: ${QLIK_KEY}` }));
    const refused = await cli(["plan"]);
    // AND then into the app's label and the IdP's description (neither looks like a secret to the config loader,
    // so both are accepted)
    config(prodConfig({ "label: Qlik Cloud": `label: Qlik Cloud ${QLIK_KEY}`, "description: Okta": `description: Okta ${QLIK_KEY}` }));
    // WHEN planned with that key in the environment
    const planned = await cli(["plan"]);
    // AND reported with no QLIK_/OKTA_ variable at all (so the report knows no secret to scrub)
    const report = await cli(["report"], {}, { credentials: false });
    // THEN the plans ran: the first refused the config, the second changes the label in Okta
    expect(refused.status).toBe(1);
    expect(planned.stderr).toBe("");
    expect(planned.status).toBe(2);
    expect(planned.stdout).toContain("prod — Okta: 0 to add, 1 to change, 0 to destroy");
    expect(report.status).toBe(0);
    // AND the key is in no review file and no output
    const texts: Record<string, string> = {
      "config-error plan stdout": refused.stdout,
      "config-error plan stderr": refused.stderr,
      "plan stdout": planned.stdout,
      "plan stderr": planned.stderr,
      ...Object.fromEntries(["plan-summary.json", "qlik-plan.json", "plan-meta.json"].map((f) => [f, readFileSync(path.join(planDir(), f), "utf8")])),
    };
    expect(Object.keys(texts).filter((name) => texts[name].includes(QLIK_KEY))).toEqual([]);
    expect(report.stdout + report.stderr).not.toContain(QLIK_KEY);
    // AND it was scrubbed where it landed (so it did land there)
    expect(refused.stderr).toContain(`stacks.prod.okta.orgUrl: "${SCRUBBED}" is not a URL`);
    expect(texts["plan-summary.json"]).toContain(`Qlik Cloud ${SCRUBBED}`);
    expect(texts["qlik-plan.json"]).toContain(`Okta ${SCRUBBED}`);
    expect(report.stdout).toContain(`Qlik Cloud ${SCRUBBED}`);
  });
});

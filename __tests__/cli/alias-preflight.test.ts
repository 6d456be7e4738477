/**
 * The alias failure mode, end to end: a config that names the tenant by its alias must never reach Okta, not even
 * on the very first plan, when there is no Okta app yet for the Qlik step to diff against.
 */
import { Sandbox, startSandbox } from "../../lib/emulators/sandbox";
import { engineLikelyAvailable, ensureBuilt, exampleConfig, requireEngine, runCli, workspace } from "../e2e/helpers";
import { removeTempDirs } from "../tmp";

afterAll(removeTempDirs); // every tempDir()/workspace() of this file

const suite = engineLikelyAvailable() ? describe : describe.skip;
const REAL = "acme.eu.qlikcloud.com";
const ALIAS = "analytics.acme-corp.eu.qlikcloud.com";

suite("a tenant alias in the config", () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    ensureBuilt();
    await requireEngine();
    sandbox = await startSandbox({ qlik: { tenantHostname: REAL, aliases: [ALIAS] } });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it("fails the first plan naming the real hostname, and apply then changes nothing in Okta", async () => {
    // GIVEN a fresh stack whose tenantHostname is the alias
    const dir = workspace(exampleConfig({ [`tenantHostname: ${REAL}`]: `tenantHostname: ${ALIAS}` }));
    const run = async (args: string[]) => {
      const r = await runCli(args, dir, sandbox.env);
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    // WHEN
    const plan = await run(["plan"]);
    // THEN the plan fails with the real hostname in its one line
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(`${ALIAS} is an alias of the Qlik tenant ${REAL}: set stacks.example.qlik.tenantHostname to ${REAL}`);
    // AND apply refuses it before the engine runs: Okta is untouched
    const apply = await run(["apply"]);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toMatch(/^the plan in \.qlik-okta\/example failed \(Qlik: .*is an alias of the Qlik tenant/);
    expect(sandbox.okta.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(sandbox.okta.state.isEmpty()).toBe(true);
  });
});

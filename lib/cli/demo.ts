/**
 * `npm start`: the whole flow on the bundled example, with no accounts: both SaaS APIs emulated on loopback, the real
 * engine (OpenTofu built from Go modules, or terraform/tofu on PATH) and the real okta/okta 4.20.0 provider.
 * synth → init → plan → apply → (an admin validates the test login) → promote → plan (no changes) → destroy.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { startSandbox } from "../emulators/sandbox";
import { Engine, engineEnv, ensureEngine, OKTA_PROVIDER_VERSION } from "../engine";
import { apply, destroy, init, output, plan, show } from "../engine/run";
import { BUNDLED_EXAMPLE, loadConfigFile } from "../config/load";
import { ENV, RESULT_FILE, SYNTH_DIR } from "../contract";
import { CLI_ENTRY } from "../paths";
import type { IdpReport } from "../qlik/reconcile";
import { synthesizeStacks } from "../app";

const say = (line = "") => process.stdout.write(`${line}\n`);
const step = (n: number, title: string) => say(`\n${n}. ${title}`);

/**
 * Always through the provisioning chain (scripts/engine.sh): an engine found on PATH alone has no okta provider here
 * (no registry), and the chain answers from its cache in well under a second once it has run.
 */
async function engineForDemo(): Promise<Engine> {
  say("   Provisioning the engine and the okta provider (scripts/engine.sh; from its cache when it has run before,");
  say("   else it builds the provider from source: about 2 min the first time)…");
  return ensureEngine(process.env, { preferInstalled: true });
}

/** The demo's engine line: which binary runs, and where the okta provider really came from. */
export function engineLine(engine: Engine): string {
  const provider = engine.provider
    ? `okta/okta ${OKTA_PROVIDER_VERSION} from the offline mirror ${engine.provider.mirror} (${engine.provider.origin})`
    : `okta/okta ${OKTA_PROVIDER_VERSION} as the engine's CLI config ${engine.cliConfigFile ?? "(none)"} installs it`;
  return `Engine: ${engine.name} ${engine.version} (${engine.source}: ${engine.binary}); provider ${provider}`;
}

interface PlanJson {
  resource_changes?: { address: string; type: string; change: { actions: string[] } }[];
}

export async function runDemo(): Promise<void> {
  const config = loadConfigFile(BUNDLED_EXAMPLE);
  const [stackName] = Object.keys(config.stacks);
  const stack = config.stacks[stackName];
  const host = stack.qlik.tenantHostname;

  say("qlik-okta-iac demo: the 23-step Okta + Qlik Cloud article as code, against local emulators (no accounts needed).");
  say(`Config: ${path.relative(process.cwd(), BUNDLED_EXAMPLE)} (stack "${stackName}", tenant ${host}, Okta ${stack.okta.orgUrl})`);

  const engine = await engineForDemo();
  say(engineLine(engine));

  const sandbox = await startSandbox({ qlik: { tenantHostname: host } });
  const work = mkdtempSync(path.join(tmpdir(), "qlik-okta-demo-"));
  try {
    say(`Emulators: Okta ${sandbox.okta.url} (via OKTA_HTTP_PROXY), Qlik ${sandbox.qlik.url} (via QLIK_BASE_URL)`);
    const env = engineEnv(engine, sandbox.env);
    const outdir = path.join(work, SYNTH_DIR);
    const dir = path.join(outdir, "stacks", stackName);

    step(1, "Synthesize");
    synthesizeStacks(config, { outdir });
    say(`   wrote ${path.relative(work, path.join(dir, "cdk.tf.json"))} (no secrets in it: the token comes from OKTA_API_TOKEN)`);

    step(2, `${engine.name} init + plan`);
    await init(engine, dir, { env });
    await plan(engine, dir, { env, out: "tfplan" });
    const planned = await show<PlanJson>(engine, dir, "tfplan", { env });
    for (const rc of planned.resource_changes ?? []) {
      if (rc.change.actions.join() !== "no-op" && rc.change.actions.join() !== "read") say(`   + ${rc.address}`);
    }

    step(3, `${engine.name} apply (the Qlik step runs right after the Okta resources, in the same apply)`);
    await apply(engine, dir, "tfplan", { env });
    const [app] = sandbox.okta.state.apps();
    say(`   Okta app "${app.label}": client id ${app.clientId}, sign-in redirect ${app.redirectUris.join(", ")}`);
    const claim = sandbox.okta.state.idTokenGroupsClaim(app.id);
    say(`   ID token: issuer = Okta URL, groups claim "${claim?.name}" matches regex ${claim?.value}`);
    say(`   Assigned to: ${sandbox.okta.state.appGroupAssignments(app.id).map((a) => a.groupName).join(", ")}`);
    for (const as of sandbox.okta.state.authServers()) {
      const scopes = sandbox.okta.state.scopes(as.id).filter((s) => !s.system).map((s) => s.name);
      say(`   Authorization server ${as.name} (audience ${as.audiences.join(", ")}), scopes ${scopes.join(", ")}, policy for all clients, client-credentials rule`);
    }
    const idp = sandbox.qlik.idps()[0] as { id: string; active: boolean; pendingState?: string; description: string };
    say(`   Qlik IdP ${idp.id} "${idp.description}": active=${idp.active}, verification ${idp.pendingState}`);
    const result = JSON.parse(readFileSync(path.join(dir, RESULT_FILE), "utf8")) as IdpReport;
    for (const next of result.nextSteps ?? []) say(`   next: ${next}`);

    step(4, "A tenant admin validates the test login in the Qlik console (simulated), then the pipeline runs again");
    sandbox.qlik.completeVerification(idp.id);
    const outputs = await output<Record<string, { value: string }>>(engine, dir, { env });
    const configFile = path.join(work, "qlik-okta.yaml");
    writeFileSync(configFile, readFileSync(BUNDLED_EXAMPLE, "utf8"));
    // Asynchronously: the emulators live in this process and must keep answering while the CLI runs.
    const promote = await promisify(execFile)(
      process.execPath,
      [CLI_ENTRY, "idp", "apply", "--config", configFile, "--stack", stackName, "--client-id", outputs.okta_client_id.value],
      // The secret travels in the environment only (from the sensitive output), never on a command line.
      { env: { ...process.env, ...sandbox.env, [ENV.idpClientSecret]: outputs.okta_client_secret.value }, encoding: "utf8" },
    ).catch((e: { stderr?: string }) => {
      throw new Error(`idp apply failed: ${(e.stderr ?? "").trim()}`);
    });
    for (const line of promote.stdout.trim().split("\n")) if (line) say(`   ${line}`);
    const live = sandbox.qlik.idps()[0] as { options?: { clientId: string }; pendingState?: string; active: boolean };
    say(`   Qlik IdP now has live options for client ${live.options?.clientId} (active=${live.active}; the stack sets activate: ${stack.identityProvider.activate})`);

    step(5, `${engine.name} plan again`);
    const again = await plan(engine, dir, { env, detailedExitcode: true });
    // The demo proves the flow converges: a second plan with changes is a failure, not a line to read past.
    if (again.changes) throw new Error("the plan after apply still has changes; the stack does not converge (please report it)");
    say("   No changes: the applied stack matches the config");

    step(6, `${engine.name} destroy`);
    await destroy(engine, dir, { env });
    say(`   Okta org empty again: ${sandbox.okta.state.isEmpty()}`);
    say(`   Qlik IdPs left: ${sandbox.qlik.idps().length} (onDestroy: ${stack.identityProvider.onDestroy}: a destroy never takes the tenant's login away unless asked)`);

    say("\nWith real accounts: set OKTA_API_TOKEN and QLIK_API_KEY, put your org and tenant in qlik-okta.yaml, then");
    say("`qlik-okta doctor`, `qlik-okta plan`, `qlik-okta report` (the review comment) and `qlik-okta apply` (see README).");
  } finally {
    await sandbox.close();
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runDemo().catch((e: unknown) => {
    process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}

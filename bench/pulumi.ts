/**
 * The Pulumi variant's timings next to the Terraform flow's, on the bundled example against both emulators, each
 * step a fresh CLI process (`qlik-okta pulumi preview|up|destroy`; `synth` + `tofu init/plan/apply/destroy`), as a
 * user runs them. Benchmarks, not tests: nothing fails on a number.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { startSandbox } from "../lib/emulators/sandbox";
import { engineEnv, resolveEngine } from "../lib/engine";
import { apply, destroy, init, plan } from "../lib/engine/run";
import { CLI_ENTRY, PROJECT_ROOT } from "../lib/paths";
import { findPulumiEngine } from "../lib/pulumi/engine";

const RUNS = Math.max(1, Math.min(Number(process.env.BENCH_RUNS ?? 3), 5));

interface Timings {
  [step: string]: number[];
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function cli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], { cwd, env, stdio: "ignore" });
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  });
}

async function expectCode(p: Promise<number>, ok: readonly number[], what: string): Promise<void> {
  const code = await p;
  if (!ok.includes(code)) throw new Error(`${what} exited ${code}`);
}

/** One full Pulumi flow in a fresh project and fresh emulators. */
async function pulumiFlow(t: Timings): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "qlik-okta-bench-pulumi-"));
  const sandbox = await startSandbox();
  try {
    writeFileSync(path.join(dir, "qlik-okta.yaml"), readFileSync(path.join(PROJECT_ROOT, "examples", "qlik-okta.yaml")));
    const env = { ...process.env, ...sandbox.env, PULUMI_CONFIG_PASSPHRASE: "bench-passphrase" };
    const step = async (name: string, args: string[], ok: number[]) => (t[name] ??= []).push(await timed(() => expectCode(cli(args, dir, env), ok, name)));
    await step("pulumi preview (creates)", ["pulumi", "preview"], [2]);
    await step("pulumi up (creates)", ["pulumi", "up"], [0]);
    await step("pulumi preview (no changes)", ["pulumi", "preview"], [0]);
    await step("pulumi destroy", ["pulumi", "destroy"], [0]);
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same flow through the Terraform engine (OpenTofu from scripts/engine.sh, or TF_BINARY). */
async function terraformFlow(t: Timings): Promise<void> {
  const engine = await resolveEngine(process.env);
  const dir = mkdtempSync(path.join(tmpdir(), "qlik-okta-bench-tf-"));
  const sandbox = await startSandbox();
  try {
    writeFileSync(path.join(dir, "qlik-okta.yaml"), readFileSync(path.join(PROJECT_ROOT, "examples", "qlik-okta.yaml")));
    const stackDir = path.join(dir, "cdktf.out", "stacks", "example");
    const env = engineEnv(engine, sandbox.env);
    const step = async (name: string, fn: () => Promise<unknown>) => (t[name] ??= []).push(await timed(fn));
    await step("synth + init", async () => {
      await expectCode(cli(["synth"], dir, process.env), [0], "synth");
      await init(engine, stackDir, { env });
    });
    await step("plan (creates)", () => plan(engine, stackDir, { env, out: "tfplan" }));
    await step("apply (creates)", () => apply(engine, stackDir, "tfplan", { env }));
    await step("plan (no changes)", () => plan(engine, stackDir, { env, detailedExitcode: true }));
    await step("destroy", () => destroy(engine, stackDir, { env }));
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function rows(t: Timings): string[] {
  return Object.entries(t).map(([name, xs]) => `${name.padEnd(34)} median ${median(xs).toFixed(0).padStart(5)} ms  (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, n=${xs.length})`);
}

/** The lines `npm run bench` prints for the Pulumi variant, or why it could not run. */
export async function benchPulumi(): Promise<string[]> {
  try {
    findPulumiEngine(process.env);
  } catch (e) {
    return [`Pulumi: not measured (${e instanceof Error ? e.message : String(e)})`];
  }
  const pulumi: Timings = {};
  const terraform: Timings = {};
  for (let i = 0; i < RUNS; i++) await pulumiFlow(pulumi);
  const lines = ["Pulumi (qlik-okta pulumi, Automation API, refresh on preview/up):", ...rows(pulumi).map((l) => `  ${l}`)];
  try {
    for (let i = 0; i < RUNS; i++) await terraformFlow(terraform);
    lines.push("Terraform flow, same example (the engine's commands):", ...rows(terraform).map((l) => `  ${l}`));
  } catch (e) {
    lines.push(`Terraform flow: not measured (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`);
  }
  return lines;
}

if (require.main === module) {
  benchPulumi().then(
    (lines) => console.log(lines.join("\n")),
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}

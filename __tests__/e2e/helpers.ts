import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { Engine, engineEnv, EngineNotFoundError, resolveEngine } from "../../lib/engine";
import { RunResult } from "../../lib/engine/run";
import { CLI_ENTRY, PROJECT_ROOT } from "../../lib/paths";
import { tempDir } from "../tmp";

/** Running under CI (`CI=true` or `CI=1`): a missing engine fails the end-to-end tests instead of skipping them. */
export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === "true" || env.CI === "1";
}

/**
 * The engine for end-to-end tests. Under CI (see {@link isCI}) a missing engine is a failure, never a skip
 * (`.ci/run` provisions it with scripts/engine.sh first).
 */
export async function requireEngine(choice: Record<string, string> = {}): Promise<Engine> {
  try {
    return await resolveEngine({ ...process.env, ...choice });
  } catch (e) {
    if (e instanceof EngineNotFoundError) {
      throw new Error(`end-to-end tests need the engine: ${e.message} Run \`npm run engine\` (or set TF_BINARY).`);
    }
    throw e;
  }
}

/**
 * Outside CI, a machine without the engine skips the end-to-end suites with a loud banner; under CI=true they run
 * and fail in `requireEngine`.
 */
export function engineLikelyAvailable(): boolean {
  if (isCI()) return true;
  const available =
    !!process.env.TF_BINARY ||
    existsSync(path.join(process.env.XDG_CACHE_HOME || path.join(process.env.HOME ?? "", ".cache"), "qlik-okta-iac", "engine", "cli.tfrc")) ||
    !!process.env.QLIK_OKTA_ENGINE_DIR;
  if (!available) {
    process.stderr.write(
      "\n*** SKIPPING end-to-end engine tests: no engine provisioned. Run `npm run engine` first (CI=true or CI=1 makes this a failure). ***\n\n",
    );
  }
  return available;
}

export function ensureBuilt(): void {
  if (!existsSync(CLI_ENTRY)) {
    const r = spawnSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: PROJECT_ROOT, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`build failed: ${r.stdout}${r.stderr}`);
  }
}

/** A scratch project directory holding a config file; removed by `removeTempDirs()` (call it from `afterAll`). */
export function workspace(config: string): string {
  const dir = tempDir("qlik-okta-e2e-");
  writeFileSync(path.join(dir, "qlik-okta.yaml"), config);
  return dir;
}

/** What a CLI run printed, and how it ended. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run the real CLI asynchronously — the emulators live in the test process and must keep answering meanwhile.
 * The caller's QLIK_* and OKTA_* variables are not inherited: only `env` reaches the CLI.
 */
export function runCli(args: readonly string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(QLIK|OKTA)_/.test(k)));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], { cwd, env: { ...base, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** Run the real CLI as users do (synchronously: only for commands that talk to no emulator, like synth). */
export function qlikOkta(args: readonly string[], cwd: string, env: Record<string, string | undefined> = {}) {
  return spawnSync(process.execPath, [CLI_ENTRY, ...args], { cwd, env: { ...process.env, ...env }, encoding: "utf8" });
}

/** The bundled example with one YAML line swapped (e.g. a label), for "change one value" steps. */
export function exampleConfig(replace: Record<string, string> = {}): string {
  let text = readFileSync(path.join(PROJECT_ROOT, "examples", "qlik-okta.yaml"), "utf8");
  for (const [from, to] of Object.entries(replace)) {
    if (!text.includes(from)) throw new Error(`example config has no ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  return text;
}

/** Collects every byte the engine printed, to prove no secret ever appeared in it. */
export class EngineLog {
  private readonly chunks: string[] = [];
  add(result: RunResult | { stdout: string; stderr: string }): void {
    this.chunks.push(result.stdout, result.stderr);
  }
  get text(): string {
    return this.chunks.join("\n");
  }
}

export function envFor(engine: Engine, extra: Record<string, string>): NodeJS.ProcessEnv {
  return engineEnv(engine, extra);
}

/** `resource_changes` of `show -json` reduced to "address: actions" for readable assertions. */
export function changedResources(planJson: { resource_changes?: { address: string; change: { actions: string[] } }[] }): string[] {
  return (planJson.resource_changes ?? [])
    .filter((rc) => !(rc.change.actions.length === 1 && (rc.change.actions[0] === "no-op" || rc.change.actions[0] === "read")))
    .map((rc) => `${rc.address}: ${rc.change.actions.join("+")}`);
}

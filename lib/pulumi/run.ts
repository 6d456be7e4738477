/**
 * Driving the Pulumi engine through the Automation API with an inline program (no Node language host needed): one
 * config stack → one Pulumi stack of project `qlik-okta`, state in a local file:// backend under the project's out
 * dir unless PULUMI_BACKEND_URL says otherwise, secrets encrypted with PULUMI_CONFIG_PASSPHRASE.
 *
 * Every line Pulumi prints reaches the caller's Output (which redacts known secrets); nothing here prints.
 */
import { mkdirSync } from "node:fs";
import type { StackConfig } from "../config/schema";
import { findPulumiEngine, PulumiDirs, pulumiDirs, pulumiEnv, PulumiEngine } from "./engine";
import { missingPassphraseError, pulumiRunError } from "./errors";
import { qlikOktaProgram } from "./program";

export const PROJECT_NAME = "qlik-okta";

export type PulumiAction = "preview" | "up" | "destroy";

export interface PulumiRunOptions {
  readonly action: PulumiAction;
  /** The config stack (and Pulumi stack) name. */
  readonly stack: string;
  readonly config: StackConfig;
  /** Every line of Pulumi's output. */
  readonly onLine: (line: string) => void;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default process.cwd() */
  readonly cwd?: string;
}

export interface PulumiRunResult {
  /** Resource operations by kind (`create`, `update`, `delete`, `same`, …). */
  readonly changes: Readonly<Record<string, number>>;
  /** Whether anything would change or changed (anything but `same`). */
  readonly changed: boolean;
  /** Stack outputs after `up` (secret ones left out). */
  readonly outputs?: Readonly<Record<string, unknown>>;
  readonly engine: PulumiEngine;
  readonly dirs: PulumiDirs;
  /** Milliseconds the Pulumi operation took (the benchmark reads it). */
  readonly ms: number;
}

/** Checks what can be checked before anything starts: the passphrase and the engine. */
export function pulumiPreflight(env: NodeJS.ProcessEnv): PulumiEngine {
  if (!env.PULUMI_CONFIG_PASSPHRASE && !env.PULUMI_CONFIG_PASSPHRASE_FILE) throw missingPassphraseError();
  return findPulumiEngine(env);
}

export async function runPulumiAction(options: PulumiRunOptions): Promise<PulumiRunResult> {
  const env = options.env ?? process.env;
  const engine = pulumiPreflight(env);
  const dirs = pulumiDirs(env, options.cwd);
  for (const dir of [dirs.workDir, dirs.home, dirs.stateDir]) if (dir) mkdirSync(dir, { recursive: true, mode: 0o700 });

  // Loaded on use: the Automation API (and gRPC) stay out of every other command.
  const { LocalWorkspace, PulumiCommand } = await import("@pulumi/pulumi/automation");
  const envVars = pulumiEnv(engine, dirs, env);
  const pulumiCommand = await PulumiCommand.get({ root: engine.root });
  const stack = await LocalWorkspace.createOrSelectStack(
    { projectName: PROJECT_NAME, stackName: options.stack, program: qlikOktaProgram(options.stack, options.config) },
    {
      workDir: dirs.workDir,
      pulumiHome: dirs.home,
      envVars,
      pulumiCommand,
      secretsProvider: "passphrase",
      projectSettings: { name: PROJECT_NAME, runtime: "nodejs", backend: { url: dirs.backendUrl } },
    },
  );

  const lines = lineSplitter(options.onLine);
  const common = { color: "never" as const, onOutput: lines.push };
  const start = Date.now();
  try {
    if (options.action === "preview") {
      // refresh: the "before" of every field is what Okta and Qlik hold now, not what the last run saw.
      const r = await stack.preview({ ...common, diff: true, refresh: true });
      lines.flush();
      return result(r.changeSummary, undefined);
    }
    if (options.action === "up") {
      const r = await stack.up({ ...common, diff: true, refresh: true });
      lines.flush();
      const outputs = Object.fromEntries(Object.entries(r.outputs).filter(([, o]) => !o.secret).map(([k, o]) => [k, o.value]));
      return result(r.summary.resourceChanges ?? {}, outputs);
    }
    const r = await stack.destroy({ ...common });
    lines.flush();
    return result(r.summary.resourceChanges ?? {}, undefined);
  } catch (e) {
    lines.flush();
    throw pulumiRunError(options.action, options.stack, failureLine(e));
  }

  function result(changes: Readonly<Record<string, number>>, outputs: Record<string, unknown> | undefined): PulumiRunResult {
    const changed = Object.entries(changes).some(([kind, n]) => kind !== "same" && n > 0);
    return { changes, changed, ...(outputs ? { outputs } : {}), engine, dirs, ms: Date.now() - start };
  }
}

/**
 * The one line that says why a Pulumi run failed: the first diagnostic `error:` line that is not Pulumi's summary
 * ("update failed", "preview failed"), else the first line of the error.
 */
export function failureLine(e: unknown): string {
  const text = e instanceof Error ? `${(e as { stderr?: string }).stderr ?? ""}\n${(e as { stdout?: string }).stdout ?? ""}\n${e.message}` : String(e);
  const errors = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^error: /.test(l))
    .map((l) => l.replace(/^error: /, ""))
    .filter((l) => !/^(update|preview|destroy|refresh) failed$/.test(l) && !/^an unhandled error occurred/i.test(l));
  const first = errors[0] ?? text.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "unknown error";
  return first.replace(/^qlik-okta: /, "");
}

/** Pulumi's output arrives in chunks; the Output takes lines. */
function lineSplitter(onLine: (line: string) => void): { push: (chunk: string) => void; flush: () => void } {
  let pending = "";
  return {
    push: (chunk: string) => {
      pending += chunk;
      const parts = pending.split("\n");
      pending = parts.pop() ?? "";
      for (const p of parts) onLine(p);
    },
    flush: () => {
      if (pending !== "") onLine(pending);
      pending = "";
    },
  };
}

/**
 * What `qlik-okta plan` and `qlik-okta apply` share: synthesize and fingerprint the stacks, find the engine, read
 * the Okta app's credentials from the state, and run the Qlik step in-process with them.
 *
 * The Okta client secret is read from the sensitive output into memory and handed to the Qlik step through an
 * environment object for that call only: never this process's environment, a file, or a command line.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { synthesizeStacks } from "../app";
import { LoadedConfig } from "../config/load";
import { Engine, EngineNotFoundError, resolveEngine } from "../engine/resolve";
import { output as engineOutput } from "../engine/run";
import { unknownStackError } from "../qlik/errors";
import { ReviewError } from "../review/errors";
import { sha256, stackPlanDir } from "../review/out-dir";
import type { QlikIdpReport } from "../review/qlik-plan";
import { loadCommandConfig } from "./config-file";
import { CLIENT_SECRET_ENV, errorLine, runIdp } from "./idp";
import { Output } from "./output";

export interface StackSelection {
  /** Config file. @default - QLIK_OKTA_CONFIG, ./qlik-okta.yaml, else the bundled example */
  readonly config?: string;
  /** One stack. @default - every stack in the config */
  readonly stack?: string;
  /** Plan directory. @default ".qlik-okta" */
  readonly outDir?: string;
}

export interface StackTarget {
  readonly name: string;
  /** cdktf.out/stacks/<name>: where the engine runs. */
  readonly dir: string;
  /** SHA-256 of the freshly synthesized cdk.tf.json. */
  readonly stackJsonSha256: string;
  /** <out-dir>/<name>, absolute. */
  readonly planDir: string;
  /** The same, as the user sees it (relative to the working directory). */
  readonly planDirLabel: string;
}

export interface PreparedStacks {
  readonly configFile: string;
  /** The config file as recorded in plan-meta.json: relative to the working directory when inside it. */
  readonly configLabel: string;
  readonly configSha256: string;
  readonly config: LoadedConfig;
  readonly outDir: string;
  readonly stacks: readonly StackTarget[];
}

/** Where synth writes; the engine runs in `<SYNTH_DIR>/stacks/<stack>` (and the local backend resolves from there). */
export const SYNTH_DIR = "cdktf.out";

export function relative(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
}

/** Load the config (every problem at once, ConfigError), synthesize every stack, fingerprint the selected ones. */
export function prepareStacks(selection: StackSelection, output: Output, env: NodeJS.ProcessEnv = process.env): PreparedStacks {
  const { file, config } = loadCommandConfig(selection.config, output, env);
  const names = Object.keys(config.stacks);
  if (selection.stack !== undefined && !names.includes(selection.stack)) throw unknownStackError(selection.stack, relative(file), names);
  const synthDir = path.resolve(SYNTH_DIR);
  synthesizeStacks(config, { outdir: synthDir });
  const outDir = path.resolve(selection.outDir ?? ".qlik-okta");
  const stacks = (selection.stack !== undefined ? [selection.stack] : names).map((name) => {
    const dir = path.join(synthDir, "stacks", name);
    const planDir = stackPlanDir(outDir, name);
    return {
      name,
      dir,
      stackJsonSha256: sha256(readFileSync(path.join(dir, "cdk.tf.json"))),
      planDir,
      planDirLabel: relative(planDir),
    };
  });
  return { configFile: file, configLabel: relative(file), configSha256: sha256(readFileSync(file)), config, outDir, stacks };
}

export async function findEngine(env: NodeJS.ProcessEnv = process.env): Promise<Engine> {
  try {
    return await resolveEngine(env);
  } catch (e) {
    if (e instanceof EngineNotFoundError) throw new ReviewError(e.message);
    throw e;
  }
}

export interface OktaAppCredentials {
  readonly clientId?: string;
  /** In memory only. */
  readonly clientSecret?: string;
}

/** The Okta app's client id and secret from the stack's outputs; both absent when there is no state yet. */
export async function oktaAppCredentials(engine: Engine, dir: string): Promise<OktaAppCredentials> {
  if (!existsSync(dir)) return {};
  const outputs = await engineOutput<Record<string, { value?: unknown }>>(engine, dir);
  const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
  return { clientId: str(outputs.okta_client_id?.value), clientSecret: str(outputs.okta_client_secret?.value) };
}

/** Why the tenant hostname cannot be used (an alias, unknown, unreachable, bad credentials), or undefined. */
export async function tenantHostnameProblem(tenantHostname: string, stack: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  try {
    const { QlikClient } = await import("../qlik/client");
    const { requireCanonicalHostname } = await import("../qlik/tenant");
    requireCanonicalHostname(tenantHostname, await QlikClient.fromEnv(tenantHostname, {}, env).myTenant(), stack);
    return undefined;
  } catch (e) {
    return errorLine(e);
  }
}

export interface QlikStepResult {
  readonly code: number;
  readonly report?: QlikIdpReport;
  /** The step's one-line error, when it failed. */
  readonly error?: string;
}

/**
 * `qlik-okta idp plan|apply --json` in this process, for one stack, with the app's credentials. Its output is
 * captured (the report JSON) rather than printed; the caller decides what to show.
 */
export async function runQlikStep(
  command: "plan" | "apply",
  target: { readonly configFile: string; readonly stack: string; readonly clientId: string; readonly clientSecret: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<QlikStepResult> {
  const out: string[] = [];
  const err: string[] = [];
  const capture: Output = { out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await runIdp(
    command,
    { config: target.configFile, stack: target.stack, clientId: target.clientId, json: true },
    capture,
    { ...env, [CLIENT_SECRET_ENV]: target.clientSecret },
  );
  let report: QlikIdpReport | undefined;
  try {
    report = JSON.parse(out.join("\n")) as QlikIdpReport;
  } catch {
    report = undefined;
  }
  const error = code === 1 ? (report?.error ?? err.find((l) => l.trim() !== "") ?? `idp ${command} failed`) : undefined;
  return { code, ...(report ? { report } : {}), ...(error ? { error } : {}) };
}

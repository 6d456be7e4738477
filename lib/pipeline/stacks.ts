/**
 * What `qlik-okta plan` and `qlik-okta apply` share: synthesize and fingerprint the stacks, read the Okta app's
 * credentials from the state, and run the Qlik step in-process with them.
 *
 * The Okta client secret is read from the sensitive output into memory and handed to the Qlik step through an
 * environment object for that call only: never this process's environment, a file, or a command line.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { synthesizeInto } from "../app";
import { LoadedConfig } from "../config/load";
import type { Engine } from "../engine/resolve";
import { output as engineOutput } from "../engine/run";
import { OUT_DIR, SYNTH_DIR } from "../contract";
import { errorLine } from "../errors";
import { sha256 } from "../hash";
import { unknownStackError } from "../qlik/errors";
import type { IdpReport } from "../qlik/reconcile";
import { idpRequestFromConfig } from "../qlik/request";
import { importTargets } from "../review/adoption";
import { stackPlanDir } from "../review/out-dir";

/** The config a command works on, as `loadCommandConfig` found it (never the bundled example: it names no real tenant). */
export interface LoadedCommandConfig {
  readonly file: string;
  readonly config: LoadedConfig;
}

export interface StackSelection {
  /** One stack. @default - every stack in the config */
  readonly stack?: string;
  /** Plan directory. @default OUT_DIR (".qlik-okta") */
  readonly outDir?: string;
}

export interface StackTarget {
  readonly name: string;
  /** cdktf.out/stacks/<name>: where the engine runs. */
  readonly dir: string;
  /** SHA-256 of the freshly synthesized cdk.tf.json. */
  readonly stackJsonSha256: string;
  /** Its import blocks (adopted objects): address → import id. */
  readonly imports: ReadonlyMap<string, string>;
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

export function relative(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
}

/** Synthesize every stack of the loaded config, fingerprint the selected ones. */
export function prepareStacks(loaded: LoadedCommandConfig, selection: StackSelection): PreparedStacks {
  const { file, config } = loaded;
  const names = Object.keys(config.stacks);
  if (selection.stack !== undefined && !names.includes(selection.stack)) throw unknownStackError(selection.stack, relative(file), names);
  const synthDir = path.resolve(SYNTH_DIR);
  synthesizeInto(config, synthDir, `run where ${SYNTH_DIR}/ can be written (plan and apply synthesize there)`);
  const outDir = path.resolve(selection.outDir ?? OUT_DIR);
  const stacks = (selection.stack !== undefined ? [selection.stack] : names).map((name) => {
    const dir = path.join(synthDir, "stacks", name);
    const planDir = stackPlanDir(outDir, name);
    const stackJson = readFileSync(path.join(dir, "cdk.tf.json"));
    return {
      name,
      dir,
      stackJsonSha256: sha256(stackJson),
      imports: importTargets(JSON.parse(stackJson.toString("utf8"))),
      planDir,
      planDirLabel: relative(planDir),
    };
  });
  return { configFile: file, configLabel: relative(file), configSha256: sha256(readFileSync(file)), config, outDir, stacks };
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

/**
 * The Qlik step in this process for one stack, with the Okta app's credentials: the typed reconcile, on the config
 * already loaded. The secret stays in memory (this call's arguments), never in an environment or a file.
 */
export async function runQlikStep(
  mode: "plan" | "apply",
  target: { readonly prepared: Pick<PreparedStacks, "config">; readonly stack: string; readonly clientId: string; readonly clientSecret: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<IdpReport> {
  const { reconcileIdpFromEnv } = await import("../qlik/reconcile");
  const request = idpRequestFromConfig(target.stack, target.prepared.config.stacks[target.stack], target.clientId);
  return reconcileIdpFromEnv(request, target.clientSecret, { mode }, env);
}

/**
 * Where the Pulumi engine is and the environment it runs in. The engine is the Pulumi CLI v3.276.0 and the bridged
 * okta plugin (`pulumi-resource-okta` v4.20.0) that `npm run engine` builds into one directory and exports as
 * QLIK_OKTA_PULUMI_BIN; else `pulumi` on PATH. Plugins are "ambient": found on PATH, never downloaded. The dynamic
 * provider's plugin (`pulumi-resource-pulumi-nodejs`) is ours, in scripts/pulumi-bin, ahead of everything on PATH.
 */
import { accessSync, constants, realpathSync } from "node:fs";
import * as path from "node:path";
import { OUT_DIR } from "../contract";
import { PROJECT_ROOT } from "../paths";
import { pulumiLayoutError, pulumiNotFoundError } from "./errors";

export const PULUMI_VERSION = "3.276.0";
export const OKTA_PLUGIN_VERSION = "4.20.0";

/** Our `pulumi-resource-pulumi-nodejs` (the dynamic provider host with field-level diffs). */
export const SHIM_DIR = path.join(PROJECT_ROOT, "scripts", "pulumi-bin");

export interface PulumiEngine {
  /** The directory holding `pulumi` (and the okta plugin). */
  readonly binDir: string;
  /** Its parent: what `PulumiCommand.get({ root })` takes (it runs `<root>/bin/pulumi`). */
  readonly root: string;
  /** How it was found. */
  readonly source: "QLIK_OKTA_PULUMI_BIN" | "PATH";
}

export function findPulumiEngine(env: NodeJS.ProcessEnv = process.env): PulumiEngine {
  const fromEnv = env.QLIK_OKTA_PULUMI_BIN;
  let binDir: string | undefined;
  let source: PulumiEngine["source"] = "QLIK_OKTA_PULUMI_BIN";
  if (fromEnv) {
    if (!isExecutable(path.join(fromEnv, "pulumi"))) throw pulumiNotFoundError(`QLIK_OKTA_PULUMI_BIN=${fromEnv} has no executable pulumi`);
    binDir = path.resolve(fromEnv);
  } else {
    source = "PATH";
    for (const entry of (env.PATH ?? "").split(path.delimiter)) {
      if (entry && isExecutable(path.join(entry, "pulumi"))) {
        binDir = path.dirname(realpathSync(path.join(entry, "pulumi")));
        break;
      }
    }
    if (!binDir) throw pulumiNotFoundError("QLIK_OKTA_PULUMI_BIN is not set and there is no pulumi on PATH");
  }
  if (path.basename(binDir) !== "bin") throw pulumiLayoutError(binDir);
  return { binDir, root: path.dirname(binDir), source };
}

/** Where the Pulumi variant keeps its files, under the project's out dir unless told otherwise. */
export interface PulumiDirs {
  /** The workspace (Pulumi.yaml, Pulumi.<stack>.yaml with the passphrase salt). */
  readonly workDir: string;
  /** PULUMI_HOME: ours, never ~/.pulumi. */
  readonly home: string;
  /** The backend URL: PULUMI_BACKEND_URL, else a local file:// backend. */
  readonly backendUrl: string;
  /** The local backend's directory, when it is the default one. */
  readonly stateDir?: string;
}

export function pulumiDirs(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): PulumiDirs {
  const base = path.resolve(cwd, OUT_DIR, "pulumi");
  const stateDir = env.PULUMI_BACKEND_URL ? undefined : path.join(base, "state");
  return {
    workDir: path.join(base, "workspace"),
    home: env.PULUMI_HOME || path.join(base, "home"),
    backendUrl: env.PULUMI_BACKEND_URL || `file://${stateDir}`,
    ...(stateDir ? { stateDir } : {}),
  };
}

/**
 * The Pulumi CLI's environment (the plugins inherit it): our shim first on PATH, then the engine's directory; no
 * update checks or plugin downloads. The credentials stay where they are: the okta plugin reads OKTA_API_TOKEN and
 * OKTA_HTTP_PROXY, the dynamic provider the QLIK_* variables, from the inherited environment.
 */
export function pulumiEnv(engine: PulumiEngine, dirs: PulumiDirs, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return {
    PATH: [SHIM_DIR, engine.binDir, env.PATH ?? ""].filter(Boolean).join(path.delimiter),
    PULUMI_HOME: dirs.home,
    PULUMI_BACKEND_URL: dirs.backendUrl,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // The shim runs the dynamic provider with the node that runs this CLI.
    QLIK_OKTA_NODE: process.execPath,
  };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

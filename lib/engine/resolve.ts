/**
 * Which IaC engine (OpenTofu or Terraform) to run, and the environment to run it in.
 *
 * Resolution never builds anything: `scripts/engine.sh` builds OpenTofu and fills the provider mirror, and
 * `ensureEngine()` runs that script when asked to. The cache layout here must match the script's.
 */
import { execFile, spawn } from "node:child_process";
import { accessSync, constants, existsSync, realpathSync, statSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UserFacingError } from "../errors";

export const TOFU_VERSION = "1.12.6";
export const OKTA_PROVIDER_VERSION = "4.20.0";
/** Oldest engines the synthesized stacks work with (`terraform_data`, `import` blocks, provider mirrors). */
export const MIN_ENGINE_VERSION: Readonly<Record<EngineName, string>> = { tofu: "1.6.0", terraform: "1.5.0" };
/** The registry hosts the mirror serves okta/okta under (Terraform expands `okta/okta` to the first, OpenTofu to the second). */
export const MIRROR_HOSTS = ["registry.terraform.io", "registry.opentofu.org"] as const;

export type EngineName = "tofu" | "terraform";
export type EngineSource = "TF_BINARY" | "cache" | "PATH";

export interface Engine {
  /** Absolute path of the tofu/terraform executable. */
  readonly binary: string;
  readonly name: EngineName;
  /** As the binary reports it, e.g. "1.12.6". */
  readonly version: string;
  /** CLI config with the offline provider mirror; undefined when none was found. */
  readonly cliConfigFile?: string;
  readonly source: EngineSource;
  /** Where the okta provider came from, when `scripts/engine.sh` provisioned it (see {@link ProviderOrigin}). */
  readonly provider?: ProviderOrigin;
}

/** The okta provider as `scripts/engine.sh` installed it: the offline mirror and the route recorded in `SOURCE`. */
export interface ProviderOrigin {
  /** The filesystem mirror directory the CLI config points at. */
  readonly mirror: string;
  /** The route, e.g. "source-build /path (github.com/okta/terraform-provider-okta, …)", "go-proxy …", "OKTA_PROVIDER_BINARY=…". */
  readonly origin: string;
}

export interface EnsureOptions {
  /**
   * Use an engine that is already there (cached OpenTofu, then tofu/terraform on PATH) and build OpenTofu only when
   * there is none: `npm start` needs one engine, not a particular one. The provider comes from the chain either way.
   * @default false (build OpenTofu unless cached, as CI and the test suite want)
   */
  readonly preferInstalled?: boolean;
  /** Progress lines from the script. @default this process's stderr */
  readonly onProgress?: (chunk: string) => void;
}

type Env = NodeJS.ProcessEnv;

/** No usable engine, or an engine that is not what it claims; the message says what to do. */
export class EngineNotFoundError extends UserFacingError {
  public override readonly name = "EngineNotFoundError";
}

export interface EngineLayout {
  readonly dir: string;
  readonly tofuBinary: string;
  readonly oktaProvider: string;
  readonly mirror: string;
  readonly cliConfig: string;
  /** The provider binary's path in the mirror for one registry host. */
  mirrorProvider(host: (typeof MIRROR_HOSTS)[number]): string;
}

/** `${QLIK_OKTA_ENGINE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/qlik-okta-iac/engine}`, symlinks resolved when it exists. */
export function engineDir(env: Env = process.env): string {
  const dir =
    env.QLIK_OKTA_ENGINE_DIR ||
    path.join(env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), ".cache"), "qlik-okta-iac", "engine");
  const abs = path.resolve(dir);
  try {
    return realpathSync(abs);
  } catch {
    return abs;
  }
}

export function platform(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  return `${process.platform}_${arch}`;
}

export function engineLayout(env: Env = process.env): EngineLayout {
  const dir = engineDir(env);
  const mirror = path.join(dir, "mirror");
  const file = `terraform-provider-okta_v${OKTA_PROVIDER_VERSION}`;
  return {
    dir,
    tofuBinary: path.join(dir, `tofu-v${TOFU_VERSION}`, "tofu"),
    oktaProvider: path.join(dir, `okta-${OKTA_PROVIDER_VERSION}`, file),
    mirror,
    cliConfig: path.join(dir, "cli.tfrc"),
    mirrorProvider: (host) => path.join(mirror, host, "okta", "okta", OKTA_PROVIDER_VERSION, platform(), file),
  };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Like `command -v`: the first executable `name` on PATH, or undefined. */
export function findOnPath(name: string, env: Env = process.env): string | undefined {
  for (const entry of (env.PATH ?? "").split(path.delimiter)) {
    if (!entry) continue;
    const candidate = path.resolve(entry, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Numeric x.y.z comparison; pre-release suffixes are ignored. */
export function versionAtLeast(version: string, min: string): boolean {
  const parse = (v: string) => v.split("-")[0].split(".").map((n) => Number.parseInt(n, 10) || 0);
  const a = parse(version);
  const b = parse(min);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/** Runs `<binary> version` and reads "OpenTofu vX.Y.Z" / "Terraform vX.Y.Z" from its first lines. */
export function probeEngine(
  binary: string,
  cliConfigFile?: string,
  env: Env = process.env,
): Promise<{ name: EngineName; version: string }> {
  const probeEnv: Env = { ...env, CHECKPOINT_DISABLE: "1" };
  if (cliConfigFile) probeEnv.TF_CLI_CONFIG_FILE = cliConfigFile;
  for (const k of Object.keys(probeEnv)) if (k.startsWith("TF_LOG")) delete probeEnv[k];
  return new Promise((resolve, reject) => {
    execFile(binary, ["version"], { env: probeEnv, cwd: os.tmpdir(), timeout: 20_000 }, (err, stdout) => {
      const m = /^(OpenTofu|Terraform) v(\d+\.\d+\.\d+\S*)/m.exec(String(stdout));
      if (m) resolve({ name: m[1] === "OpenTofu" ? "tofu" : "terraform", version: m[2] });
      else
        reject(
          new EngineNotFoundError(
            `${binary} version ${err ? `failed (${err.message.split("\n")[0]})` : "printed no 'OpenTofu vX.Y.Z' or 'Terraform vX.Y.Z' line"}`,
          ),
        );
    });
  });
}

function pickCliConfig(env: Env, layout: EngineLayout): string | undefined {
  if (env.TF_CLI_CONFIG_FILE && existsSync(env.TF_CLI_CONFIG_FILE)) return path.resolve(env.TF_CLI_CONFIG_FILE);
  return existsSync(layout.cliConfig) ? layout.cliConfig : undefined;
}

const HOW_TO_FIX =
  "Run `bash scripts/engine.sh` (npm run engine) to build OpenTofu v" +
  TOFU_VERSION +
  " and the okta provider mirror, or set TF_BINARY to a tofu (>= " +
  MIN_ENGINE_VERSION.tofu +
  ") or terraform (>= " +
  MIN_ENGINE_VERSION.terraform +
  ") binary.";

async function checked(binary: string, source: EngineSource, cliConfigFile: string | undefined, env: Env): Promise<Engine> {
  const { name, version } = await probeEngine(binary, cliConfigFile, env);
  if (!versionAtLeast(version, MIN_ENGINE_VERSION[name])) {
    throw new EngineNotFoundError(
      `${binary} is ${name} ${version}; this project needs OpenTofu >= ${MIN_ENGINE_VERSION.tofu} or Terraform >= ${MIN_ENGINE_VERSION.terraform}. ${HOW_TO_FIX}`,
    );
  }
  return cliConfigFile ? { binary, name, version, cliConfigFile, source } : { binary, name, version, source };
}

/**
 * Finds the engine without building anything:
 * TF_BINARY (a path, or a name looked up on PATH) if set; else, with QLIK_OKTA_ENGINE=terraform, terraform on PATH;
 * else the cached OpenTofu v1.12.6 from `scripts/engine.sh`; else tofu, then (unless QLIK_OKTA_ENGINE=tofu) terraform on PATH.
 * The CLI config is TF_CLI_CONFIG_FILE when it names an existing file, else the cache's `cli.tfrc` when present.
 */
export async function resolveEngine(env: Env = process.env): Promise<Engine> {
  const layout = engineLayout(env);
  const cliConfigFile = pickCliConfig(env, layout);
  const want = env.QLIK_OKTA_ENGINE || "auto";
  if (want !== "auto" && want !== "tofu" && want !== "terraform") {
    throw new EngineNotFoundError(`QLIK_OKTA_ENGINE=${want} is not one of auto, tofu, terraform.`);
  }

  if (env.TF_BINARY) {
    const bin = env.TF_BINARY.includes("/") ? path.resolve(env.TF_BINARY) : findOnPath(env.TF_BINARY, env);
    if (!bin || !isExecutable(bin)) throw new EngineNotFoundError(`TF_BINARY=${env.TF_BINARY} is not an executable file. ${HOW_TO_FIX}`);
    const source: EngineSource = sameFile(bin, layout.tofuBinary) ? "cache" : "TF_BINARY";
    return checked(bin, source, cliConfigFile, env);
  }

  const tried: string[] = [];
  const candidates: Array<[string | undefined, EngineSource, EngineName, string]> = [];
  if (want === "terraform") {
    candidates.push([findOnPath("terraform", env), "PATH", "terraform", "terraform on PATH"]);
  } else {
    candidates.push([isExecutable(layout.tofuBinary) ? layout.tofuBinary : undefined, "cache", "tofu", layout.tofuBinary]);
    candidates.push([findOnPath("tofu", env), "PATH", "tofu", "tofu on PATH"]);
    if (want === "auto") candidates.push([findOnPath("terraform", env), "PATH", "terraform", "terraform on PATH"]);
  }
  for (const [bin, source, expected, label] of candidates) {
    if (!bin) {
      tried.push(`${label}: not found`);
      continue;
    }
    try {
      const engine = await checked(bin, source, cliConfigFile, env);
      if (engine.name !== expected) throw new EngineNotFoundError(`it is ${engine.name}, not ${expected}`);
      if (source === "cache" && engine.version !== TOFU_VERSION) throw new EngineNotFoundError(`it reports ${engine.version}`);
      return engine;
    } catch (e) {
      tried.push(`${label}: ${(e as Error).message}`);
    }
  }
  throw new EngineNotFoundError(`No usable engine (${tried.join("; ")}). ${HOW_TO_FIX}`);
}

function sameFile(a: string, b: string): boolean {
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/** Finds scripts/engine.sh from this module's location (works from lib/engine and from dist/lib/engine). */
export function engineScript(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, "scripts", "engine.sh");
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new EngineNotFoundError(`scripts/engine.sh not found above ${__dirname}`);
    dir = parent;
  }
}

/** Parses the `export NAME='value'` lines `scripts/engine.sh` prints (single-quoted, `'\''` escapes). */
export function parseExports(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stdout.split("\n")) {
    const m = /^export ([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let v = m[2];
    if (v.startsWith("'") && v.endsWith("'") && v.length >= 2) v = v.slice(1, -1).replace(/'\\''/g, "'");
    out[m[1]] = v;
  }
  return out;
}

/**
 * Runs `bash scripts/engine.sh` — the one provisioning chain: it may build the okta provider (about 2 min) and
 * OpenTofu (about 5 min) from Go on a cold cache — and returns the engine it selected with the provider's origin.
 */
export function ensureEngine(env: Env = process.env, options: EnsureOptions = {}): Promise<Engine> {
  const script = engineScript();
  const onProgress = options.onProgress ?? ((c: string) => process.stderr.write(c));
  const args = options.preferInstalled ? [script, "--prefer-installed"] : [script];
  return new Promise((resolve, reject) => {
    const child = spawn("bash", args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let lastErr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      const s = d.toString();
      lastErr += s;
      onProgress(s);
    });
    child.on("error", (e) => reject(new EngineNotFoundError(`could not run bash ${script}: ${e.message}`)));
    child.on("close", (code) => {
      if (code !== 0) {
        const reason = lastErr.split("\n").find((l) => l.startsWith("engine.sh: error:")) ?? `exit ${code}`;
        reject(new EngineNotFoundError(`bash ${script} failed: ${reason.replace(/^engine\.sh: error: /, "")}`));
        return;
      }
      const x = parseExports(stdout);
      const name = x.QLIK_OKTA_ENGINE_NAME;
      if (!x.TF_BINARY || (name !== "tofu" && name !== "terraform") || !x.QLIK_OKTA_ENGINE_VERSION) {
        reject(new EngineNotFoundError(`bash ${script} printed no complete set of exports`));
        return;
      }
      const layout = engineLayout(env);
      const source: EngineSource = sameFile(x.TF_BINARY, layout.tofuBinary) ? "cache" : env.TF_BINARY ? "TF_BINARY" : "PATH";
      resolve({
        binary: x.TF_BINARY,
        name,
        version: x.QLIK_OKTA_ENGINE_VERSION,
        ...(x.TF_CLI_CONFIG_FILE ? { cliConfigFile: x.TF_CLI_CONFIG_FILE } : {}),
        source,
        ...(x.QLIK_OKTA_PROVIDER_MIRROR && x.QLIK_OKTA_PROVIDER_ORIGIN
          ? { provider: { mirror: x.QLIK_OKTA_PROVIDER_MIRROR, origin: x.QLIK_OKTA_PROVIDER_ORIGIN } }
          : {}),
      });
    });
  });
}

/**
 * The environment to run the engine in: `base` (default process.env) plus `extra`, then the engine settings:
 * TF_CLI_CONFIG_FILE (the offline mirror config), TF_IN_AUTOMATION=1, CHECKPOINT_DISABLE=1, TF_INPUT=0,
 * CDKTF_DISABLE_PLUGIN_CACHE_ENV=1, TERRAFORM_BINARY_NAME=<binary> (cdktf validations and matchers).
 * TF_LOG* (provider debug logs carry request bodies and tokens) and TF_PLUGIN_CACHE_DIR are removed.
 */
export function engineEnv(engine: Engine, extra: Env = {}, base: Env = process.env): NodeJS.ProcessEnv {
  const env: Env = { ...base, ...extra };
  for (const k of Object.keys(env)) {
    if (k.startsWith("TF_LOG") || k === "TF_PLUGIN_CACHE_DIR" || env[k] === undefined) delete env[k];
  }
  if (engine.cliConfigFile) env.TF_CLI_CONFIG_FILE = engine.cliConfigFile;
  env.TF_IN_AUTOMATION = "1";
  env.CHECKPOINT_DISABLE = "1";
  env.TF_INPUT = "0";
  env.CDKTF_DISABLE_PLUGIN_CACHE_ENV = "1";
  env.TERRAFORM_BINARY_NAME = engine.binary;
  return env;
}

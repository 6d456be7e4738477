/**
 * Running tofu/terraform: spawn without a shell, capture output, fail with one line that names the command and the
 * engine's first `Error:` line. Never put engine output beyond that line into an error message: a failed local-exec
 * provisioner prints its command's full output (secrets included) in the error's detail lines.
 */
import { UserFacingError } from "../errors";
import { type ChildProcess, spawn } from "node:child_process";
import { type Engine, engineEnv } from "./resolve";

export interface RunOptions {
  /** Working directory (the stack directory). */
  readonly cwd: string;
  /** Extra environment on top of process.env (engineEnv adds the engine settings). */
  readonly env?: NodeJS.ProcessEnv;
  /** Capture stdout/stderr (default true); false inherits this process's stdio. */
  readonly capture?: boolean;
  /** Kill the engine after this long (default 10 minutes). */
  readonly timeoutMs?: number;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

/** A failed engine command. `result` (full output) is non-enumerable so that logging the error does not print it. */
export class EngineCommandError extends UserFacingError {
  public override readonly name = "EngineCommandError";
  declare readonly result: RunResult | undefined;
  constructor(
    message: string,
    public readonly command: string,
    public readonly cwd: string,
    public readonly code: number | undefined,
    result?: RunResult,
  ) {
    super(message);
    Object.defineProperty(this, "result", { value: result, enumerable: false });
  }
}

/** First `Error: …` line of engine output (box-drawing prefixes of coloured output removed), or undefined. */
export function firstErrorLine(stderr: string): string | undefined {
  for (const raw of stderr.split("\n")) {
    const line = raw.replace(/^[\s│╷╵]+/, "").trimEnd();
    if (line.startsWith("Error: ")) return line.length > 300 ? `${line.slice(0, 297)}...` : line;
  }
  return undefined;
}

function commandName(engine: Engine, args: readonly string[]): string {
  return `${engine.name} ${args.find((a) => !a.startsWith("-")) ?? args.join(" ")}`;
}

/**
 * Engines running now. A SIGINT or SIGTERM this process receives while one runs (a cancelled CI job, Ctrl-C) is
 * passed on to it instead of ending this process at once: tofu/terraform then stop cleanly and release the state
 * lock, where a killed parent would leave it held.
 */
const running = new Set<ChildProcess>();
const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;

function forwardStop(signal: NodeJS.Signals): void {
  process.exitCode = 130;
  for (const child of running) child.kill(signal);
}

function track(child: ChildProcess): void {
  if (running.size === 0) for (const s of STOP_SIGNALS) process.on(s, forwardStop);
  running.add(child);
  child.once("close", () => {
    running.delete(child);
    if (running.size === 0) for (const s of STOP_SIGNALS) process.off(s, forwardStop);
  });
}

export function runEngine(engine: Engine, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const capture = options.capture ?? true;
  const command = commandName(engine, args);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(engine.binary, [...args], {
      cwd: options.cwd,
      env: engineEnv(engine, options.env),
      stdio: capture ? ["ignore", "pipe", "pipe"] : ["ignore", "inherit", "inherit"],
      shell: false,
    });
    track(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (d: Buffer) => out.push(d));
    child.stderr?.on("data", (d: Buffer) => err.push(d));
    let timedOut = false;
    const timeoutMs = options.timeoutMs ?? 600_000;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
    }, timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new EngineCommandError(`${command} could not start (${engine.binary}): ${e.message}`, command, options.cwd, undefined));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const result: RunResult = {
        code: code ?? -1,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        durationMs: Date.now() - started,
      };
      if (timedOut) {
        reject(new EngineCommandError(`${command} timed out after ${timeoutMs} ms in ${options.cwd}`, command, options.cwd, undefined, result));
      } else if (code === null) {
        reject(new EngineCommandError(`${command} was killed by ${signal} in ${options.cwd}`, command, options.cwd, undefined, result));
      } else {
        resolve(result);
      }
    });
  });
}

/**
 * The lock's ID when the engine could not take the state lock (its "Lock Info" block, printed after the Error line),
 * so the message can say how to release a lock a killed run left behind.
 */
export function heldLockId(output: string): string | undefined {
  if (!/Error acquiring the state lock/.test(output)) return undefined;
  return /^[\s│]*ID:\s+([A-Za-z0-9._:-]{1,100})\s*$/m.exec(output)?.[1];
}

function fail(engine: Engine, args: readonly string[], cwd: string, result: RunResult): never {
  const command = commandName(engine, args);
  const why = firstErrorLine(result.stderr) ?? firstErrorLine(result.stdout) ?? "no Error: line in its output";
  const lock = heldLockId(result.stderr);
  const unlock = lock
    ? `; lock ID ${lock}: if no other run is going on, release it with \`${engine.name} force-unlock ${lock}\` in that directory`
    : "";
  throw new EngineCommandError(`${command} failed in ${cwd} (exit ${result.code}): ${why}${unlock}`, command, cwd, result.code, result);
}

/** Runs and throws EngineCommandError unless the exit code is in `ok`. */
async function must(engine: Engine, args: string[], opts: RunOptions, ok: readonly number[] = [0]): Promise<RunResult> {
  const result = await runEngine(engine, args, opts);
  if (!ok.includes(result.code)) fail(engine, args, opts.cwd, result);
  return result;
}

export type StepOptions = Omit<RunOptions, "cwd"> & { readonly extraArgs?: readonly string[] };

function parseJson<T>(engine: Engine, what: string, cwd: string, result: RunResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new EngineCommandError(`${engine.name} ${what} in ${cwd} printed no valid JSON`, `${engine.name} ${what}`, cwd, result.code, result);
  }
}

/** `init -input=false -no-color` */
export function init(engine: Engine, dir: string, opts: StepOptions = {}): Promise<RunResult> {
  return must(engine, ["init", "-input=false", "-no-color", ...(opts.extraArgs ?? [])], { ...opts, cwd: dir });
}

export interface PlanOptions extends StepOptions {
  /** Save the plan to this file (relative to the stack directory or absolute). */
  readonly out?: string;
  /** Use -detailed-exitcode: `changes` is then true (exit 2) or false (exit 0). */
  readonly detailedExitcode?: boolean;
  /** A destroy plan. */
  readonly destroy?: boolean;
}

export interface PlanResult extends RunResult {
  /** With detailedExitcode: whether the plan has changes; otherwise undefined. */
  readonly changes: boolean | undefined;
}

/** `plan -input=false -no-color [-out=F] [-detailed-exitcode] [-destroy]` */
export async function plan(engine: Engine, dir: string, opts: PlanOptions = {}): Promise<PlanResult> {
  const args = ["plan", "-input=false", "-no-color"];
  if (opts.out) args.push(`-out=${opts.out}`);
  if (opts.detailedExitcode) args.push("-detailed-exitcode");
  if (opts.destroy) args.push("-destroy");
  args.push(...(opts.extraArgs ?? []));
  const result = await must(engine, args, { ...opts, cwd: dir }, opts.detailedExitcode ? [0, 2] : [0]);
  return { ...result, changes: opts.detailedExitcode ? result.code === 2 : undefined };
}

/** `apply -input=false -no-color <planFile>`, or `… -auto-approve` without a saved plan. */
export function apply(
  engine: Engine,
  dir: string,
  target: string | { readonly autoApprove: true },
  opts: StepOptions = {},
): Promise<RunResult> {
  const args = ["apply", "-input=false", "-no-color", ...(opts.extraArgs ?? [])];
  if (typeof target === "string") args.push(target);
  else args.push("-auto-approve");
  return must(engine, args, { ...opts, cwd: dir });
}

/**
 * `show -json -no-color [planFile]` parsed: the plan's JSON representation, or the state's without a plan file.
 * Saved plans contain sensitive values in clear text: treat the result (and the plan file) as secret.
 */
export async function show<T = Record<string, unknown>>(engine: Engine, dir: string, planFile?: string, opts: StepOptions = {}): Promise<T> {
  const args = ["show", "-json", "-no-color", ...(planFile ? [planFile] : [])];
  const result = await must(engine, args, { ...opts, cwd: dir });
  return parseJson<T>(engine, "show -json", dir, result);
}

/** `destroy -input=false -no-color -auto-approve` */
export function destroy(engine: Engine, dir: string, opts: StepOptions = {}): Promise<RunResult> {
  return must(engine, ["destroy", "-input=false", "-no-color", "-auto-approve", ...(opts.extraArgs ?? [])], { ...opts, cwd: dir });
}

/** `output -json -no-color` parsed: `{ name: { value, type, sensitive } }`. */
export async function output<T = Record<string, { value: unknown; type: unknown; sensitive: boolean }>>(
  engine: Engine,
  dir: string,
  opts: StepOptions = {},
): Promise<T> {
  const result = await must(engine, ["output", "-json", "-no-color"], { ...opts, cwd: dir });
  return parseJson<T>(engine, "output -json", dir, result);
}

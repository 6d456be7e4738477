import { App } from "cdktf";
import { accessSync, constants, mkdirSync, Stats, statSync } from "node:fs";
import * as path from "node:path";
import { LoadedConfig } from "./config/load";
import { SYNTH_DIR } from "./contract";
import { UserFacingError } from "./errors";
import { QlikOktaStack } from "./qlik-okta-stack";

export interface SynthesizeOptions {
  /** @default SYNTH_DIR ("cdktf.out") */
  readonly outdir?: string;
  /** @default - `node <project>/dist/lib/cli/bin.js` */
  readonly cliCommand?: readonly string[];
}

/**
 * Build the CDKTF app for a validated config: one stack per config stack.
 * `skipValidation`: cdktf's own validations shell out to `terraform version` for `terraform_data`; synth must work
 * on a machine without an engine, and the config was already validated.
 */
export function buildApp(config: LoadedConfig, options: SynthesizeOptions = {}): App {
  const app = new App({ outdir: options.outdir ?? SYNTH_DIR, skipValidation: true });
  for (const [name, stack] of Object.entries(config.stacks)) {
    new QlikOktaStack(app, name, { config: stack, cliCommand: options.cliCommand });
  }
  return app;
}

/** Synthesize every stack; returns the stack names written. */
export function synthesizeStacks(config: LoadedConfig, options: SynthesizeOptions = {}): string[] {
  buildApp(config, options).synth();
  return Object.keys(config.stacks);
}

/**
 * {@link synthesizeStacks} into a directory that is checked first, every failure to write there one user-facing line
 * ending in `fix` (what to do in the caller's terms, e.g. "pass -o <a writable directory>").
 */
export function synthesizeInto(config: LoadedConfig, outdir: string, fix: string): string[] {
  const target = path.resolve(outdir);
  const cannot = (why: string) => new UserFacingError(`cannot write the synthesized stacks to ${target}: ${why}; ${fix}`);
  const problem = outputDirProblem(target);
  if (problem) throw cannot(problem);
  try {
    mkdirSync(target, { recursive: true });
    return synthesizeStacks(config, { outdir: target });
  } catch (e) {
    const why = outputWriteProblem(target, e);
    if (why) throw cannot(why);
    throw e;
  }
}

/**
 * Why synth cannot write its stacks to `outdir`, or undefined when it can: an existing directory it may write to, or a
 * path whose missing parents can be created. Checked before synthesizing, so a wrong `-o` gets one clear sentence
 * (e.g. "it is a file") rather than a failed mkdir halfway through. (Run as root, permissions always pass here; the
 * write itself still reports them, see {@link outputWriteProblem}.)
 */
export function outputDirProblem(outdir: string): string | undefined {
  const target = path.resolve(outdir);
  const found = nearestExisting(target);
  if (!found.stats) return writeCodeReason(found.code, found.path, target) ?? `cannot be used (${found.code})`;
  if (!found.stats.isDirectory()) return notADirectory(target, found.path, found.stats.isFile());
  try {
    accessSync(found.path, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (e) {
    return writeCodeReason((e as NodeJS.ErrnoException).code, found.path, target) ?? "cannot be written";
  }
}

/**
 * Why writing the synthesized stacks to `outdir` failed, from the error a write threw; undefined when the error is not
 * about where they are written (then it is a bug, and stays one).
 */
export function outputWriteProblem(outdir: string, error: unknown): string | undefined {
  const { code, path: failed } = (error ?? {}) as NodeJS.ErrnoException;
  const target = path.resolve(outdir);
  const at = path.resolve(failed ?? target);
  switch (code) {
    case "ENOTDIR":
    case "EEXIST": {
      // Something on the way is not a directory: the nearest path that exists, from the one that failed up.
      const found = nearestExisting(at);
      return found.stats && !found.stats.isDirectory() ? notADirectory(target, found.path, found.stats.isFile()) : undefined;
    }
    case "EISDIR":
      return `${at} is a directory`;
    default:
      return writeCodeReason(code, at, target);
  }
}

/** The nearest path that exists, `p` or one of its parents, with its stats; or the error that ended the search. */
function nearestExisting(p: string): { path: string; stats?: Stats; code?: string } {
  for (let current = path.resolve(p); ; current = path.dirname(current)) {
    try {
      return { path: current, stats: statSync(current) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // Missing, or under a file (ENOTDIR): the answer is further up.
      if ((code !== "ENOENT" && code !== "ENOTDIR") || path.dirname(current) === current) return { path: current, code };
    }
  }
}

/** "it is a file", "a parent, /x/f, is a file" or "/out/stacks is a file": `found` is the non-directory on the way. */
function notADirectory(target: string, found: string, isFile: boolean): string {
  const what = isFile ? "a file" : "not a directory";
  if (found === target) return `it is ${what}`;
  if (target.startsWith(`${found}${path.sep}`)) return `a parent, ${found}, is ${what}`;
  return `${found} is ${what}`;
}

/** The reason for the error code of a write (permissions, read-only, full), naming the path when it is not `target`. */
function writeCodeReason(code: string | undefined, at: string, target: string): string | undefined {
  const where = at === target ? "" : ` (${at})`;
  switch (code) {
    case "EACCES":
    case "EPERM":
      return `permission denied${where}`;
    case "EROFS":
      return "read-only file system";
    case "ENOSPC":
      return "no space left on the device";
    case "EDQUOT":
      return "disk quota exceeded";
    case "ENAMETOOLONG":
      return "the path is too long";
    case "ELOOP":
      return `too many levels of symbolic links${where}`;
    default:
      return undefined;
  }
}

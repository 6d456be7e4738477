import { closeSync, existsSync, fstatSync, openSync, readSync } from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import type { core } from "zod";
import { ENV } from "../contract";
import { PROJECT_ROOT } from "../paths";
import { describeWithMarker } from "../qlik/marker";
import { closest, ConfigError, ConfigProblem, shown } from "./errors";
import {
  checkAdopted,
  checkAssignment,
  checkAuthorizationServer,
  checkBackend,
  checkGroupsClaimRegex,
  checkIdentityProvider,
  checkOrgUrl,
  checkStackName,
  checkTenantHostname,
  findMarkers,
  findSecrets,
} from "./rules";
import { configFileSchema, stackSchema, StackConfig } from "./schema";

/** A validated configuration: every stack with defaults filled in, plus warnings worth printing. */
export interface LoadedConfig {
  /** The file it came from (for messages). */
  readonly file: string;
  readonly stacks: Readonly<Record<string, StackConfig>>;
  readonly warnings: readonly string[];
}

/** The example shipped with the project; used when no config is given so synth works on a fresh clone. */
export const BUNDLED_EXAMPLE = path.join(PROJECT_ROOT, "examples", "qlik-okta.yaml");
export const DEFAULT_CONFIG_FILE = "qlik-okta.yaml";

/**
 * Which file to read: `--config`, else `QLIK_OKTA_CONFIG`, else `./qlik-okta.yaml` when present, else the bundled
 * example. `bundled` tells the CLI to say so.
 */
export function resolveConfigFile(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): { file: string; bundled: boolean } {
  const chosen = explicit ?? env[ENV.config];
  if (chosen) return { file: path.resolve(cwd, chosen), bundled: false };
  const local = path.resolve(cwd, DEFAULT_CONFIG_FILE);
  if (existsSync(local)) return { file: local, bundled: false };
  return { file: BUNDLED_EXAMPLE, bundled: true };
}

/**
 * The largest config file read: a real one is a few kilobytes. A bigger file is the wrong file, or a value no API
 * would take, and is refused before it is read or parsed.
 */
export const CONFIG_FILE_LIMIT = 1024 * 1024;

export function loadConfigFile(file: string): LoadedConfig {
  const read = readLimited(file, CONFIG_FILE_LIMIT);
  if (read.kind === "text") return parseConfig(read.text, file);
  let message: string;
  if (read.kind === "too big") {
    const size = read.size === undefined ? "larger than" : `${bytes(read.size)}, more than`;
    message =
      `the file is ${size} the ${bytes(CONFIG_FILE_LIMIT)} (1 MiB) a config file may have; ` +
      `pass --config <file> or set QLIK_OKTA_CONFIG to the qlik-okta config`;
  } else {
    const { code } = read;
    const why = code === "ENOENT" ? "file not found" : code === "EISDIR" ? "is a directory" : `cannot be read (${code})`;
    message = `${why}; pass --config <file> or set QLIK_OKTA_CONFIG`;
  }
  throw new ConfigError(file, [{ path: "", message }]);
}

/**
 * The file's text; else its size when it is over `limit` bytes (undefined when only reading told), or the error code
 * of a file that cannot be read. The size is checked first (fstat) and reading stops after `limit` bytes, so neither a
 * huge file nor an endless one (a device, a pipe) is read whole.
 */
function readLimited(
  file: string,
  limit: number,
): { kind: "text"; text: string } | { kind: "too big"; size?: number } | { kind: "error"; code?: string } {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const stats = fstatSync(fd);
    if (stats.isDirectory()) return { kind: "error", code: "EISDIR" };
    if (stats.size > limit) return { kind: "too big", size: stats.size };
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) return { kind: "text", text: buffer.subarray(0, length).toString("utf8") };
      length += n;
      if (length > limit) return { kind: "too big" };
    }
  } catch (e) {
    return { kind: "error", code: (e as NodeJS.ErrnoException).code };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A byte count as "1,048,576 bytes" (the same on every machine, whatever its locale). */
function bytes(n: number): string {
  return `${String(n).replace(/\B(?=(\d{3})+$)/g, ",")} bytes`;
}

/** Parse and validate configuration text (YAML, of which JSON is a subset). Throws ConfigError with every problem. */
export function parseConfig(text: string, file = "<config>"): LoadedConfig {
  if (text.trim() === "") {
    throw new ConfigError(file, [
      { path: "", message: `the file is empty; it needs a "stacks:" mapping (see examples/qlik-okta.yaml)` },
    ]);
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const where = pos ? `line ${pos.line}, column ${pos.col}` : "";
        const message = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
        return { path: where, message: `syntax error: ${message}` };
      }),
    );
  }
  const raw = toJS(doc, file);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(file, [
      { path: "", message: `expected a mapping with a "stacks:" key at the top, got ${shown(raw)}` },
    ]);
  }

  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const stacks: Record<string, StackConfig> = {};

  // Structure first, section by section, so one malformed section does not hide the problems of the others.
  const top = configFileSchema.safeParse(raw, { reportInput: true });
  const stacksRaw = (raw as Record<string, unknown>).stacks;
  if (!top.success) {
    for (const issue of top.error.issues) {
      if (issue.path.length <= 1) problems.push(...describeIssue(issue, raw));
    }
  }
  if (stacksRaw && typeof stacksRaw === "object" && !Array.isArray(stacksRaw)) {
    const names = Object.keys(stacksRaw);
    if (names.length === 0) {
      problems.push({ path: "stacks", message: `no stacks defined; add one, e.g. "stacks: { prod: { okta: ..., qlik: ... } }"` });
    }
    for (const name of names) {
      const at = `stacks.${name}`;
      const stackRaw = (stacksRaw as Record<string, unknown>)[name];
      problems.push(...checkStackName(name, at));
      const stack = validateStack(stackRaw, at, name, problems, warnings);
      if (stack) stacks[name] = stack;
    }
  }
  if (problems.length > 0) throw new ConfigError(file, problems);

  // The org URL is stored normalised (no trailing slash) so every URL built from it is well-formed.
  for (const stack of Object.values(stacks)) stack.okta.orgUrl = new URL(stack.okta.orgUrl).origin;
  return {
    file,
    stacks,
    warnings: warnings.map((w) => `${w.path}: ${w.message}`),
  };
}

/**
 * The document as plain data. Aliases are expanded here, and yaml refuses (throws) an alias with no anchor before it,
 * and aliases that expand too far (its `maxAliasCount`, 100: a "billion laughs" would take gigabytes): both are the
 * file's problems, reported as such.
 */
function toJS(doc: ReturnType<typeof parseDocument>, file: string): unknown {
  try {
    return doc.toJS();
  } catch (e) {
    const message = e instanceof Error ? e.message : "";
    if (/excessive alias count/i.test(message)) {
      const why = "too many YAML aliases (an alias bomb?); a config needs few aliases, if any: write the values out instead";
      throw new ConfigError(file, [{ path: "", message: `syntax error: ${why}` }]);
    }
    const unresolved = /^Unresolved alias\b.*: (.*)$/.exec(message);
    if (unresolved) {
      const name = unresolved[1];
      const why = `the alias *${name} refers to no anchor &${name} before it; define &${name} earlier or write the value out`;
      throw new ConfigError(file, [{ path: "", message: `syntax error: ${why}` }]);
    }
    throw e;
  }
}

/** Validate one stack: structure per section, then the semantic rules of every section that is well-formed. */
function validateStack(
  stackRaw: unknown,
  at: string,
  name: string,
  problems: ConfigProblem[],
  warnings: ConfigProblem[],
): StackConfig | undefined {
  const before = problems.length;
  const secrets = findSecrets(stackRaw, at);
  problems.push(...secrets);
  const secretPaths = new Set(secrets.map((p) => p.path));
  const parsed = stackSchema.safeParse(stackRaw, { reportInput: true });
  // The config root as far as this stack is concerned, for walking the schema alongside the input.
  const root = { stacks: { [name]: stackRaw } };
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const prefixed = { ...issue, path: ["stacks", name, ...issue.path] } as core.$ZodIssue;
      for (const p of describeIssue(prefixed, root)) {
        // A secret-looking key is already reported with a better message than "unknown setting".
        if (!secretPaths.has(p.path)) problems.push(p);
      }
    }
  }
  // Semantic rules run on every section, even when it or a sibling is malformed: unknown keys and fields that fail
  // their own type are left out (they are reported above), so the remaining fields still get their checks.
  const semantic: ConfigProblem[] = [...findMarkers(stackRaw, at)];
  const partial = new Set<string>();
  const section = <K extends keyof StackConfig>(key: K): StackConfig[K] | undefined => {
    if (!stackRaw || typeof stackRaw !== "object") return undefined;
    const value = (stackRaw as Record<string, unknown>)[key];
    const schema = stackSchema.shape[key];
    const whole = schema.safeParse(value);
    if (whole.success) return whole.data as StackConfig[K];
    if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const objectSchema: any = unwrap(schema, value);
    if (objectSchema?.def?.type !== "object") return undefined;
    const shape = objectSchema.def.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
    const known = Object.entries(value).filter(([k]) => shape[k] !== undefined);
    const kept = known.filter(([k, v]) => shape[k].safeParse(v).success);
    const result = schema.safeParse(Object.fromEntries(kept));
    if (!result.success) return undefined;
    if (kept.length < known.length) partial.add(`${at}.${key}`);
    return result.data as StackConfig[K];
  };
  const okta = section("okta");
  if (okta) semantic.push(...checkOrgUrl(okta.orgUrl, `${at}.okta.orgUrl`));
  const qlik = section("qlik");
  if (qlik) {
    const host = checkTenantHostname(qlik.tenantHostname, `${at}.qlik.tenantHostname`);
    semantic.push(...host.problems);
    warnings.push(...host.warnings);
  }
  const app = section("app");
  if (app) {
    semantic.push(...checkGroupsClaimRegex(app.groupsClaimRegex, `${at}.app.groupsClaimRegex`));
    semantic.push(...checkAssignment(app, `${at}.app`));
  }
  const as = section("authorizationServer");
  if (as) semantic.push(...checkAuthorizationServer(as, `${at}.authorizationServer`));
  const backend = section("backend");
  if (backend) {
    const checked = checkBackend(backend, `${at}.backend`, name);
    semantic.push(...checked.problems);
    warnings.push(...checked.warnings);
  }
  const adopted = section("adopted");
  if (adopted) semantic.push(...checkAdopted(adopted, app, as, `${at}.adopted`));
  const idp = section("identityProvider");
  if (idp) {
    const markerLength = describeWithMarker("", name).length;
    semantic.push(...checkIdentityProvider(idp, `${at}.identityProvider`, markerLength));
  }
  const isSecretPath = (p: string) => [...secretPaths].some((s) => p === s || p.startsWith(`${s}.`) || p.startsWith(`${s}[`));
  for (const problem of semantic) {
    // A value reported as a secret is never shown again by another check; a cross-field rule of a section that had
    // fields left out would judge defaults the user did not choose.
    if (isSecretPath(problem.path) || partial.has(problem.path)) continue;
    problems.push(problem);
  }
  return parsed.success && problems.length === before ? parsed.data : undefined;
}

function dotted(pathParts: readonly PropertyKey[]): string {
  return pathParts.reduce<string>((acc, part) => {
    if (typeof part === "number") return `${acc}[${part}]`;
    return acc ? `${acc}.${String(part)}` : String(part);
  }, "");
}

/** Turn one zod issue into problems in our wording: path, bad value, what is valid. `root`: the raw config. */
function describeIssue(issue: core.$ZodIssue, root: unknown): ConfigProblem[] {
  const at = dotted(issue.path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const valid = knownKeysAt(issue.path, root);
      return issue.keys.map((key) => {
        const guess = closest(key, valid);
        const hint = guess ? `did you mean "${guess}"? ` : "";
        return {
          path: at ? `${at}.${key}` : key,
          message: `unknown setting; ${hint}valid settings here: ${valid.join(", ")}`,
        };
      });
    }
    case "invalid_value":
      return [
        {
          path: at,
          message: `${shown(issue.input)} is not valid; valid values: ${issue.values.map((v) => String(v)).join(", ")}`,
        },
      ];
    case "invalid_union": {
      // A discriminated union (backend `type`): say which values exist, with a guess for a near miss.
      const union = issue as core.$ZodIssueInvalidUnion & { discriminator?: string; options?: unknown[] };
      if (union.discriminator && union.options) {
        const valid = union.options.map((o) => String(o));
        const value = valueAt(root, issue.path);
        if (value === undefined) return [{ path: at, message: `is required; valid values: ${valid.join(", ")}` }];
        const guess = typeof value === "string" ? closest(value, valid) : undefined;
        const hint = guess ? `did you mean "${guess}"? ` : "";
        return [{ path: at, message: `${shown(value)} is not valid; ${hint}valid values: ${valid.join(", ")}` }];
      }
      return [{ path: at, message: issue.message }];
    }
    case "invalid_type":
      if (issue.input === undefined) return [{ path: at, message: `is required (${expectedText(issue.expected)})` }];
      return [{ path: at, message: `expected ${expectedText(issue.expected)}, got ${shown(issue.input)}` }];
    default:
      return [{ path: at, message: issue.message }];
  }
}

function expectedText(expected: string): string {
  switch (expected) {
    case "object":
    case "record":
      return "a mapping";
    case "array":
      return "a list";
    case "string":
      return "a string";
    case "boolean":
      return "true or false";
    case "number":
      return "a number";
    default:
      return expected;
  }
}

/**
 * Valid keys of the mapping at a path of the config file (for "did you mean" hints). `root` is the raw config: where
 * the schema is a discriminated union (the backend), the input's discriminator picks the option.
 */
function knownKeysAt(pathParts: readonly PropertyKey[], root: unknown): string[] {
  // Walk the schema and the input alongside the path; record keys (stack names) are skipped.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let schema: any = configFileSchema;
  let value: unknown = root;
  for (const part of pathParts) {
    schema = unwrap(schema, value);
    if (schema?.def?.type === "object") schema = schema.def.shape[part as string];
    else if (schema?.def?.type === "record") schema = schema.def.valueType;
    else if (schema?.def?.type === "array") schema = schema.def.element;
    else return [];
    value = value && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[part] : undefined;
  }
  schema = unwrap(schema, value);
  return schema?.def?.type === "object" ? Object.keys(schema.def.shape) : [];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function unwrap(schema: any, value: unknown): any {
  let s = schema;
  for (;;) {
    if (s?.def && ["default", "prefault", "optional", "nullable"].includes(s.def.type)) s = s.def.innerType;
    else if (s?.def?.type === "union" && s.def.discriminator) {
      // The option whose discriminator accepts the input's value, e.g. the s3 schema for { type: s3 }.
      const disc: string = s.def.discriminator;
      const tag = value && typeof value === "object" ? (value as Record<string, unknown>)[disc] : undefined;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      s = s.def.options.find((o: any) => o._zod.propValues?.[disc]?.has(tag));
    } else return s;
  }
}

function valueAt(root: unknown, pathParts: readonly PropertyKey[]): unknown {
  let value = root;
  for (const part of pathParts) value = value && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[part] : undefined;
  return value;
}

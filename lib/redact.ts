/**
 * The one redaction every writer uses: stdout and stderr lines, JSON files, the review comment. A known secret value
 * never leaves, whatever a bug upstream let through. Values are redacted before they are serialised, so a secret
 * with quotes or backslashes is caught as itself and not only in one escaped form; text that already holds JSON is
 * also matched in the JSON-escaped form.
 */
import { SECRET_ENV_VARS } from "./contract";

export const REDACTED = "(redacted)";

/**
 * Values shorter than this are not redacted: they would blank out ordinary characters ("x", "on"). Real secrets are
 * far longer (an Okta client secret has 40 characters); 4 is the stricter of the two rules this replaced.
 */
export const MIN_SECRET_LENGTH = 4;

/** The secret values present in an environment (see {@link SECRET_ENV_VARS}). */
export function secretsIn(env: NodeJS.ProcessEnv): string[] {
  return SECRET_ENV_VARS.map((k) => env[k]).filter((v): v is string => typeof v === "string" && v.length >= MIN_SECRET_LENGTH);
}

/** The forms to look for, longest first so that a secret containing another is removed whole. */
function forms(secrets: Iterable<string>): string[] {
  const all = new Set<string>();
  for (const s of secrets) {
    if (typeof s !== "string" || s.length < MIN_SECRET_LENGTH) continue;
    all.add(s);
    all.add(JSON.stringify(s).slice(1, -1));
  }
  return [...all].sort((a, b) => b.length - a.length);
}

/** Text with every secret (raw or JSON-escaped) replaced by {@link REDACTED}. */
export function redactText(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of forms(secrets)) out = out.split(s).join(REDACTED);
  return out;
}

/** A deep copy of a JSON-like value with every string (keys too) redacted. */
export function redactValue<T>(value: T, secrets: Iterable<string>): T {
  const list = forms(secrets);
  const text = (s: string): string => list.reduce((acc, f) => acc.split(f).join(REDACTED), s);
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return text(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [text(k), walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** JSON text of a value, redacted before serialising (and the text once more, for any form a value hid). */
export function redactedJson(value: unknown, secrets: Iterable<string>, indent = 2): string {
  const list = [...secrets];
  return redactText(JSON.stringify(redactValue(value, list), null, indent), list);
}

/**
 * Attribute-level diff of one `show -json` change (pure). Values the engine marks sensitive are never copied out of
 * the plan: only the fact that they changed. Values not known until apply are shown as such.
 *
 * The plan JSON format (`before`, `after`, `after_unknown`, `before_sensitive`, `after_sensitive`): a marker
 * structure mirrors the value; `true` at some path means "everything from here down".
 */
import { isRecord } from "../json";

/** A value as the review shows it: the value itself, or why it is not shown. */
export type ShownValue = { readonly value: unknown } | { readonly masked: "sensitive" | "known after apply" };

export const SENSITIVE_VALUE: ShownValue = { masked: "sensitive" };
export const KNOWN_AFTER_APPLY: ShownValue = { masked: "known after apply" };

export interface AttributeChange {
  /** Dotted path, list items as `[i]`: `input.identityProvider.activate`, `groups_claim[0].value`. */
  readonly path: string;
  /** Absent: no value before (null, empty list or map). */
  readonly before?: ShownValue;
  /** Absent: no value after. */
  readonly after?: ShownValue;
  /** A change to this attribute is why the resource is replaced. */
  readonly forcesReplacement?: true;
}

export interface DiffInput {
  readonly actions?: readonly string[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly after_unknown?: unknown;
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
}

/** cdktf writes `"//": { metadata }` into resource blocks; it is never an attribute. */
const METADATA_KEY = "//";


/**
 * null, "", an empty list and an empty map all mean "no value": providers flip between them (`null → []`,
 * `"" → null` for optional strings the API echoes back empty), and none of those flips is a change worth a row.
 */
export function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0);
}

/** Structural equality with "no value" forms treated as equal; object key order does not matter. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameValue(a[k], b[k]));
  }
  return a === b;
}

/** The marker for a child: `true` propagates down, otherwise index into the structure. */
function child(marker: unknown, key: string | number): unknown {
  if (marker === true) return true;
  if (typeof key === "number") return Array.isArray(marker) ? marker[key] : undefined;
  return isRecord(marker) ? marker[key] : undefined;
}

/** Whether any part of a marker structure is `true`. */
export function anyMarked(marker: unknown): boolean {
  if (marker === true) return true;
  if (Array.isArray(marker)) return marker.some(anyMarked);
  if (isRecord(marker)) return Object.values(marker).some(anyMarked);
  return false;
}

export function joinPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  const part = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  if (!parent) return part === key ? key : `[${part}]`;
  return part === key ? `${parent}.${key}` : `${parent}[${part}]`;
}

/** A replace path from the plan (`[["triggers_replace"]]`, `[["groups_claim", 0, "value"]]`) as a dotted path. */
export function replacePathString(parts: readonly (string | number)[]): string {
  return parts.reduce<string>((acc, p) => joinPath(acc, p), "");
}

function isReplacement(change: DiffInput): boolean {
  const key = (change.actions ?? []).join("+");
  return key === "delete+create" || key === "create+delete";
}

const shown = (v: unknown): ShownValue | undefined => (isEmpty(v) ? undefined : { value: v });

/**
 * Every changed leaf attribute. Lists of plain values are compared whole (`redirect_uris: ["a"] → ["b"]`); lists
 * of objects (blocks such as `groups_claim`) and maps are walked so a row names the one field that changed.
 */
export function diffAttributes(change: DiffInput, skipTopLevel: readonly string[] = []): AttributeChange[] {
  // A replacement's `after` is a fresh create: an attribute left unset (null) gets the provider's default again,
  // so "before → (none)" rows there are noise, not a change anyone asked for.
  const fresh = change.before !== null && change.before !== undefined && isReplacement(change);
  const rows: AttributeChange[] = [];
  const walk = (path: string, b: unknown, a: unknown, bs: unknown, as: unknown, au: unknown): void => {
    if (au === true) {
      rows.push({ path, ...(isEmpty(b) ? {} : { before: bs === true ? SENSITIVE_VALUE : { value: b } }), after: KNOWN_AFTER_APPLY });
      return;
    }
    if (bs === true || as === true) {
      if (sameValue(b, a)) return;
      rows.push({ path, ...(isEmpty(b) ? {} : { before: SENSITIVE_VALUE }), ...(isEmpty(a) ? {} : { after: SENSITIVE_VALUE }) });
      return;
    }
    const objectLike = (v: unknown) => isRecord(v) || v === undefined || v === null;
    if ((isRecord(b) || isRecord(a) || isRecord(au)) && objectLike(b) && objectLike(a)) {
      const keys = new Set<string>([
        ...Object.keys(isRecord(b) ? b : {}),
        ...Object.keys(isRecord(a) ? a : {}),
        ...Object.keys(isRecord(au) ? au : {}),
      ]);
      for (const k of keys) {
        if (k === METADATA_KEY || (path === "" && skipTopLevel.includes(k))) continue;
        walk(joinPath(path, k), isRecord(b) ? b[k] : undefined, isRecord(a) ? a[k] : undefined, child(bs, k), child(as, k), child(au, k));
      }
      return;
    }
    const listLike = (v: unknown) => Array.isArray(v) || v === undefined || v === null;
    if ((Array.isArray(b) || Array.isArray(a)) && listLike(b) && listLike(a)) {
      const bl = Array.isArray(b) ? b : [];
      const al = Array.isArray(a) ? a : [];
      const blocks = [...bl, ...al].some((v) => isRecord(v) || Array.isArray(v));
      if (blocks) {
        const n = Math.max(bl.length, al.length, Array.isArray(au) ? au.length : 0);
        for (let i = 0; i < n; i++) walk(joinPath(path, i), bl[i], al[i], child(bs, i), child(as, i), child(au, i));
        return;
      }
      if (anyMarked(au)) {
        rows.push({ path, ...(isEmpty(b) ? {} : { before: anyMarked(bs) ? SENSITIVE_VALUE : { value: b } }), after: KNOWN_AFTER_APPLY });
        return;
      }
      if (anyMarked(bs) || anyMarked(as)) {
        if (sameValue(b, a)) return;
        rows.push({ path, ...(isEmpty(b) ? {} : { before: SENSITIVE_VALUE }), ...(isEmpty(a) ? {} : { after: SENSITIVE_VALUE }) });
        return;
      }
    }
    if (sameValue(b, a)) return;
    const before = shown(b);
    const after = shown(a);
    if (fresh && !after) return;
    rows.push({ path, ...(before ? { before } : {}), ...(after ? { after } : {}) });
  };
  walk("", change.before, change.after, change.before_sensitive, change.after_sensitive, change.after_unknown);
  return rows;
}

/**
 * Every string the plan marks sensitive, wherever it sits (before and after values of resource changes and drift,
 * outputs, prior state): the list of values that must never reach a comment, a log or a file.
 */
export function sensitiveStrings(value: unknown, marker: unknown, into: Set<string> = new Set()): Set<string> {
  if (marker === true) {
    collectStrings(value, into);
    return into;
  }
  if (Array.isArray(value)) value.forEach((v, i) => sensitiveStrings(v, child(marker, i), into));
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) sensitiveStrings(v, child(marker, k), into);
  return into;
}

function collectStrings(value: unknown, into: Set<string>): void {
  if (typeof value === "string") into.add(value);
  else if (typeof value === "number") into.add(String(value));
  else if (Array.isArray(value)) value.forEach((v) => collectStrings(v, into));
  else if (isRecord(value)) Object.values(value).forEach((v) => collectStrings(v, into));
}

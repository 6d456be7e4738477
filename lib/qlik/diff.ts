import type { IDP, IDPOIDCOptions } from "@qlik/api/identity-providers";
import { isRecord } from "../json";
import { DesiredIdp, desiredOptions, InteractiveOidcOptions } from "./desired";

/**
 * Field-level diff of the desired IdP against the live one (pure). Secrets are never shown: a secret row reads
 * "(sensitive)" → "(changed)".
 *
 * ## Detecting a changed client secret
 * Qlik never returns `clientSecret`, so the live IdP cannot be compared with the desired secret. The scheme:
 * 1. Whenever we send the secret (create, or any whole `/options` / `/pendingOptions` replace), the same atomic
 *    PATCH writes its SHA-256 into the IdP's `meta` (`meta.qlikOktaIac.clientSecretSha256`; `/meta` is a documented
 *    patch path and part of the read model). The hash is no secret: it cannot be reversed for a 40-character random
 *    Okta secret, and the same value already sits in the construct's Terraform triggers.
 * 2. On the next run the stored hash is compared with the hash of `QLIK_IDP_CLIENT_SECRET`: equal → nothing to do
 *    (so a second apply with nothing changed writes nothing); different → the secret is sent again.
 * 3. No stored hash (an IdP made by hand and adopted, or a tenant that dropped `meta`): the secret is "unknown" and
 *    is NOT sent — rotating blindly would, in the interactive flow, reset verification on every run and never let
 *    the IdP be promoted. A note says so, and `idp apply --secret-changed` sends it (and records the hash).
 * This works unchanged under Terraform: the construct's trigger re-runs apply when the secret's hash changes, and
 * apply sees the mismatch with the stored hash.
 */

/** Where our bookkeeping lives inside the IdP's `meta`. */
export const META_KEY = "qlikOktaIac";
export const SENSITIVE = "(sensitive)";
export const CHANGED = "(changed)";
/** A secret sent without knowing the one it replaces (no recorded hash). */
export const SENT = "(sent)";

export interface FieldChange {
  /** Dotted path in the IdP document, e.g. "description", "pendingOptions.claimsMapping". */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
  /** The value is a secret: before/after are placeholders. */
  readonly secret?: true;
  /** Qlik cannot patch this field: changing it means deleting and recreating the IdP. */
  readonly immutable?: true;
}

export type SecretState = "same" | "changed" | "unknown";

export interface IdpDiff {
  /** Every difference, for display (secret rows redacted). */
  readonly changes: readonly FieldChange[];
  /** Which options object the desired options were compared with: the in-flight test config or the live one. */
  readonly comparedWith: "options" | "pendingOptions";
  /** Option fields that differ (names inside options/pendingOptions, not counting the secret). */
  readonly optionFields: readonly (keyof InteractiveOidcOptions)[];
  readonly secret: SecretState;
}

/** Option fields we manage and compare. */
export const COMPARED_OPTION_FIELDS = [
  "discoveryUrl",
  "clientId",
  "realm",
  "scope",
  "claimsMapping",
  "blockOfflineAccessScope",
  "useClaimsFromIdToken",
] as const satisfies readonly (keyof InteractiveOidcOptions)[];

/**
 * Fields the read model may not echo back (`useClaimsFromIdToken` is in Qlik's create schema, not in its read
 * schema): an absent live value means "unknown", not "different", or every apply would write.
 */
const MAYBE_NOT_ECHOED: readonly string[] = ["useClaimsFromIdToken"];

type OidcRead = IDP & { options?: IDPOIDCOptions; pendingOptions?: IDPOIDCOptions; pendingState?: string };

/** The secret hash recorded in an IdP's meta, if any. */
export function storedFingerprint(idp: Pick<IDP, "meta">): string | undefined {
  const meta = idp.meta;
  if (!isRecord(meta)) return undefined;
  const ours = meta[META_KEY];
  const value = isRecord(ours) ? ours.clientSecretSha256 : undefined;
  return typeof value === "string" ? value : undefined;
}

/** The IdP's meta with our secret hash set, keeping whatever else is there. */
export function metaWithFingerprint(meta: unknown, fingerprint: string): Record<string, unknown> {
  return { ...(isRecord(meta) ? meta : {}), [META_KEY]: { clientSecretSha256: fingerprint } };
}

export function secretState(live: Pick<IDP, "meta">, fingerprint: string, secretChanged = false): SecretState {
  if (secretChanged) return "changed";
  const stored = storedFingerprint(live);
  if (stored === undefined) return "unknown";
  return stored === fingerprint ? "same" : "changed";
}

/**
 * Whether the IdP has a test configuration that is not simply the live one: a pendingOptions object that differs
 * from options (Qlik may or may not clear pendingOptions after a promote).
 */
export function hasPendingChange(live: OidcRead): boolean {
  if (!live.pendingOptions) return false;
  if (!live.options) return true;
  return optionDifferences(live.pendingOptions as InteractiveOidcOptions, live.options).length > 0;
}

/** Names of the compared option fields that differ between desired and live options. */
export function optionDifferences(desired: Partial<InteractiveOidcOptions>, live: IDPOIDCOptions | undefined): (keyof InteractiveOidcOptions)[] {
  const out: (keyof InteractiveOidcOptions)[] = [];
  for (const field of COMPARED_OPTION_FIELDS) {
    const want = desired[field];
    const have = live ? (live as Record<string, unknown>)[field] : undefined;
    if (want === undefined) continue;
    if (live && have === undefined && MAYBE_NOT_ECHOED.includes(field)) continue;
    if (!deepEqual(want, have)) out.push(field);
  }
  return out;
}

/** Diff of the desired IdP against the live one. */
export function diffIdp(desired: DesiredIdp, live: OidcRead, fingerprint: string, secretChanged = false): IdpDiff {
  const changes: FieldChange[] = [];

  for (const field of ["protocol", "provider", "interactive", "createNewUsersOnLogin"] as const) {
    const want = desired[field];
    if (want !== undefined && live[field] !== undefined && live[field] !== want) {
      changes.push({ path: field, before: live[field], after: want, immutable: true });
    }
  }
  for (const field of ["description", "clockToleranceSec", "postLogoutRedirectUri"] as const) {
    const want = desired[field];
    if (want !== undefined && live[field] !== want) changes.push({ path: field, before: live[field], after: want });
  }

  const options = desiredOptions(desired);
  const interactiveFlow = desired.pendingOptions !== undefined;
  const comparedWith = interactiveFlow && hasPendingChange(live) ? "pendingOptions" : "options";
  const liveOptions = comparedWith === "pendingOptions" ? live.pendingOptions : live.options;
  const optionFields = optionDifferences(options, liveOptions);
  for (const field of optionFields) {
    changes.push({
      path: `${comparedWith}.${field}`,
      before: liveOptions ? (liveOptions as Record<string, unknown>)[field] : undefined,
      after: options[field],
    });
  }

  const secret = secretState(live, fingerprint, secretChanged);
  if (secret === "changed") changes.push({ path: `${comparedWith}.clientSecret`, before: SENSITIVE, after: CHANGED, secret: true });
  return { changes, comparedWith, optionFields, secret };
}

/** The rows a create shows: every desired field, the secret redacted. */
export function creationChanges(desired: DesiredIdp): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of ["description", "clockToleranceSec", "createNewUsersOnLogin", "postLogoutRedirectUri"] as const) {
    if (desired[field] !== undefined) changes.push({ path: field, before: undefined, after: desired[field] });
  }
  const side = desired.pendingOptions ? "pendingOptions" : "options";
  const options = desiredOptions(desired);
  for (const field of COMPARED_OPTION_FIELDS) {
    if (options[field] !== undefined) changes.push({ path: `${side}.${field}`, before: undefined, after: options[field] });
  }
  changes.push({ path: `${side}.clientSecret`, before: undefined, after: SENSITIVE, secret: true });
  return changes;
}

/** One display line for a change: `description: "Okta" → "Okta [managed …]"`. */
export function formatChange(change: FieldChange): string {
  const show = (v: unknown): string => (change.secret ? String(v ?? "(none)") : v === undefined ? "(none)" : JSON.stringify(v));
  const suffix = change.immutable ? " (cannot be changed in place: recreate)" : "";
  return `${change.path}: ${show(change.before)} → ${show(change.after)}${suffix}`;
}


/** Structural equality; object key order does not matter, array order does. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => a[k] !== undefined || b[k] !== undefined));
    return [...keys].every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

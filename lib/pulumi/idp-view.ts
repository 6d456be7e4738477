/**
 * The Qlik identity provider as the Pulumi dynamic resource shows it (pure): the desired IdP in the resource's
 * inputs (`idp`, set by the provider's `check`), the live IdP in its outputs (`idp`, set by create, update and
 * read), and the `detailedDiff` that names the IdP's fields a plan changes — so `pulumi preview` shows the Qlik
 * change field by field, with the before value from the state and the after value from the inputs.
 *
 * Neither view ever holds the client secret: its SHA-256 (`clientSecretSha256`, the same value the reconcile
 * records in the IdP's meta) stands for it.
 */
import type { IDPOIDC, IDPOIDCOptions } from "@qlik/api/identity-providers";
import { desiredIdp } from "../qlik/desired";
import { COMPARED_OPTION_FIELDS, storedFingerprint } from "../qlik/diff";
import type { IdpReport } from "../qlik/reconcile";
import type { IdpRequest } from "../qlik/request";

/** The options of an IdP as shown: the compared fields, never the secret. */
export type OptionsView = Partial<Record<(typeof COMPARED_OPTION_FIELDS)[number], unknown>>;

/** An IdP as shown in the resource's inputs (desired) or outputs (live). */
export interface IdpView {
  readonly description?: string;
  readonly clockToleranceSec?: number;
  readonly createNewUsersOnLogin?: boolean;
  readonly postLogoutRedirectUri?: string;
  readonly active?: boolean;
  /** The validated, live configuration. */
  readonly options?: OptionsView;
  /** A test configuration waiting for (or past) an admin's validation. */
  readonly pendingOptions?: OptionsView;
  /** Qlik's latest test result for pendingOptions: pending, verified or error. */
  readonly pendingState?: string;
}

/** Pulumi's PropertyDiff kinds (pulumirpc.PropertyDiff.Kind), as the dynamic provider host sends them. */
export type DiffKind = "add" | "update" | "delete";
export type DetailedDiff = Record<string, DiffKind>;

/** The desired IdP, as Qlik will hold it: `pendingOptions` (interactive) or `options` (skip), never the secret. */
export function desiredView(request: IdpRequest): IdpView {
  const desired = desiredIdp(request, "");
  const side = desired.pendingOptions ? "pendingOptions" : "options";
  return compact({
    description: desired.description,
    clockToleranceSec: desired.clockToleranceSec,
    createNewUsersOnLogin: desired.createNewUsersOnLogin,
    postLogoutRedirectUri: desired.postLogoutRedirectUri,
    active: request.identityProvider.activate,
    [side]: optionsView(desired.pendingOptions ?? desired.options),
  });
}

/** The live IdP as Qlik reports it, without its secret. */
export function liveView(idp: IDPOIDC): IdpView {
  return compact({
    description: idp.description,
    clockToleranceSec: idp.clockToleranceSec,
    createNewUsersOnLogin: idp.createNewUsersOnLogin,
    postLogoutRedirectUri: (idp as { postLogoutRedirectUri?: string }).postLogoutRedirectUri,
    active: idp.active,
    options: idp.options ? optionsView(idp.options) : undefined,
    pendingOptions: idp.pendingOptions ? optionsView(idp.pendingOptions) : undefined,
    pendingState: idp.pendingState,
  });
}

/** The secret hash the live IdP records (meta), if any. */
export function liveSecretSha256(idp: IDPOIDC): string | undefined {
  return storedFingerprint(idp);
}

function optionsView(options: Partial<IDPOIDCOptions> | Record<string, unknown> | undefined): OptionsView | undefined {
  if (!options) return undefined;
  const out: Record<string, unknown> = {};
  for (const field of COMPARED_OPTION_FIELDS) {
    const value = (options as Record<string, unknown>)[field];
    if (value !== undefined) out[field] = value;
  }
  return out;
}

/**
 * The fields a reconcile plan changes, keyed as paths into the resource's `idp` (or `clientSecretSha256`):
 * - a field row (`description`, `options.realm`, `pendingOptions.clientId`) is keyed where the desired value goes
 *   (`idp.pendingOptions.realm` in the interactive flow: a change waits there for validation);
 * - a secret row is `clientSecretSha256` (the hash, never the secret);
 * - promoting a validated configuration removes `idp.pendingState`; (de)activating changes `idp.active`;
 * - anything else the plan would do without a field row (a blocked action) shows as `idp`.
 */
export function detailedDiffFromReport(report: IdpReport, desired: IdpView): DetailedDiff {
  const side = desired.pendingOptions ? "pendingOptions" : "options";
  const diff: DetailedDiff = {};
  for (const change of report.changes ?? []) {
    if (change.secret) {
      diff.clientSecretSha256 = change.before === undefined ? "add" : "update";
      continue;
    }
    const [head, ...rest] = change.path.split(".");
    const key = (head === "options" || head === "pendingOptions") && rest.length > 0 ? `idp.${side}.${rest.join(".")}` : `idp.${change.path}`;
    diff[key] = change.before === undefined ? "add" : "update";
  }
  for (const action of report.actions ?? []) {
    if (action.kind === "promote") diff["idp.pendingState"] = "delete";
    if (action.kind === "activate" || action.kind === "deactivate") diff["idp.active"] = "update";
  }
  const changed = (report.actions ?? []).some((a) => a.kind !== "none");
  if (changed && Object.keys(diff).length === 0) diff.idp = "update";
  return diff;
}

/**
 * Paths of the desired view that are not known yet (a preview where the Okta app is created or replaced): the
 * client id and the secret's hash are Pulumi's unknown value then, and the plan cannot run.
 */
export function unknownPaths(value: unknown, unknown: string, prefix: string): string[] {
  if (value === unknown) return [prefix];
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownPaths(v, unknown, `${prefix}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => unknownPaths(v, unknown, prefix ? `${prefix}.${k}` : k));
  }
  return [];
}

/** Drops undefined values (Pulumi's Struct cannot carry them). */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

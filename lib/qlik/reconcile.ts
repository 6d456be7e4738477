import type { IDP, IDPOIDC, IDPOIDCOptions } from "@qlik/api/identity-providers";
import { QlikClient } from "./client";
import { DesiredIdp, desiredOptions, InteractiveOidcOptions } from "./desired";
import {
  COMPARED_OPTION_FIELDS,
  creationChanges,
  diffIdp,
  FieldChange,
  hasPendingChange,
  metaWithFingerprint,
  optionDifferences,
} from "./diff";
import {
  activationBlocked,
  deactivationBlocked,
  deletionBlocked,
  duplicateCleanupError,
  partialApplyError,
  promoteMismatchError,
  QlikApiError,
  QlikError,
  createWithoutIdError,
  recoveryUrl,
  recreateBlocked,
  severalAdoptableError,
  severalManagedError,
} from "./errors";
import { hasMarker, markerStack } from "./marker";
import { PatchOperation } from "./retry";

/**
 * Reconciling the Qlik identity provider: finding ours, planning (pure), executing.
 *
 * Planning is a pure function of the desired IdP and what the tenant has, so every branch — including the lockout
 * guard (DESIGN invariant 4) — is unit-tested without a server. Execution is a thin loop over the actions.
 */

export type Action =
  | { readonly kind: "create"; readonly summary: string; readonly payload: DesiredIdp; readonly fingerprint: string }
  | {
      readonly kind: "recreate";
      readonly summary: string;
      readonly id: string;
      readonly wasActive: boolean;
      readonly payload: DesiredIdp;
      readonly fingerprint: string;
    }
  | { readonly kind: "patch"; readonly summary: string; readonly id: string; readonly ops: readonly PatchOperation[]; readonly changes: readonly FieldChange[] }
  | { readonly kind: "promote"; readonly summary: string; readonly id: string; readonly popts?: string }
  /** `id` undefined: the IdP created earlier in the same run. */
  | { readonly kind: "activate"; readonly summary: string; readonly id?: string }
  | { readonly kind: "deactivate"; readonly summary: string; readonly id: string; readonly ours: boolean }
  | { readonly kind: "delete"; readonly summary: string; readonly id: string }
  | { readonly kind: "blocked"; readonly summary: string; readonly reason: string }
  | { readonly kind: "none"; readonly summary: string };

export type ActionKind = Action["kind"];

export interface Plan {
  readonly actions: readonly Action[];
  /** Field-level differences (secrets redacted). */
  readonly changes: readonly FieldChange[];
  /** What the admin should do next, in plain words. */
  readonly notes: readonly string[];
  /** The managed IdP's id, when it exists. */
  readonly idpId?: string;
}

/** What the tenant has, as far as planning is concerned. */
export interface LiveState {
  /** Our IdP (found by marker, or adopted by client id). */
  readonly managed?: IDP;
  /** Found by client id rather than marker: the marker gets added. */
  readonly adopted?: boolean;
  /** Every other IdP on the tenant. */
  readonly others: readonly IDP[];
  /** `QLIK-IDP-POPTS` of the managed IdP's latest GET. */
  readonly popts?: string;
}

export interface PlanOptions {
  readonly mode: "apply" | "destroy";
  readonly stack: string;
  /** The tenant's real hostname (for the admin's instructions). */
  readonly tenantHostname: string;
  /** The user's description, without the marker (to name the IdP in instructions). */
  readonly description: string;
  /** @default false */
  readonly activate?: boolean;
  /** @default false */
  readonly allowActiveIdpChange?: boolean;
  /** @default "retain" */
  readonly onDestroy?: "retain" | "delete";
  /** SHA-256 of the client secret (apply). */
  readonly secretFingerprint?: string;
  /** The caller knows the secret changed (`--secret-changed`). @default false */
  readonly secretChanged?: boolean;
}

// ── finding the managed IdP ───────────────────────────────────────────────────────────────────────────────────────

/**
 * Our IdP is the one carrying this stack's marker. Without one, an Okta OIDC interactive IdP that uses our client id
 * and carries no marker of another stack is adopted (apply adds the marker). Two candidates are never chosen between
 * silently: that is an error naming them.
 */
export function findManagedIdp(
  idps: readonly IDP[],
  target: { readonly stack: string; readonly clientId?: string; readonly tenantHostname: string },
): LiveState {
  const marked = idps.filter((i) => hasMarker(i.description, target.stack));
  if (marked.length > 1) throw severalManagedError(target.stack, marked.map((i) => i.id ?? "?"), target.tenantHostname);
  if (marked.length === 1) return { managed: marked[0], others: idps.filter((i) => i !== marked[0]) };
  if (!target.clientId) return { others: idps };
  const adoptable = idps.filter(
    (i) =>
      i.protocol === "OIDC" &&
      i.provider === "okta" &&
      i.interactive === true &&
      markerStack(i.description) === undefined &&
      ((i as IDPOIDC).options?.clientId === target.clientId || (i as IDPOIDC).pendingOptions?.clientId === target.clientId),
  );
  if (adoptable.length > 1) throw severalAdoptableError(target.clientId, adoptable.map((i) => i.id ?? "?"));
  if (adoptable.length === 1) return { managed: adoptable[0], adopted: true, others: idps.filter((i) => i !== adoptable[0]) };
  return { others: idps };
}

// ── planning ──────────────────────────────────────────────────────────────────────────────────────────────────────

const name = (idp: IDP): string => `${idp.id ?? "?"}${idp.description ? ` (${JSON.stringify(idp.description)})` : ""}`;

export function validationNote(tenant: string, description: string, id?: string): string {
  const which = id ? `${description} (${id})` : description;
  return (
    `Sign in to https://${tenant}/ as a TenantAdmin → Administration → Identity provider → ${which} → Validate ` +
    `(a test login through Okta); then run apply again (or re-run the pipeline) to promote it`
  );
}

export function planActions(desired: DesiredIdp | undefined, live: LiveState, opts: PlanOptions): Plan {
  if (opts.mode === "destroy") return planDestroy(live, opts);
  if (!desired || opts.secretFingerprint === undefined) throw new Error("planActions(apply) needs the desired IdP and the secret fingerprint");
  const fingerprint = opts.secretFingerprint;
  const actions: Action[] = [];
  const notes: string[] = [];
  const tenant = opts.tenantHostname;
  const interactiveFlow = desired.pendingOptions !== undefined;
  const flowText = interactiveFlow ? "pending verification" : "verification skipped";
  const activeOthers = live.others.filter((o) => o.active === true && o.interactive === true);

  /** Activation with the lockout guard: never over another active interactive IdP without the opt-in. */
  const planActivation = (id: string | undefined): void => {
    if (activeOthers.length > 0 && !opts.allowActiveIdpChange) {
      const names = activeOthers.map(name).join(", ");
      actions.push({
        kind: "blocked",
        summary: `! activate Okta IdP: blocked, ${names} is the tenant's active sign-in`,
        reason: activationBlocked(names, opts.stack, tenant),
      });
      return;
    }
    for (const other of activeOthers) {
      actions.push({ kind: "deactivate", summary: `~ deactivate ${name(other)} (allowActiveIdpChange)`, id: other.id ?? "", ours: false });
    }
    actions.push({ kind: "activate", summary: `~ activate Okta IdP${id ? ` ${id}` : ""}: it becomes the tenant's sign-in`, id });
    notes.push(`Okta is now how users sign in to https://${tenant}/; if nobody can, an admin recovers at ${recoveryUrl(tenant)}`);
  };

  const planCreation = (recreate?: { id: string; wasActive: boolean }): void => {
    if (recreate) {
      actions.push({
        kind: "recreate",
        summary: `-/+ recreate Okta IdP ${recreate.id} (${flowText}): a field that cannot be patched changed`,
        id: recreate.id,
        wasActive: recreate.wasActive,
        payload: desired,
        fingerprint,
      });
    } else {
      actions.push({ kind: "create", summary: `+ create Okta IdP (${flowText})`, payload: desired, fingerprint });
    }
    if (recreate?.wasActive && (interactiveFlow || !opts.activate)) {
      notes.push(`Until the new IdP is active, users sign in with Qlik Account; recovery if needed: ${recoveryUrl(tenant)}`);
    }
    if (interactiveFlow) {
      notes.push(validationNote(tenant, opts.description));
      if (opts.activate) notes.push("It is activated by the apply that promotes it");
    } else if (opts.activate) {
      planActivation(undefined);
    }
  };

  const managed = live.managed as IDPOIDC | undefined;
  if (!managed) {
    planCreation();
    return { actions, changes: creationChanges(desired), notes };
  }

  const id = managed.id ?? "";
  const diff = diffIdp(desired, managed, fingerprint, opts.secretChanged);
  const changes = [...diff.changes];
  if (live.adopted) notes.push(`Adopted the existing Okta IdP ${id} (same client id); the managed-by marker is added to its description`);

  // Fields Qlik cannot patch: delete and create again — guarded when it is the live sign-in.
  if (diff.changes.some((c) => c.immutable)) {
    const wasActive = managed.active === true && managed.interactive === true;
    if (wasActive && !opts.allowActiveIdpChange) {
      const fields = diff.changes.filter((c) => c.immutable).map((c) => c.path).join(", ");
      actions.push({
        kind: "blocked",
        summary: `! recreate Okta IdP ${id}: blocked, it is the tenant's active sign-in`,
        reason: recreateBlocked(fields, id, opts.stack, tenant),
      });
      return { actions, changes, notes, idpId: id };
    }
    planCreation({ id, wasActive });
    return { actions, changes, notes, idpId: id };
  }

  // One atomic PATCH of `replace` ops (reference/qlik.md §1.8) for everything patchable.
  const ops: PatchOperation[] = [];
  for (const change of diff.changes) {
    if (!change.path.includes(".")) ops.push({ op: "replace", path: `/${change.path}`, value: change.after });
  }
  const options = desiredOptions(desired);
  const sendSecret = (): void => {
    ops.push({ op: "replace", path: "/meta", value: metaWithFingerprint(managed.meta, fingerprint) });
  };
  let stagedPending = false;
  let liveOptionsChange = false;
  // No recorded hash (an adopted IdP, or a create whose meta write failed): send the secret once and record it, so
  // a rotation is never silently missed; from then on the hash decides.
  const sendsSecret = diff.secret !== "same";
  const optionsNeedWrite = diff.optionFields.length > 0 || sendsSecret;
  // The secret is a credential, not configuration: a new one goes into the live options at once (Okta may no longer
  // accept the old one — the article's "rotated secret locks everyone out"), and only configuration changes wait
  // for validation. The live options keep their validated fields; a differing desired configuration (if any) is
  // staged in pendingOptions with the new secret. A pending test configuration that used the old secret has to be
  // validated again, so nothing is promoted in this run.
  const rotateLiveSecret = interactiveFlow && managed.options !== undefined && sendsSecret;
  if (rotateLiveSecret) {
    const liveMatchesDesired = optionDifferences(options, managed.options).length === 0;
    ops.push({ op: "replace", path: "/options", value: liveMatchesDesired ? options : liveOptionsWithSecret(managed.options!, options) });
    if (!liveMatchesDesired || managed.pendingOptions !== undefined) {
      ops.push({ op: "replace", path: "/pendingOptions", value: options });
      stagedPending = !liveMatchesDesired || hasPendingChange(managed);
    }
    sendSecret();
    liveOptionsChange = true;
    const secretRow = changes.findIndex((c) => c.secret);
    if (secretRow >= 0) changes[secretRow] = { ...changes[secretRow], path: "options.clientSecret" };
  } else if (interactiveFlow) {
    if (optionsNeedWrite) {
      // The whole object: sub-paths exist only for some fields, and it must carry the secret anyway.
      ops.push({ op: "replace", path: "/pendingOptions", value: options });
      sendSecret();
      stagedPending = true;
    }
  } else if (optionsNeedWrite) {
    const subPathable: readonly string[] = ["realm", "discoveryUrl", "claimsMapping"];
    const onlySubPaths = managed.options !== undefined && !sendsSecret && diff.optionFields.every((f) => subPathable.includes(f));
    if (onlySubPaths) {
      for (const f of diff.optionFields) ops.push({ op: "replace", path: `/options/${f}`, value: options[f] });
    } else {
      // clientId, scope and the secret have no patch path of their own: replace /options as a whole.
      ops.push({ op: "replace", path: "/options", value: options });
      sendSecret();
    }
    liveOptionsChange = true;
  }
  if (ops.length > 0) {
    const what = stagedPending ? " (new test configuration in pendingOptions: needs validation)" : "";
    actions.push({ kind: "patch", summary: `~ update Okta IdP ${id}${what}`, id, ops, changes });
  }
  if (diff.secret === "unknown") {
    notes.push(`IdP ${id} had no record of its client secret: the secret is sent once and its hash recorded in meta`);
  }


  // Verification: promote a validated test configuration; otherwise say what the admin must do.
  let willHaveOptions = managed.options !== undefined || liveOptionsChange;
  if (interactiveFlow) {
    if (stagedPending) {
      notes.push(validationNote(tenant, opts.description, id));
    } else if (hasPendingChange(managed)) {
      if (managed.pendingState === "verified") {
        actions.push({ kind: "promote", summary: `~ promote the validated configuration of Okta IdP ${id} to live`, id, popts: live.popts });
        willHaveOptions = true;
      } else if (managed.pendingState === "error") {
        const result = managed.pendingResult;
        const why = [result?.status, result?.error].filter(Boolean).join(": ");
        notes.push(`The last validation of IdP ${id} failed${why ? ` (${why})` : ""}; fix the Okta app or the claims mapping, then validate again`);
        notes.push(validationNote(tenant, opts.description, id));
      } else {
        notes.push(validationNote(tenant, opts.description, id));
      }
    }
  }

  // Activation, both ways, behind the lockout guard.
  if (opts.activate && managed.active !== true) {
    if (willHaveOptions) planActivation(id);
    else notes.push(`IdP ${id} is activated once its configuration is validated and promoted`);
  } else if (!opts.activate && managed.active === true && managed.interactive === true) {
    if (opts.allowActiveIdpChange) {
      actions.push({ kind: "deactivate", summary: `~ deactivate Okta IdP ${id} (activate: false)`, id, ours: true });
      notes.push(`Users sign in with Qlik Account again; recovery if needed: ${recoveryUrl(tenant)}`);
    } else {
      actions.push({
        kind: "blocked",
        summary: `! deactivate Okta IdP ${id}: blocked, it is the tenant's active sign-in`,
        reason: deactivationBlocked(id, opts.stack),
      });
    }
  }

  if (actions.length === 0) actions.push({ kind: "none", summary: `= Okta IdP ${id} is up to date` });
  return { actions, changes, notes, idpId: id };
}

/**
 * The live (validated) options with only the client secret replaced. Fields the read model may not echo
 * (`useClaimsFromIdToken`) are taken from the desired options, the best knowledge there is.
 */
export function liveOptionsWithSecret(live: IDPOIDCOptions, desired: InteractiveOidcOptions): InteractiveOidcOptions {
  const kept: Record<string, unknown> = {};
  for (const field of COMPARED_OPTION_FIELDS) {
    const value = (live as Record<string, unknown>)[field];
    kept[field] = value !== undefined ? value : desired[field];
  }
  return { ...desired, ...kept, clientSecret: desired.clientSecret } as InteractiveOidcOptions;
}

function planDestroy(live: LiveState, opts: PlanOptions): Plan {
  const managed = live.managed;
  const tenant = opts.tenantHostname;
  if (!managed || live.adopted) {
    return { actions: [{ kind: "none", summary: `= no Okta IdP managed by stack ${opts.stack}; nothing to remove` }], changes: [], notes: [] };
  }
  const id = managed.id ?? "";
  if ((opts.onDestroy ?? "retain") === "retain") {
    return {
      actions: [{ kind: "none", summary: `= retain Okta IdP ${id} (onDestroy: retain)` }],
      changes: [],
      notes: [`IdP ${id} stays on the tenant (onDestroy: retain); set onDestroy: delete to remove it with the stack`],
      idpId: id,
    };
  }
  const actions: Action[] = [];
  const notes: string[] = [];
  if (managed.active === true && managed.interactive === true) {
    if (!opts.allowActiveIdpChange) {
      actions.push({
        kind: "blocked",
        summary: `! delete Okta IdP ${id}: blocked, it is the tenant's active sign-in`,
        reason: deletionBlocked(id, opts.stack, tenant),
      });
      return { actions, changes: [], notes, idpId: id };
    }
    actions.push({ kind: "deactivate", summary: `~ deactivate Okta IdP ${id} (allowActiveIdpChange)`, id, ours: true });
    notes.push(`Users sign in with Qlik Account again; recovery if needed: ${recoveryUrl(tenant)}`);
  }
  actions.push({ kind: "delete", summary: `- delete Okta IdP ${id} (onDestroy: delete)`, id });
  return { actions, changes: [], notes, idpId: id };
}

/** True when the plan would change something (plan exit code 2). */
export function planHasChanges(plan: Plan): boolean {
  return plan.actions.some((a) => a.kind !== "none");
}

// ── execution ─────────────────────────────────────────────────────────────────────────────────────────────────────

export interface ActionRecord {
  readonly kind: ActionKind;
  readonly summary: string;
  readonly status: "done" | "blocked" | "failed" | "not run";
  /** The IdP it acted on. */
  readonly id?: string;
}

export interface Outcome {
  readonly records: readonly ActionRecord[];
  /** The managed IdP after the run (undefined when deleted or never created). */
  readonly idpId?: string;
  /** Set when this run yielded to another run's copy (concurrent applies). */
  readonly yieldedTo?: string;
  /** Reasons of blocked actions. */
  readonly blocked: readonly string[];
  /** Extra notes from execution. */
  readonly notes: readonly string[];
}

/** Failure part-way: the message says what failed and what was done; `outcome` has the records. */
export class ExecutionError extends QlikError {
  public override readonly name = "ExecutionError";
  constructor(
    message: string,
    public readonly outcome: Outcome,
  ) {
    super(message);
  }
}

export interface ExecuteOptions {
  readonly stack: string;
  readonly tenantHostname: string;
  /** Needed to re-check a test configuration before a retried promote. */
  readonly desired?: DesiredIdp;
  /** The managed IdP's id before the run (Plan.idpId). */
  readonly idpId?: string;
}

/**
 * The copy that survives when concurrent applies each created one: the oldest by `created`, then the one the server
 * lists first, then the lowest id. Every run sees the same order, so all agree without a lock.
 */
export function survivingCopy(copies: readonly IDP[]): IDP {
  const rank = (i: IDP): number => {
    const t = Date.parse(i.created ?? "");
    return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
  };
  return copies
    .map((idp, index) => ({ idp, index }))
    .sort((a, b) => rank(a.idp) - rank(b.idp) || a.index - b.index || String(a.idp.id).localeCompare(String(b.idp.id)))[0].idp;
}

export async function executeActions(client: QlikClient, actions: readonly Action[], opts: ExecuteOptions): Promise<Outcome> {
  const records: ActionRecord[] = [];
  const blocked: string[] = [];
  const notes: string[] = [];
  let current: string | undefined = opts.idpId;
  let yieldedTo: string | undefined;
  /** Steps of the current action that already happened (reported if a later step of it fails). */
  const progress: string[] = [];
  const doneSummaries = (): string[] => [
    ...records.filter((r) => r.status === "done" && r.kind !== "none").map((r) => r.summary.replace(/^\S+\s/, "")),
    ...progress,
  ];

  /**
   * Concurrency (DESIGN invariant 2). Qlik has no lock or conditional create, so after creating, list again: if
   * another run created a copy too, every run keeps the same survivor ({@link survivingCopy}) and the others delete
   * their own copy — it is brand new and inactive, so no one is signed out.
   */
  const settleCopies = async (mine: string): Promise<string> => {
    const copies = (await client.listIdps()).filter((i) => hasMarker(i.description, opts.stack));
    if (copies.length <= 1) return mine;
    const winner = survivingCopy(copies).id ?? mine;
    if (winner === mine) return mine;
    try {
      await client.deleteIdp(mine);
    } catch (e) {
      throw duplicateCleanupError(mine, winner, e instanceof Error ? e.message : String(e));
    }
    return winner;
  };

  const createAndSettle = async (payload: DesiredIdp, fingerprint: string): Promise<string | undefined> => {
    const created = await client.createIdp(payload);
    const mine = created.idp.id;
    if (!mine) throw createWithoutIdError();
    progress.push(`created Okta IdP ${mine}`);
    current = mine;
    const survivor = await settleCopies(mine);
    if (survivor !== mine) {
      yieldedTo = survivor;
      notes.push(`Another apply created IdP ${survivor} at the same time; this run removed its own copy ${mine} and left the rest to that run`);
      return survivor;
    }
    // Record the secret's hash (see diff.ts). Not part of the create schema, so a PATCH right after.
    try {
      await client.patchIdp(mine, [{ op: "replace", path: "/meta", value: metaWithFingerprint(created.idp.meta, fingerprint) }]);
    } catch (e) {
      if (!(e instanceof QlikApiError && (e.status === 400 || e.status === 422))) throw e;
      notes.push(`Qlik did not store the secret's hash in the IdP's meta; after rotating the Okta secret run idp apply --secret-changed`);
    }
    return mine;
  };

  const promote = async (id: string, popts: string | undefined): Promise<void> => {
    const send = (match: string | undefined): Promise<void> => client.patchIdp(id, [{ op: "promote-options" }], { poptsMatch: match });
    try {
      await send(popts);
    } catch (e) {
      if (!(e instanceof QlikApiError && e.status === 412)) throw e;
      // The tested configuration's hash moved: read it again, make sure it is still ours and validated, retry once.
      const fresh = await client.getIdp(id);
      const idp = fresh.idp as IDPOIDC;
      if (idp.pendingState !== "verified") throw promoteMismatchError(id, `its test configuration is now ${idp.pendingState ?? "gone"}, not verified`);
      if (opts.desired && idp.pendingOptions && optionDifferences(desiredOptions(opts.desired) as InteractiveOidcOptions, idp.pendingOptions).length > 0) {
        throw promoteMismatchError(id, "someone changed its test configuration since it was read");
      }
      await send(fresh.popts);
    }
  };

  for (let i = 0; i < actions.length; i++) {
    const action = actions[i];
    if (yieldedTo) {
      records.push({ kind: action.kind, summary: action.summary, status: "not run" });
      continue;
    }
    let target: string | undefined;
    progress.length = 0;
    try {
      switch (action.kind) {
        case "none":
          records.push({ kind: action.kind, summary: action.summary, status: "done", id: current });
          continue;
        case "blocked":
          blocked.push(action.reason);
          records.push({ kind: action.kind, summary: action.summary, status: "blocked" });
          continue;
        case "create":
          current = await createAndSettle(action.payload, action.fingerprint);
          target = current;
          break;
        case "recreate":
          target = action.id;
          if (action.wasActive) {
            await client.patchIdp(action.id, [{ op: "replace", path: "/active", value: false }]);
            progress.push(`deactivated Okta IdP ${action.id}`);
          }
          await client.deleteIdp(action.id);
          progress.push(`deleted Okta IdP ${action.id}`);
          current = undefined;
          current = await createAndSettle(action.payload, action.fingerprint);
          target = current;
          break;
        case "patch":
          target = action.id;
          await client.patchIdp(action.id, action.ops);
          break;
        case "promote":
          target = action.id;
          await promote(action.id, action.popts);
          break;
        case "activate":
          target = action.id ?? current;
          if (!target) throw createWithoutIdError();
          await client.patchIdp(target, [{ op: "replace", path: "/active", value: true }]);
          break;
        case "deactivate":
          target = action.id;
          await client.patchIdp(action.id, [{ op: "replace", path: "/active", value: false }]);
          break;
        case "delete":
          target = action.id;
          await client.deleteIdp(action.id);
          if (current === action.id) current = undefined;
          break;
      }
      const created = action.kind === "create" || action.kind === "recreate";
      const summary = !created ? action.summary : yieldedTo ? `${action.summary} → kept ${yieldedTo}, created by a concurrent apply` : `${action.summary} → ${target}`;
      records.push({ kind: action.kind, summary, status: "done", id: target });
    } catch (e) {
      records.push({ kind: action.kind, summary: action.summary, status: "failed", id: target });
      for (const rest of actions.slice(i + 1)) records.push({ kind: rest.kind, summary: rest.summary, status: "not run" });
      const cause = e instanceof QlikError ? e.message : `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
      const outcome: Outcome = { records, idpId: current, yieldedTo, blocked, notes };
      throw new ExecutionError(partialApplyError(cause, doneSummaries()).message, outcome);
    }
  }
  return { records, idpId: yieldedTo ?? current, yieldedTo, blocked, notes };
}

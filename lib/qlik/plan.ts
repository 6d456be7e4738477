import type { IDP, IDPOIDC, IDPOIDCOptions } from "@qlik/api/identity-providers";
import { tenantUrl } from "../contract";
import { DesiredIdp, desiredOptions, InteractiveOidcOptions } from "./desired";
import {
  COMPARED_OPTION_FIELDS,
  creationChanges,
  deepEqual,
  diffIdp,
  FieldChange,
  hasPendingChange,
  IdpDiff,
  metaWithFingerprint,
  optionDifferences,
  SENSITIVE,
  SENT,
} from "./diff";
import {
  activationBlocked,
  deactivationBlocked,
  deletionBlocked,
  liveOptionsBlocked,
  recoveryUrl,
  recreateBlocked,
  rekeyBlocked,
  secretRejectedBlocked,
  secretUnverifiedBlocked,
} from "./errors";
import { LiveState } from "./find";
import { PatchOperation } from "./retry";

/**
 * Planning the Qlik identity provider (pure): what to do, given the desired IdP and what the tenant has.
 *
 * The plan is composed of small planners — create, update (the options write), verification, activation and
 * retirement — each holding its own part of the lockout guard, so that every branch is unit-tested without a server
 * and a reader finds each guard next to the change it guards. The guard's rule: nothing the tenant signs in with
 * (an active interactive IdP) is deactivated, replaced or deleted, and nothing is activated over it, unless the stack
 * sets `allowActiveIdpChange: true`; what gives users a new identity (realm, the `sub` mapping) on an IdP they already
 * sign in through needs `allowUserRekey: true`; and a client secret goes into live options only when Okta accepts it.
 */

export type Action =
  | { readonly kind: "create"; readonly summary: string; readonly payload: DesiredIdp; readonly fingerprint: string; readonly liveSecret: boolean }
  | {
      readonly kind: "recreate";
      readonly summary: string;
      readonly id: string;
      readonly wasActive: boolean;
      readonly payload: DesiredIdp;
      readonly fingerprint: string;
      readonly liveSecret: boolean;
    }
  | {
      readonly kind: "patch";
      readonly summary: string;
      readonly id: string;
      readonly ops: readonly PatchOperation[];
      readonly changes: readonly FieldChange[];
      /** The client secret goes into the live options: Okta must accept it first. */
      readonly liveSecret: boolean;
    }
  | { readonly kind: "promote"; readonly summary: string; readonly id: string; readonly popts?: string }
  /** `id` undefined: the IdP created earlier in the same run. */
  | { readonly kind: "activate"; readonly summary: string; readonly id?: string }
  | { readonly kind: "deactivate"; readonly summary: string; readonly id: string; readonly ours: boolean }
  | { readonly kind: "delete"; readonly summary: string; readonly id: string }
  /** A change the lockout guard held back; `reason` says why and what to set. */
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
  /** @default false */
  readonly allowUserRekey?: boolean;
  /**
   * What Okta said of the client secret, when the plan writes it into live options (see {@link writesLiveSecret}).
   * @default - not checked: the plan is made as if it were accepted
   */
  readonly secretCheck?: { readonly verdict: "accepted" | "rejected" | "unknown"; readonly detail: string };
}

/** Whether an action puts the client secret into an IdP's live options (where a wrong one locks users out). */
export function writesLiveSecret(action: Action): boolean {
  return (action.kind === "create" || action.kind === "recreate" || action.kind === "patch") && action.liveSecret;
}

/** True when the plan would change something (plan exit code 2). */
export function planHasChanges(plan: Plan): boolean {
  return plan.actions.some((a) => a.kind !== "none");
}

export function planActions(desired: DesiredIdp | undefined, live: LiveState, opts: PlanOptions): Plan {
  if (opts.mode === "destroy") return planRetirement(live, opts);
  return guardLiveSecret(planApply(desired, live, opts), live, opts);
}

function planApply(desired: DesiredIdp | undefined, live: LiveState, opts: PlanOptions): Plan {
  if (!desired || opts.secretFingerprint === undefined) throw new Error("planActions(apply) needs the desired IdP and the secret fingerprint");
  const ctx: Context = {
    desired,
    fingerprint: opts.secretFingerprint,
    opts,
    interactiveFlow: desired.pendingOptions !== undefined,
    activeOthers: live.others.filter((o) => o.active === true && o.interactive === true),
  };
  const managed = live.managed as IDPOIDC | undefined;
  if (!managed) return { ...planCreate(ctx), changes: creationChanges(desired) };

  const id = managed.id ?? "";
  const diff = diffIdp(desired, managed, ctx.fingerprint, opts.secretChanged);
  const adoption: Step = {
    actions: [],
    notes: live.adopted ? [`Adopted the existing Okta IdP ${id} (same client id); the managed-by marker is added to its description`] : [],
  };
  if (diff.changes.some((c) => c.immutable)) {
    return { ...join(adoption, planRecreate(ctx, managed, diff)), changes: diff.changes, idpId: id };
  }
  const rekey = planRekeyGuard(ctx, managed);
  if (rekey) return { ...join(adoption, rekey), changes: diff.changes, idpId: id };
  const update = planUpdate(ctx, managed, diff);
  const verification = planVerification(ctx, managed, live.popts, update.stagedPending);
  const willHaveOptions = managed.options !== undefined || update.liveOptionsChange || verification.promotes;
  const activation = planActivationChange(ctx, managed, willHaveOptions);
  const step = join(adoption, update, verification, activation);
  const actions = step.actions.length > 0 ? step.actions : [{ kind: "none" as const, summary: `= Okta IdP ${id} is up to date` }];
  return { actions, changes: update.changes, notes: step.notes, idpId: id };
}

// ── the planners ──────────────────────────────────────────────────────────────────────────────────────────────────

interface Context {
  readonly desired: DesiredIdp;
  readonly fingerprint: string;
  readonly opts: PlanOptions;
  /** The IdP goes through Qlik's test login (pendingOptions) rather than skipping verification. */
  readonly interactiveFlow: boolean;
  /** Other IdPs users sign in with now. */
  readonly activeOthers: readonly IDP[];
}

interface Step {
  readonly actions: readonly Action[];
  readonly notes: readonly string[];
}

const join = (...steps: Step[]): Step => ({ actions: steps.flatMap((s) => s.actions), notes: steps.flatMap((s) => s.notes) });

const name = (idp: IDP): string => `${idp.id ?? "?"}${idp.description ? ` (${JSON.stringify(idp.description)})` : ""}`;

const flowText = (ctx: Context): string => (ctx.interactiveFlow ? "pending verification" : "verification skipped");

export function validationNote(tenant: string, description: string, id?: string): string {
  const which = id ? `${description} (${id})` : description;
  return (
    `Sign in to ${tenantUrl(tenant)} as a TenantAdmin → Administration → Identity provider → ${which} → Validate ` +
    `(a test login through Okta); then run apply again (or re-run the pipeline) to promote it`
  );
}

/** A new IdP: created inactive unless verification is skipped and `activate` asks for it (then guarded). */
function planCreate(ctx: Context, recreate?: { readonly id: string; readonly wasActive: boolean }): Step {
  const { opts, desired, fingerprint } = ctx;
  const actions: Action[] = recreate
    ? [
        {
          kind: "recreate",
          summary: `-/+ recreate Okta IdP ${recreate.id} (${flowText(ctx)}): a field that cannot be patched changed`,
          id: recreate.id,
          wasActive: recreate.wasActive,
          payload: desired,
          fingerprint,
          liveSecret: !ctx.interactiveFlow,
        },
      ]
    : [{ kind: "create", summary: `+ create Okta IdP (${flowText(ctx)})`, payload: desired, fingerprint, liveSecret: !ctx.interactiveFlow }];
  const notes: string[] = [];
  if (recreate?.wasActive && (ctx.interactiveFlow || !opts.activate)) {
    notes.push(`Until the new IdP is active, users sign in with Qlik Account; recovery if needed: ${recoveryUrl(opts.tenantHostname)}`);
  }
  if (ctx.interactiveFlow) {
    notes.push(validationNote(opts.tenantHostname, opts.description));
    if (opts.activate) notes.push("It is activated by the apply that promotes it");
    return { actions, notes };
  }
  return opts.activate ? join({ actions, notes }, planActivation(ctx, undefined)) : { actions, notes };
}

/** Fields Qlik cannot patch changed: delete and create again. Guard: not the tenant's active sign-in. */
function planRecreate(ctx: Context, managed: IDPOIDC, diff: IdpDiff): Step {
  const id = managed.id ?? "";
  const wasActive = managed.active === true && managed.interactive === true;
  if (wasActive && !ctx.opts.allowActiveIdpChange) {
    const fields = diff.changes.filter((c) => c.immutable).map((c) => c.path).join(", ");
    return {
      actions: [
        {
          kind: "blocked",
          summary: `! recreate Okta IdP ${id}: blocked, it is the tenant's active sign-in`,
          reason: recreateBlocked(fields, id, ctx.opts.stack, ctx.opts.tenantHostname),
        },
      ],
      notes: [],
    };
  }
  return planCreate(ctx, { id, wasActive });
}

interface UpdateStep extends Step {
  /** The field diff as shown (the secret row names where the secret goes). */
  readonly changes: readonly FieldChange[];
  /** A new test configuration waits in pendingOptions for an admin's validation. */
  readonly stagedPending: boolean;
  /** The live options are written. */
  readonly liveOptionsChange: boolean;
}

/**
 * One atomic PATCH of `replace` operations for everything patchable: top-level fields, and the options.
 *
 * The secret is a credential, not configuration: a new one goes into the live options at once (Okta may no longer
 * accept the old one — the article's "rotated secret locks everyone out"), and only configuration changes wait for
 * validation. The live options keep their validated fields; a differing desired configuration (if any) is staged in
 * pendingOptions with the new secret. A pending test configuration that used the old secret has to be validated
 * again, so nothing is promoted in this run.
 */
function planUpdate(ctx: Context, managed: IDPOIDC, diff: IdpDiff): UpdateStep {
  const id = managed.id ?? "";
  const changes = [...diff.changes];
  const ops: PatchOperation[] = [];
  for (const change of diff.changes) {
    if (!change.path.includes(".")) ops.push({ op: "replace", path: `/${change.path}`, value: change.after });
  }
  const options = desiredOptions(ctx.desired);
  const recordSecretHash = (): void => {
    ops.push({ op: "replace", path: "/meta", value: metaWithFingerprint(managed.meta, ctx.fingerprint) });
  };
  let stagedPending = false;
  let liveOptionsChange = false;
  let liveSecret = false;
  // No recorded hash (an adopted IdP, or a create whose meta write failed): send the secret once and record it, so a
  // rotation is never silently missed; from then on the hash decides.
  const sendsSecret = diff.secret !== "same";
  const optionsNeedWrite = diff.optionFields.length > 0 || sendsSecret;
  if (ctx.interactiveFlow && managed.options !== undefined && sendsSecret) {
    const liveMatchesDesired = optionDifferences(options, managed.options).length === 0;
    ops.push({ op: "replace", path: "/options", value: liveMatchesDesired ? options : liveOptionsWithSecret(managed.options, options) });
    if (!liveMatchesDesired || managed.pendingOptions !== undefined) {
      ops.push({ op: "replace", path: "/pendingOptions", value: options });
      stagedPending = !liveMatchesDesired || hasPendingChange(managed);
    }
    recordSecretHash();
    liveOptionsChange = true;
    liveSecret = true;
  } else if (ctx.interactiveFlow) {
    if (optionsNeedWrite) {
      // The whole object: sub-paths exist only for some fields, and it must carry the secret anyway.
      ops.push({ op: "replace", path: "/pendingOptions", value: options });
      recordSecretHash();
      stagedPending = true;
    }
  } else if (optionsNeedWrite) {
    // Skip mode writes the live options straight away: on the tenant's sign-in, what could break every login is guarded.
    const risky = diff.optionFields.filter((f) => f === "clientId" || f === "discoveryUrl");
    if (risky.length > 0 && managed.active === true && managed.interactive === true && !ctx.opts.allowActiveIdpChange) {
      const fields = risky.map((f) => `options.${f}`).join(", ");
      const reason = liveOptionsBlocked(fields, id, ctx.opts.stack, ctx.opts.tenantHostname);
      const blocked: Action = { kind: "blocked", summary: `! update Okta IdP ${id}: blocked, ${fields} of the tenant's active sign-in`, reason };
      return { actions: [blocked], notes: [], changes, stagedPending: false, liveOptionsChange: false };
    }
    const subPathable: readonly string[] = ["realm", "discoveryUrl", "claimsMapping"];
    const onlySubPaths = managed.options !== undefined && !sendsSecret && diff.optionFields.every((f) => subPathable.includes(f));
    if (onlySubPaths) {
      for (const f of diff.optionFields) ops.push({ op: "replace", path: `/options/${f}`, value: options[f] });
    } else {
      // clientId, scope and the secret have no patch path of their own: replace /options as a whole.
      ops.push({ op: "replace", path: "/options", value: options });
      recordSecretHash();
      liveSecret = true;
    }
    liveOptionsChange = true;
  }
  // A secret write is always a visible row, named where it goes (a rotated one, or one sent once for want of a hash).
  if (sendsSecret) {
    const where = liveSecret ? "options.clientSecret" : "pendingOptions.clientSecret";
    const row = changes.findIndex((c) => c.secret);
    if (row >= 0) changes[row] = { ...changes[row], path: where };
    else changes.push({ path: where, before: SENSITIVE, after: SENT, secret: true });
  }
  const actions: Action[] = [];
  if (ops.length > 0) {
    const what = stagedPending
      ? " (new test configuration in pendingOptions: needs validation)"
      : liveSecret
        ? " (the client secret goes into the live options)"
        : "";
    actions.push({ kind: "patch", summary: `~ update Okta IdP ${id}${what}`, id, ops, changes, liveSecret });
  }
  const notes =
    diff.secret === "unknown" ? [`IdP ${id} had no record of its client secret: the secret is sent once and its hash recorded in meta`] : [];
  return { actions, notes, changes, stagedPending, liveOptionsChange };
}

/**
 * Users are known to Qlik by the IdP's realm and their `sub`: changing either on an IdP with a live configuration
 * (users sign in through it) makes every user a new user. Refused unless `allowUserRekey` says it is intended.
 */
function planRekeyGuard(ctx: Context, managed: IDPOIDC): Step | undefined {
  const live = managed.options;
  if (!live || ctx.opts.allowUserRekey) return undefined;
  const want = desiredOptions(ctx.desired);
  const fields: string[] = [];
  if (live.realm !== undefined && want.realm !== undefined && live.realm !== want.realm) fields.push("options.realm");
  const liveSub = live.claimsMapping?.sub;
  const wantSub = want.claimsMapping?.sub;
  if (liveSub !== undefined && wantSub !== undefined && !deepEqual(liveSub, wantSub)) fields.push("options.claimsMapping.sub");
  if (fields.length === 0) return undefined;
  const id = managed.id ?? "";
  const list = fields.join(", ");
  return {
    actions: [{ kind: "blocked", summary: `! update Okta IdP ${id}: blocked, ${list} would give every user a new identity`, reason: rekeyBlocked(list, id, ctx.opts.stack) }],
    notes: [],
  };
}

/**
 * A client secret goes into live options only when Okta accepts it: a wrong one is refused, never written. When Okta
 * could not be asked, the tenant's active sign-in is not written without the opt-in.
 */
function guardLiveSecret(plan: Plan, live: LiveState, opts: PlanOptions): Plan {
  const check = opts.secretCheck;
  const write = plan.actions.find(writesLiveSecret);
  if (!check || !write || check.verdict === "accepted") return plan;
  const target = "id" in write ? write.id : undefined;
  const managed = live.managed;
  const activeTarget = !!target && managed?.id === target && managed.active === true && managed.interactive === true;
  if (check.verdict === "unknown" && (!activeTarget || opts.allowActiveIdpChange)) {
    return { ...plan, notes: [...plan.notes, `The client secret could not be checked with Okta (${check.detail}); it is written unchecked`] };
  }
  const reason = check.verdict === "rejected" ? secretRejectedBlocked(target, check.detail) : secretUnverifiedBlocked(target ?? "", opts.stack, check.detail);
  const summary = `! write the client secret into the live options: blocked, ${check.verdict === "rejected" ? "Okta rejects it" : "Okta could not confirm it"}`;
  return { ...plan, actions: [{ kind: "blocked", summary, reason }], notes: [] };
}

/** Promote a validated test configuration; otherwise say what the admin must do. */
function planVerification(ctx: Context, managed: IDPOIDC, popts: string | undefined, stagedPending: boolean): Step & { readonly promotes: boolean } {
  const id = managed.id ?? "";
  const { tenantHostname: tenant, description } = ctx.opts;
  const none = { actions: [], notes: [], promotes: false };
  if (!ctx.interactiveFlow) return none;
  if (stagedPending) return { ...none, notes: [validationNote(tenant, description, id)] };
  if (!hasPendingChange(managed)) return none;
  if (managed.pendingState === "verified") {
    return { actions: [{ kind: "promote", summary: `~ promote the validated configuration of Okta IdP ${id} to live`, id, popts }], notes: [], promotes: true };
  }
  if (managed.pendingState === "error") {
    const result = managed.pendingResult;
    const why = [result?.status, result?.error].filter(Boolean).join(": ");
    return {
      ...none,
      notes: [
        `The last validation of IdP ${id} failed${why ? ` (${why})` : ""}; fix the Okta app or the claims mapping, then validate again`,
        validationNote(tenant, description, id),
      ],
    };
  }
  return { ...none, notes: [validationNote(tenant, description, id)] };
}

/** Activation over the tenant's current sign-in. Guard: never over another active interactive IdP. */
function planActivation(ctx: Context, id: string | undefined): Step {
  const { opts, activeOthers } = ctx;
  if (activeOthers.length > 0 && !opts.allowActiveIdpChange) {
    const names = activeOthers.map(name).join(", ");
    return {
      actions: [
        {
          kind: "blocked",
          summary: `! activate Okta IdP: blocked, ${names} is the tenant's active sign-in`,
          reason: activationBlocked(names, opts.stack, opts.tenantHostname),
        },
      ],
      notes: [],
    };
  }
  const actions: Action[] = activeOthers.map((other) => ({
    kind: "deactivate" as const,
    summary: `~ deactivate ${name(other)} (allowActiveIdpChange)`,
    id: other.id ?? "",
    ours: false,
  }));
  actions.push({ kind: "activate", summary: `~ activate Okta IdP${id ? ` ${id}` : ""}: it becomes the tenant's sign-in`, id });
  return {
    actions,
    notes: [`Okta is now how users sign in to ${tenantUrl(opts.tenantHostname)}; if nobody can, an admin recovers at ${recoveryUrl(opts.tenantHostname)}`],
  };
}

/** `activate` against the IdP's state, both ways. Guard: our own active IdP is not deactivated without the opt-in. */
function planActivationChange(ctx: Context, managed: IDPOIDC, willHaveOptions: boolean): Step {
  const id = managed.id ?? "";
  const { opts } = ctx;
  if (opts.activate && managed.active !== true) {
    return willHaveOptions ? planActivation(ctx, id) : { actions: [], notes: [`IdP ${id} is activated once its configuration is validated and promoted`] };
  }
  if (opts.activate || managed.active !== true || managed.interactive !== true) return { actions: [], notes: [] };
  if (opts.allowActiveIdpChange) {
    return {
      actions: [{ kind: "deactivate", summary: `~ deactivate Okta IdP ${id} (activate: false)`, id, ours: true }],
      notes: [`Users sign in with Qlik Account again; recovery if needed: ${recoveryUrl(opts.tenantHostname)}`],
    };
  }
  return {
    actions: [
      {
        kind: "blocked",
        summary: `! deactivate Okta IdP ${id}: blocked, it is the tenant's active sign-in`,
        reason: deactivationBlocked(id, opts.stack),
      },
    ],
    notes: [],
  };
}

/** `destroy`: honour onDestroy. Guard: the tenant's active sign-in is not deleted without the opt-in. */
function planRetirement(live: LiveState, opts: PlanOptions): Plan {
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

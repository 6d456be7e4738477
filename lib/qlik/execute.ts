import type { IDP, IDPOIDC } from "@qlik/api/identity-providers";
import { QlikClient } from "./client";
import { DesiredIdp, desiredOptions, InteractiveOidcOptions } from "./desired";
import { metaWithFingerprint, optionDifferences } from "./diff";
import {
  createWithoutIdError,
  duplicateCleanupError,
  partialApplyError,
  promoteMismatchError,
  QlikApiError,
  QlikError,
} from "./errors";
import { hasMarker } from "./marker";
import type { Action, ActionKind } from "./plan";

/**
 * Carrying out a plan's actions against the tenant, in order. Each action kind has its own small executor; the loop
 * around them records what was done, and on a failure part-way says what failed and what was already done.
 */

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

/** Failure part-way through an apply: the message says what failed and what was done; `outcome` has the records. */
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

/** What a run has done so far; the executors update it. */
interface Run {
  readonly client: QlikClient;
  readonly opts: ExecuteOptions;
  /** The managed IdP as of now. */
  current?: string;
  yieldedTo?: string;
  readonly notes: string[];
  /** Steps of the current action that already happened (reported if a later step of it fails). */
  readonly progress: string[];
}

export async function executeActions(client: QlikClient, actions: readonly Action[], opts: ExecuteOptions): Promise<Outcome> {
  const run: Run = { client, opts, current: opts.idpId, notes: [], progress: [] };
  const records: ActionRecord[] = [];
  const blocked: string[] = [];
  const doneSummaries = (): string[] => [
    ...records.filter((r) => r.status === "done" && r.kind !== "none").map((r) => r.summary.replace(/^\S+\s/, "")),
    ...run.progress,
  ];
  for (let i = 0; i < actions.length; i++) {
    const action = actions[i];
    if (run.yieldedTo) {
      records.push({ kind: action.kind, summary: action.summary, status: "not run" });
      continue;
    }
    if (action.kind === "none") {
      records.push({ kind: action.kind, summary: action.summary, status: "done", id: run.current });
      continue;
    }
    if (action.kind === "blocked") {
      blocked.push(action.reason);
      records.push({ kind: action.kind, summary: action.summary, status: "blocked" });
      continue;
    }
    run.progress.length = 0;
    let target: string | undefined;
    try {
      target = await execute(run, action);
      const created = action.kind === "create" || action.kind === "recreate";
      const summary = !created
        ? action.summary
        : run.yieldedTo
          ? `${action.summary} → kept ${run.yieldedTo}, created by a concurrent apply`
          : `${action.summary} → ${target}`;
      records.push({ kind: action.kind, summary, status: "done", id: target });
    } catch (e) {
      records.push({ kind: action.kind, summary: action.summary, status: "failed", id: target ?? targetOf(run, action) });
      for (const rest of actions.slice(i + 1)) records.push({ kind: rest.kind, summary: rest.summary, status: "not run" });
      const cause = e instanceof QlikError ? e.message : `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
      const outcome: Outcome = { records, idpId: run.current, yieldedTo: run.yieldedTo, blocked, notes: run.notes };
      throw new ExecutionError(partialApplyError(cause, doneSummaries()).message, outcome);
    }
  }
  return { records, idpId: run.yieldedTo ?? run.current, yieldedTo: run.yieldedTo, blocked, notes: run.notes };
}

/** The IdP an action is about before it runs (a create has none yet; an activate may mean the one just created). */
function targetOf(run: Run, action: Action): string | undefined {
  if (action.kind === "activate") return action.id ?? run.current;
  return "id" in action ? action.id : undefined;
}

/** Runs one action; returns the IdP it acted on. */
async function execute(run: Run, action: Exclude<Action, { kind: "none" | "blocked" }>): Promise<string | undefined> {
  const { client } = run;
  switch (action.kind) {
    case "create":
      run.current = await createAndSettle(run, action.payload, action.fingerprint);
      return run.current;
    case "recreate":
      if (action.wasActive) {
        await client.patchIdp(action.id, [{ op: "replace", path: "/active", value: false }]);
        run.progress.push(`deactivated Okta IdP ${action.id}`);
      }
      await client.deleteIdp(action.id);
      run.progress.push(`deleted Okta IdP ${action.id}`);
      run.current = undefined;
      run.current = await createAndSettle(run, action.payload, action.fingerprint);
      return run.current;
    case "patch":
      await client.patchIdp(action.id, action.ops);
      return action.id;
    case "promote":
      await promote(run, action.id, action.popts);
      return action.id;
    case "activate": {
      const target = action.id ?? run.current;
      if (!target) throw createWithoutIdError();
      await client.patchIdp(target, [{ op: "replace", path: "/active", value: true }]);
      return target;
    }
    case "deactivate":
      await client.patchIdp(action.id, [{ op: "replace", path: "/active", value: false }]);
      return action.id;
    case "delete":
      await client.deleteIdp(action.id);
      if (run.current === action.id) run.current = undefined;
      return action.id;
  }
}

/**
 * Create, then settle concurrent copies. Qlik has no lock or conditional create, so after creating, list again: if
 * another run created a copy too, every run keeps the same survivor ({@link survivingCopy}) and the others delete
 * their own copy — it is brand new and inactive, so no one is signed out.
 */
async function createAndSettle(run: Run, payload: DesiredIdp, fingerprint: string): Promise<string | undefined> {
  const { client } = run;
  const created = await client.createIdp(payload);
  const mine = created.idp.id;
  if (!mine) throw createWithoutIdError();
  run.progress.push(`created Okta IdP ${mine}`);
  run.current = mine;
  const copies = (await client.listIdps()).filter((i) => hasMarker(i.description, run.opts.stack));
  const survivor = copies.length <= 1 ? mine : (survivingCopy(copies).id ?? mine);
  if (survivor !== mine) {
    try {
      await client.deleteIdp(mine);
    } catch (e) {
      throw duplicateCleanupError(mine, survivor, e instanceof Error ? e.message : String(e));
    }
    run.yieldedTo = survivor;
    run.notes.push(`Another apply created IdP ${survivor} at the same time; this run removed its own copy ${mine} and left the rest to that run`);
    return survivor;
  }
  // Record the secret's hash (see diff.ts). Not part of the create schema, so a PATCH right after.
  try {
    await client.patchIdp(mine, [{ op: "replace", path: "/meta", value: metaWithFingerprint(created.idp.meta, fingerprint) }]);
  } catch (e) {
    if (!(e instanceof QlikApiError && (e.status === 400 || e.status === 422))) throw e;
    run.notes.push(`Qlik did not store the secret's hash in the IdP's meta; after rotating the Okta secret run idp apply --secret-changed`);
  }
  return mine;
}

/**
 * Promote the validated test configuration. If its hash moved meanwhile, check it is still ours and retry once; if
 * Qlik says there is nothing to promote, another run may have promoted it a moment ago (two applies right after the
 * admin's validation): read it again, and when the live options are ours, that run did this run's work.
 */
async function promote(run: Run, id: string, popts: string | undefined): Promise<void> {
  const send = (match: string | undefined): Promise<void> => run.client.patchIdp(id, [{ op: "promote-options" }], { poptsMatch: match });
  try {
    await send(popts);
  } catch (e) {
    if (e instanceof QlikApiError && e.status === 400 && (await promotedMeanwhile(run, id))) {
      run.notes.push(`Another apply promoted the validated configuration of IdP ${id} at the same time; nothing was left to do here`);
      return;
    }
    if (!(e instanceof QlikApiError && e.status === 412)) throw e;
    const fresh = await run.client.getIdp(id);
    const idp = fresh.idp as IDPOIDC;
    if (idp.pendingState !== "verified") throw promoteMismatchError(id, `its test configuration is now ${idp.pendingState ?? "gone"}, not verified`);
    const desired = run.opts.desired;
    if (desired && idp.pendingOptions && optionDifferences(desiredOptions(desired) as InteractiveOidcOptions, idp.pendingOptions).length > 0) {
      throw promoteMismatchError(id, "someone changed its test configuration since it was read");
    }
    await send(fresh.popts);
  }
}

/** The IdP has no test configuration left and its live options are the desired ones: someone promoted ours. */
async function promotedMeanwhile(run: Run, id: string): Promise<boolean> {
  const desired = run.opts.desired;
  if (!desired) return false;
  const idp = (await run.client.getIdp(id)).idp as IDPOIDC;
  return idp.pendingOptions === undefined && idp.options !== undefined && optionDifferences(desiredOptions(desired), idp.options).length === 0;
}

import type { IDPOIDC } from "@qlik/api/identity-providers";
import { errorLine } from "../errors";
import type { QlikClient } from "./client";
import { desiredIdp, secretFingerprint } from "./desired";
import type { FieldChange } from "./diff";
import { blockedApplyError, missingSecretError } from "./errors";
import { executeActions, ExecutionError, Outcome } from "./execute";
import { findManagedIdp, LiveState } from "./find";
import type { SecretCheck, SecretChecker } from "../okta/secret-check";
import { Plan, planActions, planHasChanges, writesLiveSecret } from "./plan";
import type { IdpRequest } from "./request";
import { requireCanonicalHostname } from "./tenant";

/**
 * The Qlik step as one typed function: every caller — the `qlik-okta idp` command the construct's provisioner runs,
 * `qlik-okta plan` and `apply` in-process, adoption, a Pulumi dynamic provider — calls {@link reconcileIdp} with the
 * desired state, the client secret and a client, and gets an {@link IdpReport} back: no config reloading, no JSON
 * round trip. It never throws for a user's mistake or an API failure: those end in `ok: false` and `error`.
 */

export type ReconcileMode = "plan" | "apply" | "destroy";

export interface ReconcileOptions {
  readonly mode: ReconcileMode;
  /** Treat the secret as new even if Qlik has no record of the old one. @default false */
  readonly secretChanged?: boolean;
  /**
   * Asks Okta whether the client secret is right, before the plan writes it into live options
   * (`oktaSecretChecker(request.discoveryUrl, env)`).
   * @default - not checked: for callers that verified the secret themselves
   */
  readonly checkSecret?: SecretChecker;
}

/** One action of the report: what it is (`kind`), how it reads (`summary`), and how it ended. */
export interface ReportAction {
  readonly kind: Plan["actions"][number]["kind"];
  readonly summary: string;
  /** `planned` in a plan; afterwards what happened. */
  readonly status: "planned" | "done" | "blocked" | "failed" | "not run";
  /** The IdP it acted on. */
  readonly id?: string;
  /** For `blocked`: why the lockout guard held the change back, and what to set. */
  readonly reason?: string;
}

/** What the Qlik step reports: printed by `idp … --json`, written to the result file, read by the review. No secrets. */
export interface IdpReport {
  readonly command: ReconcileMode;
  readonly ok: boolean;
  readonly stack?: string;
  readonly tenantHostname?: string;
  /** The managed IdP (after the run, for apply). */
  readonly idpId?: string;
  readonly active?: boolean;
  readonly pendingState?: string;
  /** A plan that would change something (`idp plan` exit code 2). */
  readonly changed?: boolean;
  readonly actions?: readonly ReportAction[];
  /** Field-level differences; secret rows show placeholders, never values. */
  readonly changes?: readonly FieldChange[];
  /** What an admin should do next, in plain words. */
  readonly nextSteps?: readonly string[];
  /** Requests this run made to Qlik (every attempt), and how many were writes: they vary with retries, not with the plan. */
  readonly requests?: { readonly total: number; readonly writes: number };
  /** The one-line error, when `ok` is false. */
  readonly error?: string;
}

/** The report of a step that failed before or while reaching Qlik. */
export function failedReport(mode: ReconcileMode, error: unknown, known: Partial<IdpReport> = {}): IdpReport {
  return { ...known, command: mode, ok: false, error: errorLine(error) };
}

/**
 * @param client the Qlik client, or how to make one: made only once the inputs are known to be complete (a missing
 *   secret is reported before missing Qlik credentials), and any error making it ends in the report.
 */
export async function reconcileIdp(
  request: IdpRequest,
  secret: string | undefined,
  clientOrFactory: QlikClient | (() => QlikClient),
  options: ReconcileOptions,
): Promise<IdpReport> {
  const { mode } = options;
  let report: IdpReport = { command: mode, ok: false, stack: request.stack, tenantHostname: request.tenantHostname };
  let made: QlikClient | undefined;
  const withRequests = (r: IdpReport): IdpReport =>
    made ? { ...r, requests: { total: made.requests.length, writes: made.requests.filter((q) => q.write).length } } : r;
  try {
    if (mode !== "destroy" && !secret) throw missingSecretError();
    const client = (made = typeof clientOrFactory === "function" ? clientOrFactory() : clientOrFactory);
    // Never configure anything through an alias: the Okta callback must be on the tenant's real hostname.
    if (mode !== "destroy") requireCanonicalHostname(request.tenantHostname, await client.myTenant(), request.stack);

    const live = await readLive(client, request, mode);
    let plan = planFor(request, secret, live, options);
    if (options.checkSecret && secret && plan.actions.some(writesLiveSecret)) {
      // Only now, and only for a live write: a wrong secret there locks every user out.
      plan = planFor(request, secret, live, options, await options.checkSecret(request.clientId, secret));
    }
    const before = live.managed as IDPOIDC | undefined;
    report = {
      ...report,
      idpId: plan.idpId,
      changes: plan.changes,
      nextSteps: [...plan.notes],
      active: before?.active,
      pendingState: before?.pendingState,
    };
    const changed = planHasChanges(plan);
    if (mode === "plan" || !changed) {
      const status = mode === "plan" ? "planned" : "done";
      return withRequests({ ...report, ok: true, changed: mode === "plan" ? changed : undefined, actions: plan.actions.map((a) => reportAction(a, status)) });
    }

    let outcome: Outcome;
    try {
      outcome = await executeActions(client, plan.actions, {
        stack: request.stack,
        tenantHostname: request.tenantHostname,
        desired: mode === "apply" ? desiredIdp(request, secret ?? "") : undefined,
        idpId: plan.idpId,
      });
    } catch (e) {
      if (e instanceof ExecutionError) report = { ...report, ...fromOutcome(e.outcome, plan) };
      throw e;
    }
    report = { ...report, ...fromOutcome(outcome, plan) };
    if (outcome.idpId && mode === "apply") {
      // Report the state Qlik ended in; the work is done even if this read fails.
      const final = await client.getIdp(outcome.idpId).then((r) => r.idp as IDPOIDC, () => undefined);
      if (final) report = { ...report, active: final.active, pendingState: final.pendingState };
    } else if (mode === "destroy" && outcome.records.some((r) => r.kind === "delete" && r.status === "done")) {
      report = { ...report, active: undefined, pendingState: undefined, idpId: undefined };
    }
    const ok = outcome.blocked.length === 0;
    return withRequests({ ...report, ok, ...(ok ? {} : { error: blockedApplyError(outcome.blocked).message }) });
  } catch (e) {
    return withRequests(failedReport(mode, e, report));
  }
}

/**
 * {@link reconcileIdp} as the CLI and the review pipeline run it: the Qlik client from the environment's
 * credentials (QLIK_API_KEY or the OAuth client, QLIK_BASE_URL), and every live secret write checked with the Okta
 * org behind the request's discovery URL (through OKTA_HTTP_PROXY when set).
 */
export async function reconcileIdpFromEnv(
  request: IdpRequest,
  secret: string | undefined,
  options: Omit<ReconcileOptions, "checkSecret">,
  env: NodeJS.ProcessEnv = process.env,
): Promise<IdpReport> {
  // Loaded on use: axios stays out of `qlik-okta --help` and `synth`.
  const { QlikClient } = await import("./client");
  const { oktaSecretChecker } = await import("../okta/secret-check");
  return reconcileIdp(request, secret, () => QlikClient.fromEnv(request.tenantHostname, {}, env), {
    ...options,
    checkSecret: oktaSecretChecker(request.discoveryUrl, env),
  });
}

/** Our IdP and the rest; a validated test configuration is read once more for the header promoting needs. */
async function readLive(client: QlikClient, request: IdpRequest, mode: ReconcileMode): Promise<LiveState> {
  const live = findManagedIdp(await client.listIdps(), {
    stack: request.stack,
    clientId: mode === "destroy" ? undefined : request.clientId,
    tenantHostname: request.tenantHostname,
  });
  const managed = live.managed as IDPOIDC | undefined;
  if (!managed?.id || managed.pendingState !== "verified") return live;
  // Promoting needs the QLIK-IDP-POPTS header, which only a GET of the one IdP carries.
  const fresh = await client.getIdp(managed.id);
  return { ...live, managed: fresh.idp, popts: fresh.popts };
}

function planFor(request: IdpRequest, secret: string | undefined, live: LiveState, options: ReconcileOptions, secretCheck?: SecretCheck): Plan {
  const settings = request.identityProvider;
  return planActions(options.mode === "destroy" ? undefined : desiredIdp(request, secret ?? ""), live, {
    mode: options.mode === "destroy" ? "destroy" : "apply",
    stack: request.stack,
    tenantHostname: request.tenantHostname,
    description: settings.description,
    activate: settings.activate,
    allowActiveIdpChange: settings.allowActiveIdpChange,
    onDestroy: settings.onDestroy,
    secretFingerprint: secret ? secretFingerprint(secret) : undefined,
    secretChanged: options.secretChanged,
    allowUserRekey: settings.allowUserRekey,
    ...(secretCheck ? { secretCheck } : {}),
  });
}

function reportAction(action: Plan["actions"][number], status: ReportAction["status"], id?: string): ReportAction {
  return {
    kind: action.kind,
    summary: action.summary,
    status,
    ...(id ? { id } : {}),
    ...(action.kind === "blocked" ? { reason: action.reason } : {}),
  };
}

function fromOutcome(outcome: Outcome, plan: Plan): Partial<IdpReport> {
  return {
    actions: outcome.records.map((r, i) => {
      const planned = plan.actions[i];
      const base = planned && planned.kind === r.kind ? reportAction(planned, r.status, r.id) : { kind: r.kind, summary: r.summary, status: r.status, ...(r.id ? { id: r.id } : {}) };
      return { ...base, summary: r.summary };
    }),
    idpId: outcome.idpId ?? plan.idpId,
    nextSteps: [...plan.notes, ...outcome.notes],
  };
}

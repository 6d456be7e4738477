/**
 * Applying one stack's reviewed plan: exactly the saved plan, then the Qlik step once more.
 *
 * Refused before anything is touched: a plan whose Okta or Qlik half failed, a plan made for another configuration
 * (the freshly synthesized cdk.tf.json has another fingerprint than the one recorded at plan time); the engine itself
 * refuses a plan whose state moved on ("Saved plan is stale").
 *
 * After the engine's apply, the Qlik reconcile runs again with the fresh outputs: Terraform runs the provisioner only
 * when its triggers change, so without this step an IdP an admin validated would never be promoted (nor activated).
 * It does only what the review showed. The plan file is deleted once applied.
 */
import { existsSync, rmSync } from "node:fs";
import * as path from "node:path";
import type { Engine } from "../engine/resolve";
import { apply as engineApply, EngineCommandError, init } from "../engine/run";
import type { IdpReport } from "../qlik/reconcile";
import { failedPlanError, noPlanError, planForOtherConfigError, qlikStepFailedError, ReviewError, staleStateError } from "../review/errors";
import { META_FILE, PlanMeta, QLIK_FILE, readJson, SUMMARY_FILE, writeJson } from "../review/out-dir";
import type { ChangeCounts, PlanSummary } from "../review/plan-summary";
import type { QlikPlanRecord } from "../review/qlik-plan";
import { oktaCounts } from "../review/render";
import { oktaAppCredentials, PreparedStacks, runQlikStep, StackTarget } from "./stacks";

export interface CheckedPlan {
  readonly target: StackTarget;
  readonly meta: PlanMeta;
  readonly planFile: string;
}

/** Every reason not to apply a stack's saved plan, before anything is applied. */
export function checkSavedPlan(target: StackTarget): { ok: CheckedPlan } | { problem: ReviewError } {
  const meta = readJson<PlanMeta>(path.join(target.planDir, META_FILE));
  if (!meta) return { problem: noPlanError(target.planDirLabel, target.name) };
  if (meta.error) return { problem: failedPlanError(target.planDirLabel, meta.error) };
  // A failed Qlik plan (an alias hostname, missing TenantAdmin, a 401) would fail again inside the engine's apply,
  // after the Okta side had changed — and an alias would have put the wrong callback into Okta. Refuse up front.
  const qlik = readJson<QlikPlanRecord>(path.join(target.planDir, QLIK_FILE));
  if (qlik?.status === "failed") return { problem: failedPlanError(target.planDirLabel, `Qlik: ${qlik.error}`) };
  const planFile = meta.planFile ? path.join(target.planDir, meta.planFile) : undefined;
  if (!planFile || !existsSync(planFile)) return { problem: noPlanError(target.planDirLabel, target.name) };
  if (meta.stackJsonSha256 !== target.stackJsonSha256) return { problem: planForOtherConfigError(target.planDirLabel) };
  return { ok: { target, meta, planFile } };
}

export interface StackApplyResult {
  /** What the Okta side's plan counted (from the stored summary), when it is known. */
  readonly okta?: ChangeCounts;
  /** Qlik action kinds the tenant needs now that the reviewed plan did not show: held back for the next plan. */
  readonly heldBack?: readonly string[];
  /** The Qlik step's apply, when it ran. */
  readonly qlik?: IdpReport;
  /** The Okta side is applied but what follows failed (the Qlik step, reading the outputs). */
  readonly error?: unknown;
}

/** Apply one checked plan; throws only for the engine's own failures (a stale plan is a ReviewError). */
export async function applyStack(
  engine: Engine,
  { target, meta, planFile }: CheckedPlan,
  prepared: Pick<PreparedStacks, "config">,
  secrets: Set<string>,
  env: NodeJS.ProcessEnv,
): Promise<StackApplyResult> {
  await init(engine, target.dir);
  try {
    await engineApply(engine, target.dir, planFile);
  } catch (e) {
    if (e instanceof EngineCommandError && /Saved plan is stale/i.test(e.message)) throw staleStateError(target.planDirLabel);
    throw e;
  }
  rmSync(planFile, { force: true });
  writeJson(path.join(target.planDir, META_FILE), { ...meta, appliedAt: new Date().toISOString() } satisfies PlanMeta, [...secrets]);
  const summary = readJson<PlanSummary>(path.join(target.planDir, SUMMARY_FILE));
  const okta = summary ? oktaCounts(summary) : undefined;
  const done: StackApplyResult = okta ? { okta } : {};
  if (meta.destroy) return done;

  try {
    return { ...done, ...(await qlikAfterApply(engine, target, prepared, secrets, env)) };
  } catch (e) {
    // The Okta side is applied whatever happens here: say so, and why the rest did not run.
    return { ...done, error: e };
  }
}

async function qlikAfterApply(
  engine: Engine,
  target: StackTarget,
  prepared: Pick<PreparedStacks, "config">,
  secrets: Set<string>,
  env: NodeJS.ProcessEnv,
): Promise<StackApplyResult> {
  const { clientId, clientSecret } = await oktaAppCredentials(engine, target.dir);
  if (clientSecret) secrets.add(clientSecret);
  if (!clientId || !clientSecret) return {};
  const credentials = { prepared, stack: target.name, clientId, clientSecret };
  // Only what was reviewed: if the tenant moved on since the plan (an admin validated the test login, someone
  // activated another IdP), the reconcile would now do something no reviewer saw. Hold it back for the next plan.
  const check = await runQlikStep("plan", credentials, env);
  if (!check.ok) return { error: qlikStepFailedError(target.name, check.error ?? "the Qlik plan failed") };
  const reviewed = readJson<QlikPlanRecord>(path.join(target.planDir, QLIK_FILE));
  const heldBack = unreviewedQlikActions(reviewed, check.actions ?? []);
  if (heldBack.length > 0) return { heldBack };
  const qlik = await runQlikStep("apply", credentials, env);
  return qlik.ok ? { qlik } : { qlik, error: qlikStepFailedError(target.name, qlik.error ?? "see above") };
}

/**
 * Qlik action kinds the tenant needs now that the reviewed plan did not contain. A first apply's plan could only say
 * "create after the Okta app exists"; the provisioner has done that by now, so anything else is new.
 */
export function unreviewedQlikActions(
  reviewed: QlikPlanRecord | undefined,
  now: readonly { readonly kind: string }[],
): string[] {
  const allowed = new Set<string>(["none"]);
  if (reviewed?.status === "planned") for (const a of reviewed.report.actions ?? []) allowed.add(a.kind);
  if (reviewed?.status === "after-okta") allowed.add("create");
  return [...new Set(now.map((a) => a.kind).filter((k) => !allowed.has(k)))];
}

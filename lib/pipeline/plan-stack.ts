/**
 * Planning one stack for review: init, `plan -out=<out-dir>/<stack>/tfplan -detailed-exitcode`, `show -json` (kept
 * in memory: it holds the client secret in clear text) → `plan-summary.json` with sensitive values masked, then the
 * Qlik plan with the app's current credentials → `qlik-plan.json`, and `plan-meta.json` with the fingerprints
 * `apply` checks.
 */
import { chmodSync, rmSync } from "node:fs";
import * as path from "node:path";
import type { Engine } from "../engine/resolve";
import { init, plan as enginePlan, show } from "../engine/run";
import { errorLine } from "../errors";
import { adoptionRefusedError } from "../review/errors";
import { adoptionViolations } from "../review/adoption";
import { ensurePrivateDir, META_FILE, PLAN_FILE, PlanMeta, QLIK_FILE, SUMMARY_FILE, writeJson } from "../review/out-dir";
import { PlanJson, PlanSummary, sensitiveValuesInPlan, summarizePlan } from "../review/plan-summary";
import { qlikHasChanges, QlikPlanRecord } from "../review/qlik-plan";
import { OktaAppCredentials, oktaAppCredentials, PreparedStacks, runQlikStep, StackTarget, tenantHostnameProblem } from "./stacks";

export interface StackPlanOutcome {
  readonly stack: string;
  readonly meta: PlanMeta;
  readonly plan?: PlanSummary;
  readonly qlik?: QlikPlanRecord;
}

/** Plan one stack into its folder of the out dir; never throws (a failure is recorded in plan-meta.json). */
export async function planStack(
  engine: Engine,
  target: StackTarget,
  prepared: Pick<PreparedStacks, "config" | "configLabel" | "configSha256">,
  options: { readonly destroy: boolean },
  secrets: Set<string>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<StackPlanOutcome> {
  // Nothing from an earlier plan of this stack may be mistaken for this one (only our own files are removed).
  ensurePrivateDir(target.planDir);
  for (const file of [PLAN_FILE, SUMMARY_FILE, QLIK_FILE, META_FILE]) rmSync(path.join(target.planDir, file), { force: true });
  const planFile = path.join(target.planDir, PLAN_FILE);
  const base: PlanMeta = {
    formatVersion: 1,
    stack: target.name,
    createdAt: new Date().toISOString(),
    configFile: prepared.configLabel,
    configSha256: prepared.configSha256,
    stackJsonSha256: target.stackJsonSha256,
    engine: { name: engine.name, version: engine.version },
    destroy: options.destroy,
  };
  const write = (file: string, value: unknown) => writeJson(path.join(target.planDir, file), value, [...secrets]);
  try {
    await init(engine, target.dir);
    const result = await enginePlan(engine, target.dir, { out: planFile, detailedExitcode: true, destroy: options.destroy });
    chmodSync(planFile, 0o600);
    const raw = await show<PlanJson>(engine, target.dir, planFile);
    for (const s of sensitiveValuesInPlan(raw)) secrets.add(s);
    const plan = summarizePlan(raw, { destroy: options.destroy });
    write(SUMMARY_FILE, plan);
    const violations = adoptionViolations(plan, target.imports);
    if (violations.length > 0) throw adoptionRefusedError(target.name, violations);

    const tenantHostname = prepared.config.stacks[target.name].qlik.tenantHostname;
    const qlik = await planQlik(engine, target, prepared, tenantHostname, plan, plannedCredentials(raw), secrets, env);
    write(QLIK_FILE, qlik);
    const meta: PlanMeta = { ...base, planFile: PLAN_FILE, changes: { okta: result.changes === true, qlik: qlikHasChanges(qlik) } };
    write(META_FILE, meta);
    return { stack: target.name, meta, plan, qlik };
  } catch (e) {
    rmSync(planFile, { force: true });
    const meta: PlanMeta = { ...base, error: errorLine(e) };
    write(META_FILE, meta);
    return { stack: target.name, meta };
  }
}

async function planQlik(
  engine: Engine,
  target: StackTarget,
  prepared: Pick<PreparedStacks, "config">,
  tenantHostname: string,
  plan: PlanSummary,
  planned: Partial<OktaAppCredentials>,
  secrets: Set<string>,
  env: NodeJS.ProcessEnv,
): Promise<QlikPlanRecord> {
  if (plan.destroy) {
    const onDestroy = plan.identityProvider?.before?.onDestroy;
    return { status: "destroy", onDestroy: onDestroy === "delete" || onDestroy === "retain" ? onDestroy : "unknown" };
  }
  const current = await oktaAppCredentials(engine, target.dir);
  // An adopted stack's first plan has no state yet, but the plan already knows the imported app's client id and its
  // live secret (read by the data source): the Qlik plan can show now what happens to the hand-made IdP.
  const clientId = current.clientId || planned.clientId;
  const clientSecret = current.clientSecret || planned.clientSecret;
  if (clientSecret) secrets.add(clientSecret);
  if (!clientId || !clientSecret) {
    // Nothing to diff yet, but the hostname is checked now: the first apply would otherwise create the Okta app
    // with an alias in its callback before the Qlik step could refuse it (and apply refuses a failed plan).
    const hostProblem = await tenantHostnameProblem(tenantHostname, target.name, env);
    if (hostProblem) return { status: "failed", error: hostProblem };
    return { status: "after-okta", reason: "no Okta app in the state yet" };
  }
  const report = await runQlikStep("plan", { prepared, stack: target.name, clientId, clientSecret }, env);
  return report.ok ? { status: "planned", report } : { status: "failed", error: report.error ?? "the Qlik plan failed" };
}

/** The app's client id and secret as the plan's outputs will hold them, when the plan knows them already. */
export function plannedCredentials(raw: PlanJson): Partial<OktaAppCredentials> {
  const known = (name: string): string | undefined => {
    const change = raw.output_changes?.[name];
    return change && change.after_unknown !== true && typeof change.after === "string" && change.after !== "" ? change.after : undefined;
  };
  const clientId = known("okta_client_id");
  const clientSecret = known("okta_client_secret");
  return { ...(clientId ? { clientId } : {}), ...(clientSecret ? { clientSecret } : {}) };
}

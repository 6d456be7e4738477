/**
 * `qlik-okta plan`: the reviewable plan of every stack (or one), on a laptop or in CI.
 *
 * synth → per stack: init, `plan -out=<out-dir>/<stack>/tfplan -detailed-exitcode`, `show -json` (kept in memory:
 * it holds the client secret in clear text) → `plan-summary.json` with sensitive values masked, then the Qlik plan
 * with the app's current credentials → `qlik-plan.json`, and `plan-meta.json` with the fingerprints `apply` checks.
 *
 * Exit codes: 0 no changes anywhere, 2 changes (Okta/Terraform or Qlik), 1 an error in any stack.
 */
import { chmodSync, rmSync } from "node:fs";
import * as path from "node:path";
import { type Engine, resolveEngine } from "../engine/resolve";
import { errorLine } from "../errors";
import { init, plan as enginePlan, show } from "../engine/run";
import { ensurePrivateDir, META_FILE, PLAN_FILE, PlanMeta, QLIK_FILE, SUMMARY_FILE, writeJson } from "../review/out-dir";
import { PlanJson, PlanSummary, sensitiveValuesInPlan, summarizePlan } from "../review/plan-summary";
import { qlikHasChanges, QlikPlanRecord } from "../review/qlik-plan";
import { verdictText } from "../review/render";
import { reviewWarnings } from "../review/warnings";
import { secretsIn } from "../redact";
import { Output, redactingOutput } from "./output";
import { oktaAppCredentials, prepareStacks, PreparedStacks, runQlikStep, StackSelection, StackTarget, tenantHostnameProblem } from "./pipeline";

export interface PlanCommandOptions extends StackSelection {
  /** A destroy plan. @default false */
  readonly destroy?: boolean;
}

export interface StackPlanOutcome {
  readonly stack: string;
  readonly meta: PlanMeta;
  readonly plan?: PlanSummary;
  readonly qlik?: QlikPlanRecord;
}

export async function runPlan(options: PlanCommandOptions, rawOutput: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const secrets = new Set(secretsIn(env));
  // Every secret known so far; the set grows as plans reveal sensitive values.
  const output = redactingOutput(rawOutput, secrets);
  let prepared: PreparedStacks;
  let engine: Engine;
  try {
    prepared = prepareStacks(options, output, env);
    engine = await resolveEngine(env);
  } catch (e) {
    output.err(errorLine(e));
    return 1;
  }

  let failed = false;
  let changed = false;
  for (const target of prepared.stacks) {
    const outcome = await planStack(engine, target, prepared, { destroy: options.destroy === true }, secrets, env);
    const qlikError = outcome.qlik?.status === "failed" ? outcome.qlik.error : undefined;
    failed ||= outcome.meta.error !== undefined || qlikError !== undefined;
    changed ||= !!outcome.meta.changes?.okta || !!outcome.meta.changes?.qlik;
    output.out(verdictText({ name: target.name, plan: outcome.plan, qlik: outcome.qlik, error: outcome.meta.error }));
    if (outcome.meta.error) output.err(`${target.name}: ${outcome.meta.error}`);
    if (qlikError) output.err(`${target.name}: the Qlik plan failed: ${qlikError}`);
    for (const w of reviewWarnings({ plan: outcome.plan, qlik: outcome.qlik })) output.out(`  ! ${w.title}: ${w.message.replace(/`/g, "")}`);
    if (outcome.meta.planFile) output.out(`  saved: ${path.join(target.planDirLabel, outcome.meta.planFile)} (secret: sensitive values in clear text)`);
  }
  output.out(
    failed
      ? "Planning failed for at least one stack (see above)."
      : `Review: qlik-okta report --out-dir ${path.relative(process.cwd(), prepared.outDir) || "."}; apply exactly this: qlik-okta apply`,
  );
  return failed ? 1 : changed ? 2 : 0;
}

/** Plan one stack into its folder of the out dir; never throws (a failure is recorded in plan-meta.json). */
export async function planStack(
  engine: Engine,
  target: StackTarget,
  prepared: Pick<PreparedStacks, "config" | "bundled" | "configLabel" | "configSha256">,
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

    const tenantHostname = prepared.config.stacks[target.name].qlik.tenantHostname;
    const qlik = await planQlik(engine, target, prepared, tenantHostname, plan, secrets, env);
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
  prepared: Pick<PreparedStacks, "config" | "bundled">,
  tenantHostname: string,
  plan: PlanSummary,
  secrets: Set<string>,
  env: NodeJS.ProcessEnv,
): Promise<QlikPlanRecord> {
  if (plan.destroy) {
    const onDestroy = plan.identityProvider?.before?.onDestroy;
    return { status: "destroy", onDestroy: onDestroy === "delete" || onDestroy === "retain" ? onDestroy : "unknown" };
  }
  const { clientId, clientSecret } = await oktaAppCredentials(engine, target.dir);
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

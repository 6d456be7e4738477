/**
 * `qlik-okta apply`: apply exactly the plans `qlik-okta plan` saved, then the Qlik step once more.
 *
 * Refuses, before touching anything, a plan whose Okta or Qlik half failed, a plan made for another configuration (the freshly synthesized cdk.tf.json
 * has another fingerprint than the one recorded at plan time); the engine itself refuses a plan whose state moved
 * on ("Saved plan is stale"). Both end in one line.
 *
 * After the engine's apply, the Qlik reconcile runs again with the fresh outputs: Terraform runs the provisioner only
 * when its triggers change, so without this step an IdP an admin validated would never be promoted (nor activated).
 * The plan file is deleted once applied.
 */
import { existsSync, rmSync } from "node:fs";
import * as path from "node:path";
import { type Engine, resolveEngine } from "../engine/resolve";
import { errorLine } from "../errors";
import { apply as engineApply, EngineCommandError, init } from "../engine/run";
import {
  failedPlanError,
  noPlanError,
  planForOtherConfigError,
  qlikStepFailedError,
  ReviewError,
  staleStateError,
} from "../review/errors";
import { META_FILE, PlanMeta, QLIK_FILE, readJson, SUMMARY_FILE, writeJson } from "../review/out-dir";
import type { QlikPlanRecord } from "../review/qlik-plan";
import type { PlanSummary } from "../review/plan-summary";
import { oktaCounts } from "../review/render";
import { secretsIn } from "../redact";
import { Output, redactingOutput } from "./output";
import { oktaAppCredentials, prepareStacks, PreparedStacks, runQlikStep, StackSelection, StackTarget } from "./pipeline";

export type ApplyCommandOptions = StackSelection;

interface Checked {
  readonly target: StackTarget;
  readonly meta: PlanMeta;
  readonly planFile: string;
}

/** Every reason not to apply a stack's saved plan, before anything is applied. */
export function checkSavedPlan(target: StackTarget): { ok: Checked } | { problem: ReviewError } {
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

export async function runApply(options: ApplyCommandOptions, rawOutput: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const secrets = new Set(secretsIn(env));
  const output = redactingOutput(rawOutput, secrets);
  let prepared: PreparedStacks;
  let engine: Engine;
  const checked: Checked[] = [];
  try {
    prepared = prepareStacks(options, output, env);
    const problems: ReviewError[] = [];
    for (const target of prepared.stacks) {
      const c = checkSavedPlan(target);
      if ("problem" in c) problems.push(c.problem);
      else checked.push(c.ok);
    }
    if (problems.length > 0) {
      // Nothing is applied unless every selected stack's plan can be.
      for (const p of problems) output.err(p.message);
      return 1;
    }
    engine = await resolveEngine(env);
  } catch (e) {
    output.err(errorLine(e));
    return 1;
  }

  for (const { target, meta, planFile } of checked) {
    try {
      await applyStack(engine, target, meta, planFile, prepared, secrets, output, env);
    } catch (e) {
      output.err(errorLine(e));
      return 1;
    }
  }
  return 0;
}

async function applyStack(
  engine: Engine,
  target: StackTarget,
  meta: PlanMeta,
  planFile: string,
  prepared: Pick<PreparedStacks, "config" | "bundled">,
  secrets: Set<string>,
  output: Output,
  env: NodeJS.ProcessEnv,
): Promise<void> {
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
  const c = summary ? oktaCounts(summary) : undefined;
  output.out(`${target.name}: applied the reviewed plan${c ? ` (Okta: ${c.add} added, ${c.change} changed, ${c.destroy} destroyed)` : ""}`);
  if (meta.destroy) return;

  const { clientId, clientSecret } = await oktaAppCredentials(engine, target.dir);
  if (clientSecret) secrets.add(clientSecret);
  if (!clientId || !clientSecret) return;
  const credentials = { prepared, stack: target.name, clientId, clientSecret };
  // Only what was reviewed: if the tenant moved on since the plan (an admin validated the test login, someone
  // activated another IdP), the reconcile would now do something no reviewer saw. Hold it back for the next plan.
  const check = await runQlikStep("plan", credentials, env);
  if (!check.ok) throw qlikStepFailedError(target.name, check.error ?? "the Qlik plan failed");
  const reviewed = readJson<QlikPlanRecord>(path.join(target.planDir, QLIK_FILE));
  const unreviewed = unreviewedQlikActions(reviewed, check.actions ?? []);
  if (unreviewed.length > 0) {
    output.out(`  the Qlik IdP now needs ${unreviewed.join(", ")}, which the reviewed plan did not show; run qlik-okta plan to review it`);
    return;
  }
  const step = await runQlikStep("apply", credentials, env);
  for (const a of step.actions ?? []) output.out(`  ${a.summary}${a.status === "done" || a.status === "planned" ? "" : ` — ${a.status}`}`);
  for (const n of step.nextSteps ?? []) output.out(`  next: ${n}`);
  if (!step.ok) throw qlikStepFailedError(target.name, step.error ?? "see above");
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

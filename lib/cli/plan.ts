/**
 * `qlik-okta plan`: the reviewable plan of every stack (or one), on a laptop or in CI.
 *
 * synth → per stack `planStack` (lib/pipeline/plan-stack.ts) → one verdict line per stack, its warnings, where the
 * saved plan is.
 *
 * Exit codes: 0 no changes anywhere, 2 changes (Okta/Terraform or Qlik), 1 an error in any stack.
 */
import * as path from "node:path";
import { type Engine, resolveEngine } from "../engine/resolve";
import { errorLine } from "../errors";
import { planStack } from "../pipeline/plan-stack";
import { prepareStacks, PreparedStacks, StackSelection } from "../pipeline/stacks";
import { secretsIn } from "../redact";
import { verdictText } from "../review/render";
import { reviewWarnings } from "../review/warnings";
import { loadCommandConfig } from "./config-file";
import { Output, redactingOutput } from "./output";

export interface PlanCommandOptions extends StackSelection {
  /** Config file. @default - QLIK_OKTA_CONFIG, ./qlik-okta.yaml, else the bundled example */
  readonly config?: string;
  /** A destroy plan. @default false */
  readonly destroy?: boolean;
}

export async function runPlan(options: PlanCommandOptions, rawOutput: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const secrets = new Set(secretsIn(env));
  // Every secret known so far; the set grows as plans reveal sensitive values.
  const output = redactingOutput(rawOutput, secrets);
  let prepared: PreparedStacks;
  let engine: Engine;
  try {
    prepared = prepareStacks(loadCommandConfig(options.config, output, env, true), options);
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


/**
 * `qlik-okta apply`: apply exactly the plans `qlik-okta plan` saved, then the Qlik step once more
 * (lib/pipeline/apply-stack.ts). Nothing is applied unless every selected stack's plan can be. Exit 0 done, 1 not.
 */
import { type Engine, resolveEngine } from "../engine/resolve";
import { errorLine } from "../errors";
import { applyStack, CheckedPlan, checkSavedPlan } from "../pipeline/apply-stack";
import { prepareStacks, PreparedStacks, StackSelection } from "../pipeline/stacks";
import { secretsIn } from "../redact";
import type { ReviewError } from "../review/errors";
import { loadCommandConfig } from "./config-file";
import { Output, redactingOutput } from "./output";

export interface ApplyCommandOptions extends StackSelection {
  /** Config file. @default - QLIK_OKTA_CONFIG, ./qlik-okta.yaml, else the bundled example */
  readonly config?: string;
}

export async function runApply(options: ApplyCommandOptions, rawOutput: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // Every secret known so far; the set grows as the outputs reveal the client secret.
  const secrets = new Set(secretsIn(env));
  const output = redactingOutput(rawOutput, secrets);
  let prepared: PreparedStacks;
  let engine: Engine;
  const checked: CheckedPlan[] = [];
  try {
    prepared = prepareStacks(loadCommandConfig(options.config, output, env, true), options);
    const problems: ReviewError[] = [];
    for (const target of prepared.stacks) {
      const c = checkSavedPlan(target);
      if ("problem" in c) problems.push(c.problem);
      else checked.push(c.ok);
    }
    if (problems.length > 0) {
      for (const p of problems) output.err(p.message);
      return 1;
    }
    engine = await resolveEngine(env);
  } catch (e) {
    output.err(errorLine(e));
    return 1;
  }

  for (const plan of checked) {
    try {
      const result = await applyStack(engine, plan, prepared, secrets, env);
      const c = result.okta;
      output.out(`${plan.target.name}: applied the reviewed plan${c ? ` (Okta: ${c.add} added, ${c.change} changed, ${c.destroy} destroyed)` : ""}`);
      if (result.heldBack) {
        output.out(`  the Qlik IdP now needs ${result.heldBack.join(", ")}, which the reviewed plan did not show; run qlik-okta plan to review it`);
      }
      for (const a of result.qlik?.actions ?? []) output.out(`  ${a.summary}${a.status === "done" || a.status === "planned" ? "" : ` — ${a.status}`}`);
      for (const n of result.qlik?.nextSteps ?? []) output.out(`  next: ${n}`);
      if (result.error !== undefined) throw result.error;
    } catch (e) {
      output.err(errorLine(e));
      return 1;
    }
  }
  return 0;
}

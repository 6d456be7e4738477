/**
 * Every message the review commands (`qlik-okta plan | apply | report`) end with: what happened, and what to do.
 * One line each; none of them ever carries engine output (a failed provisioner prints its environment's secrets).
 */
import { UserFacingError } from "../errors";

export class ReviewError extends UserFacingError {
  public override readonly name = "ReviewError";
}

/** The current config synthesizes to a different stack than the one the saved plan was made for. */
export const planForOtherConfigError = (planDir: string): ReviewError =>
  new ReviewError(`the plan in ${planDir} was made for a different configuration; run qlik-okta plan again`);

/** The engine refused the saved plan: the state changed after it was made. */
export const staleStateError = (planDir: string): ReviewError =>
  new ReviewError(`the plan in ${planDir} is stale: the stack's state changed after it was made (another apply ran); run qlik-okta plan again`);

export const noPlanError = (planDir: string, stack: string): ReviewError =>
  new ReviewError(`no saved plan for stack ${stack} in ${planDir} (never planned, or already applied); run qlik-okta plan first`);

export const failedPlanError = (planDir: string, why: string): ReviewError =>
  new ReviewError(`the plan in ${planDir} failed (${why}); fix that and run qlik-okta plan again`);

export const unreadablePlanFileError = (file: string, why: string): ReviewError =>
  new ReviewError(`${file} cannot be read (${why}); run qlik-okta plan again`);

export const noReviewsError = (outDir: string): ReviewError =>
  new ReviewError(`no plans in ${outDir}; run qlik-okta plan first (or pass --out-dir)`);

export const qlikStepFailedError = (stack: string, why: string): ReviewError =>
  new ReviewError(`${stack}: the Okta side is applied, but the Qlik step failed: ${why}`);

export const reportWriteError = (file: string, code: string | undefined): ReviewError =>
  new ReviewError(`could not write ${file} (${code ?? "error"})`);

/** The plan would create or replace an object `adopted:` names (see review/adoption.ts); nothing is applied. */
export const adoptionRefusedError = (stack: string, violations: readonly string[]): ReviewError =>
  new ReviewError(`stack ${stack}: plan refused, ${violations.join("; ")}`);

import { sha256 } from "../hash";
import { canonicalJson } from "../json";
import type { PlanSummary } from "./plan-summary";
import type { QlikPlanRecord } from "./qlik-plan";
import type { StackReview } from "./render";

/**
 * The review's fingerprint (pure): a SHA-256 over everything the review comment shows, so that a pipeline can check
 * that the plan it is about to apply is the one a person approved (apply.yml compares the preview's fingerprint with
 * the apply job's own plan before `qlik-okta apply`).
 *
 * It hashes a canonical JSON (object keys sorted, arrays in order) of what the comment is rendered from, per stack
 * by name: the error of a failed stack; the plan summary's changed resources and attributes, outputs, drift, totals
 * and the Qlik step's settings (sensitive values are already masked there); and the Qlik plan (its actions, field
 * diff and next steps). Full values are hashed, including what the comment clips or folds away for length.
 *
 * Left out, so that two plans of the same state and configuration give the same fingerprint: the comment's footer
 * (commit, CI run, engine version), when the plan was made, and how many requests the Qlik plan needed (retries).
 */
export function reviewFingerprint(stacks: readonly Pick<StackReview, "name" | "plan" | "qlik" | "error">[]): string {
  const content = [...stacks]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((s) => ({
      name: s.name,
      error: s.error ?? null,
      plan: s.plan ? reviewedPlan(s.plan) : null,
      qlik: s.qlik ? reviewedQlik(s.qlik) : null,
    }));
  return sha256(canonicalJson({ fingerprint: 1, stacks: content }));
}

/** The plan summary without the engine's version (part of the footer, not of the change). */
function reviewedPlan(plan: PlanSummary): unknown {
  const { engineVersion: _engine, ...rest } = plan;
  return rest;
}

/** The Qlik record without the report's request counts (they vary with retries, not with the plan). */
function reviewedQlik(record: QlikPlanRecord): unknown {
  if (record.status !== "planned") return record;
  const { requests: _requests, ...report } = record.report;
  return { status: record.status, report };
}

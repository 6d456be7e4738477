import type { IdpReport } from "../qlik/reconcile";
import type { PlanSummary } from "./plan-summary";

/**
 * The Qlik half of a stack's review: the Qlik step's plan report ({@link IdpReport}), or why there is none.
 * Written to `<out-dir>/<stack>/qlik-plan.json`; no secrets (values are redacted before it is written).
 */

export type QlikPlanRecord =
  /** The Qlik plan ran against the tenant with the Okta app's current client id and secret. */
  | { readonly status: "planned"; readonly report: IdpReport }
  /** No Okta app yet (first apply): the IdP is created by the apply, right after the app. */
  | { readonly status: "after-okta"; readonly reason: string }
  /** A destroy plan: the Qlik step follows `onDestroy`. */
  | { readonly status: "destroy"; readonly onDestroy: "retain" | "delete" | "unknown" }
  /** The Qlik plan could not run; `error` is its one line. */
  | { readonly status: "failed"; readonly error: string };

const WORDS: Readonly<Record<string, string>> = {
  create: "create",
  recreate: "recreate",
  patch: "update",
  promote: "promote",
  activate: "activate",
  deactivate: "deactivate",
  delete: "delete",
  blocked: "blocked by the lockout guard",
};

/** Whether the Okta app is replaced by this plan (a new client id and secret for Qlik). */
export function replacesOktaApp(plan: PlanSummary | undefined): boolean {
  return (plan?.changes ?? []).some((c) => c.type === "okta_app_oauth" && c.action === "replace");
}

/** "create", "update", "promote, activate", "none", … for the verdict line. */
export function qlikVerdict(record: QlikPlanRecord | undefined, plan?: PlanSummary): string {
  if (!record) return "not planned";
  switch (record.status) {
    case "after-okta":
      return "create (after the Okta app exists)";
    case "failed":
      return "plan failed";
    case "destroy":
      return record.onDestroy === "delete" ? "delete (onDestroy: delete)" : record.onDestroy === "retain" ? "retain (onDestroy: retain)" : "destroy step";
    case "planned": {
      const words = [...new Set((record.report.actions ?? []).map((a) => WORDS[a.kind]).filter((w): w is string => w !== undefined))];
      if (replacesOktaApp(plan) && !words.some((w) => w === "create" || w === "recreate")) {
        return words.length === 0 ? "update (new client id and secret)" : `${words.join(", ")}, then new client id and secret`;
      }
      if (words.length > 0) return words.join(", ");
      return storedSettingsChange(plan) ? "none on the tenant (stored settings change)" : "none";
    }
  }
}

/** The construct's stored settings change in the engine plan although the tenant needs nothing. */
function storedSettingsChange(plan: PlanSummary | undefined): boolean {
  const step = plan?.identityProvider;
  return !!step && step.action !== "no-op";
}

/**
 * Nothing at all on the Qlik side worth a heading: the tenant is up to date, the stored settings do not change, the
 * Okta app is not replaced, and there is no next step for an admin (the verdict reads "none").
 */
export function qlikQuiet(record: QlikPlanRecord | undefined, plan?: PlanSummary): boolean {
  if (record?.status !== "planned") return false;
  const acts = record.report.actions ?? [];
  return (
    acts.every((a) => a.kind === "none") && !replacesOktaApp(plan) && !storedSettingsChange(plan) && (record.report.nextSteps ?? []).length === 0
  );
}

/** Whether the Qlik side has something for apply to do (part of the plan command's exit code 2). */
export function qlikHasChanges(record: QlikPlanRecord | undefined): boolean {
  if (!record) return false;
  if (record.status === "planned") return record.report.changed === true || (record.report.actions ?? []).some((a) => a.kind !== "none");
  return record.status === "after-okta" || (record.status === "destroy" && record.onDestroy === "delete");
}

import { isRecord } from "../json";
import { objectLabel, topLevel } from "./changes";
import { PlanSummary } from "./plan-summary";

/**
 * The promise of adoption: what was made by hand is imported and changed in place, never created a second time or
 * replaced (a replaced app means a new client id and secret, and a Qlik login that breaks). A plan that breaks that
 * promise is refused, naming the object and the attributes that force it.
 */

/** Address → import id, from the import blocks of a synthesized stack (`cdk.tf.json`). */
export function importTargets(stackJson: unknown): Map<string, string> {
  const blocks = isRecord(stackJson) && Array.isArray(stackJson.import) ? stackJson.import : [];
  const targets = new Map<string, string>();
  for (const b of blocks) if (isRecord(b) && typeof b.to === "string" && typeof b.id === "string") targets.set(b.to, b.id);
  return targets;
}

/** Why the plan must not be applied, one line per adopted object it would create or replace; [] when it keeps the promise. */
export function adoptionViolations(plan: PlanSummary, targets: ReadonlyMap<string, string>): string[] {
  if (plan.destroy) return [];
  const out: string[] = [];
  for (const change of plan.changes) {
    const id = targets.get(change.address);
    if (id === undefined || (change.action !== "create" && change.action !== "replace")) continue;
    const what = `the adopted ${objectLabel(change).replace(/`/g, '"')} (${id})`;
    if (change.action === "create") {
      out.push(`${what} would be created instead of imported; check the id under adopted: (qlik-okta adopt shows what exists)`);
      continue;
    }
    const forced = [...new Set(change.attributes.filter((a) => a.forcesReplacement).map((a) => topLevel(a.path)))];
    const attrs = forced.length > 0 ? forced.join(", ") : "an attribute that cannot change in place";
    out.push(
      `${what} would be replaced (deleted and created again): ${attrs} differs from what Okta has; ` +
        `set it in the config to Okta's value (qlik-okta adopt shows it), or remove the object from adopted: to make a new one on purpose`,
    );
  }
  return out;
}

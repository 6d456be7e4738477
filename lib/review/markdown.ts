import type { ShownValue } from "./attribute-diff";
import { ChangeCounts, countChanges, PlanSummary } from "./plan-summary";
import { QlikPlanRecord, qlikVerdict } from "./qlik-plan";
import { isRecord } from "../json";
import type { ReviewWarning } from "./warnings";

/**
 * Small formatting pieces of the review comment (pure), re-exported where public by `./render`: inline code that
 * survives any content, clipped values, table cells and `name = value` settings, plurals and name lists, the action
 * symbols, and the per-stack counts and verdict line; also {@link StackReview}, the one stack's review the verdict
 * line and everything above it reads. The bottom layer: it imports nothing from the other parts of the comment
 * (`./changes`, `./sections`, `./render`).
 */

/** Characters of one value shown in a cell. */
export const MAX_CELL_CHARS = 160;
/** Attribute names listed on one change line before "and N more". */
const MAX_NAMES_PER_LINE = 5;

export interface StackReview {
  readonly name: string;
  /** Summary of the saved plan; absent when the plan step failed. */
  readonly plan?: PlanSummary;
  /** The Qlik half; absent when it was not planned. */
  readonly qlik?: QlikPlanRecord;
  readonly warnings: readonly ReviewWarning[];
  /** The plan step failed for this stack: its one-line error. */
  readonly error?: string;
}

/** Inline code that survives any content and a table cell: backticks, pipes and newlines handled. */
export function inlineCode(text: string): string {
  const flat = text.replace(/\r?\n/g, "⏎").replace(/\|/g, "\\|");
  if (!flat.includes("`")) return `\`${flat}\``;
  const fence = flat.includes("``") ? "```" : "``";
  return `${fence} ${flat} ${fence}`;
}

export function clip(text: string, max = MAX_CELL_CHARS): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export const json = (v: unknown): string => JSON.stringify(v) ?? String(v);

export function valueCell(v: ShownValue | undefined): string {
  if (v === undefined) return "*(none)*";
  if ("masked" in v) return `*(${v.masked})*`;
  return inlineCode(clip(json(v.value)));
}

/** A new value; a block or map as `key = value, …` (it wraps in a narrow cell, where JSON would not). */
export function createCell(v: ShownValue | undefined): string {
  if (v && "value" in v && isRecord(v.value)) return inlineCode(clip(Object.entries(v.value).map(([k, x]) => `${k} = ${json(x)}`).join(", ")));
  return valueCell(v);
}

/** `name = value` as one code span, for lists of settings. */
export function setting(name: string, v: ShownValue | undefined): string {
  if (v && "masked" in v) return `${inlineCode(name)} *(${v.masked})*`;
  return inlineCode(clip(`${name} = ${v === undefined ? "(none)" : json(v.value)}`));
}

export const KNOWN: ShownValue = { masked: "known after apply" };
export const unknownAfterApply = (v: ShownValue | undefined): boolean => !!v && "masked" in v && v.masked === "known after apply";

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function namesList(names: readonly string[]): string {
  const shown = names.slice(0, MAX_NAMES_PER_LINE).map(inlineCode).join(", ");
  return names.length > MAX_NAMES_PER_LINE ? `${shown} and ${names.length - MAX_NAMES_PER_LINE} more` : shown;
}

export const SYMBOL: Readonly<Record<string, string>> = {
  create: "+",
  update: "~",
  delete: "-",
  replace: "-/+",
  read: "<=",
  forget: "∅",
};

/** The engine's own wording: "2 to import, 0 to add, 1 to change, 0 to destroy" (imports only when there are some). */
export function countsText(c: ChangeCounts): string {
  return `${c.import > 0 ? `${c.import} to import, ` : ""}${c.add} to add, ${c.change} to change, ${c.destroy} to destroy`;
}

/** Okta resources only: the Qlik step's `terraform_data` shows in the Qlik part of the verdict. */
export function oktaCounts(plan: PlanSummary): ChangeCounts {
  return countChanges(plan.changes.filter((c) => c.type.startsWith("okta_")));
}

/** "prod — Okta: 1 to add, 2 to change, 0 to destroy · Qlik IdP: update" (plain; the comment bolds the name). */
export function verdictText(stack: Pick<StackReview, "name" | "plan" | "qlik" | "error">, markdown = false): string {
  const name = markdown ? `**${stack.name}**` : stack.name;
  if (stack.error) return `${name} — ${markdown ? "❌ " : ""}plan failed: ${stack.error}`;
  const parts: string[] = [];
  if (stack.plan) {
    const c = oktaCounts(stack.plan);
    parts.push(`Okta: ${c.import + c.add + c.change + c.destroy === 0 ? "no changes" : countsText(c)}`);
  } else {
    parts.push("Okta: not planned");
  }
  parts.push(`Qlik IdP: ${qlikVerdict(stack.qlik, stack.plan)}`);
  return `${name}${stack.plan?.destroy ? " (destroy plan)" : ""} — ${parts.join(" · ")}`;
}

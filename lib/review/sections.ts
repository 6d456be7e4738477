import type { FieldChange } from "../qlik/diff";
import type { AttributeChange } from "./attribute-diff";
import { OutputChangeSummary, PlanSummary, ResourceChangeSummary } from "./plan-summary";
import { qlikVerdict, replacesOktaApp } from "./qlik-plan";
import { clip, createCell, inlineCode, json, KNOWN, plural, setting, StackReview, SYMBOL, unknownAfterApply, valueCell } from "./markdown";
import {
  isQlikStep,
  oktaChangeLines,
  objectLabel,
  qlikChangeLines,
  qlikStepRows,
  reasonText,
  reviewedChanges,
  SECURITY_ATTRIBUTES,
  topLevel,
} from "./changes";

/**
 * The sections of the review comment (pure): the {@link Section} type (a part whose items can be dropped one by one
 * when the comment gets too long) and how one renders, folded or open; and per stack the section builders: the change
 * list, the Okta details (new objects' settings tables, changed objects' before/after), the Qlik IdP (tenant field
 * diff, stack settings, the engine's plumbing), the outputs and the drift. Builds on `./changes` and `./markdown`;
 * `./render` puts the sections together into the comment.
 */

/** Sections with more lines than this start folded (the Okta details: {@link FOLD_DETAIL_LINES}). */
export const FOLD_LINES = 25;
/** The Okta details hold what a reviewer checks (redirect URIs, who may get tokens): open up to this many lines. */
export const FOLD_DETAIL_LINES = 60;
/** Attribute rows shown per resource. */
export const MAX_ROWS_PER_RESOURCE = 60;

/** A part of the comment whose items can be dropped one by one when the comment gets too long. */
export interface Section {
  /** Summary of the fold; a section without one is a plain list (always open, never folded). */
  readonly summary?: string;
  readonly intro?: string;
  readonly items: readonly string[];
  /** Show folded regardless of length. */
  readonly folded?: boolean;
  /** Fold when longer than this many lines. @default FOLD_LINES */
  readonly foldLines?: number;
  /** Between items. @default "\n\n" */
  readonly joiner?: string;
}

function lineCount(s: Section): number {
  return [s.intro ?? "", ...s.items].join("\n").split("\n").length;
}

export function renderSection(s: Section, items: readonly string[] = s.items, omitted = 0): string {
  const more = omitted > 0 ? `*… ${omitted} more not shown (comment size limit).*` : undefined;
  if (s.summary === undefined) return [s.intro, items.join(s.joiner ?? "\n\n"), more].filter((x): x is string => !!x).join("\n\n");
  const folded = s.folded ?? lineCount(s) > (s.foldLines ?? FOLD_LINES);
  const body = [s.intro, ...items, more].filter((x): x is string => !!x).join("\n\n");
  return `<details${folded ? "" : " open"}><summary>${s.summary}</summary>\n\n${body}\n\n</details>`;
}

/** The stack's changes, one line each: Okta objects first, then the Qlik IdP. */
export function changeList(stack: StackReview): Section | undefined {
  const okta = stack.plan ? reviewedChanges(stack.plan).flatMap(oktaChangeLines) : [];
  const items = [...okta, ...qlikChangeLines(stack)];
  return items.length > 0 ? { items, joiner: "\n" } : undefined;
}

/** A new object's rows with each block (`groups_claim[0].…`) folded into one row: its known fields as one value. */
function createRows(rc: ResourceChangeSummary): { rows: AttributeChange[]; unknown: string[] } {
  const rows: AttributeChange[] = [];
  const unknown: string[] = [];
  const blocks = new Map<string, Record<string, unknown>>();
  for (const r of rc.attributes) {
    if (unknownAfterApply(r.after)) {
      unknown.push(r.path);
      continue;
    }
    const block = /^([^.[]+\[\d+\])\.(.+)$/.exec(r.path);
    if (block && r.after && "value" in r.after) {
      const [, key, field] = block;
      if (!blocks.has(key)) {
        blocks.set(key, {});
        rows.push({ path: key, after: { value: blocks.get(key) } });
      }
      blocks.get(key)![field] = r.after.value;
      continue;
    }
    rows.push(r);
  }
  // one block of a kind reads as the attribute itself: `groups_claim`, not `groups_claim[0]`
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(topLevel(r.path), (counts.get(topLevel(r.path)) ?? 0) + 1);
  return { rows: rows.map((r) => (/\[0\]$/.test(r.path) && counts.get(topLevel(r.path)) === 1 ? { ...r, path: topLevel(r.path) } : r)), unknown };
}

/**
 * New objects: one table of the values that matter for security (or, for a type without such a list, the values
 * its configuration sets); the configuration's other values as a list; provider defaults and values known only after
 * the apply folded.
 */
function createDetails(creates: readonly ResourceChangeSummary[]): string[] {
  const table: string[] = [];
  const configured: string[] = [];
  const defaults: string[] = [];
  const unknown: string[] = [];
  let defaultCount = 0;
  let unknownCount = 0;
  for (const rc of creates) {
    const label = objectLabel(rc);
    const security = SECURITY_ATTRIBUTES[rc.type];
    const setByConfig = (path: string) => rc.configured?.includes(topLevel(path)) ?? false;
    const nameKey = rc.type === "okta_app_oauth" ? "label" : "name";
    const { rows, unknown: later } = createRows(rc);
    const inTable = (path: string) => (security ? security.includes(topLevel(path)) : setByConfig(path));
    // a security attribute not known yet is worth a row (`pkce_required`); a block's computed field is not
    const order = (path: string) => (security ? security.indexOf(topLevel(path)) : 0);
    const shown = [...rows.filter((r) => inTable(r.path)), ...later.filter((p) => security?.includes(p)).map((path) => ({ path, after: KNOWN }))].sort(
      (a, b) => order(a.path) - order(b.path),
    );
    shown.slice(0, MAX_ROWS_PER_RESOURCE).forEach((r, i) => table.push(`| ${i === 0 ? label : ""} | ${inlineCode(r.path)} | ${createCell(r.after)} |`));
    if (shown.length > MAX_ROWS_PER_RESOURCE) table.push(`| | *… and ${shown.length - MAX_ROWS_PER_RESOURCE} more* | |`);
    const rest = rows.filter((r) => !inTable(r.path) && !(topLevel(r.path) === nameKey && rc.name !== undefined));
    const fromConfig = rc.configured ? rest.filter((r) => setByConfig(r.path)) : [];
    const fromProvider = rc.configured ? rest.filter((r) => !setByConfig(r.path)) : rest;
    if (fromConfig.length > 0) configured.push(`- ${label}: ${fromConfig.map((r) => setting(r.path, r.after)).join(", ")}`);
    if (fromProvider.length > 0) defaults.push(`- ${label}: ${fromProvider.map((r) => setting(r.path, r.after)).join(", ")}`);
    defaultCount += fromProvider.length;
    const laterShown = later.filter((p) => !security?.includes(p));
    if (laterShown.length > 0) unknown.push(`- ${label}: ${laterShown.map(inlineCode).join(", ")}`);
    unknownCount += laterShown.length;
  }
  const out: string[] = [];
  if (table.length > 0) {
    const what = creates.some((c) => SECURITY_ATTRIBUTES[c.type]) ? "security-relevant settings" : "settings";
    out.push([`**New in Okta: ${what}**`, "", "| object | setting | value |", "| --- | --- | --- |", ...table].join("\n"));
  }
  if (configured.length > 0) out.push(["**Also set by the configuration**", ...configured].join("\n"));
  const foldParts = [
    defaultCount > 0 ? plural(defaultCount, defaultsWord(creates, "provider default")) : undefined,
    unknownCount > 0 ? plural(unknownCount, "value known after apply", "values known after apply") : undefined,
  ].filter(Boolean);
  if (foldParts.length > 0) {
    const body = [defaults.length > 0 ? defaults.join("\n") : undefined, unknown.length > 0 ? ["*Known after apply:*", ...unknown].join("\n") : undefined]
      .filter(Boolean)
      .join("\n\n");
    out.push(`<details><summary>${foldParts.join(" · ")}</summary>\n\n${body}\n\n</details>`);
  }
  return out;
}

/** "provider default" when the plan says what the configuration sets; otherwise all we know is "other value". */
function defaultsWord(creates: readonly ResourceChangeSummary[], word: string): string {
  return creates.every((c) => c.configured) ? word : "other value";
}

/** A changed object: its line and a before/after table. */
function changeItem(rc: ResourceChangeSummary): string {
  const reason = reasonText(rc);
  const head = `**${SYMBOL[rc.action] ?? "?"} ${rc.action}** ${objectLabel(rc)}${reason ? ` — ${reason}` : ""}`;
  const table = beforeAfterTable(rc.attributes, "attribute", (r) => `${inlineCode(r.path)}${r.forcesReplacement ? " *(forces replacement)*" : ""}`);
  return table ? `${head}\n\n${table}` : head;
}

function beforeAfterTable(rows: readonly AttributeChange[], column: string, cell: (r: AttributeChange) => string): string {
  if (rows.length === 0) return "";
  const limited = rows.slice(0, MAX_ROWS_PER_RESOURCE);
  const lines = [`| ${column} | before | after |`, "| --- | --- | --- |", ...limited.map((r) => `| ${cell(r)} | ${valueCell(r.before)} | ${valueCell(r.after)} |`)];
  return [lines.join("\n"), rows.length > limited.length ? `*… and ${rows.length - limited.length} more attributes*` : ""].filter(Boolean).join("\n\n");
}

/** The Okta side in detail: new objects' settings, then each changed object's before/after. Deletes have no detail. */
export function oktaSection(plan: PlanSummary): Section | undefined {
  const changes = reviewedChanges(plan);
  const creates = changes.filter((c) => c.action === "create" && c.attributes.length > 0);
  const changed = changes.filter((c) => (c.action === "update" || c.action === "replace") && c.attributes.length > 0);
  const items = [...(creates.length > 0 ? createDetails(creates) : []), ...changed.map(changeItem)];
  if (items.length === 0) return undefined;
  return { summary: "Okta details", items, foldLines: FOLD_DETAIL_LINES };
}

export function outputSection(outputs: readonly OutputChangeSummary[]): Section | undefined {
  if (outputs.length === 0) return undefined;
  const summary = `Outputs: ${plural(outputs.length, "change")}`;
  if (outputs.every((o) => o.action === "create")) {
    // nothing before, and every row a create: only the values, and the names of those not known yet
    const known = outputs.filter((o) => !unknownAfterApply(o.after));
    const later = outputs.filter((o) => unknownAfterApply(o.after));
    const items = [
      known.length > 0 ? ["| new output | value |", "| --- | --- |", ...known.map((o) => `| ${inlineCode(o.name)} | ${valueCell(o.after)} |`)].join("\n") : "",
      later.length > 0 ? `*Known after apply:* ${later.map((o) => inlineCode(o.name)).join(", ")}` : "",
    ].filter(Boolean);
    return { summary, items, folded: true };
  }
  if (outputs.every((o) => o.action === "delete")) {
    // nothing after, and every row a delete: only the values they had
    return { summary, items: [["| removed output | last value |", "| --- | --- |", ...outputs.map((o) => `| ${inlineCode(o.name)} | ${valueCell(o.before)} |`)].join("\n")], folded: true };
  }
  const rows = outputs.map((o) => `| ${inlineCode(o.name)} | ${SYMBOL[o.action] ?? ""} ${o.action} | ${valueCell(o.before)} | ${valueCell(o.after)} |`);
  return { summary, items: [["| output | action | before | after |", "| --- | --- | --- | --- |", ...rows].join("\n")], folded: true };
}

export function driftSection(drift: readonly ResourceChangeSummary[]): Section | undefined {
  if (drift.length === 0) return undefined;
  return {
    summary: `Changed outside Terraform since the last apply: ${drift.length}`,
    intro: "The plan takes these into account; they show what someone changed by hand.",
    items: drift.map(changeItem),
    folded: true,
  };
}

function fieldCell(change: FieldChange, v: unknown): string {
  if (change.secret) return `*${String(v ?? "(none)")}*`;
  return v === undefined ? "*(none)*" : inlineCode(clip(json(v)));
}

/** What the engine plan does with the Qlik step's `terraform_data`, in words that do not read as the IdP going away. */
const PLUMBING: Readonly<Record<string, string>> = {
  create: "created: they run the Qlik step",
  replace: "replaced: that is how the engine re-runs the Qlik step; the identity provider is not deleted",
  update: "updated: the stored settings change",
  delete: "deleted: the Qlik step's destroy runs (see `onDestroy`)",
};

function plumbingNote(plan: PlanSummary | undefined): string | undefined {
  const steps = (plan?.changes ?? []).filter((c) => c.mode === "managed" && isQlikStep(c) && c.action !== "no-op");
  if (steps.length === 0) return undefined;
  const byAction = new Map<string, string[]>();
  for (const s of steps) byAction.set(s.action, [...(byAction.get(s.action) ?? []), s.address]);
  const parts = [...byAction].map(([action, addresses]) => `${addresses.map(inlineCode).join(" and ")} ${PLUMBING[action] ?? action}`);
  return `<sub>In the engine plan: ${parts.join("; ")}.</sub>`;
}

/** The Qlik step's settings: before/after when they change; for a new step, the ones that decide its fate and the rest folded. */
function qlikSettings(plan: PlanSummary | undefined): string | undefined {
  const step = plan?.changes.find((c) => c.address === plan.identityProvider?.address);
  const rows = qlikStepRows(plan);
  if (!step || rows.length === 0) return undefined;
  if (step.action !== "create") return beforeAfterTable(rows, "stack setting", (r) => inlineCode(r.path));
  const KEY = ["tenantHostname", "verification", "activate", "allowActiveIdpChange", "onDestroy"];
  const known = rows.filter((r) => !unknownAfterApply(r.after));
  const key = KEY.map((k) => known.find((r) => r.path === k)).filter((r): r is AttributeChange => !!r);
  const rest = known.filter((r) => !KEY.includes(r.path));
  const lines = [`**Settings:** ${key.map((r) => setting(r.path, r.after)).join(", ")}`];
  if (rest.length > 0) lines.push(`<details><summary>${plural(rest.length, "more setting")}</summary>\n\n${rest.map((r) => setting(r.path, r.after)).join(", ")}\n\n</details>`);
  return lines.join("\n\n");
}

export function qlikSection(stack: StackReview): Section | undefined {
  const record = stack.qlik;
  if (!record) return undefined;
  const verdict = qlikVerdict(record, stack.plan);
  const items: string[] = [];
  let intro: string | undefined;
  switch (record.status) {
    case "after-okta":
      intro = `The apply creates the Qlik identity provider right after the Okta app: its client id and secret do not exist yet, so there is no field diff to show. (${record.reason})`;
      break;
    case "failed":
      intro = `❌ The Qlik plan failed: ${record.error}`;
      break;
    case "destroy":
      intro =
        record.onDestroy === "delete"
          ? "The destroy runs the Qlik step's destroy provisioner: the identity provider is deleted (never the tenant's active sign-in without `allowActiveIdpChange`)."
          : "The identity provider stays on the tenant (`onDestroy: retain`).";
      break;
    case "planned": {
      const r = record.report;
      const actions = (r.actions ?? []).filter((a) => a.kind !== "none");
      if (actions.length > 0) items.push(actions.map((a) => `- ${inlineCode(a.summary)}`).join("\n"));
      const changes = r.changes ?? [];
      if (changes.length > 0) {
        items.push(
          [
            "| tenant field | before | after |",
            "| --- | --- | --- |",
            ...changes.map((c) => `| ${inlineCode(c.path)}${c.immutable ? " *(cannot be changed in place: recreate)*" : ""} | ${fieldCell(c, c.before)} | ${fieldCell(c, c.after)} |`),
          ].join("\n"),
        );
      }
      if (replacesOktaApp(stack.plan)) items.push("*The Okta app is replaced: the IdP also gets the new client id and secret (known after apply).*");
      if (!r.ok && r.error) items.push(`❌ ${r.error}`);
      // "up to date" alone is what the change line already says: no fold for it
      break;
    }
  }
  const settings = qlikSettings(stack.plan);
  if (settings) items.push(settings);
  const plumbing = plumbingNote(stack.plan);
  if (plumbing) items.push(plumbing);
  if (!intro && items.length === 0) return undefined;
  return { summary: `Qlik IdP: ${verdict}`, intro, items };
}

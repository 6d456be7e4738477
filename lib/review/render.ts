import type { FieldChange } from "../qlik/diff";
import type { AttributeChange, ShownValue } from "./attribute-diff";
import { ChangeCounts, countChanges, OutputChangeSummary, PlanSummary, ResourceChangeSummary } from "./plan-summary";
import { QlikPlanRecord, qlikQuiet, qlikVerdict, replacesOktaApp } from "./qlik-plan";
import { redactText } from "../redact";
import type { ReviewWarning } from "./warnings";

/**
 * The pull-request comment (pure): Markdown, one verdict line per stack, then per stack the warnings, the changed
 * resources with their changed attributes, and the Qlik field diff. Long sections fold; the whole stays under
 * GitHub's comment limit; the hidden marker lets CI find and update its comment instead of posting another.
 */

/** First line of every review comment: CI looks for it to update the comment in place. */
export const REVIEW_MARKER = "<!-- qlik-okta-iac:review -->";
/** GitHub refuses comments over 65,536 characters; stay clear of it. */
export const MAX_COMMENT_CHARS = 65_000;
/** Sections with more lines than this start folded. */
export const FOLD_LINES = 25;
/** Attribute rows shown per resource. */
export const MAX_ROWS_PER_RESOURCE = 60;
/** Characters of one value shown in a cell. */
export const MAX_CELL_CHARS = 160;

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

export interface CommentMeta {
  /** @default "qlik-okta plan" */
  readonly title?: string;
  /** Commit the plan was made from. */
  readonly commit?: string;
  /** Link to the CI run. */
  readonly runUrl?: string;
  /** e.g. "tofu 1.12.6". */
  readonly engine?: string;
  /**
   * The CI job also writes the whole review, uncut, to its job summary (`qlik-okta report --max-chars 0`), so a
   * truncated comment can send the reader there. Only set it where that is true. @default false
   */
  readonly fullReviewInJobSummary?: boolean;
}

export interface RenderInput {
  readonly stacks: readonly StackReview[];
  readonly meta?: CommentMeta;
  /** Values that must never appear; scrubbed from every part of the comment. @default [] */
  readonly secrets?: readonly string[];
  /** At most this many characters; 0 for no limit. @default MAX_COMMENT_CHARS */
  readonly maxChars?: number;
}

// ── small formatting pieces ───────────────────────────────────────────────────────────────────────────────────────

/** Inline code that survives any content and a table cell: backticks, pipes and newlines handled. */
export function inlineCode(text: string): string {
  const flat = text.replace(/\r?\n/g, "⏎").replace(/\|/g, "\\|");
  if (!flat.includes("`")) return `\`${flat}\``;
  const fence = flat.includes("``") ? "```" : "``";
  return `${fence} ${flat} ${fence}`;
}

function clip(text: string, max = MAX_CELL_CHARS): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function valueCell(v: ShownValue | undefined): string {
  if (v === undefined) return "*(none)*";
  if ("masked" in v) return `*(${v.masked})*`;
  return inlineCode(clip(JSON.stringify(v.value) ?? String(v.value)));
}

const SYMBOL: Readonly<Record<string, string>> = {
  create: "+",
  update: "~",
  delete: "-",
  replace: "-/+",
  read: "<=",
  forget: "∅",
};

function countsText(c: ChangeCounts): string {
  return `${c.add} to add, ${c.change} to change, ${c.destroy} to destroy`;
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
    parts.push(`Okta: ${c.add + c.change + c.destroy === 0 ? "no changes" : countsText(c)}`);
  } else {
    parts.push("Okta: not planned");
  }
  parts.push(`Qlik IdP: ${qlikVerdict(stack.qlik, stack.plan)}`);
  return `${name}${stack.plan?.destroy ? " (destroy plan)" : ""} — ${parts.join(" · ")}`;
}

// ── sections ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** A foldable part of the comment; items can be dropped one by one when the comment gets too long. */
interface Section {
  readonly summary: string;
  readonly intro?: string;
  readonly items: readonly string[];
  /** Show folded regardless of length. */
  readonly folded?: boolean;
}

function lineCount(s: Section): number {
  return [s.intro ?? "", ...s.items].join("\n").split("\n").length;
}

function renderSection(s: Section, items: readonly string[] = s.items, omitted = 0): string {
  const folded = s.folded ?? lineCount(s) > FOLD_LINES;
  const body = [s.intro, ...items, omitted > 0 ? `*… ${omitted} more not shown (comment size limit).*` : undefined]
    .filter((x): x is string => !!x)
    .join("\n\n");
  return `<details${folded ? "" : " open"}><summary>${s.summary}</summary>\n\n${body}\n\n</details>`;
}

function attributeTable(rc: ResourceChangeSummary): string {
  const rows = rc.attributes;
  if (rows.length === 0) return "";
  const creating = rc.action === "create";
  const unknownOnCreate = creating ? rows.filter((r) => r.after && "masked" in r.after && r.after.masked === "known after apply") : [];
  const shown = rows.filter((r) => !unknownOnCreate.includes(r));
  const limited = shown.slice(0, MAX_ROWS_PER_RESOURCE);
  const cell = (r: AttributeChange) => `${inlineCode(r.path)}${r.forcesReplacement ? " *(forces replacement)*" : ""}`;
  const lines = creating
    ? ["| attribute | value |", "| --- | --- |", ...limited.map((r) => `| ${cell(r)} | ${valueCell(r.after)} |`)]
    : ["| attribute | before | after |", "| --- | --- | --- |", ...limited.map((r) => `| ${cell(r)} | ${valueCell(r.before)} | ${valueCell(r.after)} |`)];
  const extra: string[] = [];
  if (shown.length > limited.length) extra.push(`*… and ${shown.length - limited.length} more attributes*`);
  if (unknownOnCreate.length > 0) extra.push(`*known after apply:* ${unknownOnCreate.map((r) => inlineCode(r.path)).join(", ")}`);
  return [limited.length > 0 ? lines.join("\n") : "", ...extra].filter(Boolean).join("\n\n");
}

const REASONS: Readonly<Record<string, string>> = {
  replace_by_request: "replacement requested (`-replace`)",
  replace_because_tainted: "tainted by a failed apply",
  replace_because_cannot_update: "a changed attribute forces replacement",
  replace_by_triggers: "replace_triggered_by",
  delete_because_no_resource_config: "removed from the configuration",
};

function resourceItem(rc: ResourceChangeSummary, earlier: readonly ResourceChangeSummary[] = []): string {
  const symbol = SYMBOL[rc.action] ?? "?";
  const notes = [rc.reason ? REASONS[rc.reason] ?? rc.reason.replace(/_/g, " ") : undefined, rc.movedFrom ? `moved from ${inlineCode(rc.movedFrom)}` : undefined]
    .filter(Boolean)
    .join("; ");
  const head = `**${symbol} ${rc.action}** ${inlineCode(rc.address)}${notes ? ` — ${notes}` : ""}`;
  // The Qlik step's two terraform_data carry the same input: say so instead of repeating the table.
  const inputRows = (c: ResourceChangeSummary) =>
    JSON.stringify(c.attributes.filter((a) => a.path.startsWith("input.")).map((a) => [a.path, a.before, a.after]));
  const twin =
    rc.type === "terraform_data" && rc.attributes.length > 0 && rc.attributes.every((a) => a.path.startsWith("input."))
      ? earlier.find((e) => e.type === "terraform_data" && inputRows(e) === inputRows(rc))
      : undefined;
  const table = twin ? `*Same \`input\` changes as ${inlineCode(twin.address)}.*` : attributeTable(rc);
  return table ? `${head}\n\n${table}` : head;
}

function resourceSection(plan: PlanSummary): Section | undefined {
  const changes = plan.changes.filter((c) => c.mode === "managed");
  if (changes.length === 0) return undefined;
  return {
    summary: `Resources: ${changes.length} change${changes.length === 1 ? "" : "s"} (engine plan: ${countsText(plan.totals)})`,
    items: changes.map((c, i) => resourceItem(c, changes.slice(0, i))),
  };
}

function outputSection(outputs: readonly OutputChangeSummary[]): Section | undefined {
  if (outputs.length === 0) return undefined;
  const rows = outputs.map((o) => `| ${inlineCode(o.name)} | ${SYMBOL[o.action] ?? ""} ${o.action} | ${valueCell(o.before)} | ${valueCell(o.after)} |`);
  return { summary: `Outputs: ${outputs.length} change${outputs.length === 1 ? "" : "s"}`, items: [["| output | action | before | after |", "| --- | --- | --- | --- |", ...rows].join("\n")], folded: true };
}

function driftSection(drift: readonly ResourceChangeSummary[]): Section | undefined {
  if (drift.length === 0) return undefined;
  return {
    summary: `Changed outside Terraform since the last apply: ${drift.length}`,
    intro: "The plan takes these into account; they show what someone changed by hand.",
    items: drift.map((c) => resourceItem(c)),
    folded: true,
  };
}

function fieldCell(change: FieldChange, v: unknown): string {
  if (change.secret) return `*${String(v ?? "(none)")}*`;
  return v === undefined ? "*(none)*" : inlineCode(clip(JSON.stringify(v) ?? String(v)));
}

function qlikSection(stack: StackReview): Section | undefined {
  const record = stack.qlik;
  const verdict = qlikVerdict(record, stack.plan);
  if (!record) return undefined;
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
      const actions = (r.actions ?? []).filter((a) => a.kind !== "none" || (r.actions ?? []).length === 1);
      if (actions.length > 0) items.push(actions.map((a) => `- ${inlineCode(a.summary)}`).join("\n"));
      const changes = r.changes ?? [];
      if (changes.length > 0) {
        items.push(
          [
            "| field | before | after |",
            "| --- | --- | --- |",
            ...changes.map((c) => `| ${inlineCode(c.path)}${c.immutable ? " *(cannot be changed in place: recreate)*" : ""} | ${fieldCell(c, c.before)} | ${fieldCell(c, c.after)} |`),
          ].join("\n"),
        );
      }
      if (replacesOktaApp(stack.plan)) items.push("*The Okta app is replaced: the IdP also gets the new client id and secret (known after apply).*");
      if ((r.nextSteps ?? []).length > 0) items.push(["**After the apply**", ...(r.nextSteps ?? []).map((n) => `- ${n}`)].join("\n"));
      if (!r.ok && r.error) items.push(`❌ ${r.error}`);
      break;
    }
  }
  return { summary: `Qlik IdP: ${verdict}`, intro, items };
}

function warningLines(warnings: readonly ReviewWarning[]): string {
  return warnings.map((w) => `- ⚠️ **${w.title}** — ${w.message}`).join("\n");
}

function footer(meta: CommentMeta | undefined): string {
  const parts = [
    meta?.commit ? `commit ${inlineCode(meta.commit.slice(0, 12))}` : undefined,
    meta?.runUrl ? `[CI run](${meta.runUrl})` : undefined,
    meta?.engine,
    "sensitive values masked; plan files are secrets and are never attached",
  ].filter(Boolean);
  return `<sub>${parts.join(" · ")}</sub>`;
}

// ── the comment ───────────────────────────────────────────────────────────────────────────────────────────────────

interface Part {
  /** Always kept (marker, verdicts, warnings, footer). */
  readonly fixed?: string;
  readonly section?: Section;
}

/** The review comment. Never longer than `maxChars`; never contains a value from `secrets`. */
export function renderComment(input: RenderInput): string {
  const secrets = input.secrets ?? [];
  const max = input.maxChars === 0 ? Infinity : (input.maxChars ?? MAX_COMMENT_CHARS);
  const scrub = (s: string) => redactText(s, secrets);
  const title = input.meta?.title ?? "qlik-okta plan";

  const parts: Part[] = [];
  const head = [REVIEW_MARKER, `### ${title}`, "", ...input.stacks.map((s) => `${verdictText(s, true)}  `)];
  if (input.stacks.length === 0) head.push("No stacks were planned.");
  parts.push({ fixed: head.join("\n") });

  for (const stack of input.stacks) {
    const qlik = qlikSection(stack);
    const sections = [
      stack.plan ? resourceSection(stack.plan) : undefined,
      qlik,
      stack.plan ? outputSection(stack.plan.outputs) : undefined,
      stack.plan ? driftSection(stack.plan.drift) : undefined,
    ].filter((s): s is Section => s !== undefined);
    // A Qlik section that only says "none" for a stack with no other changes is not worth a heading.
    const quiet = (s: Section) => s === qlik && qlikQuiet(stack.qlik, stack.plan);
    const interesting = stack.warnings.length > 0 || !!stack.error || sections.some((s) => !quiet(s));
    if (!interesting) continue;
    parts.push({ fixed: `#### ${stack.name}` });
    if (stack.warnings.length > 0) parts.push({ fixed: warningLines(stack.warnings) });
    for (const section of sections) parts.push({ section });
  }
  parts.push({ fixed: footer(input.meta) });

  const scrubbed = parts.map((p) => ({ ...p, fixed: p.fixed === undefined ? undefined : scrub(p.fixed), section: p.section && scrubSection(p.section, scrub) }));
  return scrub(fit(scrubbed, max, truncationNote(input.meta)));
}


function scrubSection(s: Section, scrub: (t: string) => string): Section {
  return { ...s, summary: scrub(s.summary), intro: s.intro === undefined ? undefined : scrub(s.intro), items: s.items.map(scrub) };
}

const SEPARATOR = "\n\n";

/**
 * Where the cut details are. Plan files never leave the runner and the engine's output is not printed, so the only
 * place a CI reader finds the rest is the job summary, and only when the workflow writes the uncut review there.
 */
export function truncationNote(meta: CommentMeta | undefined): string {
  const where = meta?.fullReviewInJobSummary
    ? `the full review is in ${meta.runUrl ? `[this run's job summary](${meta.runUrl})` : "this run's job summary"}.`
    : "`qlik-okta report --max-chars 0` renders the full review from the same plan directory.";
  return `⚠️ **Truncated** to stay under GitHub's comment size limit: ${where}`;
}

/** Join the parts; if too long, keep every fixed part and as many section items as fit, in order. */
function fit(parts: readonly Part[], max: number, note: string): string {
  const full = parts.map((p) => p.fixed ?? renderSection(p.section!)).join(SEPARATOR);
  if (full.length <= max) return full;

  const fixedLength = parts.reduce((n, p) => n + (p.fixed?.length ?? 0) + SEPARATOR.length, 0) + note.length + SEPARATOR.length;
  let budget = max - fixedLength;
  const out: string[] = [];
  for (const p of parts) {
    if (p.fixed !== undefined) {
      out.push(p.fixed);
      continue;
    }
    const s = p.section!;
    const empty = renderSection(s, [], s.items.length);
    if (budget < empty.length + SEPARATOR.length) continue;
    const kept: string[] = [];
    for (const item of s.items) {
      const next = renderSection(s, [...kept, item], s.items.length - kept.length - 1);
      if (next.length + SEPARATOR.length > budget) break;
      kept.push(item);
    }
    const text = renderSection(s, kept, s.items.length - kept.length);
    budget -= text.length + SEPARATOR.length;
    out.push(text);
  }
  out.splice(out.length - 1, 0, note);
  let text = out.join(SEPARATOR);
  if (text.length > max) {
    // Even the fixed parts do not fit (thousands of stacks): cut at a line, outside any section.
    const cut = text.lastIndexOf("\n", max - note.length - 4);
    text = `${text.slice(0, Math.max(cut, 0))}\n\n${note}`;
  }
  return text;
}

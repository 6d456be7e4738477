import { validationNote } from "../qlik/plan";
import { redactText } from "../redact";
import type { WarningSeverity } from "./warnings";
import { inlineCode, StackReview, verdictText } from "./markdown";
import { changeList, driftSection, oktaSection, outputSection, qlikSection, renderSection, Section } from "./sections";

/**
 * The pull-request comment (pure): Markdown. At the top, one GitHub alert per kind gathers every stack's warnings
 * (CAUTION, WARNING) and the steps left to an admin (IMPORTANT); then one verdict line per stack (the only counts);
 * then per stack one line per change in domain words (the Okta app, its groups claim, its group assignments, the
 * authorization server and its scope, policy and rule, the Qlik IdP), the settings of new Okta objects (those that
 * matter for security in a table; what the configuration also sets in a list; provider defaults folded), the
 * before/after of changed ones, and the Qlik side, under which the engine's `terraform_data` plumbing stays.
 * Long sections fold; the whole stays under GitHub's comment limit; the hidden marker lets CI find and update its
 * comment instead of posting another. Every decision here reads typed data (action kinds, resource types, attribute
 * paths); strings from the plan and the Qlik report are only displayed. This file holds the public API (the input
 * types, the constants, {@link renderComment}), the attention block, the footer and fitting the comment to its limit;
 * the formatting pieces are in `./markdown`, the domain words in `./changes`, the sections in `./sections`, and the
 * names that moved there are re-exported here.
 */

/** First line of every review comment: CI looks for it to update the comment in place. */
export const REVIEW_MARKER = "<!-- qlik-okta-iac:review -->";
/** GitHub refuses comments over 65,536 characters; stay clear of it. */
export const MAX_COMMENT_CHARS = 65_000;

export { MAX_CELL_CHARS, inlineCode, oktaCounts, verdictText } from "./markdown";
export type { StackReview } from "./markdown";
export { SECURITY_ATTRIBUTES } from "./changes";
export { FOLD_DETAIL_LINES, FOLD_LINES, MAX_ROWS_PER_RESOURCE } from "./sections";

export interface CommentMeta {
  /** @default "qlik-okta plan" */
  readonly title?: string;
  /** The commit the reviewer sees: a pull request's head (not GitHub's temporary merge commit). */
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

// ── the attention block ───────────────────────────────────────────────────────────────────────────────────────────

const ALERT: Readonly<Record<WarningSeverity, string>> = { caution: "CAUTION", warning: "WARNING" };

/** The steps left to people after this plan is applied: the Qlik report's next steps, or a new IdP's validation. */
function nextSteps(stack: StackReview): string[] {
  const record = stack.qlik;
  if (record?.status === "planned") return [...(record.report.nextSteps ?? [])];
  if (record?.status === "after-okta") {
    const settings = stack.plan?.identityProvider?.after;
    if (settings?.verification !== "interactive" || !settings.tenantHostname) return [];
    return [
      `${validationNote(settings.tenantHostname, settings.description ?? "Okta")}` +
        (settings.activate === true ? "; that apply also activates it" : ""),
    ];
  }
  return [];
}

/** "dev, prod" for what several stacks share: one bullet instead of one per stack. */
function grouped(entries: readonly { stack: string; key: string; text: (stacks: string) => string }[]): string[] {
  const byKey = new Map<string, { stacks: string[]; text: (stacks: string) => string }>();
  for (const e of entries) {
    const g = byKey.get(e.key);
    if (g) g.stacks.push(e.stack);
    else byKey.set(e.key, { stacks: [e.stack], text: e.text });
  }
  return [...byKey.values()].map((g) => g.text(g.stacks.join(", ")));
}

/** GitHub alerts at the top: what can lock people out or delete (CAUTION), what needs a look (WARNING), what is left to do (IMPORTANT). */
function attentionBlock(stacks: readonly StackReview[]): string | undefined {
  const alerts: string[] = [];
  for (const severity of ["caution", "warning"] as const) {
    const bullets = grouped(
      stacks.flatMap((s) =>
        s.warnings
          .filter((w) => w.severity === severity)
          .map((w) => ({ stack: s.name, key: `${w.title}\n${w.message}`, text: (names: string) => `- **${names}: ${w.title}** — ${w.message}` })),
      ),
    );
    if (bullets.length > 0) alerts.push([`[!${ALERT[severity]}]`, ...bullets].map((l) => `> ${l}`).join("\n"));
  }
  const steps = grouped(stacks.flatMap((s) => nextSteps(s).map((step) => ({ stack: s.name, key: step, text: (names: string) => `- **${names}**: ${step}` }))));
  if (steps.length > 0) alerts.push(["[!IMPORTANT]", "**After the apply**", ...steps].map((l) => `> ${l}`).join("\n"));
  return alerts.length > 0 ? alerts.join("\n\n") : undefined;
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
  /** Always kept (marker, attention block, verdicts, stack headings, footer). */
  readonly fixed?: string;
  readonly section?: Section;
}

/** The review comment. Never longer than `maxChars`; never contains a value from `secrets`. */
export function renderComment(input: RenderInput): string {
  const secrets = input.secrets ?? [];
  const max = input.maxChars === 0 ? Infinity : (input.maxChars ?? MAX_COMMENT_CHARS);
  const scrub = (s: string) => redactText(s, secrets);
  const title = input.meta?.title ?? "qlik-okta plan";

  const parts: Part[] = [{ fixed: [REVIEW_MARKER, `### ${title}`].join("\n") }];
  const attention = attentionBlock(input.stacks);
  if (attention) parts.push({ fixed: attention });
  parts.push({ fixed: input.stacks.length === 0 ? "No stacks were planned." : input.stacks.map((s) => `${verdictText(s, true)}  `).join("\n") });

  for (const stack of input.stacks) {
    const sections = [
      changeList(stack),
      stack.plan ? oktaSection(stack.plan) : undefined,
      qlikSection(stack),
      stack.plan ? outputSection(stack.plan.outputs) : undefined,
      stack.plan ? driftSection(stack.plan.drift) : undefined,
    ].filter((s): s is Section => s !== undefined);
    if (sections.length === 0) continue;
    parts.push({ fixed: `#### ${stack.name}` });
    for (const section of sections) parts.push({ section });
  }
  parts.push({ fixed: footer(input.meta) });

  const scrubbed = parts.map((p) => ({ ...p, fixed: p.fixed === undefined ? undefined : scrub(p.fixed), section: p.section && scrubSection(p.section, scrub) }));
  return scrub(fit(scrubbed, max, truncationNote(input.meta)));
}

function scrubSection(s: Section, scrub: (t: string) => string): Section {
  return {
    ...s,
    summary: s.summary === undefined ? undefined : scrub(s.summary),
    intro: s.intro === undefined ? undefined : scrub(s.intro),
    items: s.items.map(scrub),
  };
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

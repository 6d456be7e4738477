/**
 * The review of a plan directory: the pull-request comment and its fingerprint, from the JSON files `qlik-okta plan`
 * wrote. Reads no plan file and talks to nothing.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { isRecord } from "../json";
import { noReviewsError } from "./errors";
import { reviewFingerprint } from "./fingerprint";
import { readStoredReviews } from "./out-dir";
import { CommentMeta, MAX_COMMENT_CHARS, renderComment, StackReview } from "./render";
import { reviewWarnings } from "./warnings";

/**
 * The footer's commit and CI run from a GitHub Actions environment. The commit is the one the reviewer sees: on a
 * pull-request event, the head commit from the event payload (`$GITHUB_EVENT_PATH` → `pull_request.head.sha`), not
 * `GITHUB_SHA`, which is then GitHub's temporary merge commit; elsewhere (a push, a manual run) `GITHUB_SHA`.
 */
export function commentMetaFromEnv(env: NodeJS.ProcessEnv): CommentMeta {
  const run =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  const commit = pullRequestHead(env.GITHUB_EVENT_PATH) ?? env.GITHUB_SHA;
  return { ...(commit ? { commit } : {}), ...(run ? { runUrl: run } : {}) };
}

/** `pull_request.head.sha` of the event payload, when the file is there and holds one (any other event: undefined). */
function pullRequestHead(eventPath: string | undefined): string | undefined {
  if (!eventPath) return undefined;
  try {
    const event: unknown = JSON.parse(readFileSync(eventPath, "utf8"));
    const pr = isRecord(event) ? event.pull_request : undefined;
    const head = isRecord(pr) ? pr.head : undefined;
    const sha = isRecord(head) ? head.sha : undefined;
    return typeof sha === "string" && /^[0-9a-f]{7,64}$/i.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}

/** The stacks of an out dir as the comment shows them, and the engines that planned them. */
function readReviews(outDir: string): { stacks: StackReview[]; engines: string[] } {
  const stored = readStoredReviews(outDir);
  if (stored.length === 0) {
    const rel = path.relative(process.cwd(), outDir);
    throw noReviewsError(rel && !rel.startsWith("..") ? rel : outDir);
  }
  const stacks: StackReview[] = stored.map((s) => ({
    name: s.stack,
    ...(s.plan ? { plan: s.plan } : {}),
    ...(s.qlik ? { qlik: s.qlik } : {}),
    warnings: reviewWarnings({ plan: s.plan, qlik: s.qlik }),
    ...(s.meta.error ? { error: s.meta.error } : {}),
  }));
  return { stacks, engines: [...new Set(stored.map((s) => `${s.meta.engine.name} ${s.meta.engine.version}`))] };
}

/** Render the comment from an out dir (no I/O beyond reading it). */
export function reportMarkdown(outDir: string, meta: CommentMeta, secrets: readonly string[], maxChars: number = MAX_COMMENT_CHARS): string {
  const { stacks, engines } = readReviews(outDir);
  return renderComment({ stacks, meta: { ...meta, engine: engines.join(", ") }, secrets, maxChars });
}

/** The review's fingerprint (lib/review/fingerprint.ts) from an out dir: the same for two plans of the same state. */
export function reportFingerprint(outDir: string): string {
  return reviewFingerprint(readReviews(outDir).stacks);
}

/**
 * The review of a plan directory: the pull-request comment and its fingerprint, from the JSON files `qlik-okta plan`
 * wrote. Reads no plan file and talks to nothing.
 */
import * as path from "node:path";
import { noReviewsError } from "./errors";
import { reviewFingerprint } from "./fingerprint";
import { readStoredReviews } from "./out-dir";
import { CommentMeta, MAX_COMMENT_CHARS, renderComment, StackReview } from "./render";
import { reviewWarnings } from "./warnings";

export function commentMetaFromEnv(env: NodeJS.ProcessEnv): CommentMeta {
  const run =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  return { ...(env.GITHUB_SHA ? { commit: env.GITHUB_SHA } : {}), ...(run ? { runUrl: run } : {}) };
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

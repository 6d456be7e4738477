/**
 * `qlik-okta report`: the pull-request comment, rendered from the JSON files `qlik-okta plan` wrote. It reads no
 * plan file and talks to nothing, so it can run in a job that holds no credentials.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { noReviewsError, ReviewError, reportWriteError } from "../review/errors";
import { readStoredReviews } from "../review/out-dir";
import { CommentMeta, renderComment, StackReview } from "../review/render";
import { reviewWarnings } from "../review/warnings";
import { errorLine, secretsIn } from "./idp";
import { Output } from "./output";

export interface ReportCommandOptions {
  /** @default ".qlik-okta" */
  readonly outDir?: string;
  /** Write the Markdown here. @default - stdout */
  readonly output?: string;
  /** @default - $GITHUB_SHA */
  readonly commit?: string;
  /** @default - the GitHub Actions run, from GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_RUN_ID */
  readonly runUrl?: string;
  /** Heading of the comment. @default "qlik-okta plan" */
  readonly title?: string;
}

export function commentMetaFromEnv(env: NodeJS.ProcessEnv): CommentMeta {
  const run =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  return { ...(env.GITHUB_SHA ? { commit: env.GITHUB_SHA } : {}), ...(run ? { runUrl: run } : {}) };
}

/** Render the comment from an out dir (no I/O beyond reading it). */
export function reportMarkdown(outDir: string, meta: CommentMeta, secrets: readonly string[]): string {
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
  const engines = [...new Set(stored.map((s) => `${s.meta.engine.name} ${s.meta.engine.version}`))];
  return renderComment({ stacks, meta: { ...meta, engine: engines.join(", ") }, secrets });
}

export function runReport(options: ReportCommandOptions, output: Output, env: NodeJS.ProcessEnv = process.env): number {
  try {
    const fromEnv = commentMetaFromEnv(env);
    const meta: CommentMeta = {
      ...fromEnv,
      ...(options.commit ? { commit: options.commit } : {}),
      ...(options.runUrl ? { runUrl: options.runUrl } : {}),
      ...(options.title ? { title: options.title } : {}),
    };
    const markdown = reportMarkdown(path.resolve(options.outDir ?? ".qlik-okta"), meta, secretsIn(env));
    if (options.output) {
      try {
        writeFileSync(path.resolve(options.output), markdown.endsWith("\n") ? markdown : `${markdown}\n`);
      } catch (e) {
        throw reportWriteError(options.output, (e as NodeJS.ErrnoException).code);
      }
      output.err(`wrote ${options.output} (${markdown.length} characters)`);
    } else {
      output.out(markdown);
    }
    return 0;
  } catch (e) {
    output.err(e instanceof ReviewError ? e.message : errorLine(e));
    return 1;
  }
}

/**
 * `qlik-okta report`: the pull-request comment, rendered from the JSON files `qlik-okta plan` wrote. It reads no
 * plan file and talks to nothing, so it can run in a job that holds no credentials. `--fingerprint` prints the
 * review's SHA-256 instead (lib/review/fingerprint.ts), for a pipeline to check it applies what was approved.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { OUT_DIR } from "../contract";
import { ReviewError, reportWriteError } from "../review/errors";
import { CommentMeta, MAX_COMMENT_CHARS } from "../review/render";
import { commentMetaFromEnv, reportFingerprint, reportMarkdown } from "../review/report";
import { errorLine } from "../errors";
import { secretsIn } from "../redact";
import { Output } from "./output";

export interface ReportCommandOptions {
  /** @default OUT_DIR (".qlik-okta") */
  readonly outDir?: string;
  /** Write the Markdown here. @default - stdout */
  readonly output?: string;
  /** @default - the pull request's head commit ($GITHUB_EVENT_PATH), else $GITHUB_SHA */
  readonly commit?: string;
  /** @default - the GitHub Actions run, from GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_RUN_ID */
  readonly runUrl?: string;
  /** Heading of the comment. @default "qlik-okta plan" */
  readonly title?: string;
  /** At most this many characters; 0 for no limit (e.g. for a CI job summary). @default MAX_COMMENT_CHARS */
  readonly maxChars?: number;
  /** The truncation note sends readers to this CI run's job summary (only where the uncut review is written there). */
  readonly fullReviewInJobSummary?: boolean;
  /** Print the review's SHA-256 fingerprint instead of the comment. */
  readonly fingerprint?: boolean;
}

export function runReport(options: ReportCommandOptions, output: Output, env: NodeJS.ProcessEnv = process.env): number {
  try {
    const fromEnv = commentMetaFromEnv(env);
    const meta: CommentMeta = {
      ...fromEnv,
      ...(options.commit ? { commit: options.commit } : {}),
      ...(options.runUrl ? { runUrl: options.runUrl } : {}),
      ...(options.title ? { title: options.title } : {}),
      ...(options.fullReviewInJobSummary ? { fullReviewInJobSummary: true } : {}),
    };
    const outDir = path.resolve(options.outDir ?? OUT_DIR);
    const maxChars = options.maxChars ?? MAX_COMMENT_CHARS;
    if (!Number.isSafeInteger(maxChars) || maxChars < 0) throw new ReviewError(`--max-chars must be a whole number, 0 or more (0: no limit), not ${maxChars}`);
    const markdown = options.fingerprint ? reportFingerprint(outDir) : reportMarkdown(outDir, meta, secretsIn(env), maxChars);
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
    output.err(errorLine(e));
    return 1;
  }
}

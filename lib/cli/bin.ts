#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { OUT_DIR, SYNTH_DIR } from "../contract";
import { errorLine, UserFacingError } from "../errors";
import { packageVersion } from "../paths";
import { registerDoctorCommand } from "./doctor";
import { registerIdpCommands } from "./idp";
import { CONFIG_OPTION } from "./config-file";
import { consoleOutput } from "./output";

/** The `qlik-okta` command line. Each command lives in its own module; this file only wires them. */
export function buildProgram(): Command {
  const program = new Command("qlik-okta")
    .description("Qlik Cloud with Okta as its OIDC identity provider, as code")
    .version(packageVersion())
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();

  program
    .command("synth")
    .description("validate the config and write cdktf.out/stacks/<stack>/cdk.tf.json for every stack")
    .option(...CONFIG_OPTION)
    .option("-o, --outdir <dir>", "output directory", SYNTH_DIR)
    .action((opts: { config?: string; outdir: string }) => {
      // Loaded on use: cdktf and the provider bindings cost ~200 ms that `--help` should not pay.
      const { runSynth } = require("./synth") as typeof import("./synth");
      runSynth(opts, consoleOutput);
    });

  // Review in pull requests: plan → report → apply. Each module is loaded on use (cdktf, the engine runner).
  const outDirOption = ["--out-dir <dir>", "plan directory: <dir>/<stack>/{tfplan,plan-summary.json,qlik-plan.json,plan-meta.json}", OUT_DIR] as const;
  program
    .command("plan")
    .description("synth, then per stack: init, plan -out, a masked summary and the Qlik plan, into --out-dir (exit 0 no changes, 2 changes, 1 error)")
    .option(...CONFIG_OPTION)
    .option("-s, --stack <name>", "only this stack (default: every stack in the config)")
    .option(...outDirOption)
    .option("--destroy", "plan to destroy the stack (-destroy)")
    .action(async (opts: { config?: string; stack?: string; outDir: string; destroy?: boolean }) => {
      const { runPlan } = require("./plan") as typeof import("./plan");
      process.exitCode = await runPlan(opts, consoleOutput);
    });
  program
    .command("apply")
    .description("apply the plans saved by `qlik-okta plan` (refused when stale), then reconcile the Qlik IdP again (exit 0 done, 1 error)")
    .option(...CONFIG_OPTION)
    .option("-s, --stack <name>", "only this stack (default: every stack in the config)")
    .option(...outDirOption)
    .action(async (opts: { config?: string; stack?: string; outDir: string }) => {
      const { runApply } = require("./apply") as typeof import("./apply");
      process.exitCode = await runApply(opts, consoleOutput);
    });
  program
    .command("report")
    .description("render the pull-request review comment (Markdown) from the files `qlik-okta plan` wrote")
    .option(...outDirOption)
    .option("-o, --output <file>", "write the Markdown to this file (default: stdout)")
    .option("--commit <sha>", "commit to name in the comment (default: the pull request's head from $GITHUB_EVENT_PATH, else $GITHUB_SHA)")
    .option("--run-url <url>", "CI run to link (default: from GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID)")
    .option("--title <text>", "heading of the comment (default: \"qlik-okta plan\")")
    .option("--max-chars <n>", "cut the comment to at most n characters, details first (0: no limit, e.g. for a CI job summary)", wholeNumber, 65_000)
    .option("--full-review-in-job-summary", "the truncation note points at this CI run's job summary (pass it only where the uncut review is written there)")
    .option("--fingerprint", "print the review's SHA-256 instead of the comment: the same for two plans of the same state (footer and times left out)")
    .action((opts: { outDir: string; output?: string; commit?: string; runUrl?: string; title?: string; maxChars: number; fullReviewInJobSummary?: boolean; fingerprint?: boolean }) => {
      const { runReport } = require("./report") as typeof import("./report");
      process.exitCode = runReport(opts, consoleOutput);
    });

  program
    .command("adopt")
    .description("find a setup made by hand from the article (read-only), compare it with the config; --write records it so plan imports it")
    .option(...CONFIG_OPTION)
    .option("-s, --stack <name>", "stack in the config file (default: the only one)")
    .option("--okta-app-id <id>", "the Okta app to adopt, when the redirect URI does not single it out")
    .option("--write", "record the adoption (stacks.<name>.adopted) and the settings found, in the config file")
    .action(async (opts: { config?: string; stack?: string; oktaAppId?: string; write?: boolean }) => {
      const { runAdopt } = require("./adopt") as typeof import("./adopt");
      process.exitCode = await runAdopt(opts, consoleOutput);
    });

  registerIdpCommands(program, consoleOutput);
  registerDoctorCommand(program, consoleOutput);

  program
    .command("pulumi")
    .description("the Pulumi variant: preview (exit 0 no changes, 2 changes, 1 error), up or destroy one stack through the Automation API")
    .argument("<action>", "preview | up | destroy")
    .option(...CONFIG_OPTION)
    .option("-s, --stack <name>", "the stack (default: the config's only one)")
    .action(async (action: string, opts: { config?: string; stack?: string }) => {
      // Loaded on use: @pulumi/pulumi and its gRPC stack must not slow down other commands.
      const { runPulumi } = require("./pulumi") as typeof import("./pulumi");
      process.exitCode = await runPulumi(action, opts, consoleOutput);
    });

  return program;
}

/** Commander option parser for a count: a whole number, 0 or more. */
function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError("not a whole number, 0 or more.");
  return Number(value.trim());
}

/**
 * Run the CLI: the one catch around every command. A user's mistake or a refused API call ends in its one line on
 * stderr; anything else is a bug, reported as such in one line — never a stack trace.
 */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    consoleOutput.err(errorLine(e));
    return e instanceof UserFacingError ? e.exitCode : 1;
  }
}

if (require.main === module) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}

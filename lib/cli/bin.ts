#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { ConfigError } from "../config/errors";
import { registerDoctorCommand } from "./doctor";
import { registerIdpCommands } from "./idp";
import { consoleOutput, UserFacingError } from "./output";

/** The `qlik-okta` command line. Each command lives in its own module; this file only wires them. */
export function buildProgram(): Command {
  const program = new Command("qlik-okta")
    .description("Qlik Cloud with Okta as its OIDC identity provider, as code")
    .version(require("../../../package.json").version)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();

  program
    .command("synth")
    .description("validate the config and write cdktf.out/stacks/<stack>/cdk.tf.json for every stack")
    .option("-c, --config <file>", "config file (default: $QLIK_OKTA_CONFIG, ./qlik-okta.yaml, else the bundled example)")
    .option("-o, --outdir <dir>", "output directory", "cdktf.out")
    .action((opts: { config?: string; outdir: string }) => {
      // Loaded on use: cdktf and the provider bindings cost ~200 ms that `--help` should not pay.
      const { runSynth } = require("./synth") as typeof import("./synth");
      runSynth(opts, consoleOutput);
    });

  registerIdpCommands(program, consoleOutput);
  registerDoctorCommand(program, consoleOutput);

  return program;
}

/** Run the CLI; user mistakes end in one clear line on stderr and exit 1, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof ConfigError || e instanceof UserFacingError) {
      consoleOutput.err(e.message);
      return e instanceof UserFacingError ? e.exitCode : 1;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}

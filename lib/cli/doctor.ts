import { Command } from "commander";
import { errorLine } from "../errors";
import { unknownStackError } from "../qlik/errors";
import { secretsIn } from "../redact";
import { CONFIG_OPTION, loadCommandConfig } from "./config-file";
import { Output, redactingOutput } from "./output";

/**
 * `qlik-okta doctor`: the preflight checks of every stack (lib/preflight/checks.ts), each one line — ✓ what is fine,
 * or ✗ what is wrong and what to do. Exit 0 when every check passes, 1 otherwise.
 */

export interface DoctorOptions {
  readonly config?: string;
  readonly stack?: string;
}

export function registerDoctorCommand(program: Command, output: Output): void {
  program
    .command("doctor")
    .description("preflight: Qlik credentials and TenantAdmin, canonical hostname, Okta reachability, API Access Management")
    .option(...CONFIG_OPTION)
    .option("-s, --stack <name>", "check only this stack")
    .action(async (opts: DoctorOptions) => {
      process.exitCode = await runDoctor(opts, output);
    });
}

export async function runDoctor(opts: DoctorOptions, rawOutput: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const output = redactingOutput(rawOutput, secretsIn(env));
  try {
    const { file, config } = loadCommandConfig(opts.config, output, env, true);
    const names = opts.stack ? [opts.stack] : Object.keys(config.stacks);
    let allOk = true;
    for (const name of names) {
      const stack = config.stacks[name];
      if (!stack) {
        output.err(unknownStackError(name, file, Object.keys(config.stacks)).message);
        return 1;
      }
      output.out(`Stack ${name} (${stack.qlik.tenantHostname}):`);
      const { stackChecks } = await import("../preflight/checks");
      for (const check of await stackChecks(name, stack, env)) {
        output.out(`  ${check.ok ? "✓" : "✗"} ${check.text}`);
        allOk &&= check.ok;
      }
    }
    return allOk ? 0 : 1;
  } catch (e) {
    output.err(errorLine(e));
    return 1;
  }
}


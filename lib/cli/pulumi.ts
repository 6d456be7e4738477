/**
 * `qlik-okta pulumi preview|up|destroy [--config F] [--stack S]`: the Pulumi variant of the whole article, one
 * config stack at a time, through the Automation API (lib/pulumi/run.ts).
 *
 * Exit codes: preview 0 no changes, 2 changes, 1 error (like `plan`); up and destroy 0 done, 1 error. Errors are one
 * line on stderr. Pulumi's own output is passed through line by line (secrets redacted: the environment's, and
 * Pulumi masks its own secrets as [secret]).
 *
 * Loaded only for this command: @pulumi/pulumi and its gRPC stack cost other commands nothing.
 */
import { errorLine } from "../errors";
import { secretsIn } from "../redact";
import { adoptedNotSupportedError, pulumiActionError, pulumiStackChoiceError } from "../pulumi/errors";
import type { PulumiAction } from "../pulumi/run";
import { unknownStackError } from "../qlik/errors";
import { loadCommandConfig } from "./config-file";
import { Output, redactingOutput } from "./output";

export interface PulumiCommandOptions {
  /** Config file. @default - QLIK_OKTA_CONFIG, else ./qlik-okta.yaml (the bundled example is refused) */
  readonly config?: string;
  /** @default - the config's only stack */
  readonly stack?: string;
}

const ACTIONS: readonly PulumiAction[] = ["preview", "up", "destroy"];

export async function runPulumi(action: string, options: PulumiCommandOptions, rawOutput: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const output = redactingOutput(rawOutput, secretsIn(env));
  try {
    if (!(ACTIONS as readonly string[]).includes(action)) throw pulumiActionError(action);
    const { file, config } = loadCommandConfig(options.config, output, env, true);
    const names = Object.keys(config.stacks);
    const stack = options.stack ?? (names.length === 1 ? names[0] : undefined);
    if (!stack) throw pulumiStackChoiceError(file, names);
    const stackConfig = config.stacks[stack];
    if (!stackConfig) throw unknownStackError(stack, file, names);
    if (stackConfig.adopted) throw adoptedNotSupportedError(stack);

    const { pulumiPreflight, runPulumiAction } = await import("../pulumi/run");
    // The passphrase and the engine are checked before anything is loaded or written.
    pulumiPreflight(env);
    const result = await runPulumiAction({ action: action as PulumiAction, stack, config: stackConfig, env, onLine: (l) => output.out(l) });
    if (action === "up") {
      const steps = result.outputs?.qlik_next_steps;
      if (Array.isArray(steps) && steps.length > 0) {
        output.out("Next steps (Qlik):");
        for (const s of steps) output.out(`  - ${String(s)}`);
      }
    }
    if (action === "preview") return result.changed ? 2 : 0;
    return 0;
  } catch (e) {
    output.err(errorLine(e));
    return 1;
  }
}

import { SYNTH_DIR } from "./contract";
import { App } from "cdktf";
import { LoadedConfig } from "./config/load";
import { QlikOktaStack } from "./qlik-okta-stack";

export interface SynthesizeOptions {
  /** @default SYNTH_DIR ("cdktf.out") */
  readonly outdir?: string;
  /** @default - `node <project>/dist/lib/cli/bin.js` */
  readonly cliCommand?: readonly string[];
}

/**
 * Build the CDKTF app for a validated config: one stack per config stack.
 * `skipValidation`: cdktf's own validations shell out to `terraform version` for `terraform_data`; synth must work
 * on a machine without an engine, and the config was already validated.
 */
export function buildApp(config: LoadedConfig, options: SynthesizeOptions = {}): App {
  const app = new App({ outdir: options.outdir ?? SYNTH_DIR, skipValidation: true });
  for (const [name, stack] of Object.entries(config.stacks)) {
    new QlikOktaStack(app, name, { config: stack, cliCommand: options.cliCommand });
  }
  return app;
}

/** Synthesize every stack; returns the stack names written. */
export function synthesizeStacks(config: LoadedConfig, options: SynthesizeOptions = {}): string[] {
  buildApp(config, options).synth();
  return Object.keys(config.stacks);
}

import * as path from "node:path";
import { synthesizeInto } from "../app";
import { SYNTH_DIR } from "../contract";
import { loadCommandConfig } from "./config-file";
import { Output } from "./output";

export interface SynthOptions {
  /** Config file. @default - QLIK_OKTA_CONFIG, ./qlik-okta.yaml, else the bundled example */
  readonly config?: string;
  /** Output directory. @default SYNTH_DIR ("cdktf.out") */
  readonly outdir?: string;
}

/** `qlik-okta synth`: validate the config and write every stack to <outdir>/stacks/<name>/cdk.tf.json. */
export function runSynth(options: SynthOptions, output: Output): string[] {
  const { config } = loadCommandConfig(options.config, output);
  const outdir = path.resolve(options.outdir ?? SYNTH_DIR);
  const written = synthesizeInto(config, outdir, "pass -o <a writable directory>");
  for (const stack of written) {
    output.out(`${stack}: ${path.relative(process.cwd(), path.join(outdir, "stacks", stack, "cdk.tf.json")) || "."}`);
  }
  return written;
}

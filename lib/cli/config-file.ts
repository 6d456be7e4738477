import type { LoadedConfig } from "../config/load";
import { ENV } from "../contract";
import { noConfigFileError } from "../qlik/errors";
import { Output } from "./output";

/** The `--config` option every config-reading command takes. */
export const CONFIG_OPTION = [
  "-c, --config <file>",
  `config file (default: $${ENV.config}, ./qlik-okta.yaml, else the bundled example)`,
] as const;

/**
 * The config a command works on: `--config`, else QLIK_OKTA_CONFIG, else ./qlik-okta.yaml, else — for `synth`
 * only — the bundled example (said on stderr, with the config's warnings). The loader (zod, yaml) is required here, on use, so that building
 * the program for `--help` does not pay for it.
 */
export function loadCommandConfig(
  explicit: string | undefined,
  output: Output,
  env: NodeJS.ProcessEnv = process.env,
  /** The command talks to real APIs with the environment's credentials: the bundled example is refused. */
  talksToApis = false,
): { readonly file: string; readonly config: LoadedConfig; readonly bundled: boolean } {
  const { loadConfigFile, resolveConfigFile } = require("../config/load") as typeof import("../config/load");
  const { file, bundled } = resolveConfigFile(explicit, env);
  // The example's hosts (acme.okta.com, acme.eu.qlikcloud.com) are nobody's: never send them a token or a key.
  if (bundled && talksToApis) throw noConfigFileError();
  if (bundled) output.err(`No config given (--config, QLIK_OKTA_CONFIG or ./qlik-okta.yaml): using the bundled example ${file}`);
  const config = loadConfigFile(file);
  for (const warning of config.warnings) output.err(`warning: ${warning}`);
  return { file, config, bundled };
}

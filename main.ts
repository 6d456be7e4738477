/**
 * The CDKTF app entry (cdktf.json: `node dist/main.js`), for people who drive this project with the cdktf CLI.
 * `qlik-okta synth` does the same without it.
 */
import { ConfigError, loadConfigFile, resolveConfigFile } from "./lib/config";
import { buildApp } from "./lib/app";

try {
  const { file } = resolveConfigFile(undefined);
  const config = loadConfigFile(file);
  for (const w of config.warnings) process.stderr.write(`warning: ${w}\n`);
  buildApp(config, { outdir: process.env.CDKTF_OUTDIR }).synth();
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 1;
}

/**
 * The CDKTF app entry (cdktf.json: `node dist/main.js`), for people who drive this project with the cdktf CLI.
 * `qlik-okta synth` does the same without it.
 */
import { loadConfigFile, resolveConfigFile } from "./lib/config";
import { buildApp } from "./lib/app";
import { errorLine } from "./lib/errors";

try {
  const { file } = resolveConfigFile(undefined);
  const config = loadConfigFile(file);
  for (const w of config.warnings) process.stderr.write(`warning: ${w}\n`);
  buildApp(config, { outdir: process.env.CDKTF_OUTDIR }).synth();
} catch (e) {
  // The same one line as the CLI: a config problem as written, anything else marked as a bug.
  process.stderr.write(`${errorLine(e)}\n`);
  process.exitCode = 1;
}

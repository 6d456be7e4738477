import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import { ENV } from "../contract";
import { formatChange } from "../qlik/diff";
import { badOptionError, inputChoiceError, missingOptionError, noConfigFileError, resultFileError, unknownStackError } from "../qlik/errors";
import type { IdpReport, ReconcileMode, ReportAction } from "../qlik/reconcile";
import type { IdpRequest } from "../qlik/request";
import { redactedJson, secretsIn } from "../redact";
import { Output, redactingOutput } from "./output";

/**
 * `qlik-okta idp plan|apply|destroy`: the Qlik step, run by the QlikIdentityProvider construct's provisioner
 * (`--request-env`) or on its own (`--config/--stack/--client-id`). Flags → the request → `reconcileIdp` → print.
 *
 * Exit codes: plan 0 no changes, 2 changes, 1 error; apply and destroy 0 done, 1 error or blocked by the lockout
 * guard. Errors are one line on stderr. Nothing printed or written ever contains the client secret or a Qlik
 * credential: every line and file goes through the redaction as a last line of defence.
 *
 * The config loader (zod, yaml) and the HTTP client (axios) are loaded when a command runs, not when the program
 * is built, so `qlik-okta --help` and `synth` do not pay for them.
 */

export interface IdpCliOptions {
  readonly config?: string;
  readonly stack?: string;
  readonly clientId?: string;
  readonly discoveryUrl?: string;
  readonly requestEnv?: string;
  readonly json?: boolean;
  readonly resultFile?: string;
  readonly secretChanged?: boolean;
}

export function registerIdpCommands(program: Command, output: Output): void {
  const idp = program
    .command("idp")
    .description(`reconcile the tenant's Okta identity provider through the Qlik Cloud API (secret from $${ENV.idpClientSecret})`);

  const withInputs = (cmd: Command, needsClient: boolean): Command =>
    cmd
      .option("-c, --config <file>", `config file (default: $${ENV.config}, else ./qlik-okta.yaml)`)
      .option("-s, --stack <name>", "stack in the config file (default: the only one)")
      .option("--client-id <id>", `Okta app client id${needsClient ? " (required with --config)" : ""}`)
      .option("--discovery-url <url>", "OIDC discovery URL (default: the Okta org's)")
      .option("--request-env <name>", "read the desired state (IdpRequest JSON) from this environment variable instead")
      .option("--json", "machine-readable output")
      .option("--result-file <file>", "also write the outcome as JSON to this file (no secrets)");

  const action = (command: ReconcileMode) => async (opts: IdpCliOptions) => {
    process.exitCode = await runIdp(command, opts, output);
  };

  withInputs(idp.command("plan").description("show what apply would change (exit 0 none, 2 changes, 1 error)"), true)
    .option("--secret-changed", `treat ${ENV.idpClientSecret} as a new secret`)
    .action(action("plan"));
  withInputs(idp.command("apply").description("create or update the identity provider (exit 0 done, 1 error)"), true)
    .option("--secret-changed", `send ${ENV.idpClientSecret} even if Qlik has no record of the old one`)
    .action(action("apply"));
  withInputs(idp.command("destroy").description("honour onDestroy: retain, or deactivate (guarded) and delete"), false).action(
    action("destroy"),
  );
}

/** Run one idp command; returns the exit code. Never throws for user or API errors. */
export async function runIdp(command: ReconcileMode, opts: IdpCliOptions, rawOutput: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const secrets = secretsIn(env);
  const output = redactingOutput(rawOutput, secrets);
  const { failedReport, reconcileIdpFromEnv } = await import("../qlik/reconcile");
  let report: IdpReport;
  try {
    const request = await readRequest(command, opts, env);
    report = await reconcileIdpFromEnv(request, env[ENV.idpClientSecret], { mode: command, secretChanged: opts.secretChanged }, env);
  } catch (e) {
    report = failedReport(command, e);
  }

  if (opts.json) output.out(redactedJson(report, secrets));
  else printReport(output, report);
  if (opts.resultFile) writeResult(opts.resultFile, report, secrets, output);
  if (report.error) output.err(report.error);
  if (!report.ok) return 1;
  return command === "plan" && report.changed ? 2 : 0;
}

async function readRequest(command: ReconcileMode, opts: IdpCliOptions, env: NodeJS.ProcessEnv): Promise<IdpRequest> {
  const { discoveryUrlProblem, idpRequestFromConfig, idpRequestFromEnv, orgDiscoveryUrl } = await import("../qlik/request");
  if (opts.requestEnv) {
    if (opts.config || opts.stack || opts.clientId) throw inputChoiceError();
    return idpRequestFromEnv(opts.requestEnv, env);
  }
  const { loadConfigFile, resolveConfigFile } = await import("../config/load");
  const { file, bundled } = resolveConfigFile(opts.config, env);
  // The bundled example describes no real tenant: never reconcile against it by accident.
  if (bundled) throw noConfigFileError();
  const config = loadConfigFile(file);
  const names = Object.keys(config.stacks);
  const stack = opts.stack ?? (names.length === 1 ? names[0] : undefined);
  if (!stack) throw missingOptionError("--stack", `(stacks in ${file}: ${names.join(", ")})`);
  const stackConfig = config.stacks[stack];
  if (!stackConfig) throw unknownStackError(stack, file, names);
  if (command !== "destroy" && !opts.clientId) throw missingOptionError("--client-id", "with --config: the Okta app's client id (terraform output, or the Okta console)");
  const bad = opts.discoveryUrl === undefined ? undefined : discoveryUrlProblem(opts.discoveryUrl);
  if (bad) throw badOptionError("--discovery-url", `${bad}; omit it to use the Okta org's (${orgDiscoveryUrl(stackConfig.okta.orgUrl)})`);
  return idpRequestFromConfig(stack, stackConfig, opts.clientId ?? "", opts.discoveryUrl);
}

/** The actions as the admin reads them: one line each, the field changes under a create or update. */
export function printReport(output: Output, report: IdpReport): void {
  for (const a of report.actions ?? []) {
    output.out(`${a.summary}${STATUS_MARK[a.status]}`);
    if (showsFieldChanges(a)) for (const change of report.changes ?? []) output.out(`    ${change.before === undefined ? "+" : "~"} ${formatChange(change)}`);
  }
  const notes = report.nextSteps ?? [];
  if (notes.length === 0) return;
  output.out("Next steps:");
  for (const note of notes) output.out(`  - ${note}`);
}

const STATUS_MARK: Readonly<Record<ReportAction["status"], string>> = { planned: "", done: "", blocked: "", failed: " — FAILED", "not run": " — not run" };

function showsFieldChanges(a: ReportAction): boolean {
  return (a.status === "planned" || a.status === "done") && (a.kind === "create" || a.kind === "recreate" || a.kind === "patch");
}

function writeResult(file: string, report: IdpReport, secrets: readonly string[], output: Output): void {
  try {
    writeFileSync(path.resolve(file), `${redactedJson(report, secrets)}\n`, { mode: 0o600 });
  } catch (e) {
    output.err(resultFileError(file, (e as NodeJS.ErrnoException).code).message);
  }
}

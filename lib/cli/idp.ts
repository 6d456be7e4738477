import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import type { IDPOIDC } from "@qlik/api/identity-providers";
import { ConfigError } from "../config/errors";
import type { QlikClient } from "../qlik/client";
import { desiredIdp, secretFingerprint } from "../qlik/desired";
import { FieldChange, formatChange } from "../qlik/diff";
import {
  blockedApplyError,
  inputChoiceError,
  missingOptionError,
  missingSecretError,
  noConfigFileError,
  QlikError,
  requestEnvError,
  resultFileError,
  unknownStackError,
} from "../qlik/errors";
import {
  ActionRecord,
  executeActions,
  ExecutionError,
  findManagedIdp,
  LiveState,
  Outcome,
  Plan,
  planActions,
  planHasChanges,
} from "../qlik/reconcile";
import { IdpRequest, idpRequestFromConfig } from "../qlik/request";
import { requireCanonicalHostname } from "../qlik/tenant";
import { Output, UserFacingError } from "./output";

/**
 * `qlik-okta idp plan|apply|destroy`: the Qlik step, run by the QlikIdentityProvider construct's provisioner
 * (`--request-env`) or on its own (`--config/--stack/--client-id`).
 *
 * Exit codes: plan 0 no changes, 2 changes, 1 error; apply and destroy 0 done, 1 error or blocked by the lockout
 * guard. Errors are one line on stderr. Nothing printed or written ever contains the client secret or a Qlik
 * credential: every line goes through {@link redactingOutput} as a last line of defence.
 *
 * The config loader (zod, yaml) and the HTTP client (axios) are loaded when a command runs, not when the program
 * is built, so `qlik-okta --help` and `synth` do not pay for them.
 */

export type IdpCommand = "plan" | "apply" | "destroy";

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

export const CLIENT_SECRET_ENV = "QLIK_IDP_CLIENT_SECRET";

export function registerIdpCommands(program: Command, output: Output): void {
  const idp = program
    .command("idp")
    .description("reconcile the tenant's Okta identity provider through the Qlik Cloud API (secret from $QLIK_IDP_CLIENT_SECRET)");

  const withInputs = (cmd: Command, needsClient: boolean): Command =>
    cmd
      .option("-c, --config <file>", "config file (default: $QLIK_OKTA_CONFIG, else ./qlik-okta.yaml)")
      .option("-s, --stack <name>", "stack in the config file (default: the only one)")
      .option("--client-id <id>", `Okta app client id${needsClient ? " (required with --config)" : ""}`)
      .option("--discovery-url <url>", "OIDC discovery URL (default: the Okta org's)")
      .option("--request-env <name>", "read the desired state (IdpRequest JSON) from this environment variable instead")
      .option("--json", "machine-readable output")
      .option("--result-file <file>", "also write the outcome as JSON to this file (no secrets)");

  const action = (command: IdpCommand) => async (opts: IdpCliOptions) => {
    process.exitCode = await runIdp(command, opts, output);
  };

  withInputs(idp.command("plan").description("show what apply would change (exit 0 none, 2 changes, 1 error)"), true)
    .option("--secret-changed", "treat QLIK_IDP_CLIENT_SECRET as a new secret")
    .action(action("plan"));
  withInputs(idp.command("apply").description("create or update the identity provider (exit 0 done, 1 error)"), true)
    .option("--secret-changed", "send QLIK_IDP_CLIENT_SECRET even if Qlik has no record of the old one")
    .action(action("apply"));
  withInputs(idp.command("destroy").description("honour onDestroy: retain, or deactivate (guarded) and delete"), false).action(
    action("destroy"),
  );
}

/** Run one idp command; returns the exit code. Never throws for user or API errors. */
export async function runIdp(command: IdpCommand, opts: IdpCliOptions, rawOutput: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const output = redactingOutput(rawOutput, secretsIn(env));
  const report: ResultReport = { command, ok: false };
  let client: QlikClient | undefined;
  const countRequests = (): void => {
    if (client) report.requests = { total: client.requests.length, writes: client.requests.filter((r) => r.write).length };
  };
  try {
    const request = await readRequest(command, opts, env);
    report.stack = request.stack;
    report.tenantHostname = request.tenantHostname;
    const secret = env[CLIENT_SECRET_ENV];
    if (command !== "destroy" && !secret) throw missingSecretError();
    const { QlikClient } = await import("../qlik/client");
    client = QlikClient.fromEnv(request.tenantHostname, {}, env);

    // Invariant 3 first: never configure anything through an alias.
    if (command !== "destroy") requireCanonicalHostname(request.tenantHostname, await client.myTenant(), request.stack);

    const idps = await client.listIdps();
    let live: LiveState = findManagedIdp(idps, {
      stack: request.stack,
      clientId: command === "destroy" ? undefined : request.clientId,
      tenantHostname: request.tenantHostname,
    });
    const managed = live.managed as IDPOIDC | undefined;
    if (managed?.id && managed.pendingState === "verified") {
      // Promoting needs the QLIK-IDP-POPTS header, which only a GET of the one IdP carries.
      const fresh = await client.getIdp(managed.id);
      live = { ...live, managed: fresh.idp, popts: fresh.popts };
    }

    const settings = request.identityProvider;
    const desired = command === "destroy" ? undefined : desiredIdp(request, secret ?? "");
    const plan = planActions(desired, live, {
      mode: command === "destroy" ? "destroy" : "apply",
      stack: request.stack,
      tenantHostname: request.tenantHostname,
      description: settings.description,
      activate: settings.activate,
      allowActiveIdpChange: settings.allowActiveIdpChange,
      onDestroy: settings.onDestroy,
      secretFingerprint: secret ? secretFingerprint(secret) : undefined,
      secretChanged: opts.secretChanged,
    });
    report.idpId = plan.idpId;
    report.changes = plan.changes;
    report.nextSteps = [...plan.notes];
    const live0 = live.managed as IDPOIDC | undefined;
    report.active = live0?.active;
    report.pendingState = live0?.pendingState;

    if (command === "plan") {
      report.ok = true;
      report.actions = plan.actions.map((a) => ({ kind: a.kind, summary: a.summary, status: "planned" }));
      report.changed = planHasChanges(plan);
      countRequests();
      if (opts.json) output.out(JSON.stringify(report, null, 2));
      else printPlan(output, plan);
      writeResult(opts.resultFile, report, output, env);
      return report.changed ? 2 : 0;
    }

    if (!planHasChanges(plan)) {
      report.ok = true;
      report.actions = plan.actions.map((a) => ({ kind: a.kind, summary: a.summary, status: "done" }));
      countRequests();
      if (opts.json) output.out(JSON.stringify(report, null, 2));
      else printPlan(output, plan);
      writeResult(opts.resultFile, report, output, env);
      return 0;
    }

    let outcome: Outcome;
    try {
      outcome = await executeActions(client, plan.actions, { stack: request.stack, tenantHostname: request.tenantHostname, desired, idpId: plan.idpId });
    } catch (e) {
      if (e instanceof ExecutionError) {
        fillFromOutcome(report, e.outcome, plan);
        if (!opts.json) printRecords(output, e.outcome.records, plan.changes);
      }
      throw e;
    }
    fillFromOutcome(report, outcome, plan);
    if (outcome.idpId && command === "apply") {
      // Report the state Qlik ended in; the work is done even if this read fails.
      const final = await client.getIdp(outcome.idpId).then((r) => r.idp as IDPOIDC, () => undefined);
      if (final) {
        report.active = final.active;
        report.pendingState = final.pendingState;
      }
    } else if (command === "destroy" && outcome.records.some((r) => r.kind === "delete" && r.status === "done")) {
      report.active = undefined;
      report.pendingState = undefined;
      report.idpId = undefined;
    }
    report.ok = outcome.blocked.length === 0;
    if (!report.ok) report.error = blockedApplyError(outcome.blocked).message;
    countRequests();
    if (opts.json) output.out(JSON.stringify(report, null, 2));
    else {
      printRecords(output, outcome.records, plan.changes);
      printNotes(output, report.nextSteps ?? []);
    }
    writeResult(opts.resultFile, report, output, env);
    if (report.error) output.err(report.error);
    return report.ok ? 0 : 1;
  } catch (e) {
    const message = errorLine(e);
    countRequests();
    report.ok = false;
    report.error = message;
    if (opts.json) output.out(JSON.stringify(report, null, 2));
    writeResult(opts.resultFile, report, output, env);
    output.err(message);
    return 1;
  }
}

// ── inputs ────────────────────────────────────────────────────────────────────────────────────────────────────────

async function readRequest(command: IdpCommand, opts: IdpCliOptions, env: NodeJS.ProcessEnv): Promise<IdpRequest> {
  if (opts.requestEnv) {
    if (opts.config || opts.stack || opts.clientId) throw inputChoiceError();
    return requestFromEnv(opts.requestEnv, env);
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
  return idpRequestFromConfig(stack, stackConfig, opts.clientId ?? "", opts.discoveryUrl);
}

/** The IdpRequest JSON the QlikIdentityProvider construct hands over (`jsonencode(self.input)`). */
export async function requestFromEnv(name: string, env: NodeJS.ProcessEnv): Promise<IdpRequest> {
  const text = env[name];
  if (!text) throw requestEnvError(name, "the environment variable is not set or empty");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw requestEnvError(name, "is not valid JSON");
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw requestEnvError(name, "must be a JSON object");
  const r = withoutNulls(raw) as Record<string, unknown>;
  for (const key of ["stack", "tenantHostname", "clientId", "discoveryUrl"]) {
    if (typeof r[key] !== "string" || r[key] === "") throw requestEnvError(name, `"${key}" must be a non-empty string`);
  }
  const { stackSchema } = await import("../config/schema");
  const settings = stackSchema.shape.identityProvider.safeParse(r.identityProvider ?? {});
  if (!settings.success) {
    const first = settings.error.issues[0];
    throw requestEnvError(name, `identityProvider.${first?.path.join(".") ?? ""}: ${first?.message ?? "invalid"}`);
  }
  return {
    stack: r.stack as string,
    tenantHostname: r.tenantHostname as string,
    clientId: r.clientId as string,
    discoveryUrl: r.discoveryUrl as string,
    identityProvider: settings.data,
  };
}

/** Terraform's jsonencode writes absent optional attributes as null; treat them as absent. */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
  }
  return v;
}

// ── output ────────────────────────────────────────────────────────────────────────────────────────────────────────

interface ResultReport {
  command: IdpCommand;
  ok: boolean;
  stack?: string;
  tenantHostname?: string;
  idpId?: string;
  active?: boolean;
  pendingState?: string;
  changed?: boolean;
  actions?: { kind: string; summary: string; status: string; id?: string }[];
  changes?: readonly FieldChange[];
  nextSteps?: string[];
  /** Requests this run made to Qlik (every attempt), and how many of them were writes. */
  requests?: { total: number; writes: number };
  error?: string;
}

function fillFromOutcome(report: ResultReport, outcome: Outcome, plan: Plan): void {
  report.actions = outcome.records.map((r) => ({ kind: r.kind, summary: r.summary, status: r.status, ...(r.id ? { id: r.id } : {}) }));
  report.idpId = outcome.idpId ?? plan.idpId;
  report.nextSteps = [...plan.notes, ...outcome.notes];
}

function printPlan(output: Output, plan: Plan): void {
  for (const action of plan.actions) {
    output.out(action.summary);
    if (action.kind === "create" || action.kind === "recreate" || action.kind === "patch") {
      for (const change of plan.changes) output.out(`    ${change.before === undefined ? "+" : "~"} ${formatChange(change)}`);
    }
  }
  printNotes(output, plan.notes);
}

function printRecords(output: Output, records: readonly ActionRecord[], changes: readonly FieldChange[]): void {
  for (const r of records) {
    const mark = r.status === "failed" ? " — FAILED" : r.status === "not run" ? " — not run" : "";
    output.out(`${r.summary}${mark}`);
    if (r.status === "done" && (r.kind === "create" || r.kind === "recreate" || r.kind === "patch")) {
      for (const change of changes) output.out(`    ${change.before === undefined ? "+" : "~"} ${formatChange(change)}`);
    }
  }
}

function printNotes(output: Output, notes: readonly string[]): void {
  if (notes.length === 0) return;
  output.out("Next steps:");
  for (const note of notes) output.out(`  - ${note}`);
}

function writeResult(file: string | undefined, report: ResultReport, output: Output, env: NodeJS.ProcessEnv): void {
  if (!file) return;
  const text = redact(`${JSON.stringify(report, null, 2)}\n`, secretsIn(env));
  try {
    writeFileSync(path.resolve(file), text, { mode: 0o600 });
  } catch (e) {
    output.err(resultFileError(file, (e as NodeJS.ErrnoException).code).message);
  }
}

/** One line for any failure: our own messages as they are, anything else marked as a bug — never a stack or config. */
export function errorLine(e: unknown): string {
  if (e instanceof ConfigError || e instanceof QlikError || e instanceof UserFacingError) return e.message;
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return `qlik-okta: unexpected error (please report it): ${message.split("\n")[0]}`;
}

// ── secrets ───────────────────────────────────────────────────────────────────────────────────────────────────────

/** Values that must never be printed: the IdP client secret and every credential the CLI reads. */
export function secretsIn(env: NodeJS.ProcessEnv): string[] {
  return [CLIENT_SECRET_ENV, "QLIK_API_KEY", "QLIK_CLIENT_SECRET", "OKTA_API_TOKEN"]
    .map((k) => env[k])
    .filter((v): v is string => typeof v === "string" && v.length >= 4);
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join("(redacted)");
  return out;
}

/** An Output that blanks out secret values: nothing the CLI prints can carry one, whatever the bug. */
export function redactingOutput(output: Output, secrets: readonly string[]): Output {
  return { out: (line) => output.out(redact(line, secrets)), err: (line) => output.err(redact(line, secrets)) };
}

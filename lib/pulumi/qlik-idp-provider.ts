/**
 * The QlikIdentityProvider dynamic resource's provider: what runs in Pulumi's dynamic-provider process
 * (`pulumi-resource-pulumi-nodejs`), loaded there by absolute path from `dist/` (see qlik-identity-provider.ts), and
 * called directly by the unit tests. Every method is the typed Qlik core (`reconcileIdp`) in one of its modes:
 *
 * | Pulumi | reconcile | |
 * | --- | --- | --- |
 * | check | — | the request checked by the config's rules (offline), and the desired IdP view added for the preview |
 * | diff | `plan` | field-level `detailedDiff` of the IdP (idp-view.ts); an error fails the preview in one line |
 * | create, update | `apply` | the same apply as `qlik-okta idp apply`: lockout guard, secret checked with Okta, verification flow |
 * | delete | `destroy` | `onDestroy` (retain / delete) and the lockout guard |
 * | read | — | the live IdP (found by its marker), for `refresh` |
 *
 * The Qlik credentials come from this process's environment (QLIK_API_KEY or QLIK_CLIENT_ID/SECRET, QLIK_BASE_URL),
 * which the Pulumi CLI passes on from `qlik-okta pulumi`. The client secret arrives in the inputs (Pulumi decrypts
 * it for this process: dynamic providers do not accept secrets) and is never returned: the outputs hold its SHA-256.
 * An IdP that must be recreated in Qlik (a field Qlik cannot patch) is recreated by the apply inside `update`, never
 * by a Pulumi replace: a replace runs `delete` after `create`, and `delete` finds the IdP by marker — the new one.
 */
import type { IDPOIDC } from "@qlik/api/identity-providers";
import { ENV } from "../contract";
import { errorLine } from "../errors";
import { sha256 } from "../hash";
import type { QlikClient } from "../qlik/client";
import { findManagedIdp } from "../qlik/find";
import type { IdpReport, ReconcileMode } from "../qlik/reconcile";
import { idpRequestFromEnv, type IdpRequest } from "../qlik/request";
import { redactText, secretsIn } from "../redact";
import { DetailedDiff, desiredView, detailedDiffFromReport, IdpView, liveSecretSha256, liveView, unknownPaths } from "./idp-view";

/** The resource's inputs after `check`. */
export interface QlikIdpInputs {
  readonly request: IdpRequest;
  /** The Okta app's client secret (a Pulumi secret; plain here). */
  readonly clientSecret: string;
  /** The desired IdP (set by check). */
  readonly idp?: IdpView;
  /** SHA-256 of the client secret (set by check). */
  readonly clientSecretSha256?: string;
}

/** The resource's outputs (the state): no secret. */
export interface QlikIdpOutputs {
  /** What delete and read need. */
  readonly request: IdpRequest;
  /** The IdP's id in Qlik now (a recreate changes it; the Pulumi id stays the first one). */
  readonly idpId: string;
  /** The live IdP. */
  readonly idp: IdpView;
  /** The secret's hash recorded in the IdP's meta. */
  readonly clientSecretSha256?: string;
  readonly active?: boolean;
  readonly pendingState?: string;
  /** What an admin does next (validate a test login, …), from the last apply. */
  readonly nextSteps: readonly string[];
}

export interface DiffResult {
  readonly changes: boolean;
  readonly detailedDiff?: DetailedDiff;
}

/** Pulumi's marker for a value not known during a preview (`@pulumi/pulumi/runtime/rpc` `unknownValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Where this process hands a diff's `detailedDiff` to the provider host (scripts/pulumi-bin/dynamic-provider-host.js),
 * keyed by resource id: the stock host passes only `changes` and `replaces` on to the engine.
 */
export const DETAILED_DIFF_CHANNEL = Symbol.for("qlik-okta-iac.pulumi.detailedDiff");

export async function check(_olds: Partial<QlikIdpInputs>, news: QlikIdpInputs): Promise<{ inputs: QlikIdpInputs; failures: { property: string; reason: string }[] }> {
  const failures: { property: string; reason: string }[] = [];
  // Not known before the Okta app exists (a program that computes the whole request from it): shown as unknown.
  if ((news.request as unknown) === UNKNOWN) return { inputs: { ...news, idp: UNKNOWN as IdpView, clientSecretSha256: UNKNOWN }, failures };
  try {
    // The same schema and rules as the config file and the construct's --request-env.
    idpRequestFromEnv("request", { request: JSON.stringify(news.request) });
  } catch (e) {
    failures.push({ property: "request", reason: errorLine(e).replace(/^--request-env request: /, "") });
  }
  if (failures.length > 0) return { inputs: news, failures };
  const secret = news.clientSecret;
  const inputs: QlikIdpInputs = {
    ...news,
    idp: desiredView(news.request),
    clientSecretSha256: typeof secret === "string" && secret !== UNKNOWN ? sha256(secret) : UNKNOWN,
  };
  return { inputs, failures };
}

export async function diff(id: string, olds: QlikIdpOutputs, news: QlikIdpInputs, env: NodeJS.ProcessEnv = process.env): Promise<DiffResult> {
  if ((news.request as unknown) === UNKNOWN) {
    publishDetailedDiff(id, olds, { idp: "update" });
    return { changes: true, detailedDiff: { idp: "update" } };
  }
  const desired = news.idp ?? desiredView(news.request);
  const unknown = [...unknownPaths({ idp: desired, request: news.request }, UNKNOWN, ""), ...(news.clientSecret === UNKNOWN ? ["clientSecretSha256"] : [])];
  let result: DiffResult;
  if (unknown.length > 0) {
    // The Okta app is being created or replaced: the plan runs at `up`, once its client id and secret exist.
    const detailedDiff: DetailedDiff = {};
    for (const p of unknown) if (!p.startsWith("request")) detailedDiff[p] = "update";
    result = { changes: true, detailedDiff };
  } else {
    const report = await reconcile("plan", news.request, news.clientSecret, env);
    if (!report.ok) throw providerError(report, news.clientSecret, env);
    result = report.changed ? { changes: true, detailedDiff: detailedDiffFromReport(report, desired) } : { changes: false };
  }
  publishDetailedDiff(id, olds, result.detailedDiff);
  return result;
}

export async function create(inputs: QlikIdpInputs, env: NodeJS.ProcessEnv = process.env): Promise<{ id: string; outs: QlikIdpOutputs }> {
  const outs = await applyIdp(inputs, env);
  return { id: outs.idpId, outs };
}

export async function update(_id: string, _olds: QlikIdpOutputs, news: QlikIdpInputs, env: NodeJS.ProcessEnv = process.env): Promise<{ outs: QlikIdpOutputs }> {
  return { outs: await applyIdp(news, env) };
}

export async function del(_id: string, props: QlikIdpOutputs, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const report = await reconcile("destroy", props.request, undefined, env);
  if (!report.ok) throw providerError(report, undefined, env);
}

export async function read(id: string, props: QlikIdpOutputs, env: NodeJS.ProcessEnv = process.env): Promise<{ id: string; props: Partial<QlikIdpOutputs> }> {
  const request = props.request;
  if (!request) return { id, props };
  try {
    const client = await qlikClient(request, env);
    const live = findManagedIdp(await client.listIdps(), { stack: request.stack, tenantHostname: request.tenantHostname });
    // Gone from Qlik (deleted by hand): an empty id tells the engine, and the next `up` creates it again.
    if (!live.managed?.id) return { id: "", props: {} };
    const idp = (await client.getIdp(live.managed.id)).idp as IDPOIDC;
    return { id, props: outputsFor(request, idp, props.nextSteps ?? []) };
  } catch (e) {
    throw lineError(errorLine(e), undefined, env);
  }
}

// ── helpers ──────────────────────────────────────────────────────────────────────────────────────────────────────

async function applyIdp(inputs: QlikIdpInputs, env: NodeJS.ProcessEnv): Promise<QlikIdpOutputs> {
  const client = await qlikClient(inputs.request, env).catch((e: unknown) => {
    throw lineError(errorLine(e), inputs.clientSecret, env);
  });
  const report = await reconcile("apply", inputs.request, inputs.clientSecret, env, client);
  if (!report.ok || !report.idpId) throw providerError(report, inputs.clientSecret, env);
  const idp = await client.getIdp(report.idpId).then(
    (r) => r.idp as IDPOIDC,
    (e: unknown) => {
      throw lineError(`the Qlik IdP ${report.idpId} was applied but could not be read back: ${errorLine(e)}`, inputs.clientSecret, env);
    },
  );
  return outputsFor(inputs.request, idp, report.nextSteps ?? []);
}

function outputsFor(request: IdpRequest, idp: IDPOIDC, nextSteps: readonly string[]): QlikIdpOutputs {
  const hash = liveSecretSha256(idp);
  return {
    request,
    idpId: idp.id ?? "",
    idp: liveView(idp),
    ...(hash ? { clientSecretSha256: hash } : {}),
    ...(idp.active !== undefined ? { active: idp.active } : {}),
    ...(idp.pendingState !== undefined ? { pendingState: idp.pendingState } : {}),
    nextSteps: [...nextSteps],
  };
}

async function qlikClient(request: IdpRequest, env: NodeJS.ProcessEnv): Promise<QlikClient> {
  const { QlikClient } = await import("../qlik/client");
  return QlikClient.fromEnv(request.tenantHostname, {}, env);
}

async function reconcile(mode: ReconcileMode, request: IdpRequest, secret: string | undefined, env: NodeJS.ProcessEnv, client?: QlikClient): Promise<IdpReport> {
  const { reconcileIdp, reconcileIdpFromEnv } = await import("../qlik/reconcile");
  if (!client) return reconcileIdpFromEnv(request, secret, { mode }, env);
  const { oktaSecretChecker } = await import("../okta/secret-check");
  return reconcileIdp(request, secret, client, { mode, checkSecret: oktaSecretChecker(request.discoveryUrl, env) });
}

/** The report's one line (and the actions that did not run), as the error Pulumi shows; never a secret. */
function providerError(report: IdpReport, secret: string | undefined, env: NodeJS.ProcessEnv): Error {
  const done = (report.actions ?? []).filter((a) => a.status === "done").map((a) => a.summary);
  const line = `${report.error ?? "the Qlik step failed"}${done.length > 0 ? ` (done before the failure: ${done.join("; ")})` : ""}`;
  return lineError(line, secret, env);
}

/**
 * An error that prints as its one line: the provider host logs `${e}: ${e.stack}`, so the stack is left empty and
 * the name says whose line it is.
 */
function lineError(line: string, secret: string | undefined, env: NodeJS.ProcessEnv): Error {
  const secrets = [...secretsIn(env), ...(secret ? [secret] : []), ...(env[ENV.idpClientSecret] ? [env[ENV.idpClientSecret] as string] : [])];
  const e = new Error(redactText(line, secrets));
  e.name = "qlik-okta";
  e.stack = "";
  return e;
}

function publishDetailedDiff(id: string, olds: QlikIdpOutputs, detailedDiff: DetailedDiff | undefined): void {
  const channel = ((globalThis as Record<symbol, unknown>)[DETAILED_DIFF_CHANNEL] ??= new Map<string, DetailedDiff>()) as Map<string, DetailedDiff>;
  if (detailedDiff) channel.set(id || olds.idpId, detailedDiff);
  else channel.delete(id || olds.idpId);
}

/** What the Pulumi host calls: `delete` is a reserved word for a function name. */
export const provider = { check, diff, create, update, delete: del, read };

/**
 * Plans made by the REAL engine (OpenTofu/Terraform + okta/okta 4.20.0) against the emulators, for the review tests:
 * no hand-written plan JSON. One stack "prod", applied once, then planned in every way a reviewer meets:
 *
 * | scenario | how |
 * | --- | --- |
 * | create | first plan, empty state |
 * | noop | plan right after applying it |
 * | replace | `plan -replace=<okta_app_oauth>` |
 * | update | the app's label changes |
 * | updateAgain | the same, planned a second time (nothing changed in between) |
 * | leak | a Qlik API key and an Okta token pasted into non-sensitive fields (label, IdP description) |
 * | activation | `activate: true` after an admin validated the IdP, while another IdP is the tenant's active sign-in |
 * | guardOff | `allowActiveIdpChange: true` and `onDestroy: delete` |
 * | destroy | `plan -destroy` |
 *
 * Every Qlik report comes from `qlik-okta idp plan --json` run in-process against the Qlik emulator with the
 * app's real client id and secret from the state (what `qlik-okta plan` does).
 *
 * {@link makeSamplePlans}: two stacks, "dev" and "prod", on a tenant with no other sign-in — their first plan, then
 * (both applied, an admin validated prod's test login) a pull request that changes prod's label and sets
 * `activate: true`: the README's sample comment.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { synthesizeStacks } from "../../lib/app";
import { loadConfigFile } from "../../lib/config/load";
import { Engine } from "../../lib/engine";
import { apply, init, output, plan, show } from "../../lib/engine/run";
import { Sandbox, startSandbox } from "../../lib/emulators/sandbox";
import { runQlikStep } from "../../lib/pipeline/stacks";
import type { PlanJson } from "../../lib/review/plan-summary";
import type { QlikPlanRecord } from "../../lib/review/qlik-plan";
import { ensureBuilt, envFor, exampleConfig, requireEngine, workspace } from "../e2e/helpers";
import { ACTIVE_ENTRA_SEED } from "../qlik/fixtures";

export const OKTA_TOKEN = "00okta-CANARY-token-review-7f3a1c";
export const QLIK_KEY = "qlik-CANARY-api-key-review-5d9e2b";
export const HOST = "acme.eu.qlikcloud.com";
export const STACK = "prod";
export const APP = "okta_app_oauth.QlikOidcApp_DCEADC5B";

export type Scenario = "create" | "noop" | "replace" | "update" | "updateAgain" | "leak" | "activation" | "guardOff" | "destroy";

export interface RealPlan {
  readonly raw: PlanJson;
  readonly qlik: QlikPlanRecord;
}

export interface RealPlans {
  readonly plans: Readonly<Record<Scenario, RealPlan>>;
  /** The Okta app's client secret (from the emulator): in the raw plans, never in a review. */
  readonly clientSecret: string;
  readonly engine: Engine;
  readonly sandbox: Sandbox;
  close(): Promise<void>;
}

/** The bundled example as stack "prod", with YAML lines swapped. */
export function prodConfig(replace: Record<string, string> = {}): string {
  return exampleConfig({ "\n  example:\n": "\n  prod:\n", ...replace });
}


export async function makeRealPlans(): Promise<RealPlans> {
  ensureBuilt();
  const engine = await requireEngine();
  const sandbox = await startSandbox({ oktaApiToken: OKTA_TOKEN, qlikApiKey: QLIK_KEY, qlik: { tenantHostname: HOST, seedIdps: [ACTIVE_ENTRA_SEED] } });
  try {
    const dir = workspace(prodConfig());
    const configFile = path.join(dir, "qlik-okta.yaml");
    const stackDir = path.join(dir, "cdktf.out", "stacks", STACK);
    const env = envFor(engine, sandbox.env);
    const synth = (config: string) => {
      writeFileSync(configFile, config);
      synthesizeStacks(loadConfigFile(configFile), { outdir: path.join(dir, "cdktf.out") });
    };
    let n = 0;
    const planned = async (opts: { destroy?: boolean; extraArgs?: string[] } = {}): Promise<PlanJson> => {
      const file = `tfplan-${++n}`;
      await plan(engine, stackDir, { env, out: file, ...opts });
      return show<PlanJson>(engine, stackDir, file, { env });
    };
    const qlikPlan = async (): Promise<QlikPlanRecord> => {
      const outs = await output<Record<string, { value: string }>>(engine, stackDir, { env });
      const report = await runQlikStep(
        "plan",
        {
          prepared: { config: loadConfigFile(configFile) },
          stack: STACK,
          clientId: outs.okta_client_id.value,
          clientSecret: outs.okta_client_secret.value,
        },
        { ...process.env, ...sandbox.env },
      );
      if (!report.ok) throw new Error(`idp plan failed: ${report.error}`);
      return { status: "planned", report };
    };

    synth(prodConfig());
    await init(engine, stackDir, { env });
    const create: RealPlan = { raw: await planned(), qlik: { status: "after-okta", reason: "no Okta app in the state yet" } };
    await apply(engine, stackDir, `tfplan-${n}`, { env });

    const noop: RealPlan = { raw: await planned(), qlik: await qlikPlan() };
    const replace: RealPlan = { raw: await planned({ extraArgs: [`-replace=${APP}`] }), qlik: await qlikPlan() };

    synth(prodConfig({ "label: Qlik Cloud": "label: Qlik Cloud (EU)" }));
    const update: RealPlan = { raw: await planned(), qlik: await qlikPlan() };
    const updateAgain: RealPlan = { raw: await planned(), qlik: await qlikPlan() };

    synth(prodConfig({ "label: Qlik Cloud": `label: Qlik Cloud ${QLIK_KEY}`, "description: Okta": `description: Okta ${OKTA_TOKEN}` }));
    const leak: RealPlan = { raw: await planned(), qlik: await qlikPlan() };

    // An admin validated the test login; now the stack asks to activate, while Entra ID is the active sign-in.
    const idp = sandbox.qlik.idps().find((i) => i.id !== "entra") as { id: string };
    sandbox.qlik.completeVerification(idp.id);
    synth(prodConfig({ "activate: false": "activate: true" }));
    const activation: RealPlan = { raw: await planned(), qlik: await qlikPlan() };

    synth(prodConfig({ "onDestroy: retain": "onDestroy: delete\n      allowActiveIdpChange: true" }));
    const guardOff: RealPlan = { raw: await planned(), qlik: await qlikPlan() };

    synth(prodConfig());
    const destroy: RealPlan = { raw: await planned({ destroy: true }), qlik: { status: "destroy", onDestroy: "retain" } };

    const app = sandbox.okta.state.apps()[0];
    if (!app?.clientSecret) throw new Error("the Okta emulator has no app with a client secret");
    return {
      plans: { create, noop, replace, update, updateAgain, leak, activation, guardOff, destroy },
      clientSecret: app.clientSecret,
      engine,
      sandbox,
      close: () => sandbox.close(),
    };
  } catch (e) {
    await sandbox.close();
    throw e;
  }
}

export interface SamplePlans {
  /** The first plan of both stacks (empty state). */
  readonly first: Readonly<Record<"dev" | "prod", RealPlan>>;
  /** After both were applied and an admin validated prod: prod's label changes and `activate: true`. */
  readonly change: Readonly<Record<"dev" | "prod", RealPlan>>;
  /** The engine as the comment's footer names it, e.g. "tofu 1.12.6". */
  readonly engine: string;
}

/** The bundled example as stacks "dev" and "prod" (prod's lines swapped as given). */
export function twoStackConfig(prodReplace: Record<string, string> = {}): string {
  const text = exampleConfig();
  const at = text.indexOf("\n  example:\n");
  if (at < 0) throw new Error("the example config has no stack 'example'");
  const head = text.slice(0, at + 1);
  let body = text.slice(at + "\n  example:\n".length);
  if (!body.endsWith("\n")) body += "\n";
  let prod = body;
  for (const [from, to] of Object.entries(prodReplace)) {
    if (!prod.includes(from)) throw new Error(`example config has no ${JSON.stringify(from)}`);
    prod = prod.replace(from, to);
  }
  return `${head}  dev:\n${body}  prod:\n${prod}`;
}

/** The README's sample: two stacks planned, applied, one validated and changed, planned again by the real engine. */
export async function makeSamplePlans(): Promise<SamplePlans> {
  ensureBuilt();
  const engine = await requireEngine();
  const sandbox = await startSandbox({ oktaApiToken: OKTA_TOKEN, qlikApiKey: QLIK_KEY, qlik: { tenantHostname: HOST } });
  try {
    const dir = workspace(twoStackConfig());
    const configFile = path.join(dir, "qlik-okta.yaml");
    const env = envFor(engine, sandbox.env);
    const stackDir = (stack: string) => path.join(dir, "cdktf.out", "stacks", stack);
    const synth = (config: string) => {
      writeFileSync(configFile, config);
      synthesizeStacks(loadConfigFile(configFile), { outdir: path.join(dir, "cdktf.out") });
    };
    let n = 0;
    const planned = async (stack: string): Promise<{ raw: PlanJson; file: string }> => {
      const file = `tfplan-${++n}`;
      await plan(engine, stackDir(stack), { env, out: file });
      return { raw: await show<PlanJson>(engine, stackDir(stack), file, { env }), file };
    };
    const qlikPlan = async (stack: string): Promise<QlikPlanRecord> => {
      const outs = await output<Record<string, { value: string }>>(engine, stackDir(stack), { env });
      const report = await runQlikStep(
        "plan",
        { prepared: { config: loadConfigFile(configFile) }, stack, clientId: outs.okta_client_id.value, clientSecret: outs.okta_client_secret.value },
        { ...process.env, ...sandbox.env },
      );
      if (!report.ok) throw new Error(`idp plan failed: ${report.error}`);
      return { status: "planned", report };
    };
    const AFTER_OKTA: QlikPlanRecord = { status: "after-okta", reason: "no Okta app in the state yet" };

    synth(twoStackConfig());
    const first: Partial<Record<"dev" | "prod", RealPlan>> = {};
    for (const stack of ["dev", "prod"] as const) {
      await init(engine, stackDir(stack), { env });
      const p = await planned(stack);
      first[stack] = { raw: p.raw, qlik: AFTER_OKTA };
      await apply(engine, stackDir(stack), p.file, { env });
    }

    // An admin validated prod's test login; the pull request changes prod's label and asks to activate it.
    const prodIdp = sandbox.qlik.idps().find((i) => String(i.description ?? "").includes("qlik-okta-iac:prod]")) as { id: string } | undefined;
    if (!prodIdp) throw new Error("the Qlik emulator has no IdP of stack prod");
    sandbox.qlik.completeVerification(prodIdp.id);
    synth(twoStackConfig({ "label: Qlik Cloud": "label: Qlik Cloud (EU)", "activate: false": "activate: true" }));
    const change: Partial<Record<"dev" | "prod", RealPlan>> = {};
    for (const stack of ["dev", "prod"] as const) change[stack] = { raw: (await planned(stack)).raw, qlik: await qlikPlan(stack) };
    return { first: first as SamplePlans["first"], change: change as SamplePlans["change"], engine: `${engine.name} ${engine.version}` };
  } finally {
    await sandbox.close();
  }
}

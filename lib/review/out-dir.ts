import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { PlanSummary } from "./plan-summary";
import type { QlikPlanRecord } from "./qlik-plan";
import { OUT_DIR } from "../contract";
import { redactedJson } from "../redact";
import { unreadablePlanFileError } from "./errors";

/**
 * The plan directory (`--out-dir`, default {@link OUT_DIR}), one folder per stack:
 *
 * | file | what | secret? |
 * | --- | --- | --- |
 * | `tfplan` | the engine's saved plan; `apply` applies exactly this, then deletes it | **yes**: sensitive values in clear text |
 * | `plan-summary.json` | {@link PlanSummary}: changed resources and attributes, sensitive values masked | no |
 * | `qlik-plan.json` | {@link QlikPlanRecord}: the Qlik `idp plan --json` report, or why there is none | no |
 * | `plan-meta.json` | {@link PlanMeta}: fingerprints of the synthesized stack and config, engine, outcome | no |
 *
 * The raw `show -json` of the plan is never written. Folders are 0700 and files 0600 all the same.
 */
export const PLAN_FILE = "tfplan";
export const SUMMARY_FILE = "plan-summary.json";
export const QLIK_FILE = "qlik-plan.json";
export const META_FILE = "plan-meta.json";

export interface PlanMeta {
  readonly formatVersion: 1;
  readonly stack: string;
  /** ISO time the plan was made. */
  readonly createdAt: string;
  /** The config file, as given (relative to the working directory when it was inside it). */
  readonly configFile: string;
  /** SHA-256 of the config file's bytes (informational: another stack's edit changes it too). */
  readonly configSha256: string;
  /** SHA-256 of the synthesized `cdk.tf.json`: `apply` refuses the plan when the current config gives another. */
  readonly stackJsonSha256: string;
  readonly engine: { readonly name: string; readonly version: string };
  /** A `plan -destroy`. */
  readonly destroy: boolean;
  /** The saved plan, relative to this folder; absent when planning failed. */
  readonly planFile?: string;
  /** What is left to do: the Okta/Terraform plan has changes; the Qlik plan has changes. */
  readonly changes?: { readonly okta: boolean; readonly qlik: boolean };
  /** Why planning failed (one line). */
  readonly error?: string;
  /** Set by `apply` once the plan is applied (the plan file is gone then). */
  readonly appliedAt?: string;
}

export function stackPlanDir(outDir: string, stack: string): string {
  return path.join(outDir, stack);
}

export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Writes JSON readable by the owner only, with every known secret redacted from its values first. */
export function writeJson(file: string, value: unknown, secrets: readonly string[] = []): void {
  writeFileSync(file, `${redactedJson(value, secrets)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function readJson<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch (e) {
    throw unreadablePlanFileError(file, e instanceof SyntaxError ? "not valid JSON" : ((e as NodeJS.ErrnoException).code ?? "error"));
  }
}

export interface StoredReview {
  readonly stack: string;
  readonly dir: string;
  readonly meta: PlanMeta;
  readonly plan?: PlanSummary;
  readonly qlik?: QlikPlanRecord;
}

export function readStoredReview(dir: string): StoredReview | undefined {
  const meta = readJson<PlanMeta>(path.join(dir, META_FILE));
  if (!meta) return undefined;
  const plan = readJson<PlanSummary>(path.join(dir, SUMMARY_FILE));
  const qlik = readJson<QlikPlanRecord>(path.join(dir, QLIK_FILE));
  return { stack: meta.stack, dir, meta, ...(plan ? { plan } : {}), ...(qlik ? { qlik } : {}) };
}

/** Every stack folder with a plan-meta.json, by stack name. */
export function readStoredReviews(outDir: string): StoredReview[] {
  if (!existsSync(outDir)) return [];
  return readdirSync(outDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => readStoredReview(path.join(outDir, e.name)))
    .filter((r): r is StoredReview => r !== undefined)
    .sort((a, b) => a.stack.localeCompare(b.stack));
}

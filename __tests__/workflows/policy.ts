/**
 * The rules our GitHub Actions workflows must keep, as pure functions over the parsed YAML (one rule, one function;
 * each returns the problems it finds). actionlint checks that a workflow is valid; these check that it is safe the
 * way docs/workflows.md promises: secrets only from the secret store and only in `env`, least privilege, no plan
 * files leaving the runner, no secrets near fork code.
 */
import * as path from "node:path";
import { readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../lib/paths";

/** The hidden marker `qlik-okta report` puts in the review comment, by which the workflow finds it to update it. */
export { REVIEW_MARKER } from "../../lib/review/render";

export type Mapping = Record<string, unknown>;

export interface Workflow {
  readonly file: string;
  readonly text: string;
  readonly doc: Mapping;
}

export const WORKFLOW_DIR = path.join(PROJECT_ROOT, ".github", "workflows");

export function readWorkflows(dir = WORKFLOW_DIR): Workflow[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => parseWorkflow(readFileSync(path.join(dir, f), "utf8"), f));
}

export function parseWorkflow(text: string, file = "workflow.yml"): Workflow {
  return { file, text, doc: parse(text) as Mapping };
}

const isMapping = (v: unknown): v is Mapping => !!v && typeof v === "object" && !Array.isArray(v);

export function jobs(wf: Workflow): [string, Mapping][] {
  return Object.entries(isMapping(wf.doc.jobs) ? wf.doc.jobs : {}).filter((e): e is [string, Mapping] => isMapping(e[1]));
}

export function steps(job: Mapping): Mapping[] {
  return (Array.isArray(job.steps) ? job.steps : []).filter(isMapping);
}

/** The event names of `on:` (a string, a list, or a mapping). */
export function triggers(wf: Workflow): string[] {
  const on = wf.doc.on;
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.map(String);
  return isMapping(on) ? Object.keys(on) : [];
}

/** `pull_request_target` and `workflow_run` run with this repository's secrets on code from a fork. */
export function checkNoPrivilegedForkTriggers(wf: Workflow): string[] {
  return triggers(wf)
    .filter((t) => t === "pull_request_target" || t === "workflow_run")
    .map((t) => `${wf.file}: on.${t} runs with this repository's secrets on code a fork controls; use pull_request`);
}

/**
 * Least privilege: top-level `permissions` is set and grants nothing beyond read; write scopes appear only on the
 * job that needs them.
 */
export function checkPermissions(wf: Workflow): string[] {
  const problems: string[] = [];
  const top = wf.doc.permissions;
  if (top === undefined) problems.push(`${wf.file}: no top-level permissions; set "permissions: contents: read" (the default token can write)`);
  else if (typeof top === "string") problems.push(`${wf.file}: permissions: ${top}; list scopes, e.g. contents: read`);
  else if (isMapping(top)) {
    for (const [scope, level] of Object.entries(top)) {
      if (level === "write") problems.push(`${wf.file}: permissions.${scope}: write at the top level; grant it on the job that needs it`);
    }
  }
  for (const [name, job] of jobs(wf)) {
    if (typeof job.permissions === "string") problems.push(`${wf.file}: jobs.${name}.permissions: ${job.permissions}; list scopes`);
  }
  return problems;
}

const SECRET_IN_ENV = /^\$\{\{\s*secrets\.[A-Za-z_][A-Za-z0-9_]*\s*\}\}$/;

/**
 * Secrets only as `${{ secrets.NAME }}`, only as the whole value of an `env:` entry: never interpolated into a
 * script (where they end up in a shell command line), never passed to an action's inputs, never `secrets: inherit`.
 */
export function checkSecretsOnlyInEnv(wf: Workflow): string[] {
  const problems: string[] = [];
  const walk = (value: unknown, at: string[]): void => {
    if (typeof value === "string") {
      if (!/secrets\s*[.[]/.test(value)) return;
      const inEnv = at.length >= 2 && at[at.length - 2] === "env";
      if (!inEnv || !SECRET_IN_ENV.test(value.trim())) {
        problems.push(`${wf.file}: ${at.join(".")} uses a secret outside an env entry of the form \${{ secrets.NAME }}`);
      }
      return;
    }
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...at, String(i)]));
    else if (isMapping(value)) {
      for (const [k, v] of Object.entries(value)) {
        if (k === "secrets" && v === "inherit") problems.push(`${wf.file}: ${[...at, k].join(".")}: inherit passes every secret on`);
        else walk(v, [...at, k]);
      }
    }
  };
  walk(wf.doc, []);
  return problems;
}

/** What may never leave the runner: saved plans (secrets in clear), state, the synthesized stacks' working dirs. */
const SECRET_PATHS = /tfplan|\.qlik-okta|cdktf\.out|\.tfstate|plan-summary|qlik-plan/;

/** No plan or state file is uploaded as an artifact or stored in a cache. */
export function checkNoPlanUploads(wf: Workflow): string[] {
  const problems: string[] = [];
  for (const [name, job] of jobs(wf)) {
    steps(job).forEach((step, i) => {
      const uses = typeof step.uses === "string" ? step.uses : "";
      if (!/^actions\/(upload-artifact|cache)(\/save)?@/.test(uses)) return;
      const with_ = isMapping(step.with) ? step.with : {};
      const paths = String(with_.path ?? "");
      const offending = paths.split("\n").map((p) => p.trim()).filter((p) => p && SECRET_PATHS.test(p));
      if (offending.length > 0) {
        problems.push(`${wf.file}: jobs.${name}.steps[${i}] (${uses}) stores ${offending.join(", ")}: plan and state files hold secrets in clear`);
      }
    });
  }
  return problems;
}

/** Every action pinned to a major version tag at least (`@v7`, `@v2.0.1`) or to a full commit SHA; never a branch. */
export function checkActionsPinned(wf: Workflow): string[] {
  const problems: string[] = [];
  for (const [name, job] of jobs(wf)) {
    steps(job).forEach((step, i) => {
      if (typeof step.uses !== "string" || step.uses.startsWith("./") || step.uses.startsWith("docker://")) return;
      const ref = step.uses.split("@")[1];
      if (!ref || !/^(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(ref)) {
        problems.push(`${wf.file}: jobs.${name}.steps[${i}] uses ${step.uses}; pin a major version (@v4) or a commit SHA`);
      }
    });
  }
  return problems;
}

/** A job of a pull_request workflow that sees secrets runs only for pull requests from this repository. */
export function checkForkSafety(wf: Workflow): string[] {
  if (!triggers(wf).includes("pull_request")) return [];
  const problems: string[] = [];
  for (const [name, job] of jobs(wf)) {
    if (!/secrets\s*\./.test(JSON.stringify(job))) continue;
    const condition = String(job.if ?? "").replace(/\s+/g, " ");
    if (!condition.includes("github.event.pull_request.head.repo.full_name == github.repository")) {
      problems.push(
        `${wf.file}: jobs.${name} uses secrets on pull requests but does not skip forks; add if: github.event.pull_request.head.repo.full_name == github.repository`,
      );
    }
  }
  return problems;
}

/** Checkouts keep no token in .git/config, where later steps (npm ci, the engine, providers) could read it. */
export function checkCheckoutCredentials(wf: Workflow): string[] {
  const problems: string[] = [];
  for (const [name, job] of jobs(wf)) {
    steps(job).forEach((step, i) => {
      if (typeof step.uses !== "string" || !step.uses.startsWith("actions/checkout@")) return;
      const with_ = isMapping(step.with) ? step.with : {};
      if (with_["persist-credentials"] !== false) {
        problems.push(`${wf.file}: jobs.${name}.steps[${i}] (actions/checkout) keeps the token in .git/config; set persist-credentials: false`);
      }
    });
  }
  return problems;
}

/** Every rule at once, for the "all workflows are clean" test. */
export const RULES = [
  checkNoPrivilegedForkTriggers,
  checkPermissions,
  checkSecretsOnlyInEnv,
  checkNoPlanUploads,
  checkActionsPinned,
  checkForkSafety,
  checkCheckoutCredentials,
] as const;

export function policyProblems(wf: Workflow): string[] {
  return RULES.flatMap((rule) => rule(wf));
}

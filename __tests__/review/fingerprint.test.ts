/**
 * The review fingerprint apply.yml compares between the approved preview and the apply job's own plan, and the
 * `qlik-okta report` options around it (--fingerprint, --max-chars, --full-review-in-job-summary). Hand-made
 * inputs here; render.test.ts checks the fingerprint on plans the real engine made.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { runReport } from "../../lib/cli/report";
import { commentMetaFromEnv, reportFingerprint } from "../../lib/review/report";
import { reviewFingerprint } from "../../lib/review/fingerprint";
import { canonicalJson } from "../../lib/json";
import { META_FILE, PlanMeta, QLIK_FILE, SUMMARY_FILE, writeJson } from "../../lib/review/out-dir";
import type { PlanSummary, ResourceChangeSummary } from "../../lib/review/plan-summary";
import type { IdpReport } from "../../lib/qlik/reconcile";
import type { QlikPlanRecord } from "../../lib/review/qlik-plan";
import { MAX_COMMENT_CHARS, StackReview } from "../../lib/review/render";
import { ensureBuilt, qlikOkta } from "../e2e/helpers";
import { removeTempDirs, tempDir } from "../tmp";

afterAll(removeTempDirs); // every tempDir() of this file

const APP = "okta_app_oauth.QlikOidcApp_DCEADC5B";

const labelChange = (after: string): ResourceChangeSummary => ({
  address: APP,
  type: "okta_app_oauth",
  mode: "managed",
  action: "update",
  actions: ["update"],
  attributes: [{ path: "label", before: { value: "Qlik Cloud" }, after: { value: after } }],
});

const planSummary = (changes: ResourceChangeSummary[], extra: Partial<PlanSummary> = {}): PlanSummary => ({
  formatVersion: 1,
  engineVersion: "1.12.6",
  destroy: false,
  errored: false,
  totals: { import: 0, add: 0, change: changes.length, destroy: 0 },
  changes,
  unchanged: 5,
  outputs: [],
  drift: [],
  ...extra,
});

const qlikReport = (actions: IdpReport["actions"], extra: Record<string, unknown> = {}): QlikPlanRecord => ({
  status: "planned",
  report: {
    ok: true,
    command: "plan",
    stack: "prod",
    tenantHostname: "acme.eu.qlikcloud.com",
    idpId: "98f754378f5e6052918ea413",
    changed: (actions ?? []).some((a) => a.kind !== "none"),
    actions,
    changes: [],
    nextSteps: [],
    ...extra,
  } as IdpReport,
});

const NO_QLIK_ACTION: IdpReport["actions"] = [{ kind: "none", summary: "Identity provider is up to date", status: "planned" }];

const stack = (over: Partial<StackReview> = {}): StackReview => ({
  name: "prod",
  plan: planSummary([labelChange("Qlik Cloud (EU)")]),
  qlik: qlikReport(NO_QLIK_ACTION),
  warnings: [],
  ...over,
});

const HEX64 = /^[0-9a-f]{64}$/;

describe("reviewFingerprint", () => {
  it("is a SHA-256, the same for the same review, whatever the key order of the JSON it was read from", () => {
    const a = reviewFingerprint([stack()]);
    expect(a).toMatch(HEX64);
    expect(reviewFingerprint([stack()])).toBe(a);
    // the same content with every object's keys reversed (another JSON writer, another engine version's key order)
    const reversed = JSON.parse(JSON.stringify(stack()), (_k, v: unknown) =>
      v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as object).reverse()) : v,
    ) as StackReview;
    expect(JSON.stringify(reversed)).not.toBe(JSON.stringify(stack()));
    expect(reviewFingerprint([reversed])).toBe(a);
  });

  it("does not depend on the order the stacks were read in", () => {
    const dev = stack({ name: "dev" });
    expect(reviewFingerprint([dev, stack()])).toBe(reviewFingerprint([stack(), dev]));
  });

  it("changes when an attribute's planned value changes", () => {
    expect(reviewFingerprint([stack({ plan: planSummary([labelChange("Qlik Cloud (US)")]) })])).not.toBe(reviewFingerprint([stack()]));
  });

  it("changes when the plan gains a resource change, even one the comment would fold or cut", () => {
    const more = planSummary([labelChange("Qlik Cloud (EU)"), { ...labelChange("x".repeat(500)), address: "okta_group.Admins" }]);
    expect(reviewFingerprint([stack({ plan: more })])).not.toBe(reviewFingerprint([stack()]));
    // a difference past the 160 characters a table cell shows
    const long = (tail: string) => stack({ plan: planSummary([labelChange(`${"x".repeat(300)}${tail}`)]) });
    expect(reviewFingerprint([long("a")])).not.toBe(reviewFingerprint([long("b")]));
  });

  it("changes when the Qlik plan gains an action or a field change", () => {
    const base = reviewFingerprint([stack()]);
    const activate = qlikReport([{ kind: "activate", summary: "Activate identity provider 98f7…", status: "planned" }]);
    expect(reviewFingerprint([stack({ qlik: activate })])).not.toBe(base);
    const field = qlikReport(NO_QLIK_ACTION, { changes: [{ path: "description", before: "Okta", after: "Okta (EU)" }] });
    expect(reviewFingerprint([stack({ qlik: field })])).not.toBe(base);
  });

  it("changes when a stack failed, or a stack is added or removed", () => {
    const base = reviewFingerprint([stack()]);
    expect(reviewFingerprint([{ name: "prod", error: "init failed" }])).not.toBe(base);
    expect(reviewFingerprint([stack(), stack({ name: "dev" })])).not.toBe(base);
    expect(reviewFingerprint([])).not.toBe(base);
  });

  it("leaves out what varies between two plans of the same state: the engine version and the Qlik request count", () => {
    const base = reviewFingerprint([stack({ qlik: qlikReport(NO_QLIK_ACTION, { requests: { total: 3, writes: 0 } }) })]);
    const retried = stack({
      plan: planSummary([labelChange("Qlik Cloud (EU)")], { engineVersion: "1.12.7" }),
      qlik: qlikReport(NO_QLIK_ACTION, { requests: { total: 9, writes: 0 } }),
    });
    expect(reviewFingerprint([retried])).toBe(base);
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every level and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined, b: null } })).toBe('{"a":{"b":null,"d":[2,1]},"b":1}');
  });
});

// ------------------------------------------------------------------ qlik-okta report --------------------------------

/** An out dir as `qlik-okta plan` leaves it, for one stack. */
function outDir(review: StackReview, meta: Partial<PlanMeta> = {}): string {
  const dir = tempDir("qlik-okta-fp-");
  const stackDir = path.join(dir, review.name);
  mkdirSync(stackDir);
  writeJson(path.join(stackDir, META_FILE), {
    formatVersion: 1,
    stack: review.name,
    createdAt: "2025-06-01T10:00:00.000Z",
    configFile: "qlik-okta.yaml",
    configSha256: "c".repeat(64),
    stackJsonSha256: "s".repeat(64),
    engine: { name: "tofu", version: "1.12.6" },
    destroy: false,
    planFile: "tfplan",
    changes: { okta: true, qlik: false },
    ...meta,
  } satisfies PlanMeta);
  if (review.plan) writeJson(path.join(stackDir, SUMMARY_FILE), review.plan);
  if (review.qlik) writeJson(path.join(stackDir, QLIK_FILE), review.qlik);
  return dir;
}

function report(options: Parameters<typeof runReport>[0], env: NodeJS.ProcessEnv = {}): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runReport(options, { out: (l) => out.push(l), err: (l) => err.push(l) }, env);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("qlik-okta report --fingerprint", () => {
  const ciEnv = (sha: string, run: string) => ({ GITHUB_SHA: sha, GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/iac", GITHUB_RUN_ID: run });

  it("prints only the fingerprint, the same for two plans of the same state made at other times, commits and runs", () => {
    // GIVEN the preview's plan and the apply job's plan of the same state: other time, engine build, CI run
    const preview = outDir(stack(), { createdAt: "2025-06-01T10:00:00.000Z" });
    const apply = outDir(stack(), { createdAt: "2025-06-01T10:42:00.000Z", engine: { name: "tofu", version: "1.12.7" } });
    // their comments differ (footer), so the test below can tell
    const c1 = report({ outDir: preview }, ciEnv("a".repeat(40), "1")).out;
    const c2 = report({ outDir: apply }, ciEnv("b".repeat(40), "2")).out;
    expect(c1).not.toBe(c2);
    // WHEN
    const f1 = report({ outDir: preview, fingerprint: true }, ciEnv("a".repeat(40), "1"));
    const f2 = report({ outDir: apply, fingerprint: true }, ciEnv("b".repeat(40), "2"));
    // THEN
    expect(f1).toMatchObject({ code: 0, err: "" });
    expect(f1.out).toMatch(HEX64);
    expect(f2.out).toBe(f1.out);
    expect(reportFingerprint(preview)).toBe(f1.out);
    expect(f1.out).toBe(reviewFingerprint([stack()]));
  });

  it("differs when the apply job's plan changes something the preview did not show", () => {
    const preview = outDir(stack());
    const apply = outDir(stack({ qlik: qlikReport([{ kind: "delete", summary: "Delete identity provider 98f7…", status: "planned" }]) }));
    expect(report({ outDir: apply, fingerprint: true }).out).not.toBe(report({ outDir: preview, fingerprint: true }).out);
  });

  it("fails like the comment when there is no plan", () => {
    const empty = tempDir("qlik-okta-fp-");
    expect(report({ outDir: empty, fingerprint: true })).toMatchObject({ code: 1, out: "", err: expect.stringContaining("no plans in") });
  });
});

describe("the commit the comment names", () => {
  const MERGE = "a".repeat(40);
  const HEAD = "c0ffee0123456789abcdef0123456789abcdef01";
  const event = (payload: unknown): string => {
    const file = path.join(tempDir("qlik-okta-event-"), "event.json");
    writeFileSync(file, JSON.stringify(payload));
    return file;
  };

  it("is a pull request's head from the event payload, not GITHUB_SHA (GitHub's temporary merge commit)", () => {
    const pr = event({ action: "synchronize", pull_request: { number: 7, head: { sha: HEAD, ref: "feature" }, base: { sha: "b".repeat(40) } } });
    expect(commentMetaFromEnv({ GITHUB_SHA: MERGE, GITHUB_EVENT_PATH: pr })).toEqual({ commit: HEAD });
    const { out } = report({ outDir: outDir(stack()) }, { GITHUB_SHA: MERGE, GITHUB_EVENT_PATH: pr });
    expect(out).toContain("<sub>commit `c0ffee012345` · ");
    // --commit still wins
    expect(report({ outDir: outDir(stack()), commit: "0123456789abcdef" }, { GITHUB_SHA: MERGE, GITHUB_EVENT_PATH: pr }).out).toContain("<sub>commit `0123456789ab` · ");
  });

  it("is GITHUB_SHA for other events, and when the payload is missing or unreadable", () => {
    expect(commentMetaFromEnv({ GITHUB_SHA: MERGE, GITHUB_EVENT_PATH: event({ ref: "refs/heads/main", after: HEAD }) })).toEqual({ commit: MERGE });
    expect(commentMetaFromEnv({ GITHUB_SHA: MERGE, GITHUB_EVENT_PATH: path.join(tempDir("qlik-okta-event-"), "missing.json") })).toEqual({ commit: MERGE });
    const broken = path.join(tempDir("qlik-okta-event-"), "event.json");
    writeFileSync(broken, "{ not json");
    expect(commentMetaFromEnv({ GITHUB_SHA: MERGE, GITHUB_EVENT_PATH: broken })).toEqual({ commit: MERGE });
    expect(commentMetaFromEnv({ GITHUB_SHA: MERGE, GITHUB_EVENT_PATH: event({ pull_request: { head: { sha: "not a sha" } } }) })).toEqual({ commit: MERGE });
    expect(commentMetaFromEnv({})).toEqual({});
  });
});

describe("qlik-okta report --max-chars", () => {
  // Long enough to be cut at GitHub's limit: 400 resources with a long label each.
  const big = stack({
    plan: planSummary(Array.from({ length: 400 }, (_, i) => ({ ...labelChange(`Qlik Cloud ${"y".repeat(150)}`), address: `okta_group.G${i}` }))),
  });
  const env = { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/iac", GITHUB_RUN_ID: "42" };

  it("cuts at the default limit and says where the rest is without promising artifacts or a CI log", () => {
    const { code, out } = report({ outDir: outDir(big) }, env);
    expect(code).toBe(0);
    expect(out.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(out).toContain("⚠️ **Truncated** to stay under GitHub's comment size limit: `qlik-okta report --max-chars 0` renders the full review");
    expect(out).not.toMatch(/artifact|CI log|job summary/);
  });

  it("points at the run's job summary only when told the uncut review is there", () => {
    const { out } = report({ outDir: outDir(big), fullReviewInJobSummary: true }, env);
    expect(out).toContain("the full review is in [this run's job summary](https://github.com/acme/iac/actions/runs/42).");
  });

  it("0 means no limit: every resource, no truncation note", () => {
    const { code, out } = report({ outDir: outDir(big), maxChars: 0 }, env);
    expect(code).toBe(0);
    expect(out.length).toBeGreaterThan(MAX_COMMENT_CHARS);
    expect(out).not.toContain("Truncated");
    expect(out).toContain("`okta_group.G399`");
  });

  it("honours a smaller limit and refuses a negative or fractional one", () => {
    expect(report({ outDir: outDir(big), maxChars: 5_000 }).out.length).toBeLessThanOrEqual(5_000);
    expect(report({ outDir: outDir(big), maxChars: -1 })).toMatchObject({ code: 1, err: expect.stringContaining("--max-chars must be a whole number") });
    expect(report({ outDir: outDir(big), maxChars: 1.5 })).toMatchObject({ code: 1 });
  });
});

describe("the report command line (the built CLI)", () => {
  it("wires --fingerprint and --max-chars, and refuses a --max-chars that is not a whole number", () => {
    ensureBuilt();
    const dir = outDir(stack());
    const fp = qlikOkta(["report", "--out-dir", dir, "--fingerprint"], dir);
    expect(fp).toMatchObject({ status: 0, stdout: `${reviewFingerprint([stack()])}\n`, stderr: "" });
    const full = qlikOkta(["report", "--out-dir", dir, "--max-chars", "0"], dir);
    expect(full.status).toBe(0);
    expect(full.stdout).toContain("**prod** — Okta: 0 to add, 1 to change");
    const bad = qlikOkta(["report", "--out-dir", dir, "--max-chars", "lots"], dir);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("option '--max-chars <n>' argument 'lots' is invalid");
  });
});

/**
 * The review comment, rendered from plans the real engine made against the emulators (real-plans.ts) and Qlik
 * reports from the real `idp plan --json`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { engineLikelyAvailable } from "../e2e/helpers";
import { reviewFingerprint } from "../../lib/review/fingerprint";
import { summarizePlan } from "../../lib/review/plan-summary";
import { inlineCode, MAX_COMMENT_CHARS, renderComment, REVIEW_MARKER, StackReview } from "../../lib/review/render";
import { REDACTED as SCRUBBED } from "../../lib/redact";
import { reviewWarnings } from "../../lib/review/warnings";
import { APP, makeRealPlans, OKTA_TOKEN, QLIK_KEY, RealPlans, Scenario } from "./real-plans";
import { removeTempDirs } from "../tmp";

afterAll(removeTempDirs); // every tempDir()/workspace() of this file

const suite = engineLikelyAvailable() ? describe : describe.skip;
jest.setTimeout(120_000);

suite("the review comment, from real plans", () => {
  let real: RealPlans;
  const stack = (s: Scenario, name = "prod"): StackReview => {
    const plan = summarizePlan(real.plans[s].raw, s === "destroy" ? { destroy: true } : {});
    const qlik = real.plans[s].qlik;
    return { name, plan, qlik, warnings: reviewWarnings({ plan, qlik }) };
  };
  const comment = (s: Scenario, secrets: string[] = []): string => renderComment({ stacks: [stack(s)], meta: { engine: "tofu" }, secrets });
  const lines = (md: string) => md.split("\n");

  beforeAll(async () => {
    real = await makeRealPlans();
    // QLIK_OKTA_REVIEW_DUMP=<dir> keeps the rendered comments for a look (the README sample comment was made this way).
    const dump = process.env.QLIK_OKTA_REVIEW_DUMP;
    if (dump) {
      mkdirSync(dump, { recursive: true });
      for (const s of Object.keys(real.plans) as Scenario[]) writeFileSync(path.join(dump, `${s}.md`), comment(s, [OKTA_TOKEN, QLIK_KEY]));
    }
  });
  afterAll(async () => {
    await real?.close();
  });

  it("starts with the hidden marker CI finds its comment by", () => {
    for (const s of Object.keys(real.plans) as Scenario[]) expect(lines(comment(s))[0]).toBe(REVIEW_MARKER);
  });

  it("says in one line per stack what happens in Okta and in Qlik", () => {
    const verdict = (s: Scenario) => lines(comment(s)).find((l) => l.startsWith("**prod**"))?.trim();
    expect(verdict("create")).toBe("**prod** — Okta: 6 to add, 0 to change, 0 to destroy · Qlik IdP: create (after the Okta app exists)");
    expect(verdict("noop")).toBe("**prod** — Okta: no changes · Qlik IdP: none");
    expect(verdict("update")).toBe("**prod** — Okta: 0 to add, 1 to change, 0 to destroy · Qlik IdP: none");
    expect(verdict("replace")).toBe("**prod** — Okta: 2 to add, 0 to change, 2 to destroy · Qlik IdP: update (new client id and secret)");
    expect(verdict("activation")).toBe("**prod** — Okta: no changes · Qlik IdP: promote, blocked by the lockout guard");
    expect(verdict("destroy")).toBe("**prod** (destroy plan) — Okta: 0 to add, 0 to change, 6 to destroy · Qlik IdP: retain (onDestroy: retain)");
  });

  it("lists every stack's verdict at the top", () => {
    const md = renderComment({ stacks: [stack("create", "dev"), stack("update", "prod")] });
    const top = lines(md).slice(0, 6).join("\n");
    expect(top).toContain("**dev** — Okta: 6 to add");
    expect(top).toContain("**prod** — Okta: 0 to add, 1 to change");
    expect(md.indexOf("#### dev")).toBeLessThan(md.indexOf("#### prod"));
  });

  it("shows a changed attribute as a before/after row", () => {
    const md = comment("update");
    expect(md).toContain(`**~ update** ${inlineCode(APP)}`);
    expect(md).toContain('| `label` | `"Qlik Cloud"` | `"Qlik Cloud (EU)"` |');
  });

  it("shows the Qlik step's settings at field level and what forces a replacement", () => {
    const md = comment("activation");
    expect(md).toContain("| `input.identityProvider.activate` *(forces replacement)* | `false` | `true` |");
    // the retirement resource carries the same input: referenced, not repeated
    expect(md).toContain("*Same `input` changes as `terraform_data.QlikIdentityProvider_2E5F14B3`.*");
    expect(md).not.toContain("triggers_replace.request");
  });

  it("shows the Qlik field diff and the admin's next steps", () => {
    const md = comment("leak", [OKTA_TOKEN, QLIK_KEY]);
    expect(md).toMatch(/\| `description` \| `"Okta \[[^\]]+\]"` \| `"Okta \(redacted\) \[[^\]]+\]"` \|/);
    expect(md).toContain("**After the apply**");
  });

  it("masks sensitive values and says what is unknown until apply", () => {
    const md = comment("replace");
    expect(md).toContain("| `client_secret` | *(sensitive)* | *(known after apply)* |");
    expect(md).toContain("| `client_id` | `\"");
    expect(md).toContain("replacement requested (`-replace`)");
  });

  it("warns about what matters to reviewers", () => {
    expect(comment("update")).not.toContain("⚠️");
    expect(comment("replace")).toContain("⚠️ **Okta app replaced** — `okta_app_oauth.QlikOidcApp_DCEADC5B` is deleted and created again: new client id and secret.");
    expect(comment("activation")).toContain("⚠️ **Qlik IdP activation** — The Okta IdP becomes the tenant's sign-in: login changes for every user of acme.eu.qlikcloud.com.");
    expect(comment("activation")).toContain(
      "⚠️ **Blocked by the lockout guard** — not activating the Okta IdP because entra (\"Corporate Entra ID\") is the tenant's active interactive IdP",
    );
    expect(comment("guardOff")).toContain("⚠️ **Lockout guard off** — `allowActiveIdpChange: true`");
    expect(comment("guardOff")).toContain("⚠️ **onDestroy: delete**");
    expect(comment("destroy")).toContain("⚠️ **Destroy plan** — This plan was made with `-destroy`");
    expect(comment("destroy")).toContain("⚠️ **Okta: 6 to delete**");
  });

  it("gives two plans of the same state one fingerprint, and plans with other changes other ones", () => {
    const fingerprint = (s: Scenario) => reviewFingerprint([stack(s)]);
    // two separate runs of the engine and of the Qlik plan, on the same state and configuration
    expect(fingerprint("updateAgain")).toBe(fingerprint("update"));
    const all = (Object.keys(real.plans) as Scenario[]).filter((s) => s !== "updateAgain").map(fingerprint);
    expect(new Set(all).size).toBe(all.length);
  });

  it("folds long sections and leaves short ones open", () => {
    expect(comment("create")).toContain("<details><summary>Resources: 8 changes (engine plan: 8 to add, 0 to change, 0 to destroy)</summary>");
    expect(comment("update")).toContain("<details open><summary>Resources: 1 change (engine plan: 0 to add, 1 to change, 0 to destroy)</summary>");
    for (const s of Object.keys(real.plans) as Scenario[]) {
      const md = comment(s);
      expect(md.split("<details").length).toBe(md.split("</details>").length);
    }
  });

  it("stays under GitHub's comment limit, keeps every verdict and says it truncated", () => {
    // GIVEN 150 stacks, each a full first apply (~7 kB each untruncated)
    const stacks = Array.from({ length: 150 }, (_, i) => stack("create", `stack-${String(i).padStart(3, "0")}`));
    // WHEN
    const md = renderComment({ stacks });
    // THEN
    expect(md.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(md.length).toBeGreaterThan(MAX_COMMENT_CHARS - 8_000);
    expect(lines(md)[0]).toBe(REVIEW_MARKER);
    for (const s of stacks) expect(md).toContain(`**${s.name}** — Okta: 6 to add`);
    expect(md).toContain("⚠️ **Truncated**");
    expect(md.split("<details").length).toBe(md.split("</details>").length);
    // AND a small comment is left alone
    expect(comment("update")).not.toContain("Truncated");
  });

  it("truncates inside a section item by item when the limit is small", () => {
    const md = renderComment({ stacks: [stack("create")], maxChars: 4_000 });
    expect(md.length).toBeLessThanOrEqual(4_000);
    expect(md).toMatch(/\*… \d+ more not shown \(comment size limit\)/);
    expect(md).toContain(`**+ create** ${inlineCode("okta_app_group_assignment.QlikOidcApp_EveryoneAssignment_2B03A917")}`);
  });

  describe("secrets", () => {
    it("never shows the Okta client secret, though every raw plan after the first apply holds it", () => {
      for (const s of ["noop", "replace", "update", "activation", "guardOff", "destroy"] as Scenario[]) {
        expect(JSON.stringify(real.plans[s].raw)).toContain(real.clientSecret);
        // masking alone keeps it out: no secret list given
        expect(comment(s)).not.toContain(real.clientSecret);
      }
    });

    it("scrubs the Okta token and Qlik key canaries pasted into non-sensitive fields", () => {
      // GIVEN a plan whose label and IdP description carry the credentials in clear text
      const raw = JSON.stringify(real.plans.leak.raw);
      expect(raw).toContain(QLIK_KEY);
      expect(raw).toContain(OKTA_TOKEN);
      // WHEN rendered without the secret list, the defence is visibly needed
      expect(comment("leak")).toContain(QLIK_KEY);
      // THEN with the caller's secret list, neither appears anywhere
      const md = comment("leak", [OKTA_TOKEN, QLIK_KEY, real.clientSecret]);
      expect(md).not.toContain(QLIK_KEY);
      expect(md).not.toContain(OKTA_TOKEN);
      expect(md).not.toContain(real.clientSecret);
      expect(md).toContain(`\`"Qlik Cloud ${SCRUBBED}"\``);
    });

    it("scrubs secrets before truncating, so no cut leaves part of one behind", () => {
      const stacks = Array.from({ length: 40 }, (_, i) => stack("leak", `s${i}`));
      const md = renderComment({ stacks, secrets: [OKTA_TOKEN, QLIK_KEY], maxChars: 20_000 });
      expect(md.length).toBeLessThanOrEqual(20_000);
      expect(md).not.toContain(QLIK_KEY.slice(0, 12));
      expect(md).not.toContain(OKTA_TOKEN.slice(0, 12));
    });
  });
});

describe("inlineCode", () => {
  it("keeps a pipe from splitting a table cell and a backtick from ending the code", () => {
    expect(inlineCode('"Qlik|Admins"')).toBe('`"Qlik\\|Admins"`');
    expect(inlineCode("a`b")).toBe("`` a`b ``");
    expect(inlineCode("line1\nline2")).toBe("`line1⏎line2`");
  });
});

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
import { makeRealPlans, makeSamplePlans, OKTA_TOKEN, QLIK_KEY, RealPlan, RealPlans, SamplePlans, Scenario } from "./real-plans";
import { removeTempDirs } from "../tmp";

afterAll(removeTempDirs); // every tempDir()/workspace() of this file

const suite = engineLikelyAvailable() ? describe : describe.skip;
jest.setTimeout(120_000);

/** The lines of one GitHub alert of the comment ("CAUTION", "WARNING", "IMPORTANT"), without the "> ". */
const alert = (md: string, kind: string): string[] => {
  const all = md.split("\n");
  const at = all.indexOf(`> [!${kind}]`);
  if (at < 0) return [];
  const out: string[] = [];
  for (let i = at + 1; i < all.length && all[i].startsWith(">"); i++) out.push(all[i].replace(/^> ?/, ""));
  return out;
};

/** The change lines of the first stack section (the list right under its heading). */
const changeLines = (md: string): string[] => {
  const all = md.split("\n");
  const out: string[] = [];
  for (let i = all.findIndex((l) => l.startsWith("#### ")) + 2; i > 1 && i < all.length && all[i].startsWith("- "); i++) out.push(all[i]);
  return out;
};

/** The warning of every first plan: the example's authorization-server rule admits every client, scope and user. */
const OPEN_RULE =
  '`okta_auth_server_policy_rule.QlikApiAuthServer_Rule_16B30D0D` ("Client credentials") allows all clients (its policy\'s `client_whitelist` is `ALL_CLIENTS`), ' +
  "all scopes (`*`) and everyone (`EVERYONE`) for `client_credentials`: any app of the Okta org that may use that grant gets an access token for this authorization server. " +
  "Narrow the policy's clients or the rule's scopes if that is not intended.";

/** Markdown table rows as GitHub counts them: lines starting with "|", separator lines left out. */
const tableRows = (md: string): string[] => md.split("\n").filter((l) => l.startsWith("|") && !/^\|(\s*:?-+:?\s*\|)+\s*$/.test(l));


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

  it("puts every stack's warnings and pending steps at the top, then one verdict line per stack", () => {
    const md = renderComment({ stacks: [stack("create", "dev"), stack("update", "prod")] });
    expect(lines(md).slice(0, 13)).toEqual([
      REVIEW_MARKER,
      "### qlik-okta plan",
      "",
      "> [!WARNING]",
      `> - **dev: Authorization server open to all clients** — ${OPEN_RULE}`,
      "",
      "> [!IMPORTANT]",
      "> **After the apply**",
      "> - **dev**: Sign in to https://acme.eu.qlikcloud.com/ as a TenantAdmin → Administration → Identity provider → Okta → Validate (a test login through Okta); then run apply again (or re-run the pipeline) to promote it",
      expect.stringMatching(
        /^> - \*\*prod\*\*: Sign in to https:\/\/acme\.eu\.qlikcloud\.com\/ as a TenantAdmin → Administration → Identity provider → Okta \([0-9a-f]{24}\) → Validate \(a test login through Okta\); then run apply again \(or re-run the pipeline\) to promote it$/,
      ),
      "",
      "**dev** — Okta: 6 to add, 0 to change, 0 to destroy · Qlik IdP: create (after the Okta app exists)  ",
      "**prod** — Okta: 0 to add, 1 to change, 0 to destroy · Qlik IdP: none  ",
    ]);
    expect(md.indexOf("#### dev")).toBeLessThan(md.indexOf("#### prod"));
  });

  it("says in one line per change, in domain words, what happens to each Okta object and to the Qlik IdP", () => {
    expect(changeLines(comment("create"))).toEqual([
      "- **create** Okta app `Qlik Cloud`",
      "- **create** groups claim `groups` of the Okta app: `REGEX` `.*`",
      "- **create** group assignment `Everyone`",
      "- **create** authorization server `QlikAPI`",
      "- **create** authorization server scope `qlik.api`",
      "- **create** authorization server policy `Qlik API access`",
      "- **create** authorization server rule `Client credentials`",
      "- **create** Qlik IdP after the Okta app exists, not activated",
    ]);
    expect(changeLines(comment("update"))).toEqual([
      "- **update** Okta app `Qlik Cloud (EU)`: `label`",
      "- Qlik IdP: no change on the tenant; its test configuration waits for an admin to validate it",
    ]);
    expect(changeLines(comment("replace"))).toEqual([
      "- **replace** Okta app `Qlik Cloud` — replacement requested (`-replace`)",
      "- **replace** group assignment `Everyone` — `app_id` cannot change in place",
      "- **update** Qlik IdP: the new client id and secret of the replaced Okta app",
    ]);
    expect(changeLines(comment("activation"))).toEqual([
      "- **promote** Qlik IdP: its validated test configuration goes live",
      '- **blocked** by the lockout guard: `! activate Okta IdP: blocked, entra ("Corporate Entra ID") is the tenant\'s active sign-in`',
    ]);
    expect(changeLines(comment("leak", [OKTA_TOKEN, QLIK_KEY]))).toEqual(["- **update** Okta app `Qlik Cloud (redacted)`: `label`", "- **update** Qlik IdP: `description`"]);
    expect(changeLines(comment("destroy"))).toEqual([
      "- **delete** Okta app `Qlik Cloud`",
      "- **delete** group assignment `Everyone`",
      "- **delete** authorization server `QlikAPI`",
      "- **delete** authorization server scope `qlik.api`",
      "- **delete** authorization server policy `Qlik API access`",
      "- **delete** authorization server rule `Client credentials`",
      "- Qlik IdP stays on the tenant (`onDestroy: retain`)",
    ]);
  });

  it("keeps the Qlik step's terraform_data out of sight: one plumbing note under the Qlik section", () => {
    for (const s of Object.keys(real.plans) as Scenario[]) {
      const md = comment(s);
      const mentions = lines(md).filter((l) => l.includes("terraform_data"));
      expect(mentions.every((l) => l.startsWith("<sub>In the engine plan: "))).toBe(true);
      expect(mentions.length).toBeLessThanOrEqual(1);
      if (mentions.length === 1) expect(md.indexOf(mentions[0])).toBeGreaterThan(md.indexOf("<summary>Qlik IdP: "));
    }
    expect(comment("activation")).toContain(
      "<sub>In the engine plan: `terraform_data.QlikIdentityProvider_2E5F14B3` replaced: that is how the engine re-runs the Qlik step; the identity provider is not deleted; " +
        "`terraform_data.QlikIdentityProvider_Retirement_94BA6208` updated: the stored settings change.</sub>",
    );
    expect(comment("create")).toContain(
      "<sub>In the engine plan: `terraform_data.QlikIdentityProvider_2E5F14B3` and `terraform_data.QlikIdentityProvider_Retirement_94BA6208` created: they run the Qlik step.</sub>",
    );
  });

  it("shows a changed attribute as a before/after row", () => {
    const md = comment("update");
    expect(md).toContain(['**~ update** Okta app `Qlik Cloud (EU)`', "", "| attribute | before | after |", "| --- | --- | --- |", '| `label` | `"Qlik Cloud"` | `"Qlik Cloud (EU)"` |'].join("\n"));
  });

  it("shows a new object's security-relevant settings in one table, the configuration's other values below it, provider defaults folded", () => {
    const md = comment("create");
    expect(md).toContain(
      [
        "**New in Okta: security-relevant settings**",
        "",
        "| object | setting | value |",
        "| --- | --- | --- |",
        '| Okta app `Qlik Cloud` | `redirect_uris` | `["https://acme.eu.qlikcloud.com/login/callback"]` |',
        '|  | `wildcard_redirect` | `"DISABLED"` |',
        '|  | `grant_types` | `["authorization_code"]` |',
        '|  | `token_endpoint_auth_method` | `"client_secret_basic"` |',
        "|  | `pkce_required` | *(known after apply)* |",
        '|  | `consent_method` | `"TRUSTED"` |',
        '|  | `issuer_mode` | `"ORG_URL"` |',
        '|  | `groups_claim` | `filter_type = "REGEX", name = "groups", type = "FILTER", value = ".*"` |',
        '| authorization server `QlikAPI` | `audiences` | `["qlik.api"]` |',
        '| authorization server scope `qlik.api` | `consent` | `"IMPLICIT"` |',
        '| authorization server policy `Qlik API access` | `client_whitelist` | `["ALL_CLIENTS"]` |',
        '| authorization server rule `Client credentials` | `grant_type_whitelist` | `["client_credentials"]` |',
        '|  | `scope_whitelist` | `["*"]` |',
        '|  | `group_whitelist` | `["EVERYONE"]` |',
        "",
        "**Also set by the configuration**",
        '- Okta app `Qlik Cloud`: `hide_ios = true`, `hide_web = true`, `response_types = ["code"]`, `type = "web"`',
      ].join("\n"),
    );
    expect(md).toContain(
      "- Okta app `Qlik Cloud`: `accessibility_self_service = false`, `auto_key_rotation = true`, `auto_submit_toolbar = false`, `login_mode = \"DISABLED\"`, " +
        '`omit_secret = false`, `refresh_token_leeway = 0`, `refresh_token_rotation = "STATIC"`, `status = "ACTIVE"`, `user_name_template = "${source.login}"`, ' +
        '`user_name_template_type = "BUILT_IN"`',
    );
    // outputs on a create: no always-"+ create" column, no always-"(none)" column, unknown values named once
    expect(md).toContain(
      [
        "| new output | value |",
        "| --- | --- |",
        '| `okta_issuer` | `"https://acme.okta.com"` |',
        '| `okta_redirect_uri` | `"https://acme.eu.qlikcloud.com/login/callback"` |',
        '| `qlik_discovery_url` | `"https://acme.okta.com/.well-known/openid-configuration"` |',
        "",
        "*Known after apply:* `auth_server_discovery_url`, `auth_server_id`, `auth_server_issuer`, `okta_app_id`, `okta_client_id`, `okta_client_secret`",
      ].join("\n"),
    );
    expect(md).not.toContain("*(none)*");
    expect(md).not.toContain("+ create |");
  });

  it("shows the Qlik step's settings as the stack's config names them, and the tenant's field diff", () => {
    expect(comment("activation")).toContain(["| stack setting | before | after |", "| --- | --- | --- |", "| `activate` | `false` | `true` |"].join("\n"));
    expect(comment("activation")).not.toContain("triggers_replace");
    expect(comment("guardOff")).toContain(
      ["| stack setting | before | after |", "| --- | --- | --- |", "| `allowActiveIdpChange` | `false` | `true` |", '| `onDestroy` | `"retain"` | `"delete"` |'].join("\n"),
    );
    const md = comment("leak", [OKTA_TOKEN, QLIK_KEY]);
    expect(md).toMatch(/\| tenant field \| before \| after \|\n\| --- \| --- \| --- \|\n\| `description` \| `"Okta \[[^\]]+\]"` \| `"Okta \(redacted\) \[[^\]]+\]"` \|/);
    expect(comment("create")).toContain(
      '**Settings:** `tenantHostname = "acme.eu.qlikcloud.com"`, `verification = "interactive"`, `activate = false`, `allowActiveIdpChange = false`, `onDestroy = "retain"`',
    );
  });

  it("gathers the admin's next steps at the top", () => {
    const md = comment("leak", [OKTA_TOKEN, QLIK_KEY]);
    expect(alert(md, "IMPORTANT")).toEqual([
      "**After the apply**",
      expect.stringMatching(
        /^- \*\*prod\*\*: Sign in to https:\/\/acme\.eu\.qlikcloud\.com\/ as a TenantAdmin → Administration → Identity provider → Okta \(redacted\) \([0-9a-f]{24}\) → Validate \(a test login through Okta\); then run apply again \(or re-run the pipeline\) to promote it$/,
      ),
    ]);
    // said once, at the top: not again in the stack's section
    expect(md.slice(md.indexOf("#### prod"))).not.toContain("Sign in to https://acme.eu.qlikcloud.com/ as a TenantAdmin");
  });

  it("asks nobody to validate anything for a stack whose Qlik verdict is 'none' and which has no next step", () => {
    // GIVEN the label change, with the Qlik report of an IdP nobody needs to validate (no next step, nothing pending)
    const review = stack("update");
    const planned = review.qlik as Extract<StackReview["qlik"], { status: "planned" }>;
    const live: StackReview = { ...review, qlik: { status: "planned", report: { ...planned.report, nextSteps: [], pendingState: undefined } } };
    // WHEN
    const md = renderComment({ stacks: [live] });
    // THEN
    expect(lines(md).find((l) => l.startsWith("**prod**"))).toBe("**prod** — Okta: 0 to add, 1 to change, 0 to destroy · Qlik IdP: none  ");
    expect(md).not.toContain("[!IMPORTANT]");
    expect(md).not.toMatch(/validat/i);
    expect(changeLines(md)).toEqual(["- **update** Okta app `Qlik Cloud (EU)`: `label`"]);
  });

  it("masks sensitive values and says what is unknown until apply", () => {
    const md = comment("replace");
    expect(md).toContain("| `client_secret` | *(sensitive)* | *(known after apply)* |");
    expect(md).toContain("| `client_id` | `\"");
    expect(md).toContain("**-/+ replace** Okta app `Qlik Cloud` — replacement requested (`-replace`)");
  });

  it("warns about what matters to reviewers, at the top, by severity", () => {
    expect(comment("update")).not.toMatch(/\[!(CAUTION|WARNING)\]/);
    expect(alert(comment("create"), "WARNING")).toEqual([`- **prod: Authorization server open to all clients** — ${OPEN_RULE}`]);
    expect(alert(comment("replace"), "CAUTION")).toEqual([
      "- **prod: Okta app replaced** — `okta_app_oauth.QlikOidcApp_DCEADC5B` is deleted and created again: new client id and secret. Qlik's IdP gets the new secret in the same apply; " +
        "users cannot sign in until then, and the interactive verification must be redone (an admin validates a test login again).",
    ]);
    expect(alert(comment("replace"), "WARNING")).toEqual([
      "- **prod: Okta: 1 replaced** — Deleted and created again (ids change; a short gap in between): `okta_app_group_assignment.QlikOidcApp_EveryoneAssignment_2B03A917`.",
    ]);
    expect(alert(comment("activation"), "CAUTION")).toEqual([
      "- **prod: Qlik IdP activation** — The Okta IdP becomes the tenant's sign-in: login changes for every user of acme.eu.qlikcloud.com. " +
        "It is activated by the apply that promotes the validated configuration; if nobody can sign in, an admin recovers at https://acme.eu.qlikcloud.com/login/recover.",
    ]);
    expect(alert(comment("activation"), "WARNING")).toEqual([
      '- **prod: Blocked by the lockout guard** — not activating the Okta IdP because entra ("Corporate Entra ID") is the tenant\'s active interactive IdP and activating ours would replace it; ' +
        "set stacks.prod.identityProvider.allowActiveIdpChange: true to switch (recovery if sign-in breaks: https://acme.eu.qlikcloud.com/login/recover). The apply fails at the Qlik step unless this is resolved.",
    ]);
    expect(alert(comment("guardOff"), "CAUTION")).toEqual([
      "- **prod: Lockout guard off** — `allowActiveIdpChange: true`: this apply may deactivate, replace or delete the tenant's active sign-in without stopping. " +
        "Make sure that is intended, and that an admin can use the recovery URL.",
    ]);
    expect(alert(comment("guardOff"), "WARNING")).toEqual([
      "- **prod: onDestroy: delete** — `onDestroy: delete`: destroying this stack will also delete the Qlik identity provider from the tenant.",
    ]);
    expect(alert(comment("destroy"), "CAUTION")).toEqual([
      "- **prod: Destroy plan** — This plan was made with `-destroy`: every resource of the stack is removed, the Okta app included — nobody can sign in to Qlik through it afterwards.",
      "- **prod: Okta: 6 to delete** — Deleted in Okta, with whatever depends on them: `okta_app_group_assignment.QlikOidcApp_EveryoneAssignment_2B03A917`, " +
        "`okta_app_oauth.QlikOidcApp_DCEADC5B`, `okta_auth_server.QlikApiAuthServer_0F52D116`, `okta_auth_server_policy.QlikApiAuthServer_Policy_958A2F53`, " +
        "`okta_auth_server_policy_rule.QlikApiAuthServer_Rule_16B30D0D`, `okta_auth_server_scope.QlikApiAuthServer_Scope-qlikapi_CE28CE12`.",
    ]);
  });

  it("gives two plans of the same state one fingerprint, and plans with other changes other ones", () => {
    const fingerprint = (s: Scenario) => reviewFingerprint([stack(s)]);
    // two separate runs of the engine and of the Qlik plan, on the same state and configuration
    expect(fingerprint("updateAgain")).toBe(fingerprint("update"));
    const all = (Object.keys(real.plans) as Scenario[]).filter((s) => s !== "updateAgain").map(fingerprint);
    expect(new Set(all).size).toBe(all.length);
  });

  it("folds long sections and provider defaults, and leaves what a reviewer checks open", () => {
    expect(comment("create")).toContain("<details open><summary>Okta details</summary>");
    expect(comment("create")).toContain("<details><summary>18 provider defaults · 24 values known after apply</summary>");
    expect(comment("create")).toContain("<details><summary>Outputs: 9 changes</summary>");
    expect(comment("update")).toContain("<details open><summary>Okta details</summary>");
    expect(comment("destroy")).toContain(["<details><summary>Outputs: 9 changes</summary>", "", "| removed output | last value |"].join("\n"));
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
    // the warning all of them share is said once, for all
    expect(alert(md, "WARNING")).toEqual([`- **${stacks.map((s) => s.name).join(", ")}: Authorization server open to all clients** — ${OPEN_RULE}`]);
    expect(md).toContain("⚠️ **Truncated**");
    expect(md.split("<details").length).toBe(md.split("</details>").length);
    // AND a small comment is left alone
    expect(comment("update")).not.toContain("Truncated");
  });

  it("truncates inside a section item by item when the limit is small", () => {
    const md = renderComment({ stacks: [stack("create")], maxChars: 4_000 });
    expect(md.length).toBeLessThanOrEqual(4_000);
    expect(md).toMatch(/\*… \d+ more not shown \(comment size limit\)/);
    expect(changeLines(md)).toContain("- **create** group assignment `Everyone`");
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

/** The README's sample comment: its footer as a CI run would write it. */
export const SAMPLE_META = { commit: "3f9c2e1a7b44d0c5e6f7a8b9c0d1e2f3a4b5c6d7", runUrl: "https://github.com/acme/qlik-okta-iac/actions/runs/123456789" };

suite("the review comment of two stacks, from real plans", () => {
  let sample: SamplePlans;
  const review = (name: string, p: RealPlan): StackReview => {
    const plan = summarizePlan(p.raw);
    return { name, plan, qlik: p.qlik, warnings: reviewWarnings({ plan, qlik: p.qlik }) };
  };
  const render = (which: "first" | "change"): string =>
    renderComment({
      stacks: [review("dev", sample[which].dev), review("prod", sample[which].prod)],
      meta: { ...SAMPLE_META, engine: sample.engine },
      secrets: [OKTA_TOKEN, QLIK_KEY],
    });

  beforeAll(async () => {
    sample = await makeSamplePlans();
    const dump = process.env.QLIK_OKTA_REVIEW_DUMP;
    if (dump) {
      mkdirSync(dump, { recursive: true });
      writeFileSync(path.join(dump, "first-plan.md"), render("first"));
      writeFileSync(path.join(dump, "sample.md"), render("change"));
    }
  });

  const lines = (md: string) => md.split("\n");

  it("renders the first plan of two stacks in at most 40 table rows", () => {
    // (131 before the review comment showed only what matters: every attribute of every resource, terraform_data included)
    expect(tableRows(render("first")).length).toBeLessThanOrEqual(40);
    expect(alert(render("first"), "WARNING")).toEqual([`- **dev, prod: Authorization server open to all clients** — ${OPEN_RULE}`]);
  });

  it("shows a change that activates the IdP in the first lines: the caution, the steps left, then the verdicts", () => {
    expect(lines(render("change")).slice(0, 13)).toEqual([
      REVIEW_MARKER,
      "### qlik-okta plan",
      "",
      "> [!CAUTION]",
      "> - **prod: Qlik IdP activation** — The Okta IdP becomes the tenant's sign-in: login changes for every user of acme.eu.qlikcloud.com. " +
        "It is activated by this apply; if nobody can sign in, an admin recovers at https://acme.eu.qlikcloud.com/login/recover.",
      "",
      "> [!IMPORTANT]",
      "> **After the apply**",
      expect.stringMatching(
        /^> - \*\*dev\*\*: Sign in to https:\/\/acme\.eu\.qlikcloud\.com\/ as a TenantAdmin → Administration → Identity provider → Okta \([0-9a-f]{24}\) → Validate \(a test login through Okta\); then run apply again \(or re-run the pipeline\) to promote it$/,
      ),
      "> - **prod**: Okta is now how users sign in to https://acme.eu.qlikcloud.com/; if nobody can, an admin recovers at https://acme.eu.qlikcloud.com/login/recover",
      "",
      "**dev** — Okta: no changes · Qlik IdP: none  ",
      "**prod** — Okta: 0 to add, 1 to change, 0 to destroy · Qlik IdP: promote, activate  ",
    ]);
  });

  it("lists each stack's changes in domain words and names the head commit in the footer", () => {
    const md = render("change");
    const section = (name: string) => lines(md.slice(md.indexOf(`#### ${name}`))).slice(2).filter((l, i, all) => l.startsWith("- ") && all.slice(0, i).every((x) => x.startsWith("- ")));
    expect(section("dev")).toEqual(["- Qlik IdP: no change on the tenant; its test configuration waits for an admin to validate it"]);
    expect(section("prod")).toEqual([
      "- **update** Okta app `Qlik Cloud (EU)`: `label`",
      "- **promote** Qlik IdP: its validated test configuration goes live",
      "- **activate** Qlik IdP: it becomes the tenant's sign-in",
    ]);
    expect(lines(md).at(-1)).toBe(
      `<sub>commit \`3f9c2e1a7b44\` · [CI run](https://github.com/acme/qlik-okta-iac/actions/runs/123456789) · ${sample.engine} · sensitive values masked; plan files are secrets and are never attached</sub>`,
    );
  });
});

describe("inlineCode", () => {
  it("keeps a pipe from splitting a table cell and a backtick from ending the code", () => {
    expect(inlineCode('"Qlik|Admins"')).toBe('`"Qlik\\|Admins"`');
    expect(inlineCode("a`b")).toBe("`` a`b ``");
    expect(inlineCode("line1\nline2")).toBe("`line1⏎line2`");
  });
});

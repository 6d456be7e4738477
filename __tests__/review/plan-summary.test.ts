/**
 * summarizePlan and the reviewer warnings, on plans the real engine made against the emulators (real-plans.ts).
 */
import { engineLikelyAvailable } from "../e2e/helpers";
import { KNOWN_AFTER_APPLY, SENSITIVE_VALUE } from "../../lib/review/attribute-diff";
import { summaryHasChanges, PlanSummary, sensitiveValuesInPlan, summarizePlan } from "../../lib/review/plan-summary";
import { reviewWarnings, WarningCode } from "../../lib/review/warnings";
import { APP, makeRealPlans, RealPlans, Scenario } from "./real-plans";
import { removeTempDirs } from "../tmp";

afterAll(removeTempDirs); // every tempDir()/workspace() of this file

const suite = engineLikelyAvailable() ? describe : describe.skip;
jest.setTimeout(120_000);

const IDP = "terraform_data.QlikIdentityProvider_2E5F14B3";
const RETIREMENT = "terraform_data.QlikIdentityProvider_Retirement_94BA6208";

suite("summarizePlan on real plans", () => {
  let real: RealPlans;
  const summary = (s: Scenario, destroy?: boolean): PlanSummary =>
    summarizePlan(real.plans[s].raw, destroy === undefined ? {} : { destroy });
  const change = (s: Scenario, address: string) => summary(s).changes.find((c) => c.address === address);
  const codes = (s: Scenario): WarningCode[] => reviewWarnings({ plan: summary(s), qlik: real.plans[s].qlik }).map((w) => w.code);

  beforeAll(async () => {
    real = await makeRealPlans();
  });
  afterAll(async () => {
    await real?.close();
  });

  it("create: every resource is a create; the client secret is only 'known after apply'", () => {
    // WHEN
    const s = summary("create");
    // THEN
    expect(s.changes.map((c) => c.action)).toEqual(Array(8).fill("create"));
    expect(s.totals).toEqual({ import: 0, add: 8, change: 0, destroy: 0 });
    const app = change("create", APP)!;
    expect(app.attributes).toContainEqual({ path: "label", after: { value: "Qlik Cloud" } });
    expect(app.attributes).toContainEqual({ path: "groups_claim[0].value", after: { value: ".*" } });
    expect(app.attributes).toContainEqual({ path: "client_secret", after: KNOWN_AFTER_APPLY });
    expect(s.destroy).toBe(false);
  });

  it("create: what the configuration sets, the objects' names, the rule's access and the groups looked up", () => {
    const s = summary("create");
    const app = change("create", APP)!;
    expect(app.name).toBe("Qlik Cloud");
    expect(app.configured).toEqual([
      "consent_method",
      "grant_types",
      "groups_claim",
      "hide_ios",
      "hide_web",
      "issuer_mode",
      "label",
      "redirect_uris",
      "response_types",
      "token_endpoint_auth_method",
      "type",
    ]);
    expect(change("create", "okta_app_group_assignment.QlikOidcApp_EveryoneAssignment_2B03A917")).toMatchObject({ name: "Everyone", configured: ["app_id", "group_id"] });
    expect(change("create", "okta_auth_server_policy_rule.QlikApiAuthServer_Rule_16B30D0D")!.name).toBe("Client credentials");
    expect(s.authServerRules).toEqual([
      {
        address: "okta_auth_server_policy_rule.QlikApiAuthServer_Rule_16B30D0D",
        action: "create",
        name: "Client credentials",
        grantTypes: ["client_credentials"],
        scopes: ["*"],
        groups: ["EVERYONE"],
        policyAddress: "okta_auth_server_policy.QlikApiAuthServer_Policy_958A2F53",
        policyClients: ["ALL_CLIENTS"],
      },
    ]);
    expect(s.oktaGroups).toEqual([{ id: expect.stringMatching(/^00g/), name: "Everyone" }]);
    expect(s.identityProvider?.after).toEqual({
      tenantHostname: "acme.eu.qlikcloud.com",
      verification: "interactive",
      activate: false,
      allowActiveIdpChange: false,
      onDestroy: "retain",
      description: "Okta",
    });
  });

  it("no-op: nothing to change after the apply", () => {
    const s = summary("noop");
    expect(s.changes).toEqual([]);
    expect(s.unchanged).toBe(8);
    expect(summaryHasChanges(s)).toBe(false);
    // provider noise (null → [] on refresh) is not reported as drift
    expect(s.drift).toEqual([]);
  });

  it("in-place update: exactly the label, before and after", () => {
    const s = summary("update");
    expect(s.changes.map((c) => `${c.address}: ${c.action}`)).toEqual([`${APP}: update`]);
    expect(change("update", APP)!.attributes).toEqual([{ path: "label", before: { value: "Qlik Cloud" }, after: { value: "Qlik Cloud (EU)" } }]);
  });

  it("replacement: the app is replaced on request, its secret masked, and the Qlik step follows the new client id", () => {
    const app = change("replace", APP)!;
    expect(app).toMatchObject({ action: "replace", actions: ["delete", "create"], reason: "replace_by_request" });
    expect(app.attributes).toContainEqual({ path: "client_secret", before: SENSITIVE_VALUE, after: KNOWN_AFTER_APPLY });
    expect(app.attributes.find((a) => a.path === "client_id")).toMatchObject({ after: KNOWN_AFTER_APPLY });
    // an unset optional attribute of the fresh app is not a change anyone asked for
    expect(app.attributes.map((a) => a.path)).not.toContain("admin_note");
    const idp = change("replace", IDP)!;
    expect(idp.action).toBe("replace");
    expect(idp.attributes.find((a) => a.path === "input.clientId")).toMatchObject({ after: KNOWN_AFTER_APPLY, forcesReplacement: true });
    expect(idp.attributes).toContainEqual({ path: "triggers_replace.clientSecretSha256", before: SENSITIVE_VALUE, after: KNOWN_AFTER_APPLY, forcesReplacement: true });
    // terraform_data's echoes (output, id) are left out
    expect(idp.attributes.map((a) => a.path).filter((p) => p.startsWith("output") || p === "id")).toEqual([]);
  });

  it("terraform_data input shows at field level, once, marked as forcing replacement", () => {
    const idp = change("activation", IDP)!;
    expect(idp.attributes).toEqual([
      { path: "input.identityProvider.activate", before: { value: false }, after: { value: true }, forcesReplacement: true },
    ]);
    expect(change("activation", RETIREMENT)!.attributes).toEqual([
      { path: "input.identityProvider.activate", before: { value: false }, after: { value: true } },
    ]);
    expect(summary("activation").identityProvider).toMatchObject({ address: IDP, action: "replace", before: { activate: false }, after: { activate: true } });
  });

  it("destroy: recognised from the plan itself, and when the caller says so", () => {
    expect(summary("destroy").destroy).toBe(true);
    expect(summary("destroy", true).destroy).toBe(true);
    expect(summary("destroy").totals).toEqual({ import: 0, add: 0, change: 0, destroy: 8 });
    expect(summary("update").destroy).toBe(false);
  });

  it("never carries a sensitive value, though the raw plans do", () => {
    // GIVEN the raw plans hold the client secret in clear text
    const scenarios = Object.keys(real.plans) as Scenario[];
    expect(JSON.stringify(real.plans.noop.raw)).toContain(real.clientSecret);
    expect(sensitiveValuesInPlan(real.plans.noop.raw)).toContain(real.clientSecret);
    // THEN no summary does
    for (const s of scenarios) expect(JSON.stringify(summary(s))).not.toContain(real.clientSecret);
  });

  describe("warnings", () => {
    it("a label change warns about nothing", () => {
      expect(codes("update")).toEqual([]);
      expect(codes("noop")).toEqual([]);
    });

    it("a first apply warns only that the authorization-server rule admits every client, scope and user", () => {
      expect(codes("create")).toEqual(["auth-server-open-rule"]);
      const [w] = reviewWarnings({ plan: summary("create") });
      expect(w).toMatchObject({ severity: "warning", title: "Authorization server open to all clients" });
    });

    it("the open rule is not flagged again while neither the rule nor its policy changes", () => {
      expect(summary("update").authServerRules).toBeUndefined();
    });

    it("replacing the Okta app: new client id and secret; the replaced assignment is named too", () => {
      expect(codes("replace")).toEqual(["okta-app-replaced", "okta-replace"]);
      const [w] = reviewWarnings({ plan: summary("replace") });
      expect(w.message).toContain("new client id and secret");
      expect(w.message).toContain("interactive verification must be redone");
    });

    it("activation over another active IdP: login changes for everyone, and the lockout guard blocks it", () => {
      expect(codes("activation")).toEqual(["idp-activation", "qlik-blocked"]);
      const warnings = reviewWarnings({ plan: summary("activation"), qlik: real.plans.activation.qlik });
      expect(warnings[0].message).toContain("login changes for every user");
      expect(warnings[1].message).toContain("Corporate Entra ID");
    });

    it("allowActiveIdpChange and onDestroy: delete each warn", () => {
      expect(codes("guardOff")).toEqual(["active-idp-change-allowed", "idp-deleted-on-destroy"]);
    });

    it("a destroy plan warns, and lists the Okta deletes", () => {
      expect(codes("destroy")).toEqual(["destroy-plan", "okta-delete"]);
      expect(reviewWarnings({ plan: summary("destroy") })[1].title).toBe("Okta: 6 to delete");
    });
  });
});

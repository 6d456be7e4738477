/**
 * The review decides from typed data: whether the Qlik side is worth a heading comes from the report's action kinds,
 * its next steps and the engine plan — never from a rendered summary string.
 */
import type { IdpReport } from "../../lib/qlik/reconcile";
import type { PlanSummary } from "../../lib/review/plan-summary";
import { QlikPlanRecord, qlikQuiet, qlikVerdict } from "../../lib/review/qlik-plan";

const planned = (report: Partial<IdpReport>): QlikPlanRecord => ({
  status: "planned",
  report: { command: "plan", ok: true, actions: [{ kind: "none", summary: "= Okta IdP x is up to date", status: "planned" }], nextSteps: [], ...report },
});

const plan = (extra: Partial<PlanSummary> = {}): PlanSummary => ({
  formatVersion: 1,
  destroy: false,
  errored: false,
  totals: { import: 0, add: 0, change: 0, destroy: 0 },
  changes: [],
  unchanged: 6,
  outputs: [],
  drift: [],
  ...extra,
});

describe("qlikQuiet", () => {
  it("is quiet exactly when the verdict is 'none' and no admin step is pending", () => {
    const none = planned({});
    expect(qlikVerdict(none, plan())).toBe("none");
    expect(qlikQuiet(none, plan())).toBe(true);
  });

  it("is not quiet with a next step for an admin, even though nothing changes on the tenant", () => {
    const waiting = planned({ nextSteps: ["Sign in to https://acme.eu.qlikcloud.com/ as a TenantAdmin … → Validate"] });
    expect(qlikVerdict(waiting, plan())).toBe("none");
    expect(qlikQuiet(waiting, plan())).toBe(false);
  });

  it("is not quiet when something happens: an action, the stored settings, a new Okta app, or no Qlik plan at all", () => {
    expect(qlikQuiet(planned({ actions: [{ kind: "promote", summary: "~ promote …", status: "planned" }] }), plan())).toBe(false);
    const settingsChange = plan({ identityProvider: { address: "terraform_data.QlikIdentityProvider_2E5F14B3", action: "update" } });
    expect(qlikQuiet(planned({}), settingsChange)).toBe(false);
    const replaced = plan({
      changes: [{ address: "okta_app_oauth.QlikOidcApp_DCEADC5B", type: "okta_app_oauth", mode: "managed", action: "replace", actions: ["delete", "create"], attributes: [] }],
    });
    expect(qlikQuiet(planned({}), replaced)).toBe(false);
    expect(qlikQuiet({ status: "after-okta", reason: "no Okta app in the state yet" }, plan())).toBe(false);
    expect(qlikQuiet({ status: "failed", error: "HTTP 401" }, plan())).toBe(false);
    expect(qlikQuiet(undefined, plan())).toBe(false);
  });
});

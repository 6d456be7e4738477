import { adoptionViolations, importTargets } from "../../lib/review/adoption";
import { oktaChangeLines } from "../../lib/review/changes";
import { countsText } from "../../lib/review/markdown";
import { PlanJson, summarizePlan } from "../../lib/review/plan-summary";
import { writeAdoption } from "../../lib/adopt/write";
import { parseConfig } from "../../lib/config";
import { problemsOf } from "../config/fixtures";

/** The first plan of an adopted stack: imports counted and shown, and the promise "never create or replace" kept. */

const APP = "okta_app_oauth.QlikOidcApp_DCEADC5B";
const SCOPE = "okta_auth_server_scope.QlikApiAuthServer_Scope-qlikapi_1";
const RULE = "okta_auth_server_policy_rule.QlikApiAuthServer_Rule_2";

function plan(appActions: string[], replacePaths?: string[][]): PlanJson {
  return {
    resource_changes: [
      {
        address: APP,
        mode: "managed",
        type: "okta_app_oauth",
        change: {
          actions: appActions,
          before: { label: "Qlik Cloud SaaS", type: "web" },
          after: { label: "Qlik Cloud", type: appActions.includes("create") ? "browser" : "web" },
          importing: { id: "0oa1handmade" },
          ...(replacePaths ? { replace_paths: replacePaths } : {}),
        },
        ...(replacePaths ? { action_reason: "replace_because_cannot_update" } : {}),
      },
      { address: SCOPE, mode: "managed", type: "okta_auth_server_scope", change: { actions: ["no-op"], before: { name: "qlik.api" }, after: { name: "qlik.api" }, importing: { id: "aus1/scp1" } } },
      { address: RULE, mode: "managed", type: "okta_auth_server_policy_rule", change: { actions: ["no-op"], before: { name: "r" }, after: { name: "r" } } },
    ],
  } as PlanJson;
}

const targets = new Map([
  [APP, "0oa1handmade"],
  [SCOPE, "aus1/scp1"],
]);

describe("imports in a plan", () => {
  it("counts imports besides the changes, and shows an import with nothing to change", () => {
    const s = summarizePlan(plan(["update"]));
    expect(s.totals).toEqual({ import: 2, add: 0, change: 1, destroy: 0 });
    expect(countsText(s.totals)).toBe("2 to import, 0 to add, 1 to change, 0 to destroy");
    expect(s.changes.map((c) => [c.address, c.action, c.importing])).toEqual([
      [APP, "update", "0oa1handmade"],
      [SCOPE, "no-op", "aus1/scp1"],
    ]);
    expect(oktaChangeLines(s.changes[0])).toEqual(["- **import** (`0oa1handmade`) + **update** Okta app `Qlik Cloud`: `label`"]);
    expect(oktaChangeLines(s.changes[1])).toEqual(["- **import** (`aus1/scp1`) authorization server scope `qlik.api`: as made by hand, nothing to change"]);
    expect(countsText({ import: 0, add: 1, change: 0, destroy: 0 })).toBe("1 to add, 0 to change, 0 to destroy");
  });

  it("keeps the promise when every adopted object is imported and changed in place", () => {
    expect(adoptionViolations(summarizePlan(plan(["update"])), targets)).toEqual([]);
  });

  it("refuses a plan that would replace an adopted object, naming the attribute that forces it", () => {
    const violations = adoptionViolations(summarizePlan(plan(["delete", "create"], [["type"]])), targets);
    expect(violations).toEqual([
      `the adopted Okta app "Qlik Cloud" (0oa1handmade) would be replaced (deleted and created again): type differs from what Okta has; ` +
        `set it in the config to Okta's value (qlik-okta adopt shows it), or remove the object from adopted: to make a new one on purpose`,
    ]);
  });

  it("refuses a plan that would create an adopted object instead of importing it", () => {
    expect(adoptionViolations(summarizePlan(plan(["create"])), targets)[0]).toMatch(/^the adopted Okta app "Qlik Cloud" \(0oa1handmade\) would be created instead of imported/);
  });

  it("reads the import blocks of a synthesized stack", () => {
    expect(importTargets({ import: [{ to: APP, id: "0oa1" }, { to: "x" }] })).toEqual(new Map([[APP, "0oa1"]]));
    expect(importTargets({ resource: {} }).size).toBe(0);
  });
});

describe("adopt --write", () => {
  const TEXT = `# Qlik sign-in for ACME
stacks:
  prod:
    okta: { orgUrl: https://acme.okta.com } # the org
    qlik:
      tenantHostname: acme.eu.qlikcloud.com
  staging:
    okta: { orgUrl: https://acme-test.okta.com }
    qlik: { tenantHostname: acme-test.eu.qlikcloud.com }
`;

  it("records the ids and the settings found, keeping comments and the other stacks, and the result loads", () => {
    const written = writeAdoption(TEXT, "qlik-okta.yaml", "prod", { oktaAppId: "0oa1", groupAssignments: { Everyone: "00g1" } }, [
      { path: ["app", "label"], value: "Qlik Cloud SaaS", was: "Qlik Cloud" },
    ]);
    expect(written).toContain("# Qlik sign-in for ACME");
    expect(written).toContain("# the org");
    const loaded = parseConfig(written);
    expect(loaded.stacks.prod.adopted).toEqual({ oktaAppId: "0oa1", groupAssignments: { Everyone: "00g1" } });
    expect(loaded.stacks.prod.app.label).toBe("Qlik Cloud SaaS");
    expect(loaded.stacks.staging.adopted).toBeUndefined();
  });

  it("writes nothing that would not load: the problems are reported instead", () => {
    expect(
      problemsOf(() => writeAdoption(TEXT, "qlik-okta.yaml", "prod", { oktaAppId: "0oa1", groupAssignments: { Sales: "00g2" } }, [])),
    ).toEqual([expect.stringMatching(/^stacks\.prod\.adopted\.groupAssignments\.Sales: group "Sales" is not assigned by this stack/)]);
  });
});

/** How a reconcile plan becomes the IdP fields `pulumi preview` shows (pure). */
import { parseConfig } from "../../lib/config";
import { desiredView, detailedDiffFromReport } from "../../lib/pulumi/idp-view";
import type { IdpReport } from "../../lib/qlik/reconcile";
import { idpRequestFromConfig } from "../../lib/qlik/request";

const request = (idp: string) =>
  idpRequestFromConfig(
    "s",
    parseConfig(`stacks:\n  s:\n    okta: { orgUrl: https://acme.okta.com }\n    qlik: { tenantHostname: acme.eu.qlikcloud.com }\n    identityProvider: ${idp}\n`, "x.yaml").stacks.s,
    "0oa1",
  );
const report = (r: Partial<IdpReport>): IdpReport => ({ command: "plan", ok: true, changed: true, ...r });

describe("detailedDiffFromReport", () => {
  it("keys an options change where the value goes: options with verification skip", () => {
    const desired = desiredView(request("{ verification: skip }"));
    expect(desired.options).toBeDefined();
    const diff = detailedDiffFromReport(
      report({ changes: [{ path: "options.realm", before: "okta", after: "okta2" }], actions: [{ kind: "patch", summary: "~", status: "planned" }] }),
      desired,
    );
    expect(diff).toEqual({ "idp.options.realm": "update" });
  });

  it("keys a live options change staged for validation under pendingOptions (interactive)", () => {
    const diff = detailedDiffFromReport(
      report({ changes: [{ path: "options.scope", before: "openid", after: "openid groups" }], actions: [{ kind: "patch", summary: "~", status: "planned" }] }),
      desiredView(request("{ verification: interactive }")),
    );
    expect(diff).toEqual({ "idp.pendingOptions.scope": "update" });
  });

  it("shows (de)activation as the active field", () => {
    const diff = detailedDiffFromReport(report({ changes: [], actions: [{ kind: "activate", summary: "~", status: "planned" }] }), desiredView(request("{ activate: true }")));
    expect(diff).toEqual({ "idp.active": "update" });
  });

  it("shows a change the lockout guard blocks as a change of the IdP (the apply then stops, naming the setting)", () => {
    const diff = detailedDiffFromReport(report({ changes: [], actions: [{ kind: "blocked", summary: "!", status: "planned", reason: "r" }] }), desiredView(request("{}")));
    expect(diff).toEqual({ idp: "update" });
  });

  it("shows a secret row only as the hash, added when Qlik had none", () => {
    const diff = detailedDiffFromReport(
      report({ changes: [{ path: "pendingOptions.clientSecret", before: undefined, after: "(sensitive)", secret: true }], actions: [{ kind: "create", summary: "+", status: "planned" }] }),
      desiredView(request("{}")),
    );
    expect(diff).toEqual({ clientSecretSha256: "add" });
  });

  it("is empty when nothing changes", () => {
    expect(detailedDiffFromReport(report({ changed: false, changes: [], actions: [{ kind: "none", summary: "=", status: "planned" }] }), desiredView(request("{}")))).toEqual({});
  });
});

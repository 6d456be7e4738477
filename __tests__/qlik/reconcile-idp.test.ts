/**
 * The Qlik step as one typed function: `reconcileIdp(request, secret, client, { mode })` against the Qlik emulator,
 * in-process — what the CLI, `qlik-okta plan`/`apply`, adoption and a Pulumi provider all call.
 */
import { QlikEmulator, startQlikEmulator } from "../../lib/emulators/qlik";
import { QlikClient } from "../../lib/qlik/client";
import { failedReport, IdpReport, reconcileIdp } from "../../lib/qlik/reconcile";
import { QlikError } from "../../lib/qlik/errors";
import { ACTIVE_ENTRA_SEED, request, SECRET, TENANT } from "./fixtures";

let emu: QlikEmulator;
afterEach(async () => emu?.close());

const client = () => new QlikClient({ baseUrl: emu.url, credentials: { kind: "apiKey", apiKey: "qlik-emulator-key" }, sleep: async () => undefined });
const kinds = (r: IdpReport) => (r.actions ?? []).map((a) => `${a.kind}:${a.status}`);

describe("reconcileIdp", () => {
  it("plans a create, applies it, then plans nothing — one report type all the way, actions as kinds", async () => {
    // GIVEN an empty tenant
    emu = await startQlikEmulator();
    // WHEN planned
    const planned = await reconcileIdp(request(), SECRET, client(), { mode: "plan" });
    // THEN nothing was written and the plan says create
    expect(planned).toMatchObject({ command: "plan", ok: true, changed: true, stack: "prod", tenantHostname: TENANT });
    expect(kinds(planned)).toEqual(["create:planned"]);
    expect(planned.requests?.writes).toBe(0);
    expect(emu.idps()).toEqual([]);

    // WHEN applied
    const applied = await reconcileIdp(request(), SECRET, client(), { mode: "apply" });
    // THEN the IdP exists, inactive, waiting for the admin's test login
    expect(applied).toMatchObject({ command: "apply", ok: true, active: false, pendingState: "pending" });
    expect(kinds(applied)).toEqual(["create:done"]);
    expect(applied.idpId).toBe((emu.idps()[0] as { id: string }).id);
    expect(applied.nextSteps?.[0]).toMatch(/^Sign in to https:\/\/acme\.eu\.qlikcloud\.com\/ as a TenantAdmin/);

    // WHEN planned again with nothing changed
    const again = await reconcileIdp(request(), SECRET, client(), { mode: "plan" });
    expect(again).toMatchObject({ ok: true, changed: false, idpId: applied.idpId });
    expect(kinds(again)).toEqual(["none:planned"]);
  });

  it("a blocked activation is data: kind blocked with the guard's reason, and the apply is not ok", async () => {
    // GIVEN Entra ID is the tenant's active sign-in, and the stack skips verification and asks to activate
    emu = await startQlikEmulator({ seedIdps: [ACTIVE_ENTRA_SEED] });
    // WHEN
    const report = await reconcileIdp(request({ verification: "skip", activate: true }), SECRET, client(), { mode: "apply" });
    // THEN the create happened, the activation was held back, and the report says why in data and in its error
    expect(kinds(report)).toEqual(["create:done", "blocked:blocked"]);
    const blocked = report.actions?.[1];
    expect(blocked?.reason).toMatch(/^not activating the Okta IdP because entra .* is the tenant's active interactive IdP/);
    expect(report.ok).toBe(false);
    expect(report.error).toBe(`Apply stopped short: ${blocked?.reason}`);
  });

  it("refuses an alias before reading any IdP, as a failed report (never a throw)", async () => {
    emu = await startQlikEmulator({ aliases: ["analytics.eu.qlikcloud.com"] });
    const report = await reconcileIdp({ ...request(), tenantHostname: "analytics.eu.qlikcloud.com" }, SECRET, client(), { mode: "plan" });
    expect(report).toMatchObject({ command: "plan", ok: false, stack: "prod" });
    expect(report.error).toMatch(/^analytics\.eu\.qlikcloud\.com is an alias of the Qlik tenant acme\.eu\.qlikcloud\.com/);
    expect(emu.requests.map((r) => r.path)).not.toContain("/api/v1/identity-providers");
  });

  it("without the secret, plan and apply fail with the variable to set; destroy needs none", async () => {
    emu = await startQlikEmulator();
    for (const mode of ["plan", "apply"] as const) {
      const report = await reconcileIdp(request(), undefined, client(), { mode });
      expect(report).toMatchObject({ ok: false, error: expect.stringMatching(/^QLIK_IDP_CLIENT_SECRET is not set/) });
    }
    const destroyed = await reconcileIdp(request(), undefined, client(), { mode: "destroy" });
    expect(destroyed).toMatchObject({ command: "destroy", ok: true });
    expect(kinds(destroyed)).toEqual(["none:done"]);
  });
});

describe("failedReport", () => {
  it("keeps what was known, and marks only unexpected errors as bugs", () => {
    expect(failedReport("apply", new QlikError("Qlik said no; do this"), { stack: "prod" })).toEqual({
      command: "apply",
      ok: false,
      stack: "prod",
      error: "Qlik said no; do this",
    });
    expect(failedReport("plan", new TypeError("x is undefined")).error).toBe("qlik-okta: unexpected error (please report it): TypeError: x is undefined");
  });
});

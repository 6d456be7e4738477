import type { IDP, IDPOIDC } from "@qlik/api/identity-providers";
import { secretFingerprint } from "../../lib/qlik/desired";
import { DesiredIdp, desiredIdp } from "../../lib/qlik/desired";
import { QlikError } from "../../lib/qlik/errors";
import { survivingCopy } from "../../lib/qlik/execute";
import { findManagedIdp, LiveState } from "../../lib/qlik/find";
import { Action, Plan, planActions, PlanOptions, planHasChanges, writesLiveSecret } from "../../lib/qlik/plan";
import { CLIENT_ID, desired, foreignIdp, liveFrom, request, SECRET, TENANT } from "./fixtures";

const FP = secretFingerprint(SECRET);

function options(overrides: Partial<PlanOptions> = {}): PlanOptions {
  return { mode: "apply", stack: "prod", tenantHostname: TENANT, description: "Okta", secretFingerprint: FP, ...overrides };
}

function plan(d: DesiredIdp, live: Partial<LiveState>, overrides: Partial<PlanOptions> = {}): Plan {
  return planActions(d, { others: [], ...live }, options(overrides));
}

const kinds = (p: Plan): string[] => p.actions.map((a) => a.kind);
const patchOps = (p: Plan): readonly unknown[] => (p.actions.find((a) => a.kind === "patch") as Extract<Action, { kind: "patch" }> | undefined)?.ops ?? [];
const blockedReason = (p: Plan): string => (p.actions.find((a) => a.kind === "blocked") as Extract<Action, { kind: "blocked" }>).reason;

describe("planning: create", () => {
  it("creates the IdP for verification and tells the admin how to validate it", () => {
    // GIVEN no managed IdP on the tenant
    // WHEN
    const p = plan(desired(), {});
    // THEN
    expect(kinds(p)).toEqual(["create"]);
    expect(p.actions[0].summary).toBe("+ create Okta IdP (pending verification)");
    expect(p.notes[0]).toBe(
      "Sign in to https://acme.eu.qlikcloud.com/ as a TenantAdmin → Administration → Identity provider → Okta → Validate " +
        "(a test login through Okta); then run apply again (or re-run the pipeline) to promote it",
    );
  });

  it("does not activate an interactive IdP before it is validated, even with activate: true", () => {
    // GIVEN activate: true and the interactive flow / WHEN planning the create / THEN no activation yet
    expect(kinds(plan(desired({ activate: true }), {}, { activate: true }))).toEqual(["create"]);
  });

  it("creates a skip-verify IdP and activates it when asked and nobody else is active", () => {
    // GIVEN skip-verify, activate: true, no other active IdP / WHEN planning / THEN create then activate, with the recovery URL
    const p = plan(desired({ verification: "skip" }), {}, { activate: true });
    expect(kinds(p)).toEqual(["create", "activate"]);
    expect(p.notes.join("\n")).toContain("https://acme.eu.qlikcloud.com/login/recover");
  });

  it("never activates over another active interactive IdP without allowActiveIdpChange", () => {
    // GIVEN someone else's active interactive IdP
    const others = [foreignIdp()];
    // WHEN
    const p = plan(desired({ verification: "skip" }), { others }, { activate: true });
    // THEN the create happens, the activation is blocked, and nothing deactivates the other IdP
    expect(kinds(p)).toEqual(["create", "blocked"]);
    expect(blockedReason(p)).toContain("set stacks.prod.identityProvider.allowActiveIdpChange: true to switch");
    expect(blockedReason(p)).toContain("idp-other");
    expect(blockedReason(p)).toContain("https://acme.eu.qlikcloud.com/login/recover");
  });

  it("switches the active IdP when allowActiveIdpChange is set: the other one first, then ours", () => {
    // GIVEN another active IdP and the opt-in / WHEN planning / THEN the other is deactivated before ours is activated
    const p = plan(desired({ verification: "skip" }), { others: [foreignIdp()] }, { activate: true, allowActiveIdpChange: true });
    expect(kinds(p)).toEqual(["create", "deactivate", "activate"]);
    expect(p.actions[1]).toMatchObject({ kind: "deactivate", id: "idp-other", ours: false });
  });

  it("ignores inactive or non-interactive IdPs for the guard", () => {
    // GIVEN an inactive interactive IdP and an active machine-to-machine one / WHEN planning / THEN neither blocks activation
    const others = [foreignIdp({ active: false }), foreignIdp({ id: "m2m", interactive: false, active: true })];
    expect(kinds(plan(desired({ verification: "skip" }), { others }, { activate: true }))).toEqual(["create", "activate"]);
  });
});

describe("planning: update", () => {
  it("does nothing when the live IdP already matches", () => {
    // GIVEN a live IdP equal to the desired one / WHEN planning / THEN nothing to do
    const d = desired({ verification: "skip" });
    const p = plan(d, { managed: liveFrom(d) });
    expect(kinds(p)).toEqual(["none"]);
    expect(planHasChanges(p)).toBe(false);
  });

  it("patches a changed description in place", () => {
    // GIVEN a new description / WHEN planning / THEN one replace op
    const d = desired({ verification: "skip", description: "Okta SSO" });
    const p = plan(d, { managed: liveFrom(desired({ verification: "skip" })) });
    expect(patchOps(p)).toEqual([{ op: "replace", path: "/description", value: "Okta SSO [managed by qlik-okta-iac:prod]" }]);
  });

  it("patches realm, discovery URL and claims mapping through their own paths (skip flow)", () => {
    // GIVEN only the claims mapping changed / WHEN planning / THEN its own sub-path is replaced, without the secret
    const d = desired({ verification: "skip", claimsMapping: { sub: ["sub"], groups: ["groups"] } });
    const p = plan(d, { managed: liveFrom(desired({ verification: "skip" })) });
    expect(patchOps(p)).toEqual([{ op: "replace", path: "/options/claimsMapping", value: { sub: ["sub"], groups: ["groups"] } }]);
  });

  it("replaces /options as a whole, with the secret and its hash, when the scope changes (skip flow)", () => {
    // GIVEN a scope change: Qlik has no /options/scope patch path
    const d = desired({ verification: "skip", scope: "openid profile email" });
    // WHEN
    const ops = patchOps(plan(d, { managed: liveFrom(desired({ verification: "skip" })) }));
    // THEN
    expect(ops).toEqual([
      { op: "replace", path: "/options", value: d.options },
      { op: "replace", path: "/meta", value: { qlikOktaIac: { clientSecretSha256: FP } } },
    ]);
  });

  it("sends a rotated secret in a whole /options replace and records its new hash (skip flow)", () => {
    // GIVEN the IdP holds the hash of the old secret
    const rotated = "rotated-secret-0123456789abcdefghij";
    const d = desired({ verification: "skip" }, rotated);
    // WHEN
    const p = plan(d, { managed: liveFrom(d, {}, SECRET) }, { secretFingerprint: secretFingerprint(rotated) });
    // THEN
    expect(patchOps(p)).toEqual([
      { op: "replace", path: "/options", value: expect.objectContaining({ clientSecret: rotated }) },
      { op: "replace", path: "/meta", value: { qlikOktaIac: { clientSecretSha256: secretFingerprint(rotated) } } },
    ]);
    expect(p.changes).toEqual([{ path: "options.clientSecret", before: "(sensitive)", after: "(changed)", secret: true }]);
  });

  it("puts a rotated secret straight into the live options of a validated interactive IdP (no lockout window)", () => {
    // GIVEN a live, promoted interactive IdP whose recorded secret hash is the old one
    const rotated = "rotated-secret-0123456789abcdefghij";
    const d = desired({}, rotated);
    // WHEN only the secret changed
    const p = plan(d, { managed: liveFrom(d, { active: true }, SECRET) }, { secretFingerprint: secretFingerprint(rotated), activate: true });
    // THEN the live options get it at once (nothing new to validate), with its hash; no validation is asked for
    expect(kinds(p)).toEqual(["patch"]);
    expect(patchOps(p)).toEqual([
      { op: "replace", path: "/options", value: expect.objectContaining({ clientSecret: rotated, clientId: CLIENT_ID }) },
      { op: "replace", path: "/meta", value: { qlikOktaIac: { clientSecretSha256: secretFingerprint(rotated) } } },
    ]);
    expect(p.notes.join("\n")).not.toContain("Validate");
  });

  it("also refreshes a pending test configuration with the rotated secret, so a later promote cannot restore the old one", () => {
    const rotated = "rotated-secret-0123456789abcdefghij";
    const d = desired({}, rotated);
    const live = liveFrom(d, { pendingOptions: { ...(liveFrom(d).options as object) }, pendingState: "pending" }, SECRET);
    const p = plan(d, { managed: live }, { secretFingerprint: secretFingerprint(rotated) });
    expect(patchOps(p).map((o) => (o as { path: string }).path)).toEqual(["/options", "/pendingOptions", "/meta"]);
  });

  it("sends the secret once, and records its hash, when Qlik has no record of it (an adopted IdP)", () => {
    // GIVEN an IdP without our hash in meta / WHEN planning / THEN the secret and its hash are written, and said so
    const d = desired({ verification: "skip" });
    const p = plan(d, { managed: liveFrom(d, { meta: {} }) });
    expect(patchOps(p)).toEqual([
      { op: "replace", path: "/options", value: d.options },
      { op: "replace", path: "/meta", value: { qlikOktaIac: { clientSecretSha256: FP } } },
    ]);
    expect(p.notes.join("\n")).toContain("had no record of its client secret: the secret is sent once and its hash recorded in meta");
  });

  it("keeps a validated IdP's live configuration when the secret rotates while a different one is pending", () => {
    // GIVEN a live, validated mapping (sub → sub) and a pending test configuration (sub → email) that is also desired
    const rotated = "rotated-secret-0123456789abcdefghij";
    const d = desired({ claimsMapping: { sub: ["email"] } }, rotated);
    const liveOptions = liveFrom(desired()).options as Record<string, unknown>;
    const pending = { ...(liveFrom(d).options as Record<string, unknown>) };
    const live = liveFrom(d, { options: liveOptions, pendingOptions: pending, pendingState: "verified", active: true }, SECRET);
    // WHEN the secret rotates (the new sub mapping is intended: allowUserRekey)
    const p = plan(d, { managed: live, popts: "p1" }, { secretFingerprint: secretFingerprint(rotated), activate: true, allowUserRekey: true });
    // THEN the live options get only the new secret (sub stays sub), the pending configuration gets it too and must be
    // validated again, and nothing is promoted with the stale QLIK-IDP-POPTS
    const ops = patchOps(p) as { path: string; value: Record<string, unknown> }[];
    expect(ops.map((o) => o.path)).toEqual(["/options", "/pendingOptions", "/meta"]);
    expect(ops[0].value).toMatchObject({ claimsMapping: liveOptions.claimsMapping, clientSecret: rotated });
    expect(ops[1].value).toMatchObject({ claimsMapping: { sub: ["email"] }, clientSecret: rotated });
    expect(kinds(p)).toEqual(["patch"]);
    expect(p.notes.join("\n")).toContain("Validate");
  });

  it("stages a change of an interactive IdP in pendingOptions and asks for validation instead of promoting", () => {
    // GIVEN a live, promoted interactive IdP and a new claims mapping
    const d = desired({ claimsMapping: { sub: ["sub"], name: ["name"] } });
    const live = liveFrom(desired());
    // WHEN
    const p = plan(d, { managed: live });
    // THEN
    expect(kinds(p)).toEqual(["patch"]);
    expect(patchOps(p)).toEqual([
      { op: "replace", path: "/pendingOptions", value: d.pendingOptions },
      { op: "replace", path: "/meta", value: { qlikOktaIac: { clientSecretSha256: FP } } },
    ]);
    expect(p.notes[0]).toContain("Okta (idp-ours) → Validate");
  });

  it("adds the marker to an adopted IdP", () => {
    // GIVEN an unmarked IdP adopted by client id / WHEN planning / THEN its description gets the marker
    const d = desired({ verification: "skip" });
    const p = plan(d, { managed: liveFrom(d, { description: "Okta" }), adopted: true });
    expect(patchOps(p)).toEqual([{ op: "replace", path: "/description", value: "Okta [managed by qlik-okta-iac:prod]" }]);
    expect(p.notes[0]).toContain("Adopted the existing Okta IdP idp-ours");
  });

  it("recreates the IdP when a field Qlik cannot patch changed", () => {
    // GIVEN createNewUsersOnLogin changed on an inactive IdP / WHEN planning / THEN recreate
    const d = desired({ verification: "skip", createNewUsersOnLogin: false });
    expect(kinds(plan(d, { managed: liveFrom(desired({ verification: "skip" })) }))).toEqual(["recreate"]);
  });

  it("does not recreate the active IdP without allowActiveIdpChange", () => {
    // GIVEN the same change on the active IdP / WHEN planning / THEN blocked, naming the field and the opt-in
    const d = desired({ verification: "skip", createNewUsersOnLogin: false });
    const p = plan(d, { managed: liveFrom(desired({ verification: "skip" }), { active: true }) }, { activate: true });
    expect(kinds(p)).toEqual(["blocked"]);
    expect(blockedReason(p)).toContain("createNewUsersOnLogin cannot be changed in place");
    expect(blockedReason(p)).toContain("allowActiveIdpChange: true");
  });
});

describe("planning: verification and activation", () => {
  const pendingLive = (state: "pending" | "verified" | "error", extra: Record<string, unknown> = {}): IDP => {
    const d = desired();
    const { clientSecret: _omitted, ...pending } = d.pendingOptions ?? { clientSecret: "" };
    void _omitted;
    return liveFrom(d, { options: undefined, pendingOptions: pending, pendingState: state, ...extra });
  };

  it("waits for the admin while the test configuration is pending: no write", () => {
    // GIVEN pendingState pending / WHEN planning / THEN no action, only the validation instructions
    const p = plan(desired(), { managed: pendingLive("pending") }, { activate: true });
    expect(kinds(p)).toEqual(["none"]);
    expect(p.notes.join("\n")).toContain("→ Validate");
  });

  it("promotes a validated configuration with the QLIK-IDP-POPTS it was read with, then activates", () => {
    // GIVEN pendingState verified and activate: true / WHEN planning / THEN promote with the POPTS hash, then activate
    const p = plan(desired(), { managed: pendingLive("verified"), popts: "popts-hash" }, { activate: true });
    expect(kinds(p)).toEqual(["promote", "activate"]);
    expect(p.actions[0]).toMatchObject({ kind: "promote", id: "idp-ours", popts: "popts-hash" });
  });

  it("does not activate after promoting when activate is false", () => {
    // GIVEN pendingState verified and activate: false / WHEN planning / THEN promote only
    expect(kinds(plan(desired(), { managed: pendingLive("verified"), popts: "h" }))).toEqual(["promote"]);
  });

  it("reports a failed validation with Qlik's reason", () => {
    // GIVEN pendingState error / WHEN planning / THEN the note carries Qlik's result
    const live = pendingLive("error", { pendingResult: { status: "claimsError", error: "sub claim missing" } });
    const p = plan(desired(), { managed: live });
    expect(kinds(p)).toEqual(["none"]);
    expect(p.notes[0]).toContain("The last validation of IdP idp-ours failed (claimsError: sub claim missing)");
  });

  it("activates a live IdP that is not active yet", () => {
    // GIVEN a live, inactive IdP and activate: true / WHEN planning / THEN activate
    const d = desired();
    expect(kinds(plan(d, { managed: liveFrom(d) }, { activate: true }))).toEqual(["activate"]);
  });

  it("never deactivates our active IdP because activate is false, unless allowActiveIdpChange is set", () => {
    // GIVEN our IdP, active (someone switched it on in the console), and activate: false
    const d = desired();
    const live = liveFrom(d, { active: true });
    // WHEN / THEN
    const guarded = plan(d, { managed: live });
    expect(kinds(guarded)).toEqual(["blocked"]);
    expect(blockedReason(guarded)).toContain("set activate: true to keep it, or stacks.prod.identityProvider.allowActiveIdpChange: true");
    expect(kinds(plan(d, { managed: live }, { allowActiveIdpChange: true }))).toEqual(["deactivate"]);
  });
});

describe("planning: destroy", () => {
  const d = desired({ verification: "skip" });

  it("retains the IdP with onDestroy: retain, and says so", () => {
    // GIVEN onDestroy: retain / WHEN planning destroy / THEN the IdP stays and a note says so
    const p = planActions(undefined, { managed: liveFrom(d), others: [] }, options({ mode: "destroy", onDestroy: "retain" }));
    expect(kinds(p)).toEqual(["none"]);
    expect(p.actions[0].summary).toBe("= retain Okta IdP idp-ours (onDestroy: retain)");
    expect(p.notes[0]).toContain("stays on the tenant");
  });

  it("deletes an inactive IdP with onDestroy: delete", () => {
    // GIVEN onDestroy: delete and an inactive IdP / WHEN planning destroy / THEN delete
    const p = planActions(undefined, { managed: liveFrom(d), others: [] }, options({ mode: "destroy", onDestroy: "delete" }));
    expect(p.actions).toEqual([expect.objectContaining({ kind: "delete", id: "idp-ours" })]);
  });

  it("does not delete the active IdP without allowActiveIdpChange", () => {
    // GIVEN onDestroy: delete and the active IdP / WHEN planning destroy / THEN blocked, with both ways out
    const p = planActions(undefined, { managed: liveFrom(d, { active: true }), others: [] }, options({ mode: "destroy", onDestroy: "delete" }));
    expect(kinds(p)).toEqual(["blocked"]);
    expect(blockedReason(p)).toContain("or onDestroy: retain to keep it");
  });

  it("deactivates, then deletes, the active IdP with allowActiveIdpChange", () => {
    // GIVEN the opt-in / WHEN planning destroy / THEN deactivate before delete (Qlik refuses to delete the active IdP)
    const p = planActions(
      undefined,
      { managed: liveFrom(d, { active: true }), others: [] },
      options({ mode: "destroy", onDestroy: "delete", allowActiveIdpChange: true }),
    );
    expect(kinds(p)).toEqual(["deactivate", "delete"]);
  });

  it("never deletes an IdP it only matched by client id", () => {
    // GIVEN an IdP found by client id, not by marker / WHEN planning destroy / THEN nothing
    const p = planActions(undefined, { managed: liveFrom(d), adopted: true, others: [] }, options({ mode: "destroy", onDestroy: "delete" }));
    expect(kinds(p)).toEqual(["none"]);
  });
});

describe("finding the managed IdP", () => {
  const target = { stack: "prod", clientId: CLIENT_ID, tenantHostname: TENANT };
  const okta = (id: string, extra: Record<string, unknown> = {}): IDP =>
    ({ id, protocol: "OIDC", provider: "okta", interactive: true, description: "Okta", options: { clientId: CLIENT_ID }, ...extra }) as IDP;

  it("finds it by this stack's marker", () => {
    // GIVEN our marked IdP among others / WHEN finding / THEN it is ours, the rest are others
    const ours = okta("a", { description: "Okta [managed by qlik-okta-iac:prod]", options: { clientId: "other" } });
    const live = findManagedIdp([foreignIdp(), ours], target);
    expect(live.managed).toBe(ours);
    expect(live.adopted).toBeUndefined();
    expect(live.others.map((i) => i.id)).toEqual(["idp-other"]);
  });

  it("adopts an unmarked Okta IdP that uses our client id (in options or pendingOptions)", () => {
    // GIVEN unmarked Okta IdPs using our client id / WHEN finding / THEN each is adopted
    expect(findManagedIdp([okta("a")], target)).toMatchObject({ adopted: true, managed: { id: "a" } });
    const pending = okta("b", { options: undefined, pendingOptions: { clientId: CLIENT_ID } });
    expect(findManagedIdp([pending], target).managed?.id).toBe("b");
  });

  it("does not adopt another stack's IdP or a different client", () => {
    // GIVEN another stack's IdP and another client's / WHEN finding / THEN none is ours
    const live = findManagedIdp([okta("a", { description: "Okta [managed by qlik-okta-iac:dev]" }), okta("b", { options: { clientId: "x" } })], target);
    expect(live.managed).toBeUndefined();
  });

  it("fails naming both ids when two IdPs carry the marker", () => {
    // GIVEN two marked IdPs / WHEN finding / THEN an error names both
    const marked = (id: string): IDP => okta(id, { description: "Okta [managed by qlik-okta-iac:prod]" });
    expect(() => findManagedIdp([marked("a"), marked("b")], target)).toThrow(QlikError);
    expect(() => findManagedIdp([marked("a"), marked("b")], target)).toThrow("(a, b)");
  });

  it("fails rather than choose between two adoptable IdPs", () => {
    // GIVEN two unmarked IdPs with our client id / WHEN finding / THEN an error names both
    expect(() => findManagedIdp([okta("a"), okta("b")], target)).toThrow("use client id 0oa-client (a, b)");
  });

  it("a description naming two stacks is a conflict for both, never taken over (marker spoofing)", () => {
    // GIVEN prod's IdP whose description someone wrote with dev's marker inside it
    const spoofed = okta("p", { description: "Okta [managed by qlik-okta-iac:dev] [managed by qlik-okta-iac:prod]", active: true });
    // WHEN dev or prod looks for its IdP / THEN both are refused, naming the IdP and the markers, for apply and destroy
    for (const stack of ["dev", "prod"]) {
      expect(() => findManagedIdp([spoofed], { ...target, stack })).toThrow(
        /^identity provider p \("Okta \[managed by qlik-okta-iac:dev\] \[managed by qlik-okta-iac:prod\]"\) names stack (dev|prod) but is not exactly its own \(markers: "dev", "prod"/,
      );
      expect(() => findManagedIdp([spoofed], { stack, tenantHostname: TENANT })).toThrow(/is not exactly its own/);
    }
  });

  it("only a marker exactly as written, at the end, is ours; one mid-text or spelt otherwise is a conflict", () => {
    expect(findManagedIdp([okta("a", { description: "Okta [managed by qlik-okta-iac:prod]" })], target).managed?.id).toBe("a");
    for (const description of ["[managed by qlik-okta-iac:prod] Okta", "Okta [Managed By qlik-okta-iac:prod]", "Okta [managed by qlik-okta-iac: prod ]"]) {
      expect(() => findManagedIdp([okta("a", { description })], target)).toThrow(/is not exactly its own/);
    }
    // another stack's own IdP is simply not ours
    expect(findManagedIdp([okta("a", { description: "Okta [managed by qlik-okta-iac:dev]" })], target).managed).toBeUndefined();
  });
});

describe("the surviving copy after concurrent creates", () => {
  it("is the oldest one", () => {
    // GIVEN two copies created at different times / WHEN choosing / THEN the older survives
    const copies = [
      { id: "b", created: "2026-01-01T00:00:00.002Z" },
      { id: "a", created: "2026-01-01T00:00:00.005Z" },
    ] as IDPOIDC[];
    expect(survivingCopy(copies).id).toBe("b");
  });

  it("is the one Qlik lists first when both were created in the same millisecond", () => {
    // GIVEN two copies with the same created time / WHEN choosing / THEN Qlik's list order decides, the same for every run
    const copies = [
      { id: "z", created: "2026-01-01T00:00:00.002Z" },
      { id: "a", created: "2026-01-01T00:00:00.002Z" },
    ] as IDPOIDC[];
    expect(survivingCopy(copies).id).toBe("z");
  });
});

describe("planning: guards on what users sign in with (hardening)", () => {
  const activeLive = (d: DesiredIdp, extra: Record<string, unknown> = {}) => liveFrom(d, { active: true, ...extra });
  /** The stack keeps its IdP active (\`activate: true\`), so only the guard under test can block. */
  const on = (extra: Partial<PlanOptions> = {}): Partial<PlanOptions> => ({ activate: true, ...extra });

  it("skip mode: a wrong client id or discovery URL is not written live into the tenant's active sign-in", () => {
    // GIVEN the active skip-verify IdP, and a run with another client id
    const d = desired({ verification: "skip", });
    const wrong = desiredIdp({ ...request({ verification: "skip", }), clientId: "0oa-WRONG" }, SECRET);
    // WHEN / THEN blocked, naming the field and the opt-in; nothing is patched
    const p = plan(wrong, { managed: activeLive(d) }, on());
    expect(kinds(p)).toEqual(["blocked"]);
    expect(blockedReason(p)).toMatch(/^changing options\.clientId of the active IdP idp-ours takes effect for every sign-in at once, untested/);
    expect(blockedReason(p)).toContain("stacks.prod.identityProvider.allowActiveIdpChange: true");
    // AND with the opt-in it is written
    expect(kinds(plan(wrong, { managed: activeLive(d) }, on({ allowActiveIdpChange: true })))).toEqual(["patch"]);
    // AND an inactive IdP is not guarded (it is then activated, as the stack asks)
    expect(kinds(plan(wrong, { managed: liveFrom(d) }, on()))).toEqual(["patch", "activate"]);
  });

  it("a realm or sub-mapping change on an IdP users sign in through needs allowUserRekey, in both flows", () => {
    for (const verification of ["skip", "interactive"] as const) {
      const live = liveFrom(desired({ verification }));
      for (const change of [{ realm: "okta-new" }, { claimsMapping: { sub: ["email"] } }]) {
        const p = plan(desired({ verification, ...change }), { managed: live });
        expect(kinds(p)).toEqual(["blocked"]);
        expect(blockedReason(p)).toMatch(/gives every user a new identity in Qlik/);
        expect(blockedReason(p)).toContain("stacks.prod.identityProvider.allowUserRekey: true");
        expect(kinds(plan(desired({ verification, ...change }), { managed: live }, { allowUserRekey: true }))).toEqual(["patch"]);
      }
    }
  });

  it("a secret sent with no recorded hash is a visible row, and a live write says so in its line", () => {
    // GIVEN an adopted hand-made active IdP: no marker, no meta
    const d = desired({ verification: "skip", });
    const p = plan(d, { managed: activeLive(d, { meta: undefined, description: "Okta" }), adopted: true }, on());
    expect(p.changes).toContainEqual({ path: "options.clientSecret", before: "(sensitive)", after: "(sent)", secret: true });
    expect(p.actions[0].summary).toBe("~ update Okta IdP idp-ours (the client secret goes into the live options)");
    expect(writesLiveSecret(p.actions[0])).toBe(true);
  });

  it("a secret Okta rejects is never written live: the plan is one blocked line, whatever else it held", () => {
    const d = desired({ verification: "skip", });
    const live = activeLive(d, { meta: undefined, description: "Okta" });
    const rejected = plan(d, { managed: live, adopted: true }, on({ secretCheck: { verdict: "rejected", detail: "HTTP 401 invalid_client" } }));
    expect(kinds(rejected)).toEqual(["blocked"]);
    expect(blockedReason(rejected)).toMatch(/^Okta does not accept this client secret for the app: HTTP 401 invalid_client\. Writing it into the live options of IdP idp-ours would lock every user out/);
    // a new skip-verify IdP too (its activation included)
    expect(kinds(plan(d, {}, on({ secretCheck: { verdict: "rejected", detail: "HTTP 401 invalid_client" } })))).toEqual(["blocked"]);
    expect(kinds(plan(d, {}, on()))).toEqual(["create", "activate"]);
    // accepted: written
    expect(kinds(plan(d, { managed: live, adopted: true }, on({ secretCheck: { verdict: "accepted", detail: "HTTP 400 unauthorized_client" } })))).toEqual(["patch"]);
  });

  it("a secret Okta could not confirm is written into an inactive IdP with a note, but not into the active sign-in without the opt-in", () => {
    const d = desired({ verification: "skip", });
    const unknown = { secretCheck: { verdict: "unknown" as const, detail: "network error ECONNREFUSED" } };
    const inactive = plan(d, { managed: liveFrom(d, { meta: undefined }) }, on(unknown));
    expect(kinds(inactive)).toEqual(["patch", "activate"]);
    expect(inactive.notes.join("\n")).toContain("The client secret could not be checked with Okta (network error ECONNREFUSED); it is written unchecked");
    const active = plan(d, { managed: activeLive(d, { meta: undefined }) }, on(unknown));
    expect(kinds(active)).toEqual(["blocked"]);
    expect(blockedReason(active)).toContain("set stacks.prod.identityProvider.allowActiveIdpChange: true to write it unchecked");
    expect(kinds(plan(d, { managed: activeLive(d, { meta: undefined }) }, on({ ...unknown, allowActiveIdpChange: true })))).toEqual(["patch"]);
  });

  it("pending test configurations are not live writes: no check needed", () => {
    const p = plan(desired(), {}, { secretCheck: { verdict: "rejected", detail: "HTTP 401 invalid_client" } });
    expect(kinds(p)).toEqual(["create"]);
    expect(p.actions.some(writesLiveSecret)).toBe(false);
  });
});

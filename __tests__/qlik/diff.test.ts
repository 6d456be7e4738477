import type { IDPOIDC } from "@qlik/api/identity-providers";
import { secretFingerprint } from "../../lib/qlik/desired";
import {
  CHANGED,
  creationChanges,
  diffIdp,
  formatChange,
  metaWithFingerprint,
  SENSITIVE,
  storedFingerprint,
} from "../../lib/qlik/diff";
import { desired, liveFrom, SECRET } from "./fixtures";

const FP = secretFingerprint(SECRET);

describe("diff of desired vs live IdP", () => {
  it("finds nothing when the live IdP matches and the stored secret hash is the same", () => {
    // GIVEN a live IdP created from the same inputs
    const d = desired({ verification: "skip" });
    // WHEN
    const diff = diffIdp(d, liveFrom(d), FP);
    // THEN
    expect(diff.changes).toEqual([]);
    expect(diff.secret).toBe("same");
  });

  it("shows a changed field with its value before and after", () => {
    // GIVEN a live IdP with the old description / WHEN diffing / THEN one row shows old → new
    const d = desired({ verification: "skip", description: "Okta SSO" });
    const live = liveFrom(desired({ verification: "skip", description: "Okta" }));
    expect(diffIdp(d, live, FP).changes).toEqual([
      { path: "description", before: "Okta [managed by qlik-okta-iac:prod]", after: "Okta SSO [managed by qlik-okta-iac:prod]" },
    ]);
  });

  it("detects a rotated secret through the hash stored in meta, and shows it redacted", () => {
    // GIVEN the IdP was given the old secret
    const d = desired({ verification: "skip" }, "new-secret-value-0123456789");
    const live = liveFrom(d, {}, SECRET);
    // WHEN compared with the new secret's hash
    const diff = diffIdp(d, live, secretFingerprint("new-secret-value-0123456789"));
    // THEN
    expect(diff.secret).toBe("changed");
    expect(diff.changes).toEqual([{ path: "options.clientSecret", before: SENSITIVE, after: CHANGED, secret: true }]);
    expect(formatChange(diff.changes[0])).toBe("options.clientSecret: (sensitive) → (changed)");
    expect(JSON.stringify(diff)).not.toContain("new-secret-value");
  });

  it("treats a secret with no stored hash as unknown, not as changed", () => {
    // GIVEN an IdP made by hand (no meta of ours)
    const d = desired({ verification: "skip" });
    const live = liveFrom(d, { meta: {} });
    // WHEN / THEN a second apply would not rotate blindly
    const diff = diffIdp(d, live, FP);
    expect(diff.secret).toBe("unknown");
    expect(diff.changes).toEqual([]);
  });

  it("rotates when the caller says the secret changed, even without a stored hash", () => {
    // GIVEN no stored hash but --secret-changed / WHEN diffing / THEN the secret is sent
    const d = desired({ verification: "skip" });
    expect(diffIdp(d, liveFrom(d, { meta: {} }), FP, true).secret).toBe("changed");
  });

  it("does not count useClaimsFromIdToken as a change when Qlik does not echo it back", () => {
    // GIVEN a read model without useClaimsFromIdToken (it is not in Qlik's read schema)
    const d = desired({ verification: "skip" });
    const live = liveFrom(d) as IDPOIDC;
    delete (live.options as Record<string, unknown>).useClaimsFromIdToken;
    // WHEN / THEN
    expect(diffIdp(d, live, FP).changes).toEqual([]);
  });

  it("does count useClaimsFromIdToken when Qlik echoes it as false", () => {
    // GIVEN Qlik echoes useClaimsFromIdToken: false / WHEN diffing / THEN it is changed to true
    const d = desired({ verification: "skip" });
    const live = liveFrom(d) as IDPOIDC;
    (live.options as Record<string, unknown>).useClaimsFromIdToken = false;
    expect(diffIdp(d, live, FP).changes).toEqual([{ path: "options.useClaimsFromIdToken", before: false, after: true }]);
  });

  it("flags createNewUsersOnLogin as a change that needs a recreate", () => {
    // GIVEN createNewUsersOnLogin turned off / WHEN diffing / THEN the row is marked immutable
    const d = desired({ verification: "skip", createNewUsersOnLogin: false });
    const live = liveFrom(desired({ verification: "skip" }));
    expect(diffIdp(d, live, FP).changes).toEqual([{ path: "createNewUsersOnLogin", before: true, after: false, immutable: true }]);
  });

  it("compares with the test configuration while one is pending", () => {
    // GIVEN an interactive IdP whose pendingOptions (not yet promoted) have another claims mapping
    const d = desired();
    const live = liveFrom(d, { options: undefined, pendingOptions: { ...d.pendingOptions, clientSecret: undefined, claimsMapping: { sub: ["sub"] } } });
    // WHEN
    const diff = diffIdp(d, live, FP);
    // THEN
    expect(diff.comparedWith).toBe("pendingOptions");
    expect(diff.changes.map((c) => c.path)).toEqual(["pendingOptions.claimsMapping"]);
  });

  it("compares with the live options once the test configuration was promoted", () => {
    // GIVEN pendingOptions left equal to options after a promote
    const d = desired();
    const base = liveFrom(d) as IDPOIDC;
    const live = { ...base, pendingOptions: base.options };
    // WHEN / THEN
    const diff = diffIdp(d, live, FP);
    expect(diff.comparedWith).toBe("options");
    expect(diff.changes).toEqual([]);
  });

  it("lists every field of a create with the secret redacted", () => {
    // GIVEN nothing live / WHEN listing the create's fields / THEN the secret row is a placeholder
    const rows = creationChanges(desired());
    expect(rows.find((r) => r.path === "pendingOptions.clientSecret")).toEqual({
      path: "pendingOptions.clientSecret",
      before: undefined,
      after: SENSITIVE,
      secret: true,
    });
    expect(rows.map(formatChange).join("\n")).not.toContain(SECRET);
    expect(rows.find((r) => r.path === "pendingOptions.useClaimsFromIdToken")?.after).toBe(true);
  });
});

describe("the secret hash in meta", () => {
  it("keeps whatever else meta holds", () => {
    // GIVEN meta with someone else's key / WHEN adding our hash / THEN both are kept
    const meta = metaWithFingerprint({ owner: "platform-team" }, FP);
    expect(meta).toEqual({ owner: "platform-team", qlikOktaIac: { clientSecretSha256: FP } });
    expect(storedFingerprint({ meta })).toBe(FP);
  });

  it("reads nothing from a meta that is not ours", () => {
    // GIVEN meta of another shape / WHEN reading our hash / THEN there is none
    expect(storedFingerprint({ meta: "x" })).toBeUndefined();
    expect(storedFingerprint({ meta: { qlikOktaIac: { clientSecretSha256: 42 } } })).toBeUndefined();
  });
});

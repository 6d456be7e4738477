/**
 * diffAttributes on the corner cases of the plan JSON format that the real example plans do not reach (a sensitive
 * value changing to another known value, sensitive list items, keys only in after_unknown). The shapes follow
 * `show -json` (before/after/after_unknown/before_sensitive/after_sensitive).
 */
import { diffAttributes, KNOWN_AFTER_APPLY, SENSITIVE_VALUE, sensitiveStrings } from "../../lib/review/attribute-diff";

describe("diffAttributes", () => {
  it("masks a sensitive value that changes from one known value to another", () => {
    // GIVEN a rotated client_basic_secret (sensitive before and after)
    const rows = diffAttributes({
      actions: ["update"],
      before: { label: "Qlik", client_basic_secret: "old-secret-value" },
      after: { label: "Qlik", client_basic_secret: "new-secret-value" },
      before_sensitive: { client_basic_secret: true },
      after_sensitive: { client_basic_secret: true },
    });
    // THEN the row says it changed, and nothing more
    expect(rows).toEqual([{ path: "client_basic_secret", before: SENSITIVE_VALUE, after: SENSITIVE_VALUE }]);
    expect(JSON.stringify(rows)).not.toContain("secret-value");
  });

  it("shows no row for a sensitive value that did not change", () => {
    const rows = diffAttributes({
      actions: ["update"],
      before: { client_secret: "same-secret-value" },
      after: { client_secret: "same-secret-value" },
      before_sensitive: { client_secret: true },
      after_sensitive: { client_secret: true },
    });
    expect(rows).toEqual([]);
  });

  it("masks a whole list when one of its items is sensitive", () => {
    const rows = diffAttributes({
      actions: ["update"],
      before: { tokens: ["public-value", "private-one-a"] },
      after: { tokens: ["public-value", "private-one-b"] },
      before_sensitive: { tokens: [false, true] },
      after_sensitive: { tokens: [false, true] },
    });
    expect(rows).toEqual([{ path: "tokens", before: SENSITIVE_VALUE, after: SENSITIVE_VALUE }]);
  });

  it("names the one field of a nested block that changed", () => {
    const rows = diffAttributes({
      actions: ["update"],
      before: { groups_claim: [{ name: "groups", value: ".*" }] },
      after: { groups_claim: [{ name: "groups", value: "^Qlik.*" }] },
    });
    expect(rows).toEqual([{ path: "groups_claim[0].value", before: { value: ".*" }, after: { value: "^Qlik.*" } }]);
  });

  it("reports an attribute that only after_unknown names", () => {
    const rows = diffAttributes({ actions: ["create"], before: null, after: { label: "x" }, after_unknown: { id: true } });
    expect(rows).toEqual([{ path: "label", after: { value: "x" } }, { path: "id", after: KNOWN_AFTER_APPLY }]);
  });

  it("ignores cdktf's // metadata and treats null, [] and \"\" as the same empty value", () => {
    const rows = diffAttributes({
      actions: ["update"],
      before: { "//": { metadata: { path: "a" } }, scopes: null, note: "" },
      after: { "//": { metadata: { path: "b" } }, scopes: [], note: null },
    });
    expect(rows).toEqual([]);
  });

  it("quotes keys that are not identifiers", () => {
    const rows = diffAttributes({ actions: ["update"], before: { m: { "a.b": 1 } }, after: { m: { "a.b": 2 } } });
    expect(rows).toEqual([{ path: 'm["a.b"]', before: { value: 1 }, after: { value: 2 } }]);
  });
});

describe("sensitiveStrings", () => {
  it("collects every string under a sensitive marker, nested or whole", () => {
    const found = sensitiveStrings(
      { a: "public", b: "secret-1", c: { d: ["secret-2", "public-2"] }, e: { f: "secret-3" } },
      { b: true, c: { d: [true, false] }, e: true },
    );
    expect([...found].sort()).toEqual(["secret-1", "secret-2", "secret-3"]);
  });
});

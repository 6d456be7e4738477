import { describeWithMarker, hasMarker, hasMarkerSyntax, managedMarker, markersIn, markerStack } from "../../lib/qlik/marker";

describe("markersIn: every stack a managed-by marker names", () => {
  it("finds the marker this tool writes", () => {
    expect(markersIn(describeWithMarker("Okta", "prod"))).toEqual(["prod"]);
    expect(markersIn("[managed by qlik-okta-iac:prod]")).toEqual(["prod"]);
  });

  it("finds no marker in text without one", () => {
    expect(markersIn(undefined)).toEqual([]);
    expect(markersIn("")).toEqual([]);
    expect(markersIn("Okta")).toEqual([]);
    expect(markersIn("Qlik Cloud API access (managed by qlik-okta-iac)")).toEqual([]);
    expect(markersIn("[managed by someone-else:prod]")).toEqual([]);
  });

  it("ignores case and spacing, and trims the stack name", () => {
    expect(markersIn("Okta [Managed  by qlik-okta-iac:dev]")).toEqual(["dev"]);
    expect(markersIn("[ MANAGED BY QLIK-OKTA-IAC : dev ]")).toEqual(["dev"]);
    expect(markersIn("[managed\tby\u00a0qlik - okta - iac:dev]")).toEqual(["dev"]);
    expect(markersIn("[managed-by qlik_okta_iac:dev]")).toEqual(["dev"]);
  });

  it("returns every marker, in order", () => {
    expect(markersIn("a [managed by qlik-okta-iac:dev] b [managed by qlik-okta-iac:prod]")).toEqual(["dev", "prod"]);
  });

  it("returns an empty name for a marker that names no stack", () => {
    expect(markersIn("[managed by qlik-okta-iac:]")).toEqual([""]);
    expect(markersIn("[managed by qlik-okta-iac:  ]")).toEqual([""]);
  });

  it("needs the closing bracket, and a name without brackets", () => {
    expect(markersIn("[managed by qlik-okta-iac:prod")).toEqual([]);
    expect(markersIn("[managed by qlik-okta-iac:a [managed by qlik-okta-iac:b]")).toEqual(["b"]);
  });

  it("takes linear time on text crafted to make a regular expression backtrack", () => {
    const opening = "[managed by qlik-okta-iac:";
    const started = Date.now();
    expect(markersIn(opening.repeat(40_000))).toEqual([]);
    expect(markersIn(`${"[managed ".repeat(40_000)}${" ".repeat(100_000)}`)).toEqual([]);
    expect(markersIn(`${opening}${"x".repeat(1_000_000)}`)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe("hasMarkerSyntax: text the config refuses", () => {
  it("is true for a marker, closed or not, whatever the case and spacing", () => {
    expect(hasMarkerSyntax("Okta [managed by qlik-okta-iac:dev]")).toBe(true);
    expect(hasMarkerSyntax("Okta [Managed  by qlik-okta-iac:dev]")).toBe(true);
    expect(hasMarkerSyntax("Okta [managed by qlik-okta-iac:dev")).toBe(true);
    expect(hasMarkerSyntax("[managed by qlik-okta-iac :")).toBe(true);
  });

  it("is false for text that only mentions the tool", () => {
    expect(hasMarkerSyntax(undefined)).toBe(false);
    expect(hasMarkerSyntax("Okta")).toBe(false);
    expect(hasMarkerSyntax("Qlik Cloud API access (managed by qlik-okta-iac)")).toBe(false);
    expect(hasMarkerSyntax("managed by qlik-okta-iac:dev")).toBe(false);
  });
});

describe("the existing marker helpers keep their behaviour", () => {
  it("writes and finds this stack's exact marker", () => {
    expect(managedMarker("prod")).toBe("[managed by qlik-okta-iac:prod]");
    expect(describeWithMarker("Okta", "prod")).toBe("Okta [managed by qlik-okta-iac:prod]");
    expect(hasMarker("Okta [managed by qlik-okta-iac:prod]", "prod")).toBe(true);
    expect(hasMarker("Okta [managed by qlik-okta-iac:dev]", "prod")).toBe(false);
    expect(hasMarker(undefined, "prod")).toBe(false);
    expect(markerStack("Okta [managed by qlik-okta-iac:dev]")).toBe("dev");
    expect(markerStack("Okta")).toBeUndefined();
  });
});

import { ConfigError, parseConfig } from "../../lib/config";

function problems(text: string): string[] {
  try {
    parseConfig(text, "qlik-okta.yaml");
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error("expected the config to be rejected");
}

describe("configuration: a value reported as a secret is never shown by another check", () => {
  it("refuses credentials in the org URL without showing them, even when the URL is also not https", () => {
    const found = problems(
      "stacks:\n  prod:\n    okta: { orgUrl: 'http://admin:hunter2pass@acme.okta.com/x' }\n    qlik: { tenantHostname: acme.eu.qlikcloud.com }\n",
    );
    expect(found).toEqual([
      "stacks.prod.okta.orgUrl: must not contain credentials (value not shown); set OKTA_API_TOKEN in the environment instead",
    ]);
    expect(found.join("\n")).not.toContain("hunter2pass");
  });

  it("reports an Okta token pasted as the tenant hostname once, as a secret, not also as 'must be lowercase'", () => {
    const token = `00${"abcdefghij".repeat(4)}`; // shaped like an Okta API token, built at run time
    const found = problems(`stacks:\n  prod:\n    okta: { orgUrl: https://acme.okta.com }\n    qlik: { tenantHostname: ${token} }\n`);
    expect(found).toEqual([
      "stacks.prod.qlik.tenantHostname: looks like a secret (value not shown); secrets never go in the config file: set QLIK_API_KEY (or QLIK_CLIENT_ID and QLIK_CLIENT_SECRET) in the environment",
    ]);
    expect(found.join("\n")).not.toContain(token);
  });
});

describe("configuration: one malformed field hides no other problem", () => {
  it("still checks the rest of a section with a wrong-typed field", () => {
    // GIVEN a wrong type in identityProvider plus three semantic problems in the same stack
    const text = `
stacks:
  prod:
    okta: { orgUrl: https://acme.okta.com }
    qlik: { tenantHostname: acme.eu.qlikcloud.com }
    app: { assignToEveryone: false }
    identityProvider: { activate: "sometimes", realm: "a b", claimsMapping: { sub: [] } }
`;
    // THEN every one of them is reported in the first run
    expect(problems(text).map((p) => p.split(": ")[0]).sort()).toEqual(
      [
        "stacks.prod.app",
        "stacks.prod.identityProvider.activate",
        "stacks.prod.identityProvider.claimsMapping.sub",
        "stacks.prod.identityProvider.realm",
      ].sort(),
    );
  });

  it("does not judge a cross-field rule on a default the user did not choose", () => {
    // GIVEN groups given with the wrong type: the "nobody is assigned" rule would otherwise see the default []
    const found = problems(`stacks:\n  prod:\n    okta: { orgUrl: https://acme.okta.com }\n    qlik: { tenantHostname: acme.eu.qlikcloud.com }\n    app: { assignToEveryone: false, groups: Qlik Users }\n`);
    expect(found).toEqual(['stacks.prod.app.groups: expected a list, got "Qlik Users"']);
  });
});

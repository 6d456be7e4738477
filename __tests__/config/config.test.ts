import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { BUNDLED_EXAMPLE, loadConfigFile, parseConfig, resolveConfigFile } from "../../lib/config";
import { removeTempDirs, tempDir } from "../tmp";
import { VALID, problemsFor } from "./fixtures";

afterAll(removeTempDirs); // every tempDir()/workspace() of this file



function withLine(key: "orgUrl" | "tenantHostname", value: string): string {
  return VALID.replace(key === "orgUrl" ? "https://acme.okta.com" : "acme.eu.qlikcloud.com", JSON.stringify(value));
}

describe("configuration: defaults", () => {
  it("fills in every default of DESIGN §3", () => {
    // WHEN
    const { stacks, warnings } = parseConfig(VALID);
    // THEN
    const prod = stacks.prod;
    expect(warnings).toEqual([]);
    expect(prod.app).toEqual({ label: "Qlik Cloud", assignToEveryone: true, groups: [], groupsClaimRegex: ".*", showTile: false });
    expect(prod.authorizationServer).toMatchObject({ enabled: true, name: "QlikAPI", audience: "qlik.api" });
    expect(prod.authorizationServer.scopes).toEqual([{ name: "qlik.api", displayName: "Qlik API", description: "Access to Qlik Cloud" }]);
    expect(prod.identityProvider).toMatchObject({
      description: "Okta",
      verification: "interactive",
      activate: false,
      onDestroy: "retain",
      allowActiveIdpChange: false,
      claimsMapping: { sub: ["sub"], name: ["name"], email: ["email"], email_verified: ["email_verified"], groups: ["groups"] },
    });
  });

  it("reads JSON as well as YAML, and several stacks", () => {
    const json = JSON.stringify({
      stacks: {
        dev: { okta: { orgUrl: "https://dev.okta.com/" }, qlik: { tenantHostname: "dev.us.qlikcloud.com" } },
        prod: { okta: { orgUrl: "https://acme.okta.com" }, qlik: { tenantHostname: "acme.eu.qlikcloud.com" } },
      },
    });
    const { stacks } = parseConfig(json);
    expect(Object.keys(stacks)).toEqual(["dev", "prod"]);
    expect(stacks.dev.okta.orgUrl).toBe("https://dev.okta.com");
  });

  it("gives each stack its own defaults object (no shared mutable defaults)", () => {
    const { stacks } = parseConfig(`${VALID}  dev:\n    okta: { orgUrl: https://a.okta.com }\n    qlik: { tenantHostname: a.us.qlikcloud.com }\n`);
    expect(stacks.prod.identityProvider.claimsMapping).not.toBe(stacks.dev.identityProvider.claimsMapping);
  });
});

describe("configuration: okta.orgUrl", () => {
  it("refuses an org URL that is not https", () => {
    expect(problemsFor(withLine("orgUrl", "http://acme.okta.com"))).toEqual([
      'stacks.prod.okta.orgUrl: "http://acme.okta.com" must use https, e.g. https://acme.okta.com',
    ]);
  });

  it("refuses an org URL with a path", () => {
    expect(problemsFor(withLine("orgUrl", "https://acme.okta.com/oauth2/default"))).toEqual([
      'stacks.prod.okta.orgUrl: "https://acme.okta.com/oauth2/default" must be the org URL without a path, e.g. https://acme.okta.com',
    ]);
  });

  it("refuses the admin console URL and names the org URL", () => {
    expect(problemsFor(withLine("orgUrl", "https://acme-admin.okta.com"))).toEqual([
      'stacks.prod.okta.orgUrl: "https://acme-admin.okta.com" is the admin console URL; use the org URL https://acme.okta.com',
    ]);
  });

  it("refuses something that is not a URL", () => {
    expect(problemsFor(withLine("orgUrl", "acme"))).toEqual([
      'stacks.prod.okta.orgUrl: "acme" is not a URL; expected the Okta org URL, e.g. https://acme.okta.com',
    ]);
  });
});

describe("configuration: qlik.tenantHostname", () => {
  it("refuses a scheme and shows the bare hostname", () => {
    expect(problemsFor(withLine("tenantHostname", "https://acme.eu.qlikcloud.com"))).toEqual([
      'stacks.prod.qlik.tenantHostname: "https://acme.eu.qlikcloud.com" must not include a scheme; write just the hostname: acme.eu.qlikcloud.com',
    ]);
  });

  it("refuses a path", () => {
    expect(problemsFor(withLine("tenantHostname", "acme.eu.qlikcloud.com/login/callback"))).toEqual([
      'stacks.prod.qlik.tenantHostname: "acme.eu.qlikcloud.com/login/callback" must not include a path; write just the hostname: acme.eu.qlikcloud.com (the callback path /login/callback is added for you)',
    ]);
  });

  it("refuses a port", () => {
    expect(problemsFor(withLine("tenantHostname", "acme.eu.qlikcloud.com:443"))).toEqual([
      'stacks.prod.qlik.tenantHostname: "acme.eu.qlikcloud.com:443" must not include a port; Qlik Cloud tenants are served on 443',
    ]);
  });

  it("refuses uppercase and shows the lowercase form", () => {
    expect(problemsFor(withLine("tenantHostname", "Acme.EU.qlikcloud.com"))).toEqual([
      'stacks.prod.qlik.tenantHostname: "Acme.EU.qlikcloud.com" must be lowercase: acme.eu.qlikcloud.com',
    ]);
  });

  it("refuses whitespace", () => {
    expect(problemsFor(withLine("tenantHostname", " acme.eu.qlikcloud.com"))).toEqual([
      'stacks.prod.qlik.tenantHostname: " acme.eu.qlikcloud.com" contains whitespace; write the bare hostname, e.g. acme.eu.qlikcloud.com',
    ]);
  });

  it("refuses something that is not a hostname", () => {
    expect(problemsFor(withLine("tenantHostname", "acme_eu"))).toEqual([
      'stacks.prod.qlik.tenantHostname: "acme_eu" is not a hostname; expected e.g. acme.eu.qlikcloud.com',
    ]);
  });

  it("warns, but accepts, a hostname outside qlikcloud.com", () => {
    const { stacks, warnings } = parseConfig(withLine("tenantHostname", "acme.qlik.example.gov"));
    expect(stacks.prod.qlik.tenantHostname).toBe("acme.qlik.example.gov");
    expect(warnings).toEqual([
      'stacks.prod.qlik.tenantHostname: "acme.qlik.example.gov" is not under qlikcloud.com; fine for Qlik Cloud Government or other Qlik domains, otherwise check for a typo',
    ]);
  });
});

describe("configuration: app", () => {
  it("refuses an invalid groups claim regex", () => {
    const text = `${VALID}    app: { groupsClaimRegex: "qlik-(" }\n`;
    expect(problemsFor(text)).toEqual([
      'stacks.prod.app.groupsClaimRegex: "qlik-(" is not a valid regular expression (/qlik-(/: Unterminated group); e.g. ".*" or "^qlik-.*"',
    ]);
  });

  it("refuses a stack where nobody is assigned the app", () => {
    const text = `${VALID}    app: { assignToEveryone: false }\n`;
    expect(problemsFor(text)).toEqual([
      "stacks.prod.app: nobody is assigned the Okta app (assignToEveryone is false and groups is empty), so nobody could sign in to Qlik; set assignToEveryone: true or list Okta group names under groups",
    ]);
  });

  it("accepts named groups instead of everyone", () => {
    const { stacks } = parseConfig(`${VALID}    app: { assignToEveryone: false, groups: [Qlik Users] }\n`);
    expect(stacks.prod.app.groups).toEqual(["Qlik Users"]);
  });
});

describe("configuration: authorizationServer", () => {
  it("refuses an enabled authorization server without scopes", () => {
    expect(problemsFor(`${VALID}    authorizationServer: { scopes: [] }\n`)).toEqual([
      "stacks.prod.authorizationServer.scopes: the authorization server needs at least one scope, e.g. [{ name: qlik.api }]; or set enabled: false if your org has no API Access Management",
    ]);
  });

  it("accepts no scopes when the authorization server is disabled", () => {
    const { stacks } = parseConfig(`${VALID}    authorizationServer: { enabled: false, scopes: [] }\n`);
    expect(stacks.prod.authorizationServer.enabled).toBe(false);
  });

  it("refuses duplicate scope names", () => {
    expect(problemsFor(`${VALID}    authorizationServer: { scopes: [{ name: qlik.api }, { name: qlik.api }] }\n`)).toEqual([
      'stacks.prod.authorizationServer.scopes[1].name: duplicate scope name "qlik.api"; scope names must be unique',
    ]);
  });
});

describe("configuration: identityProvider", () => {
  it("names the valid values of an enum", () => {
    expect(problemsFor(`${VALID}    identityProvider: { onDestroy: keep }\n`)).toEqual([
      'stacks.prod.identityProvider.onDestroy: "keep" is not valid; valid values: retain, delete',
    ]);
  });

  it("refuses a description that leaves no room for the managed-by marker", () => {
    const long = "x".repeat(120);
    expect(problemsFor(`${VALID}    identityProvider: { description: ${long} }\n`)).toEqual([
      "stacks.prod.identityProvider.description: is 120 characters; at most 96 fit, because Qlik allows 128 and the managed-by marker takes 32",
    ]);
  });

  it("refuses an unknown Qlik claim and lists the valid ones", () => {
    expect(problemsFor(`${VALID}    identityProvider: { claimsMapping: { sub: [sub], group: [groups] } }\n`)).toEqual([
      'stacks.prod.identityProvider.claimsMapping.group: "group" is not a Qlik claim; valid claims: sub, name, email, email_verified, groups, picture, locale, zoneinfo, client_id',
    ]);
  });
});

describe("configuration: structure", () => {
  it("reports an unknown key with a did-you-mean hint", () => {
    expect(problemsFor(`${VALID}    app: { lable: Qlik }\n`)).toEqual([
      'stacks.prod.app.lable: unknown setting; did you mean "label"? valid settings here: label, assignToEveryone, groups, groupsClaimRegex, showTile',
    ]);
  });

  it("reports a missing required setting", () => {
    expect(problemsFor(`stacks:\n  prod:\n    okta: { orgUrl: https://acme.okta.com }\n`)).toEqual([
      "stacks.prod.qlik: is required (a mapping)",
    ]);
  });

  it("refuses invalid stack names", () => {
    expect(problemsFor(VALID.replace("prod:", "'prod/eu':"))).toEqual([
      'stacks.prod/eu: stack name "prod/eu" is not valid: use 1-63 letters, digits, "-" or "_", starting with a letter (it becomes the directory cdktf.out/stacks/<name> and part of Terraform state names)',
    ]);
  });

  it("refuses an empty file", () => {
    expect(problemsFor("   \n")).toEqual([
      'the file is empty; it needs a "stacks:" mapping (see examples/qlik-okta.yaml)',
    ]);
  });

  it("reports a YAML syntax error with its line and column", () => {
    expect(problemsFor(`stacks:\n  prod:\n    okta: { orgUrl: https://acme.okta.com\n    qlik: {}\n`)).toEqual([
      expect.stringMatching(/^line 4, column \d+: syntax error: /),
    ]);
  });

  it("reports every problem at once, across stacks and sections", () => {
    const text = `
stacks:
  prod:
    okta: { orgUrl: "http://acme.okta.com" }
    qlik: { tenantHostname: "https://acme.eu.qlikcloud.com" }
    app: { assignToEveryone: false, lable: x }
  dev:
    okta: { orgUrl: https://dev.okta.com/x }
    qlik: { tenantHostname: dev.us.qlikcloud.com }
    identityProvider: { verification: later }
`;
    const problems = problemsFor(text);
    expect(problems.map((p) => p.split(":")[0]).sort()).toEqual(
      [
        "stacks.dev.identityProvider.verification",
        "stacks.dev.okta.orgUrl",
        "stacks.prod.app",
        "stacks.prod.app.lable",
        "stacks.prod.okta.orgUrl",
        "stacks.prod.qlik.tenantHostname",
      ].sort(),
    );
  });
});

describe("configuration: secrets", () => {
  it("refuses a secret-looking key without echoing its value", () => {
    const problems = problemsFor(`${VALID.replace("orgUrl: https://acme.okta.com", "orgUrl: https://acme.okta.com, apiToken: canary-secret-123")}`);
    expect(problems).toEqual([
      "stacks.prod.okta.apiToken: secrets are not accepted in the config file (value not shown): set OKTA_API_TOKEN in the environment",
    ]);
    expect(problems.join("\n")).not.toContain("canary-secret-123");
  });

  it("refuses an Okta API token pasted as a value", () => {
    const token = `00${"a".repeat(40)}`;
    const problems = problemsFor(`${VALID}    app: { label: "${token}" }\n`);
    expect(problems).toEqual([
      "stacks.prod.app.label: looks like a secret (value not shown); secrets never go in the config file: pass secrets through the environment",
    ]);
    expect(problems.join("\n")).not.toContain(token);
  });

  it("refuses a Qlik client secret in the identity provider section", () => {
    expect(problemsFor(`${VALID}    identityProvider: { clientSecret: s3cr3t }\n`)).toEqual([
      "stacks.prod.identityProvider.clientSecret: secrets are not accepted in the config file (value not shown): the Okta client secret is passed from the Okta app to Qlik for you",
    ]);
  });
});

describe("configuration: which file", () => {
  it("uses --config, then QLIK_OKTA_CONFIG, then ./qlik-okta.yaml, then the bundled example", () => {
    const dir = tempDir("qlik-okta-cfg-");
    expect(resolveConfigFile("a.yaml", { QLIK_OKTA_CONFIG: "b.yaml" }, dir)).toEqual({ file: path.join(dir, "a.yaml"), bundled: false });
    expect(resolveConfigFile(undefined, { QLIK_OKTA_CONFIG: "b.yaml" }, dir)).toEqual({ file: path.join(dir, "b.yaml"), bundled: false });
    expect(resolveConfigFile(undefined, {}, dir)).toEqual({ file: BUNDLED_EXAMPLE, bundled: true });
    writeFileSync(path.join(dir, "qlik-okta.yaml"), VALID);
    expect(resolveConfigFile(undefined, {}, dir)).toEqual({ file: path.join(dir, "qlik-okta.yaml"), bundled: false });
  });

  it("loads the bundled example without problems", () => {
    const config = loadConfigFile(BUNDLED_EXAMPLE);
    expect(Object.keys(config.stacks)).toEqual(["example"]);
    expect(config.warnings).toEqual([]);
  });

  it("says when the file does not exist", () => {
    expect(() => loadConfigFile("/nonexistent/qlik-okta.yaml")).toThrow(
      "/nonexistent/qlik-okta.yaml: invalid configuration (1 problem):\n  - file not found; pass --config <file> or set QLIK_OKTA_CONFIG",
    );
  });
});

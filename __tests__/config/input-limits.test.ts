import { existsSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { CONFIG_FILE_LIMIT, loadConfigFile, parseConfig } from "../../lib/config";
import { removeTempDirs, tempDir } from "../tmp";
import { VALID, problemsFor, problemsOf } from "./fixtures";

afterAll(removeTempDirs); // every tempDir()/workspace() of this file




/** `shown()` of a long run of one character: quoted, cut to 80 characters. */
const shownRun = (c: string) => `"${c.repeat(76)}..."`;

/** The "billion laughs": nine levels of nine aliases each, 9^9 copies of "lol" when expanded. */
function aliasBomb(): string {
  const lines = [`a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]`);
  }
  return `${lines.join("\n")}\n${VALID}`;
}

describe("configuration: YAML that would exhaust memory", () => {
  it("refuses an alias bomb as a config problem, not an unexpected error", () => {
    expect(problemsFor(aliasBomb())).toEqual([
      "syntax error: too many YAML aliases (an alias bomb?); a config needs few aliases, if any: write the values out instead",
    ]);
  });

  it("refuses an alias without an anchor before it as a config problem", () => {
    expect(problemsFor(`${VALID}    app: { label: *name }\n`)).toEqual([
      "syntax error: the alias *name refers to no anchor &name before it; define &name earlier or write the value out",
    ]);
  });

  it("still accepts a few aliases that share settings between stacks", () => {
    const text = `${VALID}    app: &app { label: Qlik Cloud, assignToEveryone: false, groups: [Qlik Users] }
  dev:
    okta: { orgUrl: https://dev.okta.com }
    qlik: { tenantHostname: dev.eu.qlikcloud.com }
    app: *app
`;
    const { stacks } = parseConfig(text);
    expect(stacks.dev.app.groups).toEqual(["Qlik Users"]);
  });
});

describe("configuration: size of the config file", () => {
  it("refuses a file over 1 MiB before parsing it, with its size and the limit", () => {
    // GIVEN a 60 MB config whose app label is the whole file
    const file = path.join(tempDir("qlik-okta-size-"), "qlik-okta.yaml");
    writeFileSync(file, `${VALID}    app: { label: ${"x".repeat(60_000_000)} }\n`);
    // WHEN
    const started = Date.now();
    const problems = problemsOf(() => loadConfigFile(file));
    // THEN
    expect(problems).toEqual([
      "the file is 60,000,134 bytes, more than the 1,048,576 bytes (1 MiB) a config file may have; pass --config <file> or set QLIK_OKTA_CONFIG to the qlik-okta config",
    ]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  (existsSync("/dev/zero") ? it : it.skip)("stops reading a file without end (a device) after 1 MiB", () => {
    expect(problemsOf(() => loadConfigFile("/dev/zero"))).toEqual([
      "the file is larger than the 1,048,576 bytes (1 MiB) a config file may have; pass --config <file> or set QLIK_OKTA_CONFIG to the qlik-okta config",
    ]);
  });

  it("accepts a file of exactly 1 MiB", () => {
    const file = path.join(tempDir("qlik-okta-size-"), "qlik-okta.yaml");
    expect(CONFIG_FILE_LIMIT).toBe(1_048_576);
    writeFileSync(file, `${VALID}#${"x".repeat(CONFIG_FILE_LIMIT - VALID.length - 2)}\n`);
    expect(Object.keys(loadConfigFile(file).stacks)).toEqual(["prod"]);
  });
});

describe("configuration: lengths the APIs accept", () => {
  it("refuses an Okta app label over Okta's 100 characters", () => {
    expect(problemsFor(`${VALID}    app: { label: ${"L".repeat(101)} }\n`)).toEqual([
      `stacks.prod.app.label: ${shownRun("L")} is 101 characters; Okta allows at most 100 in an app label; shorten it`,
    ]);
    expect(parseConfig(`${VALID}    app: { label: ${"L".repeat(100)} }\n`).stacks.prod.app.label).toHaveLength(100);
  });

  it("refuses an Okta group name over Okta's 255 characters", () => {
    expect(problemsFor(`${VALID}    app: { assignToEveryone: false, groups: [ok, ${"g".repeat(256)}] }\n`)).toEqual([
      `stacks.prod.app.groups[1]: ${shownRun("g")} is 256 characters; Okta allows at most 255 in a group name; shorten it`,
    ]);
  });

  it("refuses an authorization server name over Okta's 50 characters", () => {
    expect(problemsFor(`${VALID}    authorizationServer: { name: ${"n".repeat(51)} }\n`)).toEqual([
      `stacks.prod.authorizationServer.name: "${"n".repeat(51)}" is 51 characters; Okta allows at most 50 in an authorization server name; shorten it`,
    ]);
  });

  it("refuses a post-logout redirect URI over Okta's 512 characters", () => {
    const uri = `https://acme.eu.qlikcloud.com/${"p".repeat(483)}`;
    expect(problemsFor(`${VALID}    identityProvider: { postLogoutRedirectUri: "${uri}" }\n`)).toEqual([
      `stacks.prod.identityProvider.postLogoutRedirectUri: ${JSON.stringify(uri).slice(0, 77)}..." is 513 characters; Okta allows at most 512 in a redirect URI; shorten it`,
    ]);
  });

  it("caps every other free-text setting at 1000 characters", () => {
    const long = "t".repeat(1001);
    const text = `${VALID}    authorizationServer:
      description: ${long}
      audience: ${long}
      scopes: [{ name: ${long}, displayName: ${long}, description: ${long} }]
    app: { groupsClaimRegex: ${long} }
    identityProvider: { claimsMapping: { sub: [${long}] } }
`;
    const tail = `${shownRun("t")} is 1001 characters; at most 1000 are accepted here; shorten it`;
    expect(problemsFor(text).sort()).toEqual(
      [
        `stacks.prod.app.groupsClaimRegex: ${tail}`,
        `stacks.prod.authorizationServer.audience: ${tail}`,
        `stacks.prod.authorizationServer.description: ${tail}`,
        `stacks.prod.authorizationServer.scopes[0].description: ${tail}`,
        `stacks.prod.authorizationServer.scopes[0].displayName: ${tail}`,
        `stacks.prod.authorizationServer.scopes[0].name: ${tail}`,
        `stacks.prod.identityProvider.claimsMapping.sub[0]: ${tail}`,
      ].sort(),
    );
  });

  it("caps the settings of a state backend too", () => {
    expect(problemsFor(`${VALID}    backend: { type: local, path: ${"s".repeat(1001)} }\n`)).toEqual([
      `stacks.prod.backend.path: ${shownRun("s")} is 1001 characters; at most 1000 are accepted here; shorten it`,
    ]);
  });

  it("refuses a 2 MB label fast, as a config problem, when the text is parsed directly", () => {
    const started = Date.now();
    expect(problemsFor(`${VALID}    app: { label: ${"x".repeat(2_000_000)} }\n`)).toEqual([
      `stacks.prod.app.label: ${shownRun("x")} is 2000000 characters; Okta allows at most 100 in an app label; shorten it`,
    ]);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("counts the managed-by marker and its separating space in Qlik's 128 characters of description", () => {
    // " [managed by qlik-okta-iac:prod]" is 32 characters, so 96 fit and 97 do not.
    expect(parseConfig(`${VALID}    identityProvider: { description: ${"d".repeat(96)} }\n`).stacks.prod.identityProvider.description).toHaveLength(96);
    expect(problemsFor(`${VALID}    identityProvider: { description: ${"d".repeat(97)} }\n`)).toEqual([
      "stacks.prod.identityProvider.description: is 97 characters; at most 96 fit, because Qlik allows 128 and the managed-by marker takes 32",
    ]);
  });

  it("never shows a long secret-looking value in a length message", () => {
    const secret = `SSWS ${"k".repeat(200)}`;
    const problems = problemsFor(`${VALID}    app: { label: "${secret}" }\n`);
    expect(problems).toEqual([
      "stacks.prod.app.label: looks like a secret (value not shown); secrets never go in the config file: pass secrets through the environment",
    ]);
  });
});

describe("configuration: the managed-by marker is the tool's own", () => {
  const REMOVE = `contains the managed-by marker syntax "[managed by qlik-okta-iac:…]", which this tool adds itself and uses to find each stack's IdP; remove it`;

  it("refuses the marker in the identity provider's description", () => {
    expect(problemsFor(`${VALID}    identityProvider: { description: "Okta [managed by qlik-okta-iac:dev]" }\n`)).toEqual([
      `stacks.prod.identityProvider.description: "Okta [managed by qlik-okta-iac:dev]" ${REMOVE}`,
    ]);
  });

  it("refuses it whatever the case and spacing, and unclosed", () => {
    const text = `${VALID}    identityProvider: { description: "Okta [Managed  by qlik-okta-iac:dev]" }
    app: { label: "[ MANAGED BY QLIK-OKTA-IAC : prod ]" }
    authorizationServer: { description: "x [managed by qlik-okta-iac:prod" }
`;
    expect(problemsFor(text).sort()).toEqual([
      `stacks.prod.app.label: "[ MANAGED BY QLIK-OKTA-IAC : prod ]" ${REMOVE}`,
      `stacks.prod.authorizationServer.description: "x [managed by qlik-okta-iac:prod" ${REMOVE}`,
      `stacks.prod.identityProvider.description: "Okta [Managed  by qlik-okta-iac:dev]" ${REMOVE}`,
    ]);
  });

  it("refuses it in scopes and group names", () => {
    const text = `${VALID}    app: { groups: ["Qlik [managed by qlik-okta-iac:prod]"] }
    authorizationServer: { scopes: [{ name: qlik.api, displayName: "[managed by qlik-okta-iac:prod]" }] }
`;
    expect(problemsFor(text)).toEqual([
      `stacks.prod.app.groups[0]: "Qlik [managed by qlik-okta-iac:prod]" ${REMOVE}`,
      `stacks.prod.authorizationServer.scopes[0].displayName: "[managed by qlik-okta-iac:prod]" ${REMOVE}`,
    ]);
  });

  it("accepts text that only mentions the tool, like the default authorization server description", () => {
    const text = `${VALID}    identityProvider: { description: "Okta (managed by qlik-okta-iac)" }\n`;
    expect(parseConfig(text).stacks.prod.authorizationServer.description).toBe("Qlik Cloud API access (managed by qlik-okta-iac)");
  });

  it("reports a marker together with every other problem", () => {
    const text = `${VALID}    identityProvider: { description: "[managed by qlik-okta-iac:dev]", onDestroy: keep }
    app: { label: ${"L".repeat(101)} }
`;
    expect(problemsFor(text).map((p) => p.split(":")[0]).sort()).toEqual(
      ["stacks.prod.app.label", "stacks.prod.identityProvider.description", "stacks.prod.identityProvider.onDestroy"].sort(),
    );
  });
});

/**
 * Bad input, tried as a careless user would, through the real CLI: every case ends in clear words on stderr and a
 * non-zero exit — never a stack trace, never "please report it" (that is for bugs), never a secret in any form.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { ensureBuilt, runCli } from "../e2e/helpers";
import { removeTempDirs, tempDir } from "../tmp";

afterAll(removeTempDirs);
beforeAll(() => ensureBuilt());

/** Canary credentials with quotes and backslashes: JSON-escaping changes them, so both forms are looked for. */
const SECRETS = { QLIK_IDP_CLIENT_SECRET: 'idp"se\\cret-1a2b3c4d', QLIK_API_KEY: 'api"k\\ey-5e6f7a8b', OKTA_API_TOKEN: 'okta"to\\ken-9c0d1e2f' };
const GOOD = `stacks:\n  prod:\n    okta: { orgUrl: https://acme.okta.com }\n    qlik: { tenantHostname: acme.eu.qlikcloud.com }\n`;

interface Case {
  readonly args: string[];
  /** Files to write in the working directory first. */
  readonly files?: Record<string, string>;
  readonly env?: Record<string, string | undefined>;
  /** Words the error must contain (what is wrong, what to do). */
  readonly says: RegExp;
}

const aliasBomb = ["a: &a [x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`)].join("\n");

const CASES: Record<string, Case> = {
  "unknown command": { args: ["deploy"], says: /unknown command 'deploy'/ },
  "unknown option": { args: ["synth", "--colour"], says: /unknown option '--colour'/ },
  "synth: config file missing": { args: ["synth", "-c", "nope.yaml"], says: /file not found; pass --config <file>/ },
  "synth: config is a directory": { args: ["synth", "-c", "dir"], files: { "dir/.keep": "" }, says: /is a directory/ },
  "synth: empty config": { args: ["synth", "-c", "c.yaml"], files: { "c.yaml": "" }, says: /the file is empty/ },
  "synth: YAML syntax": { args: ["synth", "-c", "c.yaml"], files: { "c.yaml": "stacks: [\n" }, says: /syntax error/ },
  "synth: alias bomb": { args: ["synth", "-c", "c.yaml"], files: { "c.yaml": `${aliasBomb}\n${GOOD}` }, says: /too many YAML aliases/ },
  "synth: 2 MB config": { args: ["synth", "-c", "c.yaml"], files: { "c.yaml": `# ${"x".repeat(2_100_000)}\n${GOOD}` }, says: /more than the 1,048,576 bytes/ },
  "synth: unknown setting": { args: ["synth", "-c", "c.yaml"], files: { "c.yaml": GOOD.replace("okta: {", "okta: { orgURL: x, ") }, says: /unknown setting/ },
  "synth: secret in the config": { args: ["synth", "-c", "c.yaml"], files: { "c.yaml": `${GOOD}    identityProvider: { clientSecret: abcdefgh12345678 }\n` }, says: /secret|unknown setting/ },
  "synth: 60 kB label": { args: ["synth", "-c", "c.yaml"], files: { "c.yaml": `${GOOD}    app: { label: ${"L".repeat(60_000)} }\n` }, says: /is 60000 characters/ },
  "synth: marker in the description": { args: ["synth", "-c", "c.yaml"], files: { "c.yaml": `${GOOD}    identityProvider: { description: "Okta [managed by qlik-okta-iac:dev]" }\n` }, says: /managed-by marker syntax/ },
  "synth: hostname with a scheme": { args: ["synth", "-c", "c.yaml"], files: { "c.yaml": GOOD.replace("tenantHostname: acme", "tenantHostname: https://acme") }, says: /must not include a scheme/ },
  "synth: -o is a file": { args: ["synth", "-c", "c.yaml", "-o", "f"], files: { "c.yaml": GOOD, f: "x" }, says: /it is a file; pass -o/ },
  "synth: -o under a file": { args: ["synth", "-c", "c.yaml", "-o", "f/child"], files: { "c.yaml": GOOD, f: "x" }, says: /is a file; pass -o/ },
  "idp plan: no client id": { args: ["idp", "plan", "-c", "c.yaml"], files: { "c.yaml": GOOD }, says: /--client-id is required/ },
  "idp plan: no secret": { args: ["idp", "plan", "-c", "c.yaml", "--client-id", "0oa1"], files: { "c.yaml": GOOD }, env: { QLIK_IDP_CLIENT_SECRET: undefined }, says: /QLIK_IDP_CLIENT_SECRET is not set/ },
  "idp plan: unknown stack": { args: ["idp", "plan", "-c", "c.yaml", "-s", "dev", "--client-id", "0oa1"], files: { "c.yaml": GOOD }, says: /No stack "dev"/ },
  "idp plan: no config file": { args: ["idp", "plan", "--client-id", "0oa1"], says: /no config file here/ },
  "idp plan: --request-env and --config": { args: ["idp", "plan", "--request-env", "R", "-c", "c.yaml"], files: { "c.yaml": GOOD }, says: /Give either --request-env NAME, or --config/ },
  "idp apply: --request-env unset": { args: ["idp", "apply", "--request-env", "R"], says: /--request-env R: the environment variable is not set/ },
  "idp apply: --request-env not JSON": { args: ["idp", "apply", "--request-env", "R"], env: { R: "{nope" }, says: /is not valid JSON/ },
  "idp plan: bad --discovery-url": { args: ["idp", "plan", "-c", "c.yaml", "--client-id", "0oa1", "--discovery-url", "ftp://x"], files: { "c.yaml": GOOD }, says: /--discovery-url: "ftp:\/\/x" is not an https URL/ },
  "idp plan: QLIK_BASE_URL over http elsewhere": { args: ["idp", "plan", "-c", "c.yaml", "--client-id", "0oa1"], files: { "c.yaml": GOOD }, env: { QLIK_BASE_URL: "http://qlik.example.com" }, says: /plain http to another machine/ },
  "idp plan: QLIK_BASE_URL with a path": { args: ["idp", "plan", "-c", "c.yaml", "--client-id", "0oa1"], files: { "c.yaml": GOOD }, env: { QLIK_BASE_URL: "https://x.example.com/sub/" }, says: /has a path/ },
  "idp plan: QLIK_BASE_URL not a URL": { args: ["idp", "plan", "-c", "c.yaml", "--client-id", "0oa1"], files: { "c.yaml": GOOD }, env: { QLIK_BASE_URL: "::" }, says: /is not a URL/ },
  "idp plan: API key and OAuth client": { args: ["idp", "plan", "-c", "c.yaml", "--client-id", "0oa1"], files: { "c.yaml": GOOD }, env: { QLIK_CLIENT_ID: "m2m", QLIK_CLIENT_SECRET: 'm2m"se\\cret-3f4a' }, says: /both QLIK_API_KEY and QLIK_CLIENT_ID/ },
  "idp plan: no Qlik credentials": { args: ["idp", "plan", "-c", "c.yaml", "--client-id", "0oa1"], files: { "c.yaml": GOOD }, env: { QLIK_API_KEY: undefined }, says: /No Qlik credentials/ },
  "idp plan: half an OAuth client": { args: ["idp", "plan", "-c", "c.yaml", "--client-id", "0oa1"], files: { "c.yaml": GOOD }, env: { QLIK_API_KEY: undefined, QLIK_CLIENT_ID: "m2m" }, says: /QLIK_CLIENT_SECRET is not set/ },
  "doctor: no config file": { args: ["doctor"], says: /no config file here/ },
  "doctor: unknown stack": { args: ["doctor", "-c", "c.yaml", "-s", "dev"], files: { "c.yaml": GOOD }, says: /No stack "dev"/ },
  "plan: no config file": { args: ["plan"], says: /no config file here/ },
  "plan: unknown stack": { args: ["plan", "-c", "c.yaml", "-s", "dev"], files: { "c.yaml": GOOD }, says: /No stack "dev"/ },
  "apply: no saved plan": { args: ["apply", "-c", "c.yaml"], files: { "c.yaml": GOOD }, says: /no saved plan for stack prod .* run qlik-okta plan first/ },
  "adopt: no config file": { args: ["adopt"], says: /no config file here/ },
  "adopt: unknown stack": { args: ["adopt", "-c", "c.yaml", "-s", "dev"], files: { "c.yaml": GOOD }, says: /No stack "dev"/ },
  "adopt: no Okta token": { args: ["adopt", "-c", "c.yaml"], files: { "c.yaml": GOOD }, env: { OKTA_API_TOKEN: undefined }, says: /OKTA_API_TOKEN is not set: adopt reads the Okta org/ },
  "report: no plans": { args: ["report"], says: /no plans in .*; run qlik-okta plan first/ },
  "report: --max-chars not a number": { args: ["report", "--max-chars", "lots"], says: /not a whole number/ },
  "report: --output in a missing directory": { args: ["report", "--output", "no/such/dir/c.md"], files: { ".qlik-okta/prod/plan-meta.json": JSON.stringify({ formatVersion: 1, stack: "prod", createdAt: "2026-01-01T00:00:00Z", configFile: "c.yaml", configSha256: "x", stackJsonSha256: "y", engine: { name: "tofu", version: "1.12.6" }, destroy: false, error: "boom" }) }, says: /could not write no\/such\/dir\/c\.md \(ENOENT\)/ },
  "report: a broken plan file": { args: ["report"], files: { ".qlik-okta/prod/plan-meta.json": "{broken" }, says: /cannot be read \(not valid JSON\); run qlik-okta plan again/ },
};

describe("bad input never ends in a stack trace or a leaked secret", () => {
  it.each(Object.entries(CASES))("%s", async (_name, c) => {
    const dir = tempDir("qlik-okta-bad-");
    for (const [file, text] of Object.entries(c.files ?? {})) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    const run = await runCli(c.args, dir, { ...SECRETS, ...c.env });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(c.says);
    const all = `${run.stdout}\n${run.stderr}`;
    expect(all).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m); // a stack frame
    expect(all).not.toContain("please report it");
    for (const value of [...Object.values(SECRETS), 'm2m"se\\cret-3f4a']) {
      expect(all).not.toContain(value);
      expect(all).not.toContain(JSON.stringify(value).slice(1, -1));
    }
  });

  it("tries enough of them to mean something", () => {
    expect(Object.keys(CASES).length).toBeGreaterThanOrEqual(35);
  });
});

/**
 * The holes an adversarial pass found (issue "No write can lock a tenant out…"), each through the real CLI against
 * the Qlik emulator: credentials never go to the example's hosts, QLIK_BASE_URL and the credentials are unambiguous,
 * a bad flag is named as such, an adopted active IdP is not rewritten with an unchecked secret.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { QlikEmulator, startQlikEmulator } from "../../lib/emulators/qlik";
import { isLoopback, qlikBaseUrl, qlikCredentialsFromEnv } from "../../lib/qlik/client";
import { discoveryUrlProblem } from "../../lib/qlik/request";
import { ensureBuilt, runCli } from "../e2e/helpers";
import { removeTempDirs, tempDir } from "../tmp";

afterAll(removeTempDirs);

const TENANT = "acme.eu.qlikcloud.com";
const API_KEY = "qlik-emulator-key";
const SECRET = "okta-client-secret-0123456789abcdefghij";
let emu: QlikEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** Only what the test gives: no QLIK_/OKTA_ variable of the caller leaks in (runCli filters them). */
const cli = (args: string[], cwd: string, env: Record<string, string | undefined> = {}) => runCli(args, cwd, env);

function project(stack: Record<string, unknown> = {}): { dir: string; file: string } {
  const dir = tempDir("qlik-okta-hardening-");
  const file = path.join(dir, "qlik-okta.yaml");
  writeFileSync(file, JSON.stringify({ stacks: { prod: { okta: { orgUrl: "https://acme.okta.com" }, qlik: { tenantHostname: TENANT }, ...stack } } }));
  return { dir, file };
}

beforeAll(() => ensureBuilt());

describe("no credentials to the bundled example's hosts", () => {
  it.each([["doctor"], ["plan"], ["apply"]])("%s without a config file refuses before any request, saying how to make one", async (command) => {
    // GIVEN an empty directory and real-looking credentials in the environment
    const dir = tempDir("qlik-okta-noconfig-");
    emu = await startQlikEmulator();
    // WHEN
    const run = await cli([command], dir, { QLIK_API_KEY: API_KEY, QLIK_BASE_URL: emu.url, OKTA_API_TOKEN: "00okta-token-xyz" });
    // THEN one line, and not a single request went anywhere
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n").pop()).toMatch(/^no config file here: pass --config FILE .* cp examples\/qlik-okta\.yaml qlik-okta\.yaml/);
    expect(emu.requests).toEqual([]);
  });
});

describe("QLIK_BASE_URL and the Qlik credentials", () => {
  it("takes an origin only: plain http to this machine alone, no path", () => {
    expect(qlikBaseUrl(TENANT, {})).toBe(`https://${TENANT}`);
    expect(qlikBaseUrl(TENANT, { QLIK_BASE_URL: "http://127.0.0.1:8080/" })).toBe("http://127.0.0.1:8080");
    expect(() => qlikBaseUrl(TENANT, { QLIK_BASE_URL: "http://qlik.example.com" })).toThrow(
      'QLIK_BASE_URL "http://qlik.example.com" uses plain http to another machine (only https, or http to 127.0.0.1/localhost); unset it to use https://<tenantHostname>',
    );
    expect(() => qlikBaseUrl(TENANT, { QLIK_BASE_URL: "https://acme.eu.qlikcloud.com/sub/" })).toThrow(
      'QLIK_BASE_URL "https://acme.eu.qlikcloud.com/sub/" has a path; give the origin only, e.g. https://acme.eu.qlikcloud.com; unset it to use https://<tenantHostname>',
    );
    expect(isLoopback("127.1.2.3")).toBe(true);
    expect(isLoopback("[::1]")).toBe(true);
    expect(isLoopback("10.0.0.1")).toBe(false);
  });

  it("refuses an API key and an OAuth client at once instead of picking one", () => {
    expect(() => qlikCredentialsFromEnv({ QLIK_API_KEY: "k-123456", QLIK_CLIENT_ID: "m2m", QLIK_CLIENT_SECRET: "m2m-secret" })).toThrow(
      /^both QLIK_API_KEY and QLIK_CLIENT_ID\/QLIK_CLIENT_SECRET are set: unset the one you do not mean/,
    );
  });
});

describe("a bad flag is named as the flag", () => {
  it("--discovery-url that is no https discovery document is refused before any request", async () => {
    emu = await startQlikEmulator();
    const { dir, file } = project();
    for (const bad of ["notaurl", "http://acme.okta.com/.well-known/openid-configuration", "https://acme.okta.com/"]) {
      const run = await cli(["idp", "plan", "--config", file, "--client-id", "0oa1", "--discovery-url", bad], dir, {
        QLIK_API_KEY: API_KEY,
        QLIK_BASE_URL: emu.url,
        QLIK_IDP_CLIENT_SECRET: SECRET,
      });
      expect(run.status).toBe(1);
      expect(run.stderr.trim()).toBe(
        `--discovery-url: ${discoveryUrlProblem(bad)}; omit it to use the Okta org's (https://acme.okta.com/.well-known/openid-configuration)`,
      );
    }
    expect(discoveryUrlProblem("notaurl")).toBe('"notaurl" is not a URL');
    expect(discoveryUrlProblem("https://acme.okta.com/.well-known/openid-configuration")).toBeUndefined();
    expect(emu.requests).toEqual([]);
  });
});

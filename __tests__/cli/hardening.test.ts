/**
 * The holes an adversarial pass found (issue "No write can lock a tenant out…"), each through the real CLI against
 * the Qlik emulator: credentials never go to the example's hosts, QLIK_BASE_URL and the credentials are unambiguous,
 * a bad flag is named as such, an adopted active IdP is not rewritten with an unchecked secret.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { startOktaEmulator } from "../../lib/emulators/okta";
import { QlikEmulator, startQlikEmulator } from "../../lib/emulators/qlik";
import { plainHttpAllowed } from "../../lib/contract";
import { qlikBaseUrl, qlikCredentialsFromEnv } from "../../lib/qlik/client";
import { discoveryUrlProblem } from "../../lib/qlik/request";
import { ensureBuilt, runCli } from "../e2e/helpers";
import { createOktaApp } from "../okta/fixtures";
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
    expect(plainHttpAllowed(new URL("http://127.1.2.3:9"))).toBe(true);
    expect(plainHttpAllowed(new URL("http://[::1]/"))).toBe(true);
    expect(plainHttpAllowed(new URL("http://LocalHost"))).toBe(true);
    expect(plainHttpAllowed(new URL("http://10.0.0.1"))).toBe(false);
    expect(plainHttpAllowed(new URL("http://127.0.0.1.example.com"))).toBe(false);
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

describe("an adopted active IdP made by hand (item 1 of the hardening issue)", () => {
  const HAND_MADE = {
    id: "handmade",
    protocol: "OIDC",
    provider: "okta",
    interactive: true,
    active: true,
    description: "Okta",
    options: {
      clientId: "0oaC1",
      clientSecret: "the-secret-qlik-has-now-0123456789",
      discoveryUrl: "https://acme.okta.com/.well-known/openid-configuration",
      realm: "okta",
      claimsMapping: { sub: ["sub"], name: ["name"], email: ["email"], email_verified: ["email_verified"], groups: ["groups"] },
    },
  };
  const RIGHT = "the-secret-okta-has-0123456789abcdef";
  const WRONG = 'wrong"secret\\0123456789abcdef';

  it("is not given a secret Okta rejects, and the plan shows the secret write and the refusal", async () => {
    // GIVEN the hand-made active IdP, and in Okta the app 0oaC1 with its real secret
    emu = await startQlikEmulator({ seedIdps: [HAND_MADE] });
    const okta = await startOktaEmulator();
    try {
      await createOktaApp(okta, "0oaC1", RIGHT);
      const { dir, file } = project({ identityProvider: { verification: "skip", activate: true } });
      const env = (secret: string) => ({ QLIK_API_KEY: API_KEY, QLIK_BASE_URL: emu?.url, QLIK_IDP_CLIENT_SECRET: secret, OKTA_HTTP_PROXY: okta.url });
      // WHEN planned and applied with a secret that is not the app's
      const planned = await cli(["idp", "plan", "--config", file, "--client-id", "0oaC1"], dir, env(WRONG));
      const applied = await cli(["idp", "apply", "--config", file, "--client-id", "0oaC1"], dir, env(WRONG));
      // THEN the plan says it is blocked, the apply writes nothing and exits 1
      expect(planned.status).toBe(2);
      expect(planned.stdout).toContain("! write the client secret into the live options: blocked, Okta rejects it");
      expect(applied.status).toBe(1);
      expect(emu.writes()).toEqual([]);
      expect((emu.idps()[0] as { options: { clientSecret: string } }).options.clientSecret).toBe(HAND_MADE.options.clientSecret);
      for (const form of [WRONG, JSON.stringify(WRONG).slice(1, -1)]) expect(`${planned.stdout}${planned.stderr}${applied.stdout}${applied.stderr}`).not.toContain(form);
      // WHEN planned with the app's real secret
      const right = await cli(["idp", "plan", "--config", file, "--client-id", "0oaC1"], dir, env(RIGHT));
      // THEN the secret write is a visible line and row, and the apply does it
      expect(right.stdout).toContain("~ update Okta IdP handmade (the client secret goes into the live options)");
      expect(right.stdout).toContain("options.clientSecret: (sensitive) → (sent)");
      expect((await cli(["idp", "apply", "--config", file, "--client-id", "0oaC1"], dir, env(RIGHT))).status).toBe(0);
      expect((emu.idps()[0] as { options: { clientSecret: string } }).options.clientSecret).toBe(RIGHT);
    } finally {
      await okta.close();
    }
  });
});

describe("marker spoofing (item 2)", () => {
  it("dev cannot delete or rewrite an IdP whose description also names prod", async () => {
    // GIVEN prod's active IdP whose description carries dev's marker too
    const spoofed = {
      id: "prodidp",
      protocol: "OIDC",
      provider: "okta",
      interactive: true,
      active: true,
      description: "Okta [managed by qlik-okta-iac:dev] [managed by qlik-okta-iac:prod]",
      options: { clientId: "0oaPROD", discoveryUrl: "https://acme.okta.com/.well-known/openid-configuration" },
    };
    emu = await startQlikEmulator({ seedIdps: [spoofed] });
    const dir = tempDir("qlik-okta-spoof-");
    const file = path.join(dir, "qlik-okta.yaml");
    writeFileSync(
      file,
      JSON.stringify({ stacks: { dev: { okta: { orgUrl: "https://acme.okta.com" }, qlik: { tenantHostname: TENANT }, identityProvider: { onDestroy: "delete", verification: "skip", activate: true, allowActiveIdpChange: true } } } }),
    );
    const env = { QLIK_API_KEY: API_KEY, QLIK_BASE_URL: emu.url, QLIK_IDP_CLIENT_SECRET: SECRET };
    // WHEN dev destroys and applies, with every opt-in set
    const destroyed = await cli(["idp", "destroy", "--config", file], dir, env);
    const applied = await cli(["idp", "apply", "--config", file, "--client-id", "0oaDEV"], dir, env);
    // THEN both stop on the conflict, naming the IdP, and prod's IdP is untouched
    for (const run of [destroyed, applied]) {
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^identity provider prodidp \(.*\) names stack dev but is not exactly its own/);
    }
    expect(emu.writes()).toEqual([]);
    expect(emu.idps()).toHaveLength(1);
  });
});

describe("--request-env goes through the config's rules (item 8)", () => {
  const base = {
    stack: "prod",
    tenantHostname: TENANT,
    clientId: "0oa1",
    discoveryUrl: "https://acme.okta.com/.well-known/openid-configuration",
    identityProvider: {},
  };
  it.each([
    ["no sub in claimsMapping", { identityProvider: { claimsMapping: { name: ["name"] } } }, "identityProvider.claimsMapping.sub: is required"],
    ["a URL for the hostname", { tenantHostname: "HTTPS://ACME.EU.QLIKCLOUD.COM/" }, "tenantHostname: "],
    ["a stack name that is no identifier", { stack: "x y]" }, 'stack: stack name "x y]" is not valid'],
    ["a marker in user text", { identityProvider: { description: "Okta [managed by qlik-okta-iac:dev]" } }, "identityProvider.description: "],
    ["a discovery URL over http", { discoveryUrl: "http://acme.okta.com/.well-known/openid-configuration" }, "discoveryUrl: "],
  ])("refuses %s before any request", async (_what, change, expected) => {
    emu = await startQlikEmulator();
    const dir = tempDir("qlik-okta-reqenv-");
    const run = await cli(["idp", "apply", "--request-env", "QLIK_IDP_REQUEST"], dir, {
      QLIK_API_KEY: API_KEY,
      QLIK_BASE_URL: emu.url,
      QLIK_IDP_CLIENT_SECRET: SECRET,
      QLIK_IDP_REQUEST: JSON.stringify({ ...base, ...change }),
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^--request-env QLIK_IDP_REQUEST: /);
    expect(run.stderr).toContain(expected);
    expect(emu.requests).toEqual([]);
  });
});

describe("secrets in every encoding (item 5)", () => {
  it("a secret Qlik echoes in an error title leaves in no form: not stderr, not --json, not the result file", async () => {
    // GIVEN a Qlik that answers the create with a 400 whose title repeats the client secret and the API key
    const secret = 'se"cr\\et\tx-0123456789';
    const key = 'k"e\\y-0123456789';
    const { createServer } = await import("node:http");
    const server = createServer((req, res) => {
      const json = (status: number, body: unknown) => res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
      if (req.url === "/api/v1/tenants/me") return json(200, { id: "t1", hostnames: [TENANT] });
      if (req.method === "GET" && req.url?.startsWith("/api/v1/identity-providers")) return json(200, { data: [], links: {} });
      return json(400, { errors: [{ code: "IDP-2", title: `bad clientSecret=${secret} for key ${key}` }] });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { dir, file } = project({ identityProvider: { verification: "interactive" } });
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      // WHEN the apply fails with --json and a result file, as the provisioner runs it
      const run = await cli(["idp", "apply", "--config", file, "--client-id", "0oa1", "--json", "--result-file", "result.json"], dir, {
        QLIK_API_KEY: key,
        QLIK_BASE_URL: base,
        QLIK_IDP_CLIENT_SECRET: secret,
      });
      // THEN it failed, and neither value appears raw or JSON-escaped anywhere
      expect(run.status).toBe(1);
      const { readFileSync } = await import("node:fs");
      const written = readFileSync(path.join(dir, "result.json"), "utf8");
      for (const value of [secret, key]) {
        for (const form of [value, JSON.stringify(value).slice(1, -1)]) {
          expect(run.stdout).not.toContain(form);
          expect(run.stderr).not.toContain(form);
          expect(written).not.toContain(form);
        }
      }
      expect(JSON.parse(written)).toMatchObject({ ok: false, error: expect.stringContaining("(redacted)") });
    } finally {
      server.close();
    }
  });
});

describe("stack traces for bad input (item 7)", () => {
  it("plan where cdktf.out is a file: one line saying so, before any engine or API", async () => {
    const { dir, file } = project();
    writeFileSync(path.join(dir, "cdktf.out"), "not a directory");
    const run = await cli(["plan", "--config", file], dir, { QLIK_API_KEY: API_KEY, OKTA_API_TOKEN: "00okta-token-xyz" });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual([
      `cannot write the synthesized stacks to ${path.join(dir, "cdktf.out")}: it is a file; run where cdktf.out/ can be written (plan and apply synthesize there)`,
    ]);
  });
});

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import type { IDPOIDC } from "@qlik/api/identity-providers";
import { QlikEmulator, startQlikEmulator } from "../../lib/emulators/qlik";
import { CLI_ENTRY, PROJECT_ROOT } from "../../lib/paths";
import { CliRun, runCli } from "../e2e/helpers";
import { ACTIVE_ENTRA_SEED } from "../qlik/fixtures";
import { removeTempDirs, tempDir } from "../tmp";

afterAll(removeTempDirs); // every tempDir()/workspace() of this file

/**
 * The real compiled CLI, run as a child process against the Qlik emulator — as Terraform's provisioner runs it.
 * One test per DESIGN §4 invariant, each of which would fail without the behaviour it names.
 */

const TENANT = "acme.eu.qlikcloud.com";
const ALIAS = "analytics.eu.qlikcloud.com";
const API_KEY = "qlik-emulator-key";
const SECRET = "okta-client-secret-0123456789abcdefghij";
const CLIENT_ID = "0oa1qlikclient";

/** Runs `qlik-okta …`; the caller's QLIK_ and OKTA_ variables are not inherited. */
function qlikOkta(args: readonly string[], env: NodeJS.ProcessEnv, cwd = workDir): Promise<CliRun> {
  return runCli(args, cwd, env);
}

/** Build once if the compiled CLI is missing or older than any source under lib/. */
function ensureBuilt(): void {
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(path.join(dir, e.name)) : e.name.endsWith(".ts") ? statSync(path.join(dir, e.name)).mtimeMs : 0,
      ),
    );
  if (existsSync(CLI_ENTRY) && statSync(CLI_ENTRY).mtimeMs >= newest(path.join(PROJECT_ROOT, "lib"))) return;
  try {
    execFileSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: PROJECT_ROOT, stdio: "pipe" });
  } catch {
    // Type errors elsewhere in the tree still emit JavaScript; the check below is what matters.
  }
  if (!existsSync(CLI_ENTRY)) throw new Error(`build did not produce ${CLI_ENTRY}`);
}

let workDir: string;
let emu: QlikEmulator;

beforeAll(() => {
  ensureBuilt();
}, 120_000);

beforeEach(() => {
  workDir = tempDir("qlik-okta-idp-");
});

afterEach(async () => {
  await emu?.close();
});

/** A config file with one stack "prod"; `idp` overrides identityProvider settings. */
function config(idp: Record<string, unknown> = {}, tenantHostname = TENANT, extra: Record<string, unknown> = {}): string {
  const file = path.join(workDir, "qlik-okta.yaml");
  const stack = { okta: { orgUrl: "https://acme.okta.com" }, qlik: { tenantHostname }, identityProvider: idp, ...extra };
  writeFileSync(file, JSON.stringify({ stacks: { prod: stack } }, null, 2));
  return file;
}

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  QLIK_BASE_URL: emu.url,
  QLIK_API_KEY: API_KEY,
  QLIK_IDP_CLIENT_SECRET: SECRET,
  ...extra,
});

const idpArgs = (command: string, file: string, more: string[] = []): string[] => [
  "idp",
  command,
  "--config",
  file,
  "--stack",
  "prod",
  "--client-id",
  CLIENT_ID,
  ...more,
];

const ours = (): IDPOIDC[] => emu.idps().filter((i) => String(i.description).includes("[managed by qlik-okta-iac:prod]")) as IDPOIDC[];

describe("qlik-okta idp (real CLI against the Qlik emulator)", () => {
  it("makes no write request on a second apply with unchanged inputs (invariant 1)", async () => {
    // GIVEN a skip-verify IdP, applied and activated once
    emu = await startQlikEmulator();
    const file = config({ verification: "skip", activate: true });
    const first = await qlikOkta(idpArgs("apply", file), env());
    expect(first.status).toBe(0);
    expect(ours()).toHaveLength(1);
    expect(ours()[0].active).toBe(true);
    const writesAfterFirst = emu.writes().length;
    // WHEN applying again
    const second = await qlikOkta(idpArgs("apply", file, ["--json"]), env());
    // THEN nothing was written — by the emulator's count and the CLI's own — and plan agrees there is nothing to do
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ ok: true, active: true, requests: { writes: 0 } });
    expect(emu.writes()).toHaveLength(writesAfterFirst);
    expect((await qlikOkta(idpArgs("plan", file), env())).status).toBe(0);
  });

  it("leaves exactly one IdP when two applies run at the same moment (invariant 2)", async () => {
    // GIVEN creates that take two seconds, so both runs list an empty tenant and both create
    emu = await startQlikEmulator();
    emu.inject({ method: "POST", path: "/api/v1/identity-providers", kind: "latency", delayMs: 2000, times: 2 });
    const file = config();
    // WHEN
    const [a, b] = await Promise.all([qlikOkta(idpArgs("apply", file), env()), qlikOkta(idpArgs("apply", file), env())]);
    // THEN both succeed, both created a copy, and one copy was removed again
    expect([a.status, b.status]).toEqual([0, 0]);
    expect(emu.requests.filter((r) => r.method === "POST" && r.status === 201)).toHaveLength(2);
    expect(ours()).toHaveLength(1);
    expect(`${a.stdout}${b.stdout}`).toContain("created by a concurrent apply");
  });

  it("refuses a tenant alias, names the real hostname, and writes nothing (invariant 3)", async () => {
    // GIVEN a tenant with an alias, and a config naming the alias
    emu = await startQlikEmulator({ aliases: [ALIAS] });
    const file = config({}, ALIAS);
    // WHEN
    const run = await qlikOkta(idpArgs("apply", file), env());
    // THEN
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      `${ALIAS} is an alias of the Qlik tenant ${TENANT}: set stacks.prod.qlik.tenantHostname to ${TENANT}. ` +
        "The Okta sign-in callback https://<host>/login/callback must use the real hostname; a login through the alias ends in an Okta redirect_uri mismatch",
    );
    expect(emu.writes()).toEqual([]);
  });

  it("never deactivates someone else's active IdP without allowActiveIdpChange (invariant 4)", async () => {
    // GIVEN the tenant already signs in through another active interactive IdP
    emu = await startQlikEmulator({ seedIdps: [ACTIVE_ENTRA_SEED] });
    // WHEN applying a skip-verify Okta IdP that asks to be activated
    const guarded = await qlikOkta(idpArgs("apply", config({ verification: "skip", activate: true })), env());
    // THEN the other IdP stays active, ours exists inactive, and the error says exactly what to set
    expect(guarded.status).toBe(1);
    expect(guarded.stderr).toContain("set stacks.prod.identityProvider.allowActiveIdpChange: true to switch");
    expect(guarded.stderr).toContain(`https://${TENANT}/login/recover`);
    expect(emu.idps().find((i) => i.id === "entra")?.active).toBe(true);
    expect(ours()[0].active).toBe(false);

    // WHEN the admin opts in
    const switched = await qlikOkta(idpArgs("apply", config({ verification: "skip", activate: true, allowActiveIdpChange: true })), env());
    // THEN the switch happens
    expect(switched.status).toBe(0);
    expect(emu.idps().find((i) => i.id === "entra")?.active).toBe(false);
    expect(ours()[0].active).toBe(true);
  });

  it("promotes the test configuration only after the admin validated it (invariant 5)", async () => {
    // GIVEN an interactive IdP created for verification
    emu = await startQlikEmulator();
    const file = config({ verification: "interactive", activate: true });
    const created = await qlikOkta(idpArgs("apply", file), env());
    expect(created.status).toBe(0);
    expect(created.stdout).toContain(`Sign in to https://${TENANT}/ as a TenantAdmin → Administration → Identity provider → Okta → Validate`);
    const id = String(ours()[0].id);

    // WHEN applying again before validation
    const early = await qlikOkta(idpArgs("apply", file), env());
    // THEN nothing is promoted or activated
    expect(early.status).toBe(0);
    expect(ours()[0].options).toBeUndefined();
    expect(ours()[0].pendingState).toBe("pending");

    // WHEN the admin validates, and apply runs again
    emu.completeVerification(id);
    const promoted = await qlikOkta(idpArgs("apply", file, ["--result-file", "result.json"]), env());
    // THEN the validated options are live, the IdP is active, and the result file says so
    expect(promoted.status).toBe(0);
    expect(ours()[0].options?.clientId).toBe(CLIENT_ID);
    expect(ours()[0].active).toBe(true);
    const result = JSON.parse(readFileSync(path.join(workDir, "result.json"), "utf8"));
    expect(result).toMatchObject({ ok: true, idpId: id, active: true });
    expect(result.actions.map((a: { kind: string }) => a.kind)).toEqual(["promote", "activate"]);
  });

  it("rides out a 429 storm with Retry-After and creates exactly one IdP (invariant 6)", async () => {
    // GIVEN the create is rate-limited twice
    emu = await startQlikEmulator();
    emu.inject({ method: "POST", path: "/api/v1/identity-providers", kind: "status", status: 429, retryAfter: 1, times: 2 });
    // WHEN
    const run = await qlikOkta(idpArgs("apply", config()), env());
    // THEN
    expect(run.status).toBe(0);
    expect(emu.requests.filter((r) => r.method === "POST").map((r) => r.status)).toEqual([429, 429, 201]);
    expect(ours()).toHaveLength(1);
  });

  it("retries reads through a 5xx storm, stops at one clear line on a failed create, and never duplicates (invariant 6)", async () => {
    // GIVEN reads failing twice with 503, then a create answered with 500
    emu = await startQlikEmulator();
    emu.inject({ method: "GET", kind: "status", status: 503, times: 2 });
    emu.inject({ method: "POST", path: "/api/v1/identity-providers", kind: "status", status: 500, times: 1 });
    const file = config();
    // WHEN
    const failed = await qlikOkta(idpArgs("apply", file), env());
    // THEN the reads were retried, the create was not, and the failure is one line without a stack trace
    expect(failed.status).toBe(1);
    expect(failed.stderr.trim().split("\n")).toEqual([
      "Qlik API POST /api/v1/identity-providers failed: HTTP 500 Internal Server Error (HTTP-500); Qlik had a server error and the request was not repeated because repeating it could make a duplicate; run apply again, it finds the IdP by its marker",
    ]);
    expect(emu.requests.filter((r) => r.method === "POST")).toHaveLength(1);
    // WHEN applying again
    const retried = await qlikOkta(idpArgs("apply", file), env());
    // THEN exactly one IdP exists
    expect(retried.status).toBe(0);
    expect(ours()).toHaveLength(1);
  });

  it("never shows the client secret or the API key, also when the API fails (invariant 7)", async () => {
    // GIVEN canary credentials
    const canarySecret = "canary-secret-7c1d9e0b2a";
    const canaryKey = "canary-apikey-4f6a8b2c0e";
    emu = await startQlikEmulator({ apiKeys: [{ key: canaryKey }] });
    const file = config({ verification: "skip" });
    const e = env({ QLIK_API_KEY: canaryKey, QLIK_IDP_CLIENT_SECRET: canarySecret });
    // WHEN planning, failing, being refused, succeeding and re-planning, with JSON and result files
    emu.inject({ method: "POST", path: "/api/v1/identity-providers", kind: "status", status: 502 });
    const runs = [
      await qlikOkta(idpArgs("plan", file), e),
      await qlikOkta(idpArgs("plan", file, ["--json", "--result-file", "r1.json"]), e),
      await qlikOkta(idpArgs("apply", file, ["--result-file", "r2.json"]), e),
      await qlikOkta(idpArgs("apply", file, ["--discovery-url", "not a url", "--result-file", "r3.json"]), e),
      await qlikOkta(idpArgs("apply", file, ["--json", "--result-file", "r4.json"]), e),
      await qlikOkta(idpArgs("plan", file, ["--secret-changed"]), e),
      await qlikOkta(idpArgs("apply", file), env({ QLIK_API_KEY: `${canaryKey}-revoked`, QLIK_IDP_CLIENT_SECRET: canarySecret })),
    ];
    // THEN the runs did what they should (the secret really reached Qlik)…
    expect(runs.map((r) => r.status)).toEqual([2, 2, 1, 1, 0, 2, 1]);
    expect(runs[3].stderr).toContain('--discovery-url: "not a url" is not a URL');
    expect(runs[6].stderr).toContain("check QLIK_API_KEY");
    expect(ours()[0].options?.clientSecret).toBe(canarySecret);
    // …and no output, error or result file carries either canary
    const files = ["r1.json", "r2.json", "r3.json", "r4.json"].map((f) => readFileSync(path.join(workDir, f), "utf8"));
    for (const text of [...runs.flatMap((r) => [r.stdout, r.stderr]), ...files]) {
      expect(text).not.toContain(canarySecret);
      expect(text).not.toContain(canaryKey);
    }
    expect(runs[5].stdout).toContain("options.clientSecret: (sensitive) → (changed)");
  });

  it("exits 2 from plan when there are changes, 0 when there are none", async () => {
    // GIVEN an empty tenant, then an applied IdP, then a new description / WHEN planning each time / THEN 2, and rows say what changes, without writing
    emu = await startQlikEmulator();
    const file = config({ verification: "skip" });
    const before = await qlikOkta(idpArgs("plan", file), env());
    expect(before.status).toBe(2);
    expect(before.stdout).toContain("+ create Okta IdP (verification skipped)");
    expect(before.stdout).toContain("+ options.useClaimsFromIdToken: (none) → true");
    expect(emu.writes()).toEqual([]);
    await qlikOkta(idpArgs("apply", file), env());
    const changed = await qlikOkta(idpArgs("plan", config({ verification: "skip", description: "Okta SSO" })), env());
    expect(changed.status).toBe(2);
    expect(changed.stdout).toContain(
      '~ description: "Okta [managed by qlik-okta-iac:prod]" → "Okta SSO [managed by qlik-okta-iac:prod]"',
    );
  });

  it("takes the desired state from --request-env, as the Terraform construct passes it, and destroys per onDestroy", async () => {
    // GIVEN the construct's IdpRequest JSON (Terraform's jsonencode writes absent optionals as null)
    emu = await startQlikEmulator();
    const request = (onDestroy: string) =>
      JSON.stringify({
        stack: "prod",
        tenantHostname: TENANT,
        clientId: CLIENT_ID,
        discoveryUrl: "https://acme.okta.com/.well-known/openid-configuration",
        identityProvider: { description: "Okta", verification: "skip", activate: false, onDestroy, postLogoutRedirectUri: null },
      });
    // WHEN
    const applied = await qlikOkta(["idp", "apply", "--request-env", "QLIK_IDP_REQUEST", "--result-file", "out.json"], env({ QLIK_IDP_REQUEST: request("retain") }));
    // THEN
    expect(applied.status).toBe(0);
    expect(JSON.parse(readFileSync(path.join(workDir, "out.json"), "utf8"))).toMatchObject({ ok: true, stack: "prod", idpId: ours()[0].id });

    // WHEN destroying with onDestroy: retain, then delete (destroy needs no client secret)
    const noSecret = { QLIK_BASE_URL: emu.url, QLIK_API_KEY: API_KEY };
    const retained = await qlikOkta(["idp", "destroy", "--request-env", "R"], { ...noSecret, R: request("retain") });
    expect(retained.status).toBe(0);
    expect(retained.stdout).toContain("(onDestroy: retain)");
    expect(ours()).toHaveLength(1);
    const deleted = await qlikOkta(["idp", "destroy", "--request-env", "R"], { ...noSecret, R: request("delete") });
    expect(deleted.status).toBe(0);
    expect(ours()).toHaveLength(0);
  });

  it("authenticates as an OAuth machine-to-machine client", async () => {
    // GIVEN only QLIK_CLIENT_ID and QLIK_CLIENT_SECRET / WHEN applying / THEN one token request, and the IdP exists
    emu = await startQlikEmulator({ oauthClients: [{ clientId: "m2m", clientSecret: "m2m-secret" }] });
    const run = await qlikOkta(idpArgs("apply", config()), env({ QLIK_API_KEY: undefined, QLIK_CLIENT_ID: "m2m", QLIK_CLIENT_SECRET: "m2m-secret" }));
    expect(run.status).toBe(0);
    expect(emu.requests.filter((r) => r.path === "/oauth/token")).toHaveLength(1);
    expect(ours()).toHaveLength(1);
  });

  it("refuses to run without the Okta client secret", async () => {
    // GIVEN no QLIK_IDP_CLIENT_SECRET / WHEN applying / THEN one line says what to set, before any request
    emu = await startQlikEmulator();
    const run = await qlikOkta(idpArgs("apply", config()), env({ QLIK_IDP_CLIENT_SECRET: undefined }));
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(/^QLIK_IDP_CLIENT_SECRET is not set/);
    expect(emu.requests).toEqual([]);
  });
});

describe("qlik-okta doctor", () => {
  let okta: { server: Server; url: string };

  /** A stand-in Okta org: discovery document, and authorization servers for tokens with API Access Management. */
  beforeEach(async () => {
    const server = createServer((req, res) => {
      const json = (status: number, body: unknown): void => {
        res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
      };
      if (req.url === "/.well-known/openid-configuration") return json(200, { issuer: "https://acme.okta.com" });
      if (req.url === "/api/v1/users/me") {
        if (req.headers.authorization === "SSWS token-with-aam" || req.headers.authorization === "SSWS token-without-aam") return json(200, { id: "00u1" });
        return json(401, { errorCode: "E0000011", errorSummary: "Invalid token provided" });
      }
      if (req.url?.startsWith("/api/v1/authorizationServers")) {
        if (req.headers.authorization === "SSWS token-with-aam") return json(200, []);
        return json(401, { errorCode: "E0000015", errorSummary: "You do not have permission to access the feature you are requesting" });
      }
      return json(404, { errorCode: "E0000007" });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    okta = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  });

  afterEach(() => {
    okta.server.close();
  });

  it("passes every check for a well-set-up stack", async () => {
    // GIVEN a TenantAdmin key, the real hostname, a reachable Okta org with API Access Management / WHEN running doctor / THEN every line is ✓
    emu = await startQlikEmulator();
    const run = await qlikOkta(["doctor", "--config", config()], env({ OKTA_HTTP_PROXY: okta.url, OKTA_API_TOKEN: "token-with-aam" }));
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toBe(`Stack prod (${TENANT}):`);
    expect(lines.slice(1).every((l) => l.startsWith("  ✓ "))).toBe(true);
    expect(run.stdout).toContain("✓ Qlik credentials: API key (QLIK_API_KEY)");
    expect(run.stdout).toContain("✓ TenantAdmin: these credentials can manage identity providers");
    expect(run.stdout).toContain("✓ API Access Management: available");
    expect(run.stdout).toContain("✓ OKTA_API_TOKEN is accepted by the Okta org");
    expect(run.stdout).not.toContain("token-with-aam");
  });

  it("checks that the Okta token works even when no authorization server is wanted", async () => {
    // GIVEN a revoked token and authorizationServer.enabled: false / WHEN running doctor / THEN the token fails, not passes
    emu = await startQlikEmulator();
    const run = await qlikOkta(
      ["doctor", "--config", config({}, TENANT, { authorizationServer: { enabled: false } })],
      env({ OKTA_HTTP_PROXY: okta.url, OKTA_API_TOKEN: "revoked-token" }),
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("✗ OKTA_API_TOKEN was not accepted (HTTP 401 E0000011): it is expired, revoked or of another org");
    expect(run.stdout).toContain("✓ API Access Management: not needed (authorizationServer.enabled: false)");
    expect(run.stdout).not.toContain("revoked-token");
  });

  it("fails with what to do: no TenantAdmin, an alias, and no API Access Management", async () => {
    // GIVEN a non-admin key, a config naming the alias, and an Okta org without API Access Management
    emu = await startQlikEmulator({ aliases: [ALIAS], apiKeys: [{ key: "viewer-key", tenantAdmin: false }] });
    // WHEN
    const run = await qlikOkta(
      ["doctor", "--config", config({}, ALIAS)],
      env({ QLIK_API_KEY: "viewer-key", OKTA_HTTP_PROXY: okta.url, OKTA_API_TOKEN: "token-without-aam" }),
    );
    // THEN
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("✗ TenantAdmin: Qlik API GET /api/v1/identity-providers failed: HTTP 403 Forbidden (IDP-5); the API key's user needs the TenantAdmin role");
    expect(run.stdout).toContain(`✗ Tenant hostname ${ALIAS} is an alias: set stacks.prod.qlik.tenantHostname to ${TENANT}`);
    expect(run.stdout).toContain("✗ API Access Management: this Okta org does not have it (E0000015); set stacks.prod.authorizationServer.enabled: false");
    expect(run.stdout).toContain("✓ Okta org reachable");
  });

  it("fails when no Qlik credentials or Okta token are set", async () => {
    // GIVEN no QLIK_API_KEY, no OAuth client, no OKTA_API_TOKEN / WHEN running doctor / THEN ✗ lines say what to set
    emu = await startQlikEmulator();
    const run = await qlikOkta(["doctor", "--config", config()], { QLIK_BASE_URL: emu.url, OKTA_HTTP_PROXY: okta.url });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("✗ No Qlik credentials: set QLIK_API_KEY");
    expect(run.stdout).toContain("✗ OKTA_API_TOKEN is not set");
  });
});

/**
 * More of DESIGN §4 through the real CLI against the Qlik emulator: the lockout guard at destroy, and the OAuth
 * client secret (a canary) never printed — neither on success nor when the API refuses it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { QlikEmulator, startQlikEmulator } from "../../lib/emulators/qlik";
import { ensureBuilt, runCli } from "../e2e/helpers";
import { removeTempDirs, tempDir } from "../tmp";

afterAll(removeTempDirs);

const IDP_SECRET = "okta-client-secret-guard-0123456789abcdef";

const run = (dir: string, args: string[], env: Record<string, string>) => runCli(args, dir, env);

function workspace(idp: string): string {
  const dir = tempDir("qlik-okta-guards-");
  writeFileSync(
    path.join(dir, "qlik-okta.yaml"),
    `stacks:\n  prod:\n    okta: { orgUrl: https://acme.okta.com }\n    qlik: { tenantHostname: acme.eu.qlikcloud.com }\n    identityProvider: ${idp}\n`,
  );
  return dir;
}

describe("qlik-okta idp: guards through the CLI", () => {
  let emu: QlikEmulator;
  beforeAll(() => ensureBuilt());
  afterEach(async () => {
    await emu?.close();
  });

  it("never deletes the tenant's active IdP at destroy without allowActiveIdpChange, and says how to recover", async () => {
    // GIVEN an active, skip-verified IdP whose stack says onDestroy: delete
    emu = await startQlikEmulator();
    const dir = workspace("{ verification: skip, activate: true, onDestroy: delete }");
    const env = { QLIK_BASE_URL: emu.url, QLIK_API_KEY: "qlik-emulator-key", QLIK_IDP_CLIENT_SECRET: IDP_SECRET };
    expect((await run(dir, ["idp", "apply", "--client-id", "0oa1"], env)).status).toBe(0);
    expect(emu.idps()[0]).toMatchObject({ active: true });
    // WHEN destroying
    const writes = emu.writes().length;
    const r = await run(dir, ["idp", "destroy"], env);
    // THEN it refuses, names the opt-in and the recovery URL, and touches nothing
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toContain("stacks.prod.identityProvider.allowActiveIdpChange: true");
    expect(r.stdout + r.stderr).toContain("https://acme.eu.qlikcloud.com/login/recover");
    expect(emu.writes().length).toBe(writes);
    expect(emu.idps()).toHaveLength(1);
  });

  it("never prints the OAuth client secret (canary), on success or when Qlik refuses it", async () => {
    const oauthSecret = "qlik-oauth-CANARY-secret-5e1f0c";
    emu = await startQlikEmulator({ apiKeys: [], oauthClients: [{ clientId: "m2m-client", clientSecret: oauthSecret }] });
    const dir = workspace("{ description: Okta }");
    const env = { QLIK_BASE_URL: emu.url, QLIK_CLIENT_ID: "m2m-client", QLIK_CLIENT_SECRET: oauthSecret, QLIK_IDP_CLIENT_SECRET: IDP_SECRET };
    // WHEN it works
    const ok = await run(dir, ["idp", "apply", "--client-id", "0oa1", "--result-file", "result.json"], env);
    expect(ok.status).toBe(0);
    expect(emu.idps()).toHaveLength(1);
    // AND WHEN Qlik refuses a wrong secret that contains the canary
    const bad = await run(dir, ["idp", "plan", "--client-id", "0oa1"], { ...env, QLIK_CLIENT_SECRET: `${oauthSecret}-wrong` });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    // THEN neither the OAuth secret nor the IdP secret appears anywhere
    const everything = ok.stdout + ok.stderr + bad.stdout + bad.stderr + readFileSync(path.join(dir, "result.json"), "utf8");
    expect(everything).not.toContain(oauthSecret);
    expect(everything).not.toContain(IDP_SECRET);
  });
});

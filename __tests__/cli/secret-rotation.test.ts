/**
 * "A rotated secret locks everyone out", through the real CLI against the Qlik emulator: a new Okta client secret
 * reaches the live, validated configuration at once, and never carries an unvalidated test configuration with it.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import type { IDPOIDC } from "@qlik/api/identity-providers";
import { OktaEmulator, startOktaEmulator } from "../../lib/emulators/okta";
import { QlikEmulator, startQlikEmulator } from "../../lib/emulators/qlik";
import { createOktaApp, rotateOktaSecret } from "../okta/fixtures";
import { ensureBuilt, runCli } from "../e2e/helpers";
import { removeTempDirs, tempDir } from "../tmp";

afterAll(removeTempDirs);

const OLD_SECRET = "okta-client-secret-old-0123456789abcdef";
const NEW_SECRET = "okta-client-secret-new-fedcba9876543210";

let okta: OktaEmulator;

/** The Qlik step as the provisioner runs it; Okta (for the secret check) is the Okta emulator. */
function run(dir: string, emu: QlikEmulator, secret: string) {
  const args = ["idp", "apply", "--config", "qlik-okta.yaml", "--stack", "prod", "--client-id", "0oa1"];
  return runCli(args, dir, { QLIK_BASE_URL: emu.url, QLIK_API_KEY: "qlik-emulator-key", QLIK_IDP_CLIENT_SECRET: secret, OKTA_HTTP_PROXY: okta.url });
}

function config(dir: string, sub: string): void {
  writeFileSync(
    path.join(dir, "qlik-okta.yaml"),
    `stacks:\n  prod:\n    okta: { orgUrl: https://acme.okta.com }\n    qlik: { tenantHostname: acme.eu.qlikcloud.com }\n` +
      // allowUserRekey: the sub change below is intended (without it, it is refused on a live IdP)
      `    identityProvider: { activate: true, allowUserRekey: true, claimsMapping: { sub: [${sub}], groups: [groups] } }\n`,
  );
}

describe("a rotated Okta client secret", () => {
  let emu: QlikEmulator;
  beforeAll(() => ensureBuilt());
  let appId: string;
  beforeEach(async () => {
    okta = await startOktaEmulator();
    appId = await createOktaApp(okta, "0oa1", OLD_SECRET);
  });
  afterEach(async () => {
    await emu?.close();
    await okta.close();
  });

  it("goes into the live options at once, while a pending configuration change still waits for validation", async () => {
    // GIVEN an active, validated IdP (sub → sub)
    emu = await startQlikEmulator();
    const dir = tempDir("qlik-okta-rotation-");
    config(dir, "sub");
    expect((await run(dir, emu, OLD_SECRET)).status).toBe(0);
    const id = (emu.idps()[0] as { id: string }).id;
    emu.completeVerification(id);
    expect((await run(dir, emu, OLD_SECRET)).status).toBe(0); // promote + activate
    expect(emu.idps()[0]).toMatchObject({ active: true, options: { clientSecret: OLD_SECRET, claimsMapping: { sub: ["sub"] } } });
    // AND a claims-mapping change staged for validation (sub → email)
    config(dir, "email");
    expect((await run(dir, emu, OLD_SECRET)).status).toBe(0);
    expect(emu.idps()[0]).toMatchObject({ pendingState: "pending", pendingOptions: { claimsMapping: { sub: ["email"] } } });
    // WHEN Okta's secret rotates
    await rotateOktaSecret(okta, appId, "0oa1", NEW_SECRET);
    const r = await run(dir, emu, NEW_SECRET);
    // THEN the live options hold the new secret and still the validated mapping; the change keeps waiting
    expect(r.status).toBe(0);
    const idp = emu.idps()[0] as IDPOIDC & { pendingOptions: Record<string, unknown>; options: Record<string, unknown> };
    expect(idp.active).toBe(true);
    expect(idp.options).toMatchObject({ clientSecret: NEW_SECRET, claimsMapping: { sub: ["sub"] } });
    expect(idp.pendingOptions).toMatchObject({ clientSecret: NEW_SECRET, claimsMapping: { sub: ["email"] } });
    expect(r.stdout).toContain("options.clientSecret: (sensitive) → (changed)");
    expect(r.stdout + r.stderr).not.toContain(NEW_SECRET);
    // AND a second run with the same secret writes nothing
    const before = emu.writes().length;
    expect((await run(dir, emu, NEW_SECRET)).status).toBe(0);
    expect(emu.writes().length).toBe(before);
  });

  it("is checked with Okta first: a secret Okta rejects never reaches the live options", async () => {
    // GIVEN an active, validated IdP on the right secret
    emu = await startQlikEmulator();
    const dir = tempDir("qlik-okta-rotation-");
    config(dir, "sub");
    expect((await run(dir, emu, OLD_SECRET)).status).toBe(0);
    emu.completeVerification((emu.idps()[0] as { id: string }).id);
    expect((await run(dir, emu, OLD_SECRET)).status).toBe(0);
    // WHEN a run comes with a secret that is not the app's (a typo, another app's, a stale pipeline variable)
    const wrong = "okta-client-secret-WRONG-000000000000";
    const r = await run(dir, emu, wrong);
    // THEN it is refused before anything is written, saying what to check; the live options keep the working secret
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("! write the client secret into the live options: blocked, Okta rejects it");
    expect(r.stderr.trim()).toMatch(/^Apply stopped short: Okta does not accept this client secret for the app: Okta refused the client credentials \(HTTP 401 invalid_client\)/);
    expect((emu.idps()[0] as IDPOIDC).options?.clientSecret).toBe(OLD_SECRET);
    expect(r.stdout + r.stderr).not.toContain(wrong);
  });
});

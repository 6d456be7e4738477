/**
 * "A rotated secret locks everyone out", through the real CLI against the Qlik emulator: a new Okta client secret
 * reaches the live, validated configuration at once, and never carries an unvalidated test configuration with it.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import type { IDPOIDC } from "@qlik/api/identity-providers";
import { QlikEmulator, startQlikEmulator } from "../../lib/emulators/qlik";
import { ensureBuilt, runCli } from "../e2e/helpers";
import { removeTempDirs, tempDir } from "../tmp";

afterAll(removeTempDirs);

const OLD_SECRET = "okta-client-secret-old-0123456789abcdef";
const NEW_SECRET = "okta-client-secret-new-fedcba9876543210";

function run(dir: string, emu: QlikEmulator, secret: string) {
  const args = ["idp", "apply", "--config", "qlik-okta.yaml", "--stack", "prod", "--client-id", "0oa1"];
  return runCli(args, dir, { QLIK_BASE_URL: emu.url, QLIK_API_KEY: "qlik-emulator-key", QLIK_IDP_CLIENT_SECRET: secret });
}

function config(dir: string, sub: string): void {
  writeFileSync(
    path.join(dir, "qlik-okta.yaml"),
    `stacks:\n  prod:\n    okta: { orgUrl: https://acme.okta.com }\n    qlik: { tenantHostname: acme.eu.qlikcloud.com }\n` +
      `    identityProvider: { activate: true, claimsMapping: { sub: [${sub}], groups: [groups] } }\n`,
  );
}

describe("a rotated Okta client secret", () => {
  let emu: QlikEmulator;
  beforeAll(() => ensureBuilt());
  afterEach(async () => {
    await emu?.close();
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
});

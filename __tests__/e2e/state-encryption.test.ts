/**
 * OpenTofu state and plan encryption, proven with the real engine: the TF_ENCRYPTION that scripts/tf-encryption.sh
 * prints (the configuration docs/state.md documents) encrypts the state and the saved plan of a tiny stack
 * synthesized through the project's own backend wiring, plan/apply/show work with the passphrase and fail without
 * it, and rotation and migration from plaintext work as documented.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { App, DataResource, TerraformOutput, TerraformStack } from "cdktf";
import { Engine, findOnPath } from "../../lib/engine";
import { apply, init, plan, runEngine, show } from "../../lib/engine/run";
import { PROJECT_ROOT } from "../../lib/paths";
import { addStateBackend } from "../../lib/state";
import { engineLikelyAvailable, envFor, requireEngine } from "./helpers";
import { removeTempDirs, tempDir } from "../tmp";

afterAll(removeTempDirs); // every tempDir()/workspace() of this file

const CANARY = "CANARY-state-value-91c4e2";
const PASSPHRASE = "correct-horse-battery-staple-4711";
const NEXT_PASSPHRASE = "rotated-passphrase-0a1b2c3d4e5f";
const SCRIPT = path.join(PROJECT_ROOT, "scripts", "tf-encryption.sh");

/** What `TF_ENCRYPTION="$(bash scripts/tf-encryption.sh)"` sets, for the given variables. */
function tfEncryption(vars: Record<string, string>): string {
  const r = spawnSync("bash", [SCRIPT], { env: { PATH: process.env.PATH, ...vars }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tf-encryption.sh failed: ${r.stderr}`);
  return r.stdout;
}

/** A stack with one terraform_data holding the canary and the default local backend, synthesized like `qlik-okta synth`. */
function synthTinyStack(input: string): { stackDir: string; stateFile: string } {
  const project = tempDir("qlik-okta-encryption-");
  const app = new App({ outdir: path.join(project, "cdktf.out"), skipValidation: true });
  const stack = new TerraformStack(app, "tiny");
  addStateBackend(stack, "tiny", { type: "local" });
  const data = new DataResource(stack, "canary", { input: { value: input } });
  new TerraformOutput(stack, "echo", { value: data.output });
  app.synth();
  return { stackDir: path.join(project, "cdktf.out", "stacks", "tiny"), stateFile: path.join(project, "terraform.tiny.tfstate") };
}

// Encryption is OpenTofu's: a machine that chose Terraform (QLIK_OKTA_ENGINE=terraform) skips this suite.
const suite = engineLikelyAvailable() && process.env.QLIK_OKTA_ENGINE !== "terraform" ? describe : describe.skip;
jest.setTimeout(120_000);

suite("OpenTofu state and plan encryption through TF_ENCRYPTION", () => {
  let engine: Engine;
  let stackDir: string;
  let stateFile: string;
  const withKey = () => envFor(engine, { TF_ENCRYPTION: tfEncryption({ TF_STATE_PASSPHRASE: PASSPHRASE }) });
  const withoutKey = () => {
    const env = envFor(engine, {});
    delete env.TF_ENCRYPTION;
    return env;
  };

  beforeAll(async () => {
    engine = await requireEngine();
    // Encryption is an OpenTofu feature; CI provisions OpenTofu (scripts/engine.sh), so there this never skips.
    if (engine.name !== "tofu") throw new Error(`state encryption needs OpenTofu; the engine found is ${engine.name} ${engine.version} (${engine.binary})`);
    ({ stackDir, stateFile } = synthTinyStack(CANARY));
  });

  it("keeps the synthesized JSON engine-neutral: no encryption block in cdk.tf.json", () => {
    const json = JSON.parse(readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
    expect(json.terraform.encryption).toBeUndefined();
    expect(json.terraform.backend).toEqual({ local: { path: "../../../terraform.tiny.tfstate" } });
  });

  it("saves an encrypted plan that shows only with the passphrase", async () => {
    // GIVEN
    await init(engine, stackDir, { env: withKey() });
    // WHEN
    await plan(engine, stackDir, { env: withKey(), out: "tfplan" });
    // THEN the file is neither the plaintext zip archive nor contains the value
    const planBytes = readFileSync(path.join(stackDir, "tfplan"));
    expect(planBytes.subarray(0, 2).toString("latin1")).not.toBe("PK");
    expect(planBytes.includes(Buffer.from(CANARY))).toBe(false);
    expect(JSON.parse(planBytes.toString("utf8")).meta).toHaveProperty(["key_provider.pbkdf2.qlik_okta"]);
    // and it reads back with the key
    const shown = await show<{ resource_changes: { address: string; change: { actions: string[]; after: { input: { value: string } } } }[] }>(
      engine,
      stackDir,
      "tfplan",
      { env: withKey() },
    );
    expect(shown.resource_changes.map((rc) => [rc.address, rc.change.actions, rc.change.after.input.value])).toEqual([
      ["terraform_data.canary", ["create"], CANARY],
    ]);
    // but not without it
    const r = await runEngine(engine, ["show", "-no-color", "tfplan"], { cwd: stackDir, env: withoutKey() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/plan file is encrypted and requires a valid\s+encryption configuration/);
  });

  it("applies the encrypted plan and writes encrypted state", async () => {
    // WHEN
    await apply(engine, stackDir, "tfplan", { env: withKey() });
    // THEN the state on disk holds ciphertext only
    const state = readFileSync(stateFile, "utf8");
    expect(state).not.toContain(CANARY);
    expect(state).not.toContain('"resources"');
    expect(JSON.parse(state)).toEqual({
      serial: expect.any(Number),
      lineage: expect.any(String),
      meta: { "key_provider.pbkdf2.qlik_okta": expect.any(String) },
      encrypted_data: expect.any(String),
      encryption_version: expect.any(String),
    });
  });

  it("reads the state back with the passphrase and plans no changes", async () => {
    const state = await show<{ values: { root_module: { resources: { address: string; values: { input: { value: string } } }[] } } }>(
      engine,
      stackDir,
      undefined,
      { env: withKey() },
    );
    expect(state.values.root_module.resources.map((r) => [r.address, r.values.input.value])).toEqual([["terraform_data.canary", CANARY]]);
    const again = await plan(engine, stackDir, { env: withKey(), detailedExitcode: true });
    expect(again.changes).toBe(false);
  });

  it("refuses to read the state without the passphrase, or with a wrong one", async () => {
    const none = await runEngine(engine, ["show", "-no-color"], { cwd: stackDir, env: withoutKey() });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("This state file is encrypted and can not be read without an encryption configuration");
    const wrong = await runEngine(engine, ["show", "-no-color"], {
      cwd: stackDir,
      env: envFor(engine, { TF_ENCRYPTION: tfEncryption({ TF_STATE_PASSPHRASE: "a-wrong-passphrase-0000" }) }),
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("decryption failed");
  });

  const terraform = findOnPath("terraform");
  (terraform ? it : it.skip)("is unreadable by HashiCorp Terraform (checked when terraform is on PATH)", () => {
    const r = spawnSync(terraform as string, ["show", "-no-color"], { cwd: stackDir, env: withoutKey(), encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Unsupported state file format");
  });

  it("rotates the passphrase: the old one as fallback under its old name, then the new one alone", async () => {
    // GIVEN the new passphrase under a new key provider name, the old one as fallback
    const rotating = tfEncryption({
      TF_STATE_PASSPHRASE: NEXT_PASSPHRASE,
      TF_STATE_KEY_NAME: "qlik_okta_2",
      TF_STATE_PASSPHRASE_PREVIOUS: PASSPHRASE,
      TF_STATE_KEY_NAME_PREVIOUS: "qlik_okta",
    });
    // WHEN a refresh-only apply rewrites the state
    await apply(engine, stackDir, { autoApprove: true }, { env: envFor(engine, { TF_ENCRYPTION: rotating }), extraArgs: ["-refresh-only"] });
    // THEN the new passphrase alone reads it, the old one no longer does
    expect(Object.keys(JSON.parse(readFileSync(stateFile, "utf8")).meta)).toEqual(["key_provider.pbkdf2.qlik_okta_2"]);
    const next = envFor(engine, { TF_ENCRYPTION: tfEncryption({ TF_STATE_PASSPHRASE: NEXT_PASSPHRASE, TF_STATE_KEY_NAME: "qlik_okta_2" }) });
    expect((await plan(engine, stackDir, { env: next, detailedExitcode: true })).changes).toBe(false);
    const old = await runEngine(engine, ["show", "-no-color"], { cwd: stackDir, env: withKey() });
    expect(old.code).toBe(1);
  });

  it("migrates existing plaintext state once, then enforces encryption", async () => {
    // GIVEN a stack applied without encryption
    const plain = synthTinyStack(CANARY);
    await init(engine, plain.stackDir, { env: withoutKey() });
    await apply(engine, plain.stackDir, { autoApprove: true }, { env: withoutKey() });
    expect(readFileSync(plain.stateFile, "utf8")).toContain(CANARY);
    // WHEN the enforced configuration meets it, it refuses the plaintext
    const refused = await runEngine(engine, ["plan", "-no-color", "-input=false"], { cwd: plain.stackDir, env: withKey() });
    expect(refused.code).toBe(1);
    // and one migration run rewrites it encrypted
    const migrate = envFor(engine, { TF_ENCRYPTION: tfEncryption({ TF_STATE_PASSPHRASE: PASSPHRASE, TF_STATE_MIGRATE_UNENCRYPTED: "1" }) });
    await apply(engine, plain.stackDir, { autoApprove: true }, { env: migrate, extraArgs: ["-refresh-only"] });
    // THEN
    expect(readFileSync(plain.stateFile, "utf8")).not.toContain(CANARY);
    expect((await plan(engine, plain.stackDir, { env: withKey(), detailedExitcode: true })).changes).toBe(false);
  });
});

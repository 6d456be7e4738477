import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../lib/paths";

/**
 * scripts/tf-encryption.sh: the TF_ENCRYPTION configuration docs/state.md documents, printed from the environment.
 * The engine test (__tests__/e2e/state-encryption.test.ts) proves that OpenTofu honours it; this one pins what it
 * prints, what it refuses, and that the documentation shows exactly its output.
 */

const SCRIPT = path.join(PROJECT_ROOT, "scripts", "tf-encryption.sh");
const DOCS = readFileSync(path.join(PROJECT_ROOT, "docs", "state.md"), "utf8");

function run(vars: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("bash", [SCRIPT], { env: { PATH: process.env.PATH, ...vars }, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The fenced ```hcl blocks of docs/state.md. */
function hclBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```hcl\n([\s\S]*?)```/g)].map((m) => m[1]);
}

describe("scripts/tf-encryption.sh", () => {
  it("prints pbkdf2 + aes_gcm for state and plans, enforced, exactly as docs/state.md shows it", () => {
    // WHEN
    const r = run({ TF_STATE_PASSPHRASE: "<TF_STATE_PASSPHRASE>" });
    // THEN
    expect(r).toMatchObject({ status: 0, stderr: "" });
    expect(r.stdout).toBe(
      [
        'key_provider "pbkdf2" "qlik_okta" {',
        '  passphrase = "<TF_STATE_PASSPHRASE>"',
        "}",
        "",
        'method "aes_gcm" "qlik_okta" {',
        "  keys = key_provider.pbkdf2.qlik_okta",
        "}",
        "",
        "state {",
        "  method   = method.aes_gcm.qlik_okta",
        "  enforced = true",
        "}",
        "",
        "plan {",
        "  method   = method.aes_gcm.qlik_okta",
        "  enforced = true",
        "}",
        "",
      ].join("\n"),
    );
    expect(hclBlocks(DOCS)[0]).toBe(r.stdout);
  });

  it("adds the previous passphrase as a fallback under its old name while rotating, as documented", () => {
    const r = run({
      TF_STATE_PASSPHRASE: "<new>-padded-to-16",
      TF_STATE_KEY_NAME: "qlik_okta_2",
      TF_STATE_PASSPHRASE_PREVIOUS: "<old>-padded-to-16",
      TF_STATE_KEY_NAME_PREVIOUS: "qlik_okta",
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('state {\n  method   = method.aes_gcm.qlik_okta_2\n  enforced = true\n  fallback {\n    method = method.aes_gcm.qlik_okta\n  }\n}\n');
    expect(r.stdout).toContain('key_provider "pbkdf2" "qlik_okta" {\n  passphrase = "<old>-padded-to-16"\n}\n');
    expect(hclBlocks(DOCS)[1]).toBe(r.stdout.replace(/-padded-to-16/g, ""));
  });

  it("reads plaintext state once when migrating, without enforced (which forbids the unencrypted method)", () => {
    const r = run({ TF_STATE_PASSPHRASE: "<TF_STATE_PASSPHRASE>", TF_STATE_MIGRATE_UNENCRYPTED: "1" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('method "unencrypted" "migrate" {}\n');
    expect(r.stdout).toContain("plan {\n  method   = method.aes_gcm.qlik_okta\n  fallback {\n    method = method.unencrypted.migrate\n  }\n}\n");
    expect(r.stdout).not.toContain("enforced");
  });

  it.each([
    [{}, "TF_STATE_PASSPHRASE is not set; put a passphrase of at least 16 characters there (e.g. from `openssl rand -base64 32`)."],
    [
      { TF_STATE_PASSPHRASE: "short-secret" },
      "TF_STATE_PASSPHRASE is 12 characters; OpenTofu's pbkdf2 key provider needs at least 16 (e.g. `openssl rand -base64 32`).",
    ],
    [
      { TF_STATE_PASSPHRASE: 'quote"in-the-middle-of-it' },
      'TF_STATE_PASSPHRASE contains a double quote, backslash, newline, "${" or "%{"; use letters, digits and + / = - _ . (e.g. `openssl rand -base64 32`).',
    ],
    [
      { TF_STATE_PASSPHRASE: "interpolation-${var.x}-here" },
      'TF_STATE_PASSPHRASE contains a double quote, backslash, newline, "${" or "%{"; use letters, digits and + / = - _ . (e.g. `openssl rand -base64 32`).',
    ],
    [
      { TF_STATE_PASSPHRASE: "a-good-long-passphrase", TF_STATE_KEY_NAME: "has space" },
      'TF_STATE_KEY_NAME="has space" is not a valid name; use letters, digits, "_" and "-", starting with a letter.',
    ],
    [
      { TF_STATE_PASSPHRASE: "a-good-long-passphrase", TF_STATE_PASSPHRASE_PREVIOUS: "the-old-long-passphrase" },
      "TF_STATE_PASSPHRASE_PREVIOUS needs TF_STATE_KEY_NAME_PREVIOUS: the key provider name the old files were written with (e.g. qlik_okta).",
    ],
    [
      { TF_STATE_PASSPHRASE: "a-good-long-passphrase", TF_STATE_PASSPHRASE_PREVIOUS: "the-old-long-passphrase", TF_STATE_KEY_NAME_PREVIOUS: "qlik_okta" },
      'TF_STATE_KEY_NAME and TF_STATE_KEY_NAME_PREVIOUS are both "qlik_okta"; give the new passphrase a new name (e.g. qlik_okta_2): encrypted files record the name they were written with.',
    ],
    [
      { TF_STATE_PASSPHRASE: "a-good-long-passphrase", TF_STATE_KEY_NAME_PREVIOUS: "qlik_okta" },
      "TF_STATE_KEY_NAME_PREVIOUS is set without TF_STATE_PASSPHRASE_PREVIOUS.",
    ],
    [
      { TF_STATE_PASSPHRASE: "a-good-long-passphrase", TF_STATE_MIGRATE_UNENCRYPTED: "yes" },
      "TF_STATE_MIGRATE_UNENCRYPTED=yes; use 1 (read existing plaintext state once) or 0.",
    ],
    [
      {
        TF_STATE_PASSPHRASE: "a-good-long-passphrase",
        TF_STATE_KEY_NAME: "qlik_okta_2",
        TF_STATE_PASSPHRASE_PREVIOUS: "the-old-long-passphrase",
        TF_STATE_KEY_NAME_PREVIOUS: "qlik_okta",
        TF_STATE_MIGRATE_UNENCRYPTED: "1",
      },
      "TF_STATE_MIGRATE_UNENCRYPTED=1 and TF_STATE_PASSPHRASE_PREVIOUS are both set; finish the migration first, then rotate.",
    ],
  ] as [Record<string, string>, string][])("refuses %j: %s", (vars, message) => {
    const r = run(vars);
    expect(r).toEqual({ status: 1, stdout: "", stderr: `tf-encryption.sh: error: ${message}\n` });
  });

  it("never prints a passphrase in an error", () => {
    const canary = "CANARY-passphrase-\"-0123456789";
    const r = run({ TF_STATE_PASSPHRASE: canary });
    expect(r.status).toBe(1);
    expect(r.stderr).not.toContain("CANARY");
  });
});

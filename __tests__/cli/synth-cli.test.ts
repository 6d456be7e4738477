import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { CLI_ENTRY, PROJECT_ROOT } from "../../lib/paths";
import { removeTempDirs, tempDir } from "../tmp";

afterAll(removeTempDirs); // every tempDir()/workspace() of this file

/** Runs the real compiled CLI as a child process, as users and Terraform do. */
function qlikOkta(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  return spawnSync(process.execPath, [CLI_ENTRY, ...args], {
    cwd: options.cwd,
    env: { ...process.env, PATH: "/nonexistent", TERRAFORM_BINARY_NAME: "/nonexistent/terraform", ...options.env },
    encoding: "utf8",
  });
}

beforeAll(() => {
  if (!existsSync(CLI_ENTRY)) execFileSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: PROJECT_ROOT, stdio: "inherit" });
});

describe("qlik-okta synth", () => {
  it("synthesizes the bundled example on a fresh clone, without terraform or tofu installed", () => {
    // GIVEN an empty directory and no engine on PATH
    const dir = tempDir("qlik-okta-synth-");
    // WHEN
    const result = qlikOkta(["synth"], { cwd: dir });
    // THEN
    expect(result.stderr).toContain("using the bundled example");
    expect(result.status).toBe(0);
    const json = JSON.parse(readFileSync(path.join(dir, "cdktf.out", "stacks", "example", "cdk.tf.json"), "utf8"));
    expect(json.resource.okta_app_oauth.QlikOidcApp_DCEADC5B.redirect_uris).toEqual(["https://acme.eu.qlikcloud.com/login/callback"]);
    expect(result.stdout.trim()).toBe("example: cdktf.out/stacks/example/cdk.tf.json");
  });

  it("writes one directory per stack", () => {
    const dir = tempDir("qlik-okta-synth-");
    writeFileSync(
      path.join(dir, "qlik-okta.yaml"),
      "stacks:\n" +
        ["dev", "prod"]
          .map((s) => `  ${s}:\n    okta: { orgUrl: https://${s}.okta.com }\n    qlik: { tenantHostname: ${s}.eu.qlikcloud.com }\n`)
          .join(""),
    );
    const result = qlikOkta(["synth"], { cwd: dir });
    expect(result.status).toBe(0);
    expect(readdirSync(path.join(dir, "cdktf.out", "stacks")).sort()).toEqual(["dev", "prod"]);
  });

  it("exits 1 with every config problem and no stack trace", () => {
    const dir = tempDir("qlik-okta-synth-");
    writeFileSync(
      path.join(dir, "bad.yaml"),
      "stacks:\n  prod:\n    okta: { orgUrl: http://acme.okta.com }\n    qlik: { tenantHostname: https://acme.eu.qlikcloud.com }\n",
    );
    const result = qlikOkta(["synth", "--config", "bad.yaml"], { cwd: dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("invalid configuration (2 problems)");
    expect(result.stderr).toContain("stacks.prod.okta.orgUrl:");
    expect(result.stderr).toContain("stacks.prod.qlik.tenantHostname:");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(dir, "cdktf.out"))).toBe(false);
  });

  it("never writes the Okta API token (canary) into cdk.tf.json", () => {
    const canary = "00CANARY-okta-token-7f3a9c";
    const dir = tempDir("qlik-okta-synth-");
    const result = qlikOkta(["synth"], { cwd: dir, env: { OKTA_API_TOKEN: canary, QLIK_API_KEY: `${canary}-qlik` } });
    expect(result.status).toBe(0);
    const json = readFileSync(path.join(dir, "cdktf.out", "stacks", "example", "cdk.tf.json"), "utf8");
    expect(json).toContain("okta_app_oauth");
    expect(json).not.toContain(canary);
    expect(result.stdout + result.stderr).not.toContain(canary);
  });

  it("prints the package.json version for --version", () => {
    const version = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).version;
    const result = qlikOkta(["--version"], { cwd: tempDir("qlik-okta-version-") });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
  });

  it("has --help for the program and for synth", () => {
    const top = qlikOkta(["--help"], { cwd: PROJECT_ROOT });
    expect(top.status).toBe(0);
    expect(top.stdout).toContain("synth");
    const synth = qlikOkta(["synth", "--help"], { cwd: PROJECT_ROOT });
    expect(synth.stdout).toContain("--config <file>");
  });
});

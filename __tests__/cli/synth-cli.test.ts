import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { outputDirProblem, outputWriteProblem } from "../../lib/app";
import { main } from "../../lib/cli/bin";
import { Output } from "../../lib/cli/output";
import { runSynth } from "../../lib/cli/synth";
import { UserFacingError } from "../../lib/errors";
import { CLI_ENTRY, PROJECT_ROOT } from "../../lib/paths";

// The module object itself (not an import-star copy), so a test can stand in for one of its functions.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs = require("node:fs") as typeof import("node:fs");
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

describe("qlik-okta synth: the output directory (in-process)", () => {
  const CONFIG = "stacks:\n  dev:\n    okta: { orgUrl: https://dev.okta.com }\n    qlik: { tenantHostname: dev.eu.qlikcloud.com }\n";
  const FIX = "pass -o <a writable directory>";

  /** A scratch directory holding a valid config file and a regular file named `afile`. */
  function scratch(): { dir: string; config: string; file: string } {
    const dir = tempDir("qlik-okta-synth-out-");
    const config = path.join(dir, "qlik-okta.yaml");
    writeFileSync(config, CONFIG);
    const file = path.join(dir, "afile");
    writeFileSync(file, "not a directory\n");
    return { dir, config, file };
  }

  const silent: Output = { out: () => undefined, err: () => undefined };

  /** Runs `qlik-okta ...args` in-process; returns the exit code and what went to stderr. */
  async function runMain(args: string[]): Promise<{ code: number; stderr: string }> {
    const written: string[] = [];
    jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const code = await main(["node", "qlik-okta", ...args]);
      return { code, stderr: written.join("") };
    } finally {
      jest.restoreAllMocks();
    }
  }

  afterEach(() => jest.restoreAllMocks());

  it("refuses -o naming a file, with a user-facing error", () => {
    const { config, file } = scratch();
    expect(() => runSynth({ config, outdir: file }, silent)).toThrow(UserFacingError);
    expect(() => runSynth({ config, outdir: file }, silent)).toThrow(
      `cannot write the synthesized stacks to ${file}: it is a file; ${FIX}`,
    );
    expect(readFileSync(file, "utf8")).toBe("not a directory\n");
  });

  it("refuses -o under a file", () => {
    const { config, file } = scratch();
    const outdir = path.join(file, "newparent", "child");
    expect(() => runSynth({ config, outdir }, silent)).toThrow(
      `cannot write the synthesized stacks to ${outdir}: a parent, ${file}, is a file; ${FIX}`,
    );
  });

  it("exits 1 from the CLI with the message, not an unexpected error", async () => {
    const { config, file } = scratch();
    const result = await runMain(["synth", "--config", config, "-o", path.join(file, "child")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`cannot write the synthesized stacks to ${path.join(file, "child")}: a parent, ${file}, is a file; ${FIX}\n`);
  });

  it("creates missing parents of -o", () => {
    const { config, dir } = scratch();
    const outdir = path.join(dir, "new", "parents", "out");
    expect(runSynth({ config, outdir }, silent)).toEqual(["dev"]);
    expect(existsSync(path.join(outdir, "stacks", "dev", "cdk.tf.json"))).toBe(true);
  });

  it("turns a write error during synth into the same message (stacks/ is a file)", () => {
    const { config, dir } = scratch();
    const outdir = path.join(dir, "out");
    mkdirSync(outdir);
    writeFileSync(path.join(outdir, "stacks"), "");
    expect(() => runSynth({ config, outdir }, silent)).toThrow(
      `cannot write the synthesized stacks to ${outdir}: ${path.join(outdir, "stacks")} is a file; ${FIX}`,
    );
  });

  it("turns permission denied and a read-only file system into the same message", () => {
    const { config, dir } = scratch();
    const outdir = path.join(dir, "out");
    const denied = Object.assign(new Error("EACCES: permission denied, mkdir"), { code: "EACCES", path: path.join(outdir, "stacks") });
    jest.spyOn(fs, "mkdirSync").mockImplementation(() => {
      throw denied;
    });
    expect(() => runSynth({ config, outdir }, silent)).toThrow(
      `cannot write the synthesized stacks to ${outdir}: permission denied (${path.join(outdir, "stacks")}); ${FIX}`,
    );
    const readOnly = Object.assign(new Error("EROFS: read-only file system, mkdir"), { code: "EROFS", path: outdir });
    expect(outputWriteProblem(outdir, readOnly)).toBe("read-only file system");
    expect(outputWriteProblem(outdir, new Error("boom"))).toBeUndefined();
  });

  it("checks the output directory before synthesizing", () => {
    const { dir, file } = scratch();
    expect(outputDirProblem(dir)).toBeUndefined();
    expect(outputDirProblem(path.join(dir, "not", "yet"))).toBeUndefined();
    expect(outputDirProblem(file)).toBe("it is a file");
    expect(outputDirProblem(path.join(file, "x", "y"))).toBe(`a parent, ${file}, is a file`);
  });
});

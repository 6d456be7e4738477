/**
 * `qlik-okta pulumi …` before the engine runs: every refusal is one line saying what to do, nothing is written, and
 * other commands never load Pulumi.
 */
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { runPulumi } from "../../lib/cli/pulumi";
import { CLI_ENTRY, PROJECT_ROOT } from "../../lib/paths";
import { ensureBuilt } from "../e2e/helpers";
import { removeTempDirs, tempDir } from "../tmp";

afterAll(removeTempDirs);

const CONFIG = `stacks:\n  prod:\n    okta: { orgUrl: https://acme.okta.com }\n    qlik: { tenantHostname: acme.eu.qlikcloud.com }\n`;

async function run(action: string, opts: { config?: string; stack?: string }, env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runPulumi(action, opts, { out: (l) => out.push(l), err: (l) => err.push(l) }, env);
  return { code, out, err };
}

function project(config = CONFIG): string {
  const dir = tempDir("qlik-okta-pulumi-cli-");
  writeFileSync(path.join(dir, "qlik-okta.yaml"), config);
  return dir;
}

describe("qlik-okta pulumi: refusals before anything runs", () => {
  const noEngine = { PATH: "/nonexistent", PULUMI_CONFIG_PASSPHRASE: "p" };

  it("asks for PULUMI_CONFIG_PASSPHRASE when it is missing, in one line", async () => {
    const dir = project();
    const r = await run("preview", { config: path.join(dir, "qlik-okta.yaml") }, { PATH: process.env.PATH });
    expect(r).toEqual({ code: 1, out: [], err: [expect.stringMatching(/^set PULUMI_CONFIG_PASSPHRASE .*state/)] });
    expect(existsSync(path.join(dir, ".qlik-okta"))).toBe(false);
  });

  it("says `npm run engine` provisions the engine when there is none", async () => {
    const dir = project();
    const r = await run("preview", { config: path.join(dir, "qlik-okta.yaml") }, noEngine);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([expect.stringContaining("npm run engine")]);
    expect(r.err[0]).toContain("QLIK_OKTA_PULUMI_BIN");
  });

  it("names a QLIK_OKTA_PULUMI_BIN without a pulumi in it", async () => {
    const r = await run("up", { config: path.join(project(), "qlik-okta.yaml") }, { ...noEngine, QLIK_OKTA_PULUMI_BIN: "/nonexistent/bin" });
    expect(r.err).toEqual([expect.stringContaining("QLIK_OKTA_PULUMI_BIN=/nonexistent/bin has no executable pulumi")]);
  });

  it("refuses an unknown action, naming the three", async () => {
    const r = await run("apply", { config: path.join(project(), "qlik-okta.yaml") }, noEngine);
    expect(r).toEqual({ code: 1, out: [], err: ['unknown action "apply": use qlik-okta pulumi preview|up|destroy'] });
  });

  it("refuses the bundled example: its hosts are nobody's", async () => {
    const dir = tempDir("qlik-okta-pulumi-cli-");
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await run("preview", {}, noEngine);
      expect(r.code).toBe(1);
      expect(r.err).toEqual([expect.stringContaining("no config file here")]);
    } finally {
      process.chdir(cwd);
    }
  });

  it("asks for --stack when the config has several, and names an unknown one", async () => {
    const two = `${CONFIG}  dev:\n    okta: { orgUrl: https://dev.okta.com }\n    qlik: { tenantHostname: dev.eu.qlikcloud.com }\n`;
    const file = path.join(project(two), "qlik-okta.yaml");
    expect((await run("preview", { config: file }, noEngine)).err).toEqual([expect.stringMatching(/has 2 stacks \(prod, dev\): pass --stack NAME$/)]);
    expect((await run("preview", { config: file, stack: "qa" }, noEngine)).err).toEqual([expect.stringContaining("qa")]);
  });

  it("refuses a stack with adopted: objects (the Terraform flow imports them; Pulumi would create a second app)", async () => {
    const file = path.join(project(`${CONFIG}    adopted: { oktaAppId: 0oa1handmade }\n`), "qlik-okta.yaml");
    const r = await run("preview", { config: file }, noEngine);
    expect(r).toEqual({ code: 1, out: [], err: [expect.stringMatching(/^stacks\.prod\.adopted: adopting objects made by hand is done by the Terraform flow/)] });
  });
});

describe("the pulumi command costs other commands nothing", () => {
  it("--help and synth do not load @pulumi/pulumi", () => {
    ensureBuilt();
    const probe = `require(${JSON.stringify(CLI_ENTRY)}).buildProgram(); process.stdout.write(String(Object.keys(require.cache).filter((k) => k.includes("@pulumi")).length))`;
    const r = spawnSync(process.execPath, ["-e", probe], { cwd: PROJECT_ROOT, encoding: "utf8" });
    expect(r.stdout).toBe("0");
  });

  it("is listed in --help", () => {
    ensureBuilt();
    const r = spawnSync(process.execPath, [CLI_ENTRY, "--help"], { encoding: "utf8" });
    expect(r.stdout).toMatch(/pulumi \[options\] <action>/);
  });
});

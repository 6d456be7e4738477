/**
 * Tests that run the real engine (OpenTofu/Terraform) offline through the okta provider mirror of scripts/engine.sh.
 * Under CI=true a missing engine FAILS these tests; elsewhere they are skipped with a loud message.
 * Prepare the engine once with `npm run engine` (builds OpenTofu from Go modules on a cold cache).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  type Engine,
  EngineCommandError,
  MIRROR_HOSTS,
  OKTA_PROVIDER_VERSION,
  apply,
  destroy,
  engineEnv,
  engineLayout,
  ensureEngine,
  findOnPath,
  firstErrorLine,
  init,
  output,
  parseExports,
  plan,
  resolveEngine,
  show,
} from "../../lib/engine";

const SCRIPT = path.resolve(__dirname, "../../scripts/engine.sh");
const IN_CI = process.env.CI === "true" || process.env.CI === "1";

/** The environment without per-run engine choices, so the script and resolveEngine pick the cached default. */
function defaultEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.TF_BINARY;
  delete env.TF_CLI_CONFIG_FILE;
  delete env.QLIK_OKTA_ENGINE;
  delete env.QLIK_OKTA_ENGINE_REFRESH;
  return env;
}

function engineLooksReady(): boolean {
  const layout = engineLayout(process.env);
  const mirrored = MIRROR_HOSTS.every((h) => existsSync(layout.mirrorProvider(h)));
  const binary =
    !!process.env.TF_BINARY || existsSync(layout.tofuBinary) || !!findOnPath("tofu") || !!findOnPath("terraform");
  return mirrored && existsSync(layout.cliConfig) && binary;
}

const ready = engineLooksReady();
if (!ready && !IN_CI) {
  console.warn(
    [
      "",
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
      "!! SKIPPING the real-engine tests: no engine + okta provider mirror in " + engineLayout(process.env).dir,
      "!! Run `npm run engine` (bash scripts/engine.sh) first. Under CI=true these tests fail instead.",
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
    ].join("\n"),
  );
}
const describeEngine = ready || IN_CI ? describe : describe.skip;

function stackDir(tfJson: unknown): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "qlik-okta-engine-"));
  writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(tfJson, null, 2));
  return dir;
}

describe("engineEnv", () => {
  const engine: Engine = { binary: "/opt/x/tofu", name: "tofu", version: "1.12.6", cliConfigFile: "/c/cli.tfrc", source: "cache" };

  it("sets the automation settings and the mirror config, and drops TF_LOG*", () => {
    const env = engineEnv(engine, { OKTA_HTTP_PROXY: "http://127.0.0.1:9" }, {
      PATH: "/bin",
      TF_LOG: "TRACE",
      TF_LOG_PROVIDER: "DEBUG",
      TF_PLUGIN_CACHE_DIR: "/tmp/pc",
      TF_CLI_CONFIG_FILE: "/root/.terraformrc",
    });
    expect(env).toMatchObject({
      PATH: "/bin",
      OKTA_HTTP_PROXY: "http://127.0.0.1:9",
      TF_CLI_CONFIG_FILE: "/c/cli.tfrc",
      TF_IN_AUTOMATION: "1",
      CHECKPOINT_DISABLE: "1",
      TF_INPUT: "0",
      CDKTF_DISABLE_PLUGIN_CACHE_ENV: "1",
      TERRAFORM_BINARY_NAME: "/opt/x/tofu",
    });
    expect(Object.keys(env).filter((k) => k.startsWith("TF_LOG") || k === "TF_PLUGIN_CACHE_DIR")).toEqual([]);
  });

  it("reports the first Error: line only", () => {
    const stderr = "\n╷\n│ Error: local-exec provisioner error\n│ \n│ Error running command 'x': exit status 1. Output: SECRET\n╵\n";
    expect(firstErrorLine(stderr)).toBe("Error: local-exec provisioner error");
    expect(parseExports("progress\nexport A='it'\\''s'\nexport B='/x y'\n")).toEqual({ A: "it's", B: "/x y" });
  });
});

describeEngine("real engine, offline through the provider mirror", () => {
  let exports: Record<string, string>;
  let engine: Engine;
  const dirs: string[] = [];

  beforeAll(async () => {
    if (!ready) {
      throw new Error(
        `CI=true and no engine + okta provider mirror in ${engineLayout(process.env).dir}: run \`npm run engine\` (bash scripts/engine.sh) before the tests.`,
      );
    }
    engine = await resolveEngine(process.env); // honours TF_BINARY / QLIK_OKTA_ENGINE for a second-engine run
  });

  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("scripts/engine.sh answers from its cache and prints the exports", () => {
    const started = Date.now();
    const r = spawnSync("bash", [SCRIPT], { env: defaultEnv(), encoding: "utf8", timeout: 60_000 });
    const ms = Date.now() - started;
    expect({ status: r.status, stderr: r.stderr }).toMatchObject({ status: 0 });
    expect(r.stderr).toMatch(/cached/);
    const lines = r.stdout.trim().split("\n");
    expect(lines.slice(-4).map((l) => l.split("=")[0])).toEqual([
      "export TF_BINARY",
      "export TF_CLI_CONFIG_FILE",
      "export QLIK_OKTA_ENGINE_NAME",
      "export QLIK_OKTA_ENGINE_VERSION",
    ]);
    exports = parseExports(r.stdout);
    expect(existsSync(exports.TF_BINARY)).toBe(true);
    expect(readFileSync(exports.TF_CLI_CONFIG_FILE, "utf8")).toMatch(/filesystem_mirror/);
    expect(readFileSync(exports.TF_CLI_CONFIG_FILE, "utf8")).not.toMatch(/^\s*direct\s*\{|plugin_cache_dir/m);
    expect(ms).toBeLessThan(5_000); // about 0.1-0.3 s when cached
  });

  it("resolveEngine finds the engine the script selected, from the cache layout", async () => {
    const found = await resolveEngine(defaultEnv());
    expect(found).toMatchObject({
      binary: exports.TF_BINARY,
      name: exports.QLIK_OKTA_ENGINE_NAME,
      version: exports.QLIK_OKTA_ENGINE_VERSION,
      cliConfigFile: exports.TF_CLI_CONFIG_FILE,
    });
    if (found.binary === engineLayout(process.env).tofuBinary) expect(found.source).toBe("cache");
    await expect(ensureEngine(defaultEnv(), () => undefined)).resolves.toEqual(found);
  });

  it("init installs okta/okta 4.20.0 from the mirror only, next to a terraform_data resource", async () => {
    const dir = stackDir({
      terraform: { required_providers: { okta: { source: "okta/okta", version: OKTA_PROVIDER_VERSION } } },
      resource: { terraform_data: { probe: { input: "x" } } },
    });
    dirs.push(dir);
    const r = await init(engine, dir);
    expect(r.stdout).toMatch(new RegExp(`Installed okta/okta v${OKTA_PROVIDER_VERSION.replace(/\./g, "\\.")} \\(unauthenticated\\)`));
    const host = engine.name === "tofu" ? "registry.opentofu.org" : "registry.terraform.io";
    expect(readFileSync(path.join(dir, ".terraform.lock.hcl"), "utf8")).toContain(`provider "${host}/okta/okta"`);
    expect(existsSync(path.join(dir, ".terraform", "providers", host, "okta", "okta", OKTA_PROVIDER_VERSION))).toBe(true);
  });

  it("a provider that is not mirrored fails fast at init (no registry, no network)", async () => {
    const dir = stackDir({ terraform: { required_providers: { null: { source: "hashicorp/null" } } } });
    dirs.push(dir);
    const started = Date.now();
    const err = await init(engine, dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EngineCommandError);
    const e = err as EngineCommandError;
    expect(e.message).toMatch(new RegExp(`^${engine.name} init failed in .* \\(exit 1\\): Error: `));
    expect(e.message).not.toContain("\n");
    expect(e.result?.stderr.replace(/\s+/g, " ")).toMatch(/hashicorp\/null was not found in any of the search locations/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("plan, show, apply, output, plan (no changes), destroy on a terraform_data stack", async () => {
    const dir = stackDir({
      resource: { terraform_data: { marker: { input: { greeting: "hello" } } } },
      output: { greeting: { value: "${terraform_data.marker.output.greeting}" } },
    });
    dirs.push(dir);
    await init(engine, dir);
    const first = await plan(engine, dir, { out: "tfplan", detailedExitcode: true });
    expect(first.changes).toBe(true);
    const shown = await show<{ resource_changes: Array<{ address: string; change: { actions: string[] } }> }>(engine, dir, "tfplan");
    expect(shown.resource_changes.map((c) => [c.address, c.change.actions])).toEqual([["terraform_data.marker", ["create"]]]);
    await apply(engine, dir, "tfplan");
    expect(await output(engine, dir)).toMatchObject({ greeting: { value: "hello" } });
    expect((await plan(engine, dir, { detailedExitcode: true })).changes).toBe(false);
    await destroy(engine, dir);
    expect((await show<{ values?: unknown }>(engine, dir)).values).toBeUndefined();
  });
});

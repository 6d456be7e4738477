/**
 * Tests that run the real engine (OpenTofu/Terraform) offline through the okta provider mirror of scripts/engine.sh.
 * Under CI=true a missing engine FAILS these tests; elsewhere they are skipped with a loud message.
 * Prepare the engine once with `npm run engine` (builds OpenTofu from Go modules on a cold cache).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
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
  platform,
  resolveEngine,
  show,
} from "../../lib/engine";
import { isCI } from "../e2e/helpers";
import { removeTempDirs, tempDir } from "../tmp";
import { pathWithoutGo } from "./no-go";

afterAll(removeTempDirs); // every tempDir() of this file

const SCRIPT = path.resolve(__dirname, "../../scripts/engine.sh");
const IN_CI = isCI();

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
  const dir = tempDir("qlik-okta-engine-");
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


/** A directory that passes (or, with other values, fails) the source route's checks: go.mod and the version constant. */
function fakeSource(module = "github.com/okta/terraform-provider-okta", version = OKTA_PROVIDER_VERSION): string {
  const dir = tempDir("qlik-okta-fake-src-");
  writeFileSync(path.join(dir, "go.mod"), `module ${module}\n\ngo 1.23.5\n`);
  mkdirSync(path.join(dir, "okta"));
  writeFileSync(path.join(dir, "okta", "config.go"), `package okta\n\nconst (\n\tOktaTerraformProviderVersion   = "${version}"\n)\n`);
  return dir;
}

describe("scripts/engine.sh on an empty engine directory without go (nothing is built)", () => {
  let noGoPath: string;
  /** The script with only PATH (no go), HOME and an empty QLIK_OKTA_ENGINE_DIR, plus `extra`. */
  const engineSh = (extra: Record<string, string> = {}) => {
    const dir = realpathSync(tempDir("qlik-okta-engine-dir-"));
    const r = spawnSync("bash", [SCRIPT], {
      env: { PATH: noGoPath, HOME: process.env.HOME, QLIK_OKTA_ENGINE_DIR: dir, ...extra },
      encoding: "utf8",
      timeout: 30_000,
    });
    return { ...r, dir, built: readdirSync(dir).filter((f) => f !== ".lock") };
  };

  beforeAll(() => {
    noGoPath = pathWithoutGo();
    expect(findOnPath("go", { PATH: noGoPath })).toBeUndefined();
    expect(findOnPath("bash", { PATH: noGoPath })).toBeDefined();
  });

  it("says why each route gave nothing (no go for the proxy nor the source) and every way out, and exits 1", () => {
    const src = realpathSync(fakeSource());
    const r = engineSh({ OKTA_PROVIDER_SOURCE: src });
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: "" });
    const okta = `${r.dir}/okta-${OKTA_PROVIDER_VERSION}`;
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      "engine: okta provider: Go module proxy route not tried: go is not on PATH",
      "engine: okta provider: source route: go is not on PATH",
      `engine.sh: error: no okta/okta ${OKTA_PROVIDER_VERSION} provider for ${platform()}. ` +
        "The Go module proxy route was not tried: go is not on PATH (it would build " +
        `github.com/okta/terraform-provider-okta@v0.0.0-20250610104238-1924ec5199ea, the commit tagged v${OKTA_PROVIDER_VERSION}, with go >= 1.23.5). ` +
        "The source route gave nothing: go is not on PATH. " +
        "Ways out: install Go >= 1.23.5 and set OKTA_PROVIDER_SOURCE=<a checkout of github.com/okta/terraform-provider-okta " +
        `at tag v${OKTA_PROVIDER_VERSION}>; or set OKTA_PROVIDER_BINARY=/path/to/terraform-provider-okta (a v${OKTA_PROVIDER_VERSION} build for ${platform()}); ` +
        `or copy such a binary to ${okta}/terraform-provider-okta_v${OKTA_PROVIDER_VERSION}. Then re-run; the result is checked, ` +
        `recorded in ${okta}/SOURCE and linked into the mirror.`,
    ]);
    expect(r.built).toEqual([]);
  });

  it("OKTA_PROVIDER_SOURCE of another module is refused before anything is built, naming the module it found", () => {
    const src = fakeSource("github.com/example/not-okta");
    const r = engineSh({ OKTA_PROVIDER_SOURCE: src });
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: "" });
    expect(r.stderr.trimEnd().split("\n").pop()).toBe(
      `engine.sh: error: OKTA_PROVIDER_SOURCE=${src} is not the okta provider v${OKTA_PROVIDER_VERSION}: ` +
        `${realpathSync(src)}/go.mod declares module 'github.com/example/not-okta', not github.com/okta/terraform-provider-okta. ` +
        `Point it at a checkout of github.com/okta/terraform-provider-okta at tag v${OKTA_PROVIDER_VERSION}.`,
    );
    expect(r.built).toEqual([]);
  });

  it("OKTA_PROVIDER_SOURCE at another version of the provider is refused, naming the version it found", () => {
    const src = fakeSource(undefined, "4.19.1");
    const r = engineSh({ OKTA_PROVIDER_SOURCE: src });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `${realpathSync(src)}/okta/config.go says OktaTerraformProviderVersion '4.19.1', not ${OKTA_PROVIDER_VERSION} (check out the v${OKTA_PROVIDER_VERSION} tag)`,
    );
    expect(r.built).toEqual([]);
  });

  it("OKTA_PROVIDER_BINARY that is no plugin binary: exit 1 with one paragraph saying so (an explicit binary skips the default source)", () => {
    const r = engineSh({ OKTA_PROVIDER_BINARY: "/nonexistent" });
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: "" });
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      "engine: okta provider: Go module proxy route not tried: go is not on PATH",
      "engine: okta provider: source route: OKTA_PROVIDER_BINARY is set and OKTA_PROVIDER_SOURCE is not",
      "engine.sh: error: OKTA_PROVIDER_BINARY=/nonexistent is not an executable terraform-provider-okta plugin binary " +
        '(running it must print "This binary is a plugin"). ' +
        `Point it at a terraform-provider-okta v${OKTA_PROVIDER_VERSION} binary built for ${platform()}.`,
    ]);
    expect(r.built).toEqual([]);
  });
});

/**
 * The source route for real: the provider's own source (OKTA_PROVIDER_SOURCE, by default the copy next to the
 * project) built with go into an empty engine directory, then an offline init with nothing else. This is how every
 * new machine here gets its provider, so under CI=true it never skips.
 */
const vendoredSource = process.env.OKTA_PROVIDER_SOURCE || path.resolve(__dirname, "../../../shared/vendor/terraform-provider-okta-" + OKTA_PROVIDER_VERSION);
const canBuildFromSource = existsSync(vendoredSource) && !!findOnPath("go");
if (!canBuildFromSource && !IN_CI) {
  console.warn(`\n!! SKIPPING the source-route test: needs go on PATH and the provider source at ${vendoredSource} (CI=true fails instead).\n`);
}
(canBuildFromSource || IN_CI ? describe : describe.skip)("scripts/engine.sh builds the okta provider from source into an empty directory", () => {
  it("builds it, records where it came from, mirrors it, and an offline init installs it", async () => {
    expect({ source: vendoredSource, exists: existsSync(vendoredSource), go: findOnPath("go") ?? "not on PATH" }).toMatchObject({ exists: true });
    const engine = await resolveEngine(process.env); // the engine is not what this test is about: no OpenTofu build
    const dir = realpathSync(tempDir("qlik-okta-engine-src-"));
    const src = realpathSync(vendoredSource);
    const started = new Date(Date.now() - 1000);
    const env = { ...defaultEnv(), QLIK_OKTA_ENGINE_DIR: dir, OKTA_PROVIDER_SOURCE: src, TF_BINARY: engine.binary };
    const r = spawnSync("bash", [SCRIPT], { env, encoding: "utf8", timeout: 600_000 });
    expect({ status: r.status, stderr: r.stderr }).toMatchObject({ status: 0 });

    // progress says what is happening and roughly how long it takes
    expect(r.stderr).toContain(`engine: okta provider: building from source ${src} (about 2 min the first time`);
    // provenance: the route, and the hash of exactly the binary that sits in the cache and the mirror
    const layout = engineLayout({ QLIK_OKTA_ENGINE_DIR: dir });
    const stamp = readFileSync(path.join(path.dirname(layout.oktaProvider), "SOURCE"), "utf8");
    expect(stamp.split("\n")[0]).toBe(`source: source-build ${src} (github.com/okta/terraform-provider-okta v${OKTA_PROVIDER_VERSION})`);
    const sha = createHash("sha256").update(readFileSync(layout.oktaProvider)).digest("hex");
    expect(stamp).toContain(`sha256: ${sha}`);
    for (const host of MIRROR_HOSTS) expect(statSync(layout.mirrorProvider(host)).ino).toBe(statSync(layout.oktaProvider).ino);
    expect(parseExports(r.stdout)).toMatchObject({
      TF_CLI_CONFIG_FILE: layout.cliConfig,
      QLIK_OKTA_PROVIDER_MIRROR: layout.mirror,
      QLIK_OKTA_PROVIDER_ORIGIN: `source-build ${src} (github.com/okta/terraform-provider-okta v${OKTA_PROVIDER_VERSION})`,
    });
    // the source was only read (it is read-only in CI): nothing in it is newer than the build
    expect(spawnSync("find", [src, "-newermt", started.toISOString()], { encoding: "utf8" }).stdout).toBe("");

    // an offline init with only this directory's CLI config installs exactly that binary
    const stack = stackDir({ terraform: { required_providers: { okta: { source: "okta/okta", version: OKTA_PROVIDER_VERSION } } } });
    const own: Engine = { ...engine, cliConfigFile: layout.cliConfig };
    const init1 = await init(own, stack);
    expect(init1.stdout).toMatch(new RegExp(`Installed okta/okta v${OKTA_PROVIDER_VERSION.replace(/\./g, "\\.")} \\(unauthenticated\\)`));
    const host = engine.name === "tofu" ? "registry.opentofu.org" : "registry.terraform.io";
    const installed = path.join(stack, ".terraform", "providers", host, "okta", "okta", OKTA_PROVIDER_VERSION, platform());
    const file = readdirSync(installed).find((f) => f.startsWith("terraform-provider-okta"));
    expect(createHash("sha256").update(readFileSync(path.join(installed, file ?? "missing"))).digest("hex")).toBe(sha);
  }, 660_000);
});

describeEngine("real engine, offline through the provider mirror", () => {
  let exports: Record<string, string>;
  let engine: Engine;

  beforeAll(async () => {
    if (!ready) {
      throw new Error(
        `CI=true and no engine + okta provider mirror in ${engineLayout(process.env).dir}: run \`npm run engine\` (bash scripts/engine.sh) before the tests.`,
      );
    }
    engine = await resolveEngine(process.env); // honours TF_BINARY / QLIK_OKTA_ENGINE for a second-engine run
  });

  it("scripts/engine.sh answers from its cache and prints the exports", () => {
    const r = spawnSync("bash", [SCRIPT], { env: defaultEnv(), encoding: "utf8", timeout: 60_000 });
    expect({ status: r.status, stderr: r.stderr }).toMatchObject({ status: 0 });
    expect(r.stderr).toMatch(/cached/);
    const lines = r.stdout.trim().split("\n");
    expect(lines.slice(-6).map((l) => l.split("=")[0])).toEqual([
      "export TF_BINARY",
      "export TF_CLI_CONFIG_FILE",
      "export QLIK_OKTA_ENGINE_NAME",
      "export QLIK_OKTA_ENGINE_VERSION",
      "export QLIK_OKTA_PROVIDER_MIRROR",
      "export QLIK_OKTA_PROVIDER_ORIGIN",
    ]);
    exports = parseExports(r.stdout);
    expect(existsSync(exports.TF_BINARY)).toBe(true);
    expect(readFileSync(exports.TF_CLI_CONFIG_FILE, "utf8")).toMatch(/filesystem_mirror/);
    expect(readFileSync(exports.TF_CLI_CONFIG_FILE, "utf8")).not.toMatch(/^\s*direct\s*\{|plugin_cache_dir/m);
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
    const ensured = await ensureEngine(defaultEnv(), { onProgress: () => undefined });
    const layout = engineLayout(defaultEnv());
    const stamp = readFileSync(path.join(path.dirname(layout.oktaProvider), "SOURCE"), "utf8");
    // the same engine, plus the provider's origin as okta-4.20.0/SOURCE records it
    expect(ensured).toEqual({ ...found, provider: { mirror: layout.mirror, origin: /^source: (.*)$/m.exec(stamp)?.[1] } });
  });

  it("init installs okta/okta 4.20.0 from the mirror only, next to a terraform_data resource", async () => {
    const dir = stackDir({
      terraform: { required_providers: { okta: { source: "okta/okta", version: OKTA_PROVIDER_VERSION } } },
      resource: { terraform_data: { probe: { input: "x" } } },
    });
    const r = await init(engine, dir);
    expect(r.stdout).toMatch(new RegExp(`Installed okta/okta v${OKTA_PROVIDER_VERSION.replace(/\./g, "\\.")} \\(unauthenticated\\)`));
    const host = engine.name === "tofu" ? "registry.opentofu.org" : "registry.terraform.io";
    expect(readFileSync(path.join(dir, ".terraform.lock.hcl"), "utf8")).toContain(`provider "${host}/okta/okta"`);
    expect(existsSync(path.join(dir, ".terraform", "providers", host, "okta", "okta", OKTA_PROVIDER_VERSION))).toBe(true);
  });

  it("a provider that is not mirrored fails fast at init (no registry, no network)", async () => {
    const dir = stackDir({ terraform: { required_providers: { null: { source: "hashicorp/null" } } } });
    const err = await init(engine, dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EngineCommandError);
    const e = err as EngineCommandError;
    expect(e.message).toMatch(new RegExp(`^${engine.name} init failed in .* \\(exit 1\\): Error: `));
    expect(e.message).not.toContain("\n");
    expect(e.result?.stderr.replace(/\s+/g, " ")).toMatch(/hashicorp\/null was not found in any of the search locations/);
  });

  it("plan, show, apply, output, plan (no changes), destroy on a terraform_data stack", async () => {
    const dir = stackDir({
      resource: { terraform_data: { marker: { input: { greeting: "hello" } } } },
      output: { greeting: { value: "${terraform_data.marker.output.greeting}" } },
    });
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

import { execFile, execFileSync } from "node:child_process";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { engineLine } from "../../lib/cli/demo";
import { engineLayout, findOnPath, MIRROR_HOSTS, OKTA_PROVIDER_VERSION } from "../../lib/engine";
import { CLI_ENTRY } from "../../lib/paths";
import { engineLikelyAvailable, ensureBuilt, isCI } from "../e2e/helpers";
import { removeTempDirs, tempDir } from "../tmp";

afterAll(removeTempDirs);

describe("the demo's engine line", () => {
  it("names the binary, and the mirror and route the provider really came from", () => {
    const line = engineLine({
      binary: "/usr/local/bin/terraform",
      name: "terraform",
      version: "1.11.4",
      source: "PATH",
      cliConfigFile: "/c/cli.tfrc",
      provider: { mirror: "/c/mirror", origin: "source-build /src (github.com/okta/terraform-provider-okta v4.20.0)" },
    });
    expect(line).toBe(
      "Engine: terraform 1.11.4 (PATH: /usr/local/bin/terraform); provider okta/okta 4.20.0 from the offline mirror /c/mirror " +
        "(source-build /src (github.com/okta/terraform-provider-okta v4.20.0))",
    );
  });

  it("claims no mirror when the engine came without one", () => {
    const line = engineLine({ binary: "/bin/tofu", name: "tofu", version: "1.12.6", source: "TF_BINARY" });
    expect(line).not.toContain("mirror");
    expect(line).toContain("as the engine's CLI config (none) installs it");
  });
});

// The demo provisions what is missing itself (it is `npm start` on a fresh clone), so it needs only go and the
// provider source, or a warm engine directory; under CI=true it always runs.
const canProvision = (!!findOnPath("go") && existsSync(path.resolve(__dirname, "../../../shared/vendor"))) || engineLikelyAvailable();
const suite = canProvision || isCI() ? describe : describe.skip;

suite("npm start (the demo on the bundled example)", () => {
  it("provisions an empty engine directory, runs the whole flow against the emulators and exits 0, telling the story", async () => {
    // GIVEN a built project and an engine directory with nothing in it (a new machine's ~/.cache)
    ensureBuilt();
    const engineDir = realpathSync(tempDir("qlik-okta-demo-engine-"));
    const env: NodeJS.ProcessEnv = { ...process.env, QLIK_OKTA_ENGINE_DIR: engineDir };
    for (const k of ["TF_BINARY", "TF_CLI_CONFIG_FILE", "QLIK_OKTA_ENGINE"]) delete env[k];
    // WHEN
    const demo = CLI_ENTRY.replace(/bin\.js$/, "demo.js");
    const { stdout } = await promisify(execFile)(process.execPath, [demo], { encoding: "utf8", timeout: 900_000, env });
    // THEN every step of the story is there, in order
    const steps = ["1. Synthesize", "2. ", "3. ", "4. A tenant admin validates", "5. ", "6. "].map((s) => stdout.indexOf(s));
    expect(steps.every((i, n) => i >= 0 && (n === 0 || i > steps[n - 1]))).toBe(true);
    expect(stdout).toContain("sign-in redirect https://acme.eu.qlikcloud.com/login/callback");
    expect(stdout).toMatch(/Qlik IdP \w+ "Okta \[managed by qlik-okta-iac:example\]": active=false, verification pending/);
    expect(stdout).toContain("~ promote the validated configuration");
    expect(stdout).toContain("No changes: the applied stack matches the config");
    expect(stdout).toContain("Okta org empty again: true");

    // AND the engine line tells the truth: the binary is that engine, the mirror holds the provider, the route is
    // the one recorded when it was provisioned (into the empty directory, not some cache elsewhere)
    const m = /^Engine: (tofu|terraform) (\S+) \((\w+): (\S+)\); provider okta\/okta (\S+) from the offline mirror (\S+) \((.*)\)$/m.exec(stdout);
    expect(m).not.toBeNull();
    const [, name, version, , binary, providerVersion, mirror, origin] = m as RegExpExecArray;
    const reported = execFileSync(binary, ["version"], { encoding: "utf8", env: { ...env, CHECKPOINT_DISABLE: "1" } });
    expect(reported.split("\n")[0]).toMatch(new RegExp(`^${name === "tofu" ? "OpenTofu" : "Terraform"} v${version.replace(/\./g, "\\.")}`));
    expect(providerVersion).toBe(OKTA_PROVIDER_VERSION);
    const layout = engineLayout({ QLIK_OKTA_ENGINE_DIR: engineDir });
    expect(mirror).toBe(layout.mirror);
    for (const host of MIRROR_HOSTS) expect(existsSync(layout.mirrorProvider(host))).toBe(true);
    const stamp = readFileSync(path.join(path.dirname(layout.oktaProvider), "SOURCE"), "utf8");
    expect(`source: ${origin}`).toBe(stamp.split("\n")[0]);
  }, 960_000);
});

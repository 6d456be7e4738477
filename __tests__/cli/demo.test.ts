import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { CLI_ENTRY } from "../../lib/paths";
import { engineLikelyAvailable, ensureBuilt } from "../e2e/helpers";

const suite = engineLikelyAvailable() ? describe : describe.skip;

suite("npm start (the demo on the bundled example)", () => {
  it("runs the whole flow against the emulators and exits 0, telling the story", async () => {
    // GIVEN a built project and a provisioned engine
    ensureBuilt();
    // WHEN
    const demo = CLI_ENTRY.replace(/bin\.js$/, "demo.js");
    const { stdout } = await promisify(execFile)(process.execPath, [demo], { encoding: "utf8", timeout: 180_000 });
    // THEN every step of the story is there, in order
    const steps = ["1. Synthesize", "2. ", "3. ", "4. A tenant admin validates", "5. ", "6. "].map((s) => stdout.indexOf(s));
    expect(steps.every((i, n) => i >= 0 && (n === 0 || i > steps[n - 1]))).toBe(true);
    expect(stdout).toContain("sign-in redirect https://acme.eu.qlikcloud.com/login/callback");
    expect(stdout).toMatch(/Qlik IdP \w+ "Okta \[managed by qlik-okta-iac:example\]": active=false, verification pending/);
    expect(stdout).toContain("~ promote the validated configuration");
    expect(stdout).toContain("No changes: the applied stack matches the config");
    expect(stdout).toContain("Okta org empty again: true");
  }, 200_000);
});

/**
 * The Pulumi variant end to end: the real CLI (`node dist/lib/cli/bin.js pulumi …`) drives the real Pulumi engine
 * (v3.276.0) with the bridged okta plugin (v4.20.0) and our dynamic-provider host on the bundled example; the okta
 * plugin talks to the Okta emulator (OKTA_HTTP_PROXY), the Qlik IdP's dynamic provider to the Qlik emulator.
 *
 * preview (creates, the IdP's fields) → up → Okta and Qlik hold what the Terraform flow leaves → preview: no changes
 * → one value changed → preview shows exactly it (an Okta field and a Qlik field) → an admin validates the test
 * login → up promotes → destroy retains the IdP (onDestroy: retain), and with onDestroy: delete removes it. Canary
 * secrets with quotes and backslashes appear nowhere: output, Pulumi's logs, the state file in clear.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { Sandbox, startSandbox } from "../../lib/emulators/sandbox";
import { findPulumiEngine } from "../../lib/pulumi/engine";
import { CliRun, ensureBuilt, exampleConfig, isCI, runCli, workspace } from "../e2e/helpers";
import { removeTempDirs } from "../tmp";
import { expectArticleInOkta, expectPendingIdpInQlik } from "../e2e/article";

afterAll(removeTempDirs);

const OKTA_TOKEN = 'ok"ta\\CANARY-pulumi-token-3f9a';
const QLIK_KEY = 'ql"ik\\CANARY-pulumi-key-7c2e';
const PASSPHRASE = 'pa"ss\\CANARY-pulumi-passphrase-1d8b';
const HOST = "acme.eu.qlikcloud.com";
const IDP_TYPE = "pulumi-nodejs:dynamic/qlik-okta:QlikIdentityProvider";

/**
 * Outside CI, a machine without the Pulumi engine skips this suite with a loud banner; under CI=true it runs and
 * fails in beforeAll (scripts/engine.sh provisions QLIK_OKTA_PULUMI_BIN first).
 */
function pulumiLikelyAvailable(): boolean {
  if (isCI()) return true;
  try {
    findPulumiEngine(process.env);
    return true;
  } catch {
    process.stderr.write("\n*** SKIPPING the Pulumi end-to-end test: no Pulumi engine (QLIK_OKTA_PULUMI_BIN or pulumi on PATH). Run `npm run engine` first (CI=true makes this a failure). ***\n\n");
    return false;
  }
}

const suite = pulumiLikelyAvailable() ? describe : describe.skip;
jest.setTimeout(180_000);

suite("the Pulumi variant end to end: the bundled example through the real engine and okta plugin", () => {
  let sandbox: Sandbox;
  let dir: string;
  const runs: CliRun[] = [];
  let clientSecret = "";

  const pulumi = async (action: string, config = "qlik-okta.yaml"): Promise<CliRun> => {
    const r = await runCli(["pulumi", action, "--config", config], dir, {
      ...sandbox.env,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      ...(process.env.QLIK_OKTA_PULUMI_BIN ? { QLIK_OKTA_PULUMI_BIN: process.env.QLIK_OKTA_PULUMI_BIN } : {}),
    });
    runs.push(r);
    return r;
  };
  const writeConfig = (name: string, text: string) => require("node:fs").writeFileSync(path.join(dir, name), text);
  const idps = () => sandbox.qlik.idps() as Record<string, any>[];
  /** The Pulumi lines without URNs and ids: what a reader looks at. */
  const readable = (r: CliRun) => r.stdout.split("\n").filter((l) => !/^\s*\[(urn|id|provider)=/.test(l));

  beforeAll(async () => {
    ensureBuilt();
    findPulumiEngine(process.env); // under CI: a missing engine fails here, with what to run
    sandbox = await startSandbox({ oktaApiToken: OKTA_TOKEN, qlikApiKey: QLIK_KEY, qlik: { tenantHostname: HOST } });
    dir = workspace(exampleConfig());
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it("preview: every Okta object and the Qlik IdP to create, with the IdP's fields (exit 2)", async () => {
    const r = await pulumi("preview");
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 2, stderr: "" });
    const text = readable(r).join("\n");
    for (const type of [
      "okta:app/oAuth:OAuth",
      "okta:app/groupAssignment:GroupAssignment",
      "okta:auth/server:Server",
      "okta:auth/serverScope:ServerScope",
      "okta:auth/serverPolicy:ServerPolicy",
      "okta:auth/serverPolicyRule:ServerPolicyRule",
      IDP_TYPE,
    ]) {
      expect(text).toContain(`+ ${type}: (create)`);
    }
    expect(text).toMatch(/description\s*: "Okta \[managed by qlik-okta-iac:example\]"/);
    expect(text).toMatch(/discoveryUrl\s*: "https:\/\/acme\.okta\.com\/\.well-known\/openid-configuration"/);
    expect(text).toMatch(/clientSecret\s*: \[secret\]/);
    expect(sandbox.okta.state.apps()).toEqual([]);
    expect(idps()).toEqual([]);
  });

  it("up: Okta holds the app, its groups claim, the assignment and the authorization server (as after the Terraform flow)", async () => {
    const r = await pulumi("up");
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    expectArticleInOkta(sandbox.okta, HOST);
    expect(r.stdout).toContain("Next steps (Qlik):");
  });

  it("up: Qlik holds one pending Okta IdP with the app's client id and secret and the org discovery URL", () => {
    const [app] = sandbox.okta.state.apps();
    expectPendingIdpInQlik(sandbox.qlik, app);
    clientSecret = app.clientSecret as string;
    expect(clientSecret.length).toBeGreaterThan(10);
  });

  it("preview again: no changes (exit 0), and no write to Qlik", async () => {
    const writes = sandbox.qlik.writes().length;
    const r = await pulumi("preview");
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    expect(sandbox.qlik.writes().length).toBe(writes);
  });

  it("one value changed: the preview shows exactly it, the Okta label and the Qlik IdP's description (exit 2)", async () => {
    writeConfig("changed.yaml", exampleConfig({ "label: Qlik Cloud": "label: Qlik Cloud (EU)", "description: Okta\n": "description: Okta EU\n" }));
    const r = await pulumi("preview", "changed.yaml");
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 2, stderr: "" });
    expect(changesShown(r)).toEqual([
      "~ okta:app/oAuth:OAuth: (update)",
      '~ label: "Qlik Cloud" => "Qlik Cloud (EU)"',
      `~ ${IDP_TYPE}: (update)`,
      "~ idp: {",
      '~ description: "Okta [managed by qlik-okta-iac:example]" => "Okta EU [managed by qlik-okta-iac:example]"',
      "~ 2 to update",
    ]);
    const up = await pulumi("up", "changed.yaml");
    expect(up.status).toBe(0);
    expect(sandbox.okta.state.apps()[0].label).toBe("Qlik Cloud (EU)");
    expect(idps()[0].description).toBe("Okta EU [managed by qlik-okta-iac:example]");
    expect((await pulumi("preview", "changed.yaml")).status).toBe(0);
  });

  it("after an admin validates the test login, the preview shows the promotion and up promotes", async () => {
    sandbox.qlik.completeVerification(idps()[0].id);
    const r = await pulumi("preview", "changed.yaml");
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 2, stderr: "" });
    expect(readable(r).join("\n")).toMatch(/- pendingState\s*: "verified"/);
    const up = await pulumi("up", "changed.yaml");
    expect(up.status).toBe(0);
    const [idp] = idps();
    expect(idp.pendingState).toBeUndefined();
    expect(idp.options).toMatchObject({ clientId: sandbox.okta.state.apps()[0].clientId, clientSecret });
    expect((await pulumi("preview", "changed.yaml")).status).toBe(0);
  });

  it("destroy: Okta is empty and the Qlik IdP is retained (onDestroy: retain), without a write to Qlik", async () => {
    const writes = sandbox.qlik.writes().length;
    const r = await pulumi("destroy", "changed.yaml");
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    expect(sandbox.okta.state.isEmpty()).toBe(true);
    expect(sandbox.okta.unexpected).toEqual([]);
    expect(idps()).toHaveLength(1);
    expect(sandbox.qlik.writes().length).toBe(writes);
  });

  it("destroy with onDestroy: delete removes the IdP", async () => {
    writeConfig("delete.yaml", exampleConfig({ "onDestroy: retain": "onDestroy: delete" }));
    expect((await pulumi("up", "delete.yaml")).status).toBe(0);
    expect(idps()).toHaveLength(1); // the retained IdP, found by its marker, not a second one
    const r = await pulumi("destroy", "delete.yaml");
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    expect(idps()).toEqual([]);
    expect(sandbox.okta.state.isEmpty()).toBe(true);
  });

  it("never showed or stored a secret: no token, key, passphrase or client secret in output, Pulumi's logs or the state", () => {
    const stateFile = path.join(dir, ".qlik-okta", "pulumi", "state", ".pulumi", "stacks", "qlik-okta", "example.json");
    expect(existsSync(stateFile)).toBe(true);
    const files = walk(path.join(dir, ".qlik-okta"));
    expect(files.some((f) => f.includes(`${path.sep}logs${path.sep}`))).toBe(true);
    const corpus = [...runs.flatMap((r) => [r.stdout, r.stderr]), ...files.map((f) => readFileSync(f, "utf8"))].join("\n");
    expect(corpus.length).toBeGreaterThan(10_000);
    for (const secret of [OKTA_TOKEN, QLIK_KEY, PASSPHRASE, clientSecret]) {
      expect(secret.length).toBeGreaterThan(10);
      for (const form of [secret, JSON.stringify(secret).slice(1, -1), JSON.stringify(JSON.stringify(secret)).slice(1, -1)]) {
        expect(corpus.includes(form)).toBe(false);
      }
    }
  });
});

/**
 * The change lines of a preview, trimmed: resource headers and their property lines, leaving out the blocks of the
 * refresh (which lists outputs the provider fills in, such as empty lists) and the stack's outputs.
 */
function changesShown(r: CliRun): string[] {
  const out: string[] = [];
  let inRefresh = false;
  for (const line of r.stdout.split("\n")) {
    const header = /^\s*[~+\- ]?\s*[\w:/.-]+: \((\w+)\)$/.exec(line);
    if (header) inRefresh = header[1] === "refresh" || /pulumi:pulumi:Stack/.test(line);
    if (inRefresh || /^\s*\[(urn|id|provider)=/.test(line) || !/^\s*[~+-] /.test(line)) continue;
    out.push(line.trim());
  }
  return out;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

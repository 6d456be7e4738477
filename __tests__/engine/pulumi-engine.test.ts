/**
 * The Pulumi engine of scripts/engine.sh: the Pulumi CLI v3.276.0 and our own bridged okta resource plugin
 * (scripts/pulumi/okta-plugin), both built from Go modules into $ENGINE_DIR/pulumi-3.276.0/bin, which engine.sh
 * exports as QLIK_OKTA_PULUMI_BIN (scripts/with-engine.sh puts it into the environment of `npm test`).
 *
 * (a) the plugin's schema serves every token @pulumi/okta requests for the resources/invokes this project uses, with
 *     the same property names and shapes as @pulumi/okta's .d.ts files, and reports version 4.20.0;
 * (b) `pulumi version` is v3.276.0;
 * (c) an Automation API inline program drives one okta.app.OAuth (plus the Everyone group lookup and its assignment)
 *     through preview -> up -> preview (no changes) -> destroy against the Okta emulator, with the plugin found on PATH
 *     and nothing downloaded.
 *
 * Under CI=true a missing Pulumi engine FAILS these tests; elsewhere they are skipped with a loud message.
 * Prepare it with `npm run engine` (bash scripts/engine.sh).
 */
import { execFile, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import * as ts from "typescript";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { startOktaEmulator, type OktaEmulator } from "../../lib/emulators";
import { engineLayout, parseExports, resolveEngine } from "../../lib/engine";
import { isCI } from "../e2e/helpers";
import { removeTempDirs, tempDir } from "../tmp";
import { pathWithoutGo } from "./no-go";

afterAll(removeTempDirs); // every tempDir() of this file

const run = promisify(execFile);
const IN_CI = isCI();
const PULUMI_VERSION = "3.276.0";
const OKTA_VERSION = "4.20.0";
const OKTA_SDK = path.dirname(require.resolve("@pulumi/okta/package.json"));
const SCRIPT = path.resolve(__dirname, "../../scripts/engine.sh");

/** The Pulumi tokens this project's Pulumi variant uses (lib/pulumi), with the .d.ts that declares each. */
const RESOURCES = [
  { token: "okta:app/oAuth:OAuth", dts: "app/oauth.d.ts" },
  { token: "okta:app/groupAssignment:GroupAssignment", dts: "app/groupAssignment.d.ts" },
  { token: "okta:auth/server:Server", dts: "auth/server.d.ts" },
  { token: "okta:auth/serverScope:ServerScope", dts: "auth/serverScope.d.ts" },
  { token: "okta:auth/serverPolicy:ServerPolicy", dts: "auth/serverPolicy.d.ts" },
  { token: "okta:auth/serverPolicyRule:ServerPolicyRule", dts: "auth/serverPolicyRule.d.ts" },
  { token: "okta:auth/serverClaim:ServerClaim", dts: "auth/serverClaim.d.ts" },
] as const;
const INVOKES = [
  { token: "okta:group/getGroup:getGroup", dts: "group/getGroup.d.ts" },
  { token: "okta:group/getEveryoneGroup:getEveryoneGroup", dts: "group/getEveryoneGroup.d.ts" },
] as const;

/** QLIK_OKTA_PULUMI_BIN (exported by scripts/engine.sh), else the default cache location of engine.sh. */
function pulumiBinDir(): string {
  return process.env.QLIK_OKTA_PULUMI_BIN || path.join(engineLayout(process.env).dir, `pulumi-${PULUMI_VERSION}`, "bin");
}
const BIN = pulumiBinDir();
const PULUMI = path.join(BIN, "pulumi");
const PLUGIN = path.join(BIN, "pulumi-resource-okta");
const ready = existsSync(PULUMI) && existsSync(PLUGIN);
if (!ready && !IN_CI) {
  console.warn(
    [
      "",
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
      `!! SKIPPING the Pulumi engine tests: no pulumi + pulumi-resource-okta in ${BIN}` +
        (process.env.QLIK_OKTA_PULUMI_UNAVAILABLE ? ` (scripts/engine.sh: ${process.env.QLIK_OKTA_PULUMI_UNAVAILABLE})` : ""),
      "!! Run `npm run engine` (bash scripts/engine.sh; needs Go) first. Under CI=true these tests fail instead.",
      "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
    ].join("\n"),
  );
}
const describePulumi = ready || IN_CI ? describe : describe.skip;

function requireBinaries(): void {
  if (!existsSync(PULUMI) || !existsSync(PLUGIN)) {
    const why = process.env.QLIK_OKTA_PULUMI_UNAVAILABLE ? ` scripts/engine.sh said: ${process.env.QLIK_OKTA_PULUMI_UNAVAILABLE}.` : "";
    throw new Error(
      `the Pulumi engine tests need ${PULUMI} and ${PLUGIN}.${why} Run \`npm run engine\` (scripts/engine.sh builds them with Go; ` +
        "its stderr says why when it cannot), or set QLIK_OKTA_PULUMI_BIN to a directory holding both.",
    );
  }
}

/** Environment for the CLI: its own PULUMI_HOME, no update check, a dead proxy so that any download fails loudly. */
function cliEnv(home: string): Record<string, string> {
  return {
    PULUMI_HOME: home,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_IGNORE_AMBIENT_PLUGINS: "", // must stay unset/empty: the plugin is found on PATH ("ambient")
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    HTTPS_PROXY: "http://127.0.0.1:9",
    HTTP_PROXY: "http://127.0.0.1:9",
    NO_PROXY: "127.0.0.1,localhost",
    PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ""}`,
  };
}

/** Every `__pulumiType = '…'` and `invoke("…")` string in @pulumi/okta. */
function sdkTokens(): { resources: Set<string>; invokes: Set<string> } {
  const resources = new Set<string>();
  const invokes = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") walk(file);
      } else if (entry.name.endsWith(".js")) {
        const text = readFileSync(file, "utf8");
        for (const m of text.matchAll(/__pulumiType = '([^']+)'/g)) resources.add(m[1]);
        for (const m of text.matchAll(/invoke\("([^"]+)"/g)) invokes.add(m[1]);
      }
    }
  };
  walk(OKTA_SDK);
  resources.delete("okta"); // the Provider's own type
  return { resources, invokes };
}

interface DtsField {
  readonly optional: boolean;
  /** pulumi.Input<pulumi.Input<X>[]> / X[]: a list; otherwise a single value or object. */
  readonly array: boolean;
}

/** The members of `export interface <name>` in a .d.ts of @pulumi/okta, read with the TypeScript parser. */
function dtsInterface(file: string, name: string): Map<string, DtsField> {
  const source = ts.createSourceFile(file, readFileSync(path.join(OKTA_SDK, file), "utf8"), ts.ScriptTarget.Latest, true);
  const isArray = (t: ts.TypeNode | undefined): boolean => {
    if (!t) return false;
    if (ts.isArrayTypeNode(t)) return true;
    // pulumi.Input<…> / pulumi.Output<…> wrap the real type.
    if (ts.isTypeReferenceNode(t) && /^pulumi\.(Input|Output)$/.test(t.typeName.getText(source)) && t.typeArguments?.length === 1) {
      return isArray(t.typeArguments[0]);
    }
    return false;
  };
  for (const stmt of source.statements) {
    if (ts.isInterfaceDeclaration(stmt) && stmt.name.text === name) {
      const fields = new Map<string, DtsField>();
      for (const m of stmt.members) {
        if (ts.isPropertySignature(m) && m.name && ts.isIdentifier(m.name)) {
          fields.set(m.name.text, { optional: !!m.questionToken, array: isArray(m.type) });
        }
      }
      return fields;
    }
  }
  throw new Error(`${file} declares no interface ${name}`);
}

interface SchemaProperty {
  readonly type?: string;
  readonly $ref?: string;
}
interface PulumiSchema {
  name: string;
  version?: string;
  config?: { variables?: Record<string, SchemaProperty> };
  provider?: { inputProperties?: Record<string, SchemaProperty> };
  resources: Record<string, { inputProperties?: Record<string, SchemaProperty>; requiredInputs?: string[]; properties?: Record<string, SchemaProperty> }>;
  functions: Record<string, { inputs?: { properties?: Record<string, SchemaProperty>; required?: string[] }; outputs?: { properties?: Record<string, SchemaProperty> } }>;
}

/** Schema fields as the .d.ts sees them, for one toEqual. */
function schemaFields(props: Record<string, SchemaProperty> | undefined, required: readonly string[] = []) {
  return Object.fromEntries(
    Object.entries(props ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, { optional: !required.includes(k), array: v.type === "array" }]),
  );
}
function dtsFields(fields: Map<string, DtsField>, withOptional = true) {
  return Object.fromEntries(
    [...fields.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, withOptional ? v : { optional: true, array: v.array }]),
  );
}

describePulumi("Pulumi engine (scripts/engine.sh -> QLIK_OKTA_PULUMI_BIN)", () => {
  let home: string;
  beforeAll(() => {
    requireBinaries();
    home = tempDir("qlik-okta-pulumi-home-");
  });

  it(`pulumi version is v${PULUMI_VERSION}`, async () => {
    const { stdout } = await run(PULUMI, ["version"], { env: { ...process.env, ...cliEnv(home) } });
    expect(stdout.trim()).toBe(`v${PULUMI_VERSION}`);
    const plugin = await run(PLUGIN, ["-version"]);
    expect(plugin.stdout.trim()).toBe(OKTA_VERSION);
  });

  describe("the okta plugin's schema (pulumi package get-schema)", () => {
    let schema: PulumiSchema;
    beforeAll(async () => {
      const { stdout } = await run(PULUMI, ["package", "get-schema", PLUGIN], {
        env: { ...process.env, ...cliEnv(home) },
        maxBuffer: 64 * 1024 * 1024,
        cwd: home,
      });
      schema = JSON.parse(stdout) as PulumiSchema;
    }, 60_000);

    it(`is package okta ${OKTA_VERSION}, configured like @pulumi/okta's Provider`, () => {
      expect(schema.name).toBe("okta");
      expect(schema.version).toBe(OKTA_VERSION);
      const provider = dtsInterface("provider.d.ts", "ProviderArgs");
      expect(Object.keys(schema.provider?.inputProperties ?? {}).sort()).toEqual([...provider.keys()].sort());
      expect(Object.keys(schema.config?.variables ?? {}).sort()).toEqual([...provider.keys()].sort());
      for (const k of ["orgName", "baseUrl", "apiToken", "httpProxy"]) expect(schema.provider?.inputProperties).toHaveProperty(k);
    });

    it("serves every token @pulumi/okta requests for the project's resources and invokes", () => {
      const sdk = sdkTokens();
      for (const { token } of RESOURCES) {
        expect(sdk.resources).toContain(token); // the token is really @pulumi/okta's
        expect(Object.keys(schema.resources)).toContain(token);
      }
      for (const { token } of INVOKES) {
        expect(sdk.invokes).toContain(token);
        expect(Object.keys(schema.functions)).toContain(token);
      }
      // Every other token the plugin serves is one @pulumi/okta uses too (no made-up names).
      expect(Object.keys(schema.resources).filter((t) => !sdk.resources.has(t))).toEqual([]);
      expect(Object.keys(schema.functions).filter((t) => !sdk.invokes.has(t) && !t.startsWith("pulumi:providers:"))).toEqual([]);
    });

    it.each(RESOURCES)("$token: inputs and outputs match @pulumi/okta's $dts (names, required, list vs object)", ({ token, dts }) => {
      const cls = token.split(":")[2];
      const res = schema.resources[token];
      expect(schemaFields(res.inputProperties, res.requiredInputs)).toEqual(dtsFields(dtsInterface(dts, `${cls}Args`)));
      // State: every output is optional there.
      expect(schemaFields(res.properties, Object.keys(res.properties ?? {}))).toEqual(
        Object.fromEntries(Object.entries(dtsFields(dtsInterface(dts, `${cls}State`), false)).map(([k, v]) => [k, { ...v, optional: false }])),
      );
    });

    it.each(INVOKES)("$token: arguments and result match @pulumi/okta's $dts", ({ token, dts }) => {
      const fn = token.split(":")[2];
      const Fn = fn[0].toUpperCase() + fn.slice(1);
      const f = schema.functions[token];
      expect(schemaFields(f.inputs?.properties, f.inputs?.required)).toEqual(dtsFields(dtsInterface(dts, `${Fn}Args`)));
      expect(Object.keys(f.outputs?.properties ?? {}).sort()).toEqual([...dtsInterface(dts, `${Fn}Result`).keys()].sort());
    });
  });

  describe("Automation API inline program against the Okta emulator", () => {
    const API_TOKEN = "pulumi-smoke-token";
    let okta: OktaEmulator;
    let stack: Stack;
    let work: string;
    const output: string[] = [];
    const log = (s: string) => output.push(s);

    beforeAll(async () => {
      okta = await startOktaEmulator({ apiToken: API_TOKEN });
      work = tempDir("qlik-okta-pulumi-smoke-");
      const program = async () => {
        // Loaded inside the program so that it binds to the program's own @pulumi/pulumi runtime state.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const oktaSdk = require("@pulumi/okta") as typeof import("@pulumi/okta");
        const provider = new oktaSdk.Provider("emulator", { orgName: "acme", baseUrl: "okta.com", apiToken: API_TOKEN, httpProxy: okta.url });
        const app = new oktaSdk.app.OAuth(
          "qlik",
          {
            label: "Qlik Cloud (Pulumi smoke)",
            type: "web",
            grantTypes: ["authorization_code"],
            responseTypes: ["code"],
            redirectUris: ["https://acme.eu.qlikcloud.com/login/callback"],
            tokenEndpointAuthMethod: "client_secret_basic",
            consentMethod: "TRUSTED",
            issuerMode: "ORG_URL",
            groupsClaim: { type: "FILTER", filterType: "REGEX", name: "groups", value: ".*" },
            hideIos: true,
            hideWeb: true,
          },
          { provider },
        );
        const everyone = oktaSdk.group.getEveryoneGroupOutput({}, { provider });
        new oktaSdk.app.GroupAssignment("everyone", { appId: app.id, groupId: everyone.id }, { provider });
        return { appId: app.id, clientId: app.clientId };
      };
      stack = await LocalWorkspace.createOrSelectStack(
        { projectName: "qlik-okta-pulumi-smoke", stackName: "smoke", program },
        {
          workDir: work,
          envVars: {
            ...cliEnv(path.join(work, "home")),
            PULUMI_CONFIG_PASSPHRASE: "smoke-test-passphrase",
            PULUMI_BACKEND_URL: `file://${work}`,
          },
          pulumiCommand: await PulumiCommand.get({ root: path.dirname(BIN), version: undefined, skipVersionCheck: true }),
        },
      );
    }, 120_000);

    afterAll(async () => {
      await okta?.close();
    });

    it("preview -> up -> preview (no changes) -> destroy, plugin from PATH, nothing downloaded", async () => {
      const p1 = await stack.preview({ onOutput: log });
      expect(p1.changeSummary).toMatchObject({ create: 4 }); // stack, provider, app, assignment
      expect(okta.state.apps()).toEqual([]);

      const up = await stack.up({ onOutput: log });
      expect(up.summary.result).toBe("succeeded");
      const [app] = okta.state.apps();
      expect(okta.state.apps()).toHaveLength(1);
      expect(app).toMatchObject({
        label: "Qlik Cloud (Pulumi smoke)",
        status: "ACTIVE",
        applicationType: "web",
        redirectUris: ["https://acme.eu.qlikcloud.com/login/callback"],
        grantTypes: ["authorization_code"],
        responseTypes: ["code"],
        issuerMode: "ORG_URL",
        tokenEndpointAuthMethod: "client_secret_basic",
      });
      expect(up.outputs.appId.value).toBe(app.id);
      expect(up.outputs.clientId.value).toBe(app.clientId);
      expect(okta.state.idTokenGroupsClaim(app.id)).toMatchObject({ valueType: "GROUPS", groupFilterType: "REGEX", name: "groups", value: ".*" });
      expect(okta.state.appGroupAssignments(app.id).map((a) => a.groupName)).toEqual(["Everyone"]);

      const p2 = await stack.preview({ onOutput: log, expectNoChanges: true });
      expect(Object.keys(p2.changeSummary).filter((k) => k !== "same")).toEqual([]);

      await stack.destroy({ onOutput: log });
      expect(okta.state.apps()).toEqual([]);
      expect(okta.state.isEmpty()).toBe(true);
      expect(okta.unexpected).toEqual([]);

      // Discovery: the ambient plugin on PATH served it; nothing was installed into PULUMI_HOME or downloaded.
      const text = output.join("");
      expect(text).not.toMatch(/[Dd]ownloading|installing plugin/);
      const plugins = path.join(work, "home", "plugins");
      expect(existsSync(plugins) ? readdirSync(plugins).filter((f) => f.includes("okta")) : []).toEqual([]);
    }, 300_000);
  });
});


function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

describePulumi("scripts/engine.sh without go: Pulumi is optional", () => {
  it("exports the Terraform settings and says why Pulumi is unavailable; then uses pre-placed binaries as they are", async () => {
    requireBinaries();
    const layout = engineLayout(process.env);
    expect({ provider: layout.oktaProvider, exists: existsSync(layout.oktaProvider) }).toMatchObject({ exists: true });
    const engine = await resolveEngine(process.env);
    const dir = realpathSync(tempDir("qlik-okta-engine-nogo-"));
    // the cached Terraform provider, pre-placed (route 4), so that only the Pulumi part lacks go
    mkdirSync(path.join(dir, "okta-4.20.0"));
    linkOrCopy(layout.oktaProvider, path.join(dir, "okta-4.20.0", path.basename(layout.oktaProvider)));
    const env = { PATH: pathWithoutGo(), HOME: process.env.HOME, QLIK_OKTA_ENGINE_DIR: dir, TF_BINARY: engine.binary, OKTA_PROVIDER_BINARY: "" };
    const sh = () => spawnSync("bash", [SCRIPT], { env, encoding: "utf8", timeout: 120_000 });

    const r1 = sh();
    expect({ status: r1.status, stderr: r1.stderr }).toMatchObject({ status: 0 });
    const x1 = parseExports(r1.stdout);
    expect(x1).toMatchObject({ TF_BINARY: engine.binary, QLIK_OKTA_PROVIDER_MIRROR: path.join(dir, "mirror") });
    expect(x1.QLIK_OKTA_PULUMI_BIN).toBeUndefined();
    expect(x1.QLIK_OKTA_PULUMI_UNAVAILABLE).toMatch(/^cannot build the Pulumi CLI: go is not on PATH$/);
    expect(r1.stderr).toContain("engine: pulumi: not available: cannot build the Pulumi CLI: go is not on PATH.");
    expect(r1.stdout.trim().split("\n").slice(-6)[0]).toMatch(/^export TF_BINARY=/); // the Terraform lines stay last
    expect(existsSync(path.join(dir, "pulumi-3.276.0"))).toBe(false); // nothing half-built

    const bin = path.join(dir, "pulumi-3.276.0", "bin");
    mkdirSync(bin, { recursive: true });
    linkOrCopy(PULUMI, path.join(bin, "pulumi"));
    linkOrCopy(PLUGIN, path.join(bin, "pulumi-resource-okta"));
    const r2 = sh();
    expect({ status: r2.status, stderr: r2.stderr }).toMatchObject({ status: 0 });
    expect(parseExports(r2.stdout).QLIK_OKTA_PULUMI_BIN).toBe(bin);
    const stamp = readFileSync(path.join(dir, "pulumi-3.276.0", "SOURCE"), "utf8");
    expect(stamp).toMatch(/^cli: pre-placed .*go is not on PATH\)$/m);
    expect(stamp).toMatch(/^okta-plugin: pre-placed .*go is not on PATH\)$/m);
  }, 180_000);
});

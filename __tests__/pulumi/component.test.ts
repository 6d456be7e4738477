/**
 * The Pulumi component under runtime mocks: the article's Okta objects with their arguments, and the Qlik IdP as a
 * dynamic resource whose inputs carry the request, a secret client secret, and a provider that captures no secret.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../lib/paths";
import { PROVIDER_MODULE } from "../../lib/pulumi/qlik-identity-provider";
import { APP_CLIENT_ID, APP_CLIENT_SECRET, runUnderMocks, stackConfig } from "./mocks";

const EXAMPLE = readFileSync(path.join(PROJECT_ROOT, "examples", "qlik-okta.yaml"), "utf8");
const IDP_TYPE = "pulumi-nodejs:dynamic/qlik-okta:QlikIdentityProvider";

describe("QlikOktaComponent on the bundled example", () => {
  it("points the okta provider at the org, and puts no token or proxy into its inputs", async () => {
    const run = await runUnderMocks("example", stackConfig(EXAMPLE, "example"));
    const provider = run.one("pulumi:providers:okta");
    expect(provider.inputs).toMatchObject({ orgName: "acme", baseUrl: "okta.com" });
    expect(provider.inputs.apiToken).toBeUndefined();
    expect(provider.inputs.httpProxy).toBeUndefined();
  });

  it("declares the article's OIDC web app with the groups claim and the callback on the real hostname", async () => {
    const run = await runUnderMocks("example", stackConfig(EXAMPLE, "example"));
    const app = run.one("okta:app/oAuth:OAuth");
    expect(app.name).toBe("Resource");
    expect(app.inputs).toMatchObject({
      label: "Qlik Cloud",
      type: "web",
      grantTypes: ["authorization_code"],
      responseTypes: ["code"],
      redirectUris: ["https://acme.eu.qlikcloud.com/login/callback"],
      issuerMode: "ORG_URL",
      tokenEndpointAuthMethod: "client_secret_basic",
      groupsClaim: { type: "FILTER", filterType: "REGEX", name: "groups", value: ".*" },
      hideIos: true,
      hideWeb: true,
    });
  });

  it("assigns the app to Everyone through the getEveryoneGroup invoke, with the singular assignment", async () => {
    const run = await runUnderMocks("example", stackConfig(EXAMPLE, "example"));
    expect(run.calls.map((c) => c.token)).toEqual(["okta:group/getEveryoneGroup:getEveryoneGroup"]);
    const [assignment] = run.byType("okta:app/groupAssignment:GroupAssignment");
    expect(assignment).toMatchObject({ name: "EveryoneAssignment", inputs: { appId: "Resource-id", groupId: "00g-everyone" } });
    expect(run.byType("okta:app/groupAssignments:GroupAssignments")).toEqual([]);
  });

  it("assigns named groups by name (getGroup), keyed by name, instead of Everyone", async () => {
    const config = stackConfig(
      `stacks:\n  s:\n    okta: { orgUrl: https://acme.okta.com }\n    qlik: { tenantHostname: acme.eu.qlikcloud.com }\n    app: { assignToEveryone: false, groups: [Qlik Admins, analysts] }\n`,
      "s",
    );
    const run = await runUnderMocks("s", config);
    expect(run.calls.map((c) => [c.token, c.inputs.name])).toEqual([
      ["okta:group/getGroup:getGroup", "Qlik Admins"],
      ["okta:group/getGroup:getGroup", "analysts"],
    ]);
    expect(run.byType("okta:app/groupAssignment:GroupAssignment").map((a) => [a.name, a.inputs.groupId])).toEqual([
      ["Assignment-Qlik_20_Admins", "00g-Qlik Admins"],
      ["Assignment-analysts", "00g-analysts"],
    ]);
  });

  it("declares the authorization server, its scope, the policy for all clients and the client-credentials rule", async () => {
    const run = await runUnderMocks("example", stackConfig(EXAMPLE, "example"));
    expect(run.one("okta:auth/server:Server").inputs).toMatchObject({ name: "QlikAPI", audiences: ["qlik.api"], issuerMode: "ORG_URL" });
    expect(run.one("okta:auth/serverScope:ServerScope")).toMatchObject({
      name: "Scope-qlik.api",
      inputs: { authServerId: "Resource-id", name: "qlik.api", consent: "IMPLICIT", default: true, metadataPublish: "NO_CLIENTS" },
    });
    expect(run.one("okta:auth/serverPolicy:ServerPolicy").inputs).toMatchObject({ priority: 1, clientWhitelists: ["ALL_CLIENTS"] });
    expect(run.one("okta:auth/serverPolicyRule:ServerPolicyRule").inputs).toMatchObject({
      policyId: "Policy-id",
      priority: 1,
      grantTypeWhitelists: ["client_credentials"],
      groupWhitelists: ["EVERYONE"],
      scopeWhitelists: ["*"],
    });
  });

  it("declares no authorization server when it is turned off", async () => {
    const config = stackConfig(
      `stacks:\n  s:\n    okta: { orgUrl: https://acme.okta.com }\n    qlik: { tenantHostname: acme.eu.qlikcloud.com }\n    authorizationServer: { enabled: false }\n`,
      "s",
    );
    const run = await runUnderMocks("s", config);
    expect(run.resources.filter((r) => r.type.startsWith("okta:auth/"))).toEqual([]);
    expect(run.outputs.auth_server_id).toBeUndefined();
  });

  it("hands the Qlik IdP the app's client id and the org discovery URL, and the secret only as a secret", async () => {
    const run = await runUnderMocks("example", stackConfig(EXAMPLE, "example"));
    const idp = run.one(IDP_TYPE);
    expect(idp.name).toBe("QlikIdentityProvider");
    expect(idp.inputs.request).toMatchObject({
      stack: "example",
      tenantHostname: "acme.eu.qlikcloud.com",
      clientId: APP_CLIENT_ID,
      discoveryUrl: "https://acme.okta.com/.well-known/openid-configuration",
      identityProvider: { description: "Okta", verification: "interactive", activate: false, onDestroy: "retain" },
    });
    // Pulumi's wire form of a secret (runtime/rpc specialSigKey / specialSecretSig): encrypted in the state
    expect(idp.inputs.clientSecret).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: APP_CLIENT_SECRET });
    expect(JSON.stringify(idp.inputs.request)).not.toContain("mock-ca");
  });

  it("serializes a provider that only forwards to the built module and captures no secret", async () => {
    process.env.QLIK_API_KEY = 'qlik-ca"na\\ry-key';
    try {
      const run = await runUnderMocks("example", stackConfig(EXAMPLE, "example"));
      const text = String(run.one(IDP_TYPE).inputs.__provider);
      expect(text).toContain(JSON.stringify(PROVIDER_MODULE));
      for (const method of ["check", "diff", "create", "update", "delete", "read"]) expect(text).toContain(`.provider.${method}(`);
      for (const s of [APP_CLIENT_SECRET, 'qlik-ca"na\\ry-key', "ca\\\"na", "na\\\\ry"]) expect(text).not.toContain(s);
    } finally {
      delete process.env.QLIK_API_KEY;
    }
  });

  it("exports the client secret only as a secret output", async () => {
    const pulumi = await import("@pulumi/pulumi");
    const { qlikOktaProgram } = await import("../../lib/pulumi/program");
    await runUnderMocks("example", stackConfig(EXAMPLE, "example"));
    const outputs = await qlikOktaProgram("example", stackConfig(EXAMPLE, "example"))();
    expect(await pulumi.isSecret(outputs.okta_client_secret)).toBe(true);
    expect(await pulumi.isSecret(outputs.okta_client_id)).toBe(false);
  });
});

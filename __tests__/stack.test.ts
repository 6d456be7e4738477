import "cdktf/lib/testing/adapters/jest";
import { OktaProvider } from "@cdktf/provider-okta/lib/provider";
import { Testing } from "cdktf";
import { parseConfig, StackConfig } from "../lib/config";
import { oktaProviderLocation, QlikOktaStack } from "../lib/qlik-okta-stack";
import { orgDiscoveryUrl } from "../lib/qlik/request";

const BASE = `
stacks:
  prod:
    okta: { orgUrl: https://acme.okta.com }
    qlik: { tenantHostname: acme.eu.qlikcloud.com }
`;

function stackConfig(extra = ""): StackConfig {
  return parseConfig(BASE + extra).stacks.prod;
}

function synthStack(config: StackConfig): Record<string, any> {
  const app = Testing.app();
  const stack = new QlikOktaStack(app, "prod", { config, cliCommand: ["node", "/opt/qlik-okta/dist/lib/cli/bin.js"] });
  return JSON.parse(Testing.synth(stack));
}

describe("QlikOktaStack", () => {
  it("configures the okta provider from orgUrl and leaves the token to OKTA_API_TOKEN", () => {
    // WHEN
    const json = synthStack(stackConfig());
    // THEN
    expect(JSON.stringify(json)).toHaveProviderWithProperties(OktaProvider, { org_name: "acme", base_url: "okta.com" });
    expect(json.provider.okta[0]).toEqual({ org_name: "acme", base_url: "okta.com" });
    expect(json.terraform.required_providers.okta).toEqual({ source: "okta/okta", version: "4.20.0" });
  });

  it("splits an org URL into the provider's org_name and base_url", () => {
    expect(oktaProviderLocation("https://acme.okta-emea.com")).toEqual({ orgName: "acme", baseUrl: "okta-emea.com" });
    expect(oktaProviderLocation("https://login.acme.example.com")).toEqual({ orgName: "login", baseUrl: "acme.example.com" });
  });

  it("exposes the outputs a pipeline needs, the client secret only as sensitive", () => {
    const out = synthStack(stackConfig()).output;
    expect(out.okta_client_id.value).toBe("${okta_app_oauth.QlikOidcApp_DCEADC5B.client_id}");
    expect(out.okta_client_secret).toMatchObject({ sensitive: true, value: "${okta_app_oauth.QlikOidcApp_DCEADC5B.client_secret}" });
    expect(out.okta_issuer.value).toBe("https://acme.okta.com");
    expect(out.okta_redirect_uri.value).toBe("https://acme.eu.qlikcloud.com/login/callback");
    expect(out.auth_server_issuer.value).toBe("${okta_auth_server.QlikApiAuthServer_0F52D116.issuer}");
    expect(out.auth_server_discovery_url.value).toBe(
      "${okta_auth_server.QlikApiAuthServer_0F52D116.issuer}/.well-known/openid-configuration",
    );
  });

  it("points Qlik at the org authorization server, whose ID tokens carry the app's groups claim", () => {
    const json = synthStack(stackConfig());
    expect(json.output.qlik_discovery_url.value).toBe("https://acme.okta.com/.well-known/openid-configuration");
    expect(json.resource.terraform_data.QlikIdentityProvider_2E5F14B3.input.discoveryUrl).toBe(orgDiscoveryUrl("https://acme.okta.com"));
  });

  it("leaves out the authorization server when the org has no API Access Management", () => {
    const json = synthStack(stackConfig("    authorizationServer: { enabled: false }\n"));
    expect(json.resource.okta_auth_server).toBeUndefined();
    expect(json.resource.okta_auth_server_scope).toBeUndefined();
    expect(json.resource.okta_auth_server_policy).toBeUndefined();
    expect(json.resource.okta_auth_server_policy_rule).toBeUndefined();
    // Only the authorization server is left out: the app and its assignment are still there.
    expect(Object.keys(json.resource.okta_app_oauth)).toEqual(["QlikOidcApp_DCEADC5B"]);
    expect(Object.keys(json.resource.okta_app_group_assignment)).toEqual(["QlikOidcApp_EveryoneAssignment_2B03A917"]);
    expect(json.output.auth_server_id).toBeUndefined();
    expect(json.output.qlik_discovery_url.value).toBe("https://acme.okta.com/.well-known/openid-configuration");
  });

  it("keeps state beside the project with a relative path, so saved plans are portable", () => {
    expect(synthStack(stackConfig()).terraform.backend).toEqual({ local: { path: "../../../terraform.prod.tfstate" } });
  });
});

describe("QlikIdentityProvider wiring (terraform_data + local-exec)", () => {
  const json = synthStack(stackConfig());
  const idp = json.resource.terraform_data.QlikIdentityProvider_2E5F14B3;
  const retirement = json.resource.terraform_data.QlikIdentityProvider_Retirement_94BA6208;

  it("carries the complete non-secret desired state in its input", () => {
    expect(idp.input).toEqual({
      stack: "prod",
      tenantHostname: "acme.eu.qlikcloud.com",
      clientId: "${okta_app_oauth.QlikOidcApp_DCEADC5B.client_id}",
      discoveryUrl: "https://acme.okta.com/.well-known/openid-configuration",
      identityProvider: stackConfig().identityProvider,
    });
  });

  it("re-runs when the desired state or the client secret changes (secret only as a hash)", () => {
    expect(idp.triggers_replace).toEqual({
      request: idp.input,
      clientSecretSha256: "${sha256(okta_app_oauth.QlikOidcApp_DCEADC5B.client_secret)}",
    });
  });

  it("runs the CLI by absolute path after the Okta app and its assignment exist", () => {
    expect(idp.provisioner).toEqual([
      {
        "local-exec": {
          command: "node /opt/qlik-okta/dist/lib/cli/bin.js idp apply --request-env QLIK_IDP_REQUEST --result-file qlik-idp-result.json",
          environment: {
            QLIK_IDP_REQUEST: "${jsonencode(self.input)}",
            QLIK_IDP_CLIENT_SECRET: "${okta_app_oauth.QlikOidcApp_DCEADC5B.client_secret}",
          },
        },
      },
    ]);
    expect(idp.depends_on).toEqual([
      "okta_app_oauth.QlikOidcApp_DCEADC5B",
      "okta_app_group_assignment.QlikOidcApp_EveryoneAssignment_2B03A917",
    ]);
  });

  it("waits for every configured group assignment, not only Everyone's", () => {
    const config = stackConfig("    app: { assignToEveryone: false, groups: [Qlik Users, Qlik Admins] }\n");
    const stack = synthStack(config);
    const assignments = Object.keys(stack.resource.okta_app_group_assignment).sort();
    expect(assignments).toEqual([
      expect.stringMatching(/^QlikOidcApp_Assignment-Qlik_20_Admins_/),
      expect.stringMatching(/^QlikOidcApp_Assignment-Qlik_20_Users_/),
    ]);
    const dependsOn: string[] = stack.resource.terraform_data.QlikIdentityProvider_2E5F14B3.depends_on;
    expect([...dependsOn].sort()).toEqual(
      ["okta_app_oauth.QlikOidcApp_DCEADC5B", ...assignments.map((a) => `okta_app_group_assignment.${a}`)].sort(),
    );
  });

  it("retires the IdP at destroy from its own state only (onDestroy), never on a replacement", () => {
    expect(retirement.triggers_replace).toBeUndefined();
    expect(retirement.input).toEqual(idp.input);
    expect(retirement.depends_on).toEqual(["terraform_data.QlikIdentityProvider_2E5F14B3"]);
    expect(retirement.provisioner).toEqual([
      {
        "local-exec": {
          command: "node /opt/qlik-okta/dist/lib/cli/bin.js idp destroy --request-env QLIK_IDP_REQUEST",
          environment: { QLIK_IDP_REQUEST: "${jsonencode(self.input)}" },
          when: "destroy",
        },
      },
    ]);
  });

  it("quotes a CLI path containing spaces for the shell", () => {
    const app = Testing.app();
    const stack = new QlikOktaStack(app, "prod", { config: stackConfig(), cliCommand: ["node", "/My Projects/bin.js"] });
    const cmd = JSON.parse(Testing.synth(stack)).resource.terraform_data.QlikIdentityProvider_2E5F14B3.provisioner[0]["local-exec"].command;
    expect(cmd.startsWith("node '/My Projects/bin.js' idp apply")).toBe(true);
  });
});

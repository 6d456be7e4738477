import "cdktf/lib/testing/adapters/jest";
import { AuthServer } from "@cdktf/provider-okta/lib/auth-server";
import { AuthServerPolicy } from "@cdktf/provider-okta/lib/auth-server-policy";
import { AuthServerPolicyRule } from "@cdktf/provider-okta/lib/auth-server-policy-rule";
import { AuthServerScope } from "@cdktf/provider-okta/lib/auth-server-scope";
import { Testing } from "cdktf";
import { QlikApiAuthServer, QlikApiAuthServerProps } from "../../lib/okta/qlik-api-auth-server";

function synth(props: QlikApiAuthServerProps = {}): string {
  return Testing.synthScope((scope) => new QlikApiAuthServer(scope, "QlikApiAuthServer", props));
}

/** The reference every scope, policy and rule must carry: the id of this construct's authorization server. */
const AUTH_SERVER_ID = "${okta_auth_server.QlikApiAuthServer_0F52D116.id}";

describe("QlikApiAuthServer (article steps 3-6)", () => {
  it("creates the authorization server QlikAPI with audience qlik.api and the Okta URL issuer (step 3)", () => {
    expect(synth()).toHaveResourceWithProperties(AuthServer, {
      name: "QlikAPI",
      audiences: ["qlik.api"],
      issuer_mode: "ORG_URL",
    });
  });

  it("adds a scope with implicit consent, set as default, not in public metadata (step 4)", () => {
    expect(synth()).toHaveResourceWithProperties(AuthServerScope, {
      auth_server_id: AUTH_SERVER_ID,
      name: "qlik.api",
      consent: "IMPLICIT",
      default: true,
      metadata_publish: "NO_CLIENTS",
    });
  });

  it("adds one scope per configured scope", () => {
    const json = synth({ scopes: [{ name: "a.read" }, { name: "a.write", displayName: "Write" }] });
    expect(json).toHaveResourceWithProperties(AuthServerScope, { auth_server_id: AUTH_SERVER_ID, name: "a.read", display_name: "a.read" });
    expect(json).toHaveResourceWithProperties(AuthServerScope, { auth_server_id: AUTH_SERVER_ID, name: "a.write", display_name: "Write" });
    expect(Object.keys(JSON.parse(json).resource.okta_auth_server_scope)).toHaveLength(2);
  });

  it("adds an access policy assigned to all clients with priority 1 (step 5)", () => {
    expect(synth()).toHaveResourceWithProperties(AuthServerPolicy, {
      auth_server_id: AUTH_SERVER_ID,
      client_whitelist: ["ALL_CLIENTS"],
      priority: 1,
    });
  });

  it("adds a rule for client credentials only, any user assigned the app, any scopes (step 6)", () => {
    expect(synth()).toHaveResourceWithProperties(AuthServerPolicyRule, {
      grant_type_whitelist: ["client_credentials"],
      group_whitelist: ["EVERYONE"],
      scope_whitelist: ["*"],
      priority: 1,
      auth_server_id: AUTH_SERVER_ID,
      policy_id: "${okta_auth_server_policy.QlikApiAuthServer_Policy_958A2F53.id}",
    });
  });

  it("uses the configured name and audience", () => {
    expect(synth({ name: "QlikProd", audience: "api://qlik" })).toHaveResourceWithProperties(AuthServer, {
      name: "QlikProd",
      audiences: ["api://qlik"],
    });
  });
});

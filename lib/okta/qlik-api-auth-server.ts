import { AuthServer } from "@cdktf/provider-okta/lib/auth-server";
import { AuthServerPolicy } from "@cdktf/provider-okta/lib/auth-server-policy";
import { AuthServerPolicyRule } from "@cdktf/provider-okta/lib/auth-server-policy-rule";
import { AuthServerScope } from "@cdktf/provider-okta/lib/auth-server-scope";
import { Construct } from "constructs";
import { apiAuthServerValues, QlikApiAuthServerProps, QlikApiScope } from "./values";

export type { QlikApiAuthServerProps, QlikApiScope };

/**
 * Article steps 3–6: the custom authorization server "QlikAPI" with its scope, an access policy for all clients and
 * a client-credentials rule for any user assigned the app and any scope. Needs Okta API Access Management.
 */
export class QlikApiAuthServer extends Construct {
  public readonly authServer: AuthServer;
  /** Authorization server id (`aus…`). @attribute */
  public readonly authServerId: string;
  /** Token issuer, `https://<org>/oauth2/<id>`. @attribute */
  public readonly authServerIssuer: string;

  constructor(scope: Construct, id: string, props: QlikApiAuthServerProps = {}) {
    super(scope, id);
    // Every value comes from lib/okta/values.ts (steps 3–6, and why each is what it is), which the Pulumi component
    // reads too.
    const values = apiAuthServerValues(props);

    this.authServer = new AuthServer(this, "Resource", values.server);
    this.authServerId = this.authServer.id;
    this.authServerIssuer = this.authServer.issuer;

    for (const { id: scopeId, ...scope } of values.scopes) {
      new AuthServerScope(this, scopeId, { authServerId: this.authServer.id, ...scope });
    }

    const { clientWhitelists, ...policy } = values.policy;
    const authServerPolicy = new AuthServerPolicy(this, "Policy", { authServerId: this.authServer.id, ...policy, clientWhitelist: clientWhitelists });

    const { grantTypeWhitelists, groupWhitelists, scopeWhitelists, ...rule } = values.rule;
    new AuthServerPolicyRule(this, "Rule", {
      authServerId: this.authServer.id,
      policyId: authServerPolicy.id,
      ...rule,
      grantTypeWhitelist: grantTypeWhitelists,
      groupWhitelist: groupWhitelists,
      scopeWhitelist: scopeWhitelists,
    });
  }

  /** OIDC discovery URL of this authorization server. */
  public get discoveryUrl(): string {
    return `${this.authServerIssuer}/.well-known/openid-configuration`;
  }
}

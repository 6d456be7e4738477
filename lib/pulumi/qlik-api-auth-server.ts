import { Server } from "@pulumi/okta/auth/server";
import { ServerPolicy } from "@pulumi/okta/auth/serverPolicy";
import { ServerPolicyRule } from "@pulumi/okta/auth/serverPolicyRule";
import { ServerScope } from "@pulumi/okta/auth/serverScope";
import * as pulumi from "@pulumi/pulumi";
import type { QlikApiAuthServerProps } from "../okta/qlik-api-auth-server";
import { apiAuthServerValues } from "../okta/values";

/** Properties for {@link QlikApiAuthServer}: the same as the CDKTF construct's (`lib/okta/qlik-api-auth-server.ts`). */
export type QlikApiAuthServerArgs = QlikApiAuthServerProps;

/**
 * Article steps 3–6 with `@pulumi/okta`: the "QlikAPI" authorization server, its scopes, the access policy for all
 * clients and the client-credentials rule, every value from lib/okta/values.ts, as in the CDKTF construct. Needs
 * Okta API Access Management.
 */
export class QlikApiAuthServer extends pulumi.ComponentResource {
  public readonly authServer: Server;
  /** Authorization server id (`aus…`). @attribute */
  public readonly authServerId: pulumi.Output<string>;
  /** Token issuer, `https://<org>/oauth2/<id>`. @attribute */
  public readonly authServerIssuer: pulumi.Output<string>;
  /** OIDC discovery URL of this authorization server. */
  public readonly discoveryUrl: pulumi.Output<string>;

  constructor(name: string, args: QlikApiAuthServerArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("qlik-okta:okta:QlikApiAuthServer", name, {}, opts);
    const values = apiAuthServerValues(args);

    this.authServer = new Server("Resource", values.server, { parent: this });
    this.authServerId = this.authServer.id;
    this.authServerIssuer = this.authServer.issuer;
    this.discoveryUrl = pulumi.interpolate`${this.authServer.issuer}/.well-known/openid-configuration`;

    for (const { id, ...scope } of values.scopes) {
      new ServerScope(id, { authServerId: this.authServer.id, ...scope }, { parent: this });
    }
    const policy = new ServerPolicy("Policy", { authServerId: this.authServer.id, ...values.policy }, { parent: this });
    new ServerPolicyRule("Rule", { authServerId: this.authServer.id, policyId: policy.id, ...values.rule }, { parent: this });
    this.registerOutputs({ authServerId: this.authServerId, authServerIssuer: this.authServerIssuer });
  }
}

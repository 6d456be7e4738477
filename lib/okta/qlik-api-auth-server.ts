import { AuthServer } from "@cdktf/provider-okta/lib/auth-server";
import { AuthServerPolicy } from "@cdktf/provider-okta/lib/auth-server-policy";
import { AuthServerPolicyRule } from "@cdktf/provider-okta/lib/auth-server-policy-rule";
import { AuthServerScope } from "@cdktf/provider-okta/lib/auth-server-scope";
import { Construct } from "constructs";
import { nameKey } from "./construct-ids";

/** A scope on the Qlik API authorization server (article step 4). */
export interface QlikApiScope {
  /** Scope name, e.g. `qlik.api`. */
  readonly name: string;
  /** @default - the scope name */
  readonly displayName?: string;
  /** @default - no description */
  readonly description?: string;
}

/** Properties for {@link QlikApiAuthServer}. */
export interface QlikApiAuthServerProps {
  /** @default "QlikAPI" */
  readonly name?: string;
  /** @default "Qlik Cloud API access (managed by qlik-okta-iac)" */
  readonly description?: string;
  /** Audience of the access tokens. @default "qlik.api" */
  readonly audience?: string;
  /** @default - one scope, `qlik.api` */
  readonly scopes?: readonly QlikApiScope[];
}

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
    const scopes = props.scopes ?? [{ name: "qlik.api", displayName: "Qlik API", description: "Access to Qlik Cloud" }];

    // Step 3: name, audience, issuer "Okta URL".
    this.authServer = new AuthServer(this, "Resource", {
      name: props.name ?? "QlikAPI",
      description: props.description ?? "Qlik Cloud API access (managed by qlik-okta-iac)",
      audiences: [props.audience ?? "qlik.api"],
      issuerMode: "ORG_URL",
    });
    this.authServerId = this.authServer.id;
    this.authServerIssuer = this.authServer.issuer;

    // Step 4: implicit consent, a default scope, not in the public metadata (the provider's default publishes it).
    for (const s of scopes) {
      new AuthServerScope(this, `Scope-${nameKey(s.name)}`, {
        authServerId: this.authServer.id,
        name: s.name,
        displayName: s.displayName ?? s.name,
        description: s.description,
        consent: "IMPLICIT",
        default: true,
        metadataPublish: "NO_CLIENTS",
      });
    }

    // Step 5: access policy assigned to all clients. Priority 1: Okta renumbers anything else on a fresh server,
    // which would show as a permanent diff (okta/terraform-provider-okta#2140).
    const policy = new AuthServerPolicy(this, "Policy", {
      authServerId: this.authServer.id,
      name: "Qlik API access",
      description: "Access to the Qlik API for all clients (managed by qlik-okta-iac)",
      priority: 1,
      clientWhitelist: ["ALL_CLIENTS"],
    });

    // Step 6: grant type Client Credentials only, any user assigned the app (EVERYONE is Okta's API form of it),
    // any scopes.
    new AuthServerPolicyRule(this, "Rule", {
      authServerId: this.authServer.id,
      policyId: policy.id,
      name: "Client credentials",
      priority: 1,
      grantTypeWhitelist: ["client_credentials"],
      groupWhitelist: ["EVERYONE"],
      scopeWhitelist: ["*"],
    });
  }

  /** OIDC discovery URL of this authorization server. */
  public get discoveryUrl(): string {
    return `${this.authServerIssuer}/.well-known/openid-configuration`;
  }
}

import { OktaProvider } from "@cdktf/provider-okta/lib/provider";
import { TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { StackConfig } from "./config/schema";
import { adoptedAppSecret, importAdopted } from "./okta/adopted";
import { QlikApiAuthServer } from "./okta/qlik-api-auth-server";
import { QlikOidcApp } from "./okta/qlik-oidc-app";
import { apiAuthServerPropsFromConfig, oidcAppPropsFromConfig, oktaProviderLocation } from "./okta/values";
import { QlikIdentityProvider } from "./qlik/identity-provider";
import { idpRequestFromConfig } from "./qlik/request";
import { addStateBackend } from "./state/backend";

/** Properties for {@link QlikOktaStack}. */
export interface QlikOktaStackProps {
  /** One stack's validated configuration. */
  readonly config: StackConfig;
  /** @default - `node <project>/dist/lib/cli/bin.js` */
  readonly cliCommand?: readonly string[];
}

/**
 * The whole article as one Terraform stack: the Okta provider, the OIDC app, the optional Qlik API authorization
 * server, and the Qlik identity provider, plus the outputs a pipeline needs.
 */
export class QlikOktaStack extends TerraformStack {
  public readonly app: QlikOidcApp;
  public readonly authServer?: QlikApiAuthServer;
  public readonly identityProvider: QlikIdentityProvider;

  constructor(scope: Construct, id: string, props: QlikOktaStackProps) {
    super(scope, id);
    const { config } = props;

    // The token is deliberately absent: the provider reads OKTA_API_TOKEN, so no secret reaches cdk.tf.json.
    // OKTA_HTTP_PROXY (the provider's own switch) points it at an emulator without changing this JSON.
    new OktaProvider(this, "okta", oktaProviderLocation(config.okta.orgUrl));

    // stacks.<name>.backend; by default local state beside the project, not inside cdktf.out (which synth rewrites).
    addStateBackend(this, id, config.backend);

    // The same values as the Pulumi component: both read them from lib/okta/values.ts.
    this.app = new QlikOidcApp(this, "QlikOidcApp", oidcAppPropsFromConfig(config));
    const authServerProps = apiAuthServerPropsFromConfig(config);
    if (authServerProps) this.authServer = new QlikApiAuthServer(this, "QlikApiAuthServer", authServerProps);

    // Objects made by hand (`adopted`, written by `qlik-okta adopt --write`) are imported, never created; their
    // secret is read from Okta, since the provider does not import it (see adoptedAppSecret).
    if (config.adopted) importAdopted(this.app, this.authServer, config.adopted);
    const clientSecret = config.adopted ? adoptedAppSecret(this, config.adopted) : this.app.oktaAppClientSecret;

    this.identityProvider = new QlikIdentityProvider(this, "QlikIdentityProvider", {
      request: idpRequestFromConfig(id, config, this.app.oktaAppClientId),
      clientSecret,
      cliCommand: props.cliCommand,
      dependsOn: [this.app.app, ...this.app.node.findAll().filter(isAssignment)],
    });

    new TerraformOutput(this, "okta_app_id", { value: this.app.oktaAppId, description: "Okta app id" });
    new TerraformOutput(this, "okta_client_id", { value: this.app.oktaAppClientId, description: "Client id Qlik uses" });
    new TerraformOutput(this, "okta_client_secret", {
      value: clientSecret,
      sensitive: true,
      description: "Client secret (sensitive; read with `output -raw okta_client_secret` only where needed)",
    });
    new TerraformOutput(this, "okta_redirect_uri", { value: this.app.redirectUri, description: "Sign-in redirect URI" });
    new TerraformOutput(this, "okta_issuer", { value: config.okta.orgUrl, description: "ID token issuer (org authorization server)" });
    new TerraformOutput(this, "qlik_discovery_url", { value: this.identityProvider.request.discoveryUrl, description: "Discovery URL configured in Qlik" });
    if (this.authServer) {
      new TerraformOutput(this, "auth_server_id", { value: this.authServer.authServerId });
      new TerraformOutput(this, "auth_server_issuer", { value: this.authServer.authServerIssuer });
      new TerraformOutput(this, "auth_server_discovery_url", { value: this.authServer.discoveryUrl });
    }
  }
}

/** Kept here for callers of the stack module; defined with the other provider values. */
export { oktaProviderLocation };

function isAssignment(c: unknown): c is import("cdktf").TerraformResource {
  return (c as { terraformResourceType?: string }).terraformResourceType === "okta_app_group_assignment";
}

import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config/schema";
import { apiAuthServerPropsFromConfig, oidcAppPropsFromConfig } from "../okta/values";
import { idpRequestFromConfig } from "../qlik/request";
import { QlikApiAuthServer } from "./qlik-api-auth-server";
import { QlikIdentityProvider } from "./qlik-identity-provider";
import { QlikOidcApp } from "./qlik-oidc-app";

/** Properties for {@link QlikOktaComponent}. */
export interface QlikOktaComponentProps {
  /** One stack's validated configuration (the same YAML as the CDKTF app). */
  readonly config: StackConfig;
  /**
   * The stack's name in the config: part of the Qlik IdP's managed-by marker.
   * @default - the component's name
   */
  readonly stack?: string;
}

/**
 * The whole article as one Pulumi component, from the same config as `QlikOktaStack`: the OIDC app with its groups
 * claim and assignments, the optional Qlik API authorization server, and the Qlik identity provider as a dynamic
 * resource whose preview shows the IdP's fields. Give it the okta provider through `providers` (see program.ts).
 */
export class QlikOktaComponent extends pulumi.ComponentResource {
  public readonly app: QlikOidcApp;
  public readonly authServer?: QlikApiAuthServer;
  public readonly identityProvider: QlikIdentityProvider;
  /** The discovery URL configured in Qlik (the org authorization server's). */
  public readonly discoveryUrl: string;

  constructor(name: string, props: QlikOktaComponentProps, opts?: pulumi.ComponentResourceOptions) {
    super("qlik-okta:index:QlikOktaComponent", name, {}, opts);
    const { config } = props;
    const stack = props.stack ?? name;

    this.app = new QlikOidcApp("QlikOidcApp", oidcAppPropsFromConfig(config), { parent: this });
    const authServerProps = apiAuthServerPropsFromConfig(config);
    if (authServerProps) this.authServer = new QlikApiAuthServer("QlikApiAuthServer", authServerProps, { parent: this });

    // Only the client id waits for Okta: a preview shows every other field of the request.
    const request = { ...idpRequestFromConfig(stack, config, ""), clientId: this.app.oktaAppClientId };
    this.discoveryUrl = request.discoveryUrl;
    // After the app and its assignments, as in the CDKTF stack: Qlik's test login needs a user assigned the app.
    this.identityProvider = new QlikIdentityProvider(
      "QlikIdentityProvider",
      { request, clientSecret: this.app.oktaAppClientSecret },
      { parent: this, dependsOn: [this.app.app, ...this.app.assignments] },
    );
    this.registerOutputs({ oktaAppClientId: this.app.oktaAppClientId, qlikIdpId: this.identityProvider.idpId });
  }
}

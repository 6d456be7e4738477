import { Provider } from "@pulumi/okta/provider";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config/schema";
import { oktaProviderLocation } from "../okta/values";
import { QlikOktaComponent } from "./qlik-okta-component";

/** What the inline program exports (the stack outputs, as `qlik-okta pulumi up` prints them). */
export interface ProgramOutputs {
  readonly okta_app_id: pulumi.Output<string>;
  readonly okta_client_id: pulumi.Output<string>;
  readonly okta_client_secret: pulumi.Output<string>;
  readonly okta_redirect_uri: string;
  readonly okta_issuer: string;
  readonly qlik_discovery_url: string;
  readonly qlik_idp_id: pulumi.Output<string>;
  readonly qlik_idp_active: pulumi.Output<boolean | undefined>;
  readonly qlik_idp_pending_state: pulumi.Output<string | undefined>;
  readonly qlik_next_steps: pulumi.Output<string[]>;
  readonly auth_server_id?: pulumi.Output<string>;
  readonly auth_server_issuer?: pulumi.Output<string>;
}

/**
 * The Automation API inline program for one stack: the okta provider and the component. The provider gets the org
 * from the config and nothing else: the plugin reads OKTA_API_TOKEN and OKTA_HTTP_PROXY from its environment (the
 * okta provider's own fallbacks, as with Terraform), so neither the token nor a proxy address lands in the state,
 * and pointing it at the emulator changes no provider input.
 */
export function qlikOktaProgram(stack: string, config: StackConfig): () => Promise<ProgramOutputs> {
  return async () => {
    const okta = new Provider("okta", oktaProviderLocation(config.okta.orgUrl));
    const c = new QlikOktaComponent(stack, { config, stack }, { providers: [okta] });
    return {
      okta_app_id: c.app.oktaAppId,
      okta_client_id: c.app.oktaAppClientId,
      okta_client_secret: c.app.oktaAppClientSecret,
      okta_redirect_uri: c.app.redirectUri,
      okta_issuer: config.okta.orgUrl,
      qlik_discovery_url: c.discoveryUrl,
      qlik_idp_id: c.identityProvider.idpId,
      qlik_idp_active: c.identityProvider.active,
      qlik_idp_pending_state: c.identityProvider.pendingState,
      qlik_next_steps: c.identityProvider.nextSteps,
      ...(c.authServer ? { auth_server_id: c.authServer.authServerId, auth_server_issuer: c.authServer.authServerIssuer } : {}),
    };
  };
}

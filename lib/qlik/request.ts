import { IdentityProviderSettings, StackConfig } from "../config/schema";

/**
 * Everything the Qlik step needs except the client secret: what the QlikIdentityProvider construct stores in its
 * `terraform_data` input (so an apply runs exactly what the reviewed plan showed) and what `qlik-okta idp …` builds
 * from `--config/--stack/--client-id` when run on its own. Plain JSON, no secrets.
 */
export interface IdpRequest {
  /** Stack name; part of the managed-by marker. */
  readonly stack: string;
  /** The tenant's real hostname (checked against Qlik's `hostnames[0]`). */
  readonly tenantHostname: string;
  /** Okta app client id (a Terraform reference at synth, the real id at apply). */
  readonly clientId: string;
  /** OIDC discovery document Qlik reads the Okta endpoints from. */
  readonly discoveryUrl: string;
  /** The stack's identityProvider settings, defaults filled in. */
  readonly identityProvider: IdentityProviderSettings;
}

/**
 * Qlik signs users in through Okta's org authorization server: the issuer the article sets for the ID token
 * ("Okta URL"), and the only server whose tokens carry the app's groups claim. The custom authorization server of
 * the article only has a client-credentials rule, so an authorization-code login through it would be refused.
 */
export function orgDiscoveryUrl(orgUrl: string): string {
  return `${new URL(orgUrl).origin}/.well-known/openid-configuration`;
}

export function idpRequestFromConfig(stack: string, config: StackConfig, clientId: string, discoveryUrl?: string): IdpRequest {
  return {
    stack,
    tenantHostname: config.qlik.tenantHostname,
    clientId,
    discoveryUrl: discoveryUrl ?? orgDiscoveryUrl(config.okta.orgUrl),
    identityProvider: config.identityProvider,
  };
}

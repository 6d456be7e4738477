import type { IDP } from "@qlik/api/identity-providers";
import { IdentityProviderSettings, stackSchema } from "../../lib/config/schema";
import { DesiredIdp, desiredIdp, secretFingerprint } from "../../lib/qlik/desired";
import { metaWithFingerprint } from "../../lib/qlik/diff";
import { IdpRequest } from "../../lib/qlik/request";

/** Shared test data: a stack "prod" on acme.eu.qlikcloud.com with Okta client 0oa-client. */
export const TENANT = "acme.eu.qlikcloud.com";
export const CLIENT_ID = "0oa-client";
export const SECRET = "okta-secret-0123456789abcdefghijklmnopqrstuv";

export function settings(overrides: Partial<IdentityProviderSettings> = {}): IdentityProviderSettings {
  return { ...stackSchema.shape.identityProvider.parse({}), ...overrides };
}

export function request(overrides: Partial<IdentityProviderSettings> = {}, stack = "prod"): IdpRequest {
  return {
    stack,
    tenantHostname: TENANT,
    clientId: CLIENT_ID,
    discoveryUrl: "https://acme.okta.com/.well-known/openid-configuration",
    identityProvider: settings(overrides),
  };
}

export function desired(overrides: Partial<IdentityProviderSettings> = {}, secret = SECRET): DesiredIdp {
  return desiredIdp(request(overrides), secret);
}

/**
 * What Qlik would return for the desired IdP once live: options in place (promoted or skip-verify), the secret
 * omitted, our secret hash in meta.
 */
export function liveFrom(d: DesiredIdp, extra: Record<string, unknown> = {}, secret = SECRET): IDP {
  const options = { ...(d.pendingOptions ?? d.options) } as Record<string, unknown>;
  delete options.clientSecret;
  return {
    id: "idp-ours",
    tenantIds: ["t1"],
    protocol: "OIDC",
    provider: "okta",
    interactive: true,
    active: false,
    description: d.description,
    clockToleranceSec: d.clockToleranceSec,
    createNewUsersOnLogin: d.createNewUsersOnLogin,
    ...(d.postLogoutRedirectUri ? { postLogoutRedirectUri: d.postLogoutRedirectUri } : {}),
    meta: metaWithFingerprint({}, secretFingerprint(secret)),
    created: "2026-01-01T00:00:00.000Z",
    options,
    ...extra,
  } as IDP;
}

/** Someone else's IdP (not managed by us). */
export function foreignIdp(extra: Record<string, unknown> = {}): IDP {
  return {
    id: "idp-other",
    protocol: "OIDC",
    provider: "azureAD",
    interactive: true,
    active: true,
    description: "Corporate Entra ID",
    options: { clientId: "entra-app", discoveryUrl: "https://login.microsoftonline.com/x/v2.0/.well-known/openid-configuration" },
    ...extra,
  } as IDP;
}

/** Another admin's sign-in, active on the tenant: a seed for the Qlik emulator (`seedIdps`). */
export const ACTIVE_ENTRA_SEED: Readonly<Record<string, unknown>> = {
  id: "entra",
  protocol: "OIDC",
  provider: "azureAD",
  interactive: true,
  active: true,
  description: "Corporate Entra ID",
  options: { clientId: "entra-app", discoveryUrl: "https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration", claimsMapping: { sub: ["sub"] } },
};

import type { CreateOIDCPayload } from "@qlik/api/identity-providers";
import { sha256 } from "../hash";
import { describeWithMarker } from "./marker";
import { IdpRequest } from "./request";

/**
 * The desired Qlik identity provider, built purely from the request and the client secret: the create payload of an
 * interactive Okta OIDC IdP, its options either waiting for an admin's test login (`pendingOptions`) or live at once
 * (`options` with `skipVerify`).
 */

/** The interactive OIDC options Qlik takes in `pendingOptions` (and, for skip-verify, in `options`). */
export type InteractiveOidcOptions = NonNullable<CreateOIDCPayload["pendingOptions"]>;

/**
 * The create payload. Qlik's `CreateOIDCPayload.options` is typed for machine-to-machine IdPs (no clientId or
 * clientSecret), although the same spec says an interactive IdP created with `skipVerify` sends its configuration in
 * `options` and the read model has clientId/clientSecret there — a gap in Qlik's published types, not in its API.
 * So `options` carries the interactive shape; everything else is Qlik's own type.
 */
export type DesiredIdp = Omit<CreateOIDCPayload, "options" | "provider" | "protocol" | "interactive"> & {
  readonly protocol: "OIDC";
  readonly provider: "okta";
  readonly interactive: true;
  readonly options?: InteractiveOidcOptions;
};

export function desiredIdp(request: IdpRequest, clientSecret: string): DesiredIdp {
  const settings = request.identityProvider;
  const options: InteractiveOidcOptions = {
    discoveryUrl: request.discoveryUrl,
    clientId: request.clientId,
    clientSecret,
    realm: settings.realm,
    scope: settings.scope,
    claimsMapping: Object.fromEntries(Object.entries(settings.claimsMapping).map(([k, v]) => [k, [...v]])),
    blockOfflineAccessScope: settings.blockOfflineAccessScope,
    // Okta puts the groups claim in the ID token (always so on the org authorization server), while Qlik reads
    // userinfo for every provider but ADFS/Azure AD unless told otherwise: without this, groups never reach Qlik.
    useClaimsFromIdToken: true,
  };
  const payload: DesiredIdp = {
    protocol: "OIDC",
    provider: "okta",
    interactive: true,
    description: describeWithMarker(settings.description, request.stack),
    clockToleranceSec: settings.clockToleranceSec,
    createNewUsersOnLogin: settings.createNewUsersOnLogin,
    ...(settings.postLogoutRedirectUri ? { postLogoutRedirectUri: settings.postLogoutRedirectUri } : {}),
    ...(settings.verification === "skip" ? { options, skipVerify: true } : { pendingOptions: options }),
  };
  return payload;
}

/** The options part of the desired IdP, whichever flow it uses. */
export function desiredOptions(desired: DesiredIdp): InteractiveOidcOptions {
  const options = desired.pendingOptions ?? desired.options;
  if (!options) throw new Error("desiredIdp always sets pendingOptions or options");
  return options;
}

/**
 * SHA-256 (hex) of the client secret: change detection only, since Qlik never returns the secret. It is the same
 * value the QlikIdentityProvider construct puts in its triggers (`Fn.sha256`), and cannot be turned back into the
 * secret (an Okta client secret is 40+ random characters).
 */
export function secretFingerprint(secret: string): string {
  return sha256(secret);
}

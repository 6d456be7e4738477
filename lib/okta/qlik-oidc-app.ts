import { AppGroupAssignment } from "@cdktf/provider-okta/lib/app-group-assignment";
import { AppOauth } from "@cdktf/provider-okta/lib/app-oauth";
import { DataOktaEveryoneGroup } from "@cdktf/provider-okta/lib/data-okta-everyone-group";
import { DataOktaGroup } from "@cdktf/provider-okta/lib/data-okta-group";
import { Construct } from "constructs";
import { nameKey } from "./construct-ids";
import { tenantUrl } from "../contract";

/** Properties for {@link QlikOidcApp}. */
export interface QlikOidcAppProps {
  /** The Qlik Cloud tenant's real hostname (not an alias), e.g. `acme.eu.qlikcloud.com`. */
  readonly tenantHostname: string;
  /**
   * App name in the Okta admin console and on users' dashboards.
   * @default "Qlik Cloud"
   */
  readonly label?: string;
  /**
   * Assign the app to Okta's built-in Everyone group ("Allow everyone in your organization to access").
   * @default true
   */
  readonly assignToEveryone?: boolean;
  /**
   * Okta group names to assign the app to, instead of or besides Everyone.
   * @default - no named groups
   */
  readonly groups?: readonly string[];
  /**
   * Which of the user's groups go into the ID token's `groups` claim ("Matches regex").
   * @default ".*"
   */
  readonly groupsClaimRegex?: string;
  /**
   * Show a tile on the Okta dashboard that opens the tenant. Okta's default for OIDC apps is hidden.
   * @default false
   */
  readonly showTile?: boolean;
  /**
   * Sign-out redirect URIs (Qlik's `postLogoutRedirectUri` must be listed here).
   * @default - none
   */
  readonly postLogoutRedirectUris?: readonly string[];
}

/**
 * Article steps 1–2: the OIDC web application Qlik Cloud signs users in with, its groups claim, and who may use it.
 *
 * Construct ids are a state contract: renaming `Resource` replaces the app, which means a new client id and secret
 * and a broken Qlik login until the identity provider is updated.
 */
export class QlikOidcApp extends Construct {
  /** The sign-in redirect URI, always on the tenant's real hostname. */
  public static callbackUrl(tenantHostname: string): string {
    return tenantUrl(tenantHostname, "/login/callback");
  }

  /** The Okta app resource. */
  public readonly app: AppOauth;
  /** Okta app id (`0oa…`). @attribute */
  public readonly oktaAppId: string;
  /** OAuth client id Qlik authenticates with. @attribute */
  public readonly oktaAppClientId: string;
  /** OAuth client secret; a Terraform reference, only ever surfaced through sensitive outputs. @attribute */
  public readonly oktaAppClientSecret: string;
  /** The sign-in redirect URI registered with Okta. */
  public readonly redirectUri: string;

  constructor(scope: Construct, id: string, props: QlikOidcAppProps) {
    super(scope, id);
    this.redirectUri = QlikOidcApp.callbackUrl(props.tenantHostname);
    const showTile = props.showTile ?? false;

    this.app = new AppOauth(this, "Resource", {
      label: props.label ?? "Qlik Cloud",
      // Step 1: "OIDC - OpenID Connect", "Web Application", grant type "Authorization Code".
      type: "web",
      grantTypes: ["authorization_code"],
      responseTypes: ["code"],
      redirectUris: [this.redirectUri],
      postLogoutRedirectUris: props.postLogoutRedirectUris?.length ? [...props.postLogoutRedirectUris] : undefined,
      // What the Okta console uses for web apps; Qlik sends the secret with HTTP basic auth.
      tokenEndpointAuthMethod: "client_secret_basic",
      consentMethod: "TRUSTED",
      // Step 2: ID token issuer "Okta URL" (the org authorization server Qlik's discovery URL points at).
      issuerMode: "ORG_URL",
      // Step 2: groups claim type Filter, name "groups", "Matches regex". Needs SSWS (api_token) provider auth: the
      // provider sets this claim through an internal Okta endpoint, and when it authenticates with OAuth 2.0 instead
      // it silently skips groups_claim on create, update and read (only a log warning), so Qlik would get no groups.
      groupsClaim: { type: "FILTER", filterType: "REGEX", name: "groups", value: props.groupsClaimRegex ?? ".*" },
      hideIos: !showTile,
      hideWeb: !showTile,
      // A tile opens the tenant; Qlik then starts the OIDC login itself.
      loginUri: showTile ? tenantUrl(props.tenantHostname) : undefined,
      loginMode: showTile ? "SPEC" : undefined,
      loginScopes: showTile ? ["openid"] : undefined,
    });
    this.oktaAppId = this.app.id;
    this.oktaAppClientId = this.app.clientId;
    this.oktaAppClientSecret = this.app.clientSecret;

    // Step 1 "Assignments": the singular, non-authoritative resource; the plural okta_app_group_assignments would
    // take over (and remove) assignments made by hand.
    if (props.assignToEveryone ?? true) {
      const everyone = new DataOktaEveryoneGroup(this, "Everyone", {});
      new AppGroupAssignment(this, "EveryoneAssignment", { appId: this.app.id, groupId: everyone.id });
    }
    for (const name of props.groups ?? []) {
      // Keyed by name (not list position): reordering the list changes nothing in Okta.
      const key = nameKey(name);
      const group = new DataOktaGroup(this, `Group-${key}`, { name });
      new AppGroupAssignment(this, `Assignment-${key}`, { appId: this.app.id, groupId: group.id });
    }
  }
}

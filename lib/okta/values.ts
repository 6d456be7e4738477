/**
 * The article's Okta objects as plain values (pure): what every attribute of the OIDC app, its assignments and the
 * Qlik API authorization server is, derived once from the props. The CDKTF constructs (`QlikOidcApp`,
 * `QlikApiAuthServer`) and the Pulumi component (`lib/pulumi/qlik-okta-component.ts`) both pass these objects to
 * their provider bindings, which take the same camelCase names (`@cdktf/provider-okta` 14.1.1 and `@pulumi/okta`
 * 4.20.0 both bind okta/okta 4.20.0), so the two variants cannot drift apart; `__tests__/pulumi/same-values.test.ts`
 * compares them from one config.
 *
 * No provider types are imported here: this module loads neither cdktf nor Pulumi.
 */
import type { StackConfig } from "../config/schema";
import { tenantUrl } from "../contract";
import { nameKey } from "./construct-ids";

/** Properties of the OIDC app: the `QlikOidcApp` construct's and the Pulumi component's. */
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

/** A scope on the Qlik API authorization server (article step 4). */
export interface QlikApiScope {
  /** Scope name, e.g. `qlik.api`. */
  readonly name: string;
  /** @default - the scope name */
  readonly displayName?: string;
  /** @default - no description */
  readonly description?: string;
}

/** Properties of the Qlik API authorization server: the `QlikApiAuthServer` construct's and the Pulumi component's. */
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

/** The sign-in redirect URI, always on the tenant's real hostname. */
export function callbackUrl(tenantHostname: string): string {
  return tenantUrl(tenantHostname, "/login/callback");
}

/** okta_app_oauth (article steps 1–2). */
export interface OidcAppValues {
  readonly label: string;
  readonly type: "web";
  readonly grantTypes: string[];
  readonly responseTypes: string[];
  readonly redirectUris: string[];
  readonly postLogoutRedirectUris?: string[];
  readonly tokenEndpointAuthMethod: string;
  readonly consentMethod: string;
  readonly issuerMode: string;
  readonly groupsClaim: { readonly type: string; readonly filterType: string; readonly name: string; readonly value: string };
  readonly hideIos: boolean;
  readonly hideWeb: boolean;
  readonly loginUri?: string;
  readonly loginMode?: string;
  readonly loginScopes?: string[];
}

export function oidcAppValues(props: QlikOidcAppProps): OidcAppValues {
  const showTile = props.showTile ?? false;
  return {
    label: props.label ?? "Qlik Cloud",
    // Step 1: "OIDC - OpenID Connect", "Web Application", grant type "Authorization Code".
    type: "web",
    grantTypes: ["authorization_code"],
    responseTypes: ["code"],
    redirectUris: [callbackUrl(props.tenantHostname)],
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
  };
}

/** One okta_app_group_assignment, with the id (construct id / Pulumi name) its state address hangs on. */
export interface GroupAssignmentValues {
  /** `EveryoneAssignment`, or `Assignment-<nameKey(group)>`: a state contract, keyed by name, not list position. */
  readonly id: string;
  /** Id of the group lookup: `Everyone`, or `Group-<nameKey(group)>`. */
  readonly groupLookupId: string;
  /** The Okta group name; undefined for the built-in Everyone group (okta_everyone_group). */
  readonly groupName?: string;
}

/**
 * Step 1 "Assignments": Everyone (okta_everyone_group) and/or named groups (okta_group by name), each assigned with
 * the singular, non-authoritative resource; the plural okta_app_group_assignments would take over (and remove)
 * assignments made by hand.
 */
export function groupAssignments(props: Pick<QlikOidcAppProps, "assignToEveryone" | "groups">): GroupAssignmentValues[] {
  const out: GroupAssignmentValues[] = [];
  if (props.assignToEveryone ?? true) out.push({ id: "EveryoneAssignment", groupLookupId: "Everyone" });
  for (const name of props.groups ?? []) {
    const key = nameKey(name);
    out.push({ id: `Assignment-${key}`, groupLookupId: `Group-${key}`, groupName: name });
  }
  return out;
}

/** okta_auth_server (step 3). */
export interface AuthServerValues {
  readonly name: string;
  readonly description: string;
  readonly audiences: string[];
  readonly issuerMode: string;
}

/** okta_auth_server_scope (step 4), without the server id. */
export interface AuthServerScopeValues {
  /** `Scope-<nameKey(scope)>`: a state contract. */
  readonly id: string;
  readonly name: string;
  readonly displayName: string;
  readonly description?: string;
  readonly consent: string;
  readonly default: boolean;
  readonly metadataPublish: string;
}

/** okta_auth_server_policy (step 5), without the server id. */
export interface AuthServerPolicyValues {
  readonly name: string;
  readonly description: string;
  readonly priority: number;
  readonly clientWhitelists: string[];
}

/** okta_auth_server_policy_rule (step 6), without the server and policy ids. */
export interface AuthServerPolicyRuleValues {
  readonly name: string;
  readonly priority: number;
  readonly grantTypeWhitelists: string[];
  readonly groupWhitelists: string[];
  readonly scopeWhitelists: string[];
}

export interface ApiAuthServerValues {
  readonly server: AuthServerValues;
  readonly scopes: readonly AuthServerScopeValues[];
  readonly policy: AuthServerPolicyValues;
  readonly rule: AuthServerPolicyRuleValues;
}

export const DEFAULT_SCOPES: readonly QlikApiScope[] = [{ name: "qlik.api", displayName: "Qlik API", description: "Access to Qlik Cloud" }];

/**
 * Steps 3–6. List attributes are named as `@pulumi/okta` names them (`clientWhitelists`); the CDKTF construct passes
 * the same arrays under its binding's singular names (`clientWhitelist`).
 */
export function apiAuthServerValues(props: QlikApiAuthServerProps = {}): ApiAuthServerValues {
  const scopes = props.scopes ?? DEFAULT_SCOPES;
  return {
    // Step 3: name, audience, issuer "Okta URL".
    server: {
      name: props.name ?? "QlikAPI",
      description: props.description ?? "Qlik Cloud API access (managed by qlik-okta-iac)",
      audiences: [props.audience ?? "qlik.api"],
      issuerMode: "ORG_URL",
    },
    // Step 4: implicit consent, a default scope, not in the public metadata (the provider's default publishes it).
    scopes: scopes.map((s) => ({
      id: `Scope-${nameKey(s.name)}`,
      name: s.name,
      displayName: s.displayName ?? s.name,
      description: s.description,
      consent: "IMPLICIT",
      default: true,
      metadataPublish: "NO_CLIENTS",
    })),
    // Step 5: access policy assigned to all clients. Priority 1: Okta renumbers anything else on a fresh server,
    // which would show as a permanent diff (okta/terraform-provider-okta#2140).
    policy: {
      name: "Qlik API access",
      description: "Access to the Qlik API for all clients (managed by qlik-okta-iac)",
      priority: 1,
      clientWhitelists: ["ALL_CLIENTS"],
    },
    // Step 6: grant type Client Credentials only, any user assigned the app (EVERYONE is Okta's API form of it),
    // any scopes.
    rule: {
      name: "Client credentials",
      priority: 1,
      grantTypeWhitelists: ["client_credentials"],
      groupWhitelists: ["EVERYONE"],
      scopeWhitelists: ["*"],
    },
  };
}

/** The OIDC app's props from one stack's config (what QlikOktaStack and QlikOktaComponent both pass). */
export function oidcAppPropsFromConfig(config: StackConfig): QlikOidcAppProps {
  return {
    tenantHostname: config.qlik.tenantHostname,
    label: config.app.label,
    assignToEveryone: config.app.assignToEveryone,
    groups: config.app.groups,
    groupsClaimRegex: config.app.groupsClaimRegex,
    showTile: config.app.showTile,
    postLogoutRedirectUris: config.identityProvider.postLogoutRedirectUri ? [config.identityProvider.postLogoutRedirectUri] : undefined,
  };
}

/** The authorization server's props from one stack's config, or undefined when it is turned off. */
export function apiAuthServerPropsFromConfig(config: StackConfig): QlikApiAuthServerProps | undefined {
  const as = config.authorizationServer;
  return as.enabled ? { name: as.name, description: as.description, audience: as.audience, scopes: as.scopes } : undefined;
}

/**
 * okta/okta 4.20.0 wants the org as `org_name` + `base_url` and builds `https://<org_name>.<base_url>` from them.
 */
export function oktaProviderLocation(orgUrl: string): { orgName: string; baseUrl: string } {
  const host = new URL(orgUrl).hostname;
  const dot = host.indexOf(".");
  return { orgName: host.slice(0, dot), baseUrl: host.slice(dot + 1) };
}

import { createHash, randomBytes, randomInt } from "node:crypto";
import { isObject, type JsonObject } from "./validate";

/**
 * In-memory Okta org: the objects the okta provider manages for the Qlik integration, and how each is rendered
 * as Okta's API renders it. Records keep the request body the client sent (so responses echo it faithfully)
 * plus the fields Okta computes (ids, status, timestamps, secrets).
 */

export type LifecycleStatus = "ACTIVE" | "INACTIVE";

export interface AppRecord {
  readonly id: string;
  body: JsonObject;
  status: LifecycleStatus;
  readonly created: string;
  lastUpdated: string;
  readonly clientId: string;
  /**
   * The app's ACTIVE client secret (`GET /api/v1/apps/{id}/credentials/secrets`). Absent for public clients
   * (`token_endpoint_auth_method: none`), private_key_jwt clients and apps that are not OIDC apps.
   */
  secret?: ClientSecretRecord;
  readonly signingKid: string;
  /** OIE orgs only: the access policy assigned to the app. */
  accessPolicyId?: string;
}

/** One OAuth2ClientSecret of an app. The emulator keeps one per app: the ACTIVE one. */
export interface ClientSecretRecord {
  /** `ocs…` */
  readonly id: string;
  readonly value: string;
  readonly created: string;
  readonly lastUpdated: string;
}

export interface GroupRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly type: "BUILT_IN" | "OKTA_GROUP";
  readonly created: string;
}

export interface AssignmentRecord {
  readonly groupId: string;
  priority: number;
  profile: JsonObject;
  lastUpdated: string;
}

export interface ScopeRecord {
  readonly id: string;
  body: JsonObject;
  readonly system: boolean;
}

export interface RuleRecord {
  readonly id: string;
  body: JsonObject;
  status: LifecycleStatus;
  readonly created: string;
  lastUpdated: string;
}

export interface PolicyRecord {
  readonly id: string;
  body: JsonObject;
  status: LifecycleStatus;
  readonly created: string;
  lastUpdated: string;
  /** In priority order: a rule's priority is its index + 1. */
  readonly rules: RuleRecord[];
}

export interface ClaimRecord {
  readonly id: string;
  body: JsonObject;
  /** The claims every custom authorization server starts with (sub, address, email, name, …). */
  readonly system?: boolean;
}

export interface AuthServerRecord {
  readonly id: string;
  body: JsonObject;
  status: LifecycleStatus;
  readonly created: string;
  lastUpdated: string;
  readonly kid: string;
  readonly lastRotated: string;
  /** Rendered only while the signing key rotates AUTOmatically. */
  readonly nextRotation: string;
  /**
   * The org's built-in `default` custom authorization server (orgs with API Access Management): `default: true`,
   * reachable as `/api/v1/authorizationServers/default`, issuer `<org>/oauth2/default`, never deletable.
   */
  readonly builtIn: boolean;
  readonly scopes: Map<string, ScopeRecord>;
  /** In priority order: a policy's priority is its index + 1. */
  readonly policies: PolicyRecord[];
  readonly claims: Map<string, ClaimRecord>;
}

export interface AccessPolicyRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly system: boolean;
}

export interface UserRecord {
  readonly id: string;
  readonly login: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly created: string;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A 20-character Okta-style id with the real prefix (`0oa` apps, `aus` servers, `scp`, `00p`, `0pr`, `ocl`, `00g`, `00u`, `rst`). */
export function newId(prefix: string): string {
  let id = prefix;
  while (id.length < 20) id += BASE62[randomInt(BASE62.length)];
  return id;
}

/** A 64-character client secret, like the ones real Okta generates. */
export function newClientSecret(): string {
  return randomBytes(48).toString("base64url");
}

/**
 * Okta's `secret_hash` of a client secret: base64url (unpadded) of the first 16 bytes of its SHA-256. Checked
 * against three real secrets with their recorded hashes: the two in okta/terraform-provider-okta's
 * test/fixtures/vcr/idaas/TestAccDataSourceOktaAppOauth_read/{classic,oie}-00.yaml (recorded 2026-02) and the two
 * in developer.okta.com's guide "Client secret rotation and key management".
 */
export function secretHash(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest().subarray(0, 16).toString("base64url");
}

export function newSecretRecord(value: string): ClientSecretRecord {
  const created = now();
  return { id: newId("ocs"), value, created, lastUpdated: created };
}

export function now(): string {
  return new Date().toISOString();
}

/**
 * The built-in system scopes every custom authorization server starts with. Real orgs have more (the
 * `okta.myAccount.*` scopes, cassette TestAccDataSourceOktaAuthServerScopes_read/oie-00.yaml); these are the
 * OIDC ones.
 */
const SYSTEM_SCOPES: readonly { name: string; description: string }[] = [
  { name: "openid", description: "Signals that a request is an OpenID request." },
  { name: "profile", description: "Allows this application to access your profile information." },
  { name: "email", description: "Allows this application to access your email address." },
  { name: "address", description: "Allows this application to access your address." },
  { name: "phone", description: "Allows this application to access your phone number." },
  { name: "offline_access", description: "Allows this application to access your information while you are not using the application." },
  { name: "device_sso", description: "Allows this application to request a device secret." },
];

/**
 * The system claims every custom authorization server starts with, exactly as real Okta lists them for a server
 * the provider just created (cassette TestAccResourceOktaAuthServerClaimDefault_crud/oie-00.yaml, interaction 2):
 * `sub` for access tokens, the standard OIDC claims (valueType SYSTEM) for ID tokens.
 */
const SYSTEM_CLAIMS: readonly JsonObject[] = [
  { name: "sub", claimType: "RESOURCE", valueType: "EXPRESSION", value: "(appuser != null) ? appuser.userName : app.clientId", conditions: { scopes: [] }, alwaysIncludeInToken: true },
  ...(
    [
      ["address", "address", false],
      ["birthdate", "profile", false],
      ["email", "email", true],
      ["email_verified", "email", false],
      ["family_name", "profile", false],
      ["gender", "profile", false],
      ["given_name", "profile", false],
      ["locale", "profile", false],
      ["middle_name", "profile", false],
      ["name", "profile", true],
      ["nickname", "profile", false],
      ["phone_number", "phone", false],
      ["picture", "profile", false],
      ["preferred_username", "profile", true],
      ["profile", "profile", false],
      ["updated_at", "profile", false],
      ["website", "profile", false],
      ["zoneinfo", "profile", false],
    ] as const
  ).map(([name, scope, always]) => ({ name, claimType: "IDENTITY", valueType: "SYSTEM", conditions: { scopes: [scope] }, alwaysIncludeInToken: always })),
];

/**
 * The org's built-in `default` authorization server, as real Okta answers `GET /api/v1/authorizationServers/default`
 * (cassette TestAccResourceOktaAuthServerDefault_crud/oie-00.yaml, interaction 0): name "default", this description,
 * audience `api://default`. Its policy and rule are what Okta puts there [inferred: no recording lists them; the
 * names are the ones the Admin Console shows, the values those of the console's rule defaults].
 */
const DEFAULT_SERVER = {
  body: { name: "default", description: "Default Authorization Server for your Applications", audiences: ["api://default"], issuerMode: "ORG_URL" },
  policy: { name: "Default Policy", description: "Default policy description", conditions: { clients: { include: ["ALL_CLIENTS"] } }, type: "OAUTH_AUTHORIZATION_POLICY" },
  rule: {
    name: "Default Policy Rule",
    type: "RESOURCE_ACCESS",
    conditions: {
      people: { groups: { include: ["EVERYONE"] } },
      grantTypes: { include: ["client_credentials", "authorization_code", "implicit", "password"] },
      scopes: { include: ["*"] },
    },
    actions: { token: { accessTokenLifetimeMinutes: 60, refreshTokenLifetimeMinutes: 0, refreshTokenWindowMinutes: 10080 } },
  },
} as const;

/** Everything the emulated org holds. Mutated only by route handlers. */
export class OktaStore {
  readonly orgId = newId("00o");
  readonly user: UserRecord = { id: newId("00u"), login: "admin@example.com", firstName: "Emulated", lastName: "Admin", created: now() };
  readonly groups = new Map<string, GroupRecord>();
  readonly apps = new Map<string, AppRecord>();
  /** appId → groupId → assignment. */
  readonly assignments = new Map<string, Map<string, AssignmentRecord>>();
  /** appId → the body last POSTed to the internal idToken route (only when it set a claim). */
  readonly groupsClaims = new Map<string, JsonObject>();
  /** Includes the built-in `default` server (first: it is the org's oldest). */
  readonly authServers = new Map<string, AuthServerRecord>();
  readonly accessPolicies: readonly AccessPolicyRecord[] = [
    { id: newId("rst"), name: "Okta Admin Console", description: "", system: false },
    { id: newId("rst"), name: "Default Policy", description: "The default app sign-on policy.", system: true },
  ];

  constructor(extraGroups: readonly string[]) {
    this.addGroup("Everyone", "All users in your organization", "BUILT_IN");
    for (const name of extraGroups) this.addGroup(name, "", "OKTA_GROUP");
    this.addDefaultAuthServer();
  }

  private addGroup(name: string, description: string, type: GroupRecord["type"]): void {
    const id = newId("00g");
    this.groups.set(id, { id, name, description, type, created: now() });
  }

  private addDefaultAuthServer(): void {
    const server = this.newAuthServer(structuredClone(DEFAULT_SERVER.body) as JsonObject, true);
    const created = server.created;
    server.policies.push({
      id: newId("00p"),
      body: structuredClone(DEFAULT_SERVER.policy) as JsonObject,
      status: "ACTIVE",
      created,
      lastUpdated: created,
      rules: [{ id: newId("0pr"), body: structuredClone(DEFAULT_SERVER.rule) as JsonObject, status: "ACTIVE", created, lastUpdated: created }],
    });
  }

  defaultAccessPolicy(): AccessPolicyRecord {
    const policy = this.accessPolicies.find((p) => p.system);
    if (!policy) throw new Error("no system access policy");
    return policy;
  }

  /** The server with this id; `default` also names the built-in default server, as in real Okta. */
  findAuthServer(idOrAlias: string): AuthServerRecord | undefined {
    const server = this.authServers.get(idOrAlias);
    if (server) return server;
    return idOrAlias === "default" ? [...this.authServers.values()].find((s) => s.builtIn) : undefined;
  }

  newAuthServer(body: JsonObject, builtIn = false): AuthServerRecord {
    const created = now();
    const next = new Date(Date.now() + 90 * 24 * 3600 * 1000).toISOString();
    const server: AuthServerRecord = {
      id: newId("aus"),
      body,
      status: "ACTIVE",
      created,
      lastUpdated: created,
      kid: randomBytes(32).toString("base64url"),
      lastRotated: created,
      nextRotation: next,
      builtIn,
      scopes: new Map(),
      policies: [],
      claims: new Map(),
    };
    for (const s of SYSTEM_SCOPES) {
      const id = newId("scp");
      server.scopes.set(id, {
        id,
        system: true,
        body: { name: s.name, description: s.description, displayName: s.name, consent: "IMPLICIT", metadataPublish: "ALL_CLIENTS", default: false, optional: false },
      });
    }
    for (const c of SYSTEM_CLAIMS) {
      const id = newId("ocl");
      server.claims.set(id, { id, system: true, body: { status: "ACTIVE", ...structuredClone(c) } });
    }
    this.authServers.set(server.id, server);
    return server;
  }

  /** Every client id and app id, the values a policy's `conditions.clients.include` may name. */
  knownClients(): string[] {
    return [...this.apps.values()].flatMap((a) => [a.id, a.clientId]);
  }

  /**
   * No apps, no group assignments, no authorization server but the built-in `default` one (whatever it holds: this
   * project never writes to it). Built-ins (Everyone, the default server, the access policies) never count.
   */
  isEmpty(): boolean {
    const assigned = [...this.assignments.values()].some((m) => m.size > 0);
    const servers = [...this.authServers.values()].filter((s) => !s.builtIn);
    return this.apps.size === 0 && servers.length === 0 && !assigned;
  }
}

/** Moves `item` to priority `priority` (1-based) in `list`, clamped like Okta does (100 on a list of 1 becomes 1). */
export function placeByPriority<T>(list: T[], item: T, priority: unknown): void {
  const current = list.indexOf(item);
  if (current >= 0) list.splice(current, 1);
  const wanted = typeof priority === "number" && Number.isInteger(priority) && priority >= 1 ? priority : list.length + 1;
  list.splice(Math.min(wanted, list.length + 1) - 1, 0, item);
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering: the JSON Okta returns for each record. `org` is the org URL the client used (http://<Host>).

function objectOr(value: unknown, fallback: JsonObject): JsonObject {
  return isObject(value) ? value : fallback;
}

function link(href: string, allow?: readonly string[]): JsonObject {
  return allow ? { href, hints: { allow: [...allow] } } : { href };
}

/** The one lifecycle link Okta offers: `deactivate` while ACTIVE, else `activate`. */
function lifecycleLink(status: LifecycleStatus, self: string, allow?: readonly string[]): JsonObject {
  const verb = status === "ACTIVE" ? "deactivate" : "activate";
  return { [verb]: link(`${self}/lifecycle/${verb}`, allow) };
}

/** The fields every app read starts with, whatever its kind. */
function appHeader(app: AppRecord, body: JsonObject): JsonObject {
  return { id: app.id, name: body.name, label: body.label, status: app.status, lastUpdated: app.lastUpdated, created: app.created };
}

export function renderApp(app: AppRecord, org: string, withSecret: boolean, oie: boolean): JsonObject {
  if (!isOidcApp(app)) return renderOtherApp(app, org);
  const body = structuredClone(app.body);
  const credentials = objectOr(body.credentials, {});
  const storedClient = objectOr(credentials.oauthClient, {});
  delete storedClient.client_secret;
  const oauthClient: JsonObject = {
    autoKeyRotation: true,
    token_endpoint_auth_method: "client_secret_basic",
    pkce_required: false,
    ...storedClient,
    client_id: app.clientId,
  };
  if (withSecret && app.secret !== undefined) oauthClient.client_secret = app.secret.value;

  const settings = objectOr(body.settings, {});
  const storedOauth = objectOr(settings.oauthClient, {});
  // consent_method is an OIE property: every OIE app response carries it (TRUSTED unless sent otherwise), no Classic
  // one does, even when the request sent it (provider cassettes at v4.20.0: 201 of 201 oie-00 app responses have
  // it, 0 of 157 classic-00 ones; the provider reads it only when non-empty, resource_okta_app_oauth.go:628).
  if (oie) storedOauth.consent_method = storedOauth.consent_method ?? "TRUSTED";
  else delete storedOauth.consent_method;
  const visibility = objectOr(body.visibility, {});
  const self = `${org}/api/v1/apps/${app.id}`;
  const links: JsonObject = {
    uploadLogo: link(`${self}/logo`, ["POST"]),
    appLinks: [{ name: "oidc_client_link", href: `${org}/home/oidc_client/${app.id}/aln177a159h7Zf52X0g8`, type: "text/html" }],
    groups: link(`${self}/groups`),
    logo: [{ name: "medium", href: `${org}/assets/img/logos/default.png`, type: "image/png" }],
    clientCredentials: [{ name: "secrets", href: `${self}/credentials/secrets` }],
    users: link(`${self}/users`),
    ...lifecycleLink(app.status, self),
  };
  if (oie) {
    links.policies = link(`${self}/policies`, ["PUT"]);
    if (app.accessPolicyId) links.accessPolicy = link(`${org}/api/v1/policies/${app.accessPolicyId}`);
  }
  return {
    ...appHeader(app, body),
    ...body,
    accessibility: { selfService: false, errorRedirectUrl: null, loginRedirectUrl: null, ...objectOr(body.accessibility, {}) },
    visibility: {
      autoLaunch: false,
      autoSubmitToolbar: false,
      ...visibility,
      hide: { iOS: false, web: false, ...objectOr(visibility.hide, {}) },
      appLinks: { oidc_client_link: true, ...objectOr(visibility.appLinks, {}) },
    },
    features: Array.isArray(body.features) ? body.features : [],
    credentials: {
      userNameTemplate: { template: "${source.login}", type: "BUILT_IN" },
      signing: { kid: app.signingKid },
      ...credentials,
      oauthClient,
    },
    settings: {
      notifications: { vpn: { network: { connection: "DISABLED" }, message: null, helpUrl: null } },
      manualProvisioning: false,
      implicitAssignment: false,
      notes: { admin: null, enduser: null },
      ...settings,
      app: objectOr(settings.app, {}),
      oauthClient: {
        client_uri: null,
        logo_uri: null,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        issuer_mode: "ORG_URL",
        idp_initiated_login: { mode: "DISABLED", default_scope: [] },
        wildcard_redirect: "DISABLED",
        ...storedOauth,
      },
    },
    _links: links,
  };
}

export function isOidcApp(app: AppRecord): boolean {
  return app.body.signOnMode === "OPENID_CONNECT";
}

/**
 * A SAML 2.0 or bookmark app (only ever made by the seeding helpers, for the adopt command's refusals), in the shape
 * of developer.okta.com's Apps API examples ("Custom Saml 2.0 App", "template_swa"): no oauthClient anywhere.
 */
function renderOtherApp(app: AppRecord, org: string): JsonObject {
  const body = structuredClone(app.body);
  const self = `${org}/api/v1/apps/${app.id}`;
  const saml = body.signOnMode === "SAML_2_0";
  return {
    ...appHeader(app, body),
    accessibility: { selfService: false, errorRedirectUrl: null, loginRedirectUrl: null },
    visibility: { autoSubmitToolbar: false, hide: { iOS: false, web: false }, appLinks: { [`${String(body.name)}_link`]: true } },
    features: [],
    signOnMode: body.signOnMode,
    credentials: { userNameTemplate: { template: "${source.login}", type: "BUILT_IN" }, ...(saml ? { signing: { kid: app.signingKid } } : {}) },
    settings: {
      app: objectOr(objectOr(body.settings, {}).app, {}),
      notifications: { vpn: { network: { connection: "DISABLED" }, message: null, helpUrl: null } },
      ...(saml ? { signOn: objectOr(objectOr(body.settings, {}).signOn, {}) } : {}),
    },
    _links: {
      users: link(`${self}/users`),
      groups: link(`${self}/groups`),
      self: link(self),
      ...lifecycleLink(app.status, self),
    },
  };
}

/**
 * An OAuth2ClientSecret as `GET /api/v1/apps/{appId}/credentials/secrets[/{secretId}]` returns it: with the full
 * `client_secret` value and its `secret_hash`, and only a `deactivate` link while ACTIVE (the recorded real answers in
 * okta/terraform-provider-okta test/fixtures/vcr TestAccDataSourceOktaAppOauth_read, at v4.20.0 and at HEAD; the same
 * shape in developer.okta.com's "Client secret rotation and key management" guide).
 */
export function renderSecret(app: AppRecord, secret: ClientSecretRecord, org: string): JsonObject {
  return {
    id: secret.id,
    created: secret.created,
    lastUpdated: secret.lastUpdated,
    status: "ACTIVE",
    client_secret: secret.value,
    secret_hash: secretHash(secret.value),
    _links: {
      deactivate: link(`${org}/api/v1/apps/${app.id}/credentials/secrets/${secret.id}/lifecycle/deactivate`, ["POST"]),
    },
  };
}

/** The internal idToken route's answer: the org-level part, plus the claim when one is set (cassette shape). */
export function renderGroupsClaim(app: AppRecord, claim: JsonObject | undefined, org: string): JsonObject {
  const issuerMode = claim?.issuerMode ?? objectOr(objectOr(app.body.settings, {}).oauthClient, {}).issuer_mode ?? "ORG_URL";
  const base: JsonObject = { issuer: org, orgUrl: null, customUrl: null, audience: app.clientId, issuerMode };
  if (!claim) return base;
  return { ...base, ...claim, issuerMode };
}

export function renderGroup(group: GroupRecord, org: string): JsonObject {
  return {
    id: group.id,
    created: group.created,
    lastUpdated: group.created,
    lastMembershipUpdated: group.created,
    objectClass: ["okta:user_group"],
    type: group.type,
    profile: { name: group.name, description: group.description },
    _links: {
      users: link(`${org}/api/v1/groups/${group.id}/users`),
      apps: link(`${org}/api/v1/groups/${group.id}/apps`),
    },
  };
}

export function renderAssignment(appId: string, a: AssignmentRecord, org: string): JsonObject {
  return {
    id: a.groupId,
    lastUpdated: a.lastUpdated,
    priority: a.priority,
    profile: a.profile,
    _links: {
      app: link(`${org}/api/v1/apps/${appId}`),
      self: link(`${org}/api/v1/apps/${appId}/groups/${a.groupId}`),
      group: link(`${org}/api/v1/groups/${a.groupId}`),
    },
  };
}

export function renderUser(user: UserRecord, org: string): JsonObject {
  return {
    id: user.id,
    status: "ACTIVE",
    created: user.created,
    activated: user.created,
    statusChanged: user.created,
    lastLogin: null,
    lastUpdated: user.created,
    passwordChanged: null,
    type: { id: "oty1emulatedusertype" },
    profile: { firstName: user.firstName, lastName: user.lastName, mobilePhone: null, secondEmail: null, login: user.login, email: user.login },
    credentials: { provider: { type: "OKTA", name: "OKTA" } },
    _links: { self: link(`${org}/api/v1/users/${user.id}`) },
  };
}

export function renderAccessPolicy(p: AccessPolicyRecord, org: string): JsonObject {
  return {
    id: p.id,
    status: "ACTIVE",
    name: p.name,
    description: p.description,
    priority: 1,
    system: p.system,
    conditions: null,
    created: "2024-01-01T00:00:00.000Z",
    lastUpdated: "2024-01-01T00:00:00.000Z",
    _links: { self: link(`${org}/api/v1/policies/${p.id}`, ["GET", "PUT"]), rules: link(`${org}/api/v1/policies/${p.id}/rules`, ["GET", "POST"]) },
    type: "ACCESS_POLICY",
  };
}

/**
 * How Okta names a server in its issuer and links: the built-in default server by its alias `default` (cassette
 * TestAccResourceOktaAuthServerDefault_crud/oie-00.yaml: id `aus5ysislgkVBE0FS1d7`, issuer `…/oauth2/default`, every
 * link `…/authorizationServers/default…`), any other by its id.
 */
export function serverPathId(server: AuthServerRecord): string {
  return server.builtIn ? "default" : server.id;
}

export function issuerOf(server: AuthServerRecord, org: string): string {
  return `${org}/oauth2/${serverPathId(server)}`;
}

function serverLink(server: AuthServerRecord, org: string): string {
  return `${org}/api/v1/authorizationServers/${serverPathId(server)}`;
}

export function renderAuthServer(server: AuthServerRecord, org: string): JsonObject {
  const body = structuredClone(server.body);
  const signing = objectOr(objectOr(body.credentials, {}).signing, {});
  const rotationMode = signing.rotationMode ?? "AUTO";
  const self = serverLink(server, org);
  const issuer = issuerOf(server, org);
  return {
    id: server.id,
    // Real Okta answers description null when none was sent (cassette TestAccResourceOktaAuthServer_gh299).
    description: null,
    ...body,
    issuer,
    issuerMode: body.issuerMode ?? "ORG_URL",
    status: server.status,
    created: server.created,
    lastUpdated: server.lastUpdated,
    credentials: {
      ...objectOr(body.credentials, {}),
      // nextRotation only while AUTO (gh299: a server PUT to MANUAL reads back without it).
      signing: {
        ...signing,
        kid: server.kid,
        rotationMode,
        lastRotated: server.lastRotated,
        ...(rotationMode === "AUTO" ? { nextRotation: server.nextRotation } : {}),
      },
    },
    default: server.builtIn,
    _links: {
      rotateKey: link(`${self}/credentials/lifecycle/keyRotate`, ["POST"]),
      metadata: [
        { name: "oauth-authorization-server", href: `${issuer}/.well-known/oauth-authorization-server`, hints: { allow: ["GET"] } },
        { name: "openid-configuration", href: `${issuer}/.well-known/openid-configuration`, hints: { allow: ["GET"] } },
      ],
      keys: link(`${self}/credentials/keys`, ["GET"]),
      claims: link(`${self}/claims`, ["GET", "POST"]),
      policies: link(`${self}/policies`, ["GET", "POST"]),
      self: link(self, ["GET", "DELETE", "PUT"]),
      scopes: link(`${self}/scopes`, ["GET", "POST"]),
      ...lifecycleLink(server.status, self, ["POST"]),
    },
  };
}

export function renderScope(server: AuthServerRecord, scope: ScopeRecord, org: string): JsonObject {
  return {
    id: scope.id,
    consent: "IMPLICIT",
    metadataPublish: "NO_CLIENTS",
    optional: false,
    default: false,
    ...structuredClone(scope.body),
    system: scope.system,
    _links: { self: link(`${serverLink(server, org)}/scopes/${scope.id}`, ["GET", "PUT", "DELETE"]) },
  };
}

export function renderPolicy(server: AuthServerRecord, policy: PolicyRecord, org: string): JsonObject {
  const self = `${serverLink(server, org)}/policies/${policy.id}`;
  return {
    type: "OAUTH_AUTHORIZATION_POLICY",
    ...structuredClone(policy.body),
    id: policy.id,
    status: policy.status,
    priority: server.policies.indexOf(policy) + 1,
    system: false,
    created: policy.created,
    lastUpdated: policy.lastUpdated,
    _links: {
      self: link(self, ["GET", "PUT", "DELETE"]),
      rules: link(`${self}/rules`, ["GET"]),
      ...lifecycleLink(policy.status, self, ["POST"]),
    },
  };
}

/**
 * Which answer a rule is rendered for. Real Okta fills a rule's timestamps only in some answers (every recorded
 * rule in the provider's v4.20.0 cassettes): the create (POST) answer has both, a PUT answer `created: null` and
 * `lastUpdated` set, a GET answer both null. Lists: no recording; rendered like a GET [inferred].
 */
export type RuleView = "create" | "update" | "read";

export function renderRule(server: AuthServerRecord, policy: PolicyRecord, rule: RuleRecord, org: string, view: RuleView = "read"): JsonObject {
  const body = structuredClone(rule.body);
  // The provider dereferences actions.token, conditions.{grantTypes,scopes,people,people.users} without nil checks.
  const conditions = objectOr(body.conditions, {});
  const people = objectOr(conditions.people, {});
  const actions = objectOr(body.actions, {});
  const self = `${serverLink(server, org)}/policies/${policy.id}/rules/${rule.id}`;
  return {
    type: "RESOURCE_ACCESS",
    ...body,
    id: rule.id,
    status: rule.status,
    priority: policy.rules.indexOf(rule) + 1,
    system: false,
    created: view === "create" ? rule.created : null,
    lastUpdated: view === "read" ? null : rule.lastUpdated,
    conditions: {
      ...conditions,
      scopes: objectOr(conditions.scopes, { include: [] }),
      people: { ...people, users: objectOr(people.users, { exclude: [] }) },
    },
    actions: {
      ...actions,
      token: objectOr(actions.token, { accessTokenLifetimeMinutes: 60, refreshTokenLifetimeMinutes: 0, refreshTokenWindowMinutes: 10080 }),
    },
    _links: {
      self: link(self, ["GET", "PUT", "DELETE"]),
      ...lifecycleLink(rule.status, self, ["POST"]),
    },
  };
}

export function renderClaim(server: AuthServerRecord, claim: ClaimRecord, org: string): JsonObject {
  return {
    status: "ACTIVE",
    valueType: "EXPRESSION",
    alwaysIncludeInToken: true,
    conditions: { scopes: [] },
    ...structuredClone(claim.body),
    id: claim.id,
    system: claim.system === true,
    _links: { self: link(`${serverLink(server, org)}/claims/${claim.id}`, ["GET", "PUT", "DELETE"]) },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Read-only snapshots for test assertions.

/** An app (OIDC, or a seeded SAML/bookmark one). `resource` is exactly what `GET /api/v1/apps/{id}` returns (no client_secret). */
export interface OktaAppSnapshot {
  readonly id: string;
  readonly label: string;
  readonly status: LifecycleStatus;
  /** `signOnMode`: OPENID_CONNECT, or SAML_2_0 / BOOKMARK for apps seeded as non-OIDC. */
  readonly signOnMode: string;
  /** `settings.oauthClient.application_type`: web, native, browser or service ("" for non-OIDC apps). */
  readonly applicationType: string;
  readonly clientId: string;
  /** The current secret (create response, or the last one a PUT sent); undefined for public clients. */
  readonly clientSecret?: string;
  /** Id (`ocs…`) of that secret in `GET /api/v1/apps/{id}/credentials/secrets`. */
  readonly clientSecretId?: string;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris: readonly string[];
  readonly grantTypes: readonly string[];
  readonly responseTypes: readonly string[];
  readonly issuerMode: string;
  readonly tokenEndpointAuthMethod: string;
  /** OIE orgs: id of the access policy assigned to the app. */
  readonly accessPolicyId?: string;
  readonly resource: JsonObject;
}

export interface OktaGroupSnapshot {
  readonly id: string;
  readonly name: string;
  readonly type: "BUILT_IN" | "OKTA_GROUP";
}

export interface OktaAppGroupAssignmentSnapshot {
  readonly groupId: string;
  readonly groupName: string;
  readonly priority: number;
  readonly profile: JsonObject;
}

/** The app's ID-token groups claim, as last POSTed to the internal idToken route. */
export interface OktaGroupsClaimSnapshot {
  /** GROUPS (the provider's FILTER type) or EXPRESSION. */
  readonly valueType: string;
  /** STARTS_WITH | EQUALS | CONTAINS | REGEX, for valueType GROUPS. */
  readonly groupFilterType?: string;
  readonly name: string;
  readonly value: string;
  readonly issuerMode?: string;
}

/** A custom authorization server. `resource` is what `GET /api/v1/authorizationServers/{id}` returns. */
export interface OktaAuthServerSnapshot {
  readonly id: string;
  /** The org's built-in `default` server (listed only with `authServers({ includeDefault: true })`). */
  readonly default: boolean;
  readonly name: string;
  readonly description?: string;
  readonly audiences: readonly string[];
  readonly status: LifecycleStatus;
  readonly issuerMode: string;
  /** `<emulator url>/oauth2/<id>` (`…/oauth2/default` for the default server). */
  readonly issuer: string;
  readonly resource: JsonObject;
}

export interface OktaScopeSnapshot {
  readonly id: string;
  readonly name: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly consent: string;
  readonly default: boolean;
  readonly optional: boolean;
  readonly metadataPublish: string;
  /** True for the built-in scopes (openid, profile, email, address, phone, offline_access, device_sso) every server has. */
  readonly system: boolean;
  readonly resource: JsonObject;
}

export interface OktaPolicySnapshot {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly priority: number;
  readonly status: LifecycleStatus;
  /** `conditions.clients.include`, e.g. ["ALL_CLIENTS"]. */
  readonly clients: readonly string[];
  readonly resource: JsonObject;
}

export interface OktaRuleSnapshot {
  readonly id: string;
  readonly name: string;
  readonly priority: number;
  readonly status: LifecycleStatus;
  /** `conditions.grantTypes.include`. */
  readonly grantTypes: readonly string[];
  /** `conditions.scopes.include` (["*"] = any scope). */
  readonly scopes: readonly string[];
  /** `conditions.people.groups.include` (["EVERYONE"] = any user assigned the app). */
  readonly groups: readonly string[];
  /** `conditions.people.users.include`. */
  readonly users: readonly string[];
  readonly resource: JsonObject;
}

export interface OktaClaimSnapshot {
  readonly id: string;
  readonly name: string;
  /** IDENTITY (ID token) or RESOURCE (access token). */
  readonly claimType: string;
  readonly valueType: string;
  readonly value: string;
  readonly groupFilterType?: string;
  readonly alwaysIncludeInToken: boolean;
  readonly status: string;
  /** True for the claims every server starts with (sub, and the standard OIDC ones with valueType SYSTEM). */
  readonly system: boolean;
  readonly resource: JsonObject;
}

/**
 * Read-only views of the emulated org for assertions. Every call returns fresh plain-JSON copies; unknown ids give
 * `[]` / `undefined`. Lists are in creation order, except policies and rules, which are in priority order.
 */
export interface OktaEmulatorState {
  apps(): OktaAppSnapshot[];
  /** Everyone (BUILT_IN) first, then the `groups` option's groups (OKTA_GROUP). */
  groups(): OktaGroupSnapshot[];
  appGroupAssignments(appId: string): OktaAppGroupAssignmentSnapshot[];
  idTokenGroupsClaim(appId: string): OktaGroupsClaimSnapshot | undefined;
  /**
   * The custom authorization servers this org's users made. The org's built-in `default` server is left out unless
   * `includeDefault` (then it comes first); its id also works in scopes/policies/rules/claims, as does `"default"`.
   */
  authServers(options?: { readonly includeDefault?: boolean }): OktaAuthServerSnapshot[];
  /** Includes the server's system scopes (`system: true`). */
  scopes(authServerId: string): OktaScopeSnapshot[];
  policies(authServerId: string): OktaPolicySnapshot[];
  rules(authServerId: string, policyId: string): OktaRuleSnapshot[];
  /** Includes the server's system claims (`system: true`). */
  claims(authServerId: string): OktaClaimSnapshot[];
  /**
   * No apps, no authorization servers, no group assignments. Built-ins never count: the Everyone group, the access
   * policies, and the `default` authorization server with whatever it holds.
   */
  isEmpty(): boolean;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) current = isObject(current) ? current[key] : undefined;
  return current;
}

/** Builds the snapshot view over `store`; links in `resource` fields use `org` (the emulator's URL). */
export function stateView(store: OktaStore, org: string, oie: boolean): OktaEmulatorState {
  return {
    apps: () =>
      [...store.apps.values()].map((app) => {
        const resource = renderApp(app, org, false, oie);
        const oauth = at(resource, "settings", "oauthClient");
        return {
          id: app.id,
          label: String(resource.label),
          status: app.status,
          signOnMode: String(resource.signOnMode),
          applicationType: str(at(oauth, "application_type")) ?? "",
          clientId: app.clientId,
          ...(app.secret !== undefined ? { clientSecret: app.secret.value, clientSecretId: app.secret.id } : {}),
          redirectUris: strings(at(oauth, "redirect_uris")),
          postLogoutRedirectUris: strings(at(oauth, "post_logout_redirect_uris")),
          grantTypes: strings(at(oauth, "grant_types")),
          responseTypes: strings(at(oauth, "response_types")),
          issuerMode: str(at(oauth, "issuer_mode")) ?? "",
          tokenEndpointAuthMethod: str(at(resource, "credentials", "oauthClient", "token_endpoint_auth_method")) ?? "",
          ...(app.accessPolicyId ? { accessPolicyId: app.accessPolicyId } : {}),
          resource,
        };
      }),
    groups: () => [...store.groups.values()].map((g) => ({ id: g.id, name: g.name, type: g.type })),
    appGroupAssignments: (appId) =>
      [...(store.assignments.get(appId)?.values() ?? [])].map((a) => ({
        groupId: a.groupId,
        groupName: store.groups.get(a.groupId)?.name ?? "",
        priority: a.priority,
        profile: structuredClone(a.profile),
      })),
    idTokenGroupsClaim: (appId) => {
      const claim = store.groupsClaims.get(appId);
      if (!claim) return undefined;
      return {
        valueType: String(claim.valueType),
        ...(str(claim.groupFilterType) !== undefined ? { groupFilterType: str(claim.groupFilterType) } : {}),
        name: String(claim.name),
        value: String(claim.value),
        ...(str(claim.issuerMode) !== undefined ? { issuerMode: str(claim.issuerMode) } : {}),
      };
    },
    authServers: (options) =>
      [...store.authServers.values()]
        .filter((s) => options?.includeDefault === true || !s.builtIn)
        .map((s) => {
        const resource = renderAuthServer(s, org);
        return {
          id: s.id,
          default: s.builtIn,
          name: String(resource.name),
          ...(str(resource.description) !== undefined ? { description: str(resource.description) } : {}),
          audiences: strings(resource.audiences),
          status: s.status,
          issuerMode: String(resource.issuerMode),
          issuer: String(resource.issuer),
          resource,
        };
      }),
    scopes: (asId) => {
      const server = store.findAuthServer(asId);
      if (!server) return [];
      return [...server.scopes.values()].map((scope) => {
        const r = renderScope(server, scope, org);
        return {
          id: scope.id,
          name: String(r.name),
          ...(str(r.displayName) !== undefined ? { displayName: str(r.displayName) } : {}),
          ...(str(r.description) !== undefined ? { description: str(r.description) } : {}),
          consent: String(r.consent),
          default: r.default === true,
          optional: r.optional === true,
          metadataPublish: String(r.metadataPublish),
          system: scope.system,
          resource: r,
        };
      });
    },
    policies: (asId) => {
      const server = store.findAuthServer(asId);
      if (!server) return [];
      return server.policies.map((p) => {
        const r = renderPolicy(server, p, org);
        return {
          id: p.id,
          name: String(r.name),
          description: String(r.description),
          priority: Number(r.priority),
          status: p.status,
          clients: strings(at(r, "conditions", "clients", "include")),
          resource: r,
        };
      });
    },
    rules: (asId, policyId) => {
      const server = store.findAuthServer(asId);
      const policy = server?.policies.find((p) => p.id === policyId);
      if (!server || !policy) return [];
      return policy.rules.map((rule) => {
        const r = renderRule(server, policy, rule, org);
        return {
          id: rule.id,
          name: String(r.name),
          priority: Number(r.priority),
          status: rule.status,
          grantTypes: strings(at(r, "conditions", "grantTypes", "include")),
          scopes: strings(at(r, "conditions", "scopes", "include")),
          groups: strings(at(r, "conditions", "people", "groups", "include")),
          users: strings(at(r, "conditions", "people", "users", "include")),
          resource: r,
        };
      });
    },
    claims: (asId) => {
      const server = store.findAuthServer(asId);
      if (!server) return [];
      return [...server.claims.values()].map((claim) => {
        const r = renderClaim(server, claim, org);
        return {
          id: claim.id,
          name: String(r.name),
          claimType: String(r.claimType),
          valueType: String(r.valueType),
          value: r.value === undefined ? "" : String(r.value),
          ...(str(r.group_filter_type) !== undefined ? { groupFilterType: str(r.group_filter_type) } : {}),
          alwaysIncludeInToken: r.alwaysIncludeInToken === true,
          status: String(r.status),
          system: claim.system === true,
          resource: r,
        };
      });
    },
    isEmpty: () => store.isEmpty(),
  };
}

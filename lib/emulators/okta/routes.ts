import * as errors from "./errors";
import type { OktaErrorReply, ValidationCause } from "./errors";
import {
  isOidcApp,
  newClientSecret,
  newId,
  newSecretRecord,
  now,
  placeByPriority,
  renderAccessPolicy,
  renderApp,
  renderAssignment,
  renderAuthServer,
  renderClaim,
  renderGroup,
  renderGroupsClaim,
  renderPolicy,
  renderRule,
  renderScope,
  renderSecret,
  renderUser,
  issuerOf,
  type AppRecord,
  type AssignmentRecord,
  type AuthServerRecord,
  type LifecycleStatus,
  type PolicyRecord,
} from "./state";
import type { Reply, RouteContext } from "./context";
import { tokenEndpoint } from "./token";
import {
  get,
  isClearingGroupsClaim,
  isObject,
  validateAssignment,
  validateAuthServer,
  validateClaim,
  validateGroupsClaim,
  validateOidcApp,
  validateOtherApp,
  validatePolicy,
  validateRule,
  validateScope,
  type JsonObject,
} from "./validate";

export type { Reply, RouteContext } from "./context";



export type Method = "GET" | "POST" | "PUT" | "DELETE";
type Handler = (ctx: RouteContext) => Reply;

export interface Route {
  /** Template such as `/api/v1/apps/:appId`; `:name` segments become params. */
  readonly path: string;
  /**
   * `api`: needs `Authorization: SSWS <token>`; `public`: no SSWS token (the well-known documents, and the OAuth token
   * endpoint, which authenticates the OAuth client itself).
   */
  readonly auth: "api" | "public";
  /**
   * `json` (default): the body must be well-formed JSON (else 400 E0000003 before the handler runs);
   * `form`: an OAuth endpoint whose body is application/x-www-form-urlencoded, checked by the handler itself.
   */
  readonly body?: "json" | "form";
  /** Routes that need API Access Management (the custom authorization servers). */
  readonly needsApiAccessManagement?: boolean;
  /** Served only when the org is OIE. */
  readonly oieOnly?: boolean;
  readonly methods: Partial<Record<Method, Handler>>;
}

const fail = (e: OktaErrorReply): Reply => e;
const ok = (body: unknown, status = 200): Reply => ({ status, body });
const noContent: Reply = { status: 204 };

/** Drops the fields Okta computes, so a client echoing a GET response back cannot overwrite them. */
function writable(body: JsonObject, extra: readonly string[] = []): JsonObject {
  const copy = structuredClone(body);
  for (const key of ["id", "status", "created", "lastUpdated", "_links", "_embedded", ...extra]) delete copy[key];
  return copy;
}

function objectBody(ctx: RouteContext): JsonObject | OktaErrorReply {
  return isObject(ctx.body) ? ctx.body : errors.malformedBody();
}

function isError(value: unknown): value is OktaErrorReply {
  return isObject(value) && typeof value.status === "number" && isObject(value.body) && "errorCode" in value.body;
}

function invalid(causes: ValidationCause[]): Reply | undefined {
  return causes.length > 0 ? fail(errors.validationFailed(causes)) : undefined;
}

/**
 * Okta's cursor pagination: `limit` + `after`, and `Link` headers as real Okta sends them — always a
 * `rel="self"` one, plus a `rel="next"` one while more remain, as two separate headers (cassettes
 * TestAccDataSourceOktaApp_label_read, TestAccDataSourceOktaAuthServer_read at v4.20.0).
 */
function paginate<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  ctx: RouteContext,
  path: string,
  limits: { readonly default: number; readonly max: number } = { default: 200, max: 200 },
): { page: T[]; headers: Record<string, string[]> } {
  const limitRaw = ctx.query.get("limit");
  const asked = limitRaw !== null && /^\d+$/.test(limitRaw) && Number(limitRaw) > 0 ? Number(limitRaw) : limits.default;
  const limit = Math.min(asked, limits.max);
  const after = ctx.query.get("after");
  const start = after ? items.findIndex((i) => idOf(i) === after) + 1 : 0;
  const page = items.slice(start, start + limit);
  const self = ctx.query.toString();
  const links = [`<${ctx.org}${path}${self ? `?${self}` : ""}>; rel="self"`];
  if (start + limit < items.length && page.length > 0) {
    const next = new URLSearchParams(ctx.query);
    next.set("after", idOf(page[page.length - 1]));
    next.set("limit", String(limit));
    links.push(`<${ctx.org}${path}?${next.toString()}>; rel="next"`);
  }
  return { page, headers: { Link: links } };
}

// ----------------------------------------------------------------------------------------------------------------
// Org, user, groups

function organization(ctx: RouteContext): Reply {
  return ok({
    id: ctx.store.orgId,
    cell: "op1",
    _links: { organization: { href: ctx.org } },
    // Classic orgs answer pipeline v1; the provider treats anything else (or an error) as OIE, and on OIE it adds
    // the default access-policy calls after creating an app.
    pipeline: ctx.oie ? "idx" : "v1",
    settings: { analyticsCollectionEnabled: false, bugReportingEnabled: true, omEnabled: false },
  });
}

function discovery(issuer: string, endpointBase: string, scopes: readonly string[]): JsonObject {
  return {
    issuer,
    authorization_endpoint: `${endpointBase}/v1/authorize`,
    token_endpoint: `${endpointBase}/v1/token`,
    userinfo_endpoint: `${endpointBase}/v1/userinfo`,
    registration_endpoint: `${endpointBase}/v1/clients`,
    jwks_uri: `${endpointBase}/v1/keys`,
    response_types_supported: ["code", "id_token", "code id_token", "code token", "id_token token", "code id_token token"],
    response_modes_supported: ["query", "fragment", "form_post", "okta_post_message"],
    grant_types_supported: ["authorization_code", "implicit", "refresh_token", "password", "client_credentials"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    scopes_supported: [...scopes],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"],
    claims_supported: ["iss", "ver", "sub", "aud", "iat", "exp", "jti", "auth_time", "amr", "idp", "nonce", "name", "email", "email_verified", "groups"],
    code_challenge_methods_supported: ["S256"],
    introspection_endpoint: `${endpointBase}/v1/introspect`,
    revocation_endpoint: `${endpointBase}/v1/revoke`,
    end_session_endpoint: `${endpointBase}/v1/logout`,
    request_parameter_supported: true,
    request_object_signing_alg_values_supported: ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512"],
  };
}

function orgDiscovery(ctx: RouteContext): Reply {
  const scopes = ["openid", "email", "profile", "address", "phone", "offline_access", "groups"];
  return ok(discovery(ctx.org, `${ctx.org}/oauth2`, scopes));
}

function authServerDiscovery(ctx: RouteContext): Reply {
  const server = ctx.store.findAuthServer(ctx.params.asId);
  if (!server || server.status !== "ACTIVE") return fail(errors.notFound(ctx.params.asId, "AuthorizationServer"));
  const issuer = issuerOf(server, ctx.org);
  // Only scopes published to all clients appear in the public metadata (metadata_publish = ALL_CLIENTS).
  const scopes = [...server.scopes.values()].filter((s) => (s.body.metadataPublish ?? "NO_CLIENTS") === "ALL_CLIENTS").map((s) => String(s.body.name));
  return ok(discovery(issuer, issuer, scopes));
}

function usersMe(ctx: RouteContext): Reply {
  return ok(renderUser(ctx.store.user, ctx.org));
}

const GROUP_TYPE_FILTER = /^type eq "(BUILT_IN|OKTA_GROUP|APP_GROUP)"$/;

function listGroups(ctx: RouteContext): Reply {
  if (ctx.query.has("search")) return fail(errors.invalidSearch(`search=${ctx.query.get("search") ?? ""}`));
  const filter = ctx.query.get("filter");
  const typeMatch = filter === null ? null : GROUP_TYPE_FILTER.exec(filter.trim());
  if (filter !== null && !typeMatch) return fail(errors.invalidSearch(`filter=${filter}`));
  // `q` is a case-insensitive starts-with match on profile.name, as in Okta; the provider's Everyone lookup
  // (`GET /api/v1/groups?q=Everyone`) relies on it and then picks the exact name among the matches.
  const q = (ctx.query.get("q") ?? "").toLowerCase();
  const matches = [...ctx.store.groups.values()].filter((g) => g.name.toLowerCase().startsWith(q) && (!typeMatch || g.type === typeMatch[1]));
  const { page, headers } = paginate(matches, (g) => g.id, ctx, "/api/v1/groups");
  return { status: 200, body: page.map((g) => renderGroup(g, ctx.org)), headers };
}

function getGroup(ctx: RouteContext): Reply {
  const group = ctx.store.groups.get(ctx.params.groupId);
  return group ? ok(renderGroup(group, ctx.org)) : fail(errors.notFound(ctx.params.groupId, "UserGroup"));
}

// ----------------------------------------------------------------------------------------------------------------
// Apps

function findApp(ctx: RouteContext): AppRecord | OktaErrorReply {
  return ctx.store.apps.get(ctx.params.appId) ?? errors.notFound(ctx.params.appId, "AppInstance");
}

/** Removes the client secret from a stored app body (it lives in AppRecord.secret) and returns it. */
function takeSecret(stored: JsonObject): unknown {
  const client = get(stored, "credentials.oauthClient");
  if (!isObject(client)) return undefined;
  const secret = client.client_secret;
  delete client.client_secret;
  return secret;
}

/**
 * `filter` expressions of `GET /api/v1/apps` the emulator evaluates: one `<field> eq "<value>"` on status or name.
 * Okta documents `status`, `user.id`, `group.id`, `credentials.signing.kid` and `name`, with the `eq` operator only
 * (Okta management OpenAPI, listApplications); its older Apps API reference adds "Only a single expression is
 * supported at this time". Anything else (another operator such as `sw`, `and`/`or`, an unsupported field) gets
 * real Okta's 400 E0000031 "Invalid search criteria." with no causes (recorded in okta/terraform-provider-okta#2251
 * for `filter=name sw "Atlassian"`). `group.id`, `user.id` and `credentials.signing.kid` exist in Okta but are not
 * modelled: they are answered the same way and recorded as unexpected, so a test notices.
 */
const APP_FILTER = /^(status|name) eq "([^"]*)"$/;

/**
 * `GET /api/v1/apps`: every app, ACTIVE and INACTIVE, in creation order (the provider's okta_app_oauth data source:
 * "sorted by creation date"; cassette TestAccDataSourceOktaApp_label_read lists `testAcc_…-dev` before `testAcc_…`).
 * `q` is a case-insensitive [inferred] starts-with match on `name` or `label` ("Searches for apps with name or label
 * properties that starts with the q value", Okta OpenAPI; the cassette's `q=testAcc_3662952610` matches both the app
 * of that label and `testAcc_3662952610-dev`). `limit` defaults to 20, at most 200 (Okta Apps API reference:
 * "limit … (maximum 200) … Default 20").
 */
function listApps(ctx: RouteContext): Reply {
  const filter = ctx.query.get("filter");
  const match = filter === null ? null : APP_FILTER.exec(filter.trim());
  if (filter !== null && !match) return fail(errors.invalidAppFilter());
  const q = (ctx.query.get("q") ?? "").toLowerCase();
  const apps = [...ctx.store.apps.values()].filter((a) => {
    const name = String(a.body.name ?? "");
    const label = String(a.body.label ?? "");
    if (q !== "" && !name.toLowerCase().startsWith(q) && !label.toLowerCase().startsWith(q)) return false;
    if (match?.[1] === "status") return a.status === match[2];
    if (match?.[1] === "name") return name === match[2];
    return true;
  });
  const { page, headers } = paginate(apps, (a) => a.id, ctx, "/api/v1/apps", { default: 20, max: 200 });
  return { status: 200, body: page.map((a) => renderApp(a, ctx.org, false, ctx.oie)), headers };
}

function validateApp(body: JsonObject) {
  // A body that names itself an OIDC app is checked as one (so a wrong signOnMode or name is reported); SAML and
  // bookmark apps only come from the seeding helpers.
  const other = body.name !== "oidc_client" && (body.signOnMode === "SAML_2_0" || body.signOnMode === "BOOKMARK");
  return other ? validateOtherApp(body) : validateOidcApp(body);
}

function createApp(ctx: RouteContext): Reply {
  const body = objectBody(ctx);
  if (isError(body)) return fail(body);
  const causes = validateApp(body);
  const requestedClientId = get(body, "credentials.oauthClient.client_id");
  if (typeof requestedClientId === "string" && requestedClientId !== "" && [...ctx.store.apps.values()].some((a) => a.clientId === requestedClientId)) {
    causes.push({ field: "credentials.oauthClient.client_id", message: `'${requestedClientId}' is already in use` });
  }
  const activate = ctx.query.get("activate");
  if (activate !== null && activate !== "true" && activate !== "false") causes.push({ field: "activate", message: "must be true or false" });
  const rejected = invalid(causes);
  if (rejected) return rejected;

  const id = newId("0oa");
  const stored = writable(body);
  const oidc = stored.signOnMode === "OPENID_CONNECT";
  if (!oidc) {
    // A custom SAML app gets a generated name like developer.okta.com's "testorgone_customsaml20app_1" [inferred].
    if (stored.signOnMode === "SAML_2_0") stored.name = `emulated_${String(stored.label).toLowerCase().replace(/[^a-z0-9]/g, "")}_1`;
    else stored.name = "bookmark";
  }
  const sentSecret = takeSecret(stored);
  const authMethod = get(stored, "credentials.oauthClient.token_endpoint_auth_method") ?? "client_secret_basic";
  const created = now();
  // Public clients, private_key_jwt clients and non-OIDC apps get no secret.
  const hasSecret = oidc && authMethod !== "none" && authMethod !== "private_key_jwt";
  const app: AppRecord = {
    id,
    body: stored,
    status: activate === "false" ? "INACTIVE" : "ACTIVE",
    created,
    lastUpdated: created,
    clientId: !oidc ? "" : typeof requestedClientId === "string" && requestedClientId !== "" ? requestedClientId : id,
    signingKid: newId("kid"),
    ...(hasSecret ? { secret: newSecretRecord(typeof sentSecret === "string" && sentSecret !== "" ? sentSecret : newClientSecret()) } : {}),
    // OIE orgs assign the default access policy to every new app.
    ...(ctx.oie && oidc ? { accessPolicyId: ctx.store.defaultAccessPolicy().id } : {}),
  };
  ctx.store.apps.set(id, app);
  return ok(renderApp(app, ctx.org, true, ctx.oie));
}

function getApp(ctx: RouteContext): Reply {
  const app = findApp(ctx);
  return isError(app) ? fail(app) : ok(renderApp(app, ctx.org, false, ctx.oie));
}

function updateApp(ctx: RouteContext): Reply {
  const app = findApp(ctx);
  if (isError(app)) return fail(app);
  const body = objectBody(ctx);
  if (isError(body)) return fail(body);
  const causes = validateOidcApp(body);
  if (!isOidcApp(app)) causes.push({ field: "signOnMode", message: "the emulator updates OIDC apps only" });
  const clientId = get(body, "credentials.oauthClient.client_id");
  if (typeof clientId === "string" && clientId !== "" && clientId !== app.clientId) {
    causes.push({ field: "credentials.oauthClient.client_id", message: "The client id of an app cannot be changed" });
  }
  const rejected = invalid(causes);
  if (rejected) return rejected;
  const stored = writable(body);
  const sentSecret = takeSecret(stored);
  // A PUT that sends a different secret replaces the ACTIVE one: a new secret object (new id and timestamps) takes
  // its place in credentials/secrets [inferred: no recording of a secret-changing PUT followed by a secrets read].
  if (typeof sentSecret === "string" && sentSecret !== "" && app.secret !== undefined && sentSecret !== app.secret.value) {
    app.secret = newSecretRecord(sentSecret);
  }
  app.body = stored;
  app.lastUpdated = now();
  // Real Okta returns client_secret on every update (the provider writes it to state).
  return ok(renderApp(app, ctx.org, true, ctx.oie));
}

/**
 * `GET /api/v1/apps/{appId}/credentials/secrets`: the app's client secrets, in full (see renderSecret). No Link
 * header (none recorded: an app has at most two secrets). An app without a secret answers `[]` [inferred].
 */
function listSecrets(ctx: RouteContext): Reply {
  const app = findApp(ctx);
  if (isError(app)) return fail(app);
  return ok(app.secret ? [renderSecret(app, app.secret, ctx.org)] : []);
}

/** `GET /api/v1/apps/{appId}/credentials/secrets/{secretId}`; 404 E0000007 for another id [inferred type name]. */
function getSecret(ctx: RouteContext): Reply {
  const app = findApp(ctx);
  if (isError(app)) return fail(app);
  if (!app.secret || app.secret.id !== ctx.params.secretId) return fail(errors.notFound(ctx.params.secretId, "OAuth2ClientSecret"));
  return ok(renderSecret(app, app.secret, ctx.org));
}

function deleteApp(ctx: RouteContext): Reply {
  const app = findApp(ctx);
  if (isError(app)) return fail(app);
  if (app.status === "ACTIVE") return fail(errors.deleteActiveApp());
  ctx.store.apps.delete(app.id);
  ctx.store.assignments.delete(app.id);
  ctx.store.groupsClaims.delete(app.id);
  return noContent;
}

function appLifecycle(status: LifecycleStatus): Handler {
  return (ctx) => {
    const app = findApp(ctx);
    if (isError(app)) return fail(app);
    if (app.status !== status) {
      app.status = status;
      app.lastUpdated = now();
    }
    return ok({});
  };
}

function assignmentTarget(ctx: RouteContext): { app: AppRecord; groups: Map<string, AssignmentRecord> } | OktaErrorReply {
  const app = findApp(ctx);
  if (isError(app)) return app;
  let groups = ctx.store.assignments.get(app.id);
  if (!groups) {
    groups = new Map();
    ctx.store.assignments.set(app.id, groups);
  }
  return { app, groups };
}

function listAssignments(ctx: RouteContext): Reply {
  const target = assignmentTarget(ctx);
  if (isError(target)) return fail(target);
  const all = [...target.groups.values()];
  const { page, headers } = paginate(all, (a) => a.groupId, ctx, `/api/v1/apps/${target.app.id}/groups`);
  return { status: 200, body: page.map((a) => renderAssignment(target.app.id, a, ctx.org)), headers };
}

function getAssignment(ctx: RouteContext): Reply {
  const target = assignmentTarget(ctx);
  if (isError(target)) return fail(target);
  const a = target.groups.get(ctx.params.groupId);
  return a ? ok(renderAssignment(target.app.id, a, ctx.org)) : fail(errors.notFound(ctx.params.groupId, "ApplicationGroupAssignment"));
}

function putAssignment(ctx: RouteContext): Reply {
  const target = assignmentTarget(ctx);
  if (isError(target)) return fail(target);
  if (!ctx.store.groups.has(ctx.params.groupId)) return fail(errors.notFound(ctx.params.groupId, "UserGroup"));
  const body = ctx.body === undefined ? {} : objectBody(ctx);
  if (isError(body)) return fail(body);
  const rejected = invalid(validateAssignment(body, ctx.params.groupId));
  if (rejected) return rejected;
  const existing = target.groups.get(ctx.params.groupId);
  const priority = typeof body.priority === "number" ? body.priority : (existing?.priority ?? 0);
  const profile = isObject(body.profile) ? structuredClone(body.profile) : (existing?.profile ?? {});
  const record = { groupId: ctx.params.groupId, priority, profile, lastUpdated: now() };
  target.groups.set(ctx.params.groupId, record);
  return ok(renderAssignment(target.app.id, record, ctx.org));
}

function deleteAssignment(ctx: RouteContext): Reply {
  const target = assignmentTarget(ctx);
  if (isError(target)) return fail(target);
  if (!target.groups.delete(ctx.params.groupId)) return fail(errors.notFound(ctx.params.groupId, "ApplicationGroupAssignment"));
  return noContent;
}

function getGroupsClaim(ctx: RouteContext): Reply {
  const app = findApp(ctx);
  if (isError(app)) return fail(app);
  return ok(renderGroupsClaim(app, ctx.store.groupsClaims.get(app.id), ctx.org));
}

function postGroupsClaim(ctx: RouteContext): Reply {
  const app = findApp(ctx);
  if (isError(app)) return fail(app);
  const body = objectBody(ctx);
  if (isError(body)) return fail(body);
  const rejected = invalid(validateGroupsClaim(body));
  if (rejected) return rejected;
  if (isClearingGroupsClaim(body)) ctx.store.groupsClaims.delete(app.id);
  else ctx.store.groupsClaims.set(app.id, structuredClone(body));
  // The POST answer has null issuer/audience (cassette TestAccResourceOktaAppOauth_groups_claim #1).
  const claim = ctx.store.groupsClaims.get(app.id);
  return ok({ issuer: null, orgUrl: null, customUrl: null, audience: null, issuerMode: body.issuerMode ?? "ORG_URL", ...(claim ?? {}) });
}

// OIE only: the app's access (authentication) policy.
function listPolicies(ctx: RouteContext): Reply {
  const type = ctx.query.get("type");
  if (!type) return fail(errors.validationFailed([{ field: "type", message: "The field cannot be left blank" }]));
  const policies = type === "ACCESS_POLICY" ? ctx.store.accessPolicies : [];
  return ok(policies.map((p) => renderAccessPolicy(p, ctx.org)));
}

function putAppPolicy(ctx: RouteContext): Reply {
  const app = findApp(ctx);
  if (isError(app)) return fail(app);
  const policy = ctx.store.accessPolicies.find((p) => p.id === ctx.params.policyId);
  if (!policy) return fail(errors.notFound(ctx.params.policyId, "Policy"));
  app.accessPolicyId = policy.id;
  return noContent;
}

// ----------------------------------------------------------------------------------------------------------------
// Authorization servers (need API Access Management)

/** By id, or `default` for the org's default server (Okta: "You can use name or the authorizationServerId"). */
function findServer(ctx: RouteContext): AuthServerRecord | OktaErrorReply {
  return ctx.store.findAuthServer(ctx.params.asId) ?? errors.notFound(ctx.params.asId, "AuthorizationServer");
}

function findPolicy(ctx: RouteContext, server: AuthServerRecord): PolicyRecord | OktaErrorReply {
  return server.policies.find((p) => p.id === ctx.params.policyId) ?? errors.notFound(ctx.params.policyId, "Policy");
}

/**
 * `GET /api/v1/authorizationServers`, the built-in default server included (`default: true`). `q` searches "the name
 * and audiences" (Okta OpenAPI, listAuthorizationServers): a case-insensitive starts-with match [inferred; the
 * provider's okta_auth_server data source sends `q=<name>&limit=200`, cassette TestAccDataSourceOktaAuthServer_read].
 */
function listAuthServers(ctx: RouteContext): Reply {
  const q = (ctx.query.get("q") ?? "").toLowerCase();
  const servers = [...ctx.store.authServers.values()].filter((s) => {
    if (q === "") return true;
    const audiences = Array.isArray(s.body.audiences) ? s.body.audiences.map(String) : [];
    return [String(s.body.name ?? ""), ...audiences].some((v) => v.toLowerCase().startsWith(q));
  });
  const { page, headers } = paginate(servers, (s) => s.id, ctx, "/api/v1/authorizationServers");
  return { status: 200, body: page.map((s) => renderAuthServer(s, ctx.org)), headers };
}

function createAuthServer(ctx: RouteContext): Reply {
  const body = objectBody(ctx);
  if (isError(body)) return fail(body);
  const rejected = invalid(validateAuthServer(body));
  if (rejected) return rejected;
  // The provider never sends status; Okta creates the server ACTIVE, and the provider reads status back, so an
  // emulator that left it empty would show a permanent diff.
  const stored = writable(body, ["issuer", "default"]);
  // Okta ignores the signing key's rotationMode on create: a server POSTed with MANUAL reads back AUTO, with a
  // nextRotation; only a later PUT makes it MANUAL (cassette TestAccResourceOktaAuthServer_gh299, interactions 1
  // and 4; hence the provider's extra update after create for MANUAL).
  const signing = get(stored, "credentials.signing");
  if (isObject(signing)) delete signing.rotationMode;
  const server = ctx.store.newAuthServer(stored);
  return ok(renderAuthServer(server, ctx.org), 201);
}

function getAuthServer(ctx: RouteContext): Reply {
  const server = findServer(ctx);
  return isError(server) ? fail(server) : ok(renderAuthServer(server, ctx.org));
}

function updateAuthServer(ctx: RouteContext): Reply {
  const server = findServer(ctx);
  if (isError(server)) return fail(server);
  const body = objectBody(ctx);
  if (isError(body)) return fail(body);
  const rejected = invalid(validateAuthServer(body));
  if (rejected) return rejected;
  server.body = writable(body, ["issuer", "default"]);
  server.lastUpdated = now();
  return ok(renderAuthServer(server, ctx.org));
}

function deleteAuthServer(ctx: RouteContext): Reply {
  const server = findServer(ctx);
  if (isError(server)) return fail(server);
  if (server.builtIn) return fail(errors.deleteDefaultAuthServer());
  if (server.status === "ACTIVE") return fail(errors.deleteActiveAuthServer());
  ctx.store.authServers.delete(server.id);
  return noContent;
}

function authServerLifecycle(status: LifecycleStatus): Handler {
  return (ctx) => {
    const server = findServer(ctx);
    if (isError(server)) return fail(server);
    server.status = status;
    server.lastUpdated = now();
    return noContent;
  };
}

function listScopes(ctx: RouteContext): Reply {
  const server = findServer(ctx);
  if (isError(server)) return fail(server);
  return ok([...server.scopes.values()].map((s) => renderScope(server, s, ctx.org)));
}

function otherScopeNames(server: AuthServerRecord, exceptId?: string): string[] {
  return [...server.scopes.values()].filter((s) => s.id !== exceptId).map((s) => String(s.body.name));
}

function createScope(ctx: RouteContext): Reply {
  const server = findServer(ctx);
  if (isError(server)) return fail(server);
  const body = objectBody(ctx);
  if (isError(body)) return fail(body);
  const rejected = invalid(validateScope(body, otherScopeNames(server)));
  if (rejected) return rejected;
  const scope = { id: newId("scp"), body: writable(body, ["system"]), system: false };
  server.scopes.set(scope.id, scope);
  return ok(renderScope(server, scope, ctx.org), 201);
}

function getScope(ctx: RouteContext): Reply {
  const server = findServer(ctx);
  if (isError(server)) return fail(server);
  const scope = server.scopes.get(ctx.params.scopeId);
  return scope ? ok(renderScope(server, scope, ctx.org)) : fail(errors.notFound(ctx.params.scopeId, "OAuth2Scope"));
}

function updateScope(ctx: RouteContext): Reply {
  const server = findServer(ctx);
  if (isError(server)) return fail(server);
  const scope = server.scopes.get(ctx.params.scopeId);
  if (!scope) return fail(errors.notFound(ctx.params.scopeId, "OAuth2Scope"));
  const body = objectBody(ctx);
  if (isError(body)) return fail(body);
  const rejected = invalid(validateScope(body, otherScopeNames(server, scope.id)));
  if (rejected) return rejected;
  if (scope.system && body.name !== scope.body.name) return fail(errors.forbidden("name: A system scope cannot be renamed"));
  scope.body = writable(body, ["system"]);
  return ok(renderScope(server, scope, ctx.org));
}

function deleteScope(ctx: RouteContext): Reply {
  const server = findServer(ctx);
  if (isError(server)) return fail(server);
  const scope = server.scopes.get(ctx.params.scopeId);
  if (!scope) return fail(errors.notFound(ctx.params.scopeId, "OAuth2Scope"));
  if (scope.system) return fail(errors.forbidden(`${String(scope.body.name)}: A system scope cannot be deleted`));
  server.scopes.delete(scope.id);
  return noContent;
}

function listAuthServerPolicies(ctx: RouteContext): Reply {
  const server = findServer(ctx);
  if (isError(server)) return fail(server);
  return ok(server.policies.map((p) => renderPolicy(server, p, ctx.org)));
}

function createAuthServerPolicy(ctx: RouteContext): Reply {
  const server = findServer(ctx);
  if (isError(server)) return fail(server);
  const body = objectBody(ctx);
  if (isError(body)) return fail(body);
  const rejected = invalid(validatePolicy(body, ctx.store.knownClients()));
  if (rejected) return rejected;
  const created = now();
  const policy: PolicyRecord = {
    id: newId("00p"),
    body: writable(body, ["system"]),
    status: body.status === "INACTIVE" ? "INACTIVE" : "ACTIVE",
    created,
    lastUpdated: created,
    rules: [],
  };
  placeByPriority(server.policies, policy, body.priority);
  return ok(renderPolicy(server, policy, ctx.org), 201);
}

function getAuthServerPolicy(ctx: RouteContext): Reply {
  const server = findServer(ctx);
  if (isError(server)) return fail(server);
  const policy = findPolicy(ctx, server);
  return isError(policy) ? fail(policy) : ok(renderPolicy(server, policy, ctx.org));
}

function updateAuthServerPolicy(ctx: RouteContext): Reply {
  const server = findServer(ctx);
  if (isError(server)) return fail(server);
  const policy = findPolicy(ctx, server);
  if (isError(policy)) return fail(policy);
  const body = objectBody(ctx);
  if (isError(body)) return fail(body);
  const rejected = invalid(validatePolicy(body, ctx.store.knownClients()));
  if (rejected) return rejected;
  // Status changes go through the lifecycle routes; a PUT keeps the current one.
  policy.body = writable(body, ["system"]);
  policy.lastUpdated = now();
  if (body.priority !== undefined) placeByPriority(server.policies, policy, body.priority);
  return ok(renderPolicy(server, policy, ctx.org));
}

function deleteAuthServerPolicy(ctx: RouteContext): Reply {
  const server = findServer(ctx);
  if (isError(server)) return fail(server);
  const policy = findPolicy(ctx, server);
  if (isError(policy)) return fail(policy);
  server.policies.splice(server.policies.indexOf(policy), 1);
  return noContent;
}

function policyLifecycle(status: LifecycleStatus): Handler {
  return (ctx) => {
    const server = findServer(ctx);
    if (isError(server)) return fail(server);
    const policy = findPolicy(ctx, server);
    if (isError(policy)) return fail(policy);
    policy.status = status;
    policy.lastUpdated = now();
    return noContent;
  };
}

function ruleTarget(ctx: RouteContext): { server: AuthServerRecord; policy: PolicyRecord } | OktaErrorReply {
  const server = findServer(ctx);
  if (isError(server)) return server;
  const policy = findPolicy(ctx, server);
  if (isError(policy)) return policy;
  return { server, policy };
}

function validateRuleBody(ctx: RouteContext, body: JsonObject): Reply | undefined {
  const groups = [...ctx.store.groups.keys()];
  return invalid(validateRule(body, groups, [ctx.store.user.id]));
}

function listRules(ctx: RouteContext): Reply {
  const t = ruleTarget(ctx);
  if (isError(t)) return fail(t);
  return ok(t.policy.rules.map((r) => renderRule(t.server, t.policy, r, ctx.org)));
}

function createRule(ctx: RouteContext): Reply {
  const t = ruleTarget(ctx);
  if (isError(t)) return fail(t);
  const body = objectBody(ctx);
  if (isError(body)) return fail(body);
  const rejected = validateRuleBody(ctx, body);
  if (rejected) return rejected;
  const created = now();
  const rule = { id: newId("0pr"), body: writable(body, ["system"]), status: (body.status === "INACTIVE" ? "INACTIVE" : "ACTIVE") as LifecycleStatus, created, lastUpdated: created };
  placeByPriority(t.policy.rules, rule, body.priority);
  return ok(renderRule(t.server, t.policy, rule, ctx.org, "create"), 201);
}

function findRule(ctx: RouteContext, policy: PolicyRecord) {
  return policy.rules.find((r) => r.id === ctx.params.ruleId) ?? errors.notFound(ctx.params.ruleId, "PolicyRule");
}

function getRule(ctx: RouteContext): Reply {
  const t = ruleTarget(ctx);
  if (isError(t)) return fail(t);
  const rule = findRule(ctx, t.policy);
  return isError(rule) ? fail(rule) : ok(renderRule(t.server, t.policy, rule, ctx.org));
}

function updateRule(ctx: RouteContext): Reply {
  const t = ruleTarget(ctx);
  if (isError(t)) return fail(t);
  const rule = findRule(ctx, t.policy);
  if (isError(rule)) return fail(rule);
  const body = objectBody(ctx);
  if (isError(body)) return fail(body);
  const rejected = validateRuleBody(ctx, body);
  if (rejected) return rejected;
  rule.body = writable(body, ["system"]);
  rule.lastUpdated = now();
  if (body.priority !== undefined) placeByPriority(t.policy.rules, rule, body.priority);
  return ok(renderRule(t.server, t.policy, rule, ctx.org, "update"));
}

function deleteRule(ctx: RouteContext): Reply {
  const t = ruleTarget(ctx);
  if (isError(t)) return fail(t);
  const rule = findRule(ctx, t.policy);
  if (isError(rule)) return fail(rule);
  t.policy.rules.splice(t.policy.rules.indexOf(rule), 1);
  return noContent;
}

function ruleLifecycle(status: LifecycleStatus): Handler {
  return (ctx) => {
    const t = ruleTarget(ctx);
    if (isError(t)) return fail(t);
    const rule = findRule(ctx, t.policy);
    if (isError(rule)) return fail(rule);
    rule.status = status;
    rule.lastUpdated = now();
    return noContent;
  };
}

function claimKeys(server: AuthServerRecord, exceptId?: string): string[] {
  return [...server.claims.values()].filter((c) => c.id !== exceptId).map((c) => `${String(c.body.claimType)}/${String(c.body.name)}`);
}

function listClaims(ctx: RouteContext): Reply {
  const server = findServer(ctx);
  if (isError(server)) return fail(server);
  return ok([...server.claims.values()].map((c) => renderClaim(server, c, ctx.org)));
}

function createClaim(ctx: RouteContext): Reply {
  const server = findServer(ctx);
  if (isError(server)) return fail(server);
  const body = objectBody(ctx);
  if (isError(body)) return fail(body);
  const rejected = invalid(validateClaim(body, claimKeys(server)));
  if (rejected) return rejected;
  // A claim has no lifecycle routes: its status travels in the body.
  const claim = { id: newId("ocl"), body: writable(body, ["system"]) };
  if (typeof body.status === "string") claim.body.status = body.status;
  server.claims.set(claim.id, claim);
  return ok(renderClaim(server, claim, ctx.org), 201);
}

function getClaim(ctx: RouteContext): Reply {
  const server = findServer(ctx);
  if (isError(server)) return fail(server);
  const claim = server.claims.get(ctx.params.claimId);
  return claim ? ok(renderClaim(server, claim, ctx.org)) : fail(errors.notFound(ctx.params.claimId, "OAuth2Claim"));
}

function updateClaim(ctx: RouteContext): Reply {
  const server = findServer(ctx);
  if (isError(server)) return fail(server);
  const claim = server.claims.get(ctx.params.claimId);
  if (!claim) return fail(errors.notFound(ctx.params.claimId, "OAuth2Claim"));
  const body = objectBody(ctx);
  if (isError(body)) return fail(body);
  const rejected = invalid(validateClaim(body, claimKeys(server, claim.id)));
  if (rejected) return rejected;
  claim.body = writable(body, ["system"]);
  if (typeof body.status === "string") claim.body.status = body.status;
  return ok(renderClaim(server, claim, ctx.org));
}

function deleteClaim(ctx: RouteContext): Reply {
  const server = findServer(ctx);
  if (isError(server)) return fail(server);
  const claim = server.claims.get(ctx.params.claimId);
  if (!claim) return fail(errors.notFound(ctx.params.claimId, "OAuth2Claim"));
  // Like system scopes [inferred: no recording of a system claim's DELETE].
  if (claim.system) return fail(errors.forbidden(`${String(claim.body.name)}: A system claim cannot be deleted`));
  server.claims.delete(claim.id);
  return noContent;
}

// ----------------------------------------------------------------------------------------------------------------

const AS = "/api/v1/authorizationServers";
const POLICY = `${AS}/:asId/policies/:policyId`;
const RULE = `${POLICY}/rules/:ruleId`;

/**
 * Every route the emulator serves: the Management API calls the okta provider makes for this project's resources
 * (users/me, org discovery, groups, apps and their groups claim and group assignments, authorization servers with
 * scopes, policies, rules and claims), plus list routes (apps with q/filter, authorization servers with q), an
 * app's client secrets (read-only), the discovery documents, and the org authorization server's token endpoint
 * (client authentication only: it never issues a token; see token.ts).
 */
export const ROUTES: readonly Route[] = [
  { path: "/oauth2/v1/token", auth: "public", body: "form", methods: { POST: tokenEndpoint } },
  { path: "/.well-known/okta-organization", auth: "public", methods: { GET: organization } },
  { path: "/.well-known/openid-configuration", auth: "public", methods: { GET: orgDiscovery } },
  { path: "/oauth2/:asId/.well-known/openid-configuration", auth: "public", methods: { GET: authServerDiscovery } },
  { path: "/oauth2/:asId/.well-known/oauth-authorization-server", auth: "public", methods: { GET: authServerDiscovery } },
  { path: "/api/v1/users/me", auth: "api", methods: { GET: usersMe } },
  { path: "/api/v1/groups", auth: "api", methods: { GET: listGroups } },
  { path: "/api/v1/groups/:groupId", auth: "api", methods: { GET: getGroup } },
  { path: "/api/v1/apps", auth: "api", methods: { GET: listApps, POST: createApp } },
  { path: "/api/v1/apps/:appId", auth: "api", methods: { GET: getApp, PUT: updateApp, DELETE: deleteApp } },
  { path: "/api/v1/apps/:appId/lifecycle/activate", auth: "api", methods: { POST: appLifecycle("ACTIVE") } },
  { path: "/api/v1/apps/:appId/lifecycle/deactivate", auth: "api", methods: { POST: appLifecycle("INACTIVE") } },
  { path: "/api/v1/apps/:appId/credentials/secrets", auth: "api", methods: { GET: listSecrets } },
  { path: "/api/v1/apps/:appId/credentials/secrets/:secretId", auth: "api", methods: { GET: getSecret } },
  { path: "/api/v1/apps/:appId/groups", auth: "api", methods: { GET: listAssignments } },
  { path: "/api/v1/apps/:appId/groups/:groupId", auth: "api", methods: { GET: getAssignment, PUT: putAssignment, DELETE: deleteAssignment } },
  { path: "/api/v1/apps/:appId/policies/:policyId", auth: "api", oieOnly: true, methods: { PUT: putAppPolicy } },
  { path: "/api/v1/policies", auth: "api", oieOnly: true, methods: { GET: listPolicies } },
  { path: "/api/v1/internal/apps/:appId/settings/oauth/idToken", auth: "api", methods: { GET: getGroupsClaim, POST: postGroupsClaim } },
  { path: AS, auth: "api", needsApiAccessManagement: true, methods: { GET: listAuthServers, POST: createAuthServer } },
  { path: `${AS}/:asId`, auth: "api", needsApiAccessManagement: true, methods: { GET: getAuthServer, PUT: updateAuthServer, DELETE: deleteAuthServer } },
  { path: `${AS}/:asId/lifecycle/activate`, auth: "api", needsApiAccessManagement: true, methods: { POST: authServerLifecycle("ACTIVE") } },
  { path: `${AS}/:asId/lifecycle/deactivate`, auth: "api", needsApiAccessManagement: true, methods: { POST: authServerLifecycle("INACTIVE") } },
  { path: `${AS}/:asId/scopes`, auth: "api", needsApiAccessManagement: true, methods: { GET: listScopes, POST: createScope } },
  { path: `${AS}/:asId/scopes/:scopeId`, auth: "api", needsApiAccessManagement: true, methods: { GET: getScope, PUT: updateScope, DELETE: deleteScope } },
  { path: `${AS}/:asId/policies`, auth: "api", needsApiAccessManagement: true, methods: { GET: listAuthServerPolicies, POST: createAuthServerPolicy } },
  { path: POLICY, auth: "api", needsApiAccessManagement: true, methods: { GET: getAuthServerPolicy, PUT: updateAuthServerPolicy, DELETE: deleteAuthServerPolicy } },
  { path: `${POLICY}/lifecycle/activate`, auth: "api", needsApiAccessManagement: true, methods: { POST: policyLifecycle("ACTIVE") } },
  { path: `${POLICY}/lifecycle/deactivate`, auth: "api", needsApiAccessManagement: true, methods: { POST: policyLifecycle("INACTIVE") } },
  { path: `${POLICY}/rules`, auth: "api", needsApiAccessManagement: true, methods: { GET: listRules, POST: createRule } },
  { path: RULE, auth: "api", needsApiAccessManagement: true, methods: { GET: getRule, PUT: updateRule, DELETE: deleteRule } },
  { path: `${RULE}/lifecycle/activate`, auth: "api", needsApiAccessManagement: true, methods: { POST: ruleLifecycle("ACTIVE") } },
  { path: `${RULE}/lifecycle/deactivate`, auth: "api", needsApiAccessManagement: true, methods: { POST: ruleLifecycle("INACTIVE") } },
  { path: `${AS}/:asId/claims`, auth: "api", needsApiAccessManagement: true, methods: { GET: listClaims, POST: createClaim } },
  { path: `${AS}/:asId/claims/:claimId`, auth: "api", needsApiAccessManagement: true, methods: { GET: getClaim, PUT: updateClaim, DELETE: deleteClaim } },
];

/** Finds the route for `pathname`; literal segments must match exactly, `:name` segments match any non-empty segment. */
export function matchRoute(routes: readonly Route[], pathname: string): { route: Route; params: Record<string, string> } | undefined {
  const parts = pathname.split("/");
  for (const route of routes) {
    const template = route.path.split("/");
    if (template.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let matched = true;
    for (let i = 0; i < template.length && matched; i++) {
      if (template[i].startsWith(":")) {
        const value = safeDecode(parts[i]);
        if (value === undefined || value === "") matched = false;
        else params[template[i].slice(1)] = value;
      } else if (template[i] !== parts[i]) {
        matched = false;
      }
    }
    if (matched) return { route, params };
  }
  return undefined;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

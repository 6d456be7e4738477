import type { OktaEmulator } from "./server";

/**
 * Seeds the Okta emulator with a setup an admin made by hand in the Okta Admin Console, following Qlik's article
 * "How to configure Qlik Cloud with Okta" — the input of `qlik-okta adopt`.
 *
 * Everything goes through the emulator's own Management API (so its validation applies, and every request lands in
 * `emulator.requests`), with the public-API equivalent of what the console's wizards do: the console itself talks
 * to internal admin endpoints that the emulator does not model, but it creates the same objects.
 *
 * Values: where the article says nothing, or where an admin who follows it would still leave the console's default,
 * the seed uses the console's default — which is what makes a hand-made setup differ from the project's stack (and
 * what `adopt` must show as in-place updates). `preset: "article"` instead applies every value the article asks for.
 * Each default below names its source; [inferred] marks the ones no recording or document confirms (mostly the
 * console's form defaults, which no API recording shows).
 */

/** Where the seeded app's values come from when not given explicitly. */
export type SeedPreset = "console-defaults" | "article";

/**
 * The kind of app the admin made. `web` is the article's "OIDC – Web Application"; `browser` (SPA) and `native`
 * are the wizard's other OIDC types; `saml` and `bookmark` are not OIDC apps at all (for adopt's refusals).
 */
export type SeedAppKind = "web" | "browser" | "native" | "saml" | "bookmark";

export interface SeedGroupsClaim {
  /** @default "groups" (article step 2) */
  readonly name?: string;
  /** @default "REGEX" ("Matches regex", article step 2) */
  readonly filterType?: "STARTS_WITH" | "EQUALS" | "CONTAINS" | "REGEX";
  /** @default ".*" (article step 2) */
  readonly value?: string;
}

export interface SeedAppOptions {
  /** The Qlik tenant's real hostname, e.g. `acme.eu.qlikcloud.com`. */
  readonly tenantHostname: string;
  /** @default "Qlik Cloud" (the article's suggested app integration name; DESIGN.md §3 default label) */
  readonly label?: string;
  /** @default "web" */
  readonly kind?: SeedAppKind;
  /** @default "console-defaults" */
  readonly preset?: SeedPreset;
  /**
   * Sign-in redirect URIs (for `saml` the first is the ACS URL, for `bookmark` the URL). Give a tenant alias's
   * callback here to seed the "redirect URI on an alias" case.
   * @default [`https://<tenantHostname>/login/callback`] (article step 1)
   */
  readonly redirectUris?: readonly string[];
  /**
   * Sign-out redirect URIs. The wizard pre-fills `http://localhost:8080`, which an admin following the article
   * deletes or replaces [inferred].
   * @default [] (none)
   */
  readonly postLogoutRedirectUris?: readonly string[];
  /** @default ["authorization_code"] — the wizard's only pre-ticked grant for web, SPA and native apps [inferred] */
  readonly grantTypes?: readonly string[];
  /** @default ["code"] — what Okta derives from authorization_code (reference/okta.md §A.1) */
  readonly responseTypes?: readonly string[];
  /**
   * Web: "client_secret_basic" (the wizard's "Client secret" client authentication; reference/okta.md §A.1 "what the
   * Okta UI uses for Web apps"); browser/native: "none" (public clients, Authorization Code with PKCE) [inferred].
   */
  readonly tokenEndpointAuthMethod?: "client_secret_basic" | "client_secret_post" | "client_secret_jwt" | "private_key_jwt" | "none";
  /** @default false for web, true for browser/native (the wizard's "Require PKCE" box) [inferred] */
  readonly pkceRequired?: boolean;
  /**
   * @default "TRUSTED" — the wizard leaves "Require consent" unticked [inferred]. Classic orgs never return it;
   * OIE orgs do (cassettes, see state.ts renderApp).
   */
  readonly consentMethod?: "TRUSTED" | "REQUIRED";
  /**
   * The ID token's issuer. @default "ORG_URL" ("Okta URL"): what the article asks for (step 2) and, for an org
   * without a custom domain, the console's only choice [inferred].
   */
  readonly issuerMode?: "ORG_URL" | "CUSTOM_URL" | "DYNAMIC";
  /** A client secret the admin pasted instead of the generated one. @default - Okta generates one */
  readonly clientSecret?: string;
  /** @default "ACTIVE" (the wizard activates the app it saves) */
  readonly status?: "ACTIVE" | "INACTIVE";
  /**
   * Groups the app is assigned to, by name; "Everyone" is the built-in group. The wizard's "Controlled access" radio:
   * "Allow everyone in your organization to access" = ["Everyone"], "Limit access to selected groups" = names,
   * "Skip group assignment for now" = []. Each group must exist in the emulator (its `groups` option).
   * @default ["Everyone"] (what the article tells the admin to pick)
   */
  readonly assignments?: readonly string[];
  /**
   * The ID token's groups claim (Sign On tab → OpenID Connect ID Token). The console shows no groups claim until the
   * admin sets one (article step 2), so `console-defaults` has none.
   * @default false with `console-defaults`; the article's FILTER `groups` matches regex `.*` with `article`
   */
  readonly groupsClaim?: boolean | SeedGroupsClaim;
}

export interface SeedScope {
  /** @default "qlik.api" (DESIGN.md §3 default scope) */
  readonly name?: string;
  /** The console's "Display phrase". @default "Qlik API" (DESIGN.md §3) */
  readonly displayName?: string;
  /** @default "Access to Qlik Cloud" (DESIGN.md §3) */
  readonly description?: string;
  /** @default "IMPLICIT": the Add Scope dialog's pre-selected "User consent: Implicit" [inferred]; the article wants IMPLICIT too */
  readonly consent?: "IMPLICIT" | "REQUIRED";
  /**
   * "Set as a default scope". @default false — unticked in the Add Scope dialog [inferred]; the article wants true
   * (`preset: "article"`)
   */
  readonly default?: boolean;
  /**
   * "Include in public metadata". @default "ALL_CLIENTS" — ticked in the Add Scope dialog [inferred]; the article
   * wants NO_CLIENTS (`preset: "article"`)
   */
  readonly metadataPublish?: "ALL_CLIENTS" | "NO_CLIENTS";
}

export interface SeedPolicy {
  /** @default "Qlik API" (the admin's text; the article names none) [inferred] */
  readonly name?: string;
  /** The console requires one. @default "Qlik API" [inferred] */
  readonly description?: string;
  /** "Assign to: All clients" (the Add Policy dialog's default and the article's step 5). @default ["ALL_CLIENTS"] */
  readonly clients?: readonly string[];
  /** @default 1 (a fresh server's first policy) */
  readonly priority?: number;
}

export interface SeedRule {
  /** @default "Client credentials" (the admin's text) [inferred] */
  readonly name?: string;
  /**
   * @default the Add Rule dialog's pre-ticked grant types [inferred]: client_credentials, authorization_code,
   * implicit, password (+ interaction_code on OIE orgs); the article ticks Client Credentials only (`preset: "article"`)
   */
  readonly grantTypes?: readonly string[];
  /** "AND User is: Any user assigned the app" = EVERYONE (reference/okta.md note ②). @default ["EVERYONE"] */
  readonly groups?: readonly string[];
  /** "AND Scopes requested: Any scopes". @default ["*"] (the dialog's default and the article's) */
  readonly scopes?: readonly string[];
  /** @default 60 (the dialog's "Access token lifetime is 1 hour") [inferred] */
  readonly accessTokenLifetimeMinutes?: number;
  /** @default 0 ("Refresh token lifetime is Unlimited") [inferred] */
  readonly refreshTokenLifetimeMinutes?: number;
  /** @default 10080 ("but will expire if not used every 7 days") [inferred] */
  readonly refreshTokenWindowMinutes?: number;
}

export interface SeedAuthServerOptions {
  /** @default "console-defaults" */
  readonly preset?: SeedPreset;
  /** @default "QlikAPI" (article step 3) */
  readonly name?: string;
  /** @default "qlik.api" (article step 3) */
  readonly audience?: string;
  /** @default "Qlik API" (the admin's text; the Add Authorization Server dialog asks for one) [inferred] */
  readonly description?: string;
  /** @default one scope with the SeedScope defaults; [] for none */
  readonly scopes?: readonly SeedScope[];
  /** @default an access policy with the SeedPolicy defaults; false for none (and then no rule) */
  readonly policy?: SeedPolicy | false;
  /** @default a rule with the SeedRule defaults; false for none */
  readonly rule?: SeedRule | false;
}

export interface HandMadeSetup extends SeedAppOptions {
  /**
   * The `QlikAPI` custom authorization server (article steps 3–6), when the admin made one. Its `preset` defaults
   * to the app's.
   * @default - none
   */
  readonly authServer?: SeedAuthServerOptions;
}

export interface SeededAssignment {
  readonly groupName: string;
  readonly groupId: string;
}

export interface SeededApp {
  readonly appId: string;
  readonly label: string;
  /** "" for SAML and bookmark apps. */
  readonly clientId: string;
  /** The ACTIVE client secret; undefined for public clients and non-OIDC apps. */
  readonly clientSecret?: string;
  /** Its id (`ocs…`) in `GET /api/v1/apps/{appId}/credentials/secrets`. */
  readonly secretId?: string;
  readonly redirectUris: readonly string[];
  readonly assignments: readonly SeededAssignment[];
  /** Whether an ID-token groups claim was set. */
  readonly groupsClaim: boolean;
}

export interface SeededAuthServer {
  readonly authServerId: string;
  readonly issuer: string;
  /** Scope name → scope id (the seeded scopes only, not the system ones). */
  readonly scopeIds: Readonly<Record<string, string>>;
  readonly policyId?: string;
  readonly ruleId?: string;
}

export interface SeededSetup extends SeededApp {
  readonly authServer?: SeededAuthServer;
  /** Shortcuts into `authServer`. */
  readonly authServerId?: string;
  readonly scopeIds: Readonly<Record<string, string>>;
  readonly policyId?: string;
  readonly ruleId?: string;
}

type Json = Record<string, unknown>;

/** The article's values for what `preset: "article"` changes (reference/okta.md §A.1, DESIGN.md §2). */
const ARTICLE = {
  groupsClaim: { name: "groups", filterType: "REGEX", value: ".*" },
  scope: { consent: "IMPLICIT", default: true, metadataPublish: "NO_CLIENTS" },
  ruleGrantTypes: ["client_credentials"],
} as const;

export function callbackUri(tenantHostname: string): string {
  return `https://${tenantHostname}/login/callback`;
}

async function api(emulator: OktaEmulator, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    headers: {
      Accept: "application/json",
      Authorization: `SSWS ${emulator.apiToken}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const json: unknown = text === "" ? undefined : JSON.parse(text);
  if (!res.ok) throw new Error(`Okta emulator seed: ${method} ${path} answered HTTP ${res.status}: ${text}`);
  return json;
}

function obj(value: unknown): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`Okta emulator seed: expected a JSON object, got ${JSON.stringify(value)}`);
  return value as Json;
}

function appBody(o: SeedAppOptions, kind: SeedAppKind, redirectUris: readonly string[]): Json {
  if (kind === "saml") {
    const acs = redirectUris[0];
    // A custom SAML 2.0 app in the shape of developer.okta.com's Apps API example ("Custom Saml 2.0 App").
    return {
      label: o.label ?? "Qlik Cloud",
      signOnMode: "SAML_2_0",
      settings: {
        signOn: {
          defaultRelayState: "",
          ssoAcsUrl: acs,
          recipient: acs,
          destination: acs,
          audience: `https://${o.tenantHostname}`,
          idpIssuer: "http://www.okta.com/${org.externalKey}",
          subjectNameIdTemplate: "${user.userName}",
          subjectNameIdFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
          responseSigned: true,
          assertionSigned: true,
          signatureAlgorithm: "RSA_SHA256",
          digestAlgorithm: "SHA256",
          honorForceAuthn: true,
          authnContextClassRef: "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
          attributeStatements: [],
        },
      },
    };
  }
  if (kind === "bookmark") {
    return { name: "bookmark", label: o.label ?? "Qlik Cloud", signOnMode: "BOOKMARK", settings: { app: { requestIntegration: false, url: redirectUris[0] } } };
  }
  const publicClient = kind !== "web";
  const authMethod = o.tokenEndpointAuthMethod ?? (publicClient ? "none" : "client_secret_basic");
  return {
    name: "oidc_client",
    label: o.label ?? "Qlik Cloud",
    signOnMode: "OPENID_CONNECT",
    credentials: {
      userNameTemplate: { template: "${source.login}", type: "BUILT_IN" },
      oauthClient: {
        autoKeyRotation: true,
        token_endpoint_auth_method: authMethod,
        pkce_required: o.pkceRequired ?? publicClient,
        ...(o.clientSecret !== undefined ? { client_secret: o.clientSecret } : {}),
      },
    },
    settings: {
      app: {},
      oauthClient: {
        application_type: kind,
        grant_types: [...(o.grantTypes ?? ["authorization_code"])],
        response_types: [...(o.responseTypes ?? ["code"])],
        redirect_uris: [...redirectUris],
        ...((o.postLogoutRedirectUris ?? []).length > 0 ? { post_logout_redirect_uris: [...(o.postLogoutRedirectUris ?? [])] } : {}),
        consent_method: o.consentMethod ?? "TRUSTED",
        issuer_mode: o.issuerMode ?? "ORG_URL",
        wildcard_redirect: "DISABLED",
        idp_initiated_login: { mode: "DISABLED", default_scope: [] },
      },
    },
    // The wizard's "Do not display application icon to users" boxes are unticked [inferred].
    visibility: { autoSubmitToolbar: false, hide: { iOS: false, web: false } },
  };
}

async function findGroupId(emulator: OktaEmulator, name: string): Promise<string> {
  // The console's group picker searches by name; the same starts-with search the provider's Everyone lookup uses.
  const found = (await api(emulator, "GET", `/api/v1/groups?q=${encodeURIComponent(name)}`)) as Json[];
  const exact = found.find((g) => obj(g.profile).name === name);
  if (!exact) throw new Error(`Okta emulator seed: no group named "${name}" (add it with the emulator's groups option)`);
  return String(exact.id);
}

/** Creates one app as the console's "Create App Integration" wizard does, with its assignments and groups claim. */
export async function seedOktaApp(emulator: OktaEmulator, options: SeedAppOptions): Promise<SeededApp> {
  const kind = options.kind ?? "web";
  const preset = options.preset ?? "console-defaults";
  const redirectUris = options.redirectUris ?? [callbackUri(options.tenantHostname)];
  const activate = (options.status ?? "ACTIVE") === "ACTIVE";
  const created = obj(await api(emulator, "POST", `/api/v1/apps?activate=${activate}`, appBody(options, kind, redirectUris)));
  const appId = String(created.id);
  const oauthClient = kind === "saml" || kind === "bookmark" ? undefined : obj(obj(created.credentials).oauthClient);

  const assignments: SeededAssignment[] = [];
  for (const groupName of options.assignments ?? ["Everyone"]) {
    const groupId = await findGroupId(emulator, groupName);
    await api(emulator, "PUT", `/api/v1/apps/${appId}/groups/${groupId}`, {});
    assignments.push({ groupName, groupId });
  }

  const claim = options.groupsClaim ?? preset === "article";
  if (claim !== false && oauthClient) {
    const c = claim === true ? {} : claim;
    await api(emulator, "POST", `/api/v1/internal/apps/${appId}/settings/oauth/idToken`, {
      issuerMode: options.issuerMode ?? "ORG_URL",
      name: c.name ?? ARTICLE.groupsClaim.name,
      value: c.value ?? ARTICLE.groupsClaim.value,
      valueType: "GROUPS",
      groupFilterType: c.filterType ?? ARTICLE.groupsClaim.filterType,
    });
  }

  let secret: Json | undefined;
  if (oauthClient && typeof oauthClient.client_secret === "string") {
    const secrets = (await api(emulator, "GET", `/api/v1/apps/${appId}/credentials/secrets`)) as Json[];
    secret = secrets.find((s) => s.status === "ACTIVE");
  }
  return {
    appId,
    label: String(created.label),
    clientId: oauthClient ? String(oauthClient.client_id) : "",
    ...(secret ? { clientSecret: String(secret.client_secret), secretId: String(secret.id) } : {}),
    redirectUris: [...redirectUris],
    assignments,
    groupsClaim: claim !== false && oauthClient !== undefined,
  };
}

/** Creates the custom authorization server with its scopes, access policy and rule, as the console's dialogs do. */
export async function seedAuthServer(emulator: OktaEmulator, options: SeedAuthServerOptions = {}): Promise<SeededAuthServer> {
  const preset = options.preset ?? "console-defaults";
  // The Add Authorization Server dialog: Name, Audience, Description; the signing key rotates AUTOmatically.
  const server = obj(
    await api(emulator, "POST", "/api/v1/authorizationServers", {
      name: options.name ?? "QlikAPI",
      audiences: [options.audience ?? "qlik.api"],
      description: options.description ?? "Qlik API",
    }),
  );
  const authServerId = String(server.id);
  const base = `/api/v1/authorizationServers/${authServerId}`;

  const scopeIds: Record<string, string> = {};
  for (const s of options.scopes ?? [{}]) {
    const name = s.name ?? "qlik.api";
    const scope = obj(
      await api(emulator, "POST", `${base}/scopes`, {
        name,
        displayName: s.displayName ?? "Qlik API",
        description: s.description ?? "Access to Qlik Cloud",
        consent: s.consent ?? ARTICLE.scope.consent,
        default: s.default ?? (preset === "article" ? ARTICLE.scope.default : false),
        metadataPublish: s.metadataPublish ?? (preset === "article" ? ARTICLE.scope.metadataPublish : "ALL_CLIENTS"),
      }),
    );
    scopeIds[name] = String(scope.id);
  }

  if (options.policy === false) return { authServerId, issuer: String(server.issuer), scopeIds };
  const p = options.policy ?? {};
  const policy = obj(
    await api(emulator, "POST", `${base}/policies`, {
      type: "OAUTH_AUTHORIZATION_POLICY",
      status: "ACTIVE",
      name: p.name ?? "Qlik API",
      description: p.description ?? "Qlik API",
      priority: p.priority ?? 1,
      conditions: { clients: { include: [...(p.clients ?? ["ALL_CLIENTS"])] } },
    }),
  );
  const policyId = String(policy.id);
  if (options.rule === false) return { authServerId, issuer: String(server.issuer), scopeIds, policyId };

  const r = options.rule ?? {};
  const consoleGrants = ["client_credentials", "authorization_code", "implicit", "password", ...(emulator.orgType === "oie" ? ["interaction_code"] : [])];
  const rule = obj(
    await api(emulator, "POST", `${base}/policies/${policyId}/rules`, {
      type: "RESOURCE_ACCESS",
      status: "ACTIVE",
      name: r.name ?? "Client credentials",
      priority: 1,
      conditions: {
        grantTypes: { include: [...(r.grantTypes ?? (preset === "article" ? ARTICLE.ruleGrantTypes : consoleGrants))] },
        people: { groups: { include: [...(r.groups ?? ["EVERYONE"])] } },
        scopes: { include: [...(r.scopes ?? ["*"])] },
      },
      actions: {
        token: {
          accessTokenLifetimeMinutes: r.accessTokenLifetimeMinutes ?? 60,
          refreshTokenLifetimeMinutes: r.refreshTokenLifetimeMinutes ?? 0,
          refreshTokenWindowMinutes: r.refreshTokenWindowMinutes ?? 10080,
        },
      },
    }),
  );
  return { authServerId, issuer: String(server.issuer), scopeIds, policyId, ruleId: String(rule.id) };
}

/**
 * Seeds a whole hand-made setup: the app (with its assignments and groups claim) and, when `authServer` is given,
 * the custom authorization server. Call `seedOktaApp` again for a second app with the same redirect URI.
 */
export async function seedHandMadeSetup(emulator: OktaEmulator, setup: HandMadeSetup): Promise<SeededSetup> {
  const app = await seedOktaApp(emulator, setup);
  if (!setup.authServer) return { ...app, scopeIds: {} };
  const authServer = await seedAuthServer(emulator, { preset: setup.preset, ...setup.authServer });
  return {
    ...app,
    authServer,
    authServerId: authServer.authServerId,
    scopeIds: authServer.scopeIds,
    ...(authServer.policyId !== undefined ? { policyId: authServer.policyId } : {}),
    ...(authServer.ruleId !== undefined ? { ruleId: authServer.ruleId } : {}),
  };
}

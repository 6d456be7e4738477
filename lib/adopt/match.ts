import type { IDP, IDPOIDC } from "@qlik/api/identity-providers";
import { AdoptedIds, StackConfig } from "../config/schema";
import { UserFacingError } from "../errors";
import { isRecord } from "../json";
import { markersIn } from "../qlik/marker";

/**
 * Adoption's decisions, pure: which hand-made Okta app is Qlik's, which Qlik IdP goes with it, what the config gets
 * recorded under `adopted:` and which settings are pre-filled from what exists. Every refusal is a sentence that
 * says what was found and what to do, since the person reading it is looking at a tenant someone set up by hand.
 */

export interface FoundApp {
  readonly id: string;
  readonly clientId: string;
  readonly label: string;
  readonly created: string;
  /** `name`: `oidc_client` for every OIDC app. */
  readonly kind: string;
  /** `settings.oauthClient.application_type`: web, browser (SPA), native, service. */
  readonly applicationType?: string;
  readonly redirectUris: readonly string[];
}

export function foundApp(json: Record<string, unknown>): FoundApp {
  const settings = isRecord(json.settings) && isRecord(json.settings.oauthClient) ? json.settings.oauthClient : {};
  const credentials = isRecord(json.credentials) && isRecord(json.credentials.oauthClient) ? json.credentials.oauthClient : {};
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  return {
    id: str(json.id),
    clientId: str(credentials.client_id),
    label: str(json.label),
    created: str(json.created),
    kind: str(json.name),
    ...(typeof settings.application_type === "string" ? { applicationType: settings.application_type } : {}),
    redirectUris: Array.isArray(settings.redirect_uris) ? settings.redirect_uris.filter((u): u is string => typeof u === "string") : [],
  };
}

export class AdoptRefusal extends UserFacingError {
  public override readonly name = "AdoptRefusal";
}

const TYPE_WORDS: Readonly<Record<string, string>> = { browser: "a single-page app", native: "a native app", service: "an API service app" };

const describe = (a: FoundApp) => `"${a.label}" (id ${a.id}, client id ${a.clientId || "none"}, created ${a.created.slice(0, 10) || "?"})`;

/** Why an app cannot be Qlik's, or undefined: Qlik signs in with a client secret, which only an OIDC web app has. */
export function notWebAppReason(app: FoundApp): string | undefined {
  if (app.kind !== "oidc_client") return `app ${describe(app)} is not an OIDC app (it is "${app.kind}")`;
  if (app.applicationType !== "web") return `app ${describe(app)} is ${TYPE_WORDS[app.applicationType ?? ""] ?? `of type "${app.applicationType ?? "unknown"}"`}, not an OIDC web app`;
  return undefined;
}

const WEB_APP_FIX = "Qlik signs in with a client secret, which only an OIDC web app has: create a web app as the article says, or let qlik-okta create it (plan without adopted:)";

/**
 * The app to adopt: `--okta-app-id` when given (an OIDC web app, whatever its redirect URIs: the plan sets them),
 * else the one OIDC web app whose redirect URIs include the tenant's callback.
 */
export function chooseApp(apps: readonly FoundApp[], callback: string, aliasHosts: readonly string[], explicit?: FoundApp): FoundApp {
  if (explicit) {
    const reason = notWebAppReason(explicit);
    if (reason) throw new AdoptRefusal(`${reason}; ${WEB_APP_FIX}`);
    return explicit;
  }
  const withCallback = apps.filter((a) => a.redirectUris.includes(callback));
  const web = withCallback.filter((a) => notWebAppReason(a) === undefined);
  if (web.length === 1) return web[0];
  if (web.length > 1) {
    throw new AdoptRefusal(
      `${web.length} OIDC web apps have the redirect URI ${callback}: ${web.map(describe).join("; ")}; ` +
        `choose the one Qlik signs in with (its client id is in Qlik's IdP) and pass --okta-app-id <id>`,
    );
  }
  if (withCallback.length > 0) throw new AdoptRefusal(`${notWebAppReason(withCallback[0])} (it has the redirect URI ${callback}); ${WEB_APP_FIX}`);
  const onAlias = apps.filter((a) => a.redirectUris.some((u) => aliasHosts.some((h) => u === callback.replace(/^https:\/\/[^/]+/, `https://${h}`))));
  if (onAlias.length > 0) {
    const [a] = onAlias;
    const uri = a.redirectUris.find((u) => u.endsWith("/login/callback")) ?? "";
    throw new AdoptRefusal(
      `app ${describe(a)} has the redirect URI ${uri}, on an alias of the tenant: Qlik sends users back to ${callback} (its real hostname), ` +
        `so sign-in through this app fails; pass --okta-app-id ${a.id} to adopt it anyway (the first plan then replaces the redirect URI with the real one)`,
    );
  }
  throw new AdoptRefusal(
    `no Okta OIDC web app has the redirect URI ${callback}; look in the Okta admin console under Applications → Applications → ` +
      `the Qlik app → General → Sign-in redirect URIs, then pass --okta-app-id <id> (the plan sets the URI), or plan without adopted: to create a new app`,
  );
}

export type IdpChoice = { readonly kind: "adopt"; readonly idp: IDPOIDC } | { readonly kind: "managed"; readonly idp: IDPOIDC } | { readonly kind: "none" };

const clientIdOf = (i: IDP): string | undefined => (i as IDPOIDC).options?.clientId ?? (i as IDPOIDC).pendingOptions?.clientId;

/** The Qlik IdP that uses the app's client id: adopted when unmarked, kept when already this stack's, refused otherwise. */
export function chooseIdp(idps: readonly IDP[], clientId: string, stack: string): IdpChoice {
  const using = idps.filter((i) => i.protocol === "OIDC" && clientIdOf(i) === clientId);
  for (const i of using) {
    const others = markersIn(i.description).filter((s) => s !== stack);
    if (others.length > 0) {
      throw new AdoptRefusal(
        `Qlik IdP ${i.id} uses client id ${clientId} and is managed by stack "${others[0]}" (its description carries that stack's marker); ` +
          `one Okta app cannot sign in through two stacks: adopt it in stack "${others[0]}", or give this stack an app of its own`,
      );
    }
  }
  const ours = using.filter((i) => markersIn(i.description).includes(stack));
  if (ours.length > 0) return { kind: "managed", idp: ours[0] as IDPOIDC };
  if (using.length > 1) {
    throw new AdoptRefusal(
      `${using.length} Qlik IdPs use client id ${clientId}: ${using.map((i) => `${i.id} ("${i.description ?? ""}", ${i.active ? "active" : "inactive"})`).join("; ")}; ` +
        `delete the one nobody signs in with in the Qlik console (Administration → Identity provider), then run adopt again`,
    );
  }
  return using.length === 1 ? { kind: "adopt", idp: using[0] as IDPOIDC } : { kind: "none" };
}

/** What adopt found, as far as the config is concerned. */
export interface Discovery {
  readonly app: FoundApp;
  /** Group name → id of the groups the app is assigned to ("Everyone" for the built-in group). */
  readonly assignments: Readonly<Record<string, string>>;
  /** The app's groups claim, when it has one: its filter type and value. */
  readonly groupsClaim?: { readonly name: string; readonly filterType?: string; readonly value?: string };
  readonly authServer?: {
    readonly id: string;
    readonly name: string;
    readonly audiences: readonly string[];
    readonly scopes: readonly { readonly id: string; readonly name: string; readonly consent?: string; readonly default?: boolean; readonly metadataPublish?: string }[];
    readonly policy?: { readonly id: string; readonly name: string };
    readonly rule?: { readonly id: string; readonly name: string; readonly grantTypes: readonly string[] };
  };
  readonly idp: IdpChoice;
  /** The org answered E0000015: it has no custom authorization servers at all. */
  readonly noApiAccessManagement?: boolean;
}

/** The ids recorded under `stacks.<name>.adopted`, for the objects the (pre-filled) config declares. */
export function adoptionRecord(found: Discovery, config: StackConfig): AdoptedIds {
  const assigned = [...(config.app.assignToEveryone ? ["Everyone"] : []), ...config.app.groups];
  const groupAssignments = Object.fromEntries(Object.entries(found.assignments).filter(([name]) => assigned.includes(name)));
  const as = found.authServer;
  const configured = config.authorizationServer.scopes.map((s) => s.name);
  return {
    oktaAppId: found.app.id,
    groupAssignments,
    ...(as && config.authorizationServer.enabled
      ? {
          authorizationServer: {
            id: as.id,
            scopes: Object.fromEntries(as.scopes.filter((s) => configured.includes(s.name)).map((s) => [s.name, s.id])),
            ...(as.policy ? { policyId: as.policy.id } : {}),
            ...(as.policy && as.rule ? { ruleId: as.rule.id } : {}),
          },
        }
      : {}),
  };
}

/** One setting pre-filled from what exists: its path under the stack, and the value. */
export interface Prefill {
  readonly path: readonly string[];
  readonly value: unknown;
  /** The config's value before, for the printout. */
  readonly was: unknown;
}

/**
 * Settings taken from what exists, so the first plan imports rather than rewrites: the app's label and assignments,
 * its groups-claim regex, the authorization server's name, audience and scopes, and the Qlik IdP's settings whose
 * change would lock users out or give them new identities (activation, realm, the `sub` mapping), and its name.
 * Only those that differ from the config are listed.
 */
export function prefills(found: Discovery, config: StackConfig): Prefill[] {
  const out: Prefill[] = [];
  const set = (path: string[], value: unknown, was: unknown) => {
    if (JSON.stringify(value) !== JSON.stringify(was)) out.push({ path, value, was });
  };
  set(["app", "label"], found.app.label, config.app.label);
  const names = Object.keys(found.assignments);
  set(["app", "assignToEveryone"], names.includes("Everyone"), config.app.assignToEveryone);
  set(["app", "groups"], names.filter((n) => n !== "Everyone").sort(), [...config.app.groups].sort());
  if (found.groupsClaim?.filterType === "REGEX" && found.groupsClaim.value) set(["app", "groupsClaimRegex"], found.groupsClaim.value, config.app.groupsClaimRegex);
  if (found.noApiAccessManagement) set(["authorizationServer", "enabled"], false, config.authorizationServer.enabled);
  const as = found.authServer;
  if (as && config.authorizationServer.enabled) {
    set(["authorizationServer", "name"], as.name, config.authorizationServer.name);
    if (as.audiences.length === 1) set(["authorizationServer", "audience"], as.audiences[0], config.authorizationServer.audience);
    const byName = new Map(config.authorizationServer.scopes.map((s) => [s.name, s]));
    const scopes = as.scopes.map((s) => byName.get(s.name) ?? { name: s.name });
    set(["authorizationServer", "scopes"], scopes, config.authorizationServer.scopes);
  }
  if (found.idp.kind === "adopt") {
    const idp = found.idp.idp;
    const options = idp.options ?? idp.pendingOptions;
    const current = config.identityProvider;
    if (idp.active === true) set(["identityProvider", "activate"], true, current.activate);
    if (idp.description) set(["identityProvider", "description"], idp.description, current.description);
    // Users are known by realm + sub: those keep their values. The rest (a groups mapping the admin forgot, the scope)
    // stays as configured and goes through Qlik's test login as a pending change, which is how groups start arriving.
    if (typeof options?.realm === "string") set(["identityProvider", "realm"], options.realm, current.realm);
    const sub = options?.claimsMapping?.sub;
    if (sub !== undefined) set(["identityProvider", "claimsMapping"], { ...current.claimsMapping, sub: Array.isArray(sub) ? sub : [sub] }, current.claimsMapping);
  }
  return out;
}

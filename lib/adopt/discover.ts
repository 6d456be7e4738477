import { StackConfig } from "../config/schema";
import { NoApiAccessManagement, OktaReader } from "../okta/reader";
import { QlikOidcApp } from "../okta/qlik-oidc-app";
import { isRecord } from "../json";
import type { QlikClient } from "../qlik/client";
import { requireCanonicalHostname } from "../qlik/tenant";
import { AdoptRefusal, chooseApp, chooseIdp, Discovery, FoundApp, foundApp } from "./match";

/**
 * Read what exists (read-only, both APIs) for one stack: the hand-made Okta app, its assignments and groups claim,
 * the authorization server with its scopes, policy and rule, and the Qlik IdP that uses the app's client id.
 */
export async function discover(
  stack: string,
  config: StackConfig,
  okta: OktaReader,
  qlik: QlikClient,
  options: { readonly oktaAppId?: string } = {},
): Promise<Discovery & { readonly notes: readonly string[] }> {
  const notes: string[] = [];
  const tenant = await qlik.myTenant();
  const host = requireCanonicalHostname(config.qlik.tenantHostname, tenant, stack);
  const aliases = (tenant.hostnames ?? []).slice(1);
  const callback = QlikOidcApp.callbackUrl(host);

  let explicit: FoundApp | undefined;
  if (options.oktaAppId) {
    const json = await okta.getApp(options.oktaAppId);
    if (!json) throw new AdoptRefusal(`no Okta app has the id ${options.oktaAppId}; copy it from the app's URL in the admin console (…/admin/app/oidc_client/instance/<id>)`);
    explicit = foundApp(json);
  }
  const apps = explicit ? [] : (await okta.listOidcApps()).map(foundApp);
  const app = chooseApp(apps, callback, aliases, explicit);
  if (!app.redirectUris.includes(callback)) notes.push(`app "${app.label}" does not have the redirect URI ${callback} yet: the first plan adds it`);

  const assignments: Record<string, string> = {};
  for (const a of await okta.appGroupAssignments(app.id)) {
    const id = typeof a.id === "string" ? a.id : undefined;
    if (!id) continue;
    const group = await okta.getGroup(id);
    const profile = group && isRecord(group.profile) ? group.profile : {};
    const name = group?.type === "BUILT_IN" ? "Everyone" : typeof profile.name === "string" ? profile.name : id;
    assignments[name] = id;
  }
  if (Object.keys(assignments).length === 0) notes.push(`app "${app.label}" is assigned to nobody: nobody can sign in through it yet`);

  const claim = await okta.groupsClaim(app.id);
  const groupsClaim = claim
    ? {
        name: String(claim.name),
        ...(typeof claim.groupFilterType === "string" ? { filterType: claim.groupFilterType } : {}),
        ...(typeof claim.value === "string" ? { value: claim.value } : {}),
      }
    : undefined;
  if (!groupsClaim) notes.push(`app "${app.label}" has no groups claim: groups never reach Qlik today; the first plan adds it (an in-place update)`);

  let authServer: Discovery["authServer"];
  let noApiAccessManagement = false;
  if (config.authorizationServer.enabled) {
    try {
      authServer = await findAuthServer(okta, config, notes);
    } catch (e) {
      if (!(e instanceof NoApiAccessManagement)) throw e;
      noApiAccessManagement = true;
      notes.push("the Okta org has no API Access Management: authorizationServer.enabled must be false (adopt --write sets it)");
    }
  }

  const idps = await qlik.listIdps();
  const idp = chooseIdp(idps, app.clientId, stack);
  if (idp.kind === "none") notes.push(`no Qlik IdP uses client id ${app.clientId}: the first apply creates one`);
  return {
    app,
    assignments,
    ...(groupsClaim ? { groupsClaim } : {}),
    ...(authServer ? { authServer } : {}),
    ...(noApiAccessManagement ? { noApiAccessManagement } : {}),
    idp,
    notes,
  };
}

/** The server named as in the config, else the one whose audience is the config's; its scopes, policy and rule. */
async function findAuthServer(okta: OktaReader, config: StackConfig, notes: string[]): Promise<Discovery["authServer"]> {
  const wanted = config.authorizationServer;
  // The org's built-in `default` server (`default: true`, an `aus…` id) is never the article's QlikAPI server.
  const servers = (await okta.listAuthServers()).filter((s) => s.default !== true && s.id !== "default");
  const audiences = (s: Record<string, unknown>) => (Array.isArray(s.audiences) ? s.audiences.filter((a): a is string => typeof a === "string") : []);
  const byName = servers.filter((s) => s.name === wanted.name);
  const byAudience = servers.filter((s) => audiences(s).includes(wanted.audience));
  const server = byName.length === 1 ? byName[0] : byName.length === 0 && byAudience.length === 1 ? byAudience[0] : undefined;
  if (!server) {
    if (byName.length + byAudience.length > 1) notes.push(`several authorization servers are named "${wanted.name}" or have the audience "${wanted.audience}": none is adopted; the first plan creates one`);
    else notes.push(`no authorization server is named "${wanted.name}" or has the audience "${wanted.audience}": the first plan creates one`);
    return undefined;
  }
  const id = String(server.id);
  const scopes = (await okta.listScopes(id))
    .filter((s) => s.system !== true)
    .map((s) => ({
      id: String(s.id),
      name: String(s.name),
      ...(typeof s.consent === "string" ? { consent: s.consent } : {}),
      ...(typeof s.default === "boolean" ? { default: s.default } : {}),
      ...(typeof s.metadataPublish === "string" ? { metadataPublish: s.metadataPublish } : {}),
    }));
  // The stack declares one policy with one client-credentials rule: the hand-made policy that holds such a rule.
  let policy: { id: string; name: string } | undefined;
  let rule: { id: string; name: string; grantTypes: string[] } | undefined;
  for (const p of await okta.listPolicies(id)) {
    for (const r of await okta.listRules(id, String(p.id))) {
      const grants = isRecord(r.conditions) && isRecord(r.conditions.grantTypes) && Array.isArray(r.conditions.grantTypes.include) ? r.conditions.grantTypes.include.map(String) : [];
      if (!rule && grants.includes("client_credentials")) {
        policy = { id: String(p.id), name: String(p.name) };
        rule = { id: String(r.id), name: String(r.name), grantTypes: grants };
      }
    }
  }
  if (!rule) notes.push(`authorization server "${String(server.name)}" has no rule that allows client credentials: the first plan creates the article's policy and rule`);
  return { id, name: String(server.name), audiences: audiences(server), scopes, ...(policy ? { policy } : {}), ...(rule ? { rule } : {}) };
}

import type { AxiosInstance, AxiosResponse } from "axios";
import { ENV, plainHttpAllowed } from "../contract";
import { networkCode, UserFacingError } from "../errors";
import { isRecord } from "../json";

/**
 * Read-only access to an Okta org's Management API, for `qlik-okta adopt`: the calls the admin console makes to show
 * an app, its assignments and groups claim, and the authorization servers. SSWS token from OKTA_API_TOKEN (the one
 * the okta provider uses); OKTA_HTTP_PROXY (the provider's own switch to a plain-http endpoint) replaces the org URL.
 * Nothing here writes, and no error carries the token or a response body.
 */

export type Json = Record<string, unknown>;

export class OktaReadError extends UserFacingError {
  public override readonly name = "OktaReadError";
}

/** Okta's answer when the org has no API Access Management (errorCode E0000015). */
export class NoApiAccessManagement extends OktaReadError {}

export class OktaReader {
  private constructor(
    private readonly http: AxiosInstance,
    private readonly base: string,
    private readonly orgUrl: string,
  ) {}

  static async fromEnv(orgUrl: string, env: NodeJS.ProcessEnv = process.env): Promise<OktaReader> {
    const token = env[ENV.oktaApiToken];
    if (!token) throw new OktaReadError(`${ENV.oktaApiToken} is not set: adopt reads the Okta org with the API token the okta provider uses (Security → API → Tokens)`);
    const base = (env[ENV.oktaHttpProxy] || orgUrl).replace(/\/+$/, "");
    const url = new URL(base);
    if (url.protocol !== "https:" && !(url.protocol === "http:" && plainHttpAllowed(url))) {
      throw new OktaReadError(`${base} is not an https URL; set stacks.<name>.okta.orgUrl to the org's https URL`);
    }
    const { default: axios } = await import("axios");
    const http = axios.create({
      timeout: 15_000,
      maxRedirects: 0,
      validateStatus: () => true,
      headers: { Accept: "application/json", Authorization: `SSWS ${token}` },
    });
    return new OktaReader(http, base, orgUrl);
  }

  /** Every OIDC app of the org (`filter=name eq "oidc_client"`), all pages. */
  listOidcApps(): Promise<Json[]> {
    return this.list(`/api/v1/apps?filter=${encodeURIComponent('name eq "oidc_client"')}&limit=200`, "list the org's OIDC apps");
  }

  async getApp(id: string): Promise<Json | undefined> {
    return this.getOrNone(`/api/v1/apps/${encodeURIComponent(id)}`, `read app ${id}`);
  }

  /** The groups the app is assigned to (`[{ id, priority, … }]`). */
  appGroupAssignments(appId: string): Promise<Json[]> {
    return this.list(`/api/v1/apps/${encodeURIComponent(appId)}/groups?limit=200`, `list the groups of app ${appId}`);
  }

  async getGroup(id: string): Promise<Json | undefined> {
    return this.getOrNone(`/api/v1/groups/${encodeURIComponent(id)}`, `read group ${id}`);
  }

  /** The app's ID-token groups claim (the console's "Sign On → OpenID Connect ID Token" section); undefined when none. */
  async groupsClaim(appId: string): Promise<Json | undefined> {
    const claim = await this.getOrNone(`/api/v1/internal/apps/${encodeURIComponent(appId)}/settings/oauth/idToken`, `read the groups claim of app ${appId}`);
    return claim && typeof claim.name === "string" && claim.name !== "" ? claim : undefined;
  }

  /** Custom authorization servers; throws NoApiAccessManagement when the org has none. */
  listAuthServers(): Promise<Json[]> {
    return this.list("/api/v1/authorizationServers?limit=200", "list the authorization servers");
  }

  listScopes(serverId: string): Promise<Json[]> {
    return this.list(`/api/v1/authorizationServers/${encodeURIComponent(serverId)}/scopes`, `list the scopes of authorization server ${serverId}`);
  }

  listPolicies(serverId: string): Promise<Json[]> {
    return this.list(`/api/v1/authorizationServers/${encodeURIComponent(serverId)}/policies`, `list the access policies of authorization server ${serverId}`);
  }

  listRules(serverId: string, policyId: string): Promise<Json[]> {
    const path = `/api/v1/authorizationServers/${encodeURIComponent(serverId)}/policies/${encodeURIComponent(policyId)}/rules`;
    return this.list(path, `list the rules of policy ${policyId}`);
  }

  private async getOrNone(path: string, what: string): Promise<Json | undefined> {
    const res = await this.send(path, what);
    if (res.status === 404) return undefined;
    this.check(res, what);
    return isRecord(res.data) ? res.data : undefined;
  }

  /** GET a collection, following `Link: <…>; rel="next"` like every Okta client does. */
  private async list(first: string, what: string): Promise<Json[]> {
    const out: Json[] = [];
    let next: string | undefined = first;
    for (let page = 0; next !== undefined && page < 100; page++) {
      const res = await this.send(next, what);
      this.check(res, what);
      if (!Array.isArray(res.data)) throw new OktaReadError(`Okta: could not ${what}: the answer is not a list`);
      out.push(...res.data.filter(isRecord));
      next = nextLink(res.headers.link);
    }
    return out;
  }

  private async send(pathOrUrl: string, what: string): Promise<AxiosResponse> {
    // A next link is absolute and names the org URL; it is followed on the base this reader was given.
    const next = /^https?:\/\//.test(pathOrUrl) ? new URL(pathOrUrl) : undefined;
    const url = next ? `${this.base}${next.pathname}${next.search}` : `${this.base}${pathOrUrl}`;
    try {
      return await this.http.get(url);
    } catch (e) {
      throw new OktaReadError(`Okta: could not ${what} (${networkCode(e)}); check okta.orgUrl (${this.orgUrl}) and the network`);
    }
  }

  private check(res: AxiosResponse, what: string): void {
    if (res.status === 200) return;
    const code = isRecord(res.data) && typeof res.data.errorCode === "string" ? res.data.errorCode : undefined;
    if (code === "E0000015") {
      throw new NoApiAccessManagement(`Okta: could not ${what}: the org has no API Access Management (E0000015); set authorizationServer.enabled: false`);
    }
    if (res.status === 401) throw new OktaReadError(`Okta: could not ${what}: ${ENV.oktaApiToken} was rejected (HTTP 401); create a new token under Security → API → Tokens`);
    if (res.status === 403) throw new OktaReadError(`Okta: could not ${what}: the token's admin may not read it (HTTP 403); use a token of a super admin or an app admin`);
    throw new OktaReadError(`Okta: could not ${what} (HTTP ${res.status}${code ? ` ${code}` : ""}); try again, or check the org's status`);
  }
}

/** The `rel="next"` URL of a Link header (one header, or several joined), if any. */
export function nextLink(header: unknown): string | undefined {
  const text = Array.isArray(header) ? header.join(", ") : typeof header === "string" ? header : "";
  for (const part of text.split(/,(?=\s*<)/)) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

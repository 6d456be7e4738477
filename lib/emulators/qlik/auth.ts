/**
 * Authentication: API keys and OAuth machine-to-machine access tokens, both sent as `Authorization: Bearer …`, as
 * Qlik Cloud accepts them for automation. Identity-provider calls need a TenantAdmin.
 *
 * - Each API key acts as its own user (the one who created it); `tenantAdmin: false` users get 403 on
 *   identity-provider routes.
 * - OAuth M2M clients hold TenantAdmin (qlik.dev), but IdP routes additionally need the `admin_classic` scope: Qlik
 *   lists no narrower admin scope for identity providers and its admin tutorials require `admin_classic`, so we
 *   assume `user_default` is not enough (not verified on a real tenant). A token request without `scope` is granted
 *   `user_default`.
 * - `/oauth/token` accepts JSON (what `@qlik/api` sends) and `application/x-www-form-urlencoded` (RFC 6749).
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { HttpError } from "./errors";

export interface UserRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly email: string;
  readonly subject: string;
  readonly createdAt: string;
}

export interface Principal {
  readonly kind: "apiKey" | "oauth";
  readonly user: UserRecord;
  readonly tenantAdmin: boolean;
  /** OAuth scopes; undefined for API keys (they carry the user's full permissions). */
  readonly scopes?: readonly string[];
}

interface TokenRecord {
  readonly principal: Principal;
  expiresAt: number;
}

export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: "Bearer";
  readonly expires_in: number;
  readonly scope: string;
}

const oauthError = (status: number, code: string, title: string, detail: string): HttpError =>
  new HttpError(status, { errors: [{ code, title, detail, status }] });

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class AuthRegistry {
  private readonly apiKeys = new Map<string, Principal>();
  private readonly clients = new Map<string, { secret: string; user: UserRecord }>();
  private readonly tokens = new Map<string, TokenRecord>();

  constructor(
    tenantId: string,
    apiKeys: readonly { key: string; tenantAdmin?: boolean }[],
    oauthClients: readonly { clientId: string; clientSecret: string }[],
    private readonly ttlSeconds: number,
  ) {
    const createdAt = new Date().toISOString();
    apiKeys.forEach((k, i) => {
      const user: UserRecord = {
        id: randomBytes(12).toString("hex"),
        tenantId,
        name: `Emulated API key user ${i + 1}`,
        email: `apikey-user-${i + 1}@example.com`,
        subject: `emulator|apikey-user-${i + 1}`,
        createdAt,
      };
      this.apiKeys.set(k.key, { kind: "apiKey", user, tenantAdmin: k.tenantAdmin ?? true });
    });
    for (const c of oauthClients) {
      const user: UserRecord = {
        id: randomBytes(12).toString("hex"),
        tenantId,
        name: `OAuth client ${c.clientId}`,
        email: `${c.clientId}@oauth.example.com`,
        subject: `oauth-client|${c.clientId}`,
        createdAt,
      };
      this.clients.set(c.clientId, { secret: c.clientSecret, user });
    }
  }

  /** The caller for an Authorization header, or undefined (→ 401). */
  authenticate(header: string | undefined): Principal | undefined {
    const m = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m || m[1] === undefined) return undefined;
    const token = m[1];
    const byKey = this.apiKeys.get(token);
    if (byKey) return byKey;
    const t = this.tokens.get(token);
    if (!t) return undefined;
    if (Date.now() >= t.expiresAt) {
      this.tokens.delete(token);
      return undefined;
    }
    return t.principal;
  }

  issueToken(body: Record<string, unknown>): TokenResponse {
    const { client_id: clientId, client_secret: clientSecret, grant_type: grantType, scope } = body;
    if (typeof clientId !== "string" || typeof clientSecret !== "string" || clientId === "" || clientSecret === "")
      throw oauthError(400, "OAUTH-1", "invalid_request", "client_id and client_secret are required");
    if (grantType !== "client_credentials")
      throw oauthError(400, "OAUTH-2", "unsupported_grant_type", "only grant_type client_credentials is supported");
    if (scope !== undefined && typeof scope !== "string") throw oauthError(400, "OAUTH-3", "invalid_scope", "scope must be a string");
    const client = this.clients.get(clientId);
    if (!client || !sameSecret(client.secret, clientSecret))
      throw oauthError(401, "OAUTH-4", "invalid_client", "client authentication failed");
    const scopes = (scope ?? "user_default").split(/\s+/).filter((s) => s.length > 0);
    if (scopes.length === 0) throw oauthError(400, "OAUTH-3", "invalid_scope", "scope must not be empty");
    const accessToken = `qlik-emu-at-${randomBytes(24).toString("base64url")}`;
    this.tokens.set(accessToken, {
      principal: { kind: "oauth", user: client.user, tenantAdmin: true, scopes },
      expiresAt: Date.now() + this.ttlSeconds * 1000,
    });
    return { access_token: accessToken, token_type: "Bearer", expires_in: this.ttlSeconds, scope: scopes.join(" ") };
  }

  /** Expire every OAuth access token issued so far. */
  expireAll(): void {
    for (const t of this.tokens.values()) t.expiresAt = 0;
  }

  /** Why the principal may not manage identity providers, or undefined when it may. */
  idpDenial(p: Principal): string | undefined {
    if (!p.tenantAdmin) return "the requesting user must be assigned the TenantAdmin role";
    if (p.scopes && !p.scopes.includes("admin_classic")) return "the access token needs the admin_classic scope";
    return undefined;
  }
}

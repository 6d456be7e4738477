import type { Tenant } from "@qlik/api/tenants";
import { aliasHostnameError, unknownHostnameError } from "./errors";

/**
 * Never configure anything through an alias. Qlik lists a tenant's hostnames with the real (original,
 * never-changing) one first and its alias after it (`Tenant.hostnames` of `GET /api/v1/tenants/me`). The Okta
 * sign-in callback `https://<host>/login/callback` is built from the configured hostname, so it must be
 * `hostnames[0]`: a login through an alias-only callback ends in a redirect_uri mismatch at Okta.
 */

export type HostnameVerdict =
  | { readonly kind: "canonical"; readonly hostname: string }
  | { readonly kind: "alias"; readonly hostname: string; readonly canonical: string }
  | { readonly kind: "unknown"; readonly hostname: string; readonly hostnames: readonly string[] };

/** Bare lowercase host from what a user may write ("https://Acme.eu.qlikcloud.com/"). */
export function normaliseHostname(value: string): string {
  return value.trim().toLowerCase().replace(/^https?:\/\//, "").replace(/[/?#].*$/, "").replace(/\.$/, "");
}

/** Classify the configured hostname against the tenant's hostnames (pure). */
export function classifyHostname(configured: string, hostnames: readonly string[]): HostnameVerdict {
  const host = normaliseHostname(configured);
  const known = hostnames.map(normaliseHostname);
  if (known.length > 0 && known[0] === host) return { kind: "canonical", hostname: host };
  if (known.slice(1).includes(host)) return { kind: "alias", hostname: host, canonical: known[0] };
  return { kind: "unknown", hostname: host, hostnames: known };
}

/** The canonical hostname, or a QlikError naming the real one (alias) or listing the tenant's hostnames. */
export function requireCanonicalHostname(configured: string, tenant: Pick<Tenant, "hostnames">, stack: string): string {
  const verdict = classifyHostname(configured, tenant.hostnames ?? []);
  if (verdict.kind === "alias") throw aliasHostnameError(verdict.hostname, verdict.canonical, stack);
  if (verdict.kind === "unknown") throw unknownHostnameError(verdict.hostname, verdict.hostnames, stack);
  return verdict.hostname;
}

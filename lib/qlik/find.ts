import type { IDP, IDPOIDC } from "@qlik/api/identity-providers";
import { severalAdoptableError, severalManagedError } from "./errors";
import { hasMarker, markerStack } from "./marker";

/** What the tenant has, as far as planning is concerned. */
export interface LiveState {
  /** Our IdP (found by marker, or adopted by client id). */
  readonly managed?: IDP;
  /** Found by client id rather than marker: the marker gets added. */
  readonly adopted?: boolean;
  /** Every other IdP on the tenant. */
  readonly others: readonly IDP[];
  /** `QLIK-IDP-POPTS` of the managed IdP's latest GET (promoting needs it). */
  readonly popts?: string;
}

/**
 * Our IdP is the one carrying this stack's marker. Without one, an Okta OIDC interactive IdP that uses our client id
 * and carries no marker of another stack is adopted (apply adds the marker). Two candidates are never chosen between
 * silently: that is an error naming them.
 */
export function findManagedIdp(
  idps: readonly IDP[],
  target: { readonly stack: string; readonly clientId?: string; readonly tenantHostname: string },
): LiveState {
  const marked = idps.filter((i) => hasMarker(i.description, target.stack));
  if (marked.length > 1) throw severalManagedError(target.stack, marked.map((i) => i.id ?? "?"), target.tenantHostname);
  if (marked.length === 1) return { managed: marked[0], others: idps.filter((i) => i !== marked[0]) };
  if (!target.clientId) return { others: idps };
  const adoptable = idps.filter(
    (i) =>
      i.protocol === "OIDC" &&
      i.provider === "okta" &&
      i.interactive === true &&
      markerStack(i.description) === undefined &&
      ((i as IDPOIDC).options?.clientId === target.clientId || (i as IDPOIDC).pendingOptions?.clientId === target.clientId),
  );
  if (adoptable.length > 1) throw severalAdoptableError(target.clientId, adoptable.map((i) => i.id ?? "?"));
  if (adoptable.length === 1) return { managed: adoptable[0], adopted: true, others: idps.filter((i) => i !== adoptable[0]) };
  return { others: idps };
}

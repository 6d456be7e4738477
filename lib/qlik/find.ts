import type { IDP, IDPOIDC } from "@qlik/api/identity-providers";
import { markerConflictError, severalAdoptableError, severalManagedError } from "./errors";
import { markerMatch, markersIn } from "./marker";

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
 * Our IdP is the one whose description ends in this stack's marker, and carries no other. An IdP that names this
 * stack any other way (two stacks' markers, a marker mid-text) was not written by this stack: taking it over or
 * deleting it could hit another stack's sign-in, so it is a conflict that blocks, named in the message. Without a
 * marked IdP, an Okta OIDC interactive IdP that uses our client id and carries no marker at all is adopted (apply
 * adds the marker). Two candidates are never chosen between silently: that is an error naming them.
 */
export function findManagedIdp(
  idps: readonly IDP[],
  target: { readonly stack: string; readonly clientId?: string; readonly tenantHostname: string },
): LiveState {
  const conflicts = idps.filter((i) => markerMatch(i.description, target.stack) === "conflict");
  if (conflicts.length > 0) {
    const [first] = conflicts;
    throw markerConflictError(target.stack, first.id ?? "?", markersIn(first.description), first.description ?? "", target.tenantHostname);
  }
  const marked = idps.filter((i) => markerMatch(i.description, target.stack) === "ours");
  if (marked.length > 1) throw severalManagedError(target.stack, marked.map((i) => i.id ?? "?"), target.tenantHostname);
  if (marked.length === 1) return { managed: marked[0], others: idps.filter((i) => i !== marked[0]) };
  if (!target.clientId) return { others: idps };
  const adoptable = idps.filter(
    (i) =>
      i.protocol === "OIDC" &&
      i.provider === "okta" &&
      i.interactive === true &&
      markersIn(i.description).length === 0 &&
      ((i as IDPOIDC).options?.clientId === target.clientId || (i as IDPOIDC).pendingOptions?.clientId === target.clientId),
  );
  if (adoptable.length > 1) throw severalAdoptableError(target.clientId, adoptable.map((i) => i.id ?? "?"));
  if (adoptable.length === 1) return { managed: adoptable[0], adopted: true, others: idps.filter((i) => i !== adoptable[0]) };
  return { others: idps };
}

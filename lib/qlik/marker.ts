/**
 * The managed IdP is found by a marker in its description (Qlik offers no tags or external ids on IdPs).
 * The stack name is part of it so two stacks can manage two IdPs on one tenant without claiming each other's.
 */
export function managedMarker(stack: string): string {
  return `[managed by qlik-okta-iac:${stack}]`;
}

/** The description sent to Qlik: the user's text, a space, the marker (≤ 128 characters, checked in config). */
export function describeWithMarker(description: string, stack: string): string {
  return `${description} ${managedMarker(stack)}`;
}

/** True when a description carries this stack's marker. */
export function hasMarker(description: string | undefined, stack: string): boolean {
  return typeof description === "string" && description.includes(managedMarker(stack));
}

/** The stack named by any qlik-okta-iac marker in a description, if there is one. */
export function markerStack(description: string | undefined): string | undefined {
  const m = /\[managed by qlik-okta-iac:([^\]]+)\]/.exec(description ?? "");
  return m?.[1];
}

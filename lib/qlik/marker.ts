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

/**
 * How a description relates to a stack: `ours` only when it carries exactly one marker, this stack's, exactly as
 * this tool writes it, at its very end; `conflict` when it names this stack in any other way (two markers, a marker
 * in the middle, another spelling) — someone else wrote it, and it must not be taken over or deleted; `none` when it
 * does not name this stack.
 */
export function markerMatch(description: string | undefined, stack: string): "ours" | "conflict" | "none" {
  const names = markersIn(description);
  if (!names.includes(stack)) return "none";
  const exact = names.length === 1 && typeof description === "string" && description.endsWith(` ${managedMarker(stack)}`);
  return exact ? "ours" : "conflict";
}

/** True when a description is this stack's own (see {@link markerMatch}). */
export function hasMarker(description: string | undefined, stack: string): boolean {
  return markerMatch(description, stack) === "ours";
}

/** The stack named by a managed-by marker in a description, if any (the first, when there are several). */
export function markerStack(description: string | undefined): string | undefined {
  return markersIn(description)[0];
}

/**
 * The opening of a managed-by marker, read leniently: any case, any whitespace around and between the words, and
 * "-", "_" or a Unicode dash (or nothing) where the marker has a hyphen or a space, e.g. `[Managed  by qlik-okta-iac:`
 * or `[ MANAGED BY QLIK_OKTA_IAC :`. Linear: no two adjacent parts can match the same character, so a failed attempt
 * never backtracks further than the whitespace it just read.
 */
const SEP = "[\\s_\\-\\u2010-\\u2015]*";
const MARKER_OPENING = `\\[\\s*managed${SEP}by${SEP}qlik${SEP}okta${SEP}iac\\s*:`;

/**
 * True when the text contains the managed-by marker syntax, closed or not (`[managed by qlik-okta-iac:…`), read as
 * leniently as {@link markersIn}: what the config refuses in any user text, since only this tool writes markers.
 */
export function hasMarkerSyntax(text: string | undefined): boolean {
  return typeof text === "string" && new RegExp(MARKER_OPENING, "i").test(text);
}

/**
 * Every stack named by a managed-by marker in the text, in order: each `[managed by qlik-okta-iac:<stack>]`, matched
 * without regard to case or spacing (see {@link hasMarkerSyntax}), the name trimmed. A marker needs its closing "]",
 * and its name contains no bracket: in `[managed by qlik-okta-iac:a [managed by qlik-okta-iac:b]` only `b` is named.
 * A marker with nothing between ":" and "]" gives an empty name. Linear in the length of the text.
 */
export function markersIn(text: string | undefined): string[] {
  if (typeof text !== "string") return [];
  const names: string[] = [];
  const opening = new RegExp(MARKER_OPENING, "gi");
  const bracket = /[[\]]/g;
  for (let m = opening.exec(text); m !== null; m = opening.exec(text)) {
    const start = m.index + m[0].length;
    bracket.lastIndex = start;
    const end = bracket.exec(text);
    if (end === null) break; // no bracket after this opening: none of the later ones is closed either
    if (end[0] === "]") names.push(text.slice(start, end.index).trim());
    // Either way, the next opening can start no earlier than this bracket.
    opening.lastIndex = end.index;
  }
  return names;
}

/**
 * The last line of defence: whatever the masking missed, a known secret value never leaves in text we write.
 * Each secret is also matched in its JSON-escaped form (a secret with a quote or backslash inside a JSON string).
 */
export const SCRUBBED = "(redacted)";

/** Secrets shorter than this are not scrubbed: they would blank out ordinary words. */
export const MIN_SECRET_LENGTH = 6;

export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  const forms = new Set<string>();
  for (const s of secrets) {
    if (typeof s !== "string" || s.length < MIN_SECRET_LENGTH) continue;
    forms.add(s);
    forms.add(JSON.stringify(s).slice(1, -1));
  }
  // Longest first, so a secret that contains another is removed whole.
  for (const s of [...forms].sort((a, b) => b.length - a.length)) out = out.split(s).join(SCRUBBED);
  return out;
}

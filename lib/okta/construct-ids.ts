/**
 * Construct ids derived from names users choose (Okta group names, scope names). Ids are a state contract and must
 * be unique among siblings, so the encoding is injective: letters, digits, "." and "-" stay, every other character
 * (including "_" itself) becomes `_<hex code>_`. "Qlik Admins" and "Qlik.Admins" can never collide, and reordering a
 * list never changes an address.
 */
export function nameKey(name: string): string {
  return name.replace(/[^A-Za-z0-9.-]/g, (c) => `_${c.charCodeAt(0).toString(16)}_`);
}

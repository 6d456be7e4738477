import { hasMarkerSyntax } from "../../qlik/marker";
import { ConfigProblem, shown } from "../errors";

/**
 * The managed-by marker (`[managed by qlik-okta-iac:<stack>]`) is how this tool finds each stack's Qlik identity
 * provider: it appends the marker to the IdP's description itself. A marker typed into the config (the description,
 * the app label, a scope's text…) could make one stack's IdP look like another's, or make a human misread which stack
 * owns what, so the syntax is refused in every text value of a stack, in any case or spacing, closed or not.
 */
export function findMarkers(raw: unknown, path: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const walk = (value: unknown, at: string) => {
    if (typeof value === "string") {
      if (hasMarkerSyntax(value)) {
        problems.push({
          path: at,
          message:
            `${shown(value)} contains the managed-by marker syntax "[managed by qlik-okta-iac:…]", which this tool ` +
            `adds itself and uses to find each stack's IdP; remove it`,
        });
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${at}[${i}]`));
    } else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, at ? `${at}.${k}` : k);
    }
  };
  walk(raw, path);
  return problems;
}

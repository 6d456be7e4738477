import { ConfigError, parseConfig } from "../../lib/config";

/** The smallest valid config: one stack with the two required settings. */
export const VALID = `
stacks:
  prod:
    okta: { orgUrl: https://acme.okta.com }
    qlik: { tenantHostname: acme.eu.qlikcloud.com }
`;

/** The problems a config run reports, as "path: message" lines; fails the test when nothing is reported. */
export function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
    throw e;
  }
  throw new Error("expected the config to be rejected");
}

/** The problems of a config text. */
export const problemsFor = (text: string): string[] => problemsOf(() => parseConfig(text, "qlik-okta.yaml"));

import { formatProblem } from "../config/errors";
import { plainHttpAllowed } from "../contract";
import { checkIdentityProvider, checkStackName, checkTenantHostname, findMarkers } from "../config/rules";
import { IdentityProviderSettings, stackSchema, StackConfig } from "../config/schema";
import { describeWithMarker } from "./marker";
import { requestEnvError } from "./errors";

/**
 * Everything the Qlik step needs except the client secret: what the QlikIdentityProvider construct stores in its
 * `terraform_data` input (so an apply runs exactly what the reviewed plan showed) and what `qlik-okta idp …` builds
 * from `--config/--stack/--client-id` when run on its own. Plain JSON, no secrets.
 */
export interface IdpRequest {
  /** Stack name; part of the managed-by marker. */
  readonly stack: string;
  /** The tenant's real hostname (checked against Qlik's `hostnames[0]`). */
  readonly tenantHostname: string;
  /** Okta app client id (a Terraform reference at synth, the real id at apply). */
  readonly clientId: string;
  /** OIDC discovery document Qlik reads the Okta endpoints from. */
  readonly discoveryUrl: string;
  /** The stack's identityProvider settings, defaults filled in. */
  readonly identityProvider: IdentityProviderSettings;
}

/**
 * Qlik signs users in through Okta's org authorization server: the issuer the article sets for the ID token
 * ("Okta URL"), and the only server whose tokens carry the app's groups claim. The custom authorization server of
 * the article only has a client-credentials rule, so an authorization-code login through it would be refused.
 */
export function orgDiscoveryUrl(orgUrl: string): string {
  return `${new URL(orgUrl).origin}/.well-known/openid-configuration`;
}

/**
 * Why a discovery URL cannot be Qlik's, or undefined: Qlik fetches it from the internet, so it is https (plain http
 * only to this machine, for the emulator) and names an OIDC discovery document.
 */
export function discoveryUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${JSON.stringify(value)} is not a URL`;
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && plainHttpAllowed(url))) return `${JSON.stringify(value)} is not an https URL`;
  if (!url.pathname.endsWith("/.well-known/openid-configuration")) {
    return `${JSON.stringify(value)} is not an OIDC discovery document (it ends in /.well-known/openid-configuration, e.g. ${orgDiscoveryUrl(url.origin)})`;
  }
  return undefined;
}

export function idpRequestFromConfig(stack: string, config: StackConfig, clientId: string, discoveryUrl?: string): IdpRequest {
  return {
    stack,
    tenantHostname: config.qlik.tenantHostname,
    clientId,
    discoveryUrl: discoveryUrl ?? orgDiscoveryUrl(config.okta.orgUrl),
    identityProvider: config.identityProvider,
  };
}

/**
 * The IdpRequest the QlikIdentityProvider construct hands over in an environment variable (`jsonencode(self.input)`),
 * checked as strictly as the config file: the same schema and the same rules (stack name, the tenant's hostname,
 * the identityProvider settings, no marker syntax in user text), and a real discovery URL. A request edited by hand
 * in the state, or built by another tool, gets no further than a config file would.
 */
export function idpRequestFromEnv(name: string, env: NodeJS.ProcessEnv): IdpRequest {
  const text = env[name];
  if (!text) throw requestEnvError(name, "the environment variable is not set or empty");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw requestEnvError(name, "is not valid JSON");
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw requestEnvError(name, "must be a JSON object");
  const r = withoutNulls(raw) as Record<string, unknown>;
  for (const key of ["stack", "tenantHostname", "clientId", "discoveryUrl"]) {
    if (typeof r[key] !== "string" || r[key] === "") throw requestEnvError(name, `"${key}" must be a non-empty string`);
  }
  const settings = stackSchema.shape.identityProvider.safeParse(r.identityProvider ?? {});
  if (!settings.success) {
    const first = settings.error.issues[0];
    throw requestEnvError(name, `identityProvider.${first?.path.join(".") ?? ""}: ${first?.message ?? "invalid"}`);
  }
  const stack = r.stack as string;
  const discovery = discoveryUrlProblem(r.discoveryUrl as string);
  const problems = [
    ...checkStackName(stack, "stack"),
    ...checkTenantHostname(r.tenantHostname as string, "tenantHostname").problems,
    ...findMarkers(r.identityProvider ?? {}, "identityProvider"),
    ...checkIdentityProvider(settings.data, "identityProvider", describeWithMarker("", stack).length),
    ...(discovery ? [{ path: "discoveryUrl", message: discovery }] : []),
  ];
  if (problems.length > 0) throw requestEnvError(name, problems.map(formatProblem).join("; "));
  return {
    stack: r.stack as string,
    tenantHostname: r.tenantHostname as string,
    clientId: r.clientId as string,
    discoveryUrl: r.discoveryUrl as string,
    identityProvider: settings.data,
  };
}

/** Terraform's jsonencode writes absent optional attributes as null; treat them as absent. */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
  }
  return v;
}

/**
 * The contract between the synthesized stack and the CLI it runs, and between the CLI and its users' environment:
 * every name that both sides must spell the same way lives here, once.
 */

/** Environment variables the project reads. Credentials come from here only, never from the config file. */
export const ENV = {
  /** The Okta app's client secret, handed to the Qlik step (the construct sets it from the app's attribute). */
  idpClientSecret: "QLIK_IDP_CLIENT_SECRET",
  /** The Qlik step's desired state (IdpRequest JSON) that the construct's provisioner passes. */
  idpRequest: "QLIK_IDP_REQUEST",
  qlikApiKey: "QLIK_API_KEY",
  qlikClientId: "QLIK_CLIENT_ID",
  qlikClientSecret: "QLIK_CLIENT_SECRET",
  /** Another origin for the Qlik API (the emulator); unset, https://<tenantHostname>. */
  qlikBaseUrl: "QLIK_BASE_URL",
  oktaApiToken: "OKTA_API_TOKEN",
  /** A proxy the okta provider sends its requests through (how the Okta emulator is reached). */
  oktaHttpProxy: "OKTA_HTTP_PROXY",
  /** The config file when --config is not given. */
  config: "QLIK_OKTA_CONFIG",
} as const;

/** The variables whose values are secrets: never printed, logged, or written, in any encoding. */
export const SECRET_ENV_VARS: readonly string[] = [ENV.idpClientSecret, ENV.qlikApiKey, ENV.qlikClientSecret, ENV.oktaApiToken];

/** Where synth writes; the engine runs in `<SYNTH_DIR>/stacks/<stack>`. */
export const SYNTH_DIR = "cdktf.out";

/** `qlik-okta plan` writes each stack's reviewed plan under `<OUT_DIR>/<stack>/`. */
export const OUT_DIR = ".qlik-okta";

/** File (in the stack directory) where the provisioner's `idp apply` records what it did, since Terraform hides it. */
export const RESULT_FILE = "qlik-idp-result.json";

/**
 * Whether a URL may use plain http: only to this machine (127.0.0.0/8, ::1, localhost), where the emulators and
 * test servers live. Credentials and state never cross a network unencrypted.
 */
export function plainHttpAllowed(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The tenant's URL on its real hostname, e.g. `tenantUrl("acme.eu.qlikcloud.com", "/login/callback")`. */
export function tenantUrl(tenantHostname: string, path = "/"): string {
  return `https://${tenantHostname}${path}`;
}

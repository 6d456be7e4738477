import { OktaEmulator, OktaEmulatorOptions, startOktaEmulator } from "./okta";
import { QlikEmulator, QlikEmulatorOptions, startQlikEmulator } from "./qlik";

/** Options for {@link startSandbox}. */
export interface SandboxOptions {
  /** Okta API token the Okta emulator accepts (and the provider is given). @default "okta-sandbox-token" */
  readonly oktaApiToken?: string;
  /** Qlik API key the Qlik emulator accepts. @default "qlik-sandbox-key" */
  readonly qlikApiKey?: string;
  /** @default - the Okta emulator's defaults */
  readonly okta?: Omit<OktaEmulatorOptions, "apiToken">;
  /** @default - the Qlik emulator's defaults, tenant acme.eu.qlikcloud.com */
  readonly qlik?: Omit<QlikEmulatorOptions, "apiKeys">;
}

/** Both SaaS APIs on loopback, plus the environment that points the okta provider and the qlik-okta CLI at them. */
export interface Sandbox {
  readonly okta: OktaEmulator;
  readonly qlik: QlikEmulator;
  /**
   * OKTA_API_TOKEN + OKTA_HTTP_PROXY (the okta provider's own switch to a plain-http endpoint) and QLIK_BASE_URL +
   * QLIK_API_KEY: the synthesized JSON stays exactly what production uses.
   */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/** Start an Okta and a Qlik emulator for the end-to-end test, `npm start`, and users' own tests. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const oktaApiToken = options.oktaApiToken ?? "okta-sandbox-token";
  const qlikApiKey = options.qlikApiKey ?? "qlik-sandbox-key";
  const okta = await startOktaEmulator({ ...options.okta, apiToken: oktaApiToken });
  let qlik: QlikEmulator;
  try {
    qlik = await startQlikEmulator({ ...options.qlik, apiKeys: [{ key: qlikApiKey, tenantAdmin: true }] });
  } catch (e) {
    await okta.close();
    throw e;
  }
  return {
    okta,
    qlik,
    env: {
      OKTA_API_TOKEN: oktaApiToken,
      OKTA_HTTP_PROXY: okta.url,
      QLIK_BASE_URL: qlik.url,
      QLIK_API_KEY: qlikApiKey,
    },
    close: async () => {
      await Promise.all([okta.close(), qlik.close()]);
    },
  };
}

/**
 * An Okta OIDC web app in the Okta emulator, made through its Management API as the okta provider (or an admin in
 * the console) makes one — with a chosen client id and secret, so the Qlik step's secret check has an app to ask.
 */
import type { OktaEmulator } from "../../lib/emulators/okta";

const TOKEN = "okta-emulator-token";

function appBody(clientId: string, clientSecret: string): Record<string, unknown> {
  return {
    label: "Qlik Cloud",
    name: "oidc_client",
    signOnMode: "OPENID_CONNECT",
    credentials: { oauthClient: { autoKeyRotation: true, token_endpoint_auth_method: "client_secret_basic", client_id: clientId, client_secret: clientSecret } },
    settings: {
      oauthClient: {
        application_type: "web",
        grant_types: ["authorization_code"],
        response_types: ["code"],
        redirect_uris: ["https://acme.eu.qlikcloud.com/login/callback"],
      },
    },
  };
}

async function call(emu: OktaEmulator, method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: { Authorization: `SSWS ${TOKEN}`, "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`Okta emulator ${method} ${path}: HTTP ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Creates the app; returns its id (for {@link rotateOktaSecret}). */
export async function createOktaApp(emu: OktaEmulator, clientId: string, clientSecret: string): Promise<string> {
  const app = await call(emu, "POST", "/api/v1/apps?activate=true", appBody(clientId, clientSecret));
  return String(app.id);
}

/** The app's client secret changes in Okta (what a rotation in the console or by Terraform does). */
export async function rotateOktaSecret(emu: OktaEmulator, appId: string, clientId: string, newSecret: string): Promise<void> {
  await call(emu, "PUT", `/api/v1/apps/${appId}`, appBody(clientId, newSecret));
}

import { ConfigProblem } from "../errors";

/**
 * Secrets in the config file. A config file is committed, shared in reviews and printed in logs, so API tokens,
 * client secrets and state-backend credentials are refused wherever they appear: under a secret-sounding key, under a
 * key a state backend reads from the environment, or as a value shaped like an Okta token or a Qlik API key. The
 * message never shows the value and names the environment variable to use instead.
 */

const SECRET_KEY = /(secret|token|password|passwd|apikey|api_key|privatekey|private_key|credential)/i;
// Okta API tokens are 42 characters starting with "00"; Qlik API keys are JWTs.
const SECRET_VALUE = /^(00[A-Za-z0-9_-]{40}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*|SSWS\s.+)$/;

const SECRET_ENV_HINT: Record<string, string> = {
  okta: "set OKTA_API_TOKEN in the environment",
  qlik: "set QLIK_API_KEY (or QLIK_CLIENT_ID and QLIK_CLIENT_SECRET) in the environment",
  identityProvider: "the Okta client secret is passed from the Okta app to Qlik for you",
};

/**
 * The credentials each state backend reads from the environment instead of its config block (key: the setting name
 * lowercased without "_" or "-", so `secretKey`, `secret_key` and `SecretKey` all match). Sources: the backend
 * documentation of Terraform and OpenTofu (s3, gcs, azurerm, http); the remote backend's token comes from
 * `TF_TOKEN_<hostname>` (see `remoteTokenEnv`).
 */
export const BACKEND_SECRET_ENV: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  s3: {
    accesskey: "AWS_ACCESS_KEY_ID",
    secretkey: "AWS_SECRET_ACCESS_KEY",
    token: "AWS_SESSION_TOKEN",
    ssecustomerkey: "AWS_SSE_CUSTOMER_KEY",
  },
  gcs: {
    credentials: "GOOGLE_BACKEND_CREDENTIALS",
    accesstoken: "GOOGLE_OAUTH_ACCESS_TOKEN",
    encryptionkey: "GOOGLE_ENCRYPTION_KEY",
  },
  azurerm: {
    accesskey: "ARM_ACCESS_KEY",
    sastoken: "ARM_SAS_TOKEN",
    clientsecret: "ARM_CLIENT_SECRET",
    clientcertificatepassword: "ARM_CLIENT_CERTIFICATE_PASSWORD",
    oidctoken: "ARM_OIDC_TOKEN",
    oidcrequesttoken: "ARM_OIDC_REQUEST_TOKEN",
  },
  http: {
    username: "TF_HTTP_USERNAME",
    password: "TF_HTTP_PASSWORD",
    clientprivatekeypem: "TF_HTTP_CLIENT_PRIVATE_KEY_PEM",
  },
  remote: { token: "TF_TOKEN_app_terraform_io" },
};

/** `TF_TOKEN_<host>`: dots become "_" and dashes "__" (Terraform/OpenTofu CLI configuration, environment credentials). */
export function remoteTokenEnv(hostname = "app.terraform.io"): string {
  return `TF_TOKEN_${hostname.replace(/-/g, "__").replace(/\./g, "_")}`;
}

function backendSecretEnv(backend: unknown, key: string): string | undefined {
  if (!backend || typeof backend !== "object") return undefined;
  const { type, hostname } = backend as { type?: unknown; hostname?: unknown };
  const env = typeof type === "string" ? BACKEND_SECRET_ENV[type]?.[key.toLowerCase().replace(/[-_]/g, "")] : undefined;
  if (env && type === "remote" && typeof hostname === "string") return remoteTokenEnv(hostname);
  return env;
}

/** Secrets are refused wherever they appear: a config file gets committed, shared and printed. */
export function findSecrets(raw: unknown, path: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const backend = raw && typeof raw === "object" ? (raw as Record<string, unknown>).backend : undefined;
  const walk = (value: unknown, at: string, section: string) => {
    if (typeof value === "string") {
      if (SECRET_VALUE.test(value.trim())) {
        problems.push({ path: at, message: `looks like a secret (value not shown); secrets never go in the config file: ${hint(section)}` });
      }
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${at}[${i}]`, section));
      return;
    }
    if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const child = at ? `${at}.${k}` : k;
        const backendEnv = section === "backend" ? backendSecretEnv(backend, k) : undefined;
        if (SECRET_KEY.test(k) || backendEnv) {
          const how = backendEnv ? `set ${backendEnv} in the environment` : hint(section || k);
          problems.push({ path: child, message: `secrets are not accepted in the config file (value not shown): ${how}` });
          continue;
        }
        walk(v, child, section || k);
      }
    }
  };
  const hint = (section: string) => SECRET_ENV_HINT[section] ?? "pass secrets through the environment";
  if (raw && typeof raw === "object") {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) walk(v, path ? `${path}.${k}` : k, k);
  }
  return problems;
}

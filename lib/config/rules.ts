import { ConfigProblem, shown } from "./errors";
import {
  BackendSettings,
  defaultLocalStatePath,
  defaultRemoteWorkspace,
  defaultStateKey,
  defaultStatePrefix,
  QLIK_CLAIM_KEYS,
  StackConfig,
} from "./schema";

/**
 * Semantic rules, one pure function each: (value, path) → problems. They run after the structure is known to be
 * right, so they can trust types. Messages name the bad value and what would be valid.
 */

export const STACK_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

export function checkStackName(name: string, path: string): ConfigProblem[] {
  if (STACK_NAME_PATTERN.test(name)) return [];
  return [
    {
      path,
      message:
        `stack name ${shown(name)} is not valid: use 1-63 letters, digits, "-" or "_", starting with a letter ` +
        `(it becomes the directory cdktf.out/stacks/<name> and part of Terraform state names)`,
    },
  ];
}

/** Okta org URL: https, bare origin (the provider builds API URLs from it and refuses admin URLs). */
export function checkOrgUrl(value: string, path: string): ConfigProblem[] {
  const example = "https://acme.okta.com";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [{ path, message: `${shown(value)} is not a URL; expected the Okta org URL, e.g. ${example}` }];
  }
  if (url.username || url.password) {
    // Checked first, and the value never shown: it contains a credential.
    return [{ path, message: `must not contain credentials (value not shown); set OKTA_API_TOKEN in the environment instead` }];
  }
  if (url.protocol !== "https:") {
    return [{ path, message: `${shown(value)} must use https, e.g. ${example}` }];
  }
  const problems: ConfigProblem[] = [];
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    problems.push({
      path,
      message: `${shown(value)} must be the org URL without a path, e.g. https://${url.host}`,
    });
  }
  if (/-admin\.(okta|oktapreview|okta-emea)\.com$/i.test(url.hostname)) {
    problems.push({
      path,
      message: `${shown(value)} is the admin console URL; use the org URL https://${url.hostname.replace(/-admin\./i, ".")}`,
    });
  }
  return problems;
}

const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The Qlik tenant hostname becomes the Okta sign-in callback `https://<host>/login/callback`, so it must be a bare,
 * lowercase hostname. Whether it is the tenant's real hostname (not an alias) needs the Qlik API: `qlik-okta doctor`
 * and the identity-provider step check that.
 */
export function checkTenantHostname(value: string, path: string): { problems: ConfigProblem[]; warnings: ConfigProblem[] } {
  const example = "acme.eu.qlikcloud.com";
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  if (/\s/.test(value)) {
    problems.push({ path, message: `${shown(value)} contains whitespace; write the bare hostname, e.g. ${example}` });
    return { problems, warnings };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  if (scheme) {
    const rest = value.slice(scheme[0].length).split(/[/?#]/)[0].toLowerCase();
    problems.push({ path, message: `${shown(value)} must not include a scheme; write just the hostname: ${rest}` });
    return { problems, warnings };
  }
  if (/[/?#]/.test(value)) {
    const host = value.split(/[/?#]/)[0];
    problems.push({
      path,
      message: `${shown(value)} must not include a path; write just the hostname: ${host} (the callback path /login/callback is added for you)`,
    });
    return { problems, warnings };
  }
  if (/:\d*$/.test(value)) {
    problems.push({ path, message: `${shown(value)} must not include a port; Qlik Cloud tenants are served on 443` });
    return { problems, warnings };
  }
  if (value !== value.toLowerCase()) {
    problems.push({ path, message: `${shown(value)} must be lowercase: ${value.toLowerCase()}` });
    return { problems, warnings };
  }
  const labels = value.split(".");
  if (labels.length < 2 || !labels.every((l) => HOST_LABEL.test(l)) || value.length > 253) {
    problems.push({ path, message: `${shown(value)} is not a hostname; expected e.g. ${example}` });
    return { problems, warnings };
  }
  if (!value.endsWith(".qlikcloud.com")) {
    warnings.push({
      path,
      message: `${shown(value)} is not under qlikcloud.com; fine for Qlik Cloud Government or other Qlik domains, otherwise check for a typo`,
    });
  }
  return { problems, warnings };
}

export function checkGroupsClaimRegex(value: string, path: string): ConfigProblem[] {
  if (value.length === 0) {
    return [{ path, message: `must not be empty; use ".*" to send every group the user belongs to` }];
  }
  try {
    new RegExp(value);
    return [];
  } catch (e) {
    const reason = (e as Error).message.replace(/^Invalid regular expression: /, "");
    return [{ path, message: `${shown(value)} is not a valid regular expression (${reason}); e.g. ".*" or "^qlik-.*"` }];
  }
}

export function checkAssignment(app: StackConfig["app"], path: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!app.assignToEveryone && app.groups.length === 0) {
    problems.push({
      path,
      message:
        `nobody is assigned the Okta app (assignToEveryone is false and groups is empty), so nobody could sign in ` +
        `to Qlik; set assignToEveryone: true or list Okta group names under groups`,
    });
  }
  app.groups.forEach((g, i) => {
    if (g.trim() === "") problems.push({ path: `${path}.groups[${i}]`, message: `group name must not be empty` });
  });
  const seen = new Set<string>();
  app.groups.forEach((g, i) => {
    if (seen.has(g)) problems.push({ path: `${path}.groups[${i}]`, message: `group ${shown(g)} is listed twice` });
    seen.add(g);
  });
  if (app.label.trim() === "") problems.push({ path: `${path}.label`, message: `must not be empty, e.g. "Qlik Cloud"` });
  return problems;
}

const SCOPE_NAME = /^[A-Za-z0-9:._/-]+$/;

export function checkAuthorizationServer(as: StackConfig["authorizationServer"], path: string): ConfigProblem[] {
  if (!as.enabled) return [];
  const problems: ConfigProblem[] = [];
  if (as.scopes.length === 0) {
    problems.push({
      path: `${path}.scopes`,
      message: `the authorization server needs at least one scope, e.g. [{ name: qlik.api }]; or set enabled: false if your org has no API Access Management`,
    });
  }
  const seen = new Set<string>();
  as.scopes.forEach((s, i) => {
    if (!SCOPE_NAME.test(s.name)) {
      problems.push({
        path: `${path}.scopes[${i}].name`,
        message: `${shown(s.name)} is not a valid scope name; use letters, digits and . : _ / - without spaces, e.g. qlik.api`,
      });
    }
    if (seen.has(s.name)) {
      problems.push({ path: `${path}.scopes[${i}].name`, message: `duplicate scope name ${shown(s.name)}; scope names must be unique` });
    }
    seen.add(s.name);
  });
  if (as.name.trim() === "") problems.push({ path: `${path}.name`, message: `must not be empty, e.g. QlikAPI` });
  if (as.audience.trim() === "") problems.push({ path: `${path}.audience`, message: `must not be empty, e.g. qlik.api` });
  return problems;
}

/** Qlik allows at most 128 characters of description, and we append the managed-by marker. */
export const DESCRIPTION_LIMIT = 128;

export function checkIdentityProvider(
  idp: StackConfig["identityProvider"],
  path: string,
  markerLength: number,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const room = DESCRIPTION_LIMIT - markerLength;
  if (idp.description.length > room) {
    problems.push({
      path: `${path}.description`,
      message: `is ${idp.description.length} characters; at most ${room} fit, because Qlik allows ${DESCRIPTION_LIMIT} and the managed-by marker takes ${markerLength}`,
    });
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9.\-_]+$/.test(idp.realm) || idp.realm.length > 254) {
    problems.push({
      path: `${path}.realm`,
      message: `${shown(idp.realm)} is not a valid realm; use 2-254 letters, digits, ".", "-" or "_", starting with a letter or digit, e.g. okta`,
    });
  }
  if (!Number.isInteger(idp.clockToleranceSec) || idp.clockToleranceSec < 0 || idp.clockToleranceSec > 7200) {
    problems.push({
      path: `${path}.clockToleranceSec`,
      message: `${shown(idp.clockToleranceSec)} is out of range; use a whole number of seconds from 0 to 7200`,
    });
  }
  const scopes = idp.scope.split(" ").filter(Boolean);
  if (!scopes.includes("openid")) {
    problems.push({ path: `${path}.scope`, message: `${shown(idp.scope)} must include openid, e.g. "openid profile email groups"` });
  }
  if (idp.scope.length > 254) problems.push({ path: `${path}.scope`, message: `is longer than 254 characters` });
  const mapping = idp.claimsMapping;
  for (const key of Object.keys(mapping)) {
    if (!(QLIK_CLAIM_KEYS as readonly string[]).includes(key)) {
      problems.push({
        path: `${path}.claimsMapping.${key}`,
        message: `${shown(key)} is not a Qlik claim; valid claims: ${QLIK_CLAIM_KEYS.join(", ")}`,
      });
    } else if (mapping[key].length === 0 || mapping[key].some((v) => v.trim() === "")) {
      problems.push({
        path: `${path}.claimsMapping.${key}`,
        message: `needs one or more Okta claim names, e.g. [${key}]`,
      });
    }
  }
  if (!mapping.sub) {
    problems.push({
      path: `${path}.claimsMapping.sub`,
      message: `is required: it is the user's identity in Qlik (use [sub], Okta's stable user id)`,
    });
  }
  if (idp.postLogoutRedirectUri !== undefined) {
    try {
      const u = new URL(idp.postLogoutRedirectUri);
      if (u.protocol !== "https:") throw new Error("not https");
    } catch {
      problems.push({
        path: `${path}.postLogoutRedirectUri`,
        message: `${shown(idp.postLogoutRedirectUri)} must be an absolute https URL, e.g. https://acme.eu.qlikcloud.com/`,
      });
    }
  }
  if (idp.activate && idp.verification === "interactive") {
    // Not an error: activation simply waits until the admin has validated the pending configuration.
  }
  return problems;
}

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

// ------------------------------------------------------------------ state backend ------------------------------------

const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const GCS_BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
const AZURE_STORAGE_ACCOUNT = /^[a-z0-9]{3,24}$/;
const AZURE_CONTAINER = /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/;

/**
 * The semantic rules of `stacks.<name>.backend`: names the storage services would refuse, keys the backends reject,
 * URLs, and settings that leave state unlocked or unencrypted (warnings: legal, but worth a second look).
 */
export function checkBackend(
  backend: BackendSettings,
  path: string,
  stackName: string,
): { problems: ConfigProblem[]; warnings: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  // S3 refuses a key starting or ending with "/", GCS a prefix starting with one (it appends the trailing "/" itself).
  const objectKey = (value: string | undefined, at: string, example: string, trailingSlash: "allowed" | "refused") => {
    if (value === undefined) return;
    if (value.trim() === "") problems.push({ path: at, message: `must not be empty; leave it out for the default ${example}` });
    else if (value.startsWith("/") || (trailingSlash === "refused" && value.endsWith("/"))) {
      const where = trailingSlash === "refused" ? "start or end" : "start";
      problems.push({ path: at, message: `${shown(value)} must not ${where} with "/" (the backend refuses it); e.g. ${example}` });
    }
  };
  switch (backend.type) {
    case "local": {
      const file = backend.path;
      if (file !== undefined && file.trim() === "") {
        problems.push({ path: `${path}.path`, message: `must not be empty; leave it out for the default ${defaultLocalStatePath(stackName)}` });
      } else if (file !== undefined && /^(\.\/)?cdktf\.out(\/|$)/.test(file)) {
        problems.push({
          path: `${path}.path`,
          message: `${shown(file)} is inside cdktf.out, which synth rewrites; keep state beside the project, e.g. ${defaultLocalStatePath(stackName)}`,
        });
      }
      break;
    }
    case "s3":
      if (!S3_BUCKET.test(backend.bucket) || backend.bucket.includes("..")) {
        problems.push({
          path: `${path}.bucket`,
          message: `${shown(backend.bucket)} is not an S3 bucket name: 3-63 lowercase letters, digits, "." or "-", starting and ending with a letter or digit, e.g. acme-terraform-state`,
        });
      }
      objectKey(backend.key, `${path}.key`, defaultStateKey(stackName), "refused");
      if (backend.endpoint !== undefined) problems.push(...checkHttpUrl(backend.endpoint, `${path}.endpoint`, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", "https://minio.example.com"));
      if (!backend.useLockfile && backend.dynamodbTable === undefined) {
        warnings.push({
          path: `${path}.useLockfile`,
          message: `state is not locked: two runs at once (a merge and a drift check) can overwrite each other's state; keep useLockfile: true (Terraform >= 1.10, OpenTofu >= 1.10) or set dynamodbTable`,
        });
      }
      if (!backend.encrypt) {
        warnings.push({
          path: `${path}.encrypt`,
          message: `the state holds the Okta client secret; keep encrypt: true (S3 server-side encryption), and consider OpenTofu state encryption (docs/state.md)`,
        });
      }
      break;
    case "gcs":
      if (!GCS_BUCKET.test(backend.bucket)) {
        problems.push({
          path: `${path}.bucket`,
          message: `${shown(backend.bucket)} is not a Cloud Storage bucket name: lowercase letters, digits, "-", "_" or ".", starting and ending with a letter or digit, e.g. acme-terraform-state`,
        });
      }
      objectKey(backend.prefix, `${path}.prefix`, defaultStatePrefix(stackName), "allowed");
      break;
    case "azurerm":
      if (!AZURE_STORAGE_ACCOUNT.test(backend.storageAccountName)) {
        problems.push({
          path: `${path}.storageAccountName`,
          message: `${shown(backend.storageAccountName)} is not a storage account name: 3-24 lowercase letters and digits, e.g. acmetfstate`,
        });
      }
      if (!AZURE_CONTAINER.test(backend.containerName)) {
        problems.push({
          path: `${path}.containerName`,
          message: `${shown(backend.containerName)} is not a blob container name: 3-63 lowercase letters, digits and single "-", starting and ending with a letter or digit, e.g. tfstate`,
        });
      }
      if (backend.key !== undefined && backend.key.trim() === "") {
        problems.push({ path: `${path}.key`, message: `must not be empty; leave it out for the default ${defaultStateKey(stackName)}` });
      }
      break;
    case "http":
      for (const key of ["address", "lockAddress", "unlockAddress"] as const) {
        const value = backend[key];
        if (value === undefined) continue;
        problems.push(...checkHttpUrl(value, `${path}.${key}`, "TF_HTTP_USERNAME and TF_HTTP_PASSWORD", `https://state.example.com/${stackName}`));
        if (/^http:\/\//i.test(value) && !/^http:\/\/(localhost|127\.[0-9.]+|\[::1\])(:|\/|$)/i.test(value)) {
          warnings.push({
            path: `${path}.${key}`,
            message: `${shown(value)} is plain http: the state (with the Okta client secret) and TF_HTTP_PASSWORD would cross the network unencrypted; use https`,
          });
        }
      }
      if ((backend.lockAddress === undefined) !== (backend.unlockAddress === undefined)) {
        problems.push({
          path: `${path}.${backend.lockAddress === undefined ? "lockAddress" : "unlockAddress"}`,
          message: `is required when ${backend.lockAddress === undefined ? "unlockAddress" : "lockAddress"} is set: locking needs both addresses`,
        });
      } else if (backend.lockAddress === undefined) {
        warnings.push({
          path: `${path}.lockAddress`,
          message: `state is not locked: without lockAddress and unlockAddress two runs at once can overwrite each other's state`,
        });
      }
      break;
    case "remote": {
      const ws = backend.workspaces;
      if (backend.organization.trim() === "") problems.push({ path: `${path}.organization`, message: `must not be empty, e.g. acme` });
      if (ws && (ws.name === undefined) === (ws.prefix === undefined)) {
        problems.push({
          path: `${path}.workspaces`,
          message: `set exactly one of name (one workspace for this stack, e.g. ${defaultRemoteWorkspace(stackName)}) or prefix (workspaces chosen with TF_WORKSPACE)`,
        });
      }
      if (backend.hostname !== undefined && !/^[a-z0-9.-]+(:\d+)?$/i.test(backend.hostname)) {
        problems.push({ path: `${path}.hostname`, message: `${shown(backend.hostname)} must be a bare hostname, e.g. app.terraform.io` });
      }
      break;
    }
  }
  return { problems, warnings };
}

/** An http(s) URL without embedded credentials; `envHint` names the variables that carry them instead. */
function checkHttpUrl(value: string, path: string, envHint: string, example: string): ConfigProblem[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [{ path, message: `${shown(value)} is not a URL; expected e.g. ${example}` }];
  }
  if (url.username || url.password) {
    // The value itself is not shown: it contains the credentials.
    return [{ path, message: `must not contain credentials (value not shown); set ${envHint} in the environment instead` }];
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return [{ path, message: `${shown(value)} must be an http or https URL` }];
  }
  return [];
}

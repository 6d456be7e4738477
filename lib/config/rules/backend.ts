import { plainHttpAllowed } from "../../contract";
import { ConfigProblem, shown } from "../errors";
import {
  BackendSettings,
  defaultLocalStatePath,
  defaultRemoteWorkspace,
  defaultStateKey,
  defaultStatePrefix,
} from "../schema";

/**
 * Where a stack keeps its Terraform state (`backend`): bucket, account and container names the storage services
 * would refuse, object keys the backends reject, URLs with embedded credentials, and settings that leave state
 * unlocked (two runs at once can overwrite each other's state) or unencrypted (the state holds the Okta client
 * secret). The first are errors, because the backend would fail at `init` with a vaguer message; the last two are
 * warnings: legal, but worth a second look.
 */

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
        if (isPlainHttpElsewhere(value)) {
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

/** A plain-http URL to another machine (an unparsable one is left to checkHttpUrl). */
function isPlainHttpElsewhere(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" && !plainHttpAllowed(url);
  } catch {
    return false;
  }
}

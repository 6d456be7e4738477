import { z } from "zod";

/**
 * The configuration contract: the shape of the user's YAML/JSON config file, one entry per stack under `stacks:`.
 * Structure and defaults live here; the rules that need a sentence of explanation (hostnames, URLs, regexes,
 * cross-field checks) live in `rules.ts` (and the files under `rules/`) so each has its own message and test.
 */

/** Qlik claim names an interactive OIDC IdP can map (Qlik identity-providers API, `claimsMapping`). */
export const QLIK_CLAIM_KEYS = [
  "sub",
  "name",
  "email",
  "email_verified",
  "groups",
  "picture",
  "locale",
  "zoneinfo",
  "client_id",
] as const;

export const DEFAULT_CLAIMS_MAPPING: Readonly<Record<string, readonly string[]>> = {
  sub: ["sub"],
  name: ["name"],
  email: ["email"],
  email_verified: ["email_verified"],
  groups: ["groups"],
};

const scopeSchema = z.strictObject({
  name: z.string(),
  displayName: z.string().optional(),
  description: z.string().optional(),
});

const oktaSchema = z.strictObject({
  orgUrl: z.string(),
});

const qlikSchema = z.strictObject({
  tenantHostname: z.string(),
});

const appSchema = z.strictObject({
  label: z.string().default("Qlik Cloud"),
  assignToEveryone: z.boolean().default(true),
  groups: z.array(z.string()).default([]),
  groupsClaimRegex: z.string().default(".*"),
  showTile: z.boolean().default(false),
});

const authorizationServerSchema = z.strictObject({
  enabled: z.boolean().default(true),
  name: z.string().default("QlikAPI"),
  description: z.string().default("Qlik Cloud API access (managed by qlik-okta-iac)"),
  audience: z.string().default("qlik.api"),
  scopes: z
    .array(scopeSchema)
    .default([{ name: "qlik.api", displayName: "Qlik API", description: "Access to Qlik Cloud" }]),
});

const identityProviderSchema = z.strictObject({
  description: z.string().default("Okta"),
  verification: z.enum(["interactive", "skip"]).default("interactive"),
  activate: z.boolean().default(false),
  onDestroy: z.enum(["retain", "delete"]).default("retain"),
  allowActiveIdpChange: z.boolean().default(false),
  realm: z.string().default("okta"),
  scope: z.string().default("openid profile email groups"),
  clockToleranceSec: z.number().default(5),
  createNewUsersOnLogin: z.boolean().default(true),
  blockOfflineAccessScope: z.boolean().default(true),
  postLogoutRedirectUri: z.string().optional(),
  claimsMapping: z
    .record(z.string(), z.array(z.string()))
    .default(() => Object.fromEntries(Object.entries(DEFAULT_CLAIMS_MAPPING).map(([k, v]) => [k, [...v]]))),
});

/**
 * Where a stack keeps its Terraform state (`stacks.<name>.backend`), one schema per backend `type`. Secrets (access
 * keys, SAS tokens, passwords, tokens) are deliberately absent: `findSecrets` refuses them and names the environment
 * variable each backend reads instead. Keys and prefixes default per stack (see `defaultStateKey`), so several stacks
 * can share one bucket.
 */
export const BACKEND_TYPES = ["local", "s3", "gcs", "azurerm", "http", "remote"] as const;
export type BackendType = (typeof BACKEND_TYPES)[number];

const localBackendSchema = z.strictObject({
  type: z.literal("local"),
  /** Relative to the project directory (the one holding cdktf.out). @default "terraform.<stack>.tfstate" */
  path: z.string().optional(),
});

const s3BackendSchema = z.strictObject({
  type: z.literal("s3"),
  bucket: z.string(),
  /** @default "qlik-okta-iac/<stack>.tfstate" */
  key: z.string().optional(),
  /** @default - AWS_REGION / AWS_DEFAULT_REGION from the environment */
  region: z.string().optional(),
  /** Server-side encryption of the state object. */
  encrypt: z.boolean().default(true),
  kmsKeyId: z.string().optional(),
  /** S3 native locking (`use_lockfile`, Terraform >= 1.10, OpenTofu >= 1.10). */
  useLockfile: z.boolean().default(true),
  /** DynamoDB locking: deprecated upstream in favour of useLockfile; both may be set while migrating. */
  dynamodbTable: z.string().optional(),
  /** Role to assume (`assume_role { role_arn }`). */
  roleArn: z.string().optional(),
  profile: z.string().optional(),
  /** S3-compatible endpoint (`endpoints { s3 }`), e.g. MinIO. */
  endpoint: z.string().optional(),
  usePathStyle: z.boolean().optional(),
});

const gcsBackendSchema = z.strictObject({
  type: z.literal("gcs"),
  bucket: z.string(),
  /** @default "qlik-okta-iac/<stack>" */
  prefix: z.string().optional(),
  impersonateServiceAccount: z.string().optional(),
  kmsEncryptionKey: z.string().optional(),
});

const azurermBackendSchema = z.strictObject({
  type: z.literal("azurerm"),
  resourceGroupName: z.string().optional(),
  storageAccountName: z.string(),
  containerName: z.string(),
  /** @default "qlik-okta-iac/<stack>.tfstate" */
  key: z.string().optional(),
  subscriptionId: z.string().optional(),
  tenantId: z.string().optional(),
  clientId: z.string().optional(),
  /** Microsoft Entra ID authentication to the storage account instead of a shared key. */
  useAzureadAuth: z.boolean().optional(),
  /** OpenID Connect (e.g. GitHub Actions federated credentials). */
  useOidc: z.boolean().optional(),
  useMsi: z.boolean().optional(),
  environment: z.string().optional(),
});

const httpBackendSchema = z.strictObject({
  type: z.literal("http"),
  address: z.string(),
  lockAddress: z.string().optional(),
  unlockAddress: z.string().optional(),
  updateMethod: z.string().optional(),
  lockMethod: z.string().optional(),
  unlockMethod: z.string().optional(),
  skipCertVerification: z.boolean().optional(),
  retryMax: z.number().optional(),
  retryWaitMin: z.number().optional(),
  retryWaitMax: z.number().optional(),
});

const remoteBackendSchema = z.strictObject({
  type: z.literal("remote"),
  /** @default "app.terraform.io" */
  hostname: z.string().optional(),
  organization: z.string(),
  /** Exactly one of name or prefix. @default - { name: "qlik-okta-iac-<stack>" } */
  workspaces: z.strictObject({ name: z.string().optional(), prefix: z.string().optional() }).optional(),
});

export const backendSchema = z.discriminatedUnion("type", [
  localBackendSchema,
  s3BackendSchema,
  gcsBackendSchema,
  azurermBackendSchema,
  httpBackendSchema,
  remoteBackendSchema,
]);

export const stackSchema = z.strictObject({
  okta: oktaSchema,
  qlik: qlikSchema,
  app: appSchema.prefault({}),
  authorizationServer: authorizationServerSchema.prefault({}),
  identityProvider: identityProviderSchema.prefault({}),
  backend: backendSchema.prefault({ type: "local" }),
});

export const configFileSchema = z.strictObject({
  stacks: z.record(z.string(), stackSchema),
});

/** One stack's configuration with every default filled in. */
export type StackConfig = z.output<typeof stackSchema>;
export type AppSettings = StackConfig["app"];
export type AuthorizationServerSettings = StackConfig["authorizationServer"];
export type IdentityProviderSettings = StackConfig["identityProvider"];
export type ScopeSettings = AuthorizationServerSettings["scopes"][number];
export type BackendSettings = StackConfig["backend"];
/** The settings of one backend type, e.g. `BackendSettingsOf<"s3">`. */
export type BackendSettingsOf<T extends BackendType> = Extract<BackendSettings, { type: T }>;

/** Default S3 / azurerm state key of a stack: several stacks can share one bucket or container. */
export function defaultStateKey(stack: string): string {
  return `qlik-okta-iac/${stack}.tfstate`;
}

/** Default GCS prefix of a stack (the backend appends `<workspace>.tfstate`). */
export function defaultStatePrefix(stack: string): string {
  return `qlik-okta-iac/${stack}`;
}

/** Default local state file of a stack, relative to the project directory (today's location). */
export function defaultLocalStatePath(stack: string): string {
  return `terraform.${stack}.tfstate`;
}

/** Default HCP Terraform / Terraform Enterprise workspace of a stack. */
export function defaultRemoteWorkspace(stack: string): string {
  return `qlik-okta-iac-${stack}`;
}

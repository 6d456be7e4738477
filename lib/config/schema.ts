import { z } from "zod";
import { shown } from "./errors";

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

/**
 * The longest text a setting accepts when its API documents no limit of its own: enough for any real value, small
 * enough that a runaway one (a pasted file, a generated string) is refused here, fast, instead of reaching
 * cdk.tf.json, the Terraform state and an API call.
 */
export const TEXT_LIMIT = 1000;

/**
 * Okta's own limits (Okta support, "Character Limits for Various Okta Features and Fields": application name 100,
 * authorization server name 50, redirect URL 512; Okta group names are 1-255 characters).
 */
export const OKTA_LIMITS = { appLabel: 100, authorizationServerName: 50, redirectUri: 512, groupName: 255 } as const;

/** A string of at most `max` characters; `rule` says whose limit it is, for the message. */
function text(max = TEXT_LIMIT, rule = `at most ${max} are accepted here`) {
  return z.string().max(max, {
    error: (issue) => `${shown(issue.input)} is ${String(issue.input).length} characters; ${rule}; shorten it`,
  });
}

/** A string within one of Okta's limits. */
function oktaText(max: number, what: string) {
  return text(max, `Okta allows at most ${max} in ${what}`);
}

const scopeSchema = z.strictObject({
  name: text(),
  displayName: text().optional(),
  description: text().optional(),
});

const oktaSchema = z.strictObject({
  orgUrl: text(),
});

const qlikSchema = z.strictObject({
  tenantHostname: text(253, "a hostname has at most 253"),
});

const appSchema = z.strictObject({
  label: oktaText(OKTA_LIMITS.appLabel, "an app label").default("Qlik Cloud"),
  assignToEveryone: z.boolean().default(true),
  groups: z.array(oktaText(OKTA_LIMITS.groupName, "a group name")).default([]),
  groupsClaimRegex: text().default(".*"),
  showTile: z.boolean().default(false),
});

const authorizationServerSchema = z.strictObject({
  enabled: z.boolean().default(true),
  name: oktaText(OKTA_LIMITS.authorizationServerName, "an authorization server name").default("QlikAPI"),
  description: text().default("Qlik Cloud API access (managed by qlik-okta-iac)"),
  audience: text().default("qlik.api"),
  scopes: z
    .array(scopeSchema)
    .default([{ name: "qlik.api", displayName: "Qlik API", description: "Access to Qlik Cloud" }]),
});

const identityProviderSchema = z.strictObject({
  // Its limit depends on the stack name (Qlik's 128 characters include the managed-by marker): `checkIdentityProvider`.
  // The realm and scope have theirs there too (254 each).
  description: z.string().default("Okta"),
  verification: z.enum(["interactive", "skip"]).default("interactive"),
  activate: z.boolean().default(false),
  onDestroy: z.enum(["retain", "delete"]).default("retain"),
  allowActiveIdpChange: z.boolean().default(false),
  /** A realm or `sub`-mapping change on an IdP users sign in through gives every user a new identity: opt in here. */
  allowUserRekey: z.boolean().default(false),
  realm: z.string().default("okta"),
  scope: z.string().default("openid profile email groups"),
  clockToleranceSec: z.number().default(5),
  createNewUsersOnLogin: z.boolean().default(true),
  blockOfflineAccessScope: z.boolean().default(true),
  postLogoutRedirectUri: oktaText(OKTA_LIMITS.redirectUri, "a redirect URI").optional(),
  claimsMapping: z
    .record(z.string(), z.array(text()))
    .default(() => Object.fromEntries(Object.entries(DEFAULT_CLAIMS_MAPPING).map(([k, v]) => [k, [...v]]))),
});

/**
 * Okta object ids. Okta's own are 20 base-62 characters with a type prefix (`0oa…` apps, `00g…` groups, `aus…`
 * servers); the built-in authorization server's id is the word `default`. Import ids are built from them, so nothing
 * else (no slash, no space) gets through.
 */
function oktaId(what: string) {
  return z.string().regex(/^[A-Za-z0-9]{1,64}$/, {
    error: (issue) => `${shown(issue.input)} is not an Okta ${what} id (letters and digits, e.g. as \`qlik-okta adopt\` prints it)`,
  });
}

/**
 * Objects made by hand that this stack takes over instead of creating (`qlik-okta adopt --write` fills it in). Each
 * id becomes a Terraform import block, so the first plan imports them and changes them in place; a plan that would
 * still create or replace one is refused. Kept in the config on purpose: reviewed in the same pull request as the
 * settings, and read again by every synth. Once imported, an entry is a no-op for Terraform and may stay.
 */
const adoptedSchema = z.strictObject({
  /** The OIDC web app (`okta_app_oauth`). */
  oktaAppId: oktaId("app"),
  /** Group name (as in `app.groups`, or `Everyone`) → the id of a group the app is already assigned to. */
  groupAssignments: z.record(z.string(), oktaId("group")).default({}),
  authorizationServer: z
    .strictObject({
      id: oktaId("authorization server"),
      /** Scope name (as in `authorizationServer.scopes`) → scope id. */
      scopes: z.record(z.string(), oktaId("scope")).default({}),
      policyId: oktaId("policy").optional(),
      ruleId: oktaId("policy rule").optional(),
    })
    .optional(),
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
  path: text().optional(),
});

const s3BackendSchema = z.strictObject({
  type: z.literal("s3"),
  bucket: text(),
  /** @default "qlik-okta-iac/<stack>.tfstate" */
  key: text().optional(),
  /** @default - AWS_REGION / AWS_DEFAULT_REGION from the environment */
  region: text().optional(),
  /** Server-side encryption of the state object. */
  encrypt: z.boolean().default(true),
  kmsKeyId: text().optional(),
  /** S3 native locking (`use_lockfile`, Terraform >= 1.10, OpenTofu >= 1.10). */
  useLockfile: z.boolean().default(true),
  /** DynamoDB locking: deprecated upstream in favour of useLockfile; both may be set while migrating. */
  dynamodbTable: text().optional(),
  /** Role to assume (`assume_role { role_arn }`). */
  roleArn: text().optional(),
  profile: text().optional(),
  /** S3-compatible endpoint (`endpoints { s3 }`), e.g. MinIO. */
  endpoint: text().optional(),
  usePathStyle: z.boolean().optional(),
});

const gcsBackendSchema = z.strictObject({
  type: z.literal("gcs"),
  bucket: text(),
  /** @default "qlik-okta-iac/<stack>" */
  prefix: text().optional(),
  impersonateServiceAccount: text().optional(),
  kmsEncryptionKey: text().optional(),
});

const azurermBackendSchema = z.strictObject({
  type: z.literal("azurerm"),
  resourceGroupName: text().optional(),
  storageAccountName: text(),
  containerName: text(),
  /** @default "qlik-okta-iac/<stack>.tfstate" */
  key: text().optional(),
  subscriptionId: text().optional(),
  tenantId: text().optional(),
  clientId: text().optional(),
  /** Microsoft Entra ID authentication to the storage account instead of a shared key. */
  useAzureadAuth: z.boolean().optional(),
  /** OpenID Connect (e.g. GitHub Actions federated credentials). */
  useOidc: z.boolean().optional(),
  useMsi: z.boolean().optional(),
  environment: text().optional(),
});

const httpBackendSchema = z.strictObject({
  type: z.literal("http"),
  address: text(),
  lockAddress: text().optional(),
  unlockAddress: text().optional(),
  updateMethod: text().optional(),
  lockMethod: text().optional(),
  unlockMethod: text().optional(),
  skipCertVerification: z.boolean().optional(),
  retryMax: z.number().optional(),
  retryWaitMin: z.number().optional(),
  retryWaitMax: z.number().optional(),
});

const remoteBackendSchema = z.strictObject({
  type: z.literal("remote"),
  /** @default "app.terraform.io" */
  hostname: text().optional(),
  organization: text(),
  /** Exactly one of name or prefix. @default - { name: "qlik-okta-iac-<stack>" } */
  workspaces: z.strictObject({ name: text().optional(), prefix: text().optional() }).optional(),
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
  adopted: adoptedSchema.optional(),
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
export type AdoptedIds = NonNullable<StackConfig["adopted"]>;
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

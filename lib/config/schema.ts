import { z } from "zod";

/**
 * The configuration contract (DESIGN §3). Structure and defaults live here; the rules that need a sentence of
 * explanation (hostnames, URLs, regexes, cross-field checks) live in `rules.ts` so each has its own message and test.
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

export const stackSchema = z.strictObject({
  okta: oktaSchema,
  qlik: qlikSchema,
  app: appSchema.prefault({}),
  authorizationServer: authorizationServerSchema.prefault({}),
  identityProvider: identityProviderSchema.prefault({}),
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

/**
 * Strict request validation for the identity-providers API: the create payload (required fields, and Qlik's
 * published limits such as description ≤ 128 characters, clockToleranceSec 0-7200, realm and scope ≤ 254) and the
 * JSON-Patch body (only `replace` and `promote-options`, on the paths Qlik lists).
 *
 * Shapes come from Qlik's generated types (`@qlik/api/identity-providers`); the path table below is typed against
 * `PatchOIDCPayload["path"]`, so it cannot drift from Qlik's enum without a compile error.
 *
 * Strictness choices where Qlik's documentation is silent or not verified against a real tenant:
 * - Unknown properties are rejected at every level (top level, options, openid_configuration, decryptingKey, patch ops).
 * - Interactive `options` (a create with `options` + skipVerify, i.e. without a browser test) accept the same fields
 *   as `pendingOptions` and require the same credentials (clientId, clientSecret, claimsMapping). Qlik's create schema
 *   describes `options` only for non-interactive IdPs (no clientId/clientSecret), yet tells you to use `options` +
 *   skipVerify for interactive ones, and its read model does carry those fields; the emulator follows the read model.
 * - Only OIDC is emulated: SAML and jwtAuth creates get 400.
 */
import type {
  ClaimsMappingInteractive,
  ClaimsMappingNonInteractive,
  CreateOIDCPayload,
  IDPOIDCOptions,
  IDPProvider,
  OpenIDConfiguration,
  DecryptingKey,
  PatchOIDCPayload,
  PatchSAMLPayload,
  PatchJWTAuthPayload,
} from "@qlik/api/identity-providers";
import { ErrorIssue, badRequest, forbidden, invalidProperties } from "./errors";

export type PendingOptionsPayload = NonNullable<CreateOIDCPayload["pendingOptions"]>;
/** The stored/read OIDC options: Qlik's read model plus the two create-only fields the emulator echoes back. */
export type EmulatorOidcOptions = IDPOIDCOptions &
  Pick<PendingOptionsPayload, "useClaimsFromIdToken" | "idTokenSignatureAlg"> & {
    audience?: string;
    allowedClientIds?: string[];
  };
export type OidcPatchPath = NonNullable<PatchOIDCPayload["path"]>;
export type AnyPatchPath = OidcPatchPath | NonNullable<PatchSAMLPayload["path"]> | NonNullable<PatchJWTAuthPayload["path"]>;

export type PatchOp = { op: "replace"; path: AnyPatchPath; value: unknown; index: number } | { op: "promote-options"; index: number };

type OidcProvider = CreateOIDCPayload["provider"];
const OIDC_PROVIDERS: readonly OidcProvider[] = ["auth0", "okta", "generic", "salesforce", "keycloak", "adfs", "azureAD"];
const ALL_PROVIDERS: readonly IDPProvider[] = ["auth0", "okta", "qlik", "generic", "salesforce", "keycloak", "adfs", "external", "azureAD"];
const EMAIL_VERIFIED_PROVIDERS: readonly string[] = ["adfs", "azureAD"];

const INTERACTIVE_CLAIMS: readonly (keyof ClaimsMappingInteractive)[] = [
  "sub", "name", "email", "email_verified", "groups", "picture", "locale", "zoneinfo", "client_id",
];
const NON_INTERACTIVE_CLAIMS: readonly (keyof ClaimsMappingNonInteractive)[] = ["sub", "client_id"];

const CREATE_KEYS: readonly (keyof CreateOIDCPayload)[] = [
  "protocol", "provider", "interactive", "description", "clockToleranceSec", "createNewUsersOnLogin",
  "postLogoutRedirectUri", "options", "pendingOptions", "skipVerify", "tenantIds",
];

export const REALM_PATTERN = /^[A-Za-z0-9][A-Za-z0-9.\-_]+$/;

export interface ValidationContext {
  readonly provider: string;
  readonly interactive: boolean;
}

type Check = (value: unknown, pointer: string, ctx: ValidationContext) => ErrorIssue[];

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

const issue = (pointer: string, detail: string): ErrorIssue[] => [{ pointer, detail }];

const bool: Check = (v, p) => (typeof v === "boolean" ? [] : issue(p, `must be a boolean, got ${kindOf(v)}`));

const string =
  (opts: { max?: number; nonEmpty?: boolean } = {}): Check =>
  (v, p) => {
    if (typeof v !== "string") return issue(p, `must be a string, got ${kindOf(v)}`);
    if (opts.nonEmpty && v.length === 0) return issue(p, "must not be empty");
    if (opts.max !== undefined && v.length > opts.max) return issue(p, `must be at most ${opts.max} characters, got ${v.length}`);
    return [];
  };

const oneOf =
  (values: readonly string[]): Check =>
  (v, p) =>
    typeof v === "string" && values.includes(v) ? [] : issue(p, `must be one of ${values.join(", ")}`);

const integerInRange =
  (min: number, max: number): Check =>
  (v, p) =>
    typeof v === "number" && Number.isInteger(v) && v >= min && v <= max
      ? []
      : issue(p, `must be an integer between ${min} and ${max}`);

export const httpUrl: Check = (v, p) => {
  if (typeof v !== "string" || v.length === 0) return issue(p, `must be an absolute http(s) URL, got ${kindOf(v)}`);
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return issue(p, "must be an absolute http(s) URL");
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return issue(p, "must be an absolute http(s) URL");
  if (/\s/.test(v)) return issue(p, "must not contain whitespace");
  return [];
};

const description = string({ max: 128 });
const postLogoutRedirectUri = string({ max: 2083 });
const clockToleranceSec = integerInRange(0, 7200);

const realm: Check = (v, p) => {
  const base = string({ max: 254 })(v, p, { provider: "", interactive: true });
  if (base.length > 0) return base;
  return REALM_PATTERN.test(v as string) ? [] : issue(p, `must match ${REALM_PATTERN.source}`);
};

const meta: Check = (v, p) => (isPlainObject(v) ? [] : issue(p, `must be an object, got ${kindOf(v)}`));

/** Claim values are plain claim names or RFC 6901 JSON pointers; a pointer's `~` must be `~0` or `~1`. */
const claimsMapping =
  (allowed: readonly string[]): Check =>
  (v, p) => {
    if (!isPlainObject(v)) return issue(p, `must be an object, got ${kindOf(v)}`);
    const out: ErrorIssue[] = [];
    for (const [key, values] of Object.entries(v)) {
      const kp = `${p}/${key}`;
      if (!allowed.includes(key)) {
        out.push({ pointer: kp, detail: `unknown claim; allowed: ${allowed.join(", ")}` });
        continue;
      }
      if (!Array.isArray(values)) {
        out.push({ pointer: kp, detail: `must be an array of strings, got ${kindOf(values)}` });
        continue;
      }
      values.forEach((s: unknown, i) => {
        if (typeof s !== "string" || s.length === 0) out.push({ pointer: `${kp}/${i}`, detail: "must be a non-empty string" });
        else if (s.startsWith("/") && /~(?![01])/.test(s))
          out.push({ pointer: `${kp}/${i}`, detail: "invalid JSON pointer escape (use ~0 or ~1)" });
      });
    }
    return out;
  };

function strictObject(
  v: unknown,
  p: string,
  ctx: ValidationContext,
  fields: Readonly<Record<string, Check>>,
  required: readonly string[],
): ErrorIssue[] {
  if (!isPlainObject(v)) return issue(p, `must be an object, got ${kindOf(v)}`);
  const out: ErrorIssue[] = [];
  for (const r of required) if (v[r] === undefined) out.push({ pointer: `${p}/${r}`, detail: "is required" });
  for (const [key, value] of Object.entries(v)) {
    const check = fields[key];
    if (!check) out.push({ pointer: `${p}/${key}`, detail: "unknown property" });
    else if (value !== undefined) out.push(...check(value, `${p}/${key}`, ctx));
  }
  return out;
}

const openidConfigurationFields: Record<keyof OpenIDConfiguration, Check> = {
  issuer: httpUrl,
  authorization_endpoint: httpUrl,
  token_endpoint: httpUrl,
  jwks_uri: httpUrl,
  userinfo_endpoint: httpUrl,
  end_session_endpoint: httpUrl,
  introspection_endpoint: httpUrl,
};
const openidConfiguration: Check = (v, p, ctx) =>
  strictObject(v, p, ctx, openidConfigurationFields, ["issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"]);

const optionalString = string();
const decryptingKeyFields: Record<keyof DecryptingKey, Check> = {
  keySize: integerInRange(1, 65536),
  keyType: string({ nonEmpty: true }),
  certificate: optionalString,
  createdAt: optionalString,
  createdBy: optionalString,
  jwks: optionalString,
  keyId: optionalString,
  publicKey: optionalString,
};
const decryptingKey: Check = (v, p, ctx) => strictObject(v, p, ctx, decryptingKeyFields, ["keySize", "keyType"]);

const emailVerifiedAlwaysTrue: Check = (v, p, ctx) => {
  const base = bool(v, p, ctx);
  if (base.length > 0) return base;
  return EMAIL_VERIFIED_PROVIDERS.includes(ctx.provider)
    ? []
    : issue(p, `only ADFS and AzureAD identity providers can set emailVerifiedAlwaysTrue (provider is ${ctx.provider})`);
};

const nonEmptyString = string({ nonEmpty: true });

/** Fields of interactive OIDC options (pendingOptions, and options when created with skipVerify). */
const interactiveOptionFields: Record<keyof PendingOptionsPayload, Check> = {
  blockOfflineAccessScope: bool,
  claimsMapping: claimsMapping(INTERACTIVE_CLAIMS),
  clientId: nonEmptyString,
  clientSecret: nonEmptyString,
  decryptingKey,
  discoveryUrl: httpUrl,
  emailVerifiedAlwaysTrue,
  idTokenSignatureAlg: oneOf(["RS256", "RS512"]),
  openid_configuration: openidConfiguration,
  realm,
  scope: string({ max: 254 }),
  useClaimsFromIdToken: bool,
};

/** Fields of non-interactive OIDC options (machine-to-machine). */
const nonInteractiveOptionFields: Record<keyof NonNullable<CreateOIDCPayload["options"]>, Check> = {
  allowedClientIds: (v, p) =>
    Array.isArray(v) && v.every((s) => typeof s === "string" && s.length > 0) ? [] : issue(p, "must be an array of non-empty strings"),
  audience: string(),
  claimsMapping: claimsMapping(NON_INTERACTIVE_CLAIMS),
  discoveryUrl: httpUrl,
  openid_configuration: openidConfiguration,
  realm,
};

export function validateOptions(v: unknown, p: string, ctx: ValidationContext): ErrorIssue[] {
  const out = ctx.interactive
    ? strictObject(v, p, ctx, interactiveOptionFields, ["clientId", "clientSecret", "claimsMapping"])
    : strictObject(v, p, ctx, nonInteractiveOptionFields, ["claimsMapping"]);
  if (isPlainObject(v) && v.discoveryUrl === undefined && v.openid_configuration === undefined)
    out.push({ pointer: `${p}/discoveryUrl`, detail: "is required unless openid_configuration is given" });
  return out;
}

const interactiveOptions: Check = (v, p, ctx) => validateOptions(v, p, { ...ctx, interactive: true });
const currentOptions: Check = (v, p, ctx) => validateOptions(v, p, ctx);
const currentClaimsMapping: Check = (v, p, ctx) =>
  claimsMapping(ctx.interactive ? INTERACTIVE_CLAIMS : NON_INTERACTIVE_CLAIMS)(v, p, ctx);

/** Value checks for every documented OIDC patch path (Qlik's enum, exactly). */
const OIDC_PATCH_PATHS: Record<OidcPatchPath, Check> = {
  "/active": bool,
  "/description": description,
  "/meta": meta,
  "/postLogoutRedirectUri": postLogoutRedirectUri,
  "/clockToleranceSec": clockToleranceSec,
  "/options": currentOptions,
  "/options/realm": realm,
  "/options/discoveryUrl": httpUrl,
  "/options/claimsMapping": currentClaimsMapping,
  "/pendingOptions": interactiveOptions,
  "/pendingOptions/realm": realm,
  "/pendingOptions/discoveryUrl": httpUrl,
  "/pendingOptions/clientId": nonEmptyString,
  "/pendingOptions/clientSecret": nonEmptyString,
  "/pendingOptions/emailVerifiedAlwaysTrue": emailVerifiedAlwaysTrue,
  "/pendingOptions/claimsMapping": claimsMapping(INTERACTIVE_CLAIMS),
  "/pendingOptions/idTokenSignatureAlg": oneOf(["RS256", "RS512"]),
  "/pendingOptions/decryptingKey": decryptingKey,
};

/** For seeded non-OIDC IdPs the emulator only supports the generic top-level paths. */
const GENERIC_PATHS: Partial<Record<AnyPatchPath, Check>> = {
  "/active": bool,
  "/description": description,
  "/postLogoutRedirectUri": postLogoutRedirectUri,
  "/clockToleranceSec": clockToleranceSec,
};
const JWT_PATHS: Partial<Record<AnyPatchPath, Check>> = { "/description": description };

function pathTable(protocol: unknown): Partial<Record<AnyPatchPath, Check>> {
  if (protocol === "OIDC") return OIDC_PATCH_PATHS;
  if (protocol === "jwtAuth") return JWT_PATHS;
  return GENERIC_PATHS;
}

/**
 * Validates a create body. Returns the typed payload or throws an HttpError (400 with every issue found; 403 when
 * `tenantIds` does not contain the caller's tenant, checked only once the body is otherwise valid).
 */
export function validateCreate(body: unknown, tenantId: string): CreateOIDCPayload {
  if (!isPlainObject(body)) throw badRequest(`request body must be a JSON object, got ${kindOf(body)}`, "");
  const protocol = body.protocol;
  if (protocol === undefined) throw invalidProperties([{ pointer: "/protocol", detail: "is required" }]);
  if (protocol === "SAML" || protocol === "jwtAuth")
    throw invalidProperties([{ pointer: "/protocol", detail: `protocol ${protocol} is not supported by the Qlik emulator (OIDC only)` }]);
  if (protocol !== "OIDC") throw invalidProperties([{ pointer: "/protocol", detail: "must be one of OIDC, SAML, jwtAuth" }]);

  const out: ErrorIssue[] = [];
  for (const key of Object.keys(body)) {
    if (key === "active")
      out.push({ pointer: "/active", detail: "active cannot be set on create; activate with PATCH [{op:replace, path:/active, value:true}]" });
    else if (!(CREATE_KEYS as readonly string[]).includes(key)) out.push({ pointer: `/${key}`, detail: "unknown property" });
  }

  const provider = body.provider;
  if (provider === undefined) out.push({ pointer: "/provider", detail: "is required" });
  else if (!(OIDC_PROVIDERS as readonly unknown[]).includes(provider))
    out.push({
      pointer: "/provider",
      detail: (ALL_PROVIDERS as readonly unknown[]).includes(provider)
        ? `provider ${String(provider)} is not valid for protocol OIDC`
        : `must be one of ${OIDC_PROVIDERS.join(", ")}`,
    });
  const interactive = body.interactive;
  if (interactive === undefined) out.push({ pointer: "/interactive", detail: "is required" });
  else out.push(...bool(interactive, "/interactive", { provider: "", interactive: true }));

  const ctx: ValidationContext = { provider: typeof provider === "string" ? provider : "", interactive: interactive === true };
  const optional: [string, Check][] = [
    ["description", description],
    ["clockToleranceSec", clockToleranceSec],
    ["createNewUsersOnLogin", bool],
    ["postLogoutRedirectUri", postLogoutRedirectUri],
    ["skipVerify", bool],
    [
      "tenantIds",
      (v, p) => (Array.isArray(v) && v.every((s) => typeof s === "string") ? [] : issue(p, "must be an array of strings")),
    ],
  ];
  for (const [key, check] of optional) if (body[key] !== undefined) out.push(...check(body[key], `/${key}`, ctx));

  const hasPending = body.pendingOptions !== undefined;
  const hasOptions = body.options !== undefined;
  if (interactive === true) {
    if (hasPending && hasOptions)
      out.push({ pointer: "/options", detail: "send either pendingOptions, or options with skipVerify: true, not both" });
    else if (hasPending && body.skipVerify === true)
      out.push({ pointer: "/skipVerify", detail: "skipVerify applies to options; pendingOptions always require verification" });
    else if (hasOptions && body.skipVerify !== true)
      out.push({ pointer: "/skipVerify", detail: "an interactive IdP created with options needs skipVerify: true (or send pendingOptions)" });
    else if (!hasPending && !hasOptions)
      out.push({ pointer: "/pendingOptions", detail: "is required for an interactive IdP (or options with skipVerify: true)" });
    if (hasPending) out.push(...validateOptions(body.pendingOptions, "/pendingOptions", ctx));
    if (hasOptions) out.push(...validateOptions(body.options, "/options", ctx));
  } else if (interactive === false) {
    if (hasPending) out.push({ pointer: "/pendingOptions", detail: "pendingOptions only apply to interactive IdPs" });
    if (body.skipVerify === true) out.push({ pointer: "/skipVerify", detail: "skipVerify only applies to interactive IdPs" });
    if (!hasOptions) out.push({ pointer: "/options", detail: "is required for a non-interactive IdP" });
    else out.push(...validateOptions(body.options, "/options", ctx));
  }

  if (out.length > 0) throw invalidProperties(out);
  if (Array.isArray(body.tenantIds) && !body.tenantIds.includes(tenantId))
    throw forbidden("tenantIds must contain the tenant ID of the requesting user");
  return body as unknown as CreateOIDCPayload;
}

/**
 * Validates the shape of a PATCH body for the given IdP (ops, paths, value types). State rules (activation,
 * promotion, POPTS match) are checked while applying, in `state.ts`. Throws an HttpError listing every issue.
 */
export function validatePatch(body: unknown, idp: Record<string, unknown>): PatchOp[] {
  if (!Array.isArray(body)) throw badRequest(`request body must be a JSON array of patch operations, got ${kindOf(body)}`, "");
  if (body.length === 0) throw badRequest("request body must contain at least one patch operation", "");
  const table = pathTable(idp.protocol);
  const ctx: ValidationContext = { provider: String(idp.provider ?? ""), interactive: idp.interactive === true };
  const out: ErrorIssue[] = [];
  const ops: PatchOp[] = [];
  body.forEach((raw: unknown, index) => {
    const p = `/${index}`;
    if (!isPlainObject(raw)) {
      out.push({ pointer: p, detail: `must be an object, got ${kindOf(raw)}` });
      return;
    }
    for (const key of Object.keys(raw))
      if (key !== "op" && key !== "path" && key !== "value") out.push({ pointer: `${p}/${key}`, detail: "unknown property" });
    const { op, path } = raw;
    if (op === "promote-options") {
      if (idp.protocol !== "OIDC" && idp.protocol !== "SAML")
        out.push({ pointer: `${p}/op`, detail: "promote-options is only valid for OIDC and SAML IdPs" });
      if (path !== undefined) out.push({ pointer: `${p}/path`, detail: "promote-options takes no path" });
      if (raw.value !== undefined) out.push({ pointer: `${p}/value`, detail: "promote-options takes no value" });
      ops.push({ op, index });
      return;
    }
    if (op !== "replace") {
      out.push({ pointer: `${p}/op`, detail: 'must be one of "replace", "promote-options"' });
      return;
    }
    if (typeof path !== "string") {
      out.push({ pointer: `${p}/path`, detail: "is required for replace" });
      return;
    }
    const check = table[path as AnyPatchPath];
    if (!check) {
      out.push({ pointer: `${p}/path`, detail: `path ${path} cannot be patched; allowed: ${Object.keys(table).join(", ")}` });
      return;
    }
    if (path.startsWith("/pendingOptions") && !ctx.interactive) {
      out.push({ pointer: `${p}/path`, detail: "pendingOptions only apply to interactive IdPs" });
      return;
    }
    if (!("value" in raw) || raw.value === undefined) {
      out.push({ pointer: `${p}/value`, detail: "is required for replace" });
      return;
    }
    const issues = check(raw.value, `${p}/value`, ctx);
    out.push(...issues);
    if (issues.length === 0) ops.push({ op: "replace", path: path as AnyPatchPath, value: raw.value, index });
  });
  if (out.length > 0) throw invalidProperties(out);
  return ops;
}

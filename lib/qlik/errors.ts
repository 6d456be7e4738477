/**
 * Every error the Qlik step raises, and every message it prints for one, lives here (cdktf `lib/errors.ts` style):
 * one line saying what failed and what to do. Messages carry the HTTP status, Qlik's error code and title, the
 * method and request path — never request or response headers, bodies, tokens, API keys or client secrets.
 */
import { ENV, tenantUrl } from "../contract";
import { UserFacingError } from "../errors";

/** A refusal or failure of the Qlik step whose message is written for the user (one line, no stack trace needed). */
export class QlikError extends UserFacingError {
  public override readonly name: string = "QlikError";
}

/** How the client authenticates; the advice for 401/403 depends on it. */
export type QlikAuthKind = "apiKey" | "oauth";

export interface QlikApiErrorDetails {
  /** HTTP status; undefined when no response arrived (network error, timeout). */
  readonly status?: number;
  /** Qlik's error code (`errors[0].code`, e.g. "IDP-2"). */
  readonly code?: string;
  /** Qlik's error title (`errors[0].title`). */
  readonly title?: string;
  /** JSON pointer of the offending property, when Qlik names one (`errors[0].source.pointer`). */
  readonly pointer?: string;
  readonly method: string;
  /** Request path without the query string. */
  readonly path: string;
  /** Attempts made (1 = no retry). */
  readonly attempts: number;
  /** Network error code (ECONNREFUSED, ETIMEDOUT…) when no response arrived. */
  readonly networkCode?: string;
  /** Whether the request was safe to repeat; a 5xx on an unsafe request is not retried. */
  readonly safeToRepeat: boolean;
  readonly authKind: QlikAuthKind;
  /** Origin of the API (for "check QLIK_BASE_URL" advice). */
  readonly origin: string;
}

/** A failed Qlik API call. Keeps status, code, title, method and path; never headers, bodies or credentials. */
export class QlikApiError extends QlikError {
  public override readonly name = "QlikApiError";
  public readonly status?: number;
  public readonly code?: string;
  public readonly title?: string;
  public readonly pointer?: string;
  public readonly method: string;
  public readonly path: string;
  public readonly attempts: number;
  public readonly networkCode?: string;

  constructor(details: QlikApiErrorDetails) {
    super(apiErrorMessage(details));
    this.status = details.status;
    this.code = details.code;
    this.title = details.title;
    this.pointer = details.pointer;
    this.method = details.method;
    this.path = details.path;
    this.attempts = details.attempts;
    this.networkCode = details.networkCode;
  }
}

function apiErrorMessage(d: QlikApiErrorDetails): string {
  const call = `Qlik API ${d.method} ${d.path}`;
  const retried = d.attempts > 1 ? ` after ${d.attempts} attempts` : "";
  if (d.status === undefined) {
    const why = d.networkCode === "ETIMEDOUT" || d.networkCode === "ECONNABORTED" ? "no answer in time" : `network error ${d.networkCode ?? "unknown"}`;
    const unsafe = d.safeToRepeat ? "" : "; it was not repeated because repeating it could make a duplicate — run apply again, it finds the IdP by its marker";
    return `${call} failed${retried}: ${why} reaching ${d.origin}${unsafe}; check QLIK_BASE_URL (or the stack's qlik.tenantHostname) and the network`;
  }
  const qlik = [d.title, d.code ? `(${d.code})` : undefined, d.pointer ? `at ${d.pointer}` : undefined].filter(Boolean).join(" ");
  const head = `${call} failed${retried}: HTTP ${d.status}${qlik ? ` ${qlik}` : ""}`;
  return `${head}; ${advice(d)}`;
}

function advice(d: QlikApiErrorDetails): string {
  const status = d.status ?? 0;
  if (status === 401) {
    return d.authKind === "apiKey"
      ? "check QLIK_API_KEY: it is not accepted by this tenant (expired, revoked, or for another tenant)"
      : "check QLIK_CLIENT_ID and QLIK_CLIENT_SECRET: the OAuth client was not accepted by this tenant";
  }
  if (status === 403) {
    return d.authKind === "apiKey"
      ? "the API key's user needs the TenantAdmin role to manage identity providers"
      : "the OAuth client needs the admin_classic scope (machine-to-machine clients act as TenantAdmin)";
  }
  if (status === 404) return "not found on this tenant: it may have been deleted meanwhile; run the command again";
  if (status === 412) return "the pending configuration changed since it was read; run apply again";
  if (status === 429) return "Qlik's rate limit is still reached; wait a few minutes and run again (identity-provider writes are limited to 100 a minute)";
  if (status >= 500) {
    return d.safeToRepeat
      ? "Qlik had a server error; try again later (https://status.qlik.com)"
      : "Qlik had a server error and the request was not repeated because repeating it could make a duplicate; run apply again, it finds the IdP by its marker";
  }
  if (status === 400) return "Qlik rejected the request; check the stack's identityProvider settings";
  return "unexpected answer from Qlik; run again, and report it if it persists";
}

/** Pagination or a redirect pointed at another origin: credentials are never sent there. */
export const foreignOriginError = (what: string, origin: string, expected: string): QlikError =>
  new QlikError(`Refusing to follow ${what} to ${origin}: credentials are only sent to ${expected} (QLIK_BASE_URL)`);

export const missingCredentialsError = (): QlikError =>
  new QlikError(
    "No Qlik credentials: set QLIK_API_KEY (an API key of a TenantAdmin user), or QLIK_CLIENT_ID and QLIK_CLIENT_SECRET (an OAuth machine-to-machine client with the admin_classic scope)",
  );

export const halfOAuthCredentialsError = (missing: string): QlikError =>
  new QlikError(`${missing} is not set: OAuth machine-to-machine auth needs both QLIK_CLIENT_ID and QLIK_CLIENT_SECRET`);

export const badBaseUrlError = (value: string, why: string): QlikError =>
  new QlikError(`QLIK_BASE_URL ${JSON.stringify(value)} ${why}; unset it to use https://<tenantHostname>`);

export const ambiguousCredentialsError = (): QlikError =>
  new QlikError(
    `both ${ENV.qlikApiKey} and ${ENV.qlikClientId}/${ENV.qlikClientSecret} are set: unset the one you do not mean ` +
      "(an API key of a TenantAdmin user, or an OAuth machine-to-machine client with the admin_classic scope)",
  );

export const tokenResponseError = (): QlikError =>
  new QlikError("Qlik's /oauth/token answered without an access_token; check QLIK_CLIENT_ID and QLIK_CLIENT_SECRET");

export const redirectWithoutLocationError = (path: string): QlikError =>
  new QlikError(`Qlik API GET ${path} answered 302 without a tenant id in Location; check QLIK_BASE_URL points at a Qlik Cloud tenant`);

export const unexpectedResponseError = (method: string, path: string, status: number): QlikError =>
  new QlikError(`Qlik API ${method} ${path} answered HTTP ${status}, which this tool does not expect; check QLIK_BASE_URL points at a Qlik Cloud tenant`);

// ── tenant hostname: never through an alias ──────────────────────────────────────────────────────────────────────────

export const aliasHostnameError = (configured: string, real: string, stack: string): QlikError =>
  new QlikError(
    `${configured} is an alias of the Qlik tenant ${real}: set stacks.${stack}.qlik.tenantHostname to ${real}. ` +
      `The Okta sign-in callback https://<host>/login/callback must use the real hostname; a login through the alias ends in an Okta redirect_uri mismatch`,
  );

export const unknownHostnameError = (configured: string, hostnames: readonly string[], stack: string): QlikError =>
  new QlikError(
    `${configured} is not a hostname of the Qlik tenant these credentials belong to (its hostnames: ${hostnames.join(", ") || "none"}); ` +
      `set stacks.${stack}.qlik.tenantHostname to ${hostnames[0] ?? "the tenant's hostname"} or use credentials for the right tenant`,
  );

// ── finding the managed IdP: one per stack, never guessed ────────────────────────────────────────────────────────────

export const severalManagedError = (stack: string, ids: readonly string[], tenant: string): QlikError =>
  new QlikError(
    `${ids.length} identity providers carry the marker of stack ${stack} (${ids.join(", ")}); another apply may still be running — ` +
      `run apply again, and if this persists keep one and delete the others (${tenantUrl(tenant)} → Administration → Identity provider)`,
  );

export const markerConflictError = (stack: string, id: string, stacks: readonly string[], description: string, tenant: string): QlikError =>
  new QlikError(
    `identity provider ${id} (${JSON.stringify(description)}) names stack ${stack} but is not exactly its own ` +
      `(markers: ${stacks.map((s) => JSON.stringify(s)).join(", ")}; ours is one marker at the end): it may be another stack's sign-in, so nothing is changed. ` +
      `Fix its description in ${tenantUrl(tenant)} → Administration → Identity provider, leaving one marker of the stack that owns it, then run again`,
  );

export const severalAdoptableError = (clientId: string, ids: readonly string[]): QlikError =>
  new QlikError(
    `${ids.length} Okta identity providers use client id ${clientId} (${ids.join(", ")}) and none carries the managed-by marker; ` +
      `delete the extra ones, or add the marker to the one to keep, then run again`,
  );

export const duplicateCleanupError = (id: string, winner: string, cause: string): QlikError =>
  new QlikError(
    `Another apply created identity provider ${winner} at the same time; deleting this run's copy ${id} failed (${cause}); ` +
      `delete ${id} in Administration → Identity provider, or run apply again`,
  );

export const createWithoutIdError = (): QlikError =>
  new QlikError("Qlik answered the create without an identity provider id; run apply again (it finds the IdP by its marker)");

export const promoteMismatchError = (id: string, why: string): QlikError =>
  new QlikError(`Not promoting the pending options of identity provider ${id}: ${why}; run apply again`);

// ── lockout guard: why an action is held back, and exactly what to set ───────────────────────────────────────────────

/** Where a TenantAdmin signs in through Qlik Account when the IdP is broken (help.qlik.com idp-recover). */
export const recoveryUrl = (tenant: string): string => tenantUrl(tenant, "/login/recover");

const guardSetting = (stack: string): string => `stacks.${stack}.identityProvider.allowActiveIdpChange: true`;

export const activationBlocked = (activeIdps: string, stack: string, tenant: string): string =>
  `not activating the Okta IdP because ${activeIdps} is the tenant's active interactive IdP and activating ours would replace it; ` +
  `set ${guardSetting(stack)} to switch (recovery if sign-in breaks: ${recoveryUrl(tenant)})`;

export const recreateBlocked = (fields: string, id: string, stack: string, tenant: string): string =>
  `${fields} cannot be changed in place, and recreating the active IdP ${id} would sign everyone out to Qlik Account login; ` +
  `set ${guardSetting(stack)} to recreate it, or revert ${fields} (recovery: ${recoveryUrl(tenant)})`;

export const deactivationBlocked = (id: string, stack: string): string =>
  `IdP ${id} is the tenant's active sign-in but stacks.${stack}.identityProvider.activate is false; ` +
  `set activate: true to keep it, or ${guardSetting(stack)} to deactivate it (users would sign in with Qlik Account)`;

export const liveOptionsBlocked = (fields: string, id: string, stack: string, tenant: string): string =>
  `changing ${fields} of the active IdP ${id} takes effect for every sign-in at once, untested (verification: skip); ` +
  `set ${guardSetting(stack)} to change it live, or use verification: interactive to test it first (recovery: ${recoveryUrl(tenant)})`;

export const rekeyBlocked = (fields: string, id: string, stack: string): string =>
  `changing ${fields} of IdP ${id}, which users already sign in through, gives every user a new identity in Qlik ` +
  `(new users, their content and access left behind); set stacks.${stack}.identityProvider.allowUserRekey: true if that is really intended, or revert ${fields}`;

export const secretRejectedBlocked = (id: string | undefined, detail: string): string =>
  `Okta does not accept this client secret for the app: ${detail}. Writing it into the live options of ${id ? `IdP ${id}` : "the new IdP"} ` +
  `would lock every user out. Check ${ENV.idpClientSecret} (terraform output -raw okta_client_secret) and run again`;

export const secretUnverifiedBlocked = (id: string, stack: string, detail: string): string =>
  `the client secret could not be checked with Okta (${detail}), and IdP ${id} is the tenant's active sign-in: a wrong secret would lock everyone out; ` +
  `run again when Okta answers, or set ${guardSetting(stack)} to write it unchecked`;

export const deletionBlocked = (id: string, stack: string, tenant: string): string =>
  `IdP ${id} is the tenant's active sign-in; deleting it would switch everyone to Qlik Account login — ` +
  `set ${guardSetting(stack)} to allow it, or onDestroy: retain to keep it (recovery: ${recoveryUrl(tenant)})`;

// ── apply outcome ────────────────────────────────────────────────────────────────────────────────────────────────────

/** Apply could not reach the desired state because the lockout guard held an action back. */
export const blockedApplyError = (reasons: readonly string[]): QlikError =>
  new QlikError(`Apply stopped short: ${reasons.join("; ")}`);

/** A failure part-way through: says what failed and what was already done, so nothing half-done goes unreported. */
export const partialApplyError = (cause: string, done: readonly string[]): QlikError =>
  new QlikError(done.length === 0 ? cause : `${cause} (already done: ${done.join("; ")})`);

// ── CLI input ────────────────────────────────────────────────────────────────────────────────────────────────────────

export const missingSecretError = (): QlikError =>
  new QlikError(`${ENV.idpClientSecret} is not set: export the Okta app's client secret (terraform output, or the Okta console) before idp plan/apply`);

export const requestEnvError = (name: string, why: string): QlikError =>
  new QlikError(`--request-env ${name}: ${why}`);

export const inputChoiceError = (): QlikError =>
  new QlikError("Give either --request-env NAME, or --config FILE --stack NAME --client-id ID");

export const noConfigFileError = (): QlikError =>
  new QlikError(
    "no config file here: pass --config FILE (e.g. --config ../../../qlik-okta.yaml from a stack directory), set QLIK_OKTA_CONFIG, " +
      "or run where qlik-okta.yaml is (to make one: cp examples/qlik-okta.yaml qlik-okta.yaml, then set your Okta org and tenant); " +
      "the bundled example describes no real tenant, so no credentials are sent to its hosts",
  );

export const unknownStackError = (stack: string, file: string, known: readonly string[]): QlikError =>
  new QlikError(`No stack ${JSON.stringify(stack)} in ${file}; stacks there: ${known.join(", ") || "none"}`);

export const resultFileError = (file: string, code: string | undefined): QlikError =>
  new QlikError(`Could not write --result-file ${file} (${code ?? "error"}); the outcome is in the output above`);

export const badOptionError = (option: string, why: string): QlikError => new QlikError(`${option}: ${why}`);

export const missingOptionError = (option: string, why: string): QlikError =>
  new QlikError(`${option} is required ${why}`);

/**
 * Qlik-shaped error bodies (`{ errors: [{ code, title, detail?, status?, source? }] }`, the format of Qlik's API
 * spec: `code` and `title` always present, the rest optional; in the identity-providers API `status` is a number).
 *
 * The real service's numeric IdP error codes are not published, so the emulator uses a small fixed set, exported as
 * {@link QLIK_EMULATOR_ERROR_CODES}, so tests can assert on them. Clients should key on HTTP status, not on these.
 */
import type { Error as IdpError, Errors as IdpErrors } from "@qlik/api/identity-providers";
import type { Errors as TenantErrors } from "@qlik/api/tenants";

export const QLIK_EMULATOR_ERROR_CODES = {
  /** Malformed request: invalid JSON, wrong body type. */
  badRequest: "IDP-1",
  /** A property failed validation (pointer in `source.pointer`). */
  invalidProperty: "IDP-2",
  /** The operation is not allowed in the IdP's current state (activation, promotion, deletion rules). */
  invalidStateTransition: "IDP-3",
  notFound: "IDP-4",
  forbidden: "IDP-5",
  preconditionFailed: "IDP-6",
  /** A query parameter failed validation (name in `source.parameter`). */
  invalidQuery: "IDP-7",
  tenantNotFound: "TENANTS-8",
  unauthorized: "HTTP-401",
  rateLimited: "HTTP-429",
} as const;

export interface ErrorIssue {
  readonly detail: string;
  readonly pointer?: string;
  readonly parameter?: string;
}

/** An error that a handler throws to answer with a Qlik-shaped error body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

/** An IdP-API error (numeric `status`), one entry per issue. */
export function idpError(status: number, code: string, title: string, issues: readonly ErrorIssue[]): HttpError {
  const errors: IdpError[] = issues.map((issue) => {
    const e: IdpError = { code, title, detail: issue.detail, status };
    if (issue.pointer !== undefined || issue.parameter !== undefined) {
      e.source = {};
      if (issue.pointer !== undefined) e.source.pointer = issue.pointer;
      if (issue.parameter !== undefined) e.source.parameter = issue.parameter;
    }
    return e;
  });
  const body: IdpErrors = { errors };
  return new HttpError(status, body);
}

export const badRequest = (detail: string, pointer?: string): HttpError =>
  idpError(400, QLIK_EMULATOR_ERROR_CODES.badRequest, "Bad request", [{ detail, pointer }]);

export const invalidProperties = (issues: readonly ErrorIssue[]): HttpError =>
  idpError(400, QLIK_EMULATOR_ERROR_CODES.invalidProperty, "Invalid property", issues);

export const invalidStateTransition = (detail: string, pointer?: string): HttpError =>
  idpError(400, QLIK_EMULATOR_ERROR_CODES.invalidStateTransition, "Invalid state transition", [{ detail, pointer }]);

export const idpNotFound = (id: string): HttpError =>
  idpError(404, QLIK_EMULATOR_ERROR_CODES.notFound, "Not found", [{ detail: `identity provider ${id} not found` }]);

export const forbidden = (detail: string): HttpError =>
  idpError(403, QLIK_EMULATOR_ERROR_CODES.forbidden, "Forbidden", [{ detail }]);

export const preconditionFailed = (detail: string): HttpError =>
  idpError(412, QLIK_EMULATOR_ERROR_CODES.preconditionFailed, "Precondition failed", [{ detail }]);

export const invalidQuery = (parameter: string, detail: string): HttpError =>
  idpError(400, QLIK_EMULATOR_ERROR_CODES.invalidQuery, "Invalid query parameter", [{ detail, parameter }]);

export const unauthorized = (): HttpError =>
  new HttpError(401, { errors: [{ code: QLIK_EMULATOR_ERROR_CODES.unauthorized, title: "Unauthorized", status: 401 }] });

/** Generic `HTTP-<status>` error, as the platform (not a service) answers. */
export const httpStatusError = (status: number, title: string, headers: Record<string, string> = {}): HttpError =>
  new HttpError(status, { errors: [{ code: `HTTP-${status}`, title, status }] }, headers);

/** Tenants-API error: same shape, but Qlik's Tenants API sends `status` as a string and adds a top-level `traceId`. */
export function tenantsError(status: number, code: string, title: string, traceId: string): HttpError {
  const body: TenantErrors = { errors: [{ code, title, status: String(status) }], traceId };
  return new HttpError(status, body);
}

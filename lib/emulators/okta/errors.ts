import { randomBytes } from "node:crypto";

/**
 * Okta's error body, as recorded in the provider's VCR cassettes:
 * `{"errorCode":"E0000007","errorSummary":"Not found: …","errorLink":"E0000007","errorId":"oae…","errorCauses":[]}`.
 */
export interface OktaErrorBody {
  readonly errorCode: string;
  readonly errorSummary: string;
  readonly errorLink: string;
  readonly errorId: string;
  readonly errorCauses: readonly { readonly errorSummary: string }[];
}

/** One failed check of a request body: the field (dotted path) and what is wrong with it. */
export interface ValidationCause {
  readonly field: string;
  readonly message: string;
}

/**
 * Why a request was answered with an error.
 * `unexpected` marks answers that mean "the emulator does not model what the client sent"
 * (no route, wrong method, malformed or invalid body); they land in `OktaEmulator.unexpected`.
 */
export interface OktaErrorReply {
  readonly status: number;
  readonly body: OktaErrorBody;
  readonly unexpected: boolean;
}

function errorId(): string {
  return `oae${randomBytes(16).toString("base64url").slice(0, 22)}`;
}

function reply(status: number, code: string, summary: string, causes: readonly string[], unexpected: boolean): OktaErrorReply {
  return {
    status,
    unexpected,
    body: {
      errorCode: code,
      errorSummary: summary,
      errorLink: code,
      errorId: errorId(),
      errorCauses: causes.map((c) => ({ errorSummary: c })),
    },
  };
}

/** 404 E0000007, Okta's answer for a missing or deleted object. `kind` is Okta's internal type name, e.g. `AppInstance`. */
export function notFound(id: string, kind: string): OktaErrorReply {
  return reply(404, "E0000007", `Not found: Resource not found: ${id} (${kind})`, [], false);
}

/** 401 E0000011: missing or wrong `Authorization: SSWS …` header. */
export function invalidToken(): OktaErrorReply {
  return reply(401, "E0000011", "Invalid token provided", [], false);
}

/**
 * E0000015 for an org without API Access Management. The provider's cassettes
 * (e.g. TestAccResourceOktaAuthServer_fullStack/classic-00) show real Okta answering it with HTTP **401**, not 403.
 */
export function featureNotEnabled(): OktaErrorReply {
  return reply(401, "E0000015", "You do not have permission to access the feature you are requesting", [], false);
}

/** 400 E0000003: the body is not JSON, or not the JSON object the route needs. */
export function malformedBody(): OktaErrorReply {
  return reply(400, "E0000003", "The request body was not well-formed.", [], true);
}

/** 400 E0000001 "Api validation failed: <first field>", one errorCause per failed check (`"<field>: <message>"`). */
export function validationFailed(causes: readonly ValidationCause[]): OktaErrorReply {
  const first = causes[0]?.field ?? "request";
  return reply(400, "E0000001", `Api validation failed: ${first}`, causes.map((c) => `${c.field}: ${c.message}`), true);
}

/** 400 E0000031: a `filter`/`search` expression the emulator does not understand. */
export function invalidSearch(expression: string): OktaErrorReply {
  return reply(400, "E0000031", "Invalid search criteria.", [`Unsupported expression: ${expression}`], true);
}

/**
 * 400 E0000031 for a `GET /api/v1/apps` filter Okta does not support, as real Okta answers it: no causes (recorded
 * in okta/terraform-provider-okta#2251 for `filter=name sw "Atlassian"`). Unexpected, like every invalid request.
 */
export function invalidAppFilter(): OktaErrorReply {
  return reply(400, "E0000031", "Invalid search criteria.", [], true);
}

/**
 * Deleting the org's default authorization server. Okta refuses it since release 2022.10.0 ("This enhancement
 * prevents you from deleting the default authorization server, although you can disable it"; help.okta.com "Delete
 * an authorization server": "You can't delete the Default authorization server from your org"). The status and
 * errorCode are not documented or recorded anywhere found: 403 E0000006 [inferred].
 */
export function deleteDefaultAuthServer(): OktaErrorReply {
  return reply(403, "E0000006", "You do not have permission to perform the requested action", ["The default authorization server cannot be deleted."], false);
}

/** 404 for a path no route matches; always unexpected. */
export function noRoute(method: string, path: string): OktaErrorReply {
  return reply(404, "E0000007", `Not found: Resource not found: ${method} ${path} (the Okta emulator has no such route)`, [], true);
}

/** 405 E0000022 for a known path with a method it does not serve; always unexpected. */
export function methodNotAllowed(): OktaErrorReply {
  return reply(405, "E0000022", "The endpoint does not support the provided HTTP method", [], true);
}

/** 400 E0000056: Okta refuses to delete an ACTIVE app; it must be deactivated first. */
export function deleteActiveApp(): OktaErrorReply {
  return reply(400, "E0000056", "Delete application forbidden.", ["The application must be deactivated before it can be deleted."], false);
}

/** 400: an ACTIVE authorization server must be deactivated before it can be deleted. */
export function deleteActiveAuthServer(): OktaErrorReply {
  return reply(400, "E0000001", "Api validation failed: status", ["status: The authorization server must be deactivated before it can be deleted."], false);
}

/** 403 E0000006 for changes Okta never allows, e.g. deleting a system scope. */
export function forbidden(cause: string): OktaErrorReply {
  return reply(403, "E0000006", "You do not have permission to perform the requested action", [cause], false);
}

/**
 * 401 for a token request whose client id Okta does not know (or whose app is inactive). Unlike the token
 * endpoint's other errors this one comes in the Management API's shape (`errorCode: "invalid_client"`), as observed
 * from real Okta; see lib/okta/secret-check.ts.
 */
export function unknownOAuthClient(): OktaErrorReply {
  return reply(401, "invalid_client", "Invalid value for 'client_id' parameter.", [], false);
}

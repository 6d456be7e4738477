/**
 * Semantic rules, one pure function each: (value, path) → problems. They run after the structure is known to be
 * right (`schema.ts`), so they can trust types. Messages name the bad value and what would be valid. The rules live
 * in `rules/`, one file per concern; this module gathers them so `./rules` stays the one import path.
 *
 * - `rules/stack.ts`: the stack name.
 * - `rules/okta.ts`: the Okta org URL, app assignment, groups claim filter, authorization server.
 * - `rules/qlik.ts`: the Qlik tenant hostname and identity-provider settings.
 * - `rules/secrets.ts`: secrets anywhere in the config file, and the environment variables that carry them instead.
 * - `rules/backend.ts`: the Terraform state backend.
 * - `rules/markers.ts`: the managed-by marker, refused in every text value (only this tool writes it).
 * - `rules/adopted.ts`: ids of hand-made objects the stack imports, each tied to an object the stack declares.
 */

export { checkAdopted } from "./rules/adopted";
export { checkBackend } from "./rules/backend";
export { findMarkers } from "./rules/markers";
export { checkAssignment, checkAuthorizationServer, checkGroupsClaimRegex, checkOrgUrl } from "./rules/okta";
export { checkIdentityProvider, checkTenantHostname, DESCRIPTION_LIMIT } from "./rules/qlik";
export { BACKEND_SECRET_ENV, findSecrets, remoteTokenEnv } from "./rules/secrets";
export { checkStackName, STACK_NAME_PATTERN } from "./rules/stack";

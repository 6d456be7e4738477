import { DataOktaAppOauth } from "@cdktf/provider-okta/lib/data-okta-app-oauth";
import { TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { AdoptedIds } from "../config/schema";
import { nameKey } from "./construct-ids";
import { QlikApiAuthServer } from "./qlik-api-auth-server";
import { QlikOidcApp } from "./qlik-oidc-app";

/**
 * Adoption on the Terraform side: each hand-made object the config names under `adopted` gets an import block
 * (`importFrom`) on the resource that would otherwise create it, with the provider's import id. The construct tree
 * is not changed, so the addresses (the state contract) are the same as for a stack that created everything itself.
 *
 * Import ids (okta/okta 4.20.0): app `<appId>`; group assignment `<appId>/<groupId>`; authorization server `<id>`;
 * scope and policy `<serverId>/<id>`; rule `<serverId>/<policyId>/<ruleId>`.
 */
export function importAdopted(app: QlikOidcApp, authServer: QlikApiAuthServer | undefined, adopted: AdoptedIds): void {
  app.app.importFrom(adopted.oktaAppId);
  for (const [group, groupId] of Object.entries(adopted.groupAssignments)) {
    const id = group === "Everyone" ? "EveryoneAssignment" : `Assignment-${nameKey(group)}`;
    child(app, id).importFrom(`${adopted.oktaAppId}/${groupId}`);
  }
  const server = adopted.authorizationServer;
  if (!server || !authServer) return;
  authServer.authServer.importFrom(server.id);
  for (const [scope, scopeId] of Object.entries(server.scopes)) child(authServer, `Scope-${nameKey(scope)}`).importFrom(`${server.id}/${scopeId}`);
  if (server.policyId) child(authServer, "Policy").importFrom(`${server.id}/${server.policyId}`);
  if (server.policyId && server.ruleId) child(authServer, "Rule").importFrom(`${server.id}/${server.policyId}/${server.ruleId}`);
}

/**
 * The client secret Okta holds for an adopted app. okta/okta 4.20.0 never reads `client_secret` when it imports or
 * refreshes an app (only create and update responses carry it), so the imported resource's attribute is empty — and
 * if the first apply updates the app, it changes from empty to the real value mid-apply, which the Qlik step's
 * planned trigger could not know. The provider's `okta_app_oauth` data source reads the live secret (the latest
 * active one, `GET /api/v1/apps/{id}/credentials/secrets`) during the plan, so the secret Qlik gets, and the hash in
 * the plan, are the ones Okta accepts now: nothing is rotated, nothing is printed (the attribute is sensitive).
 */
export function adoptedAppSecret(scope: Construct, adopted: AdoptedIds): string {
  return new DataOktaAppOauth(scope, "AdoptedAppSecret", { id: adopted.oktaAppId }).clientSecret;
}

function child(scope: Construct, id: string): TerraformResource {
  const found = scope.node.tryFindChild(id);
  // The config's rules tie every adopted name to an object the stack declares; reaching this is a bug.
  if (!(found instanceof TerraformResource)) throw new Error(`adopted object ${scope.node.path}/${id} is not declared by the stack`);
  return found;
}

import { ConfigProblem, shown } from "../errors";
import { AdoptedIds, AppSettings, AuthorizationServerSettings } from "../schema";

/**
 * `adopted`: every id must belong to an object the stack declares, or its import block would have no resource to
 * import into (Terraform's error would name a generated address, not the setting). So each name here is checked
 * against the settings that create the object.
 */
export function checkAdopted(
  adopted: AdoptedIds,
  app: AppSettings | undefined,
  as: AuthorizationServerSettings | undefined,
  path: string,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (app) {
    const assigned = [...(app.assignToEveryone ? ["Everyone"] : []), ...app.groups];
    for (const name of Object.keys(adopted.groupAssignments)) {
      if (assigned.includes(name)) continue;
      const valid = assigned.length > 0 ? `the stack assigns: ${assigned.map((n) => shown(n)).join(", ")}` : "the stack assigns no group";
      const fix = name === "Everyone" ? "set app.assignToEveryone: true" : `add it to app.groups`;
      problems.push({ path: `${path}.groupAssignments.${name}`, message: `group ${shown(name)} is not assigned by this stack (${valid}); ${fix} or remove this entry` });
    }
  }
  const server = adopted.authorizationServer;
  if (server && as) {
    const at = `${path}.authorizationServer`;
    if (!as.enabled) {
      problems.push({ path: at, message: `the stack declares no authorization server (authorizationServer.enabled: false); enable it or remove this entry` });
    } else {
      const names = as.scopes.map((s) => s.name);
      for (const name of Object.keys(server.scopes)) {
        if (!names.includes(name)) {
          problems.push({ path: `${at}.scopes.${name}`, message: `scope ${shown(name)} is not in authorizationServer.scopes (${names.map((n) => shown(n)).join(", ")}); add it there or remove this entry` });
        }
      }
    }
    if (server.ruleId !== undefined && server.policyId === undefined) {
      problems.push({ path: `${at}.ruleId`, message: `a rule is imported with its policy: set policyId too (qlik-okta adopt prints both)` });
    }
  }
  return problems;
}

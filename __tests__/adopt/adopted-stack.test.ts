import { Testing } from "cdktf";
import { parseConfig, StackConfig } from "../../lib/config";
import { QlikOktaStack } from "../../lib/qlik-okta-stack";
import { problemsFor } from "../config/fixtures";

/** Adoption, Terraform side: the ids `qlik-okta adopt --write` records become import blocks on the same addresses. */

const BASE = `
stacks:
  prod:
    okta: { orgUrl: https://acme.okta.com }
    qlik: { tenantHostname: acme.eu.qlikcloud.com }
    app: { label: Qlik Cloud SaaS, groups: [Qlik Admins] }
`;

const ADOPTED = `    adopted:
      oktaAppId: 0oa1handmade
      groupAssignments: { Everyone: 00g1everyone, Qlik Admins: 00g2admins }
      authorizationServer:
        id: aus1qlikapi
        scopes: { qlik.api: scp1qlikapi }
        policyId: 00p1policy
        ruleId: 0pr1rule
`;

function synth(config: StackConfig): Record<string, any> {
  const stack = new QlikOktaStack(Testing.app(), "prod", { config, cliCommand: ["node", "/opt/qlik-okta/dist/lib/cli/bin.js"] });
  return JSON.parse(Testing.synth(stack));
}

const importsOf = (json: Record<string, any>): Record<string, string> =>
  Object.fromEntries(((json.import ?? []) as { to: string; id: string }[]).map((i) => [i.to, i.id]));

describe("an adopted stack", () => {
  it("imports every hand-made object at the address that would otherwise create it, with the provider's import id", () => {
    const plain = synth(parseConfig(BASE).stacks.prod);
    const json = synth(parseConfig(BASE + ADOPTED).stacks.prod);
    const address = (type: string, pick: (name: string) => boolean) => {
      const names = Object.keys(json.resource[type]).filter(pick);
      expect(names).toHaveLength(1);
      return `${type}.${names[0]}`;
    };
    expect(importsOf(json)).toEqual({
      [address("okta_app_oauth", () => true)]: "0oa1handmade",
      [address("okta_app_group_assignment", (n) => n.includes("EveryoneAssignment"))]: "0oa1handmade/00g1everyone",
      [address("okta_app_group_assignment", (n) => !n.includes("EveryoneAssignment"))]: "0oa1handmade/00g2admins",
      [address("okta_auth_server", () => true)]: "aus1qlikapi",
      [address("okta_auth_server_scope", () => true)]: "aus1qlikapi/scp1qlikapi",
      [address("okta_auth_server_policy", () => true)]: "aus1qlikapi/00p1policy",
      [address("okta_auth_server_policy_rule", () => true)]: "aus1qlikapi/00p1policy/0pr1rule",
    });
    // Same resources, same addresses as a stack that creates everything: adopting changes no state contract.
    for (const type of Object.keys(plain.resource)) expect(Object.keys(json.resource[type]).sort()).toEqual(Object.keys(plain.resource[type]).sort());
    expect(plain.import).toBeUndefined();
  });

  it("gives the Qlik step the live secret Okta holds (a data source), not the imported attribute the provider leaves empty", () => {
    const json = synth(parseConfig(BASE + ADOPTED).stacks.prod);
    const [name] = Object.keys(json.data.okta_app_oauth);
    expect(json.data.okta_app_oauth[name]).toEqual({ id: "0oa1handmade" });
    const step = Object.values(json.resource.terraform_data as Record<string, any>).find((r) => r.triggers_replace);
    const ref = `data.okta_app_oauth.${name}.client_secret`;
    expect(step.provisioner[0]["local-exec"].environment.QLIK_IDP_CLIENT_SECRET).toBe(`\${${ref}}`);
    expect(step.triggers_replace.clientSecretSha256).toBe(`\${sha256(${ref})}`);
    expect(json.output.okta_client_secret).toMatchObject({ sensitive: true, value: `\${${ref}}` });
  });

  it("adopts only what is named: an app alone imports the app, and the rest is created", () => {
    const json = synth(parseConfig(BASE + "    adopted: { oktaAppId: 0oa1handmade }\n").stacks.prod);
    expect(Object.values(importsOf(json))).toEqual(["0oa1handmade"]);
  });
});

describe("adopted: the config refuses ids that name nothing the stack declares", () => {
  it("reports every problem at once, with its path and the valid names", () => {
    const problems = problemsFor(
      BASE +
        `    authorizationServer: { enabled: false }
    adopted:
      oktaAppId: 0oa/../x
      groupAssignments: { Sales: 00g1 }
      authorizationServer: { id: aus1, ruleId: 0pr1 }
`,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^stacks\.prod\.adopted\.oktaAppId: "0oa\/\.\.\/x" is not an Okta app id/),
      ]),
    );
    const fixed = problemsFor(
      BASE +
        `    authorizationServer: { scopes: [{ name: qlik.api }] }
    adopted:
      oktaAppId: 0oa1
      groupAssignments: { Sales: 00g1 }
      authorizationServer: { id: aus1, scopes: { other: scp1 }, ruleId: 0pr1 }
`,
    );
    expect(fixed).toEqual([
      `stacks.prod.adopted.groupAssignments.Sales: group "Sales" is not assigned by this stack (the stack assigns: "Everyone", "Qlik Admins"); add it to app.groups or remove this entry`,
      `stacks.prod.adopted.authorizationServer.scopes.other: scope "other" is not in authorizationServer.scopes ("qlik.api"); add it there or remove this entry`,
      `stacks.prod.adopted.authorizationServer.ruleId: a rule is imported with its policy: set policyId too (qlik-okta adopt prints both)`,
    ]);
    expect(
      problemsFor(BASE + "    authorizationServer: { enabled: false }\n    adopted: { oktaAppId: 0oa1, authorizationServer: { id: aus1 } }\n"),
    ).toEqual([
      "stacks.prod.adopted.authorizationServer: the stack declares no authorization server (authorizationServer.enabled: false); enable it or remove this entry",
    ]);
  });
});

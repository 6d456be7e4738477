/**
 * One config, both variants, the same Okta objects: the CDKTF stack's synthesized attributes (snake_case, in
 * cdk.tf.json) against the inputs the Pulumi program gives `@pulumi/okta` (camelCase, captured by the runtime mocks),
 * resource by resource, attribute by attribute, both ways — nothing set on one side only.
 */
import { TerraformElement, Testing } from "cdktf";
import type { StackConfig } from "../../lib/config/schema";
import { QlikOktaStack } from "../../lib/qlik-okta-stack";
import { runUnderMocks, stackConfig } from "./mocks";

/** okta/okta resource type → @pulumi/okta token. */
const TOKENS: Record<string, string> = {
  okta_app_oauth: "okta:app/oAuth:OAuth",
  okta_app_group_assignment: "okta:app/groupAssignment:GroupAssignment",
  okta_auth_server: "okta:auth/server:Server",
  okta_auth_server_scope: "okta:auth/serverScope:ServerScope",
  okta_auth_server_policy: "okta:auth/serverPolicy:ServerPolicy",
  okta_auth_server_policy_rule: "okta:auth/serverPolicyRule:ServerPolicyRule",
};

/** The bridge pluralizes list attributes whose Terraform name is singular. */
const PULUMI_PLURALS: Record<string, string> = {
  clientWhitelists: "client_whitelist",
  grantTypeWhitelists: "grant_type_whitelist",
  groupWhitelists: "group_whitelist",
  scopeWhitelists: "scope_whitelist",
};

/** camelCase → snake_case, deeply (keys only), with the bridge's plural names mapped back. */
function toSnake(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toSnake);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [PULUMI_PLURALS[k] ?? k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), toSnake(v)]),
    );
  }
  return value;
}

const isReference = (v: unknown): boolean => typeof v === "string" && /^\$\{.*\}$/.test(v);
const META = new Set(["//", "depends_on", "lifecycle", "provider"]);

interface Side {
  /** `<type> <name>` → attributes (snake_case). */
  readonly resources: Map<string, Record<string, unknown>>;
}

function cdktfSide(config: StackConfig): Side & { readonly json: Record<string, any> } {
  const stack = new QlikOktaStack(Testing.app(), "s", { config, cliCommand: ["node", "/x/bin.js"] });
  const json = JSON.parse(Testing.synth(stack));
  // logical id in cdk.tf.json → the construct id (what the Pulumi child is named)
  const constructIds = new Map<string, string>();
  for (const c of stack.node.findAll()) if (c instanceof TerraformElement) constructIds.set(stack.getLogicalId(c), c.node.id);
  const resources = new Map<string, Record<string, unknown>>();
  for (const [type, byId] of Object.entries<Record<string, Record<string, unknown>>>(json.resource)) {
    if (!TOKENS[type]) continue;
    for (const [logicalId, body] of Object.entries(byId)) {
      resources.set(`${type} ${constructIds.get(logicalId)}`, Object.fromEntries(Object.entries(body).filter(([k]) => !META.has(k))));
    }
  }
  return { resources, json };
}

async function pulumiSide(config: StackConfig) {
  const run = await runUnderMocks("s", config);
  const resources = new Map<string, Record<string, unknown>>();
  for (const [type, token] of Object.entries(TOKENS)) {
    for (const r of run.byType(token)) resources.set(`${type} ${r.name}`, toSnake(r.inputs) as Record<string, unknown>);
  }
  return { resources, run };
}

const CONFIGS: Record<string, string> = {
  "the bundled example's settings": `
stacks:
  s:
    okta: { orgUrl: https://acme.okta.com }
    qlik: { tenantHostname: acme.eu.qlikcloud.com }
`,
  "every app and authorization-server setting changed": `
stacks:
  s:
    okta: { orgUrl: https://acme.okta.com }
    qlik: { tenantHostname: acme.eu.qlikcloud.com }
    app:
      label: My Qlik
      assignToEveryone: true
      groups: [Qlik Admins, "Qlik.Users", analysts_x]
      groupsClaimRegex: "^qlik.*"
      showTile: true
    authorizationServer:
      name: QAPI
      audience: aud.x
      description: desc
      scopes:
        - { name: qlik.api }
        - { name: "other:scope_x", displayName: Other, description: D }
    identityProvider:
      description: Okta prod
      verification: skip
      postLogoutRedirectUri: https://acme.eu.qlikcloud.com/logout-done
`,
  "no authorization server, named groups only": `
stacks:
  s:
    okta: { orgUrl: https://dev-123.oktapreview.com }
    qlik: { tenantHostname: b.us.qlikcloud.com }
    app: { assignToEveryone: false, groups: [Everyone Else] }
    authorizationServer: { enabled: false }
`,
};

describe.each(Object.entries(CONFIGS))("the CDKTF stack and the Pulumi component from one config: %s", (_label, yaml) => {
  const config = stackConfig(yaml, "s");

  it("declare the same Okta resources, under the same names", async () => {
    const tf = cdktfSide(config);
    const pu = await pulumiSide(config);
    expect([...pu.resources.keys()].sort()).toEqual([...tf.resources.keys()].sort());
    expect(tf.resources.size).toBeGreaterThanOrEqual(2);
  });

  it("give every resource the same attribute values (references aside), and no attribute on one side only", async () => {
    const tf = cdktfSide(config);
    const pu = await pulumiSide(config);
    for (const [key, tfAttrs] of tf.resources) {
      const puAttrs = pu.resources.get(key) ?? {};
      expect({ key, attributes: Object.keys(puAttrs).sort() }).toEqual({ key, attributes: Object.keys(tfAttrs).sort() });
      for (const [attr, value] of Object.entries(tfAttrs)) {
        if (isReference(value)) expect({ key, attr, set: typeof puAttrs[attr] === "string" && puAttrs[attr] !== "" }).toEqual({ key, attr, set: true });
        else expect({ key, attr, value: puAttrs[attr] }).toEqual({ key, attr, value });
      }
    }
  });

  it("look up the same groups (Everyone, or by name)", async () => {
    const tf = cdktfSide(config);
    const pu = await pulumiSide(config);
    const tfNames = Object.values<Record<string, unknown>>(tf.json.data?.okta_group ?? {}).map((g) => g.name);
    const tfEveryone = Object.keys(tf.json.data?.okta_everyone_group ?? {}).length;
    expect(pu.run.calls.filter((c) => c.token === "okta:group/getGroup:getGroup").map((c) => c.inputs.name).sort()).toEqual(tfNames.sort());
    expect(pu.run.calls.filter((c) => c.token === "okta:group/getEveryoneGroup:getEveryoneGroup")).toHaveLength(tfEveryone);
  });

  it("configure the same okta provider location", async () => {
    const tf = cdktfSide(config);
    const pu = await pulumiSide(config);
    expect(toSnake(pu.run.one("pulumi:providers:okta").inputs)).toEqual(tf.json.provider.okta[0]);
  });

  it("hand the Qlik step the same request", async () => {
    const tf = cdktfSide(config);
    const pu = await pulumiSide(config);
    const tfInput = Object.values<Record<string, any>>(tf.json.resource.terraform_data).find((d) => d.provisioner)?.input ?? {};
    const puRequest = pu.run.one("pulumi-nodejs:dynamic/qlik-okta:QlikIdentityProvider").inputs.request;
    expect(isReference(tfInput.clientId)).toBe(true);
    expect({ ...puRequest, clientId: "(the app's client id)" }).toEqual({ ...tfInput, clientId: "(the app's client id)" });
  });
});

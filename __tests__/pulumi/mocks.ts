/**
 * Runs the Pulumi component under Pulumi's runtime mocks (no CLI, no plugin) and records what every resource and
 * invoke was given: the fast tests' window on the program.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseConfig } from "../../lib/config";
import type { StackConfig } from "../../lib/config/schema";

export interface Registered {
  readonly type: string;
  readonly name: string;
  /** Inputs as the provider would get them: secrets unwrapped. */
  readonly inputs: Record<string, any>;
}

export interface Captured {
  readonly resources: Registered[];
  readonly calls: { token: string; inputs: Record<string, any> }[];
  /** Outputs of the program, resolved. */
  readonly outputs: Record<string, unknown>;
  byType(type: string): Registered[];
  one(type: string): Registered;
}

export const APP_CLIENT_ID = "0oa-mock-client-id";
export const APP_CLIENT_SECRET = 'mock-ca"na\\ry-client-secret';

export function stackConfig(yaml: string, stack: string): StackConfig {
  return parseConfig(yaml, "qlik-okta.yaml").stacks[stack];
}

/** Runs the inline program of one stack under mocks; the okta app gets a fixed client id and secret. */
export async function runUnderMocks(stack: string, config: StackConfig): Promise<Captured> {
  const resources: Registered[] = [];
  const calls: Captured["calls"] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs });
        const state: Record<string, unknown> = { ...args.inputs };
        if (args.type === "okta:app/oAuth:OAuth") Object.assign(state, { clientId: APP_CLIENT_ID, clientSecret: APP_CLIENT_SECRET });
        if (args.type === "okta:auth/server:Server") Object.assign(state, { issuer: "https://acme.okta.com/oauth2/aus-mock" });
        if (args.type.startsWith("pulumi-nodejs:dynamic")) Object.assign(state, { idpId: "idp-mock", nextSteps: [] });
        return { id: `${args.name}-id`, state };
      },
      call(args) {
        calls.push({ token: args.token, inputs: args.inputs });
        if (args.token === "okta:group/getEveryoneGroup:getEveryoneGroup") return { id: "00g-everyone" };
        if (args.token === "okta:group/getGroup:getGroup") return { id: `00g-${String(args.inputs.name)}`, name: args.inputs.name };
        return {};
      },
    },
    "qlik-okta",
    stack,
    false,
  );
  // Loaded after setMocks, as Pulumi's docs ask.
  const { qlikOktaProgram } = await import("../../lib/pulumi/program");
  const exported = await qlikOktaProgram(stack, config)();
  const outputs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(exported)) outputs[k] = await settle(v);
  // Every registration (the rule after its policy, the IdP after the app's client id) has reached the mocks.
  await (require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }).waitForRPCs();
  return {
    resources,
    calls,
    outputs,
    byType: (type) => resources.filter((r) => r.type === type),
    one(type) {
      const found = resources.filter((r) => r.type === type);
      if (found.length !== 1) throw new Error(`expected one ${type}, got ${found.length}: ${resources.map((r) => r.type).join(", ")}`);
      return found[0];
    },
  };
}

/** The value of an Output (or a plain value). */
export function settle<T>(value: pulumi.Input<T> | undefined): Promise<T | undefined> {
  if (pulumi.Output.isInstance(value)) return new Promise((resolve) => (value as pulumi.Output<T>).apply((v) => resolve(v)));
  return Promise.resolve(value as T | undefined);
}

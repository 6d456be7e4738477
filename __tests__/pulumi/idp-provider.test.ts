/**
 * The QlikIdentityProvider dynamic provider's methods, called directly (no engine) against the Qlik and Okta
 * emulators: check adds the desired IdP, diff is the reconcile plan as field-level detailedDiff, create/update the
 * apply, delete the retirement rules, read the live IdP. No method returns, stores or says the client secret.
 */
import { sha256 } from "../../lib/hash";
import { parseConfig } from "../../lib/config";
import { Sandbox, startSandbox } from "../../lib/emulators/sandbox";
import { DETAILED_DIFF_CHANNEL, provider, QlikIdpInputs, QlikIdpOutputs, UNKNOWN } from "../../lib/pulumi/qlik-idp-provider";
import { idpRequestFromConfig, IdpRequest } from "../../lib/qlik/request";
import { createOktaApp, rotateOktaSecret } from "../okta/fixtures";

const HOST = "acme.eu.qlikcloud.com";
const CLIENT_ID = "0oa-pulumi-provider-test";
const SECRET = 'ca"na\\ry-client-secret-0123456789abcdef';
const ROTATED = 'ro"ta\\ted-client-secret-fedcba9876543210';
const QLIK_KEY = 'qlik-ca"na\\ry-key-provider';

let sandbox: Sandbox;
let env: NodeJS.ProcessEnv;
let oktaAppId: string;

function request(idp = "", stack = "prov"): IdpRequest {
  const yaml = `stacks:\n  ${stack}:\n    okta: { orgUrl: https://acme.okta.com }\n    qlik: { tenantHostname: ${HOST} }\n    identityProvider: { description: Okta${idp} }\n`;
  return idpRequestFromConfig(stack, parseConfig(yaml, "qlik-okta.yaml").stacks[stack], CLIENT_ID);
}

async function checked(req: IdpRequest, secret = SECRET): Promise<QlikIdpInputs> {
  const r = await provider.check({}, { request: req, clientSecret: secret });
  expect(r.failures).toEqual([]);
  return r.inputs;
}

/** Everything a method handed back, as text: where a secret must never be. */
const noSecretIn = (value: unknown) => {
  const text = JSON.stringify(value) ?? "";
  for (const s of [SECRET, ROTATED, QLIK_KEY]) {
    expect(text).not.toContain(s);
    expect(text).not.toContain(JSON.stringify(s).slice(1, -1));
  }
};

beforeAll(async () => {
  // the token the Okta fixtures use
  sandbox = await startSandbox({ oktaApiToken: "okta-emulator-token", qlikApiKey: QLIK_KEY, qlik: { tenantHostname: HOST } });
  env = { ...sandbox.env };
  oktaAppId = await createOktaApp(sandbox.okta, CLIENT_ID, SECRET);
});
afterAll(async () => {
  await sandbox?.close();
});

describe("check", () => {
  it("adds the desired IdP as Qlik will hold it, and the secret's hash, never the secret", async () => {
    const inputs = await checked(request());
    expect(inputs.idp).toEqual({
      description: "Okta [managed by qlik-okta-iac:prov]",
      clockToleranceSec: 5,
      createNewUsersOnLogin: true,
      active: false,
      pendingOptions: {
        discoveryUrl: "https://acme.okta.com/.well-known/openid-configuration",
        clientId: CLIENT_ID,
        realm: "okta",
        scope: "openid profile email groups",
        claimsMapping: { sub: ["sub"], name: ["name"], email: ["email"], email_verified: ["email_verified"], groups: ["groups"] },
        blockOfflineAccessScope: true,
        useClaimsFromIdToken: true,
      },
    });
    expect(inputs.clientSecretSha256).toBe(sha256(SECRET));
    noSecretIn({ ...inputs, clientSecret: undefined });
  });

  it("keeps a client id that is not known yet (a preview before the Okta app exists) as unknown", async () => {
    const inputs = await checked({ ...request(), clientId: UNKNOWN }, UNKNOWN);
    expect(inputs.idp?.pendingOptions?.clientId).toBe(UNKNOWN);
    expect(inputs.clientSecretSha256).toBe(UNKNOWN);
  });

  it("refuses a request the config's rules refuse, saying why", async () => {
    const r = await provider.check({}, { request: { ...request(), discoveryUrl: "http://evil.example.com/x" }, clientSecret: SECRET });
    expect(r.failures).toEqual([{ property: "request", reason: expect.stringContaining("discoveryUrl") }]);
  });
});

describe("create, diff, update, read, delete against the Qlik emulator", () => {
  let outs: QlikIdpOutputs;
  let id: string;

  it("create: the pending Okta IdP, its outputs holding the live view and the secret's hash only", async () => {
    const created = await provider.create(await checked(request()), env);
    ({ id, outs } = created);
    const [idp] = sandbox.qlik.idps() as Record<string, any>[];
    expect(id).toBe(idp.id);
    expect(idp).toMatchObject({ active: false, pendingState: "pending", pendingOptions: { clientId: CLIENT_ID, clientSecret: SECRET } });
    expect(outs).toMatchObject({
      idpId: id,
      clientSecretSha256: sha256(SECRET),
      pendingState: "pending",
      idp: { description: "Okta [managed by qlik-okta-iac:prov]", pendingOptions: { clientId: CLIENT_ID, realm: "okta" }, pendingState: "pending" },
    });
    expect(outs.nextSteps.join(" ")).toContain("Validate");
    noSecretIn(outs);
  });

  it("diff: nothing to do right after create, and no write", async () => {
    const writes = sandbox.qlik.writes().length;
    expect(await provider.diff(id, outs, await checked(request()), env)).toEqual({ changes: false });
    expect(sandbox.qlik.writes().length).toBe(writes);
  });

  it("diff: a changed description is the IdP's description field, and the host gets it for the engine", async () => {
    const result = await provider.diff(id, outs, await checked(request(" EU")), env);
    expect(result).toEqual({ changes: true, detailedDiff: { "idp.description": "update" } });
    const channel = (globalThis as Record<symbol, Map<string, unknown>>)[DETAILED_DIFF_CHANNEL];
    expect(channel.get(id)).toEqual({ "idp.description": "update" });
  });

  it("diff: a changed realm is keyed where it goes (pendingOptions, waiting for validation)", async () => {
    const req = request();
    const result = await provider.diff(id, outs, await checked({ ...req, identityProvider: { ...req.identityProvider, realm: "okta2" } }), env);
    expect(result.detailedDiff).toEqual({ "idp.pendingOptions.realm": "update" });
  });

  it("diff: a rotated secret shows as its hash, never as itself", async () => {
    const result = await provider.diff(id, outs, await checked(request(), ROTATED), env);
    expect(result).toEqual({ changes: true, detailedDiff: { clientSecretSha256: "update" } });
    noSecretIn(result);
  });

  it("diff: an Okta app being replaced (client id unknown) is a change of the client id, without asking Qlik", async () => {
    const requests = sandbox.qlik.requests.length;
    const result = await provider.diff(id, outs, await checked({ ...request(), clientId: UNKNOWN }, UNKNOWN), env);
    expect(result).toEqual({ changes: true, detailedDiff: { "idp.pendingOptions.clientId": "update", clientSecretSha256: "update" } });
    expect(sandbox.qlik.requests.length).toBe(requests);
  });

  it("update: applies the change (one field) like idp apply", async () => {
    const updated = await provider.update(id, outs, await checked(request(" EU")), env);
    outs = updated.outs;
    expect((sandbox.qlik.idps()[0] as Record<string, any>).description).toBe("Okta EU [managed by qlik-okta-iac:prov]");
    expect(outs.idp.description).toBe("Okta EU [managed by qlik-okta-iac:prov]");
    expect(await provider.diff(id, outs, await checked(request(" EU")), env)).toEqual({ changes: false });
  });

  it("diff after an admin validated the test login: promoting removes the pending state; update promotes", async () => {
    sandbox.qlik.completeVerification(id);
    const refreshed = await provider.read(id, outs, env);
    expect(refreshed.props.idp?.pendingState).toBe("verified");
    const result = await provider.diff(id, refreshed.props as QlikIdpOutputs, await checked(request(" EU")), env);
    expect(result).toEqual({ changes: true, detailedDiff: { "idp.pendingState": "delete" } });
    outs = (await provider.update(id, refreshed.props as QlikIdpOutputs, await checked(request(" EU")), env)).outs;
    expect(outs.idp.options).toMatchObject({ clientId: CLIENT_ID, realm: "okta" });
    expect(outs.idp.pendingState).toBeUndefined();
    expect(await provider.diff(id, outs, await checked(request(" EU")), env)).toEqual({ changes: false });
  });

  it("update with a rotated secret: Okta is asked first, and a secret Okta rejects is never written", async () => {
    // Okta still has the old secret: writing ROTATED into the live options would lock everyone out.
    await expect(provider.update(id, outs, await checked(request(" EU"), ROTATED), env)).rejects.toThrow(/secret/i);
    await rotateOktaSecret(sandbox.okta, oktaAppId, CLIENT_ID, ROTATED);
    outs = (await provider.update(id, outs, await checked(request(" EU"), ROTATED), env)).outs;
    expect((sandbox.qlik.idps()[0] as Record<string, any>).options.clientSecret).toBe(ROTATED);
    expect(outs.clientSecretSha256).toBe(sha256(ROTATED));
    noSecretIn(outs);
  });

  it("read: an IdP deleted by hand in Qlik reads as gone", async () => {
    const other = await provider.create(await checked(request("", "gone")), env);
    await fetch(`${sandbox.qlik.url}/api/v1/identity-providers/${other.id}`, { method: "DELETE", headers: { Authorization: `Bearer ${QLIK_KEY}` } });
    expect((await provider.read(other.id, other.outs, env)).id).toBe("");
  });

  it("delete with onDestroy retain: the IdP stays, nothing is written", async () => {
    const writes = sandbox.qlik.writes().length;
    await provider.delete(id, outs, env);
    expect(sandbox.qlik.idps().map((i: any) => i.id)).toContain(id);
    expect(sandbox.qlik.writes().length).toBe(writes);
  });

  it("delete with onDestroy delete: removed", async () => {
    const req = request();
    await provider.delete(id, { ...outs, request: { ...req, identityProvider: { ...req.identityProvider, onDestroy: "delete" } } }, env);
    expect(sandbox.qlik.idps().map((i: any) => i.id)).not.toContain(id);
  });

  it("fails in one line, without the secret, when Qlik credentials are missing", async () => {
    const error = await provider.create(await checked(request("", "nocreds")), { ...env, QLIK_API_KEY: undefined }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/QLIK_API_KEY/);
    expect(error?.message.split("\n")).toHaveLength(1);
    expect(error?.stack).toBe("");
    noSecretIn(error?.message);
  });
});

import type { OktaAppSnapshot, OktaEmulator } from "../../lib/emulators/okta";
import type { QlikEmulator } from "../../lib/emulators/qlik";
import { hasMarker } from "../../lib/qlik/marker";

/**
 * What the bundled example leaves in both APIs after its first apply, whichever front end applied it (the Terraform
 * flow or the Pulumi variant): one assertion of the article's objects, so both flows are held to the same result.
 */

/** Okta holds the article's steps 1–6 exactly as the bundled example declares them; returns the app. */
export function expectArticleInOkta(okta: OktaEmulator, host: string): OktaAppSnapshot {
  expect(okta.unexpected).toEqual([]);
  // step 1: the OIDC web app
  const [app, ...more] = okta.state.apps();
  expect(more).toEqual([]);
  expect(app).toMatchObject({
    label: "Qlik Cloud",
    applicationType: "web",
    grantTypes: ["authorization_code"],
    responseTypes: ["code"],
    redirectUris: [`https://${host}/login/callback`],
    issuerMode: "ORG_URL",
    status: "ACTIVE",
  });
  // step 2: groups claim, filter regex .*; the assignment to Everyone
  expect(okta.state.idTokenGroupsClaim(app.id)).toMatchObject({ valueType: "GROUPS", groupFilterType: "REGEX", name: "groups", value: ".*" });
  expect(okta.state.appGroupAssignments(app.id).map((a) => a.groupName)).toEqual(["Everyone"]);
  // steps 3–6: authorization server, scope, policy, rule
  const [as] = okta.state.authServers();
  expect(as).toMatchObject({ name: "QlikAPI", audiences: ["qlik.api"], issuerMode: "ORG_URL", status: "ACTIVE" });
  expect(okta.state.scopes(as.id).filter((s) => !s.system)).toEqual([
    expect.objectContaining({ name: "qlik.api", consent: "IMPLICIT", default: true, metadataPublish: "NO_CLIENTS" }),
  ]);
  const [policy] = okta.state.policies(as.id);
  expect(policy).toMatchObject({ clients: ["ALL_CLIENTS"], priority: 1 });
  expect(okta.state.rules(as.id, policy.id)).toEqual([
    expect.objectContaining({ grantTypes: ["client_credentials"], groups: ["EVERYONE"], scopes: ["*"], priority: 1 }),
  ]);
  return app;
}

/** Qlik holds one pending Okta IdP of stack `example` with the app's client id and secret and the org discovery URL. */
export function expectPendingIdpInQlik(qlik: QlikEmulator, app: OktaAppSnapshot): Record<string, any> {
  const idps = qlik.idps();
  expect(idps).toHaveLength(1);
  const idp = idps[0] as Record<string, any>;
  expect(hasMarker(idp.description, "example")).toBe(true);
  expect(idp).toMatchObject({ protocol: "OIDC", provider: "okta", interactive: true, active: false, pendingState: "pending" });
  expect(idp.pendingOptions).toMatchObject({
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    discoveryUrl: "https://acme.okta.com/.well-known/openid-configuration",
    useClaimsFromIdToken: true,
    claimsMapping: { sub: ["sub"], name: ["name"], email: ["email"], email_verified: ["email_verified"], groups: ["groups"] },
  });
  return idp;
}

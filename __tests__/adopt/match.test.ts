import type { IDP } from "@qlik/api/identity-providers";
import { parseConfig } from "../../lib/config";
import { AdoptRefusal, adoptionRecord, chooseApp, chooseIdp, Discovery, FoundApp, prefills } from "../../lib/adopt/match";

/** Adopting a setup made by hand from the article: which app, which IdP, and the refusals that keep it safe. */

const CALLBACK = "https://acme.eu.qlikcloud.com/login/callback";
const web = (id: string, extra: Partial<FoundApp> = {}): FoundApp => ({
  id,
  clientId: `client-${id}`,
  label: "Qlik Cloud",
  created: "2025-03-01T10:00:00.000Z",
  kind: "oidc_client",
  applicationType: "web",
  redirectUris: [CALLBACK],
  ...extra,
});
const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (e) {
    if (e instanceof AdoptRefusal) return e.message;
    throw e;
  }
  throw new Error("expected a refusal");
};

describe("choosing the hand-made Okta app", () => {
  it("takes the one OIDC web app whose redirect URIs include the tenant's callback", () => {
    const other = web("0oaOther", { redirectUris: ["https://other.example.com/cb"] });
    expect(chooseApp([other, web("0oaQlik")], CALLBACK, []).id).toBe("0oaQlik");
  });

  it("refuses when no app has the callback, saying where to look and how to name the app", () => {
    const message = refusal(() => chooseApp([web("0oaX", { redirectUris: ["https://x.example.com/cb"] })], CALLBACK, []));
    expect(message).toMatch(/^no Okta OIDC web app has the redirect URI https:\/\/acme\.eu\.qlikcloud\.com\/login\/callback; look in the Okta admin console .* pass --okta-app-id <id>/);
  });

  it("refuses an app with the callback that is not an OIDC web app (a SPA has no client secret)", () => {
    const spa = web("0oaSpa", { applicationType: "browser", label: "Qlik SPA" });
    expect(refusal(() => chooseApp([spa], CALLBACK, []))).toMatch(/^app "Qlik SPA" \(id 0oaSpa, .*\) is a single-page app, not an OIDC web app .*only an OIDC web app has/);
    const saml: FoundApp = { ...web("0oaSaml"), kind: "qlikcloud_saml" };
    expect(refusal(() => chooseApp([], CALLBACK, [], saml))).toMatch(/is not an OIDC app \(it is "qlikcloud_saml"\)/);
  });

  it("refuses an app whose redirect URI is on the tenant's alias, naming the real callback and the way to adopt it anyway", () => {
    const onAlias = web("0oaAlias", { redirectUris: ["https://acme-analytics.eu.qlikcloud.com/login/callback"] });
    const message = refusal(() => chooseApp([onAlias], CALLBACK, ["acme-analytics.eu.qlikcloud.com"]));
    expect(message).toContain("has the redirect URI https://acme-analytics.eu.qlikcloud.com/login/callback, on an alias of the tenant");
    expect(message).toContain(`Qlik sends users back to ${CALLBACK}`);
    expect(message).toContain("pass --okta-app-id 0oaAlias to adopt it anyway");
    // Named explicitly, it is adopted: the plan then replaces the redirect URI.
    expect(chooseApp([], CALLBACK, ["acme-analytics.eu.qlikcloud.com"], onAlias).id).toBe("0oaAlias");
  });

  it("lists several candidates with label, id, client id and created date, and asks for --okta-app-id", () => {
    const message = refusal(() => chooseApp([web("0oaA"), web("0oaB", { label: "Qlik (old)", created: "2024-01-02T00:00:00.000Z" })], CALLBACK, []));
    expect(message).toBe(
      `2 OIDC web apps have the redirect URI ${CALLBACK}: "Qlik Cloud" (id 0oaA, client id client-0oaA, created 2025-03-01); ` +
        `"Qlik (old)" (id 0oaB, client id client-0oaB, created 2024-01-02); choose the one Qlik signs in with (its client id is in Qlik's IdP) and pass --okta-app-id <id>`,
    );
  });
});

const idp = (id: string, description: string, clientId = "client-0oaQlik", active = true): IDP =>
  ({ id, protocol: "OIDC", provider: "okta", interactive: true, active, description, options: { clientId, discoveryUrl: "https://acme.okta.com/.well-known/openid-configuration" } }) as unknown as IDP;

describe("choosing the Qlik IdP", () => {
  it("adopts the one IdP that uses the app's client id", () => {
    const choice = chooseIdp([idp("other", "SAML", "client-else"), idp("idp1", "Okta")], "client-0oaQlik", "prod");
    expect(choice).toMatchObject({ kind: "adopt", idp: { id: "idp1" } });
  });

  it("refuses two candidate IdPs", () => {
    const message = refusal(() => chooseIdp([idp("idp1", "Okta"), idp("idp2", "Okta test", "client-0oaQlik", false)], "client-0oaQlik", "prod"));
    expect(message).toMatch(/^2 Qlik IdPs use client id client-0oaQlik: idp1 \("Okta", active\); idp2 \("Okta test", inactive\); delete the one nobody signs in with/);
  });

  it("refuses an IdP owned by another stack", () => {
    const message = refusal(() => chooseIdp([idp("idp1", "Okta [managed by qlik-okta-iac:staging]")], "client-0oaQlik", "prod"));
    expect(message).toMatch(/^Qlik IdP idp1 uses client id client-0oaQlik and is managed by stack "staging"/);
  });

  it("keeps an IdP this stack already manages", () => {
    expect(chooseIdp([idp("idp1", "Okta [managed by qlik-okta-iac:prod]")], "client-0oaQlik", "prod").kind).toBe("managed");
  });
});

describe("what adopt --write records", () => {
  const config = parseConfig(`
stacks:
  prod:
    okta: { orgUrl: https://acme.okta.com }
    qlik: { tenantHostname: acme.eu.qlikcloud.com }
`).stacks.prod;
  const found: Discovery = {
    app: web("0oaQlik", { label: "Qlik Cloud SaaS" }),
    assignments: { Everyone: "00gEveryone", "Qlik Admins": "00gAdmins" },
    groupsClaim: { name: "groups", filterType: "REGEX", value: "^qlik-.*" },
    authServer: {
      id: "ausQlik",
      name: "Qlik API",
      audiences: ["qlik.api"],
      scopes: [{ id: "scpQlik", name: "qlik.api", consent: "REQUIRED", default: false, metadataPublish: "ALL_CLIENTS" }],
      policy: { id: "00pPolicy", name: "Qlik" },
      rule: { id: "0prRule", name: "CC", grantTypes: ["client_credentials", "authorization_code"] },
    },
    idp: { kind: "adopt", idp: idp("idp1", "Okta SSO") as never },
  };

  it("pre-fills what would otherwise be rewritten or re-key users, and only what differs", () => {
    const fills = Object.fromEntries(prefills(found, config).map((f) => [f.path.join("."), f.value]));
    expect(fills).toEqual({
      "app.label": "Qlik Cloud SaaS",
      "app.groups": ["Qlik Admins"],
      "app.groupsClaimRegex": "^qlik-.*",
      "authorizationServer.name": "Qlik API",
      "identityProvider.activate": true,
      "identityProvider.description": "Okta SSO",
    });
  });

  it("keeps what identifies users (realm, the sub mapping) and leaves the rest to Qlik's test login", () => {
    const handMade = { ...idp("idp1", "Okta"), options: { clientId: "client-0oaQlik", realm: "Okta", claimsMapping: { sub: "preferred_username", name: "name" }, scope: "openid profile email" } };
    const fills = prefills({ ...found, idp: { kind: "adopt", idp: handMade as never } }, config);
    expect(fills.filter((f) => f.path[0] === "identityProvider").map((f) => [f.path.join("."), f.value])).toEqual([
      ["identityProvider.activate", true],
      ["identityProvider.realm", "Okta"],
      ["identityProvider.claimsMapping", { sub: ["preferred_username"], name: ["name"], email: ["email"], email_verified: ["email_verified"], groups: ["groups"] }],
    ]);
  });

  it("turns the authorization server off for an org without API Access Management", () => {
    const fills = prefills({ ...found, authServer: undefined, noApiAccessManagement: true }, config);
    expect(fills).toContainEqual({ path: ["authorizationServer", "enabled"], value: false, was: true });
  });

  it("records every id the pre-filled config declares", () => {
    const filled = structuredClone(config);
    filled.app.groups = ["Qlik Admins"];
    expect(adoptionRecord(found, filled)).toEqual({
      oktaAppId: "0oaQlik",
      groupAssignments: { Everyone: "00gEveryone", "Qlik Admins": "00gAdmins" },
      authorizationServer: { id: "ausQlik", scopes: { "qlik.api": "scpQlik" }, policyId: "00pPolicy", ruleId: "0prRule" },
    });
    // A group the config does not assign is not imported: nothing would hold it.
    expect(adoptionRecord(found, config).groupAssignments).toEqual({ Everyone: "00gEveryone" });
  });
});

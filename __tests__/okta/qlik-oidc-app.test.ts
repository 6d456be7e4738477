import "cdktf/lib/testing/adapters/jest";
import { AppGroupAssignment } from "@cdktf/provider-okta/lib/app-group-assignment";
import { AppOauth } from "@cdktf/provider-okta/lib/app-oauth";
import { DataOktaEveryoneGroup } from "@cdktf/provider-okta/lib/data-okta-everyone-group";
import { DataOktaGroup } from "@cdktf/provider-okta/lib/data-okta-group";
import { Testing } from "cdktf";
import { QlikOidcApp, QlikOidcAppProps } from "../../lib/okta/qlik-oidc-app";

const HOST = "acme.eu.qlikcloud.com";

function synth(props: Partial<QlikOidcAppProps> = {}): string {
  return Testing.synthScope((scope) => new QlikOidcApp(scope, "QlikOidcApp", { tenantHostname: HOST, ...props }));
}

function parsed(json: string): { resource: Record<string, Record<string, Record<string, unknown>>>; data?: Record<string, Record<string, unknown>> } {
  return JSON.parse(json);
}

describe("QlikOidcApp (article steps 1-2)", () => {
  it("creates an OIDC web application with the Authorization Code grant only (step 1)", () => {
    // WHEN
    const json = synth();
    // THEN
    expect(json).toHaveResourceWithProperties(AppOauth, {
      type: "web",
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      label: "Qlik Cloud",
    });
  });

  it("sends the sign-in callback to the real tenant hostname (step 1)", () => {
    const json = synth();
    expect(json).toHaveResourceWithProperties(AppOauth, {
      redirect_uris: [`https://${HOST}/login/callback`],
    });
    expect(QlikOidcApp.callbackUrl(HOST)).toBe(`https://${HOST}/login/callback`);
  });

  it("sets the ID token issuer to the Okta URL (step 2)", () => {
    expect(synth()).toHaveResourceWithProperties(AppOauth, { issuer_mode: "ORG_URL" });
  });

  it("adds a groups claim: type Filter, name groups, matches regex .* (step 2)", () => {
    expect(synth()).toHaveResourceWithProperties(AppOauth, {
      groups_claim: { type: "FILTER", filter_type: "REGEX", name: "groups", value: ".*" },
    });
  });

  it("uses the configured groups claim regex", () => {
    expect(synth({ groupsClaimRegex: "^qlik-.*" })).toHaveResourceWithProperties(AppOauth, {
      groups_claim: { type: "FILTER", filter_type: "REGEX", name: "groups", value: "^qlik-.*" },
    });
  });

  it("allows everyone in the organization to access the app (step 1, assignments)", () => {
    // WHEN
    const json = synth();
    // THEN
    expect(json).toHaveDataSource(DataOktaEveryoneGroup);
    const assignments = Object.values(parsed(json).resource.okta_app_group_assignment);
    expect(assignments).toHaveLength(1);
    expect(assignments[0]).toMatchObject({
      app_id: "${okta_app_oauth.QlikOidcApp_DCEADC5B.id}",
      group_id: "${data.okta_everyone_group.QlikOidcApp_Everyone_246F40EA.id}",
    });
  });

  it("never uses the authoritative plural assignment resource", () => {
    expect(parsed(synth({ groups: ["Qlik Users"] })).resource.okta_app_group_assignments).toBeUndefined();
  });

  it("assigns named groups instead of Everyone when asked", () => {
    // GIVEN
    const json = synth({ assignToEveryone: false, groups: ["Qlik Users", "Qlik Admins"] });
    // THEN
    expect(json).not.toHaveDataSource(DataOktaEveryoneGroup);
    expect(json).toHaveDataSourceWithProperties(DataOktaGroup, { name: "Qlik Users" });
    expect(json).toHaveDataSourceWithProperties(DataOktaGroup, { name: "Qlik Admins" });
    expect(Object.keys(parsed(json).resource.okta_app_group_assignment)).toHaveLength(2);
  });

  it("keys group assignments by name, so reordering the list changes no Terraform address", () => {
    const a = Object.keys(parsed(synth({ groups: ["A", "B"] })).resource.okta_app_group_assignment).sort();
    const b = Object.keys(parsed(synth({ groups: ["B", "A"] })).resource.okta_app_group_assignment).sort();
    expect(a).toEqual(b);
  });

  it("hides the dashboard tile by default and shows one that opens the tenant when asked", () => {
    expect(synth()).toHaveResourceWithProperties(AppOauth, { hide_web: true, hide_ios: true });
    expect(synth({ showTile: true })).toHaveResourceWithProperties(AppOauth, {
      hide_web: false,
      hide_ios: false,
      login_uri: `https://${HOST}/`,
      login_mode: "SPEC",
    });
  });

  it("keeps the app's Terraform address stable (a rename would mean a new client secret)", () => {
    expect(Object.keys(parsed(synth()).resource.okta_app_oauth)).toEqual(["QlikOidcApp_DCEADC5B"]);
  });

  it("lists Qlik's post-logout redirect URI as a sign-out redirect URI when one is configured", () => {
    expect(synth({ postLogoutRedirectUris: [`https://${HOST}/`] })).toHaveResourceWithProperties(AppOauth, {
      post_logout_redirect_uris: [`https://${HOST}/`],
    });
    expect(parsed(synth()).resource.okta_app_oauth.QlikOidcApp_DCEADC5B.post_logout_redirect_uris).toBeUndefined();
  });

  it("assigns the app before anything else can use it", () => {
    const rule = Object.values(parsed(synth()).resource.okta_app_group_assignment)[0];
    expect(rule.app_id).toContain("okta_app_oauth.");
  });

  it("creates exactly one assignment resource class per group", () => {
    expect(synth({ groups: ["X"] })).toHaveResourceWithProperties(AppGroupAssignment, {
      app_id: "${okta_app_oauth.QlikOidcApp_DCEADC5B.id}",
    });
  });
});

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

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

function parsed(json: string): { resource: Blocks; data?: Blocks } {
  return JSON.parse(json);
}

/** The synthesized `okta_app_group_assignment` resources, in address order (none: an empty list). */
function assignments(json: string): Record<string, unknown>[] {
  const all = parsed(json).resource.okta_app_group_assignment ?? {};
  return Object.keys(all)
    .sort()
    .map((address) => all[address]);
}

/** The Terraform reference to the one Okta app's id, taken from the synthesized JSON (not hard-coded). */
function appIdRef(json: string): string {
  const apps = Object.keys(parsed(json).resource.okta_app_oauth ?? {});
  expect(apps).toHaveLength(1);
  return `\${okta_app_oauth.${apps[0]}.id}`;
}

/** The reference to the id of the Everyone data source. */
function everyoneIdRef(json: string): string {
  const everyone = Object.keys(parsed(json).data?.okta_everyone_group ?? {});
  expect(everyone).toHaveLength(1);
  return `\${data.okta_everyone_group.${everyone[0]}.id}`;
}

/** The reference to the id of the `okta_group` data source that looks up the group named `name`. */
function groupIdRef(json: string, name: string): string {
  const groups = Object.entries(parsed(json).data?.okta_group ?? {}).filter(([, g]) => g.name === name);
  expect(groups).toHaveLength(1);
  return `\${data.okta_group.${groups[0][0]}.id}`;
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
    // Exactly one assignment, of Everyone to this app, with no priority or profile (Okta's defaults).
    expect(assignments(json)).toEqual([
      {
        app_id: "${okta_app_oauth.QlikOidcApp_DCEADC5B.id}",
        group_id: "${data.okta_everyone_group.QlikOidcApp_Everyone_246F40EA.id}",
      },
    ]);
  });

  it("never uses the authoritative plural assignment resource", () => {
    const json = synth({ groups: ["Qlik Users"] });
    expect(parsed(json).resource.okta_app_group_assignments).toBeUndefined();
    expect(assignments(json)).toHaveLength(2);
  });

  it("assigns named groups instead of Everyone when asked", () => {
    // GIVEN
    const json = synth({ assignToEveryone: false, groups: ["Qlik Users", "Qlik Admins"] });
    // THEN
    expect(json).not.toHaveDataSource(DataOktaEveryoneGroup);
    expect(json).toHaveDataSourceWithProperties(DataOktaGroup, { name: "Qlik Users" });
    expect(json).toHaveDataSourceWithProperties(DataOktaGroup, { name: "Qlik Admins" });
    expect(Object.keys(parsed(json).resource.okta_app_group_assignment)).toHaveLength(2);
    // One assignment per named group, each of that group's looked-up id to this app.
    const app = appIdRef(json);
    expect(assignments(json)).toEqual(
      expect.arrayContaining([
        { app_id: app, group_id: groupIdRef(json, "Qlik Users") },
        { app_id: app, group_id: groupIdRef(json, "Qlik Admins") },
      ]),
    );
  });

  it("keys group assignments by name, so reordering the list changes no Terraform address", () => {
    const a = Object.keys(parsed(synth({ groups: ["A", "B"] })).resource.okta_app_group_assignment).sort();
    const b = Object.keys(parsed(synth({ groups: ["B", "A"] })).resource.okta_app_group_assignment).sort();
    expect(a).toHaveLength(3);
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

  it("assigns the app itself: every assignment references this app's id", () => {
    const json = synth({ groups: ["Qlik Users"] });
    const all = assignments(json);
    expect(all).toHaveLength(2);
    for (const assignment of all) expect(assignment.app_id).toBe(appIdRef(json));
  });

  it("creates exactly one assignment resource per group", () => {
    const json = synth({ groups: ["X"] });
    expect(json).toHaveResourceWithProperties(AppGroupAssignment, {
      app_id: "${okta_app_oauth.QlikOidcApp_DCEADC5B.id}",
    });
    // Everyone (the default) and X, each assigned once.
    const groupIds = assignments(json).map((a) => a.group_id);
    expect(groupIds.sort()).toEqual([groupIdRef(json, "X"), everyoneIdRef(json)].sort());
  });
});

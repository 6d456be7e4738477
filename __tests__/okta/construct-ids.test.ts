import { Testing } from "cdktf";
import { nameKey } from "../../lib/okta/construct-ids";
import { QlikApiAuthServer } from "../../lib/okta/qlik-api-auth-server";
import { QlikOidcApp } from "../../lib/okta/qlik-oidc-app";

describe("construct ids from user-chosen names", () => {
  it("keep readable names readable", () => {
    expect(nameKey("qlik.api")).toBe("qlik.api");
    expect(nameKey("Qlik-Users")).toBe("Qlik-Users");
  });

  it("never map two names to one id", () => {
    const names = ["Qlik Admins", "Qlik.Admins", "Qlik_Admins", "Qlik_20_Admins", "qlik/api", "qlik--api", "qlik:api"];
    expect(new Set(names.map(nameKey)).size).toBe(names.length);
  });

  it("let groups and scopes whose names differ only in punctuation synthesize side by side", () => {
    // GIVEN names that a lossy encoding would merge / WHEN synthesizing / THEN no "already a Construct" error
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new QlikOidcApp(scope, "App", { tenantHostname: "acme.eu.qlikcloud.com", groups: ["Qlik Admins", "Qlik.Admins"] });
        new QlikApiAuthServer(scope, "As", { scopes: [{ name: "qlik/api" }, { name: "qlik--api" }] });
      }),
    );
    expect(Object.keys(json.data.okta_group)).toHaveLength(2);
    expect(Object.keys(json.resource.okta_app_group_assignment)).toHaveLength(3);
    expect(Object.keys(json.resource.okta_auth_server_scope)).toHaveLength(2);
  });
});

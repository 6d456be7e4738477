/** Request bodies the okta provider sends for the article's authorization server, shared by the emulator tests. */
export const AS_BODY = { audiences: ["qlik.api"], credentials: { signing: { rotationMode: "AUTO" } }, description: "Qlik API access", issuerMode: "ORG_URL", name: "QlikAPI" };
export const SCOPE_BODY = { consent: "IMPLICIT", default: true, description: "Access Qlik API", displayName: "Qlik API access", metadataPublish: "NO_CLIENTS", name: "qlik.api.access", optional: false };
export const POLICY_BODY = { conditions: { clients: { include: ["ALL_CLIENTS"] } }, description: "Qlik API policy", name: "Qlik API policy", priority: 1, status: "ACTIVE", type: "OAUTH_AUTHORIZATION_POLICY" };
export const RULE_BODY = {
  actions: { token: { accessTokenLifetimeMinutes: 60, refreshTokenLifetimeMinutes: 0, refreshTokenWindowMinutes: 10080 } },
  conditions: { grantTypes: { include: ["client_credentials"] }, people: { groups: { include: ["EVERYONE"] }, users: {} }, scopes: { include: ["*"] } },
  name: "Client credentials",
  priority: 1,
  status: "ACTIVE",
  type: "RESOURCE_ACCESS",
};

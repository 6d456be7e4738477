export * from "./qlik-oidc-app";
export * from "./qlik-api-auth-server";
export * from "./construct-ids";
export * from "./secret-check";

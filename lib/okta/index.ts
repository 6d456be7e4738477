export * from "./qlik-oidc-app";
export * from "./qlik-api-auth-server";

export * from "./okta";
export * from "./qlik";
export * from "./sandbox";

export * from "./config";
export * from "./okta";
export * from "./qlik";
export * from "./qlik-okta-stack";
export * from "./app";
export * from "./state";
export * from "./review";

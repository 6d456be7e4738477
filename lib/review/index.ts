export * from "./attribute-diff";
export * from "./plan-summary";
export * from "./qlik-plan";
export * from "./warnings";
export * from "./render";
export * from "./fingerprint";
export * from "./errors";
export * from "./out-dir";

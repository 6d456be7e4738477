export * from "./attribute-diff";
export * from "./plan-summary";
export * from "./qlik-plan";
export * from "./warnings";
export * from "./render";
export * from "./scrub";
export * from "./errors";
export * from "./out-dir";

export * from "./errors";
export * from "./schema";
export * from "./rules";
export * from "./load";

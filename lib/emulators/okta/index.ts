export { startOktaEmulator } from "./server";
export type { OktaEmulator, OktaEmulatorOptions, RecordedRequest } from "./server";
export type {
  OktaAppGroupAssignmentSnapshot,
  OktaAppSnapshot,
  OktaAuthServerSnapshot,
  OktaClaimSnapshot,
  OktaEmulatorState,
  OktaGroupSnapshot,
  OktaGroupsClaimSnapshot,
  OktaPolicySnapshot,
  OktaRuleSnapshot,
  OktaScopeSnapshot,
} from "./state";
export { callbackUri, seedAuthServer, seedHandMadeSetup, seedOktaApp } from "./seed";
export type {
  HandMadeSetup,
  SeedAppKind,
  SeedAppOptions,
  SeedAuthServerOptions,
  SeedGroupsClaim,
  SeedPolicy,
  SeedPreset,
  SeedRule,
  SeedScope,
  SeededApp,
  SeededAssignment,
  SeededAuthServer,
  SeededSetup,
} from "./seed";

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

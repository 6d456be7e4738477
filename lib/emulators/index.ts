export { startOktaEmulator } from "./okta";
export type { OktaEmulator, OktaEmulatorOptions, RecordedRequest as OktaRecordedRequest } from "./okta";
export { seedAuthServer, seedHandMadeSetup, seedOktaApp } from "./okta";
export type { HandMadeSetup, SeedAppOptions, SeedAuthServerOptions, SeededApp, SeededAuthServer, SeededSetup } from "./okta";
export { startQlikEmulator, QLIK_EMULATOR_ERROR_CODES } from "./qlik";
export type { FaultRule, QlikEmulator, QlikEmulatorOptions, RecordedRequest as QlikRecordedRequest, VerificationOutcome } from "./qlik";
export * from "./sandbox";

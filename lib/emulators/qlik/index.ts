export { startQlikEmulator } from "./server";
export type { FaultRule, QlikEmulator, QlikEmulatorOptions, RecordedRequest, VerificationOutcome } from "./types";
export { QLIK_EMULATOR_ERROR_CODES } from "./errors";

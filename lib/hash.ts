import { createHash } from "node:crypto";

/** SHA-256 as hex: file fingerprints, the review fingerprint, and the client secret's change-detection hash. */
export function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

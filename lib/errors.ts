/**
 * The one base of every error whose message is written for the user — config, Qlik, review, engine — and the one
 * formatter every command ends with. A user's mistake or a refused API call prints its message, one line saying what
 * failed and what to do; anything else is a bug and is the only thing that says "please report it".
 */

/** An error whose message is already written for the user (what failed, what to do); no stack trace needed. */
export class UserFacingError extends Error {
  public override readonly name: string = "UserFacingError";
  constructor(
    message: string,
    /** Process exit code to use. @default 1 */
    public readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The message to print for any failure: ours as written, anything else marked as a bug — never a stack trace. */
export function errorLine(e: unknown): string {
  if (e instanceof UserFacingError) return e.message;
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return `qlik-okta: unexpected error (please report it): ${message.split("\n")[0]}`;
}

/**
 * The code of a network error (`ECONNREFUSED`, `ETIMEDOUT`, …), never the error itself: an HTTP client's error carries
 * its request config, and with it the credentials. `fallback` when there is no such code.
 */
export function networkCode(e: unknown, fallback = "network error"): string {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && /^[A-Z_]+$/.test(code) ? code : fallback;
}

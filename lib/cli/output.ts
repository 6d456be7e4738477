/**
 * How the CLI talks: results on stdout, problems on stderr, one line per failure saying what failed and what to do.
 * Nothing here prints a stack trace for a user mistake; bugs (anything not a UserFacingError) keep theirs.
 */

/** An error whose message is already written for the user (what failed, what to do). */
export class UserFacingError extends Error {
  public readonly name = "UserFacingError";
  constructor(
    message: string,
    /** Process exit code to use. @default 1 */
    public readonly exitCode = 1,
  ) {
    super(message);
  }
}

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const consoleOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

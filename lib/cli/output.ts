import { redactText } from "../redact";

/**
 * How the CLI talks: results on stdout, problems on stderr, one line per failure saying what failed and what to do.
 * Every line goes through {@link redactingOutput}: a known secret never reaches the terminal, whatever the bug.
 */

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const consoleOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** An Output that redacts secret values; `secrets` is read at each line, so a set that grows is honoured. */
export function redactingOutput(output: Output, secrets: Iterable<string>): Output {
  return { out: (line) => output.out(redactText(line, secrets)), err: (line) => output.err(redactText(line, secrets)) };
}

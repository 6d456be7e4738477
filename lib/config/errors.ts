import { UserFacingError } from "../errors";

/** One thing wrong with the configuration: where (a dotted path), and what to do about it. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * Every problem in a configuration file, reported together (Okta SDK style: collect, then throw once).
 * The message is what the CLI prints; it never contains a stack trace or a secret.
 */
export class ConfigError extends UserFacingError {
  public override readonly name = "ConfigError";
  constructor(
    public readonly file: string,
    public readonly problems: readonly ConfigProblem[],
  ) {
    super(formatProblems(file, problems));
  }
}

export function formatProblem(problem: ConfigProblem): string {
  return problem.path ? `${problem.path}: ${problem.message}` : problem.message;
}

function formatProblems(file: string, problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return [`${file}: invalid configuration (${count}):`, ...problems.map((p) => `  - ${formatProblem(p)}`)].join("\n");
}

/** Show a user-supplied value in a message: quoted, shortened, control characters visible. */
export function shown(value: unknown): string {
  if (typeof value === "string") {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}..."` : s;
  }
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

/** Closest candidate by edit distance, for "did you mean" hints; undefined when nothing is close. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

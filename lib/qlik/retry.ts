/**
 * Retry policy as data, and the one pure function that decides the wait before the next attempt (octokit
 * plugin-retry / okta default-request-executor style). The client's loop only sleeps for what `nextDelay` says.
 *
 * - 429 is always retried (the rate limiter refused the request before it did anything), waiting `Retry-After`.
 * - 5xx and network errors are retried with bounded exponential backoff + jitter, but only for requests that are
 *   safe to repeat: GET/HEAD/DELETE/PUT, and PATCH whose operations are all `replace`. A POST create is never
 *   repeated (the first may have created the IdP), nor is `promote-options`.
 * - Everything in `doNotRetry` fails at once: repeating a request Qlik refused gives the same answer.
 */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly retries: number;
  /** First backoff delay; doubles per retry. */
  readonly baseDelayMs: number;
  /** Upper bound of one backoff delay. */
  readonly maxDelayMs: number;
  /** Longest `Retry-After` to wait for; a longer one ends in an error telling the user to come back later. */
  readonly maxRetryAfterMs: number;
  /** Statuses never retried. */
  readonly doNotRetry: readonly number[];
  /** Per-request timeout. */
  readonly timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 120_000,
  doNotRetry: [400, 401, 403, 404, 409, 412, 422],
  timeoutMs: 30_000,
};

/** What went wrong with one attempt. */
export interface AttemptFailure {
  /** HTTP status; undefined for a network error or timeout (no response). */
  readonly status?: number;
  /** The raw `Retry-After` header, if any. */
  readonly retryAfter?: string;
  /** Whether repeating the request cannot do anything twice. */
  readonly safeToRepeat: boolean;
}

/**
 * Milliseconds to wait before the next attempt, or undefined to give up.
 * @param attempt attempts made so far (1 after the first failure)
 * @param now clock for HTTP-date `Retry-After` values
 * @param random jitter source in [0, 1)
 */
export function nextDelay(
  attempt: number,
  failure: AttemptFailure,
  policy: RetryPolicy,
  now: number = Date.now(),
  random: () => number = Math.random,
): number | undefined {
  if (attempt > policy.retries) return undefined;
  const { status } = failure;
  if (status === 429) {
    const wait = parseRetryAfter(failure.retryAfter, now);
    if (wait === undefined) return backoff(attempt, policy, random);
    return wait <= policy.maxRetryAfterMs ? wait : undefined;
  }
  if (status !== undefined && policy.doNotRetry.includes(status)) return undefined;
  const transient = status === undefined || status >= 500;
  if (!transient || !failure.safeToRepeat) return undefined;
  if (status === 503) {
    const wait = parseRetryAfter(failure.retryAfter, now);
    if (wait !== undefined) return wait <= policy.maxRetryAfterMs ? wait : undefined;
  }
  return backoff(attempt, policy, random);
}

/** Exponential backoff bounded by maxDelayMs, with "equal jitter": between half and all of the step. */
export function backoff(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * `Retry-After` in milliseconds: delta-seconds ("1", "0.5") or an HTTP date (RFC 9110 §10.2.3); a date in the
 * past means 0. Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** JSON-Patch operation as the identity-providers API takes it. */
export interface PatchOperation {
  readonly op: string;
  readonly path?: string;
  readonly value?: unknown;
}

/**
 * Whether a request can be repeated without doing anything twice. PATCH `replace` ops are idempotent; a POST
 * (create) and `promote-options` are not (a repeated promote fails 400, or promotes what someone changed since).
 */
export function isSafeToRepeat(method: string, body?: unknown): boolean {
  const m = method.toUpperCase();
  if (m === "GET" || m === "HEAD" || m === "DELETE" || m === "PUT") return true;
  if (m === "PATCH") {
    return Array.isArray(body) && body.length > 0 && body.every((op: PatchOperation) => op?.op === "replace");
  }
  return false;
}

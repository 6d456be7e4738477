import { backoff, DEFAULT_RETRY_POLICY, isSafeToRepeat, nextDelay, parseRetryAfter, RetryPolicy } from "../../lib/qlik/retry";

/** Shrunk delays: the numbers stay readable and nothing sleeps. */
const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, retries: 4, baseDelayMs: 10, maxDelayMs: 40, maxRetryAfterMs: 5_000 };
const NOW = Date.parse("2026-03-01T12:00:00Z");
const low = (): number => 0;
const high = (): number => 0.999999;

describe("retry policy", () => {
  it("backs off exponentially, with jitter between half and all of each step, bounded by maxDelayMs", () => {
    // GIVEN a safe request failing with 503 and no Retry-After
    const failure = { status: 503, safeToRepeat: true };
    // WHEN / THEN the lowest and highest jitter bracket base·2^(n-1), capped at 40 ms
    expect([1, 2, 3, 4].map((n) => nextDelay(n, failure, policy, NOW, low))).toEqual([5, 10, 20, 20]);
    expect([1, 2, 3, 4].map((n) => nextDelay(n, failure, policy, NOW, high))).toEqual([10, 20, 40, 40]);
  });

  it("gives up after the configured number of retries", () => {
    // GIVEN four retries allowed
    // WHEN the fifth attempt fails
    // THEN there is no next delay
    expect(nextDelay(5, { status: 500, safeToRepeat: true }, policy, NOW, low)).toBeUndefined();
  });

  it("waits what Retry-After says on 429, in seconds", () => {
    // GIVEN a 429 with Retry-After in seconds / WHEN deciding / THEN wait exactly that
    expect(nextDelay(1, { status: 429, retryAfter: "1", safeToRepeat: true }, policy, NOW, low)).toBe(1000);
    expect(nextDelay(1, { status: 429, retryAfter: "0.25", safeToRepeat: true }, policy, NOW, low)).toBe(250);
  });

  it("waits until the HTTP date Retry-After names", () => {
    // GIVEN a Retry-After date three seconds from now
    const at = new Date(NOW + 3000).toUTCString();
    // WHEN / THEN
    expect(nextDelay(1, { status: 429, retryAfter: at, safeToRepeat: true }, policy, NOW, low)).toBe(3000);
  });

  it("retries a 429 even for a create, because the rate limiter refused it before anything happened", () => {
    // GIVEN a 429 on an unsafe request / WHEN deciding / THEN still retry after Retry-After
    expect(nextDelay(1, { status: 429, retryAfter: "2", safeToRepeat: false }, policy, NOW, low)).toBe(2000);
  });

  it("falls back to backoff when a 429 has no readable Retry-After", () => {
    // GIVEN a 429 without a usable Retry-After / WHEN deciding / THEN the backoff step applies
    expect(nextDelay(2, { status: 429, safeToRepeat: false }, policy, NOW, low)).toBe(10);
    expect(nextDelay(2, { status: 429, retryAfter: "soon", safeToRepeat: false }, policy, NOW, low)).toBe(10);
  });

  it("gives up rather than wait for a Retry-After longer than maxRetryAfterMs", () => {
    // GIVEN Retry-After: 600 / WHEN deciding / THEN give up (the error tells the user to come back later)
    expect(nextDelay(1, { status: 429, retryAfter: "600", safeToRepeat: true }, policy, NOW, low)).toBeUndefined();
  });

  it("honours Retry-After on a 503 as well", () => {
    // GIVEN a 503 with Retry-After / WHEN deciding / THEN wait what it says
    expect(nextDelay(1, { status: 503, retryAfter: "2", safeToRepeat: true }, policy, NOW, low)).toBe(2000);
  });

  it("never repeats a create or a promote after a 5xx or a network error", () => {
    // GIVEN requests that are not safe to repeat
    const create = isSafeToRepeat("POST", { protocol: "OIDC" });
    const promote = isSafeToRepeat("PATCH", [{ op: "promote-options" }]);
    // WHEN they fail with a server or network error
    // THEN no retry is scheduled
    for (const safeToRepeat of [create, promote]) {
      expect(nextDelay(1, { status: 502, safeToRepeat }, policy, NOW, low)).toBeUndefined();
      expect(nextDelay(1, { status: undefined, safeToRepeat }, policy, NOW, low)).toBeUndefined();
    }
  });

  it("repeats reads, deletes and replace-only patches after a 5xx or a network error", () => {
    // GIVEN safe requests / WHEN they fail with 500 or no response / THEN the first backoff step applies
    for (const safeToRepeat of [
      isSafeToRepeat("GET"),
      isSafeToRepeat("DELETE"),
      isSafeToRepeat("PATCH", [{ op: "replace", path: "/active", value: true }]),
    ]) {
      expect(safeToRepeat).toBe(true);
      expect(nextDelay(1, { status: 500, safeToRepeat }, policy, NOW, low)).toBe(5);
      expect(nextDelay(1, { safeToRepeat }, policy, NOW, low)).toBe(5);
    }
  });

  it("treats a patch mixing replace and promote-options as unsafe", () => {
    // GIVEN a patch that also promotes / WHEN classifying / THEN it is not repeated
    expect(isSafeToRepeat("PATCH", [{ op: "replace", path: "/active", value: true }, { op: "promote-options" }])).toBe(false);
  });

  it.each([400, 401, 403, 404, 409, 412, 422])("does not retry HTTP %i", (status) => {
    // GIVEN a status Qlik would answer the same way again / WHEN deciding / THEN no retry
    expect(nextDelay(1, { status, safeToRepeat: true }, policy, NOW, low)).toBeUndefined();
  });

  it("does not retry other client errors either (HTTP 418)", () => {
    // GIVEN a 4xx outside the list / WHEN deciding / THEN no retry
    expect(nextDelay(1, { status: 418, safeToRepeat: true }, policy, NOW, low)).toBeUndefined();
  });
});

describe("Retry-After parsing", () => {
  it.each([
    ["1", 1000],
    [" 3 ", 3000],
    ["0", 0],
    ["1.5", 1500],
  ])("reads delta-seconds %p as %p ms", (value, ms) => {
    // GIVEN delta-seconds / WHEN parsing / THEN milliseconds
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it("reads an HTTP date relative to now, and a past date as 0", () => {
    // GIVEN HTTP dates ten seconds ahead and an hour ago / WHEN parsing / THEN 10 s and 0
    expect(parseRetryAfter("Sun, 01 Mar 2026 12:00:10 GMT", NOW)).toBe(10_000);
    expect(parseRetryAfter("Sun, 01 Mar 2026 11:00:00 GMT", NOW)).toBe(0);
  });

  it.each([undefined, "", "-1", "later", "1e3"])("ignores %p", (value) => {
    // GIVEN an absent, negative or malformed value / WHEN parsing / THEN nothing (the caller backs off instead)
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});

describe("backoff", () => {
  it("never exceeds maxDelayMs however many attempts", () => {
    // GIVEN attempt 30 and maximal jitter / WHEN backing off / THEN the bound holds
    expect(backoff(30, policy, high)).toBeLessThanOrEqual(policy.maxDelayMs);
  });
});

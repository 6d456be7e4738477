import { REDACTED, redactedJson, redactText, redactValue, secretsIn } from "../../lib/redact";

/** A canary that JSON escapes: quotes and backslashes inside. */
const CANARY = 'can"ary\\secret\\"x';

describe("one redaction for every writer", () => {
  it("takes every credential the project reads from the environment, and ignores values too short to be secrets", () => {
    const env = { QLIK_IDP_CLIENT_SECRET: CANARY, QLIK_API_KEY: "api-key-123", QLIK_CLIENT_SECRET: "abc", OKTA_API_TOKEN: "00okta-token", HOME: "/root" };
    expect(secretsIn(env).sort()).toEqual([CANARY, "api-key-123", "00okta-token"].sort());
  });

  it("redacts values before serialising: no raw and no JSON-escaped form survives, keys included", () => {
    const value = { description: `Okta ${CANARY}`, nested: [{ note: CANARY }], [CANARY]: 1, count: 3 };
    const text = redactedJson(value, [CANARY]);
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain(JSON.stringify(CANARY).slice(1, -1));
    expect(JSON.parse(text)).toEqual({ description: `Okta ${REDACTED}`, nested: [{ note: REDACTED }], [REDACTED]: 1, count: 3 });
    expect(redactValue(value, [CANARY]).count).toBe(3);
  });

  it("redacts text that already holds JSON in either form, a longer secret whole before a shorter one inside it", () => {
    const line = `{"secret":${JSON.stringify(CANARY)}} and raw ${CANARY}`;
    expect(redactText(line, [CANARY])).toBe(`{"secret":"${REDACTED}"} and raw ${REDACTED}`);
    expect(redactText("token-abcdef-long", ["token-abcdef", "token-abcdef-long"])).toBe(REDACTED);
  });
});

import { ConfigError } from "../../lib/config/errors";
import { tenantUrl } from "../../lib/contract";
import { EngineNotFoundError } from "../../lib/engine/resolve";
import { EngineCommandError } from "../../lib/engine/run";
import { errorLine, UserFacingError } from "../../lib/errors";
import { QlikApiError, QlikError } from "../../lib/qlik/errors";
import { ReviewError } from "../../lib/review/errors";
import { main } from "../../lib/cli/bin";

describe("one user-facing error base and one formatter", () => {
  it("every layer's errors are user-facing and print as written", () => {
    const errors: Error[] = [
      new ConfigError("qlik-okta.yaml", [{ path: "stacks.prod.okta.orgUrl", message: "is not a URL" }]),
      new QlikError("Qlik said no; do this"),
      new QlikApiError({ status: 403, method: "GET", path: "/api/v1/identity-providers", attempts: 1, safeToRepeat: true, authKind: "apiKey", origin: "https://x" }),
      new ReviewError("the plan is stale; run qlik-okta plan again"),
      new EngineNotFoundError("No usable engine; run npm run engine"),
      new EngineCommandError("tofu init failed in /x (exit 1): Error: boom", "init", "/x", 1),
    ];
    for (const e of errors) {
      expect(e).toBeInstanceOf(UserFacingError);
      expect(errorLine(e)).toBe(e.message);
      expect(errorLine(e)).not.toContain("please report it");
    }
  });

  it("anything else is the only thing that says it is a bug, in one line", () => {
    expect(errorLine(new RangeError("bad index\n    at x (y.ts:1:1)"))).toBe("qlik-okta: unexpected error (please report it): RangeError: bad index");
    expect(errorLine("thrown string")).toBe("qlik-okta: unexpected error (please report it): thrown string");
  });

  it("the CLI's one catch prints the line and uses the error's exit code", async () => {
    const err: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      // a missing config file is a user mistake: its message, exit 1, no stack trace
      const code = await main(["node", "qlik-okta", "synth", "--config", "/nonexistent/qlik-okta.yaml"]);
      expect(code).toBe(1);
    } finally {
      process.stderr.write = write;
    }
    expect(err.join("")).toBe("/nonexistent/qlik-okta.yaml: invalid configuration (1 problem):\n  - file not found; pass --config <file> or set QLIK_OKTA_CONFIG\n");
    expect(err.join("")).not.toMatch(/\n\s+at /);
  });
});

describe("the construct↔CLI contract", () => {
  it("builds tenant URLs on the real hostname", () => {
    expect(tenantUrl("acme.eu.qlikcloud.com")).toBe("https://acme.eu.qlikcloud.com/");
    expect(tenantUrl("acme.eu.qlikcloud.com", "/login/callback")).toBe("https://acme.eu.qlikcloud.com/login/callback");
  });
});

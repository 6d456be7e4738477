import { readFileSync } from "node:fs";
import * as path from "node:path";
import { main } from "../../lib/cli/bin";
import { packageVersion, PROJECT_ROOT } from "../../lib/paths";

/** The version as package.json states it, read independently of the code under test. */
const VERSION: string = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).version;

describe("qlik-okta --version", () => {
  afterEach(() => jest.restoreAllMocks());

  it("finds package.json from the TypeScript sources too, not only from dist/", () => {
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
    expect(packageVersion()).toBe(VERSION);
  });

  it.each([["--version"], ["-V"]])("prints the package.json version for %s and exits 0", async (flag) => {
    // GIVEN the CLI run in-process from lib/ (ts-jest), where a relative require of package.json would miss
    const written: string[] = [];
    jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    // WHEN
    const code = await main(["node", "qlik-okta", flag]);
    // THEN
    expect(code).toBe(0);
    expect(written.join("")).toBe(`${VERSION}\n`);
  });
});

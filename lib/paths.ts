import { readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * The project's root directory, whether this code runs compiled from `dist/lib` or as TypeScript from `lib`
 * (tests). Used to find the bundled example and the CLI entry that Terraform's provisioners run.
 */
// This file is <root>/lib/paths.ts or <root>/dist/lib/paths.js: only the parent of lib/ says which (a "dist" higher
// up the checkout's own path must not count).
export const PROJECT_ROOT = path.resolve(__dirname, path.basename(path.dirname(__dirname)) === "dist" ? "../.." : "..");

/** The compiled CLI entry point. */
export const CLI_ENTRY = path.join(PROJECT_ROOT, "dist", "lib", "cli", "bin.js");

/**
 * The `version` of the project's package.json. Read from PROJECT_ROOT, not with a relative `require`, so it is found
 * from `lib` (TypeScript, tests) and from `dist/lib` (compiled) alike.
 */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { version?: unknown };
  if (typeof pkg.version !== "string") throw new Error(`no "version" in ${path.join(PROJECT_ROOT, "package.json")}`);
  return pkg.version;
}

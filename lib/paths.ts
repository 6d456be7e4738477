import * as path from "node:path";

/**
 * The project's root directory, whether this code runs compiled from `dist/lib` or as TypeScript from `lib`
 * (tests). Used to find the bundled example and the CLI entry that Terraform's provisioners run.
 */
export const PROJECT_ROOT = path.resolve(__dirname, __dirname.split(path.sep).includes("dist") ? "../.." : "..");

/** The compiled CLI entry point. */
export const CLI_ENTRY = path.join(PROJECT_ROOT, "dist", "lib", "cli", "bin.js");

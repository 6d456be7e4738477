/**
 * Scratch directories for tests. They hold state and plan files with emulator secrets, so none may outlive its test
 * file: every `tempDir()` is recorded, and each suite calls `afterAll(removeTempDirs)` at its top level.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const created: string[] = [];

/** A new directory `<os tmpdir>/<prefix>XXXXXX`, removed by the next `removeTempDirs()`. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every directory `tempDir()` made in this test file so far. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

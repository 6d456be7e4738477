/**
 * A cancelled run (CI cancels with SIGTERM, a person with Ctrl-C) reaches the engine, which then stops cleanly and
 * releases the state lock — instead of this process dying and leaving a lock behind.
 */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../lib/paths";
import { ensureBuilt } from "../e2e/helpers";
import { removeTempDirs, tempDir } from "../tmp";

afterAll(removeTempDirs);

it.each(["SIGTERM", "SIGINT"] as const)("%s to the CLI's process is passed on to the running engine", async (signal) => {
  ensureBuilt();
  const dir = tempDir("qlik-okta-signal-");
  // A stand-in engine that, like tofu holding a lock, traps the signal, records it, "releases" and exits.
  const engine = path.join(dir, "fake-tofu");
  writeFileSync(
    engine,
    `#!/usr/bin/env bash\ntrap 'echo "$1" > "${dir}/got"; echo released > "${dir}/lock"; exit 1' TERM INT\necho started > "${dir}/started"\nwhile true; do sleep 0.05; done\n`.replace(
      '"$1"',
      signal,
    ),
  );
  chmodSync(engine, 0o755);
  const runner = `
    const { runEngine } = require(${JSON.stringify(path.join(PROJECT_ROOT, "dist", "lib", "engine", "run.js"))});
    runEngine({ binary: ${JSON.stringify(engine)}, name: "tofu", version: "1.12.6", source: "TF_BINARY" }, ["plan"], { cwd: ${JSON.stringify(dir)} })
      .then(() => process.stdout.write("resolved"), (e) => process.stdout.write("rejected: " + e.message));`;
  const child = spawn(process.execPath, ["-e", runner], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  // WHEN the engine is running and the CLI's process gets the signal
  for (let i = 0; i < 200 && !existsSync(path.join(dir, "started")); i++) await new Promise((r) => setTimeout(r, 25));
  expect(existsSync(path.join(dir, "started"))).toBe(true);
  child.kill(signal);
  const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  // THEN the engine got it and released its lock, and the CLI ended with exit 130 after reporting the failure
  expect(readFileSync(path.join(dir, "got"), "utf8").trim()).toBe(signal);
  expect(readFileSync(path.join(dir, "lock"), "utf8").trim()).toBe("released");
  expect(out).toMatch(/^resolved$/); // the engine exited 1 itself: runEngine resolves with its code for the caller to judge
  expect(code).toBe(130);
}, 20_000);

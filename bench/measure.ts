import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

export interface Sample {
  readonly wallMs: number;
  readonly peakRssMb: number;
}

export interface Summary {
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly peakRssMb: number;
}

const PROBE = path.resolve(__dirname, "..", "..", "bench", "rss-probe.js");

/** Run `node <args>` once as a fresh process: wall time from outside, peak RSS from inside. */
export function measureNode(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Sample {
  const rssDir = mkdtempSync(path.join(tmpdir(), "qlik-okta-rss-"));
  const rssFile = path.join(rssDir, "rss");
  try {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, ["-r", PROBE, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, QLIK_OKTA_BENCH_RSS_FILE: rssFile },
      encoding: "utf8",
    });
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`node ${args.join(" ")} exited ${result.status}: ${result.stderr.split("\n")[0]}`);
    const peakRssMb = Number(readFileSync(rssFile, "utf8")) / 1024;
    return { wallMs, peakRssMb };
  } finally {
    rmSync(rssDir, { recursive: true, force: true });
  }
}

export function summarize(samples: readonly Sample[]): Summary {
  const times = samples.map((s) => s.wallMs).sort((a, b) => a - b);
  return {
    runs: samples.length,
    medianMs: times[Math.floor(times.length / 2)],
    minMs: times[0],
    maxMs: times[times.length - 1],
    peakRssMb: Math.max(...samples.map((s) => s.peakRssMb)),
  };
}

export function repeat(n: number, fn: () => Sample): Summary {
  fn(); // warm the file cache once; not counted
  return summarize(Array.from({ length: n }, fn));
}

/**
 * `npm run bench`: prints the project's performance figures. Benchmarks, not tests: nothing here fails on a
 * number; the targets are printed beside the measurements for the reader.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { QlikEmulator, startQlikEmulator } from "../lib/emulators/qlik";
import { BUNDLED_EXAMPLE } from "../lib/config/load";
import { CLI_ENTRY, PROJECT_ROOT } from "../lib/paths";
import { ensureEngine } from "../lib/engine";
import { measureNode, repeat, Summary } from "./measure";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function row(name: string, s: Summary, target: string): string {
  return `${name.padEnd(34)} median ${s.medianMs.toFixed(0).padStart(5)} ms  (min ${s.minMs.toFixed(0)}, max ${s.maxMs.toFixed(0)}, n=${s.runs})  peak RSS ${s.peakRssMb.toFixed(0).padStart(4)} MB  target ${target}`;
}

function manyStacksConfig(n: number): string {
  const lines = ["stacks:"];
  for (let i = 0; i < n; i++) {
    lines.push(`  tenant${i}:`, `    okta: { orgUrl: https://org${i}.okta.com }`, `    qlik: { tenantHostname: t${i}.eu.qlikcloud.com }`);
  }
  return `${lines.join("\n")}\n`;
}

export function benchSynth(): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), "qlik-okta-bench-"));
  try {
    writeFileSync(path.join(dir, "fifty.yaml"), manyStacksConfig(50));
    const noEngine = { PATH: "/nonexistent", TERRAFORM_BINARY_NAME: "/nonexistent/terraform" };
    return [
      row("synth, bundled example (1 stack)", repeat(RUNS, () => measureNode([CLI_ENTRY, "synth", "-o", "out1"], { cwd: dir, env: noEngine })), "≤ 1000 ms"),
      row("synth, 50 stacks", repeat(RUNS, () => measureNode([CLI_ENTRY, "synth", "-c", "fifty.yaml", "-o", "out50"], { cwd: dir, env: noEngine })), "≤ 4000 ms, ≤ 500 MB"),
      row("qlik-okta --help (cold start)", repeat(RUNS, () => measureNode([CLI_ENTRY, "--help"], { cwd: dir })), "≤ 300 ms"),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The Qlik step against the emulator, as a fresh CLI process each time: a create (first apply) and a no-op
 * reconcile (the second apply with nothing changed), counting the requests the emulator received.
 */
export async function benchReconcile(): Promise<string[]> {
  const run = promisify(execFile);
  const applyOnce = async (qlik: QlikEmulator) => {
    const env = { ...process.env, QLIK_BASE_URL: qlik.url, QLIK_API_KEY: "bench-key", QLIK_IDP_CLIENT_SECRET: "bench-client-secret" };
    const before = qlik.requests.length;
    const start = process.hrtime.bigint();
    await run(process.execPath, [CLI_ENTRY, "idp", "apply", "--config", BUNDLED_EXAMPLE, "--stack", "example", "--client-id", "0oabench"], { env });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const made = qlik.requests.slice(before);
    return { ms, requests: made.length, writes: made.filter((r) => r.write).length };
  };
  const creates: { ms: number; requests: number; writes: number }[] = [];
  const noops: { ms: number; requests: number; writes: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    // A fresh tenant each time, so the first apply really creates.
    const qlik = await startQlikEmulator({ apiKeys: [{ key: "bench-key", tenantAdmin: true }] });
    try {
      creates.push(await applyOnce(qlik));
      noops.push(await applyOnce(qlik));
    } finally {
      await qlik.close();
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const fmt = (name: string, xs: typeof creates, target: string) =>
    `${name.padEnd(34)} median ${median(xs.map((x) => x.ms)).toFixed(0).padStart(5)} ms  requests ${median(xs.map((x) => x.requests))}, writes ${median(xs.map((x) => x.writes))}  (n=${xs.length})  target ${target}`;
  return [fmt("idp apply, create", creates, "-"), fmt("idp apply, no-op reconcile", noops, "≤ 3 requests, 0 writes")];
}

/** The engine provisioning script when everything is cached (the cold build is measured by hand: see README). */
export async function benchEngineWarm(): Promise<string | undefined> {
  const run = promisify(execFile);
  try {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = process.hrtime.bigint();
      await run("bash", ["scripts/engine.sh"], { cwd: PROJECT_ROOT });
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    samples.sort((a, b) => a - b);
    return `${"scripts/engine.sh, cached".padEnd(34)} median ${samples[Math.floor(samples.length / 2)].toFixed(0).padStart(5)} ms  (n=${samples.length})`;
  } catch {
    return undefined;
  }
}

/**
 * The provider's source route into an empty engine directory, as on a new machine whose Go caches are warm (a
 * teammate who builds Go, a CI runner with Go's caches kept): go build + plugin check + mirror + one offline init.
 * The engine is whatever is already provisioned (TF_BINARY), so OpenTofu is not rebuilt here, and the Pulumi pair is
 * left out (QLIK_OKTA_PULUMI=0): this is the okta provider's own route.
 */
export async function benchProviderFromSource(): Promise<string | undefined> {
  const run = promisify(execFile);
  const engine = await ensureEngine(process.env, { onProgress: () => undefined }).catch(() => undefined);
  if (!engine) return undefined;
  const samples: number[] = [];
  for (let i = 0; i < Math.min(RUNS, 3); i++) {
    const dir = mkdtempSync(path.join(tmpdir(), "qlik-okta-bench-engine-"));
    try {
      const start = process.hrtime.bigint();
      await run("bash", ["scripts/engine.sh"], { cwd: PROJECT_ROOT, env: { ...process.env, QLIK_OKTA_ENGINE_DIR: dir, TF_BINARY: engine.binary, QLIK_OKTA_PULUMI: "0" } });
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  samples.sort((a, b) => a - b);
  return `${"provider from source, empty dir".padEnd(34)} median ${samples[Math.floor(samples.length / 2)].toFixed(0).padStart(5)} ms  (min ${samples[0].toFixed(0)}, max ${samples[samples.length - 1].toFixed(0)}, n=${samples.length}; warm Go caches)`;
}

async function main(): Promise<void> {
  console.log(`qlik-okta-iac benchmarks — node ${process.version}, ${require("node:os").cpus().length} cores\n`);
  console.log("Synthesis and CLI start-up (fresh process each run):");
  for (const line of benchSynth()) console.log(`  ${line}`);
  console.log("\nThe Qlik step against the Qlik emulator (fresh CLI process each run):");
  for (const line of await benchReconcile()) console.log(`  ${line}`);
  const engine = await benchEngineWarm();
  console.log("\nEngine provisioning:");
  console.log(`  ${engine ?? "scripts/engine.sh: engine not provisioned here (run npm run engine)"}`);
  console.log(`  ${(await benchProviderFromSource()) ?? "provider from source: no engine to run it with (run npm run engine)"}`);
  console.log("\nAdopting a setup made by hand (both emulators, fresh CLI process each step):");
  for (const line of await (await import("./adopt")).benchAdopt()) console.log(`  ${line}`);
  console.log("\nThe Pulumi variant next to the Terraform flow (bundled example, both emulators, fresh CLI process each step):");
  for (const line of await (await import("./pulumi")).benchPulumi()) console.log(`  ${line}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});

/**
 * Adoption's cost, as a user meets it: `qlik-okta adopt` (read-only, both APIs) on a setup made by hand, and the
 * first `qlik-okta plan` of the adopted stack (imports) next to the plan of the same config that creates everything.
 * Fresh CLI processes against both emulators. Benchmarks, not tests: nothing fails on a number.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { startOktaEmulator } from "../lib/emulators/okta";
import { seedHandMadeSetup } from "../lib/emulators/okta/seed";
import { startQlikEmulator } from "../lib/emulators/qlik";
import { resolveEngine } from "../lib/engine";
import { CLI_ENTRY, PROJECT_ROOT } from "../lib/paths";

const RUNS = Math.max(1, Math.min(Number(process.env.BENCH_RUNS ?? 3), 5));
const HOST = "acme.eu.qlikcloud.com";
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function cli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; ms: number }> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], { cwd, env, stdio: "ignore" });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, ms: Number(process.hrtime.bigint() - start) / 1e6 }));
  });
}

export async function benchAdopt(): Promise<string[]> {
  const engine = await resolveEngine(process.env).catch(() => undefined);
  const samples = { adopt: [] as number[], oktaReads: [] as number[], qlikReads: [] as number[], importPlan: [] as number[], createPlan: [] as number[] };
  const example = readFileSync(path.join(PROJECT_ROOT, "examples", "qlik-okta.yaml"), "utf8");
  for (let i = 0; i < RUNS; i++) {
    const okta = await startOktaEmulator({ apiToken: "bench-okta" });
    const seeded = await seedHandMadeSetup(okta, { tenantHostname: HOST, authServer: {} });
    const qlik = await startQlikEmulator({
      tenantHostname: HOST,
      apiKeys: [{ key: "bench-qlik", tenantAdmin: true }],
      seedIdps: [{ protocol: "OIDC", provider: "okta", interactive: true, active: true, description: "Okta", options: { clientId: seeded.clientId, clientSecret: seeded.clientSecret, discoveryUrl: "https://acme.okta.com/.well-known/openid-configuration", realm: "Okta" } }],
    });
    const dir = mkdtempSync(path.join(tmpdir(), "qlik-okta-bench-adopt-"));
    const fresh = mkdtempSync(path.join(tmpdir(), "qlik-okta-bench-create-"));
    const env = { ...process.env, OKTA_API_TOKEN: "bench-okta", OKTA_HTTP_PROXY: okta.url, QLIK_BASE_URL: qlik.url, QLIK_API_KEY: "bench-qlik" };
    try {
      writeFileSync(path.join(dir, "qlik-okta.yaml"), example);
      writeFileSync(path.join(fresh, "qlik-okta.yaml"), example);
      const [oktaBefore, qlikBefore] = [okta.requests.length, qlik.requests.length];
      const adopt = await cli(["adopt"], dir, env);
      if (adopt.code !== 0) throw new Error(`adopt exited ${adopt.code}`);
      samples.adopt.push(adopt.ms);
      samples.oktaReads.push(okta.requests.length - oktaBefore);
      samples.qlikReads.push(qlik.requests.length - qlikBefore);
      if (!engine) continue;
      if ((await cli(["adopt", "--write"], dir, env)).code !== 0) throw new Error("adopt --write failed");
      const imports = await cli(["plan"], dir, env);
      const creates = await cli(["plan"], fresh, env);
      if (imports.code !== 2 || creates.code !== 2) throw new Error(`plan exited ${imports.code} / ${creates.code}`);
      samples.importPlan.push(imports.ms);
      samples.createPlan.push(creates.ms);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(fresh, { recursive: true, force: true });
      await Promise.all([okta.close(), qlik.close()]);
    }
  }
  const ms = (xs: number[]) => `median ${median(xs).toFixed(0).padStart(5)} ms  (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, n=${xs.length})`;
  const lines = [`${"adopt (read-only discovery)".padEnd(34)} ${ms(samples.adopt)}  requests: Okta ${median(samples.oktaReads)}, Qlik ${median(samples.qlikReads)}, 0 writes`];
  if (engine) {
    lines.push(`${"plan, adopted stack (6 imports)".padEnd(34)} ${ms(samples.importPlan)}`);
    lines.push(`${"plan, same config, creating all".padEnd(34)} ${ms(samples.createPlan)}`);
  } else {
    lines.push("plan of the adopted stack: no engine here (run npm run engine)");
  }
  return lines;
}

// Preloaded with `node -r` by the benchmarks: reports the process's peak RSS (KiB) when it exits.
const { writeFileSync } = require("node:fs");
const target = process.env.QLIK_OKTA_BENCH_RSS_FILE;
if (target) process.on("exit", () => writeFileSync(target, String(process.resourceUsage().maxRSS)));

/**
 * `pnpm bench [name...]`: runs the named benchmarks (all when none is named). Each prints ratios
 * against a baseline measured in the same run and writes `.bench/<name>.json`.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const root = process.cwd();
const hardhat = join(root, "node_modules", ".bin", "hardhat");
const BENCHMARKS: Record<string, string[]> = {
  // Same build profile as `pnpm start`, the deployment and `pnpm test`: no rebuild between them.
  gas: [hardhat, "run", "scripts/bench/gas.ts"],
  // Each benchmark lives beside what it measures.
  indexer: ["indexer/bench/indexer.ts"],
  guardian: ["guardian/src/bench.ts"],
  notify: ["notifier/src/bench.ts"],
  keeper: ["supervisor/src/keeper-bench.ts"],
  web: ["e2e/src/web-bench.ts"],
};

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  console.error(`bench: unknown benchmark ${unknown.join(", ")}; known: ${Object.keys(BENCHMARKS).join(", ")}`);
  process.exit(2);
}
for (const name of requested.length > 0 ? requested : Object.keys(BENCHMARKS)) {
  console.log(`== bench ${name}`);
  const result = spawnSync(process.execPath, BENCHMARKS[name]!, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

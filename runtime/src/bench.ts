/**
 * The one shape every `pnpm bench NAME` writes to `.bench/NAME.json`: an array of
 * `{metric, value, unit, baseline, ratio, target?}`, the baseline measured in the same run, and the
 * same table printed for people.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./paths.ts";

/** What a metric must meet; `on` names the field compared (the ratio unless said). */
export type BenchTarget = { op: "<=" | "<" | ">=" | ">" | "=="; value: number; on?: "value" | "ratio" };

export type BenchMetric = {
  metric: string;
  value: number;
  unit: string;
  baseline: number;
  /** value / baseline. */
  ratio: number;
  /** What the baseline is, in words. */
  baselineOf?: string;
  target?: BenchTarget;
};

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** A metric against its baseline; the ratio is computed, to three decimals. */
export function benchMetric(
  metric: string,
  value: number,
  unit: string,
  baseline: number,
  extra: { baselineOf?: string; target?: BenchTarget } = {},
): BenchMetric {
  return { metric, value, unit, baseline, ratio: baseline === 0 ? 0 : round(value / baseline, 3), ...extra };
}

/** Whether the metric meets its target; undefined without one. */
export function meetsTarget(metric: BenchMetric): boolean | undefined {
  const { target } = metric;
  if (!target) return undefined;
  const actual = target.on === "value" ? metric.value : metric.ratio;
  switch (target.op) {
    case "<=":
      return actual <= target.value;
    case "<":
      return actual < target.value;
    case ">=":
      return actual >= target.value;
    case ">":
      return actual > target.value;
    case "==":
      return actual === target.value;
  }
}

/** The p-th percentile (nearest rank) of the samples. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/** Writes `.bench/<name>.json` (or under `outDir`), prints the table, and says whether every target was met. */
export function writeBench(name: string, metrics: BenchMetric[], outDir = join(repoRoot, ".bench")): boolean {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(metrics, null, 2)}\n`);
  const width = Math.max(24, ...metrics.map((m) => m.metric.length + 2));
  console.log(
    `\n${"metric".padEnd(width)}${"value".padStart(12)}  ${"unit".padEnd(10)}${"baseline".padStart(12)}${"ratio".padStart(10)}  target`,
  );
  for (const m of metrics) {
    const met = meetsTarget(m);
    const target = m.target ? `${m.target.on === "value" ? "" : "ratio "}${m.target.op} ${m.target.value} ${met ? "ok" : "MISSED"}` : "";
    console.log(
      `${m.metric.padEnd(width)}${String(m.value).padStart(12)}  ${m.unit.padEnd(10)}${String(m.baseline).padStart(12)}${`${m.ratio}x`.padStart(10)}  ${target}`,
    );
  }
  const baselines = metrics.filter((m) => m.baselineOf).map((m) => `${m.metric}: ${m.baselineOf}`);
  if (baselines.length > 0) console.log(`\nbaselines: ${baselines.join("; ")}`);
  console.log(`wrote .bench/${name}.json`);
  return metrics.every((m) => meetsTarget(m) !== false);
}

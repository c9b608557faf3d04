/**
 * `pnpm bench web`: the command center's initial JavaScript (gzipped, what the first load must fetch
 * before anything shows) and the time from page load to the first live component status on a local
 * stack, against the same status fetched without a browser in the same run. Writes `.bench/web.json`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { freePort, removeDeployment, spawnUp, stopAllUp } from "../supervisor/src/testing.ts";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "..");
/** SPEC's budget for the first load's JavaScript. */
export const INITIAL_JS_BUDGET_KB = 250;
const LOADS = 5;

/** Gzipped size of the entry script and every module it preloads, read from the built index.html. */
export function initialGzipKb(distDir: string): { initialGzipKb: number; files: Record<string, number> } {
  const html = readFileSync(join(distDir, "index.html"), "utf8");
  const scripts = [...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)].map((m) => m[1]!);
  const files: Record<string, number> = {};
  for (const src of new Set(scripts)) files[src] = gzipSync(readFileSync(join(distDir, src))).length / 1024;
  const total = Object.values(files).reduce((sum, kb) => sum + kb, 0);
  return { initialGzipKb: Number(total.toFixed(1)), files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Number(v.toFixed(1))])) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function runWebBench(outDir: string) {
  const build = spawnSync(process.execPath, [join(here, "node_modules", ".bin", "vite"), "build", "--config", join(here, "vite.config.ts")], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`web build failed:\n${build.stderr}`);
  const bundle = initialGzipKb(join(here, "dist"));

  const home = mkdtempSync(join(tmpdir(), "sovr-web-bench-"));
  const deploymentId = `sovr-test-web-bench-${process.pid}`;
  const browser = await chromium.launch({ executablePath: process.env.SOVR_CHROMIUM ?? "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  try {
    const ports = {
      SOVR_CHAIN_PORT: String(await freePort()),
      SOVR_INDEXER_PORT: String(await freePort()),
      SOVR_GUARDIAN_PORT: String(await freePort()),
      SOVR_METRICS_PORT: String(await freePort()),
      SOVR_WEB_PORT: String(await freePort()),
    };
    const up = spawnUp({ SOVR_HOME: home, SOVR_DEPLOYMENT_ID: deploymentId, ...ports });
    await up.waitFor(/press Ctrl-C to stop\./i, 300_000);
    const webUrl = `http://127.0.0.1:${ports.SOVR_WEB_PORT}`;
    const statusUrl = `http://127.0.0.1:${ports.SOVR_INDEXER_PORT}/api/status`;

    const pageSamples: number[] = [];
    const fetchSamples: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      // A fresh context each time: a first visit, nothing cached.
      const context = await browser.newContext();
      const page = await context.newPage();
      const started = Date.now();
      await page.goto(webUrl);
      await page.locator('[data-testid^="component-"][data-status]').first().waitFor({ timeout: 60_000 });
      pageSamples.push(Date.now() - started);
      await context.close();
      const fetchStarted = Date.now();
      await (await fetch(statusUrl)).json();
      fetchSamples.push(Date.now() - fetchStarted);
    }
    const result = {
      bundle: { ...bundle, budgetKb: INITIAL_JS_BUDGET_KB, withinBudget: bundle.initialGzipKb <= INITIAL_JS_BUDGET_KB },
      e2e: { timeToLiveDataMs: median(pageSamples), samplesMs: pageSamples, loads: LOADS },
      baseline: { statusFetchMs: median(fetchSamples), samplesMs: fetchSamples },
    };
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, "web.json"), `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      `web: initial JS ${bundle.initialGzipKb} kB gzipped (budget ${INITIAL_JS_BUDGET_KB} kB: ${result.bundle.withinBudget ? "met" : "MISSED"}, ` +
        `${(bundle.initialGzipKb / INITIAL_JS_BUDGET_KB).toFixed(2)}x); page load to first live component status ${result.e2e.timeToLiveDataMs} ms (median of ${LOADS}) ` +
        `vs /api/status fetched without a browser ${result.baseline.statusFetchMs} ms (${(result.e2e.timeToLiveDataMs / Math.max(1, result.baseline.statusFetchMs)).toFixed(1)}x)`,
    );
    return result;
  } finally {
    await browser.close();
    await stopAllUp();
    rmSync(home, { recursive: true, force: true });
    removeDeployment(deploymentId);
  }
}

/**
 * `pnpm bench web`: the command center's initial JavaScript (gzipped, what the first load must fetch
 * before anything shows) and the time from page load to the first live component status on a local
 * stack, against the same status fetched without a browser in the same run. Writes `.bench/web.json`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchMetric, percentile, writeBench } from "@sovr/runtime/bench";
import { freePort, removeDeployment } from "@sovr/runtime/testing";
import { buildWeb, webDistDir } from "@sovr/web/build";
import { launchChromium } from "./browser.ts";
import { INITIAL_JS_BUDGET_KB, initialGzipKb } from "./bundle.ts";
import { sidePorts, spawnUp, stopAllUp } from "./stack.ts";

/** Fresh browser contexts loaded, each a first visit. */
const LOADS = 5;

const median = (values: number[]) => percentile(values, 50);

async function runWebBench(): Promise<boolean> {
  await buildWeb();
  const bundle = initialGzipKb(webDistDir);

  const home = mkdtempSync(join(tmpdir(), "sovr-web-bench-"));
  const deploymentId = `sovr-test-web-bench-${process.pid}`;
  const browser = await launchChromium();
  try {
    const ports = {
      SOVR_CHAIN_PORT: String(await freePort()),
      SOVR_INDEXER_PORT: String(await freePort()),
      ...(await sidePorts()),
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
    const budgetNote = `the SPEC's initial-JS budget, kB (${Object.keys(bundle.files).length} files)`;
    return writeBench("web", [
      benchMetric("bundle.initialGzipKb", bundle.initialGzipKb, "kB", INITIAL_JS_BUDGET_KB, {
        baselineOf: budgetNote,
        target: { op: "<=", value: 1 },
      }),
      benchMetric("e2e.timeToLiveDataMs", median(pageSamples), "ms", median(fetchSamples), {
        baselineOf: `/api/status fetched from Node without a browser, median of ${LOADS} (page: median of ${LOADS} fresh contexts)`,
      }),
    ]);
  } finally {
    await browser.close();
    await stopAllUp();
    rmSync(home, { recursive: true, force: true });
    removeDeployment(deploymentId);
  }
}

if (!(await runWebBench())) process.exitCode = 1;

/**
 * `pnpm bench notify`: from event mined to webhook received, on a local Anvil chain (automine) with
 * the real indexer and the notifier as its own process, delivering to a local webhook receiver.
 * 100 signals (SOVR_BENCH_NOTIFY_EVENTS), one every 500 ms (SOVR_BENCH_NOTIFY_PACE_MS); for each,
 * the time its receipt arrived to the time the receiver had the whole request. Baseline from the same
 * run: event mined to indexed (the indexer's /status reaching its block), which the notifier, reading
 * the index, cannot beat. Writes `.bench/notify.json`. Target: p99 at most 2 s.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { componentKinds, componentRegistryAbi, signalSeverities } from "@sovr/contracts";
import { spawnIndexer } from "@sovr/indexer/process";
import { benchMetric, percentile, writeBench } from "@sovr/runtime/bench";
import { startLocalChain } from "@sovr/runtime/chain";
import { deployForTest, freePort, removeDeployment } from "@sovr/runtime/testing";
import { createWalletClient, http } from "viem";
import { foundry } from "viem/chains";
import { spawnNotifier } from "./process.ts";
import { startHttpReceiver } from "./testing/receivers.ts";

const EVENTS = Number(process.env.SOVR_BENCH_NOTIFY_EVENTS ?? 100);
const PACE_MS = Number(process.env.SOVR_BENCH_NOTIFY_PACE_MS ?? 500);
const TARGET_P99_MS = 2000;

async function runNotifyBench(): Promise<boolean> {
  const home = mkdtempSync(join(tmpdir(), "sovr-bench-notify-"));
  const deploymentId = `sovr-bench-notify-${process.pid}`;
  const chain = await startLocalChain({ port: await freePort(), stateDir: join(home, "chain"), stateIntervalSeconds: 600 });
  const stops: (() => Promise<void>)[] = [() => chain.stop()];
  try {
    const { deployment, owner } = await deployForTest(chain, deploymentId);
    const wallet = createWalletClient({ chain: foundry, transport: http(chain.url), account: owner });
    const write = async (functionName: "register" | "signal", args: readonly unknown[]) => {
      const hash = await wallet.writeContract({ address: deployment.registry, abi: componentRegistryAbi, functionName, args } as never);
      return chain.client.waitForTransactionReceipt({ hash, pollingInterval: 5 });
    };
    await write("register", ["bench service", componentKinds.indexOf("CORE_BACKEND"), "http://127.0.0.1:1/health", true, owner, owner]);
    const indexer = spawnIndexer({
      port: await freePort(),
      rpcUrl: chain.url,
      chainId: foundry.id,
      deploymentId,
      dataDir: join(home, "indexer"),
    });
    stops.unshift(() => indexer.stop());
    await indexer.waitForBlock(await chain.client.getBlockNumber());
    const receiver = await startHttpReceiver("webhook");
    stops.unshift(() => receiver.close());
    const notifier = spawnNotifier({
      port: await freePort(),
      indexerUrl: indexer.url,
      home,
      webUrl: "http://127.0.0.1:5173",
      notifications: {
        channels: { hook: { type: "webhook", url: `${receiver.url}/bench`, secret: { env: "BENCH_HOOK_SECRET" } } },
        routes: [{ kinds: ["signal"], minSeverity: "info", channels: ["hook"] }],
        rateLimit: { count: 1000, perMinutes: 1 },
      },
      env: { BENCH_HOOK_SECRET: "bench", SOVR_NOTIFIER_POLL_MS: "50" },
    });
    stops.unshift(() => notifier.stop());
    await notifier.waitUntilLive();

    // When each block is first indexed.
    const indexedAt = new Map<bigint, number>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const indexed = await indexer.indexedBlock();
        if (indexed !== undefined && !indexedAt.has(BigInt(indexed))) indexedAt.set(BigInt(indexed), Date.now());
        await sleep(25);
      }
    })();
    const sent: { index: number; blockNumber: bigint; minedAt: number }[] = [];
    const started = Date.now();
    for (let i = 0; i < EVENTS; i++) {
      // A kind of its own per signal: the same kind again would be told once (deduplication).
      const receipt = await write("signal", [1, signalSeverities.indexOf("ERROR"), `bench_${i}`, `bench event ${i}`]);
      sent.push({ index: i, blockNumber: receipt.blockNumber, minedAt: Date.now() });
      const next = started + (i + 1) * PACE_MS;
      if (next > Date.now()) await sleep(next - Date.now());
    }
    const deadline = Date.now() + 60_000;
    while (receiver.received.length < EVENTS && Date.now() < deadline) await sleep(20);
    watching = false;
    await watcher;
    const receivedAt = new Map<number, number>();
    for (const request of receiver.received) {
      const match = /bench event (\d+)/.exec((request.json as { text?: string }).text ?? "");
      if (match && !receivedAt.has(Number(match[1]))) receivedAt.set(Number(match[1]), request.at);
    }
    const missing = sent.filter((event) => !receivedAt.has(event.index)).length;
    if (missing > 0) throw new Error(`${missing} of ${EVENTS} events reached no webhook within 60 s`);
    const latencies = sent.map((event) => receivedAt.get(event.index)! - event.minedAt);
    const indexLag = sent
      .map((event) => {
        const at = [...indexedAt].filter(([block]) => block >= event.blockNumber).map(([, time]) => time);
        return at.length ? Math.min(...at) - event.minedAt : undefined;
      })
      .filter((lag): lag is number => lag !== undefined);
    const duplicates = receiver.received.length - receivedAt.size;
    const baselineOf = "the indexer's own lag in the same run: event mined (receipt) to its block indexed";
    return writeBench("notify", [
      benchMetric("notify.latencyP50Ms", percentile(latencies, 50), "ms", Math.max(1, percentile(indexLag, 50)), { baselineOf }),
      benchMetric("notify.latencyP99Ms", percentile(latencies, 99), "ms", Math.max(1, percentile(indexLag, 99)), {
        baselineOf,
        target: { op: "<=", value: TARGET_P99_MS, on: "value" },
      }),
      benchMetric("notify.duplicates", duplicates, "messages", 0, { target: { op: "==", value: 0, on: "value" } }),
    ]);
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    removeDeployment(deploymentId);
    rmSync(home, { recursive: true, force: true });
  }
}

runNotifyBench().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);

/**
 * Health of the stack components without a server of their own, served by the supervisor's metrics
 * endpoint: the host (memory and disk the stack needs), the contracts (code at every deployed
 * address, the ledger's pause flag) and the chain (every RPC URL asked for its head: failed when
 * none answers, degraded while some do not).
 */
import { statfs } from "node:fs/promises";
import { availableParallelism, freemem, loadavg, totalmem } from "node:os";
import { type SovrDeployment, sovrLedgerAbi } from "@sovr/contracts";
import { displayUrl } from "@sovr/runtime/rpc";
import { createPublicClient, http, type PublicClient } from "viem";
import type { HealthReport } from "./metrics.ts";

/** Below this share of free memory or disk the host is reported unhealthy. */
const MIN_FREE_SHARE = 0.05;

export async function hostHealth(home: string): Promise<HealthReport> {
  const disk = await statfs(home);
  const memoryFreeShare = freemem() / totalmem();
  const diskFreeShare = Number(disk.bavail) / Number(disk.blocks);
  const round = (share: number) => Math.round(share * 1000) / 1000;
  return {
    ok: memoryFreeShare >= MIN_FREE_SHARE && diskFreeShare >= MIN_FREE_SHARE,
    memoryFreeShare: round(memoryFreeShare),
    diskFreeShare: round(diskFreeShare),
    loadPerCore: round(loadavg()[0]! / availableParallelism()),
  };
}

export async function contractsHealth(client: PublicClient, deployment: SovrDeployment): Promise<HealthReport> {
  const names = [
    "ledger",
    "credit",
    "token",
    "relay",
    "registry",
    "guardian",
    "directory",
    "maintenance",
    "invoices",
    "orders",
    "commitments",
  ] as const;
  const codes = await Promise.all(names.map((name) => client.getCode({ address: deployment[name] })));
  const missing = names.filter((_, index) => !codes[index] || codes[index] === "0x");
  const paused = missing.includes("ledger")
    ? null
    : await client.readContract({ address: deployment.ledger, abi: sovrLedgerAbi, functionName: "paused" });
  return { ok: missing.length === 0, missing, ledgerPaused: paused };
}

/** How long one RPC URL may take to give its head. */
const RPC_PROBE_TIMEOUT_MS = 5_000;

export async function chainHealth(urls: string[]): Promise<HealthReport> {
  const answers = await Promise.all(
    urls.map(async (url) => {
      const client = createPublicClient({ transport: http(url, { retryCount: 0, timeout: RPC_PROBE_TIMEOUT_MS }) });
      try {
        return { url: displayUrl(url), block: Number(await client.getBlockNumber({ cacheTime: 0 })) };
      } catch (error) {
        return { url: displayUrl(url), error: (error as Error).message.split("\n")[0] };
      }
    }),
  );
  const answering = answers.filter((answer) => "block" in answer).length;
  return { ok: answering > 0, degraded: answering > 0 && answering < urls.length, urls: answers };
}

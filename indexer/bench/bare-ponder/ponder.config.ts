/**
 * Baseline of `pnpm bench indexer`: a bare Ponder app over the same SOVR contracts, the same events
 * and the same chain as the real indexer, with one table and one insert per event (no other reads
 * or writes). Everything comes from the environment the benchmark sets (`BARE_*`).
 */

import { type SovrContractName, sovrAbis } from "@sovr/contracts";
import { createConfig } from "ponder";
import type { Address } from "viem";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`bare-ponder: ${name} is not set (this app is run by indexer/bench/indexer.ts)`);
  return value;
}
const addresses = JSON.parse(env("BARE_ADDRESSES")) as Record<SovrContractName, Address>;
const startBlock = Number(env("BARE_START_BLOCK"));

export default createConfig({
  database: process.env.BARE_DATABASE_URL
    ? { kind: "postgres", connectionString: process.env.BARE_DATABASE_URL }
    : { kind: "pglite", directory: env("BARE_PGLITE_DIR") },
  chains: {
    // The same RPC pace as the real indexer (its chain's `rpcRequestsPerSecond`), so only the indexing differs.
    sovr: {
      id: Number(env("BARE_CHAIN_ID")),
      rpc: env("BARE_RPC_URL"),
      pollingInterval: Number(process.env.BARE_POLLING_MS ?? 100),
      maxRequestsPerSecond: process.env.BARE_RPC_REQUESTS_PER_SECOND ? Number(process.env.BARE_RPC_REQUESTS_PER_SECOND) : undefined,
    },
  },
  // Every SOVR contract at its deployed address (`addressesOf` in @sovr/contracts), as the real indexer has them.
  contracts: Object.fromEntries(
    (Object.keys(sovrAbis) as SovrContractName[]).map((name) => [
      name,
      { chain: "sovr" as const, abi: sovrAbis[name], address: addresses[name], startBlock },
    ]),
  ) as Record<SovrContractName, { chain: "sovr"; abi: (typeof sovrAbis)[SovrContractName]; address: Address; startBlock: number }>,
});

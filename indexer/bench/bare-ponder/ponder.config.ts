/**
 * Baseline of `pnpm bench indexer`: a bare Ponder app over the same SOVR contracts, the same events
 * and the same chain as the real indexer, with one table and one insert per event (no other reads
 * or writes). Everything comes from the environment the benchmark sets (`BARE_*`).
 */

import { sovrAbis } from "@sovr/contracts";
import { createConfig } from "ponder";
import type { Address } from "viem";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`bare-ponder: ${name} is not set (this app is run by indexer/bench/indexer.ts)`);
  return value;
}
const address = (name: string) => env(name) as Address;
const startBlock = Number(env("BARE_START_BLOCK"));

export default createConfig({
  database: process.env.BARE_DATABASE_URL
    ? { kind: "postgres", connectionString: process.env.BARE_DATABASE_URL }
    : { kind: "pglite", directory: env("BARE_PGLITE_DIR") },
  chains: {
    sovr: { id: Number(env("BARE_CHAIN_ID")), rpc: env("BARE_RPC_URL"), pollingInterval: Number(process.env.BARE_POLLING_MS ?? 100) },
  },
  contracts: {
    SovrLedger: { chain: "sovr", abi: sovrAbis.SovrLedger, address: address("BARE_LEDGER"), startBlock },
    SovrCredit: { chain: "sovr", abi: sovrAbis.SovrCredit, address: address("BARE_CREDIT"), startBlock },
    SovrToken: { chain: "sovr", abi: sovrAbis.SovrToken, address: address("BARE_TOKEN"), startBlock },
    SovrRelay: { chain: "sovr", abi: sovrAbis.SovrRelay, address: address("BARE_RELAY"), startBlock },
    ComponentRegistry: { chain: "sovr", abi: sovrAbis.ComponentRegistry, address: address("BARE_REGISTRY"), startBlock },
    GuardianAttestations: { chain: "sovr", abi: sovrAbis.GuardianAttestations, address: address("BARE_GUARDIAN"), startBlock },
    SovrDirectory: { chain: "sovr", abi: sovrAbis.SovrDirectory, address: address("BARE_DIRECTORY"), startBlock },
  },
});

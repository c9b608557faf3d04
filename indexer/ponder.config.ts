/**
 * Ponder configuration of the SOVR indexer (schema, handlers and API beside it).
 * Addresses and the start block come from Ignition's deployment of the chain in use, never by hand
 * (`SOVR_CHAIN_ID`, `SOVR_DEPLOYMENT_ID`); PGlite under `.sovr/indexer/`, Postgres with `DATABASE_URL`.
 * The chain is every URL of `SOVR_RPC_URL` (comma-separated) through `rpcTransport`.
 */

import { addressesOf, type SovrContractName, sovrAbis } from "@sovr/contracts";
import { rpcTransport } from "@sovr/runtime/rpc";
import { createConfig } from "ponder";
import type { Address } from "viem";
import { readIndexerSettings } from "./settings.ts";

const settings = readIndexerSettings();
const { deployment } = settings;
const addresses = addressesOf(deployment);

/** Every SOVR contract on the one chain, from the deployment's start block. */
const contracts = Object.fromEntries(
  Object.entries(sovrAbis).map(([name, abi]) => [
    name,
    { chain: "sovr", abi, address: addresses[name as SovrContractName], startBlock: deployment.startBlock },
  ]),
) as { [name in SovrContractName]: { chain: "sovr"; abi: (typeof sovrAbis)[name]; address: Address; startBlock: number } };

export default createConfig({
  database: settings.databaseUrl
    ? { kind: "postgres", connectionString: settings.databaseUrl }
    : { kind: "pglite", directory: settings.pgliteDir },
  chains: {
    // Our transport, not Ponder's list of URLs: Ponder's balancer keeps picking a URL that refuses
    // connections (only 429s and timeouts take one out of turn); ours moves on to the next at once.
    sovr: {
      id: settings.chainId,
      rpc: rpcTransport(settings.rpcUrls),
      pollingInterval: settings.pollingIntervalMs,
      // Patched Ponder (patches/ponder.patch): where its adaptive limit starts, not a fixed cap.
      maxRequestsPerSecond: settings.rpcRequestsPerSecond,
    },
  },
  contracts,
});

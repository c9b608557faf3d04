/**
 * Ponder configuration of the SOVR indexer (schema, handlers and API beside it).
 * Addresses and the start block come from Ignition's deployment of the chain in use, never by hand
 * (`SOVR_CHAIN_ID`, `SOVR_DEPLOYMENT_ID`); PGlite under `.sovr/indexer/`, Postgres with `DATABASE_URL`.
 */

import { addressesOf, type SovrContractName, sovrAbis } from "@sovr/contracts";
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
    sovr: { id: settings.chainId, rpc: settings.rpcUrl, pollingInterval: settings.pollingIntervalMs },
  },
  contracts,
});

/**
 * Ponder configuration of the SOVR indexer (schema, handlers and API in `indexer/`, which runs
 * Ponder through its one-line `indexer/ponder.config.ts` re-export of this file).
 * Addresses and the start block come from Ignition's deployment of the chain in use, never by hand
 * (`SOVR_CHAIN_ID`, `SOVR_DEPLOYMENT_ID`); PGlite under `.sovr/indexer/`, Postgres with `DATABASE_URL`.
 */
import { createConfig } from "ponder";
import {
  componentRegistryAbi,
  guardianAttestationsAbi,
  sovrCreditAbi,
  sovrLedgerAbi,
  sovrRelayAbi,
  sovrTokenAbi,
} from "./contracts/index.ts";
import { readIndexerSettings } from "./indexer/settings.ts";

const settings = readIndexerSettings();
const { deployment } = settings;
const startBlock = deployment.startBlock;

export default createConfig({
  database: settings.databaseUrl
    ? { kind: "postgres", connectionString: settings.databaseUrl }
    : { kind: "pglite", directory: settings.pgliteDir },
  chains: {
    sovr: { id: settings.chainId, rpc: settings.rpcUrl, pollingInterval: settings.pollingIntervalMs },
  },
  contracts: {
    SovrLedger: { chain: "sovr", abi: sovrLedgerAbi, address: deployment.ledger, startBlock },
    SovrCredit: { chain: "sovr", abi: sovrCreditAbi, address: deployment.credit, startBlock },
    SovrToken: { chain: "sovr", abi: sovrTokenAbi, address: deployment.token, startBlock },
    SovrRelay: { chain: "sovr", abi: sovrRelayAbi, address: deployment.relay, startBlock },
    ComponentRegistry: { chain: "sovr", abi: componentRegistryAbi, address: deployment.registry, startBlock },
    GuardianAttestations: { chain: "sovr", abi: guardianAttestationsAbi, address: deployment.guardian, startBlock },
  },
});

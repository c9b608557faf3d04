import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Address, Hex } from "viem";

/** One deployment of the Ignition module `Sovr`, as Ignition recorded it. */
export type SovrDeployment = {
  chainId: number;
  ledger: Address;
  credit: Address;
  token: Address;
  relay: Address;
  registry: Address;
  guardian: Address;
  /** The owner's labels for addresses (SovrDirectory). */
  directory: Address;
  /** The owner's maintenance windows (SovrMaintenance). */
  maintenance: Address;
  /** Invoices paid on the ledger (SovrInvoices). */
  invoices: Address;
  /** Standing orders, plans and subscriptions (SovrOrders). */
  orders: Address;
  /** Amounts committed milestone by milestone (SovrCommitments). */
  commitments: Address;
  /** Block of the first deployment transaction: where indexing starts. */
  startBlock: number;
  /** Block of the last deployment transaction: the deployer's setup is complete there. */
  endBlock: number;
  /** Hashes of the deployment's own transactions (what the deployer did to set the contracts up). */
  transactions: Hex[];
};

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Ignition's own deployment id for a chain (its folder is `ignition/deployments/chain-<id>`, SPEC 8). */
export function defaultDeploymentId(chainId: number): string {
  return `chain-${chainId}`;
}

/** The folder of a deployment. */
export function deploymentDir(deploymentId: string, root = repoRoot): string {
  return join(root, "ignition", "deployments", deploymentId);
}

/**
 * Reads the addresses Ignition recorded for the chain; `undefined` if the module was never deployed there.
 * @param deploymentId Ignition's deployment id, `chain-<chainId>` unless a test isolates itself.
 */
export function readDeployment(chainId: number, deploymentId = defaultDeploymentId(chainId), root = repoRoot): SovrDeployment | undefined {
  const dir = deploymentDir(deploymentId, root);
  const file = join(dir, "deployed_addresses.json");
  if (!existsSync(file)) return undefined;
  const addresses = JSON.parse(readFileSync(file, "utf8")) as Record<string, Address>;
  const pick = (future: string): Address => {
    const address = addresses[`Sovr#${future}`];
    if (!address) throw new Error(`${file} has no address for Sovr#${future}; run the Ignition module again`);
    return address;
  };
  return {
    chainId,
    ledger: pick("SovrLedger"),
    credit: pick("SovrCredit"),
    token: pick("SovrToken"),
    relay: pick("SovrRelay"),
    registry: pick("ComponentRegistry"),
    guardian: pick("GuardianAttestations"),
    directory: pick("SovrDirectory"),
    maintenance: pick("SovrMaintenance"),
    invoices: pick("SovrInvoices"),
    orders: pick("SovrOrders"),
    commitments: pick("SovrCommitments"),
    ...confirmedTransactions(join(dir, "journal.jsonl")),
  };
}

/** The confirmed transactions of Ignition's journal: their hashes and the blocks they span. */
function confirmedTransactions(journalFile: string): { startBlock: number; endBlock: number; transactions: Hex[] } {
  const blocks: number[] = [];
  const transactions: Hex[] = [];
  for (const line of readFileSync(journalFile, "utf8").split("\n")) {
    if (!line.includes('"TRANSACTION_CONFIRM"')) continue;
    const entry = JSON.parse(line) as { hash?: Hex; receipt?: { blockNumber?: number } };
    if (entry.receipt?.blockNumber !== undefined) blocks.push(entry.receipt.blockNumber);
    if (entry.hash) transactions.push(entry.hash);
  }
  if (blocks.length === 0) throw new Error(`${journalFile} records no confirmed transaction`);
  return { startBlock: Math.min(...blocks), endBlock: Math.max(...blocks), transactions };
}

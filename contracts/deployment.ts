import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Address } from "viem";

/** One deployment of the Ignition module `Sovr`, as Ignition recorded it. */
export type SovrDeployment = {
  chainId: number;
  ledger: Address;
  credit: Address;
  token: Address;
  relay: Address;
  registry: Address;
  guardian: Address;
  /** Block of the first deployment transaction: where indexing starts. */
  startBlock: number;
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
    startBlock: firstConfirmedBlock(join(dir, "journal.jsonl")),
  };
}

/** The lowest block number among the confirmed transactions of Ignition's journal. */
function firstConfirmedBlock(journalFile: string): number {
  let first = Number.POSITIVE_INFINITY;
  for (const line of readFileSync(journalFile, "utf8").split("\n")) {
    if (!line.includes('"TRANSACTION_CONFIRM"')) continue;
    const entry = JSON.parse(line) as { receipt?: { blockNumber?: number } };
    if (entry.receipt?.blockNumber !== undefined) first = Math.min(first, entry.receipt.blockNumber);
  }
  if (!Number.isFinite(first)) throw new Error(`${journalFile} records no confirmed transaction`);
  return first;
}

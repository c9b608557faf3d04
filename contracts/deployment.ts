import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Address } from "viem";

/** Addresses of one deployment of the Ignition module `Sovr`, as Ignition recorded them. */
export type SovrDeployment = {
  chainId: number;
  ledger: Address;
  credit: Address;
  token: Address;
  relay: Address;
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
export function readDeployment(
  chainId: number,
  deploymentId = defaultDeploymentId(chainId),
  root = repoRoot,
): SovrDeployment | undefined {
  const file = join(deploymentDir(deploymentId, root), "deployed_addresses.json");
  if (!existsSync(file)) return undefined;
  const addresses = JSON.parse(readFileSync(file, "utf8")) as Record<string, Address>;
  const pick = (future: string): Address => {
    const address = addresses[`Sovr#${future}`];
    if (!address) throw new Error(`${file} has no address for Sovr#${future}; redeploy with Ignition`);
    return address;
  };
  return {
    chainId,
    ledger: pick("SovrLedger"),
    credit: pick("SovrCredit"),
    token: pick("SovrToken"),
    relay: pick("SovrRelay"),
  };
}

/** Helpers for integration tests and benches that run chains and deployments of their own. */
import { rmSync } from "node:fs";
import type { SovrDeployment } from "@sovr/contracts";
import { deploymentDir } from "@sovr/contracts/deployment";
import { type Address, createWalletClient, type Hex, http, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import type { LocalChain } from "./chain.ts";
import { ensureDeployed } from "./deploy.ts";

export { freePort } from "./ports.ts";

/** Removes a test's Ignition deployment folder. */
export function removeDeployment(deploymentId: string): void {
  rmSync(deploymentDir(deploymentId), { recursive: true, force: true });
}

export type TestDeployment = { deployment: SovrDeployment; owner: Address; guardianKey: Hex };

/**
 * Deploys SOVR on a test's local chain as `sovr up` does: the owner is Anvil's first (unlocked)
 * account, the guardian a freshly generated key the owner funds; never a well-known key with a role.
 */
export async function deployForTest(chain: LocalChain, deploymentId: string): Promise<TestDeployment> {
  const [owner] = await createWalletClient({ transport: http(chain.url) }).getAddresses();
  if (!owner) throw new Error("the test chain has no unlocked account");
  const guardianKey = generatePrivateKey();
  const guardian = privateKeyToAccount(guardianKey).address;
  const wallet = createWalletClient({ chain: foundry, transport: http(chain.url), account: owner });
  await chain.client.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to: guardian, value: parseEther("100") }) });
  const { deployment } = await ensureDeployed({ rpcUrl: chain.url, client: chain.client, deploymentId, guardian });
  return { deployment, owner, guardianKey };
}

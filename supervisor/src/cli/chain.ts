/**
 * The chain a verb talks to (`SOVR_RPC_URL`, default 127.0.0.1 on `SOVR_CHAIN_PORT`, 8545), the SOVR
 * addresses Ignition recorded for it (`SOVR_DEPLOYMENT_ID`), and sending one transaction: simulated
 * first, so a revert is one sentence and nothing is sent.
 */
import { describeRevert, type SovrDeployment } from "@sovr/contracts";
import { readDeployment } from "@sovr/contracts/deployment";
import { readEnv } from "@sovr/runtime";
import { displayUrl, rpcTransport, rpcUrls } from "@sovr/runtime/rpc";
import {
  type Abi,
  type Account,
  type Chain,
  type ContractFunctionArgs,
  type ContractFunctionName,
  createPublicClient,
  createWalletClient,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";
import { loadKey, refuseWellKnownKey } from "./keys.ts";

export type SigningSession = {
  client: PublicClient;
  chainId: number;
  deployment: SovrDeployment;
  rpcUrl: string;
  wallet: WalletClient<Transport, Chain | undefined, Account>;
  signer: Account;
};

/** `SOVR_RPC_URL` (one or more URLs, comma-separated), or the local chain on `SOVR_CHAIN_PORT`. */
export function rpcUrlsOf(env: NodeJS.ProcessEnv): string[] {
  const { SOVR_RPC_URL } = readEnv({ SOVR_RPC_URL: rpcUrls([`http://127.0.0.1:${env.SOVR_CHAIN_PORT || 8545}`]) }, env);
  return SOVR_RPC_URL;
}

export function rpcUrl(env: NodeJS.ProcessEnv): string {
  return rpcUrlsOf(env).map(displayUrl).join(", ");
}

/** A client over every URL of `SOVR_RPC_URL`, used in turn when one fails. */
export function chainClient(env: NodeJS.ProcessEnv): PublicClient {
  return createPublicClient({ transport: rpcTransport(rpcUrlsOf(env), { retries: 2 }), cacheTime: 0 }) as PublicClient;
}

async function chainIdAt(client: PublicClient, url: string): Promise<number> {
  try {
    return await client.getChainId();
  } catch {
    throw new Error(`no chain answers at ${url}; is \`pnpm start\` running? (SOVR_RPC_URL)`);
  }
}

/**
 * The addresses Ignition recorded, checked against the chain: a deployment id names a folder, not a
 * chain, and a local chain started afresh has none of the recorded contracts.
 */
async function deploymentFor(client: PublicClient, chainId: number, env: NodeJS.ProcessEnv): Promise<SovrDeployment> {
  const deploymentId = env.SOVR_DEPLOYMENT_ID || undefined;
  const named = deploymentId ? ` (deployment ${deploymentId})` : "";
  const deployment = readDeployment(chainId, deploymentId);
  if (!deployment) throw new Error(`SOVR is not deployed on chain ${chainId}${named}; \`pnpm start\` deploys it`);
  const code = await client.getCode({ address: deployment.ledger });
  if (!code || code === "0x")
    throw new Error(`chain ${chainId} has no SOVR ledger at ${deployment.ledger}${named}; is SOVR_RPC_URL the chain it was deployed on?`);
  return deployment;
}

/** The chain, its deployment and the signing key; the key is checked against the chain before any address is read. */
export async function openSigning(env: NodeJS.ProcessEnv): Promise<SigningSession> {
  const signer = await loadKey(env);
  const url = rpcUrl(env);
  const urls = rpcUrlsOf(env);
  const client = chainClient(env);
  const chainId = await chainIdAt(client, url);
  refuseWellKnownKey(signer.address, chainId);
  const chain = {
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: urls } },
  };
  const wallet = createWalletClient({ account: signer, chain, transport: rpcTransport(urls, { retries: 2 }) });
  return { client, chainId, deployment: await deploymentFor(client, chainId, env), rpcUrl: url, wallet, signer };
}

type Call<abi extends Abi, name extends ContractFunctionName<abi, "nonpayable">> = {
  address: `0x${string}`;
  abi: abi;
  functionName: name;
  args: ContractFunctionArgs<abi, "nonpayable", name>;
};

/**
 * Simulates the call as the signer, sends it and waits for its receipt. `what` names the action in the
 * refusal ("transfer refused: the debit account is frozen (DebitAccountFrozen)").
 */
export async function send<const abi extends Abi, name extends ContractFunctionName<abi, "nonpayable">>(
  session: SigningSession,
  what: string,
  call: Call<abi, name>,
): Promise<{ receipt: TransactionReceipt }> {
  let simulated;
  try {
    // viem cannot relate a generic ABI to its function's argument types; `call` is checked at every caller.
    simulated = await session.client.simulateContract({ ...call, account: session.signer } as never);
  } catch (error) {
    throw new Error(`${what} refused: ${describeRevert(error) ?? (error as Error).message.split("\n")[0]}`);
  }
  const hash = await session.wallet.writeContract(simulated.request as never);
  const receipt = await session.client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success")
    throw new Error(`${what} reverted on-chain in transaction ${hash} after a successful simulation; try again`);
  return { receipt };
}

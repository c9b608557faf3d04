/**
 * The chain a host process talks to: every RPC URL through one failing-over transport, the chain's
 * profile (polling, finality, explorer), and wallets for the host's keys on it.
 */
import { UserError } from "@sovr/runtime";
import { type ChainProfile, chainProfile, viemChain } from "@sovr/runtime/chains";
import { displayUrl, rpcTransport } from "@sovr/runtime/rpc";
import { type Chain, createPublicClient, type PublicClient, type Transport } from "viem";

export type ChainConnection = {
  urls: string[];
  chainId: number;
  profile: ChainProfile;
  client: PublicClient;
  transport: Transport;
  /** The chain as viem's wallets need it. */
  chain: Chain;
  /** The first URL that answered: tools without failover of their own (Hardhat) use it. */
  firstAnswering: string;
};

/** Connects to the chain at `urls`; one line when none answers. */
export async function connectChain(urls: string[], environment: NodeJS.ProcessEnv = process.env): Promise<ChainConnection> {
  let firstAnswering: string | undefined;
  let chainId: number | undefined;
  for (const url of urls) {
    try {
      const probe = createPublicClient({ transport: rpcTransport([url], { retries: 1 }) });
      chainId = await probe.getChainId();
      firstAnswering = url;
      break;
    } catch {
      // the next URL, if any
    }
  }
  if (firstAnswering === undefined || chainId === undefined) {
    throw new UserError(`no chain answers at ${urls.map(displayUrl).join(", ")} (SOVR_RPC_URL)`);
  }
  const profile = chainProfile(chainId, environment);
  const transport = rpcTransport(urls);
  const chain = viemChain(profile, urls);
  const client = createPublicClient({ chain, transport, pollingInterval: profile.pollingMs, cacheTime: 0 }) as PublicClient;
  return { urls, chainId, profile, client, transport, chain, firstAnswering };
}

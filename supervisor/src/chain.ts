/**
 * The chain a host process talks to: every RPC URL through one failing-over transport, the chain's
 * profile (polling, finality, explorer), and wallets for the host's keys on it.
 */
import { UserError } from "@sovr/runtime";
import { type ChainProfile, chainProfile } from "@sovr/runtime/chains";
import { displayUrl, rpcTransport } from "@sovr/runtime/rpc";
import { type Chain, createPublicClient, defineChain, type PublicClient, type Transport } from "viem";

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
  const chain = defineChain({
    id: chainId,
    name: profile.name,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: urls } },
    ...(profile.explorerUrl ? { blockExplorers: { default: { name: "Explorer", url: profile.explorerUrl } } } : {}),
  });
  const client = createPublicClient({ chain, transport, pollingInterval: profile.pollingMs, cacheTime: 0 }) as PublicClient;
  return { urls, chainId, profile, client, transport, chain, firstAnswering };
}

/** Seconds a host transaction may stay unmined before it is replaced with higher fees: ten blocks, at least 15 s. */
export function stuckAfterMs(profile: ChainProfile): number {
  return Math.max(15_000, profile.blockSeconds * 10_000);
}

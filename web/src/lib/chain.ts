import { type Chain, defineChain } from "viem";
import { createConfig, http } from "wagmi";
import type { WebConfig } from "../config.ts";

/** The deployment's chain as the wallet and viem see it (any EVM chain; Anvil locally). */
export function chainOf(config: WebConfig): Chain {
  return defineChain({
    id: config.chainId,
    name: config.chainName,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
    // wagmi's switchChain adds the chain (EIP-3085, with these URLs) when the wallet does not know it.
    ...(config.explorerUrl ? { blockExplorers: { default: { name: "Explorer", url: config.explorerUrl } } } : {}),
  });
}

/**
 * Wallets are found through EIP-6963 announcements (wagmi's multi-injected discovery), so any such
 * wallet connects and no key is ever in the page. Reads go to the deployment's RPC URL.
 */
export function createWagmiConfig(config: WebConfig) {
  const chain = chainOf(config);
  return createConfig({
    chains: [chain],
    connectors: [],
    multiInjectedProviderDiscovery: true,
    transports: { [chain.id]: http(config.rpcUrl) },
    // A local chain mines on demand: a short interval makes receipts and the chain head prompt.
    pollingInterval: 1000,
  });
}

/** The explorer's page of a transaction or an address; undefined without an explorer (the local chain). */
export function explorerLink(config: WebConfig, kind: "tx" | "address", value: string): string | undefined {
  return config.explorerUrl ? `${config.explorerUrl}/${kind}/${value}` : undefined;
}

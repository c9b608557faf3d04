import { type Chain, defineChain } from "viem";
import { createConfig, http } from "wagmi";
import type { WebConfig } from "../config.ts";

/** The deployment's chain as the wallet and viem see it (any EVM chain; Anvil locally). */
export function chainOf(config: WebConfig): Chain {
  return defineChain({
    id: config.chainId,
    name: config.chainId === 31337 ? "SOVR local chain" : `Chain ${config.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
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

/**
 * Chains as they are: how often to poll each for new blocks, how deep a block must be before it is
 * final, how long a block takes and where its explorer is. Known chains come from the table; any
 * other EVM chain gets careful defaults; every value can be overridden from the environment
 * (`SOVR_CHAIN_NAME`, `SOVR_FINALITY_BLOCKS`, `SOVR_POLLING_MS`, `SOVR_EXPLORER_URL`,
 * `SOVR_RPC_REQUESTS_PER_SECOND`).
 */
import { type Chain, defineChain } from "viem";
import { z } from "zod";
import * as env from "./env.ts";
import { readEnv } from "./env.ts";

export type ChainProfile = {
  id: number;
  name: string;
  testnet: boolean;
  /** Typical seconds between blocks: how long "a few blocks" lasts, and how soon a transaction is overdue. */
  blockSeconds: number;
  /** Blocks on top of a block before it counts as final (reorgs do not reach deeper). */
  finalityBlocks: number;
  /** How often services ask the chain for a new block or a receipt, in milliseconds. */
  pollingMs: number;
  /** Block explorer (`<url>/tx/<hash>`, `<url>/address/<address>`); none for the local chain. */
  explorerUrl: string | undefined;
  /**
   * Requests per second the indexer's RPC limit starts at, before it adapts to the provider's answers.
   * Unset: Ponder's careful 20, right for a public provider; the local chain's node takes hundreds.
   */
  rpcRequestsPerSecond: number | undefined;
};

/** What a node of one's own on loopback answers without strain (Ponder's own ceiling). */
const LOCAL_NODE_REQUESTS_PER_SECOND = 500;

/**
 * Finality depths are those Ponder itself uses for these chains (a reorg deeper than that would
 * surprise the indexer too); Arbitrum's 240 blocks of 0.25 s is a minute, like the OP chains' 30 of 2 s.
 */
/** A row of the table: a public chain leaves the RPC pace to Ponder. */
type KnownChain = Omit<ChainProfile, "rpcRequestsPerSecond"> & { rpcRequestsPerSecond?: number };

const KNOWN: KnownChain[] = [
  {
    id: 31337,
    name: "SOVR local chain",
    testnet: true,
    blockSeconds: 1,
    finalityBlocks: 0,
    pollingMs: 100,
    explorerUrl: undefined,
    rpcRequestsPerSecond: LOCAL_NODE_REQUESTS_PER_SECOND,
  },
  { id: 1, name: "Ethereum", testnet: false, blockSeconds: 12, finalityBlocks: 65, pollingMs: 4000, explorerUrl: "https://etherscan.io" },
  {
    id: 11155111,
    name: "Sepolia",
    testnet: true,
    blockSeconds: 12,
    finalityBlocks: 65,
    pollingMs: 4000,
    explorerUrl: "https://sepolia.etherscan.io",
  },
  { id: 8453, name: "Base", testnet: false, blockSeconds: 2, finalityBlocks: 30, pollingMs: 1000, explorerUrl: "https://basescan.org" },
  {
    id: 84532,
    name: "Base Sepolia",
    testnet: true,
    blockSeconds: 2,
    finalityBlocks: 30,
    pollingMs: 1000,
    explorerUrl: "https://sepolia.basescan.org",
  },
  {
    id: 10,
    name: "OP Mainnet",
    testnet: false,
    blockSeconds: 2,
    finalityBlocks: 30,
    pollingMs: 1000,
    explorerUrl: "https://optimistic.etherscan.io",
  },
  {
    id: 11155420,
    name: "OP Sepolia",
    testnet: true,
    blockSeconds: 2,
    finalityBlocks: 30,
    pollingMs: 1000,
    explorerUrl: "https://sepolia-optimism.etherscan.io",
  },
  {
    id: 42161,
    name: "Arbitrum One",
    testnet: false,
    blockSeconds: 0.25,
    finalityBlocks: 240,
    pollingMs: 500,
    explorerUrl: "https://arbiscan.io",
  },
  {
    id: 421614,
    name: "Arbitrum Sepolia",
    testnet: true,
    blockSeconds: 0.25,
    finalityBlocks: 240,
    pollingMs: 500,
    explorerUrl: "https://sepolia.arbiscan.io",
  },
];

/** An unknown chain: Ethereum's pace and depth are the careful guess. */
const UNKNOWN = { testnet: false, blockSeconds: 12, finalityBlocks: 65, pollingMs: 2000, explorerUrl: undefined };

const overridesSpec = {
  SOVR_CHAIN_NAME: env.optional(env.setting(z.string().min(1).max(64), "a chain name of 1 to 64 characters", "")),
  SOVR_FINALITY_BLOCKS: env.optional(env.wholeNumber(0)),
  SOVR_POLLING_MS: env.optional(env.wholeNumber(100, { min: 100 })),
  SOVR_EXPLORER_URL: env.optional(env.httpUrl("")),
  SOVR_RPC_REQUESTS_PER_SECOND: env.optional(env.wholeNumber(20, { min: 1 })),
};

/** The chain's profile: the table's entry (or careful defaults), with the environment's overrides. */
export function chainProfile(chainId: number, environment: NodeJS.ProcessEnv = process.env): ChainProfile {
  const known = KNOWN.find((entry) => entry.id === chainId) ?? { id: chainId, name: `chain ${chainId}`, ...UNKNOWN };
  const overrides = readEnv(overridesSpec, environment);
  return {
    ...known,
    name: overrides.SOVR_CHAIN_NAME ?? known.name,
    finalityBlocks: overrides.SOVR_FINALITY_BLOCKS ?? known.finalityBlocks,
    pollingMs: overrides.SOVR_POLLING_MS ?? known.pollingMs,
    explorerUrl: overrides.SOVR_EXPLORER_URL ?? known.explorerUrl,
    rpcRequestsPerSecond: overrides.SOVR_RPC_REQUESTS_PER_SECOND ?? known.rpcRequestsPerSecond,
  };
}

/** Every chain of the table (README and `sovr deploy --help` list them). */
export const knownChains: readonly KnownChain[] = KNOWN;

/** Milliseconds a host transaction may stay unmined before it is replaced with higher fees: ten blocks, at least 15 s. */
export function stuckAfterMs(profile: ChainProfile): number {
  return Math.max(15_000, profile.blockSeconds * 10_000);
}

/** The chain as viem's wallets need it (they sign for a chain id, and name its explorer). */
export function viemChain(profile: ChainProfile, rpcUrls: string[]): Chain {
  return defineChain({
    id: profile.id,
    name: profile.name,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: rpcUrls } },
    ...(profile.explorerUrl ? { blockExplorers: { default: { name: "Explorer", url: profile.explorerUrl } } } : {}),
  });
}

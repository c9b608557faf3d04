/**
 * One owner action on-chain, seen through every state it passes: signing in the wallet, pending in the
 * mempool, confirmed in a block, indexed (the indexer has processed that block, so live views show it).
 * The call is simulated first, so a revert is explained before anything is signed or sent.
 */
import { explainError } from "@sovr/contracts";
import { useCallback, useState } from "react";
import type { Abi, Hash } from "viem";
import { useAccount, useConfig } from "wagmi";
import { simulateContract, waitForTransactionReceipt, writeContract } from "wagmi/actions";
import { useApp } from "./context.tsx";

export type WriteStage = "idle" | "preparing" | "signing" | "pending" | "confirmed" | "indexed" | "failed";

export type WriteState = {
  stage: WriteStage;
  /** What is being done, e.g. "Sending $12.00" (with "step 1 of 2" when it takes several transactions). */
  label: string;
  hash?: Hash;
  error?: string;
};

export type ContractCall = {
  address: `0x${string}`;
  abi: Abi;
  functionName: string;
  args?: readonly unknown[];
};

/** How long to wait for the indexer to reach a confirmed block before saying so. */
const INDEX_WAIT_MS = 60_000;

export function useWrite() {
  const wagmi = useConfig();
  const { config } = useApp();
  const { address, chainId, isConnected } = useAccount();
  const [state, setState] = useState<WriteState>({ stage: "idle", label: "" });

  const run = useCallback(
    /** Resolves with the last transaction's hash once it is indexed, or undefined when the action failed. */
    async (label: string, calls: ContractCall[] | (() => Promise<ContractCall[]>)): Promise<Hash | undefined> => {
      if (!isConnected || !address) {
        setState({ stage: "failed", label, error: "Connect a wallet first." });
        return undefined;
      }
      if (chainId !== config.chainId) {
        setState({ stage: "failed", label, error: `Your wallet is on chain ${chainId}; switch it to chain ${config.chainId} first.` });
        return undefined;
      }
      let hash: Hash | undefined;
      // At once, before any read: the previous outcome must not stand for this action.
      setState({ stage: "preparing", label });
      try {
        const list = typeof calls === "function" ? await calls() : calls;
        for (const [index, call] of list.entries()) {
          const stepLabel = list.length > 1 ? `${label} (step ${index + 1} of ${list.length})` : label;
          hash = undefined;
          setState({ stage: "signing", label: stepLabel });
          const { request } = await simulateContract(wagmi, { ...call, account: address } as Parameters<typeof simulateContract>[1]);
          hash = await writeContract(wagmi, request as Parameters<typeof writeContract>[1]);
          setState({ stage: "pending", label: stepLabel, hash });
          const receipt = await waitForTransactionReceipt(wagmi, { hash });
          if (receipt.status !== "success") throw new Error("The transaction was mined but reverted.");
          setState({ stage: "confirmed", label: stepLabel, hash });
          await waitUntilIndexed(config.indexerUrl, receipt.blockNumber);
          // Only the last step is the end of the action; the next step's signing follows directly.
          if (index === list.length - 1) setState({ stage: "indexed", label: stepLabel, hash });
        }
        return hash;
      } catch (error) {
        setState({ stage: "failed", label, error: explainError(error), ...(hash ? { hash } : {}) });
        return undefined;
      }
    },
    [wagmi, config, address, chainId, isConnected],
  );

  const reset = useCallback(() => setState({ stage: "idle", label: "" }), []);
  return {
    state,
    run,
    reset,
    busy: state.stage === "preparing" || state.stage === "signing" || state.stage === "pending" || state.stage === "confirmed",
  };
}

async function waitUntilIndexed(indexerUrl: string, blockNumber: bigint): Promise<void> {
  const deadline = Date.now() + INDEX_WAIT_MS;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${indexerUrl}/api/status`);
      if (response.ok) {
        const status = (await response.json()) as { indexer: { indexedBlock: number | null } };
        if (status.indexer.indexedBlock !== null && BigInt(status.indexer.indexedBlock) >= blockNumber) return;
      }
    } catch {
      // The indexer is restarting; keep waiting until the deadline.
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
  throw new Error("Confirmed on-chain, but the indexer has not caught up after a minute; the page will show it once it does.");
}

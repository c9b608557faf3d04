import { explainError } from "@sovr/contracts";
import { useState } from "react";
import { useAccount, useConnect, useConnectors, useDisconnect, useSwitchChain } from "wagmi";
import { useApp } from "../lib/context.tsx";
import { Button, shortAddress } from "./ui.tsx";

/** Connects any wallet that announced itself (EIP-6963); the page never holds a key. */
export function WalletButton() {
  const { address, isConnected } = useAccount();
  const connectors = useConnectors();
  const { connectAsync, isPending } = useConnect();
  const { disconnect } = useDisconnect();
  const [error, setError] = useState<string>();
  const { config } = useApp();

  if (isConnected && address) {
    const isOwner = address.toLowerCase() === config.owner.toLowerCase();
    return (
      <div className="flex items-center gap-2 text-sm">
        <span className="font-mono text-gray-200" data-testid="connected-address" title={address}>
          {shortAddress(address)}
        </span>
        <span className={`text-xs ${isOwner ? "text-emerald-400" : "text-amber-300"}`}>{isOwner ? "owner" : "not the owner"}</span>
        <Button small onClick={() => disconnect()}>
          Disconnect
        </Button>
      </div>
    );
  }
  if (connectors.length === 0) {
    return <span className="text-sm text-gray-400">No browser wallet found: install one that supports EIP-6963 to sign.</span>;
  }
  return (
    <div className="flex items-center gap-2">
      {connectors.map((connector) => (
        <Button
          key={connector.uid}
          kind="primary"
          disabled={isPending}
          testId="connect-wallet"
          onClick={() => {
            setError(undefined);
            connectAsync({ connector }).catch((e: unknown) => setError(explainError(e)));
          }}
        >
          {connector.icon && <img src={connector.icon} alt="" className="mr-1.5 inline h-4 w-4 align-text-bottom" />}
          Connect {connector.name}
        </Button>
      ))}
      {error && (
        <span role="alert" className="text-xs text-red-400">
          {error}
        </span>
      )}
    </div>
  );
}

/** Shown when the wallet is on another chain: nothing can be signed for this deployment until it switches. */
export function WrongChainBanner() {
  const { chainId, isConnected } = useAccount();
  const { config } = useApp();
  const { switchChainAsync, isPending } = useSwitchChain();
  const [error, setError] = useState<string>();
  if (!isConnected || chainId === config.chainId) return null;
  return (
    <div role="alert" data-testid="wrong-chain" className="border-b border-amber-600 bg-amber-900/40 px-4 py-2 text-sm text-amber-200">
      <div className="mx-auto flex max-w-7xl items-center justify-between gap-3">
        <span>
          Your wallet is on chain {chainId}; this command center runs on chain {config.chainId}. Nothing can be signed until you switch.
        </span>
        <Button
          small
          kind="primary"
          disabled={isPending}
          onClick={() => {
            setError(undefined);
            switchChainAsync({ chainId: config.chainId }).catch((e: unknown) => setError(explainError(e)));
          }}
        >
          Switch to chain {config.chainId}
        </Button>
      </div>
      {error && <div className="mx-auto max-w-7xl text-xs text-red-300">{error}</div>}
    </div>
  );
}

/**
 * Addresses by name everywhere: the deployment's contracts, the host keys, the owner as "you", and
 * counterparties by the label the owner gave them; the address itself is one click away.
 */
import { type ReactNode, useState } from "react";
import { type Address, isAddress } from "viem";
import { useAccount } from "wagmi";
import { useApp } from "../lib/context.tsx";
import { shortAddress } from "./ui.tsx";

const CONTRACT_NAMES: Record<string, string> = {
  ledger: "SovrLedger",
  credit: "SovrCredit",
  token: "SovrToken",
  relay: "SovrRelay",
  registry: "ComponentRegistry",
  guardian: "GuardianAttestations",
};

/** The name an address goes by on this page, or undefined for a stranger. */
export function useNames(): (address: string) => string | undefined {
  const { config } = useApp();
  const { address: connected } = useAccount();
  const names = new Map<string, string>([
    ...Object.entries(config.contracts).map(([key, address]) => [address.toLowerCase(), CONTRACT_NAMES[key] ?? key] as [string, string]),
    [config.hostKeys.supervisor.toLowerCase(), "supervisor key"],
    [config.hostKeys.guardian.toLowerCase(), "guardian key"],
    [config.owner.toLowerCase(), connected === undefined || connected.toLowerCase() === config.owner.toLowerCase() ? "you" : "the owner"],
  ]);
  return (address) => names.get(address.toLowerCase());
}

/** An address by its name (or shortened), showing the whole address on click. */
export function Name({ address }: { address: string }) {
  const nameOf = useNames();
  const [open, setOpen] = useState(false);
  const name = nameOf(address);
  return (
    <button
      type="button"
      className={`inline ${name ? "text-sky-300" : "font-mono text-xs"} hover:underline`}
      title={address}
      data-testid="name"
      data-address={address}
      onClick={() => setOpen(!open)}
    >
      {open ? <span className="font-mono text-xs">{address}</span> : (name ?? shortAddress(address))}
    </button>
  );
}

/** Text (a verdict summary, an event's arguments) with every address in it shown by name. */
export function NamedText({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(/0x[0-9a-fA-F]{40}(?![0-9a-fA-F])/g)) {
    if (!isAddress(match[0], { strict: false })) continue;
    parts.push(text.slice(last, match.index), <Name key={match.index} address={match[0] as Address} />);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}

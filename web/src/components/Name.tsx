/**
 * Addresses by name everywhere: the deployment's contracts, the host keys, the owner as "you", and
 * counterparties by the label the owner gave them once, on-chain (SovrDirectory), so every device
 * shows the same name. The address itself is one click away, and there the owner can name it.
 */
import { boundedText, capitalized, contractLimits, sovrDirectoryAbi } from "@sovr/contracts";
import { createContext, type ReactNode, useContext, useState } from "react";
import { type Address, getAddress, isAddress } from "viem";
import { useAccount } from "wagmi";
import { explorerLink } from "../lib/chain.ts";
import { useApp } from "../lib/context.tsx";
import { useWrite } from "../lib/write.ts";
import { useLive } from "../live/live.ts";
import { labelView } from "../live/schema.ts";
import { Button, inputClass, shortAddress, WriteStatus } from "./ui.tsx";

const CONTRACT_NAMES: Record<string, string> = {
  ledger: "SovrLedger",
  credit: "SovrCredit",
  token: "SovrToken",
  relay: "SovrRelay",
  registry: "ComponentRegistry",
  guardian: "GuardianAttestations",
  directory: "SovrDirectory",
  invoices: "SovrInvoices",
  orders: "SovrOrders",
  commitments: "SovrCommitments",
};
const MAX_LABEL_BYTES = contractLimits.SovrDirectory.MAX_LABEL_LENGTH;

const LabelsContext = createContext<Map<string, string>>(new Map());

/** One live query of the owner's labels for the whole page. */
export function LabelsProvider({ children }: { children: ReactNode }) {
  const { live } = useApp();
  const labels = useLive(live, "labels", (db) => db.select().from(labelView));
  const byAddress = new Map((labels.data ?? []).map((row) => [row.subject.toLowerCase(), row.label]));
  return <LabelsContext.Provider value={byAddress}>{children}</LabelsContext.Provider>;
}

/** The name an address goes by on this page, or undefined for a stranger nobody labelled. */
export function useNames(): (address: string) => string | undefined {
  const { config } = useApp();
  const labels = useContext(LabelsContext);
  const { address: connected } = useAccount();
  const own = new Map<string, string>([
    ...Object.entries(config.contracts).map(([key, address]) => [address.toLowerCase(), CONTRACT_NAMES[key] ?? key] as [string, string]),
    [config.hostKeys.supervisor.toLowerCase(), "supervisor key"],
    [config.hostKeys.guardian.toLowerCase(), "guardian key"],
    [config.owner.toLowerCase(), connected === undefined || connected.toLowerCase() === config.owner.toLowerCase() ? "you" : "the owner"],
  ]);
  return (address) => own.get(address.toLowerCase()) ?? labels.get(address.toLowerCase());
}

/** An address by its name (or shortened); a click shows the whole address and, for the owner, a label field. */
export function Name({ address }: { address: string }) {
  const nameOf = useNames();
  const [open, setOpen] = useState(false);
  const name = nameOf(address);
  return (
    <span className="inline-flex flex-col">
      <button
        type="button"
        className={`inline text-left ${name ? "text-sky-300" : "font-mono text-xs"} hover:underline`}
        title={address}
        data-testid="name"
        data-address={address.toLowerCase()}
        onClick={() => setOpen(!open)}
      >
        {name ?? shortAddress(address)}
      </button>
      {open && <AddressDetail address={address as Address} />}
    </span>
  );
}

function AddressDetail({ address }: { address: Address }) {
  const { config } = useApp();
  const { address: connected } = useAccount();
  const labels = useContext(LabelsContext);
  const write = useWrite();
  const [label, setLabel] = useState(labels.get(address.toLowerCase()) ?? "");
  const [error, setError] = useState<string>();
  const isOwner = connected?.toLowerCase() === config.owner.toLowerCase();
  const explorer = explorerLink(config, "address", getAddress(address));
  const save = () => {
    const checked = boundedText(label.trim(), "the name", { max: MAX_LABEL_BYTES });
    if (!checked.ok) {
      setError(capitalized(checked.error));
      return;
    }
    setError(undefined);
    void write.run(label.trim() === "" ? "Removing the label" : `Naming ${shortAddress(address)} "${label.trim()}"`, [
      { address: config.contracts.directory, abi: sovrDirectoryAbi, functionName: "setLabel", args: [address, label.trim()] },
    ]);
  };
  return (
    <span className="mt-1 flex flex-col gap-1 rounded border border-gray-700 bg-gray-900 p-2 text-xs" data-testid="address-detail">
      <span className="font-mono text-gray-200" data-testid="full-address">
        {/* The index keeps addresses in lower case; shown with their checksum, as wallets show them. */}
        {isAddress(address, { strict: false }) ? getAddress(address) : address}
      </span>
      {explorer && (
        <a href={explorer} target="_blank" rel="noreferrer" className="text-gray-400 hover:underline" data-testid="explorer-link">
          on the explorer ↗
        </a>
      )}
      {isOwner && (
        <span className="flex flex-wrap items-center gap-1">
          <input
            className={`${inputClass} w-48`}
            value={label}
            onChange={(event) => setLabel(event.target.value)}
            placeholder="Name it (on every device)"
            aria-label="Label"
            name="label"
          />
          <Button small onClick={save} disabled={write.busy} testId="save-label">
            Save name
          </Button>
        </span>
      )}
      {error && (
        <span role="alert" className="text-red-400">
          {error}
        </span>
      )}
      <WriteStatus state={write.state} />
    </span>
  );
}

/** Text (a verdict summary, an event's arguments) with every address in it shown by name. */
export function NamedText({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(/0x[0-9a-fA-F]{40}(?![0-9a-fA-F])/g)) {
    if (!isAddress(match[0], { strict: false })) continue;
    parts.push(text.slice(last, match.index), <Name key={match.index} address={match[0]} />);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}

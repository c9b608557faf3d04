import { useBlockNumber } from "wagmi";
import { navigate, useLocation } from "../lib/router.ts";
import { useStackStatus } from "../lib/status.ts";
import { useConnectionState } from "../live/live.ts";
import { WalletButton } from "./Wallet.tsx";

export const PAGES = [
  { path: "/", label: "Command" },
  { path: "/ledger", label: "Ledger" },
  { path: "/credit", label: "Credit" },
  { path: "/billing", label: "Billing" },
  { path: "/payments", label: "Payments" },
  { path: "/audit", label: "Alerts & audit" },
  { path: "/settings", label: "Settings" },
] as const;

/** The indexer as the page sees it: its live streams and its status API, either one lost means reconnecting. */
export function useIndexerState() {
  const connection = useConnectionState();
  const status = useStackStatus();
  return { state: connection === "reconnecting" || status.isError ? ("reconnecting" as const) : connection, status };
}

/** Indexer connection (live queries), the chain's head and how far the index is behind it. */
export function LiveIndicator() {
  const { state, status } = useIndexerState();
  const { data: head } = useBlockNumber({ watch: true });
  const indexed = status.data?.indexer.indexedBlock;
  const lag = head !== undefined && indexed != null ? Math.max(0, Number(head) - indexed) : status.data?.indexer.lagBlocks;
  const dot = state === "live" ? "bg-emerald-400" : state === "reconnecting" ? "bg-amber-400 animate-pulse" : "bg-gray-400 animate-pulse";
  const text = state === "live" ? "Live" : state === "reconnecting" ? "Reconnecting to the indexer…" : "Connecting…";
  return (
    <div className="flex items-center gap-3 text-xs text-gray-300" data-testid="live-indicator" data-state={state}>
      <span className="flex items-center gap-1.5">
        <span className={`inline-block h-2.5 w-2.5 rounded-full ${dot}`} />
        <span className={state === "reconnecting" ? "font-semibold text-amber-300" : ""}>{text}</span>
      </span>
      <span title="Chain head">head {head !== undefined ? `#${head}` : "…"}</span>
      <span title="Blocks the index is behind the chain's head" data-testid="lag">
        lag {lag ?? "…"} {lag === 1 ? "block" : "blocks"}
      </span>
    </div>
  );
}

export function Header() {
  const { path } = useLocation();
  return (
    <header className="border-b border-gray-700 bg-gray-900/95">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <div className="flex items-center gap-6">
          <h1 className="text-lg font-bold tracking-widest text-sky-300">SOVR COMMAND CENTER</h1>
          <LiveIndicator />
        </div>
        <WalletButton />
      </div>
      <nav className="mx-auto flex max-w-7xl gap-1 px-4" aria-label="Pages">
        {PAGES.map((page) => {
          const active = page.path === "/" ? path === "/" : path.startsWith(page.path);
          return (
            <a
              key={page.path}
              href={page.path}
              onClick={(event) => {
                event.preventDefault();
                navigate(page.path);
              }}
              aria-current={active ? "page" : undefined}
              className={`rounded-t px-3 py-2 text-sm ${active ? "bg-gray-800 text-white" : "text-gray-400 hover:text-gray-200"}`}
            >
              {page.label}
            </a>
          );
        })}
      </nav>
    </header>
  );
}

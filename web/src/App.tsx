import { parsePayPath, parseSubscribePath } from "@sovr/contracts";
import { lazy, Suspense, useState } from "react";
import { Header, useIndexerState } from "./components/Header.tsx";
import { LabelsProvider } from "./components/Name.tsx";
import { WalletButton, WrongChainBanner } from "./components/Wallet.tsx";
import { useLocation } from "./lib/router.ts";

// Each page is its own chunk: the first load carries only the shell and the page it opens.
const loadCommandPage = () => import("./pages/CommandPage.tsx");
// The Command page is where the console opens: its chunk loads while the app reads its config.
if (location.pathname === "/") void loadCommandPage();
const CommandPage = lazy(loadCommandPage);
const LedgerPage = lazy(() => import("./pages/LedgerPage.tsx"));
const CreditPage = lazy(() => import("./pages/CreditPage.tsx"));
const AuditPage = lazy(() => import("./pages/AuditPage.tsx"));
const SettingsPage = lazy(() => import("./pages/SettingsPage.tsx"));
// The chat panel is its own chunk, loaded when the owner opens it.
const AssistantPanel = lazy(() => import("./components/AssistantPanel.tsx"));
const BillingPage = lazy(() => import("./pages/BillingPage.tsx"));
const PayPage = lazy(() => import("./pages/PayPage.tsx"));
const PaymentsPage = lazy(() => import("./pages/PaymentsPage.tsx"));
const SubscribePage = lazy(() => import("./pages/SubscribePage.tsx"));

function Page({ path }: { path: string }) {
  if (path.startsWith("/ledger")) return <LedgerPage />;
  if (path.startsWith("/credit")) return <CreditPage />;
  if (path.startsWith("/audit")) return <AuditPage />;
  if (path.startsWith("/settings")) return <SettingsPage />;
  if (path.startsWith("/billing")) return <BillingPage />;
  if (path.startsWith("/payments")) return <PaymentsPage />;
  if (path === "/") return <CommandPage />;
  return <p className="text-gray-400">There is no page at {path}.</p>;
}

function ReconnectingBanner() {
  const { state } = useIndexerState();
  if (state !== "reconnecting") return null;
  return (
    <div
      role="status"
      data-testid="reconnecting"
      className="border-b border-amber-700 bg-amber-950/60 px-4 py-1.5 text-center text-sm text-amber-200"
    >
      Lost the connection to the indexer; reconnecting by itself. Figures below are as of the last update.
    </div>
  );
}

function Assistant() {
  const [open, setOpen] = useState(false);
  return (
    <>
      {open && (
        <Suspense fallback={null}>
          <AssistantPanel onClose={() => setOpen(false)} />
        </Suspense>
      )}
      {/* In the page's flow, under the header: it never covers what the pages show. */}
      <div className="mx-auto flex max-w-7xl justify-end px-4 pt-2">
        <button
          type="button"
          className="rounded border border-sky-700 bg-sky-950 px-3 py-1 text-xs text-sky-200 hover:bg-sky-900"
          onClick={() => setOpen(!open)}
          data-testid="open-assistant"
        >
          {open ? "Close the assistant" : "Ask the assistant"}
        </button>
      </div>
    </>
  );
}

/** A payer's view of one invoice or a subscriber's of one plan: no console around it, just the page and a wallet. */
function PublicShell({ children }: { children: React.ReactNode }) {
  return (
    <div className="min-h-screen bg-gray-900 text-gray-100">
      <header className="border-b border-gray-700">
        <div className="mx-auto flex max-w-md items-center justify-between gap-2 px-4 py-3">
          <span className="text-sm font-bold tracking-widest text-sky-300">SOVR</span>
          <WalletButton />
        </div>
      </header>
      <WrongChainBanner />
      <ReconnectingBanner />
      <Suspense fallback={<p className="p-6 text-sm text-gray-400">Loading…</p>}>{children}</Suspense>
    </div>
  );
}

export function App() {
  const { path } = useLocation();
  const pay = parsePayPath(path);
  if (pay)
    return (
      <PublicShell>
        <PayPage {...pay} />
      </PublicShell>
    );
  const subscribe = parseSubscribePath(path);
  if (subscribe)
    return (
      <PublicShell>
        <SubscribePage {...subscribe} />
      </PublicShell>
    );
  return (
    <div className="min-h-screen bg-gray-900 text-gray-100">
      <Header />
      <WrongChainBanner />
      <ReconnectingBanner />
      <Assistant />
      <main className="mx-auto max-w-7xl px-4 py-6">
        <LabelsProvider>
          <Suspense fallback={<p className="text-sm text-gray-400">Loading…</p>}>
            <Page path={path} />
          </Suspense>
        </LabelsProvider>
      </main>
    </div>
  );
}

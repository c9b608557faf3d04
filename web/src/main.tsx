import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { WagmiProvider } from "wagmi";
import { App } from "./App.tsx";
import { parseWebConfig } from "./config.ts";
import { createWagmiConfig } from "./lib/chain.ts";
import { AppContext } from "./lib/context.tsx";
import { createLiveClient } from "./live/live.ts";
import "./index.css";

const root = createRoot(document.getElementById("root")!);

/** The deployment comes from /config.json at run time, so one build serves every deployment. */
async function start() {
  let config;
  try {
    const response = await fetch("/config.json", { cache: "no-store" });
    if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
    config = parseWebConfig(await response.json());
  } catch (error) {
    root.render(
      <div className="p-8 text-red-300" role="alert">
        The command center could not read its configuration: {(error as Error).message}. Start it with <code>pnpm start</code> (sovr up
        writes it).
      </div>,
    );
    return;
  }
  const queryClient = new QueryClient();
  const wagmi = createWagmiConfig(config);
  const live = createLiveClient(config.indexerUrl);
  root.render(
    <StrictMode>
      <WagmiProvider config={wagmi}>
        <QueryClientProvider client={queryClient}>
          <AppContext.Provider value={{ config, live }}>
            <App />
          </AppContext.Provider>
        </QueryClientProvider>
      </WagmiProvider>
    </StrictMode>,
  );
}

void start();

import { createContext, useContext } from "react";
import type { WebConfig } from "../config.ts";
import type { LiveClient } from "../live/live.ts";

export type AppContextValue = { config: WebConfig; live: LiveClient };

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error("useApp outside the app's provider");
  return value;
}

/**
 * `/api/status`: figures the indexer computes and no live query can give (uptime over time windows,
 * the index's checkpoint against the chain's head). Refreshed on a timer because they change with time.
 */
import { useQuery } from "@tanstack/react-query";
import { useApp } from "./context.tsx";

export type ComponentStatus = {
  id: number;
  name: string;
  kind: string;
  critical: boolean;
  retired: boolean;
  status: string;
  latencyMs: number;
  statusSince: number;
  lastReportAt: number;
  /** The owner's maintenance window it is in now: shown as MAINTENANCE, its time out of uptime. */
  maintenance?: { windowId: string; until: number; note: string } | null;
  uptime: Record<"24h" | "7d" | "30d", number | null>;
};

export type StackStatus = {
  overall: "OPERATIONAL" | "DEGRADED" | "DOWN";
  ledgerPaused: boolean;
  components: ComponentStatus[];
  indexer: { indexedBlock: number | null; chainBlock: number; lagBlocks: number; lagSeconds: number | null };
  guardian: { lastVerdictId: string | null; lastVerdictAt: number | null; ageSeconds: number | null; live: boolean };
  at: number;
};

const STATUS_REFRESH_MS = 2000;

export function useStackStatus() {
  const { config } = useApp();
  return useQuery({
    queryKey: ["status", config.indexerUrl],
    queryFn: async ({ signal }): Promise<StackStatus> => {
      const response = await fetch(`${config.indexerUrl}/api/status`, { signal });
      if (!response.ok) throw new Error(`the indexer answered ${response.status}`);
      return (await response.json()) as StackStatus;
    },
    refetchInterval: STATUS_REFRESH_MS,
    retry: false,
  });
}

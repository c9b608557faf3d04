/**
 * The stack's overall status and each component's uptime, computed from the indexed transitions.
 *
 * Overall rule (also in the README):
 * - `DOWN` when a critical component is OFFLINE, or the ledger is paused.
 * - `DEGRADED` when any component is DEGRADED or OFFLINE, a critical component is UNKNOWN or
 *   STOPPED, or the indexer lags the chain by more than `MAX_LAG_BLOCKS` blocks.
 * - `OPERATIONAL` otherwise (also with no components registered). Retired components do not count.
 *
 * Uptime over a window is the share of observed time a component was ONLINE or DEGRADED. Time in
 * UNKNOWN (never probed) and STOPPED (stopped on purpose by the owner) is not observed time, so an
 * intended stop is not downtime; nor is time inside the owner's maintenance windows (SovrMaintenance),
 * whatever the probes said; `null` when nothing was observed in the window. A component in
 * maintenance now does not count for the overall status either.
 */
import { type Span, secondsOutside } from "./maintenance.ts";

export type Overall = "OPERATIONAL" | "DEGRADED" | "DOWN";

export const MAX_LAG_BLOCKS = 5;

export const UPTIME_WINDOWS = { "24h": 86_400, "7d": 7 * 86_400, "30d": 30 * 86_400 } as const;

export type Transition = { status: string; timestamp: number };

export type ComponentFacts = {
  id: number;
  name: string;
  critical: boolean;
  status: string;
  retired: boolean;
  /** Inside one of the owner's maintenance windows now. */
  inMaintenance?: boolean;
};

const UP = new Set(["ONLINE", "DEGRADED"]);
const UNOBSERVED = new Set(["UNKNOWN", "STOPPED"]);

export function overallStatus(components: ComponentFacts[], ledgerPaused: boolean, lagBlocks: number): Overall {
  const live = components.filter((c) => !c.retired && !c.inMaintenance);
  if (ledgerPaused || live.some((c) => c.critical && c.status === "OFFLINE")) return "DOWN";
  const degraded =
    lagBlocks > MAX_LAG_BLOCKS ||
    live.some((c) => c.status === "DEGRADED" || c.status === "OFFLINE") ||
    live.some((c) => c.critical && UNOBSERVED.has(c.status));
  return degraded ? "DEGRADED" : "OPERATIONAL";
}

/**
 * Share of observed time up in `[now - windowSeconds, now]`.
 * @param registeredAt When the component was registered (its status was UNKNOWN from then on).
 * @param transitions The component's health changes, oldest first.
 * @param maintenance The component's time in maintenance, merged and sorted (left out of observed time).
 */
export function uptime(
  registeredAt: number,
  transitions: Transition[],
  now: number,
  windowSeconds: number,
  maintenance: Span[] = [],
): number | null {
  const windowStart = Math.max(now - windowSeconds, registeredAt);
  if (now <= windowStart) return null;
  let status = "UNKNOWN";
  let since = windowStart;
  let upSeconds = 0;
  let observedSeconds = 0;
  const account = (until: number) => {
    const span = secondsOutside({ start: since, end: until }, maintenance);
    if (UNOBSERVED.has(status)) return;
    observedSeconds += span;
    if (UP.has(status)) upSeconds += span;
  };
  for (const change of transitions) {
    if (change.timestamp <= windowStart) {
      status = change.status;
      continue;
    }
    if (change.timestamp > now) break;
    account(change.timestamp);
    status = change.status;
    since = change.timestamp;
  }
  account(now);
  return observedSeconds === 0 ? null : upSeconds / observedSeconds;
}

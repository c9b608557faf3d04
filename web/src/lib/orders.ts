/** Standing orders, plans and commitments on the page: rows as the indexer has them, and how they read. */
import { formatDollars, formatInterval, type PeriodUnit, periodUnits, subscribePath, UNTIL_CANCELLED } from "@sovr/contracts";
import type { Tone } from "../components/ui.tsx";
import type { commitmentView, milestoneView, orderPeriodView, planView, standingOrderView } from "../live/schema.ts";

export type OrderRow = typeof standingOrderView.$inferSelect;
export type OrderPeriodRow = typeof orderPeriodView.$inferSelect;
export type PlanRow = typeof planView.$inferSelect;
export type CommitmentRow = typeof commitmentView.$inferSelect;
export type MilestoneRow = typeof milestoneView.$inferSelect;

export const ORDER_TONE: Record<string, Tone> = { Active: "green", Cancelled: "gray", Completed: "blue" };
export const PERIOD_TONE: Record<string, Tone> = { Charged: "green", Failing: "yellow", Missed: "red" };
export const COMMITMENT_TONE: Record<string, Tone> = { Active: "blue", Completed: "green", Cancelled: "gray", Expired: "yellow" };
export const MILESTONE_TONE: Record<string, Tone> = { Reserved: "blue", Approved: "green", Voided: "gray", Expired: "yellow" };

/** The unit as the indexer names it, checked. */
export const unitOf = (row: { unit: string }): PeriodUnit => (row.unit === "Months" ? "Months" : "Seconds");

/** "$25.00 monthly", "$10.00 every 2 weeks". */
export function priceText(amount: bigint, every: number, unit: string): string {
  return `${formatDollars(amount)} ${formatInterval(every, unitOf({ unit }))}`;
}

/** "12 payments", "until cancelled". */
export function countText(periods: bigint): string {
  if (periods === BigInt(UNTIL_CANCELLED)) return "until cancelled";
  return `${periods} payment${periods === 1n ? "" : "s"}`;
}

/** The unit's index as the contracts take it. */
export const unitIndex = (unit: PeriodUnit): number => periodUnits.indexOf(unit);

/** A plan's subscribe page on this server, as a subscriber opens it. */
export function subscribeUrl(chainId: number, planId: number): string {
  return `${location.origin}${subscribePath(chainId, planId)}`;
}

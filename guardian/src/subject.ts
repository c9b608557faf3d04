/** Verdict subjects live with the contracts' domain rules (`@sovr/contracts`), shared with the notifier and the web app. */
import type { Hex } from "viem";

export { comparePositions, type Position, positionOfSubject, subjectOf } from "@sovr/contracts";

/**
 * Overdue invoices are judged on time, not on an event: their subject is a block number no chain
 * reaches (all ones), log index 0, and the invoice id, so one overdue verdict per invoice is provable
 * from the chain, and resuming never mistakes it for an event's position.
 */
export const OVERDUE_SUBJECT_PREFIX: Hex = "0xffffffffffffffff";

export function overdueSubjectOf(invoiceId: bigint): Hex {
  return `${OVERDUE_SUBJECT_PREFIX}00000000${invoiceId.toString(16).padStart(40, "0")}`;
}

/**
 * A verdict's subject names the event it judges: block number (8 bytes) | log index (4 bytes) | the
 * first 20 bytes of the transaction hash. Block and log index make it unique on one chain and give
 * subjects the chain's order (so the newest verdicts say where to resume); the hash part tells a
 * reorged-away event from its replacement at the same position.
 */
import type { Hex } from "viem";
import type { IndexedEvent } from "./indexer.ts";

export type Position = { blockNumber: bigint; logIndex: number };

/**
 * Overdue invoices are judged on time, not on an event: their subject is a block number no chain
 * reaches (all ones), log index 0, and the invoice id, so one overdue verdict per invoice is provable
 * from the chain, and resuming never mistakes it for an event's position.
 */
export const OVERDUE_SUBJECT_PREFIX: Hex = "0xffffffffffffffff";

export function overdueSubjectOf(invoiceId: bigint): Hex {
  return `${OVERDUE_SUBJECT_PREFIX}00000000${invoiceId.toString(16).padStart(40, "0")}`;
}

export function subjectOf(event: Pick<IndexedEvent, "blockNumber" | "logIndex" | "txHash">): Hex {
  const block = event.blockNumber.toString(16).padStart(16, "0");
  const log = event.logIndex.toString(16).padStart(8, "0");
  return `0x${block}${log}${event.txHash.slice(2, 42).toLowerCase()}`;
}

export function positionOfSubject(subject: Hex): Position {
  return { blockNumber: BigInt(`0x${subject.slice(2, 18)}`), logIndex: Number.parseInt(subject.slice(18, 26), 16) };
}

export function comparePositions(a: Position, b: Position): number {
  if (a.blockNumber !== b.blockNumber) return a.blockNumber < b.blockNumber ? -1 : 1;
  return a.logIndex - b.logIndex;
}

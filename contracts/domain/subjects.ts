/**
 * A verdict's subject (GuardianAttestations) names the event it judges: block number (8 bytes) | log
 * index (4 bytes) | the first 20 bytes of the transaction hash. Block and log index make it unique on
 * one chain and give subjects the chain's order (so the newest verdicts say where to resume); the hash
 * part tells a reorged-away event from its replacement at the same position. The guardian writes
 * subjects; the notifier and the web app find the verdicts on an event by them.
 */
import type { Hex } from "viem";

export type Position = { blockNumber: bigint; logIndex: number };

export function subjectOf(event: { blockNumber: bigint; logIndex: number; txHash: Hex }): Hex {
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

/** A verdict as the guardian forms it before attesting it (the contract's enums by name). */
import { contractLimits, verdictActions, verdictLevels } from "@sovr/contracts";

export type Level = (typeof verdictLevels)[number];
export type Action = (typeof verdictActions)[number];

export type Verdict = {
  level: Level;
  action: Action;
  /** Short lowercase label, such as `velocity`; at most 32 bytes (a bytes32 on-chain). */
  threatType: string;
  /** 0 to 100. */
  confidence: number;
  summary: string;
  /** For BLOCK: the ledger account the verdict would freeze. */
  freezeAccountId?: bigint | undefined;
};

export const levelRank = (level: Level): number => verdictLevels.indexOf(level);
export const actionRank = (action: Action): number => verdictActions.indexOf(action);

/** The contract's longest summary, in bytes. */
export const MAX_SUMMARY_BYTES = contractLimits.GuardianAttestations.MAX_SUMMARY_LENGTH;

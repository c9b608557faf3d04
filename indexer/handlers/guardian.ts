/** GuardianAttestations: verdicts, the owner's policy, acknowledgements, and what the guardian enforced. */
import { acknowledgement, verdict } from "ponder:schema";
import { verdictActions, verdictLevels } from "@sovr/contracts";
import { on } from "./on.ts";
import { updateSystem } from "./state.ts";

const nameOf = (names: readonly string[], value: number) => names[value] ?? String(value);

export function registerGuardianHandlers(): void {
  on("GuardianAttestations:VerdictAttested", async ({ event, context }) => {
    const { verdictId, subject, analyzer, level, action, threatType, confidence, summary } = event.args;
    await context.db.insert(verdict).values({
      id: verdictId,
      subject,
      analyzer,
      level: nameOf(verdictLevels, level),
      action: nameOf(verdictActions, action),
      threatType,
      confidence,
      summary,
      timestamp: event.block.timestamp,
      txHash: event.transaction.hash,
      attestedBy: event.transaction.from,
      acknowledged: false,
      enforcement: [],
    });
  });

  on("GuardianAttestations:PolicySet", async ({ event, context }) => {
    const { mayFreezeOnBlock, minFreezeLevel, mayPauseOnEmergency, minPauseLevel } = event.args;
    await updateSystem(context.db, event.block.timestamp, {
      mayFreezeOnBlock,
      minFreezeLevel: nameOf(verdictLevels, minFreezeLevel),
      mayPauseOnEmergency,
      minPauseLevel: nameOf(verdictLevels, minPauseLevel),
    });
  });

  on("GuardianAttestations:VerdictAcknowledged", async ({ event, context }) => {
    const { verdictId, by, note } = event.args;
    await context.db
      .insert(acknowledgement)
      .values({ verdictId, by, note, timestamp: event.block.timestamp, txHash: event.transaction.hash });
    await context.db.update(verdict, { id: verdictId }).set({ acknowledged: true });
  });

  on("GuardianAttestations:GuardianFroze", async ({ event, context }) => {
    await context.db
      .update(verdict, { id: event.args.verdictId })
      .set((row) => ({ enforcement: [...row.enforcement, `froze:${event.args.accountId}`] }));
  });

  on("GuardianAttestations:GuardianPaused", async ({ event, context }) => {
    await context.db.update(verdict, { id: event.args.verdictId }).set((row) => ({ enforcement: [...row.enforcement, "paused"] }));
  });
}

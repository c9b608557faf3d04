/** SovrCredit: the issuer account, the issuance ceiling, issue and redeem totals. */
import type { Context } from "ponder:registry";
import { issuance } from "ponder:schema";
import { sovrCodes } from "@sovr/contracts";
import { on } from "./on.ts";
import { addToDay, ensureIssuance } from "./state.ts";

const LEDGER = sovrCodes.LEDGER_USD;

export function registerCreditHandlers(): void {
  on("SovrCredit:IssuerAccountOpened", async ({ event, context }) => {
    await ensureIssuance(context.db, LEDGER, event.block.timestamp);
    await context.db.update(issuance, { ledger: LEDGER }).set({ issuerAccountId: event.args.accountId, updatedAt: event.block.timestamp });
  });

  on("SovrCredit:IssuanceCeilingSet", async ({ event, context }) => {
    await ensureIssuance(context.db, LEDGER, event.block.timestamp);
    await context.db.update(issuance, { ledger: LEDGER }).set({ ceiling: event.args.ceiling, updatedAt: event.block.timestamp });
  });

  on("SovrCredit:Issued", async ({ event, context }) => {
    await recordIssuance(context.db, event.block.timestamp, { issued: event.args.amount }, event.args.outstanding);
  });

  on("SovrCredit:Redeemed", async ({ event, context }) => {
    await recordIssuance(context.db, event.block.timestamp, { redeemed: event.args.amount }, event.args.outstanding);
  });
}

/** Adds an issue or a redemption to the totals and the day, with the outstanding amount the event reports. */
async function recordIssuance(db: Context["db"], now: bigint, add: { issued?: bigint; redeemed?: bigint }, outstanding: bigint) {
  const totals = await ensureIssuance(db, LEDGER, now);
  await db.update(issuance, { ledger: LEDGER }).set({
    issued: totals.issued + (add.issued ?? 0n),
    redeemed: totals.redeemed + (add.redeemed ?? 0n),
    outstanding,
    updatedAt: now,
  });
  await addToDay(db, LEDGER, now, add, true);
}

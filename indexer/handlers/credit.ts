/** SovrCredit: the issuer account, the issuance ceiling, issue and redeem totals. */
import { issuance } from "ponder:schema";
import { sovrCodes } from "@sovr/contracts";
import { on } from "./on.ts";
import { addToDay, ensureIssuance, refreshDay } from "./state.ts";

const LEDGER = sovrCodes.LEDGER_USD;

export function registerCreditHandlers(): void {
  on("SovrCredit:IssuerAccountOpened", async ({ event, context }) => {
    await ensureIssuance(context.db, LEDGER, event.block.timestamp);
    await context.db
      .update(issuance, { ledger: LEDGER })
      .set({ issuerAccountId: event.args.accountId, updatedAt: event.block.timestamp });
  });

  on("SovrCredit:IssuanceCeilingSet", async ({ event, context }) => {
    await ensureIssuance(context.db, LEDGER, event.block.timestamp);
    await context.db.update(issuance, { ledger: LEDGER }).set({ ceiling: event.args.ceiling, updatedAt: event.block.timestamp });
  });

  on("SovrCredit:Issued", async ({ event, context }) => {
    const now = event.block.timestamp;
    const totals = await ensureIssuance(context.db, LEDGER, now);
    await context.db
      .update(issuance, { ledger: LEDGER })
      .set({ issued: totals.issued + event.args.amount, outstanding: event.args.outstanding, updatedAt: now });
    await addToDay(context.db, LEDGER, now, { issued: event.args.amount });
    await refreshDay(context.db, LEDGER, now);
  });

  on("SovrCredit:Redeemed", async ({ event, context }) => {
    const now = event.block.timestamp;
    const totals = await ensureIssuance(context.db, LEDGER, now);
    await context.db
      .update(issuance, { ledger: LEDGER })
      .set({ redeemed: totals.redeemed + event.args.amount, outstanding: event.args.outstanding, updatedAt: now });
    await addToDay(context.db, LEDGER, now, { redeemed: event.args.amount });
    await refreshDay(context.db, LEDGER, now);
  });
}

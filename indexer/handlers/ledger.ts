/** SovrLedger: accounts, transfers (single, pending, post, void), expiries, freezes, credit lines, pause. */
import { account, creditLine, issuance, operator, pendingTransfer, transfer, transferRejection } from "ponder:schema";
import { decodeTransferDetails, sovrCodes, transferResults } from "@sovr/contracts";
import { recordMilestoneRelease, recordMilestoneResolution } from "./commitments.ts";
import { on } from "./on.ts";
import { recordCharge } from "./orders.ts";
import { addToDay, changeAccount, ensureIssuance, updateSystem } from "./state.ts";

const { PENDING, POST_PENDING_TRANSFER, VOID_PENDING_TRANSFER, CLOSING_DEBIT, CLOSING_CREDIT, CLOSED, FROZEN, HAS_CREDIT_LINE } = sovrCodes;

function kindOf(flags: number): "single" | "pending" | "post" | "void" {
  if (flags & POST_PENDING_TRANSFER) return "post";
  if (flags & VOID_PENDING_TRANSFER) return "void";
  if (flags & PENDING) return "pending";
  return "single";
}

export function registerLedgerHandlers(): void {
  on("SovrLedger:AccountCreated", async ({ event, context }) => {
    await context.db.insert(account).values({
      id: event.args.id,
      owner: event.args.owner,
      ledger: event.args.ledger,
      code: event.args.code,
      flags: event.args.flags,
      debitsPending: 0n,
      debitsPosted: 0n,
      creditsPending: 0n,
      creditsPosted: 0n,
      transferCount: 0,
      createdAt: event.block.timestamp,
      createdBlock: event.block.number,
    });
  });

  on("SovrLedger:TransferCreated", async ({ event, context }) => {
    const { id, debitAccountId, creditAccountId, amount, pendingId, userData, details } = event.args;
    const { flags, code, ledger, timeout } = decodeTransferDetails(details);
    const kind = kindOf(flags);
    const now = event.block.timestamp;
    await context.db.insert(transfer).values({
      id,
      debitAccountId,
      creditAccountId,
      amount,
      pendingId,
      userData,
      flags,
      code,
      ledger,
      timeout,
      kind,
      timestamp: now,
      blockNumber: event.block.number,
      txHash: event.transaction.hash,
      logIndex: event.log.logIndex,
    });

    // What this transfer reserves (pending), releases (post/void: the whole pending amount) and posts.
    let reserved = 0n;
    let released = 0n;
    let posted = 0n;
    let reopen = 0;
    if (kind === "single") posted = amount;
    if (kind === "pending") {
      reserved = amount;
      await context.db.insert(pendingTransfer).values({
        id,
        debitAccountId,
        creditAccountId,
        amount,
        remaining: amount,
        postedAmount: 0n,
        flags,
        code,
        ledger,
        timeout,
        status: "pending",
        createdAt: now,
        expiresAt: timeout === 0 ? null : now + BigInt(timeout),
      });
    }
    if (kind === "post" || kind === "void") {
      const pending = await context.db.find(pendingTransfer, { id: pendingId });
      if (!pending) throw new Error(`transfer ${id} resolves unknown pending transfer ${pendingId}`);
      released = pending.amount;
      if (kind === "post") posted = amount;
      else reopen = pending.flags;
      await context.db.update(pendingTransfer, { id: pendingId }).set({
        status: kind === "post" ? "posted" : "voided",
        remaining: 0n,
        postedAmount: posted,
        resolvedAt: now,
        resolvedBy: id,
      });
    }

    const closing = kind === "single" || kind === "pending" ? flags : 0;
    await changeAccount(
      context.db,
      debitAccountId,
      {
        debitsPending: reserved - released,
        debitsPosted: posted,
        setFlags: closing & CLOSING_DEBIT ? CLOSED : 0,
        clearFlags: reopen & CLOSING_DEBIT ? CLOSED : 0,
        transfers: 1,
      },
      now,
    );
    await changeAccount(
      context.db,
      creditAccountId,
      {
        creditsPending: reserved - released,
        creditsPosted: posted,
        setFlags: closing & CLOSING_CREDIT ? CLOSED : 0,
        clearFlags: reopen & CLOSING_CREDIT ? CLOSED : 0,
        transfers: 1,
      },
      now,
    );
    await addToDay(context.db, ledger, now, { volume: posted, transfers: 1 });
    // Standing orders' charges and commitments' milestones are ledger transfers: their own tables follow them.
    if (code === sovrCodes.TRANSFER_STANDING_ORDER && kind === "single") {
      await recordCharge(context.db, { id, amount, timestamp: now, txHash: event.transaction.hash });
    }
    if (code === sovrCodes.TRANSFER_COMMITMENT) await recordMilestoneResolution(context.db, { kind, pendingId, amount, timestamp: now });
  });

  on("SovrLedger:PendingTransferReleased", async ({ event, context }) => {
    const { pendingId, debitAccountId, creditAccountId, amount } = event.args;
    const now = event.block.timestamp;
    const pending = await context.db.update(pendingTransfer, { id: pendingId }).set({ status: "expired", remaining: 0n, resolvedAt: now });
    await changeAccount(
      context.db,
      debitAccountId,
      { debitsPending: -amount, clearFlags: pending.flags & CLOSING_DEBIT ? CLOSED : 0 },
      now,
    );
    await changeAccount(
      context.db,
      creditAccountId,
      { creditsPending: -amount, clearFlags: pending.flags & CLOSING_CREDIT ? CLOSED : 0 },
      now,
    );
    await recordMilestoneRelease(context.db, pendingId, amount, now);
  });

  on("SovrLedger:TransferRejected", async ({ event, context }) => {
    await context.db.insert(transferRejection).values({
      id: event.id,
      transferId: event.args.id,
      batchIndex: Number(event.args.index),
      result: transferResults[event.args.result] ?? String(event.args.result),
      timestamp: event.block.timestamp,
      txHash: event.transaction.hash,
    });
  });

  on("SovrLedger:AccountFrozen", async ({ event, context }) => {
    await changeAccount(context.db, event.args.id, { setFlags: FROZEN }, event.block.timestamp);
  });

  on("SovrLedger:AccountUnfrozen", async ({ event, context }) => {
    await changeAccount(context.db, event.args.id, { clearFlags: FROZEN }, event.block.timestamp);
  });

  on("SovrLedger:CreditLineSet", async ({ event, context }) => {
    const { accountId, limit, expiresAt } = event.args;
    const now = event.block.timestamp;
    const holder = await context.db.find(account, { id: accountId });
    if (!holder) throw new Error(`credit line for unknown account ${accountId}`);
    const previous = await context.db.find(creditLine, { accountId });
    await context.db
      .insert(creditLine)
      .values({ accountId, ledger: holder.ledger, limit, expiresAt, frozen: false, used: 0n, updatedAt: now })
      .onConflictDoUpdate({ limit, expiresAt, updatedAt: now });
    const totals = await ensureIssuance(context.db, holder.ledger, now);
    await context.db
      .update(issuance, { ledger: holder.ledger })
      .set({ creditExtended: totals.creditExtended - (previous?.limit ?? 0n) + limit, updatedAt: now });
    // From its first line on, the account's credit use counts (it could use none before).
    await changeAccount(context.db, accountId, { setFlags: HAS_CREDIT_LINE }, now);
  });

  on("SovrLedger:CreditLineFrozenSet", async ({ event, context }) => {
    await context.db
      .update(creditLine, { accountId: event.args.accountId })
      .set({ frozen: event.args.frozen, updatedAt: event.block.timestamp });
  });

  on("SovrLedger:OperatorSet", async ({ event, context }) => {
    const { owner, operator: approvedOperator, approved } = event.args;
    await context.db
      .insert(operator)
      .values({ id: `${owner}-${approvedOperator}`, owner, operator: approvedOperator, approved, updatedAt: event.block.timestamp })
      .onConflictDoUpdate({ approved, updatedAt: event.block.timestamp });
  });

  on("SovrLedger:SupplyAccountSet", async ({ event, context }) => {
    await updateSystem(context.db, event.block.timestamp, { supplyAccountId: event.args.accountId });
  });

  on("SovrLedger:Paused", async ({ event, context }) => {
    await updateSystem(context.db, event.block.timestamp, { ledgerPaused: true });
  });

  on("SovrLedger:Unpaused", async ({ event, context }) => {
    await updateSystem(context.db, event.block.timestamp, { ledgerPaused: false });
  });
}

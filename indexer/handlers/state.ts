/**
 * Shared row helpers: singleton rows created on first use, daily aggregates, and an account's credit
 * use (the ledger counts `debits pending + posted - credits posted`, floored at 0, for accounts that
 * have had a credit line).
 */
import type { Context } from "ponder:registry";
import { account, creditLine, dailyStat, issuance, systemState } from "ponder:schema";
import { sovrCodes } from "@sovr/contracts";

type Db = Context["db"];
type AccountRow = typeof account.$inferSelect;

const SECONDS_PER_DAY = 86_400n;
const SYSTEM_ROW = 1;

export async function ensureIssuance(db: Db, ledger: number, timestamp: bigint) {
  return db
    .insert(issuance)
    .values({
      ledger,
      ceiling: 0n,
      issued: 0n,
      redeemed: 0n,
      outstanding: 0n,
      creditExtended: 0n,
      creditUsed: 0n,
      updatedAt: timestamp,
    })
    .onConflictDoNothing()
    .then(async () => (await db.find(issuance, { ledger }))!);
}

export async function updateSystem(db: Db, timestamp: bigint, change: Partial<typeof systemState.$inferInsert>) {
  await db
    .insert(systemState)
    .values({
      id: SYSTEM_ROW,
      ledgerPaused: false,
      mayFreezeOnBlock: false,
      minFreezeLevel: "LOW",
      mayPauseOnEmergency: false,
      minPauseLevel: "LOW",
      beatInterval: 0,
      updatedAt: timestamp,
      ...change,
    })
    .onConflictDoUpdate({ ...change, updatedAt: timestamp });
}

/**
 * Adds to the day's aggregates of a ledger. The credit figures (outstanding issuance, credit used)
 * are copied from the ledger's totals when the day's row is created and, with `refreshCredit`,
 * whenever they changed, so a plain transfer costs one lookup here.
 */
export async function addToDay(
  db: Db,
  ledger: number,
  timestamp: bigint,
  add: { volume?: bigint; transfers?: number; issued?: bigint; redeemed?: bigint },
  refreshCredit = false,
) {
  const id = dayId(ledger, timestamp);
  const existing = await db.find(dailyStat, { id });
  const totals = !existing || refreshCredit ? await db.find(issuance, { ledger }) : undefined;
  const credit = totals ? { outstanding: totals.outstanding, creditUsed: totals.creditUsed } : {};
  if (existing) {
    await db.update(dailyStat, { id }).set({
      volume: existing.volume + (add.volume ?? 0n),
      transferCount: existing.transferCount + (add.transfers ?? 0),
      issued: existing.issued + (add.issued ?? 0n),
      redeemed: existing.redeemed + (add.redeemed ?? 0n),
      ...credit,
    });
    return;
  }
  await db.insert(dailyStat).values({
    id,
    day: startOfDay(timestamp),
    ledger,
    volume: add.volume ?? 0n,
    transferCount: add.transfers ?? 0,
    issued: add.issued ?? 0n,
    redeemed: add.redeemed ?? 0n,
    outstanding: totals?.outstanding ?? 0n,
    creditUsed: totals?.creditUsed ?? 0n,
  });
}

const startOfDay = (timestamp: bigint) => (timestamp / SECONDS_PER_DAY) * SECONDS_PER_DAY;
const dayId = (ledger: number, timestamp: bigint) => `${ledger}-${startOfDay(timestamp)}`;

export function creditUse(row: Pick<AccountRow, "flags" | "debitsPending" | "debitsPosted" | "creditsPosted">): bigint {
  if ((row.flags & sovrCodes.HAS_CREDIT_LINE) === 0) return 0n;
  const owed = row.debitsPending + row.debitsPosted;
  return owed > row.creditsPosted ? owed - row.creditsPosted : 0n;
}

export type BalanceChange = {
  debitsPending?: bigint;
  debitsPosted?: bigint;
  creditsPending?: bigint;
  creditsPosted?: bigint;
  setFlags?: number;
  clearFlags?: number;
  transfers?: number;
};

/** Applies a balance change to an account and carries its credit use into the line, the totals and the day. */
export async function changeAccount(db: Db, id: bigint, change: BalanceChange, timestamp: bigint): Promise<AccountRow> {
  let useBefore = 0n;
  const after = await db.update(account, { id }).set((row) => {
    // Read once: `row` is Ponder's copy-on-write proxy, and copying it whole costs more than the update.
    const { flags, debitsPending, debitsPosted, creditsPosted } = row;
    useBefore = creditUse({ flags, debitsPending, debitsPosted, creditsPosted });
    return {
      debitsPending: debitsPending + (change.debitsPending ?? 0n),
      debitsPosted: debitsPosted + (change.debitsPosted ?? 0n),
      creditsPending: row.creditsPending + (change.creditsPending ?? 0n),
      creditsPosted: creditsPosted + (change.creditsPosted ?? 0n),
      flags: (flags | (change.setFlags ?? 0)) & ~(change.clearFlags ?? 0),
      transferCount: row.transferCount + (change.transfers ?? 0),
    };
  });
  const useAfter = creditUse(after);
  if (useBefore !== useAfter) {
    await db.update(creditLine, { accountId: id }).set({ used: useAfter, updatedAt: timestamp });
    const totals = await ensureIssuance(db, after.ledger, timestamp);
    await db.update(issuance, { ledger: after.ledger }).set({
      creditUsed: totals.creditUsed + useAfter - useBefore,
      updatedAt: timestamp,
    });
    await addToDay(db, after.ledger, timestamp, {}, true);
  }
  return after;
}

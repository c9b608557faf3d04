/**
 * SovrOrders: standing orders and their periods, plans and subscriptions. A charge is the ledger's own
 * `TransferCreated` (code STANDING_ORDER, id derived from order and period), so the ledger's handler passes it
 * here (`recordCharge`); refusals and missed periods come from `ChargeFailed`.
 */
import type { Context } from "ponder:registry";
import { account, orderPeriod, plan, standingOrder } from "ponder:schema";
import {
  type OrderSchedule,
  orderDueAt,
  orderProgress,
  type PeriodRecord,
  parseChargeTransferId,
  periodUnits,
  primaryAccountId,
  transferResults,
} from "@sovr/contracts";
import { on } from "./on.ts";

type Db = Context["db"];
type OrderRow = typeof standingOrder.$inferSelect;
/** A period record as kept in `standing_order.open` (JSON: the retry time as a decimal string). */
type OpenPeriod = { period: number; status: PeriodRecord["status"]; retryAt: string | null };

const lower = (address: string) => address.toLowerCase() as `0x${string}`;

function scheduleOf(order: OrderRow): OrderSchedule {
  return { startAt: order.startAt, every: order.every, unit: order.unit as OrderSchedule["unit"], periods: Number(order.periods) };
}

/** Puts what the chain said of a period into the order, and moves its progress on. */
async function settle(db: Db, order: OrderRow, record: PeriodRecord, change: Partial<OrderRow>): Promise<void> {
  const schedule = scheduleOf(order);
  const records: PeriodRecord[] = (order.open as OpenPeriod[])
    .filter((open) => open.period !== record.period)
    .map((open) => ({ ...open, retryAt: open.retryAt === null ? null : BigInt(open.retryAt) }));
  records.push(record);
  const { settledThrough, nextChargeAt } = orderProgress(schedule, records, Number(order.settledThrough));
  const open: OpenPeriod[] = records
    .filter((r) => r.period >= settledThrough)
    .map((r) => ({ period: r.period, status: r.status, retryAt: r.retryAt === null ? null : r.retryAt.toString() }));
  const completed = settledThrough >= schedule.periods;
  const status = order.status === "Cancelled" ? "Cancelled" : completed ? "Completed" : "Active";
  await db.update(standingOrder, { id: order.id }).set({
    ...change,
    settledThrough: BigInt(settledThrough),
    open,
    status,
    nextChargeAt: status === "Active" ? nextChargeAt : null,
  });
}

async function orderOf(db: Db, id: bigint): Promise<OrderRow> {
  const order = await db.find(standingOrder, { id });
  if (!order) throw new Error(`standing order ${id} is not indexed`);
  return order;
}

/** A charge, from the ledger's `TransferCreated` of a STANDING_ORDER transfer. */
export async function recordCharge(
  db: Db,
  transfer: { id: bigint; amount: bigint; timestamp: bigint; txHash: `0x${string}` },
): Promise<void> {
  const ref = parseChargeTransferId(transfer.id);
  if (!ref) throw new Error(`transfer ${transfer.id} has the standing-order code but no order's id`);
  const order = await orderOf(db, ref.orderId);
  const previous = await db.find(orderPeriod, { id: `${ref.orderId}:${ref.period}` });
  await db
    .insert(orderPeriod)
    .values({
      id: `${ref.orderId}:${ref.period}`,
      orderId: ref.orderId,
      period: BigInt(ref.period),
      status: "Charged",
      dueAt: orderDueAt(scheduleOf(order), ref.period),
      amount: transfer.amount,
      transferId: transfer.id,
      chargedAt: transfer.timestamp,
      attempts: previous?.attempts ?? 0,
      retryAt: null,
      lastResult: previous?.lastResult ?? null,
      updatedAt: transfer.timestamp,
      txHash: transfer.txHash,
    })
    .onConflictDoUpdate({
      status: "Charged",
      amount: transfer.amount,
      transferId: transfer.id,
      chargedAt: transfer.timestamp,
      retryAt: null,
      updatedAt: transfer.timestamp,
      txHash: transfer.txHash,
    });
  await settle(
    db,
    order,
    { period: ref.period, status: "Charged", retryAt: null },
    {
      chargedCount: order.chargedCount + 1,
      chargedTotal: order.chargedTotal + transfer.amount,
      lastChargedAt: transfer.timestamp,
    },
  );
}

export function registerOrderHandlers(): void {
  on("SovrOrders:OrderCreated", async ({ event, context }) => {
    const a = event.args;
    const payee = await context.db.find(account, { id: a.payeeAccountId });
    if (!payee) throw new Error(`order ${a.id} pays into unknown account ${a.payeeAccountId}`);
    await context.db.insert(standingOrder).values({
      id: a.id,
      payer: lower(a.payer),
      payerAccountId: primaryAccountId(a.payer),
      payeeAccountId: a.payeeAccountId,
      payee: lower(payee.owner),
      amount: a.amount,
      maxAmount: a.maxAmount,
      startAt: BigInt(a.startAt),
      every: a.every,
      unit: periodUnits[a.unit] ?? "Seconds",
      periods: BigInt(a.periods),
      retries: a.retries,
      retryEvery: a.retryEvery,
      planId: a.planId,
      status: "Active",
      settledThrough: 0n,
      open: [],
      nextChargeAt: BigInt(a.startAt),
      chargedCount: 0,
      chargedTotal: 0n,
      missedCount: 0,
      failedAttempts: 0,
      createdAt: event.block.timestamp,
      txHash: event.transaction.hash,
    });
  });

  on("SovrOrders:OrderCancelled", async ({ event, context }) => {
    const order = await orderOf(context.db, event.args.id);
    await context.db.update(standingOrder, { id: order.id }).set({
      status: "Cancelled",
      nextChargeAt: null,
      cancelledAt: event.block.timestamp,
      cancelledBy: lower(event.args.by),
    });
    if (order.planId !== 0 && order.status === "Active") {
      await context.db.update(plan, { id: order.planId }).set((row) => ({ activeSubscriptions: row.activeSubscriptions - 1 }));
    }
  });

  on("SovrOrders:OrderAmountChanged", async ({ event, context }) => {
    await context.db.update(standingOrder, { id: event.args.id }).set({ amount: event.args.amount });
  });

  on("SovrOrders:ChargeFailed", async ({ event, context }) => {
    const { id, period, result, attempts, retryAt, gaveUp } = event.args;
    const order = await orderOf(context.db, id);
    const resultName = transferResults[result] ?? String(result);
    const now = event.block.timestamp;
    const status = gaveUp ? "Missed" : "Failing";
    const row = {
      status,
      attempts,
      retryAt: gaveUp ? null : BigInt(retryAt),
      lastResult: resultName,
      updatedAt: now,
      txHash: event.transaction.hash,
    };
    await context.db
      .insert(orderPeriod)
      .values({ id: `${id}:${period}`, orderId: id, period: BigInt(period), dueAt: orderDueAt(scheduleOf(order), period), ...row })
      .onConflictDoUpdate(row);
    // A paused ledger costs no attempt (the contract counts none).
    const counted = resultName === "LedgerPaused" ? 0 : 1;
    await settle(
      context.db,
      order,
      { period, status, retryAt: gaveUp ? null : BigInt(retryAt) },
      { failedAttempts: order.failedAttempts + counted, missedCount: order.missedCount + (gaveUp ? 1 : 0) },
    );
  });

  on("SovrOrders:PlanPublished", async ({ event, context }) => {
    const a = event.args;
    const payee = await context.db.find(account, { id: a.payeeAccountId });
    if (!payee) throw new Error(`plan ${a.id} pays into unknown account ${a.payeeAccountId}`);
    await context.db.insert(plan).values({
      id: a.id,
      payeeAccountId: a.payeeAccountId,
      payee: lower(payee.owner),
      price: a.price,
      every: a.every,
      unit: periodUnits[a.unit] ?? "Seconds",
      trialDays: a.trialDays,
      name: a.name,
      retired: false,
      activeSubscriptions: 0,
      createdAt: event.block.timestamp,
      txHash: event.transaction.hash,
    });
  });

  on("SovrOrders:PlanRetired", async ({ event, context }) => {
    await context.db.update(plan, { id: event.args.id }).set({ retired: true });
  });

  on("SovrOrders:Subscribed", async ({ event, context }) => {
    await context.db.update(plan, { id: event.args.planId }).set((row) => ({ activeSubscriptions: row.activeSubscriptions + 1 }));
  });
}

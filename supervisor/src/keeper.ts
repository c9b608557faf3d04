/**
 * Keeper: carries out what falls due on the chain, which cannot act by itself. It charges standing orders'
 * due periods (SovrOrders `chargeDue`, up to 100 charges per transaction) and releases pending transfers whose
 * timeout has passed, commitments' milestones included (`expirePendingTransfers`). It finds the work in the index,
 * checks the clock against the chain's latest block, and sends from its own key. It keeps no state: a keeper
 * killed at any point starts again from the chain and the index, and a period charged before (by it or anyone)
 * is answered `AlreadyCharged` by the contract, never charged twice.
 */
import { setTimeout as sleep } from "node:timers/promises";
import {
  type ChargeOutcome,
  chargeablePeriods,
  chargeOutcomes,
  ORDER_LIMITS,
  type OrderSchedule,
  orderDueAt,
  type PeriodRecord,
  periodLength,
  sovrLedgerAbi,
  sovrOrdersAbi,
} from "@sovr/contracts";
import { fields, IndexerClient, MAX_PAGE } from "@sovr/indexer/client";
import {
  type HostWallet,
  type SendOptions,
  type SubmittedTransaction,
  sendHostTransaction,
  settleHostTransaction,
  submitHostTransaction,
} from "@sovr/runtime/transactions";
import { type Address, encodeFunctionData, type PublicClient, parseEventLogs } from "viem";
import { z } from "zod";

/** Pending transfers released per transaction: each expiry costs ~15k gas. */
const RELEASE_BATCH = 100;
/** Charges per transaction: ~40k gas each, ~4M a transaction (the batch `pnpm bench gas` measures). */
export const DEFAULT_CHARGE_BATCH = 100;
/** A keeper that has not completed a pass for this many intervals (and at least a minute) is unhealthy. */
const STALE_PASSES = 20;
const MIN_STALE_MS = 60_000;

export type KeeperOptions = {
  indexerUrl: string;
  client: PublicClient;
  wallet: HostWallet;
  ledger: Address;
  orders: Address;
  /** How long its transaction may stay unmined before it is replaced with higher fees. */
  stuckAfterMs?: number;
  intervalMs?: number;
  /** Charges per transaction (at most SovrOrders' MAX_CHARGES_PER_CALL). */
  chargeBatch?: number;
  log: (line: string) => void;
};

/** One due charge: a period of an order, when it fell due (or its retry came), and how long its period is. */
export type DueCharge = { orderId: bigint; period: number; dueAt: bigint; periodSeconds: bigint };

/** What is due at a moment: charges, and pending transfers to release. */
export type DueWork = { now: bigint; charges: DueCharge[]; releases: bigint[] };

/** What one pass did. */
export type PassResult = { charged: number; failed: number; gaveUp: number; released: number; transactions: number; gas: bigint };

/** The keeper as a stack component: `/health/keeper`. */
export type KeeperHealth = {
  ok: boolean;
  degraded: boolean;
  lastRunAt: string | null;
  lastRunOk: boolean;
  lastError: string | null;
  dueCharges: number;
  dueReleases: number;
  /** Seconds since the oldest due item fell due (0 when nothing is due). */
  oldestDueAgeSeconds: number;
  /** Charges due for longer than their period: the keeper is not keeping up. */
  lateCharges: number;
  ledgerPaused: boolean;
};

export type Keeper = {
  /** One pass: releases and charges what is due now. */
  tick(): Promise<PassResult>;
  /** What is due now and how the keeper is doing. */
  health(): Promise<KeeperHealth>;
  stop(): Promise<void>;
};

const openPeriod = z.object({
  period: z.number().int(),
  status: z.enum(["Charged", "Failing", "Missed"]),
  retryAt: z.string().nullable(),
});
const dueOrder = z.object({
  id: fields.bigint,
  startAt: fields.bigint,
  every: z.number().int(),
  unit: z.enum(["Seconds", "Months"]),
  periods: fields.bigint,
  settledThrough: fields.bigint,
  open: z.array(openPeriod),
});
const dueShape = z.object({
  standingOrders: z.object({ items: z.array(dueOrder) }),
  pendingTransfers: z.object({ items: z.array(z.object({ id: fields.bigint })) }),
});

/** The periods due at `now`, from the index: active orders whose next charge time has come. */
export async function dueWork(indexer: IndexerClient, now: bigint, limit = MAX_PAGE): Promise<DueWork> {
  const data = await indexer.graphql(
    `query ($now: BigInt, $limit: Int) {
      standingOrders(where: { status: "Active", nextChargeAt_lte: $now }, orderBy: "nextChargeAt", limit: $limit) {
        items { id startAt every unit periods settledThrough open }
      }
      pendingTransfers(where: { status: "pending", expiresAt_lte: $now }, orderBy: "expiresAt", limit: $limit) { items { id } }
    }`,
    { now: now.toString(), limit },
    dueShape,
  );
  const charges: DueCharge[] = [];
  for (const order of data.standingOrders.items) {
    const schedule: OrderSchedule = { startAt: order.startAt, every: order.every, unit: order.unit, periods: Number(order.periods) };
    const records: PeriodRecord[] = order.open.map((open) => ({ ...open, retryAt: open.retryAt === null ? null : BigInt(open.retryAt) }));
    const failing = new Map(records.filter((r) => r.status === "Failing").map((r) => [r.period, r.retryAt]));
    for (const period of chargeablePeriods(schedule, records, Number(order.settledThrough), now, limit)) {
      charges.push({
        orderId: order.id,
        period,
        // A failing period is due again at its retry time, not from its first due time.
        dueAt: failing.get(period) ?? orderDueAt(schedule, period),
        periodSeconds: periodLength(schedule, period),
      });
    }
  }
  charges.sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0));
  return { now, charges: charges.slice(0, limit), releases: data.pendingTransfers.items.map((item) => item.id) };
}

/** What sending the keeper's transactions needs: the chain, the paying key, the contracts, and the log. */
export type KeeperChain = {
  client: PublicClient;
  wallet: HostWallet;
  ledger: Address;
  orders: Address;
  send: SendOptions;
  log: (line: string) => void;
};

/** A pass that did nothing yet. */
export const emptyPass = (): PassResult => ({ charged: 0, failed: 0, gaveUp: 0, released: 0, transactions: 0, gas: 0n });

/** Releases the overdue pending transfers among `ids`, 100 per transaction; adds to `result`. */
export async function releaseOverdue(chain: KeeperChain, ids: bigint[], result: PassResult): Promise<void> {
  for (let at = 0; at < ids.length; at += RELEASE_BATCH) {
    const batch = ids.slice(at, at + RELEASE_BATCH);
    const { request, result: expired } = await chain.client.simulateContract({
      address: chain.ledger,
      abi: sovrLedgerAbi,
      functionName: "expirePendingTransfers",
      args: [batch],
      account: chain.wallet.account,
    });
    // The index may lag a release that already happened: nothing left to do.
    if (expired === 0n) continue;
    const receipt = await sendHostTransaction(
      chain.client,
      chain.wallet,
      { to: chain.ledger, data: encodeFunctionData(request) },
      chain.send,
    );
    if (receipt.status !== "success") throw new Error(`expirePendingTransfers reverted in ${receipt.transactionHash}`);
    result.released += Number(expired);
    result.transactions += 1;
    result.gas += receipt.gasUsed;
    chain.log(`sovr: keeper released ${expired} overdue pending transfer${expired === 1n ? "" : "s"}`);
  }
}

/**
 * Charges due periods, `batchSize` per transaction; adds to `result`. Each batch is simulated first: one whose
 * periods were all charged meanwhile (the index lagging, another keeper) is not sent. The batches hold different
 * periods, so none needs another mined first: they are sent in a row with consecutive nonces, then each receipt
 * is awaited (and a stuck one replaced), and what each charged or had refused is read from its own events.
 */
export async function chargePeriods(chain: KeeperChain, due: DueCharge[], batchSize: number, result: PassResult): Promise<void> {
  const submitted: SubmittedTransaction[] = [];
  let failure: unknown;
  try {
    let nonce: number | undefined;
    for (let at = 0; at < due.length; at += batchSize) {
      const refs = due.slice(at, at + batchSize).map((item) => ({ orderId: item.orderId, period: item.period }));
      const { request, result: outcomes } = await chain.client.simulateContract({
        address: chain.orders,
        abi: sovrOrdersAbi,
        functionName: "chargeDue",
        args: [refs],
        account: chain.wallet.account,
      });
      const named = outcomes.map((outcome) => chargeOutcomes[outcome] as ChargeOutcome);
      if (!named.some((outcome) => outcome === "Charged" || outcome === "Failed" || outcome === "GaveUp")) continue;
      nonce ??= await chain.client.getTransactionCount({ address: chain.wallet.account.address, blockTag: "pending" });
      submitted.push(await submitHostTransaction(chain.wallet, { to: chain.orders, data: encodeFunctionData(request), nonce: nonce++ }));
    }
  } catch (error) {
    // What was handed to the node may still be mined: it is settled and counted before the error is told.
    failure = error;
  }
  for (const transaction of submitted) {
    const receipt = await settleHostTransaction(chain.client, chain.wallet, transaction, chain.send);
    if (receipt.status !== "success") throw new Error(`chargeDue reverted in ${receipt.transactionHash}`);
    const charged = parseEventLogs({ abi: sovrLedgerAbi, logs: receipt.logs, eventName: "TransferCreated" }).length;
    const refusals = parseEventLogs({ abi: sovrOrdersAbi, logs: receipt.logs, eventName: "ChargeFailed" });
    const gaveUp = refusals.filter((refusal) => refusal.args.gaveUp).length;
    result.charged += charged;
    result.failed += refusals.length - gaveUp;
    result.gaveUp += gaveUp;
    result.transactions += 1;
    result.gas += receipt.gasUsed;
    const refused = refusals.length ? `; ${refusals.length} refused by the ledger (recorded, retried per order)` : "";
    chain.log(`sovr: keeper charged ${charged} due period${charged === 1 ? "" : "s"}${refused}`);
  }
  if (failure !== undefined) throw failure;
}

/** One pass: releases and charges what is due at the chain's latest block. */
export async function keeperPass(chain: KeeperChain, indexer: IndexerClient, chargeBatch: number): Promise<PassResult> {
  const result = emptyPass();
  const head = await chain.client.getBlock({ blockTag: "latest" });
  const work = await dueWork(indexer, head.timestamp);
  if (work.releases.length > 0) await releaseOverdue(chain, work.releases, result);
  if (work.charges.length > 0) {
    // A paused ledger refuses every charge: trying would only record refusals.
    const paused = await chain.client.readContract({ address: chain.ledger, abi: sovrLedgerAbi, functionName: "paused" });
    if (!paused) await chargePeriods(chain, work.charges, chargeBatch, result);
  }
  return result;
}

export function startKeeper(options: KeeperOptions): Keeper {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let lastError = "";
  let lastRunAt: number | undefined;
  let lastRunOk = false;
  let lastSuccessAt = Date.now();
  const intervalMs = options.intervalMs ?? 1000;
  const chargeBatch = Math.min(options.chargeBatch ?? DEFAULT_CHARGE_BATCH, ORDER_LIMITS.MAX_CHARGES_PER_CALL);
  const indexer = new IndexerClient(options.indexerUrl, { timeoutMs: 10_000 });
  const chain: KeeperChain = {
    client: options.client,
    wallet: options.wallet,
    ledger: options.ledger,
    orders: options.orders,
    send: { ...(options.stuckAfterMs ? { stuckAfterMs: options.stuckAfterMs } : {}), log: options.log },
    log: options.log,
  };

  async function health(): Promise<KeeperHealth> {
    const head = await options.client.getBlock({ blockTag: "latest" });
    const [work, ledgerPaused] = await Promise.all([
      dueWork(indexer, head.timestamp),
      options.client.readContract({ address: options.ledger, abi: sovrLedgerAbi, functionName: "paused" }),
    ]);
    const oldest = work.charges[0]?.dueAt;
    const late = work.charges.filter((item) => work.now - item.dueAt > item.periodSeconds).length;
    const staleAfterMs = Math.max(MIN_STALE_MS, STALE_PASSES * intervalMs);
    return {
      ok: Date.now() - lastSuccessAt <= staleAfterMs,
      // Late charges while the ledger is paused are the pause's doing, which the contracts component reports.
      degraded: (late > 0 && !ledgerPaused) || (lastRunAt !== undefined && !lastRunOk),
      lastRunAt: lastRunAt === undefined ? null : new Date(lastRunAt).toISOString(),
      lastRunOk,
      lastError: lastError || null,
      dueCharges: work.charges.length,
      dueReleases: work.releases.length,
      oldestDueAgeSeconds: oldest === undefined ? 0 : Number(work.now - oldest),
      lateCharges: late,
      ledgerPaused,
    };
  }

  const loop = async () => {
    while (!stopped) {
      running = keeperPass(chain, indexer, chargeBatch).then(
        () => {
          lastError = "";
          lastRunOk = true;
          lastSuccessAt = Date.now();
        },
        (error: unknown) => {
          const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
          // Say a problem once, not every interval.
          if (message !== lastError) options.log(`sovr: keeper: ${message}`);
          lastError = message;
          lastRunOk = false;
        },
      );
      await running;
      lastRunAt = Date.now();
      await sleep(intervalMs);
    }
  };
  void loop();

  return {
    tick: () => keeperPass(chain, indexer, chargeBatch),
    health,
    async stop() {
      stopped = true;
      await running;
    },
  };
}

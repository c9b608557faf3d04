/**
 * Reconciliation: the indexed figures against the chain, read at the indexed block in one multicall
 * (deployless, so it works on a chain without a Multicall3 contract). Every difference is listed;
 * the check passes only if there are none.
 */

import {
  componentRegistryAbi,
  componentStatuses,
  guardianAttestationsAbi,
  invoiceStatuses,
  maintenanceSchedules,
  pendingStatuses,
  periodStatuses,
  type SovrDeployment,
  sovrCodes,
  sovrCommitmentsAbi,
  sovrCreditAbi,
  sovrDirectoryAbi,
  sovrInvoicesAbi,
  sovrLedgerAbi,
  sovrMaintenanceAbi,
  sovrOrdersAbi,
} from "@sovr/contracts";
import type { Address, PublicClient } from "viem";

export type IndexedState = {
  /** The block the index has processed completely. */
  blockNumber: bigint;
  accounts: {
    id: bigint;
    flags: number;
    debitsPending: bigint;
    debitsPosted: bigint;
    creditsPending: bigint;
    creditsPosted: bigint;
  }[];
  pendingTransfers: { id: bigint; status: string; amount: bigint }[];
  creditLines: { accountId: bigint; limit: bigint; expiresAt: bigint; frozen: boolean }[];
  issuance: { ceiling: bigint; outstanding: bigint; creditExtended: bigint; creditUsed: bigint } | undefined;
  components: { id: number; status: string; latencyMs: number; retired: boolean; controller: Address; reporter: Address }[];
  counts: { intents: number; signals: number; verdicts: number };
  verdicts: { id: bigint; acknowledged: boolean }[];
  labels: { subject: Address; label: string }[];
  maintenanceWindows: {
    id: bigint;
    componentId: number;
    schedule: string;
    startsAt: bigint;
    endsAt: bigint;
    duration: number;
    period: number;
    cron: string;
    scheduledAt: bigint;
    cancelledAt: bigint | null;
  }[];
  invoices: { id: bigint; payeeAccountId: bigint; amount: bigint; paid: bigint; dueAt: bigint; status: string; allowsPartial: boolean }[];
  orders: { id: bigint; amount: bigint; maxAmount: bigint; periods: bigint; status: string }[];
  orderPeriods: { orderId: bigint; period: bigint; status: string; attempts: number }[];
  plans: { id: number; price: bigint; retired: boolean }[];
  commitments: { id: bigint; total: bigint; status: string }[];
  milestones: { commitmentId: bigint; index: number; status: string }[];
  ledgerPaused: boolean;
};

export type Difference = { what: string; indexed: string; chain: string };

export type Reconciliation = {
  ok: boolean;
  blockNumber: string;
  checked: {
    accounts: number;
    pendingTransfers: number;
    creditLines: number;
    components: number;
    verdicts: number;
    labels: number;
    maintenanceWindows: number;
    invoices: number;
    orders: number;
    orderPeriods: number;
    plans: number;
    commitments: number;
    milestones: number;
    totals: number;
  };
  differences: Difference[];
};

/**
 * A deployless multicall runs as contract-creation code whose "deployed code" is the calls' results,
 * so one eth_call can return at most 24,576 bytes (EIP-170) and carry at most 49,152 bytes of calls
 * (EIP-3860); ~50 accounts or ~20 verdicts already exceed the first. Reads are therefore split into
 * batches by an upper estimate of their encoded result. All batches read the same block, so the
 * split changes nothing in what is compared.
 */
const MAX_RESULT_BYTES_PER_CALL = 20_000;
/** Upper estimates of one read's result as aggregate3 encodes it (flag, offset, length, data). */
const RESULT_BYTES: Record<string, number> = {
  getVerdict: 420,
  getComponent: 1_000,
  getAccount: 520,
  getTransfer: 640,
  labelOf: 200,
  getWindow: 520,
  getInvoice: 360,
  getOrder: 640,
  periodState: 320,
  getPlan: 480,
  getCommitment: 420,
};
const DEFAULT_RESULT_BYTES = 200;

export async function reconcile(client: PublicClient, deployment: SovrDeployment, indexed: IndexedState): Promise<Reconciliation> {
  const ledger = { address: deployment.ledger, abi: sovrLedgerAbi } as const;
  const credit = { address: deployment.credit, abi: sovrCreditAbi } as const;
  const registry = { address: deployment.registry, abi: componentRegistryAbi } as const;
  const guardian = { address: deployment.guardian, abi: guardianAttestationsAbi } as const;
  const directory = { address: deployment.directory, abi: sovrDirectoryAbi } as const;
  const maintenance = { address: deployment.maintenance, abi: sovrMaintenanceAbi } as const;
  const invoices = { address: deployment.invoices, abi: sovrInvoicesAbi } as const;
  const orders = { address: deployment.orders, abi: sovrOrdersAbi } as const;
  const commitments = { address: deployment.commitments, abi: sovrCommitmentsAbi } as const;

  const contracts = [
    { ...ledger, functionName: "paused" },
    { ...ledger, functionName: "creditTotals", args: [sovrCodes.LEDGER_USD] },
    { ...credit, functionName: "outstanding" },
    { ...credit, functionName: "issuanceCeiling" },
    { ...registry, functionName: "componentCount" },
    { ...registry, functionName: "intentCount" },
    { ...registry, functionName: "signalCount" },
    { ...guardian, functionName: "verdictCount" },
    { ...maintenance, functionName: "windowCount" },
    { ...invoices, functionName: "invoiceCount" },
    { ...orders, functionName: "orderCount" },
    { ...orders, functionName: "planCount" },
    { ...commitments, functionName: "commitmentCount" },
    ...indexed.accounts.map((a) => ({ ...ledger, functionName: "getAccount", args: [a.id] })),
    ...indexed.pendingTransfers.map((p) => ({ ...ledger, functionName: "getTransfer", args: [p.id] })),
    ...indexed.creditLines.map((l) => ({ ...ledger, functionName: "creditLineOf", args: [l.accountId] })),
    ...indexed.components.map((c) => ({ ...registry, functionName: "getComponent", args: [c.id] })),
    ...indexed.verdicts.map((v) => ({ ...guardian, functionName: "getVerdict", args: [v.id] })),
    ...indexed.labels.map((l) => ({ ...directory, functionName: "labelOf", args: [l.subject] })),
    ...indexed.maintenanceWindows.map((w) => ({ ...maintenance, functionName: "getWindow", args: [w.id] })),
    ...indexed.invoices.map((i) => ({ ...invoices, functionName: "getInvoice", args: [i.id] })),
    ...indexed.orders.map((o) => ({ ...orders, functionName: "getOrder", args: [o.id] })),
    ...indexed.orderPeriods.map((p) => ({ ...orders, functionName: "periodState", args: [p.orderId, Number(p.period)] })),
    ...indexed.plans.map((p) => ({ ...orders, functionName: "getPlan", args: [p.id] })),
    ...indexed.commitments.map((c) => ({ ...commitments, functionName: "getCommitment", args: [c.id] })),
    ...indexed.milestones.map((m) => ({ ...commitments, functionName: "milestoneStatus", args: [m.commitmentId, m.index] })),
  ];
  const batches: (typeof contracts)[] = [[]];
  let batchBytes = 0;
  for (const read of contracts) {
    const bytes = RESULT_BYTES[read.functionName] ?? DEFAULT_RESULT_BYTES;
    if (batchBytes + bytes > MAX_RESULT_BYTES_PER_CALL) {
      batches.push([]);
      batchBytes = 0;
    }
    batches.at(-1)!.push(read);
    batchBytes += bytes;
  }
  const results = (
    await Promise.all(
      batches.map((batch) =>
        client.multicall({
          contracts: batch,
          blockNumber: indexed.blockNumber,
          allowFailure: false,
          deployless: true,
          batchSize: 0,
        } as Parameters<PublicClient["multicall"]>[0]),
      ),
    )
  ).flat();

  const differences: Difference[] = [];
  const compare = (what: string, indexedValue: unknown, chainValue: unknown) => {
    if (String(indexedValue) !== String(chainValue)) {
      differences.push({ what, indexed: String(indexedValue), chain: String(chainValue) });
    }
  };
  let at = 0;
  const next = <T>() => results[at++] as T;

  compare("ledger paused", indexed.ledgerPaused, next<boolean>());
  const [extended, used] = next<readonly [bigint, bigint]>();
  compare("credit extended (ledger 840)", indexed.issuance?.creditExtended ?? 0n, extended);
  compare("credit used (ledger 840)", indexed.issuance?.creditUsed ?? 0n, used);
  compare("issuance outstanding", indexed.issuance?.outstanding ?? 0n, next<bigint>());
  compare("issuance ceiling", indexed.issuance?.ceiling ?? 0n, next<bigint>());
  compare("component count", indexed.components.length, next<number>());
  compare("control intent count", indexed.counts.intents, next<bigint>());
  compare("signal count", indexed.counts.signals, next<bigint>());
  compare("verdict count", indexed.counts.verdicts, next<bigint>());
  compare("maintenance window count", indexed.maintenanceWindows.length, next<bigint>());
  compare("invoice count", indexed.invoices.length, next<bigint>());
  compare("order count", indexed.orders.length, next<bigint>());
  compare("plan count", indexed.plans.length, next<number>());
  compare("commitment count", indexed.commitments.length, next<bigint>());

  for (const a of indexed.accounts) {
    const onChain = next<{
      flags: number;
      debitsPending: bigint;
      debitsPosted: bigint;
      creditsPending: bigint;
      creditsPosted: bigint;
    }>();
    compare(`account ${a.id} flags`, a.flags, onChain.flags);
    compare(`account ${a.id} debits pending`, a.debitsPending, onChain.debitsPending);
    compare(`account ${a.id} debits posted`, a.debitsPosted, onChain.debitsPosted);
    compare(`account ${a.id} credits pending`, a.creditsPending, onChain.creditsPending);
    compare(`account ${a.id} credits posted`, a.creditsPosted, onChain.creditsPosted);
  }
  for (const p of indexed.pendingTransfers) {
    const onChain = next<{ status: number; amount: bigint }>();
    compare(`pending transfer ${p.id} status`, p.status, (pendingStatuses[onChain.status] ?? "").toLowerCase());
    compare(`pending transfer ${p.id} amount`, p.amount, onChain.amount);
  }
  for (const l of indexed.creditLines) {
    const onChain = next<{ limit: bigint; expiresAt: bigint; frozen: boolean }>();
    compare(`credit line ${l.accountId} limit`, l.limit, onChain.limit);
    compare(`credit line ${l.accountId} expiry`, l.expiresAt, onChain.expiresAt);
    compare(`credit line ${l.accountId} frozen`, l.frozen, onChain.frozen);
  }
  for (const c of indexed.components) {
    const onChain = next<{ status: number; latencyMs: number; retired: boolean; controller: Address; reporter: Address }>();
    compare(`component ${c.id} status`, c.status, componentStatuses[onChain.status]);
    compare(`component ${c.id} latency`, c.latencyMs, onChain.latencyMs);
    compare(`component ${c.id} retired`, c.retired, onChain.retired);
    compare(`component ${c.id} controller`, c.controller.toLowerCase(), onChain.controller.toLowerCase());
    compare(`component ${c.id} reporter`, c.reporter.toLowerCase(), onChain.reporter.toLowerCase());
  }
  for (const v of indexed.verdicts) {
    compare(`verdict ${v.id} acknowledged`, v.acknowledged, next<{ acknowledged: boolean }>().acknowledged);
  }
  for (const l of indexed.labels) compare(`label of ${l.subject}`, l.label, next<string>());
  for (const w of indexed.maintenanceWindows) {
    const onChain = next<{
      componentId: number;
      schedule: number;
      startsAt: number;
      endsAt: number;
      duration: number;
      period: number;
      scheduledAt: number;
      cancelledAt: number;
      cron: string;
    }>();
    const what = `maintenance window ${w.id}`;
    compare(`${what} component`, w.componentId, onChain.componentId);
    compare(`${what} schedule`, w.schedule, maintenanceSchedules[onChain.schedule]);
    compare(`${what} start`, w.startsAt, onChain.startsAt);
    compare(`${what} end`, w.endsAt, onChain.endsAt);
    compare(`${what} duration`, w.duration, onChain.duration);
    compare(`${what} period`, w.period, onChain.period);
    compare(`${what} cron`, w.cron, onChain.cron);
    compare(`${what} scheduled at`, w.scheduledAt, onChain.scheduledAt);
    compare(`${what} cancelled at`, w.cancelledAt ?? 0n, onChain.cancelledAt);
  }
  for (const i of indexed.invoices) {
    const onChain = next<{ payeeAccountId: bigint; amount: bigint; paid: bigint; dueAt: number; status: number; allowsPartial: boolean }>();
    compare(`invoice ${i.id} payee account`, i.payeeAccountId, onChain.payeeAccountId);
    compare(`invoice ${i.id} amount`, i.amount, onChain.amount);
    compare(`invoice ${i.id} paid`, i.paid, onChain.paid);
    compare(`invoice ${i.id} due`, i.dueAt, onChain.dueAt);
    compare(`invoice ${i.id} status`, i.status, invoiceStatuses[onChain.status]);
    compare(`invoice ${i.id} partial payments`, i.allowsPartial, onChain.allowsPartial);
  }
  for (const o of indexed.orders) {
    const onChain = next<{ amount: bigint; maxAmount: bigint; periods: number; cancelled: boolean }>();
    compare(`order ${o.id} amount`, o.amount, onChain.amount);
    compare(`order ${o.id} cap`, o.maxAmount, onChain.maxAmount);
    compare(`order ${o.id} periods`, o.periods, onChain.periods);
    compare(`order ${o.id} cancelled`, o.status === "Cancelled", onChain.cancelled);
  }
  const cancelledOrders = new Set(indexed.orders.filter((o) => o.status === "Cancelled").map((o) => o.id));
  for (const p of indexed.orderPeriods) {
    const onChain = next<{ status: number; attempts: number }>();
    const expected = periodStatusOnChain(p, cancelledOrders.has(p.orderId));
    compare(`order ${p.orderId} period ${p.period}`, expected, periodStatuses[onChain.status]);
    compare(`order ${p.orderId} period ${p.period} attempts`, p.attempts, onChain.attempts);
  }
  for (const p of indexed.plans) {
    const onChain = next<{ price: bigint; retired: boolean }>();
    compare(`plan ${p.id} price`, p.price, onChain.price);
    compare(`plan ${p.id} retired`, p.retired, onChain.retired);
  }
  for (const c of indexed.commitments) {
    const onChain = next<{ total: bigint; cancelled: boolean }>();
    compare(`commitment ${c.id} total`, c.total, onChain.total);
    compare(`commitment ${c.id} cancelled`, c.status === "Cancelled", onChain.cancelled);
  }
  for (const m of indexed.milestones) {
    compare(`milestone ${m.commitmentId}:${m.index}`, MILESTONE_PENDING_STATUS[m.status], pendingStatuses[next<number>()]);
  }

  return {
    ok: differences.length === 0,
    blockNumber: indexed.blockNumber.toString(),
    checked: {
      accounts: indexed.accounts.length,
      pendingTransfers: indexed.pendingTransfers.length,
      creditLines: indexed.creditLines.length,
      components: indexed.components.length,
      verdicts: indexed.verdicts.length,
      labels: indexed.labels.length,
      maintenanceWindows: indexed.maintenanceWindows.length,
      invoices: indexed.invoices.length,
      orders: indexed.orders.length,
      orderPeriods: indexed.orderPeriods.length,
      plans: indexed.plans.length,
      commitments: indexed.commitments.length,
      milestones: indexed.milestones.length,
      totals: 13,
    },
    differences,
  };
}

/** A milestone's indexed status as the ledger names its reservation's. */
const MILESTONE_PENDING_STATUS: Record<string, string> = { Reserved: "Pending", Approved: "Posted", Voided: "Voided", Expired: "Expired" };

/**
 * An indexed period's status as `periodState` names it. A period still failing is `Closed` once its order was
 * cancelled, and `Due` when its only refusal was a paused ledger (which costs no attempt).
 */
function periodStatusOnChain(period: { status: string; attempts: number }, orderCancelled: boolean): string {
  if (period.status !== "Failing") return period.status;
  if (orderCancelled) return "Closed";
  return period.attempts === 0 ? "Due" : "Failing";
}

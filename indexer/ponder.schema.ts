/**
 * Tables of the SOVR indexer (SPEC 4). Amounts are uint128 on-chain, so `bigint` (numeric(78)).
 * Enum-valued fields hold the contracts' names (`ONLINE`, `BLOCK`, ...) from `@sovr/contracts`.
 *
 * Live clients (`@ponder/client` over `/sql`) read the `*_view` views at the end, never the tables:
 * on PGlite, a flush with more than 20 updates of one table leaves a session-wide temp table of the
 * same name that shadows the table for `/sql`'s unqualified names (Ponder 0.17.7). A view is bound
 * to the real table when it is created, so it cannot be shadowed.
 */
// Ponder's tables are drizzle tables: this import (of Ponder's own drizzle-orm, hoisted by the
// workspace) lets TypeScript name their types in the declarations other packages read.
import type {} from "drizzle-orm/pg-core";
import { index, onchainTable, onchainView } from "ponder";

/** Ledger accounts with live balances (the same figures `getAccount` returns). */
export const account = onchainTable(
  "account",
  (t) => ({
    id: t.bigint().primaryKey(),
    owner: t.hex().notNull(),
    ledger: t.integer().notNull(),
    code: t.integer().notNull(),
    /** Account flags as the ledger holds them (TigerBeetle's plus CLOSED, FROZEN, HAS_CREDIT_LINE). */
    flags: t.integer().notNull(),
    debitsPending: t.bigint().notNull(),
    debitsPosted: t.bigint().notNull(),
    creditsPending: t.bigint().notNull(),
    creditsPosted: t.bigint().notNull(),
    transferCount: t.integer().notNull(),
    createdAt: t.bigint().notNull(),
    createdBlock: t.bigint().notNull(),
  }),
  (table) => ({ ownerIndex: index().on(table.owner) }),
);

/** Every applied transfer, including posts and voids (`kind`), with every field of `TransferCreated`. */
export const transfer = onchainTable(
  "transfer",
  (t) => ({
    id: t.bigint().primaryKey(),
    debitAccountId: t.bigint().notNull(),
    creditAccountId: t.bigint().notNull(),
    amount: t.bigint().notNull(),
    pendingId: t.bigint().notNull(),
    userData: t.hex().notNull(),
    flags: t.integer().notNull(),
    code: t.integer().notNull(),
    ledger: t.integer().notNull(),
    timeout: t.integer().notNull(),
    /** `single`, `pending`, `post` or `void`. */
    kind: t.text().notNull(),
    timestamp: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    txHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
  }),
  (table) => ({
    debitIndex: index().on(table.debitAccountId),
    creditIndex: index().on(table.creditAccountId),
    timestampIndex: index().on(table.timestamp),
  }),
);

/** Batch members the ledger did not apply, with TigerBeetle's result code. */
export const transferRejection = onchainTable("transfer_rejection", (t) => ({
  id: t.text().primaryKey(),
  transferId: t.bigint().notNull(),
  batchIndex: t.integer().notNull(),
  result: t.text().notNull(),
  timestamp: t.bigint().notNull(),
  txHash: t.hex().notNull(),
}));

/** Two-phase transfers: `pending`, `posted`, `voided` or `expired`, and what is still reserved. */
export const pendingTransfer = onchainTable(
  "pending_transfer",
  (t) => ({
    id: t.bigint().primaryKey(),
    debitAccountId: t.bigint().notNull(),
    creditAccountId: t.bigint().notNull(),
    amount: t.bigint().notNull(),
    /** Still reserved: `amount` while pending, 0 once posted, voided or expired. */
    remaining: t.bigint().notNull(),
    postedAmount: t.bigint().notNull(),
    flags: t.integer().notNull(),
    code: t.integer().notNull(),
    ledger: t.integer().notNull(),
    timeout: t.integer().notNull(),
    status: t.text().notNull(),
    createdAt: t.bigint().notNull(),
    /** `createdAt + timeout`, or null when it never expires. */
    expiresAt: t.bigint(),
    resolvedAt: t.bigint(),
    /** The post or void transfer (none for an expiry). */
    resolvedBy: t.bigint(),
  }),
  (table) => ({ statusIndex: index().on(table.status) }),
);

/** Credit lines with their utilisation (debits beyond posted credits of the account). */
export const creditLine = onchainTable("credit_line", (t) => ({
  accountId: t.bigint().primaryKey(),
  ledger: t.integer().notNull(),
  limit: t.bigint().notNull(),
  expiresAt: t.bigint().notNull(),
  frozen: t.boolean().notNull(),
  used: t.bigint().notNull(),
  updatedAt: t.bigint().notNull(),
}));

/** Issuance totals of SovrCredit (one row, id 840) plus the ledger's credit totals. */
export const issuance = onchainTable("issuance", (t) => ({
  ledger: t.integer().primaryKey(),
  issuerAccountId: t.bigint(),
  ceiling: t.bigint().notNull(),
  issued: t.bigint().notNull(),
  redeemed: t.bigint().notNull(),
  outstanding: t.bigint().notNull(),
  creditExtended: t.bigint().notNull(),
  creditUsed: t.bigint().notNull(),
  updatedAt: t.bigint().notNull(),
}));

/** Singleton (id 1) flags of the contracts: ledger paused, the guardian's policy, registry settings. */
export const systemState = onchainTable("system_state", (t) => ({
  id: t.integer().primaryKey(),
  ledgerPaused: t.boolean().notNull(),
  supplyAccountId: t.bigint(),
  mayFreezeOnBlock: t.boolean().notNull(),
  minFreezeLevel: t.text().notNull(),
  mayPauseOnEmergency: t.boolean().notNull(),
  minPauseLevel: t.text().notNull(),
  beatInterval: t.integer().notNull(),
  updatedAt: t.bigint().notNull(),
}));

/** Operators approved by account owners. */
export const operator = onchainTable("operator", (t) => ({
  id: t.text().primaryKey(),
  owner: t.hex().notNull(),
  operator: t.hex().notNull(),
  approved: t.boolean().notNull(),
  updatedAt: t.bigint().notNull(),
}));

/** The owner's services with their current health. */
export const component = onchainTable("component", (t) => ({
  id: t.integer().primaryKey(),
  name: t.text().notNull(),
  kind: t.text().notNull(),
  endpoint: t.text().notNull(),
  critical: t.boolean().notNull(),
  controller: t.hex().notNull(),
  reporter: t.hex().notNull(),
  status: t.text().notNull(),
  latencyMs: t.integer().notNull(),
  retired: t.boolean().notNull(),
  registeredAt: t.bigint().notNull(),
  statusSince: t.bigint().notNull(),
  lastReportAt: t.bigint().notNull(),
}));

/** START/RESTART/STOP intents and their reported outcome. */
export const controlIntent = onchainTable(
  "control_intent",
  (t) => ({
    id: t.bigint().primaryKey(),
    componentId: t.integer().notNull(),
    action: t.text().notNull(),
    requestedBy: t.hex().notNull(),
    /** `Pending`, `Executed` or `Failed`. */
    status: t.text().notNull(),
    reason: t.text(),
    requestedAt: t.bigint().notNull(),
    resolvedAt: t.bigint(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ componentIndex: index().on(table.componentId) }),
);

/** Health transitions (recorded only when the status changes). */
export const healthChange = onchainTable(
  "health_change",
  (t) => ({
    id: t.text().primaryKey(),
    componentId: t.integer().notNull(),
    previousStatus: t.text().notNull(),
    status: t.text().notNull(),
    latencyMs: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
  }),
  (table) => ({ componentTimeIndex: index().on(table.componentId, table.timestamp) }),
);

/** Signals from components' reporters. */
export const signal = onchainTable("signal", (t) => ({
  id: t.bigint().primaryKey(),
  componentId: t.integer().notNull(),
  severity: t.text().notNull(),
  kind: t.text().notNull(),
  message: t.text().notNull(),
  timestamp: t.bigint().notNull(),
  txHash: t.hex().notNull(),
}));

/** Guardian verdicts, with the owner's acknowledgement and what the guardian did on the ledger. */
export const verdict = onchainTable("verdict", (t) => ({
  id: t.bigint().primaryKey(),
  subject: t.hex().notNull(),
  analyzer: t.hex().notNull(),
  level: t.text().notNull(),
  action: t.text().notNull(),
  threatType: t.hex().notNull(),
  confidence: t.integer().notNull(),
  summary: t.text().notNull(),
  timestamp: t.bigint().notNull(),
  txHash: t.hex().notNull(),
  attestedBy: t.hex().notNull(),
  acknowledged: t.boolean().notNull(),
  /** `paused` or `froze:<accountId>` entries, in order. */
  enforcement: t.text().array().notNull(),
}));

/** The owner's acknowledgements of verdicts. */
export const acknowledgement = onchainTable("acknowledgement", (t) => ({
  verdictId: t.bigint().primaryKey(),
  by: t.hex().notNull(),
  note: t.text().notNull(),
  timestamp: t.bigint().notNull(),
  txHash: t.hex().notNull(),
}));

/** The owner's labels for addresses (SovrDirectory); a removed label is no row. */
export const label = onchainTable("label", (t) => ({
  subject: t.hex().primaryKey(),
  label: t.text().notNull(),
  updatedAt: t.bigint().notNull(),
  txHash: t.hex().notNull(),
}));

/** The owner's maintenance windows (SovrMaintenance); `lib/maintenance.ts` works out their occurrences. */
export const maintenanceWindow = onchainTable(
  "maintenance_window",
  (t) => ({
    id: t.bigint().primaryKey(),
    /** 0: every component. */
    componentId: t.integer().notNull(),
    /** `ONCE`, `EVERY` or `CRON`. */
    schedule: t.text().notNull(),
    startsAt: t.bigint().notNull(),
    /** ONCE: the end; EVERY and CRON: no occurrence starts at or after it (0: never). */
    endsAt: t.bigint().notNull(),
    duration: t.integer().notNull(),
    period: t.integer().notNull(),
    cron: t.text().notNull(),
    note: t.text().notNull(),
    scheduledAt: t.bigint().notNull(),
    cancelledAt: t.bigint(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ componentIndex: index().on(table.componentId) }),
);

/**
 * Invoices (SovrInvoices) as issued, with what payments brought in. `status` is the contract's name
 * (`Open`, `PartiallyPaid`, `Paid`, `Cancelled`); overdue is derived from `dueAt` and the time.
 */
export const invoice = onchainTable(
  "invoice",
  (t) => ({
    id: t.bigint().primaryKey(),
    payeeAccountId: t.bigint().notNull(),
    /** The payee account's owner. */
    payee: t.hex().notNull(),
    /** Who issued it: the payee, or an operator the payee approved. */
    issuer: t.hex().notNull(),
    /** Who is asked to pay; null when anyone is. */
    payer: t.hex(),
    amount: t.bigint().notNull(),
    paid: t.bigint().notNull(),
    /** Last second at which it is on time (Unix); 0 without a due date. */
    dueAt: t.bigint().notNull(),
    allowsPartial: t.boolean().notNull(),
    reference: t.text().notNull(),
    /** `[{ description, quantity, unitPrice }]`, quantities in thousandths, prices in micro-dollars (decimal strings). */
    items: t.json().notNull(),
    status: t.text().notNull(),
    paymentCount: t.integer().notNull(),
    createdAt: t.bigint().notNull(),
    createdBlock: t.bigint().notNull(),
    txHash: t.hex().notNull(),
    /** When the last payment arrived. */
    lastPaidAt: t.bigint(),
    cancelledAt: t.bigint(),
  }),
  (table) => ({ statusIndex: index().on(table.status), payerIndex: index().on(table.payer), payeeIndex: index().on(table.payee) }),
);

/** Every payment of an invoice, with the ledger transfer that carried it. */
export const invoicePayment = onchainTable(
  "invoice_payment",
  (t) => ({
    id: t.text().primaryKey(),
    invoiceId: t.bigint().notNull(),
    payer: t.hex().notNull(),
    paymentId: t.bigint().notNull(),
    transferId: t.bigint().notNull(),
    amount: t.bigint().notNull(),
    paidTotal: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ invoiceIndex: index().on(table.invoiceId), payerIndex: index().on(table.payer) }),
);

/**
 * Standing orders (SovrOrders), subscriptions included. `status`: `Active`, `Cancelled`, or `Completed` once every
 * authorized period is settled (charged or missed). `settledThrough` is the first period not settled; `open` holds
 * what the chain said of the periods from there (`[{ period, status, retryAt }]`: charged out of order, failing,
 * missed), so that `nextChargeAt` (when a charge is next needed: a due time or a retry) is derived without a query.
 */
export const standingOrder = onchainTable(
  "standing_order",
  (t) => ({
    id: t.bigint().primaryKey(),
    payer: t.hex().notNull(),
    payerAccountId: t.bigint().notNull(),
    payeeAccountId: t.bigint().notNull(),
    /** The payee account's owner. */
    payee: t.hex().notNull(),
    amount: t.bigint().notNull(),
    maxAmount: t.bigint().notNull(),
    startAt: t.bigint().notNull(),
    every: t.integer().notNull(),
    /** `Seconds` or `Months`. */
    unit: t.text().notNull(),
    /** Authorized periods; 4294967295 until cancelled. */
    periods: t.bigint().notNull(),
    retries: t.integer().notNull(),
    retryEvery: t.integer().notNull(),
    /** The plan of a subscription; 0 for other orders. */
    planId: t.integer().notNull(),
    status: t.text().notNull(),
    settledThrough: t.bigint().notNull(),
    open: t.json().notNull(),
    nextChargeAt: t.bigint(),
    chargedCount: t.integer().notNull(),
    chargedTotal: t.bigint().notNull(),
    missedCount: t.integer().notNull(),
    failedAttempts: t.integer().notNull(),
    lastChargedAt: t.bigint(),
    createdAt: t.bigint().notNull(),
    cancelledAt: t.bigint(),
    cancelledBy: t.hex(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({
    payerIndex: index().on(table.payer),
    payeeIndex: index().on(table.payee),
    dueIndex: index().on(table.status, table.nextChargeAt),
  }),
);

/** What happened to a period of an order: `Charged` (with its transfer), `Failing` (next attempt) or `Missed`. */
export const orderPeriod = onchainTable(
  "order_period",
  (t) => ({
    /** `<order id>:<period>`. */
    id: t.text().primaryKey(),
    orderId: t.bigint().notNull(),
    period: t.bigint().notNull(),
    status: t.text().notNull(),
    dueAt: t.bigint().notNull(),
    amount: t.bigint(),
    transferId: t.bigint(),
    chargedAt: t.bigint(),
    attempts: t.integer().notNull(),
    retryAt: t.bigint(),
    /** The ledger's result of the last failed attempt (`ExceedsCredits`, ...). */
    lastResult: t.text(),
    updatedAt: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ orderIndex: index().on(table.orderId) }),
);

/** Subscription plans (SovrOrders), with how many subscriptions to each are active. */
export const plan = onchainTable("plan", (t) => ({
  id: t.integer().primaryKey(),
  payeeAccountId: t.bigint().notNull(),
  payee: t.hex().notNull(),
  price: t.bigint().notNull(),
  every: t.integer().notNull(),
  unit: t.text().notNull(),
  trialDays: t.integer().notNull(),
  name: t.text().notNull(),
  retired: t.boolean().notNull(),
  activeSubscriptions: t.integer().notNull(),
  createdAt: t.bigint().notNull(),
  txHash: t.hex().notNull(),
}));

/**
 * Commitments (SovrCommitments): `Active` while a milestone is reserved, then `Completed` (all approved),
 * `Cancelled` or `Expired` (the deadline released what remained).
 */
export const commitment = onchainTable(
  "commitment",
  (t) => ({
    id: t.bigint().primaryKey(),
    payer: t.hex().notNull(),
    payerAccountId: t.bigint().notNull(),
    payeeAccountId: t.bigint().notNull(),
    payee: t.hex().notNull(),
    /** Who may also approve and cancel; null when nobody. */
    arbiter: t.hex(),
    deadline: t.bigint().notNull(),
    total: t.bigint().notNull(),
    milestoneCount: t.integer().notNull(),
    approvedCount: t.integer().notNull(),
    posted: t.bigint().notNull(),
    released: t.bigint().notNull(),
    status: t.text().notNull(),
    createdAt: t.bigint().notNull(),
    cancelledAt: t.bigint(),
    cancelledBy: t.hex(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ payerIndex: index().on(table.payer), payeeIndex: index().on(table.payee) }),
);

/** A commitment's milestones: `Reserved`, `Approved`, `Voided` or `Expired`, with their pending transfer. */
export const milestone = onchainTable(
  "milestone",
  (t) => ({
    /** `<commitment id>:<index>`. */
    id: t.text().primaryKey(),
    commitmentId: t.bigint().notNull(),
    index: t.integer().notNull(),
    amount: t.bigint().notNull(),
    description: t.text().notNull(),
    status: t.text().notNull(),
    transferId: t.bigint().notNull(),
    approvedBy: t.hex(),
    resolvedAt: t.bigint(),
  }),
  (table) => ({ commitmentIndex: index().on(table.commitmentId) }),
);

/** Every event of every SOVR contract, decoded. */
export const auditEvent = onchainTable(
  "audit_event",
  (t) => ({
    id: t.text().primaryKey(),
    contract: t.text().notNull(),
    event: t.text().notNull(),
    /** The transaction's sender. */
    actor: t.hex().notNull(),
    txHash: t.hex().notNull(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.bigint().notNull(),
    args: t.json().notNull(),
  }),
  (table) => ({ timeIndex: index().on(table.timestamp), actorIndex: index().on(table.actor) }),
);

/** Per UTC day and ledger: transfer volume and count, issuance, and credit outstanding at day's end. */
export const dailyStat = onchainTable("daily_stat", (t) => ({
  id: t.text().primaryKey(),
  /** Start of the day, Unix seconds. */
  day: t.bigint().notNull(),
  ledger: t.integer().notNull(),
  volume: t.bigint().notNull(),
  transferCount: t.integer().notNull(),
  issued: t.bigint().notNull(),
  redeemed: t.bigint().notNull(),
  outstanding: t.bigint().notNull(),
  creditUsed: t.bigint().notNull(),
}));

// ---------------------------------------------------------------- views for live clients (see top)

export const accountView = onchainView("account_view").as((qb) => qb.select().from(account));
export const transferView = onchainView("transfer_view").as((qb) => qb.select().from(transfer));
export const transferRejectionView = onchainView("transfer_rejection_view").as((qb) => qb.select().from(transferRejection));
export const pendingTransferView = onchainView("pending_transfer_view").as((qb) => qb.select().from(pendingTransfer));
export const creditLineView = onchainView("credit_line_view").as((qb) => qb.select().from(creditLine));
export const issuanceView = onchainView("issuance_view").as((qb) => qb.select().from(issuance));
export const systemStateView = onchainView("system_state_view").as((qb) => qb.select().from(systemState));
export const operatorView = onchainView("operator_view").as((qb) => qb.select().from(operator));
export const componentView = onchainView("component_view").as((qb) => qb.select().from(component));
export const controlIntentView = onchainView("control_intent_view").as((qb) => qb.select().from(controlIntent));
export const healthChangeView = onchainView("health_change_view").as((qb) => qb.select().from(healthChange));
export const signalView = onchainView("signal_view").as((qb) => qb.select().from(signal));
export const verdictView = onchainView("verdict_view").as((qb) => qb.select().from(verdict));
export const acknowledgementView = onchainView("acknowledgement_view").as((qb) => qb.select().from(acknowledgement));
export const auditEventView = onchainView("audit_event_view").as((qb) => qb.select().from(auditEvent));
export const dailyStatView = onchainView("daily_stat_view").as((qb) => qb.select().from(dailyStat));
export const labelView = onchainView("label_view").as((qb) => qb.select().from(label));
export const maintenanceWindowView = onchainView("maintenance_window_view").as((qb) => qb.select().from(maintenanceWindow));
export const invoiceView = onchainView("invoice_view").as((qb) => qb.select().from(invoice));
export const invoicePaymentView = onchainView("invoice_payment_view").as((qb) => qb.select().from(invoicePayment));
export const standingOrderView = onchainView("standing_order_view").as((qb) => qb.select().from(standingOrder));
export const orderPeriodView = onchainView("order_period_view").as((qb) => qb.select().from(orderPeriod));
export const planView = onchainView("plan_view").as((qb) => qb.select().from(plan));
export const commitmentView = onchainView("commitment_view").as((qb) => qb.select().from(commitment));
export const milestoneView = onchainView("milestone_view").as((qb) => qb.select().from(milestone));

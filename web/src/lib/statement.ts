/**
 * A statement of account between the payee (the viewer) and one counterparty, derived from the ledger and
 * the invoices: what the counterparty owed at the start of a period, every invoice, payment and
 * write-off in it, and what it owed at the end. Positive balances are owed to the payee.
 */
import { sovrCodes } from "@sovr/contracts";
import type { Address } from "viem";

export type StatementInvoice = {
  id: bigint;
  payer: string | null;
  amount: bigint;
  paid: bigint;
  reference: string;
  status: string;
  createdAt: bigint;
  cancelledAt: bigint | null;
};
export type StatementPayment = { invoiceId: bigint; payer: string; amount: bigint; timestamp: bigint; transferId: bigint };
export type StatementTransfer = {
  id: bigint;
  debitAccountId: bigint;
  creditAccountId: bigint;
  amount: bigint;
  code: number;
  kind: string;
  timestamp: bigint;
};

export type StatementRow = {
  timestamp: bigint;
  kind: "invoice" | "payment" | "write-off" | "direct payment" | "payment to them";
  description: string;
  invoiceId: bigint | undefined;
  /** What the row adds to what the counterparty owes (invoices, payments to them). */
  charge: bigint;
  /** What the row takes off it (payments, write-offs). */
  credit: bigint;
  balance: bigint;
};

export type Statement = { from: bigint; to: bigint; opening: bigint; rows: StatementRow[]; closing: bigint };

/** The transfers that pay without an invoice of their own, by code: how a statement names them each way. */
const DIRECT_PAYMENTS: Record<number, { received: string; sent: string }> = {
  [sovrCodes.TRANSFER_PAYMENT]: { received: "Payment without an invoice", sent: "Payment to them" },
  [sovrCodes.TRANSFER_STANDING_ORDER]: { received: "Standing order charge", sent: "Standing order charge paid to them" },
  [sovrCodes.TRANSFER_COMMITMENT]: { received: "Milestone paid", sent: "Milestone paid to them" },
};

/**
 * The counterparty's invoices are those that name it as payer, and those that name nobody but that it
 * paid. Payments count whoever made them (a client's accountant may pay its invoice). Direct ledger
 * payments between the two sides' accounts count too: plain payments (code PAYMENT, such as ERC-20 view
 * transfers: an invoice paid by a plain token transfer still shows as paid here), standing orders' charges and
 * commitments' milestones paid. A subscription's charge is its invoice's payment, counted once, as that.
 */
export function buildStatement(input: {
  counterparty: Address;
  counterpartyAccounts: bigint[];
  payeeAccounts: bigint[];
  invoices: StatementInvoice[];
  payments: StatementPayment[];
  transfers: StatementTransfer[];
  from: bigint;
  to: bigint;
}): Statement {
  const who = input.counterparty.toLowerCase();
  const paidByThem = new Set(input.payments.filter((p) => p.payer.toLowerCase() === who).map((p) => p.invoiceId));
  const theirs = input.invoices.filter((i) => i.payer?.toLowerCase() === who || (i.payer === null && paidByThem.has(i.id)));
  const theirIds = new Set(theirs.map((i) => i.id));
  const rows: Omit<StatementRow, "balance">[] = [];
  for (const invoice of theirs) {
    const reference = invoice.reference ? ` (${invoice.reference})` : "";
    rows.push({
      timestamp: invoice.createdAt,
      kind: "invoice",
      description: `Invoice #${invoice.id}${reference}`,
      invoiceId: invoice.id,
      charge: invoice.amount,
      credit: 0n,
    });
    if (invoice.status === "Cancelled" && invoice.cancelledAt !== null && invoice.amount > invoice.paid) {
      rows.push({
        timestamp: invoice.cancelledAt,
        kind: "write-off",
        description: `Invoice #${invoice.id} cancelled: the rest is no longer owed`,
        invoiceId: invoice.id,
        charge: 0n,
        credit: invoice.amount - invoice.paid,
      });
    }
  }
  for (const payment of input.payments) {
    if (!theirIds.has(payment.invoiceId)) continue;
    const by = payment.payer.toLowerCase() === who ? "" : ` by ${payment.payer}`;
    rows.push({
      timestamp: payment.timestamp,
      kind: "payment",
      description: `Payment of invoice #${payment.invoiceId}${by} (transfer ${payment.transferId})`,
      invoiceId: payment.invoiceId,
      charge: 0n,
      credit: payment.amount,
    });
  }
  const theirAccounts = new Set(input.counterpartyAccounts);
  const ourAccounts = new Set(input.payeeAccounts);
  const invoicePayments = new Set(input.payments.map((payment) => payment.transferId));
  for (const transfer of input.transfers) {
    // Payments and posted holds move money; pending reservations and voids do not.
    const what = DIRECT_PAYMENTS[transfer.code];
    if (!what || (transfer.kind !== "single" && transfer.kind !== "post") || invoicePayments.has(transfer.id)) continue;
    if (theirAccounts.has(transfer.debitAccountId) && ourAccounts.has(transfer.creditAccountId)) {
      rows.push({
        timestamp: transfer.timestamp,
        kind: "direct payment",
        description: `${what.received} (transfer ${transfer.id})`,
        invoiceId: undefined,
        charge: 0n,
        credit: transfer.amount,
      });
    } else if (ourAccounts.has(transfer.debitAccountId) && theirAccounts.has(transfer.creditAccountId)) {
      rows.push({
        timestamp: transfer.timestamp,
        kind: "payment to them",
        description: `${what.sent} (transfer ${transfer.id})`,
        invoiceId: undefined,
        charge: transfer.amount,
        credit: 0n,
      });
    }
  }
  rows.sort((a, b) => (a.timestamp === b.timestamp ? 0 : a.timestamp < b.timestamp ? -1 : 1));
  let balance = 0n;
  let opening = 0n;
  const inRange: StatementRow[] = [];
  for (const row of rows) {
    if (row.timestamp > input.to) break;
    balance += row.charge - row.credit;
    if (row.timestamp < input.from) opening = balance;
    else inRange.push({ ...row, balance });
  }
  return { from: input.from, to: input.to, opening, rows: inRange, closing: balance };
}

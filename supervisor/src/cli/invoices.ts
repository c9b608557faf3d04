/** `invoice create|list|show|cancel|pay`: invoices paid on the ledger (SovrInvoices), and their pay pages. */
import {
  formatDollars,
  formatDueDate,
  formatQuantity,
  INVOICE_LIMITS,
  type InvoiceStatus,
  invoiceStatuses,
  isOverdue,
  itemsTotal,
  type LineItem,
  lineTotal,
  newPaymentId,
  parseDueDate,
  parseItemDescription,
  parseQuantity,
  parseReference,
  payPath,
  sovrInvoicesAbi,
  sovrLedgerAbi,
} from "@sovr/contracts";
import { fields } from "@sovr/indexer/client";
import { getAddress, parseEventLogs, zeroAddress } from "viem";
import { z } from "zod";
import { parseAddress, parseChoice, parseDollars, parseId, UsageError } from "./args.ts";
import { chainClient, openSigning, type SigningSession, send } from "./chain.ts";
import { indexerOf } from "./indexer.ts";
import { indexedNotes, isoTime, noMoreArguments, refuseFlags, subverb, table, type Verb } from "./verb.ts";

const ACTIONS = ["create", "list", "show", "cancel", "pay"] as const;

const indexedInvoice = z.object({
  id: fields.bigint,
  payeeAccountId: fields.bigint,
  payee: fields.hex,
  payer: fields.hex.nullable(),
  amount: fields.bigint,
  paid: fields.bigint,
  dueAt: fields.bigint,
  allowsPartial: z.boolean(),
  reference: z.string(),
  items: z.array(z.object({ description: z.string(), quantity: fields.bigint, unitPrice: fields.bigint })),
  status: z.enum(invoiceStatuses),
  createdAt: fields.bigint,
});
type IndexedInvoice = z.infer<typeof indexedInvoice>;
const INVOICE_FIELDS = "id payeeAccountId payee payer amount paid dueAt allowsPartial reference items status createdAt";

const indexedPayment = z.object({
  payer: fields.hex,
  amount: fields.bigint,
  transferId: fields.bigint,
  timestamp: fields.bigint,
  txHash: fields.hex,
});

/**
 * The command center's address as a payer reaches it: `SOVR_WEB_URL`, or the local web app on
 * `SOVR_WEB_PORT` (5173). Pay links are printed under it.
 */
export function webUrlOf(env: NodeJS.ProcessEnv): string {
  return (env.SOVR_WEB_URL || `http://127.0.0.1:${env.SOVR_WEB_PORT || 5173}`).replace(/\/+$/, "");
}

/** One `--item "<description>|<quantity>|<unit price in dollars>"`. */
function parseItem(text: string, index: number): LineItem {
  const flag = `--item ${index + 1}`;
  const parts = text.split("|");
  if (parts.length !== 3) throw new UsageError(`${flag}: write it as "description|quantity|unit price", e.g. "Design, hours|7.5|80.00"`);
  const description = parseItemDescription(parts[0]!);
  if (!description.ok) throw new UsageError(`${flag}: ${description.error}`);
  const quantity = parseQuantity(parts[1]!);
  if (!quantity.ok) throw new UsageError(`${flag}: ${quantity.error}`);
  return { description: description.value, quantity: quantity.value, unitPrice: parseDollars(parts[2], `${flag} unit price`) };
}

/** What the invoice still asks for. */
const remainingOf = (invoice: { amount: bigint; paid: bigint }) => invoice.amount - invoice.paid;

/** An indexed invoice for `--json` and for people, with `overdue` as of `now` (the chain's time). */
function describe(invoice: IndexedInvoice, now: number, chainId: number, env: NodeJS.ProcessEnv) {
  return {
    id: invoice.id.toString(),
    status: invoice.status,
    overdue: isOverdue(invoice, now),
    amount: formatDollars(invoice.amount),
    paid: formatDollars(invoice.paid),
    remaining: formatDollars(invoice.status === "Cancelled" ? 0n : remainingOf(invoice)),
    payee: getAddress(invoice.payee),
    payeeAccountId: invoice.payeeAccountId.toString(),
    payer: invoice.payer ? getAddress(invoice.payer) : null,
    dueDate: formatDueDate(invoice.dueAt) || null,
    allowsPartial: invoice.allowsPartial,
    reference: invoice.reference,
    items: invoice.items.map((item) => ({
      description: item.description,
      quantity: formatQuantity(item.quantity),
      unitPrice: formatDollars(item.unitPrice),
      total: formatDollars(lineTotal(item)),
    })),
    issuedAt: isoTime(invoice.createdAt),
    payUrl: `${webUrlOf(env)}${payPath(chainId, invoice.id)}`,
  };
}

/** The invoice as the indexer has it, and the time the index has reached (for overdue). */
async function readInvoice(env: NodeJS.ProcessEnv, id: bigint) {
  const indexer = indexerOf(env);
  const [data, status] = await Promise.all([
    indexer.graphql(
      `query ($id: BigInt!, $invoice: BigInt) {
        invoice(id: $id) { ${INVOICE_FIELDS} }
        invoicePayments(where: { invoiceId: $invoice }, orderBy: "timestamp", orderDirection: "asc", limit: 1000) {
          items { payer amount transferId timestamp txHash }
        }
      }`,
      { id: id.toString(), invoice: id.toString() },
      z.object({ invoice: indexedInvoice.nullable(), invoicePayments: z.object({ items: z.array(indexedPayment) }) }),
    ),
    indexer.status(),
  ]);
  if (!data.invoice) throw new UsageError(`there is no invoice ${id}`);
  return { invoice: data.invoice, payments: data.invoicePayments.items, now: status.at };
}

async function create(values: Record<string, unknown>, env: NodeJS.ProcessEnv) {
  const itemTexts = (values.item as string[] | undefined) ?? [];
  if (itemTexts.length > INVOICE_LIMITS.MAX_LINE_ITEMS)
    throw new UsageError(`at most ${INVOICE_LIMITS.MAX_LINE_ITEMS} --item lines, not ${itemTexts.length}`);
  const items = itemTexts.map(parseItem);
  const total = itemsTotal(items);
  const amountText = values.amount as string | undefined;
  if (amountText === undefined && items.length === 0)
    throw new UsageError("--amount is required (dollars with cents, e.g. 12.34), or --item lines");
  const amount = amountText === undefined ? total : parseDollars(amountText, "--amount");
  if (items.length > 0 && amount !== total)
    throw new UsageError(`--amount ${formatDollars(amount)} is not what the --item lines add up to (${formatDollars(total)})`);
  const payer = values.payer === undefined ? zeroAddress : parseAddress(values.payer as string, "--payer");
  const due = parseDueDate((values.due as string | undefined) ?? "");
  if (!due.ok) throw new UsageError(`--due: ${due.error}`);
  const reference = parseReference((values.reference as string | undefined) ?? "");
  if (!reference.ok) throw new UsageError(`--reference: ${reference.error}`);
  const explicitAccount = values.account === undefined ? undefined : parseId(values.account as string, "--account", 128);

  const session = await openSigning(env);
  if (payer === session.signer.address) throw new UsageError("--payer is the signer itself; an invoice is paid by someone else");
  const ledger = { address: session.deployment.ledger, abi: sovrLedgerAbi } as const;
  const notes: string[] = [];
  let payeeAccountId = explicitAccount;
  if (payeeAccountId === undefined) {
    // The signer's primary account: opened now when it has none, so the invoice has somewhere to be paid.
    payeeAccountId = await session.client.readContract({ ...ledger, functionName: "primaryAccountId", args: [session.signer.address] });
    const owner = await session.client.readContract({ ...ledger, functionName: "accountOwner", args: [payeeAccountId] });
    if (owner === zeroAddress) {
      await send(session, "opening your account", { ...ledger, functionName: "openPrimaryAccount", args: [session.signer.address] });
      notes.push(`opened your primary account ${payeeAccountId} to be paid into`);
    }
  }
  const { receipt } = await send(session, "invoice", {
    address: session.deployment.invoices,
    abi: sovrInvoicesAbi,
    functionName: "createInvoice",
    args: [payeeAccountId, amount, payer, due.value, values.partial === true, reference.value, items],
  });
  const issued = parseEventLogs({ abi: sovrInvoicesAbi, logs: receipt.logs, eventName: "InvoiceIssued" })[0];
  if (!issued) throw new Error(`transaction ${receipt.transactionHash} issued no invoice`);
  notes.push(...(await indexedNotes(env, receipt)));
  const id = issued.args.id;
  const payUrl = `${webUrlOf(env)}${payPath(session.chainId, id)}`;
  const data = {
    id: id.toString(),
    payUrl,
    amount: formatDollars(amount),
    payeeAccountId: payeeAccountId.toString(),
    payer: payer === zeroAddress ? null : payer,
    dueDate: formatDueDate(due.value) || null,
    allowsPartial: values.partial === true,
    reference: reference.value,
    txHash: receipt.transactionHash,
    blockNumber: Number(receipt.blockNumber),
  };
  const to = data.payer ? ` to ${data.payer}` : "";
  const dueText = data.dueDate ? `, due ${data.dueDate}` : "";
  return { data, notes, text: `invoice ${id}: ${data.amount}${to}${dueText}\npay at ${payUrl}` };
}

async function list(values: Record<string, unknown>, env: NodeJS.ProcessEnv) {
  const status =
    values.status === undefined ? undefined : parseChoice(values.status as string, "--status", [...invoiceStatuses, "Overdue"]);
  const payer = values.payer === undefined ? undefined : parseAddress(values.payer as string, "--payer");
  const indexer = indexerOf(env);
  const where: Record<string, unknown> = {};
  if (status && status !== "Overdue") where.status = status;
  if (status === "Overdue") where.status_in = ["Open", "PartiallyPaid"];
  if (payer) where.payer = payer.toLowerCase();
  const [rows, indexStatus, chainId] = await Promise.all([
    indexer.allPages(
      "invoices",
      `query ($after: String, $where: invoiceFilter) {
        invoices(limit: 1000, after: $after, where: $where, orderBy: "id", orderDirection: "desc") {
          items { ${INVOICE_FIELDS} } pageInfo { hasNextPage endCursor } } }`,
      { where },
      indexedInvoice,
    ),
    indexer.status(),
    chainIdOf(env),
  ]);
  const described = rows
    .map((row) => describe(row, indexStatus.at, chainId, env))
    .filter((invoice) => status !== "Overdue" || invoice.overdue);
  if (described.length === 0) return { data: described, text: "no invoices" };
  return {
    data: described,
    text: table(
      ["invoice", "status", "amount", "paid", "due", "payer", "reference"],
      described.map((i) => [
        i.id,
        `${i.status}${i.overdue ? " OVERDUE" : ""}`,
        i.amount,
        i.paid,
        i.dueDate ?? "-",
        i.payer ?? "anyone",
        i.reference,
      ]),
    ),
  };
}

/** The chain id of the chain the CLI talks to, for pay links. */
function chainIdOf(env: NodeJS.ProcessEnv): Promise<number> {
  return chainClient(env).getChainId();
}

async function show(id: bigint, env: NodeJS.ProcessEnv) {
  const [{ invoice, payments, now }, chainId] = await Promise.all([readInvoice(env, id), chainIdOf(env)]);
  const data = {
    ...describe(invoice, now, chainId, env),
    payments: payments.map((p) => ({
      payer: getAddress(p.payer),
      amount: formatDollars(p.amount),
      transferId: p.transferId.toString(),
      at: isoTime(p.timestamp),
      txHash: p.txHash,
    })),
  };
  const lines = [
    `invoice ${data.id}: ${data.status}${data.overdue ? " (OVERDUE)" : ""}, ${data.paid} of ${data.amount} paid`,
    `  payee    ${data.payee} (account ${data.payeeAccountId})`,
    `  payer    ${data.payer ?? "anyone"}`,
    `  due      ${data.dueDate ?? "no due date"}${data.allowsPartial ? "; partial payments accepted" : ""}`,
    ...(data.reference ? [`  ref      ${data.reference}`] : []),
    ...data.items.map((item) => `  item     ${item.description}: ${item.quantity} x ${item.unitPrice} = ${item.total}`),
    ...data.payments.map((p) => `  paid     ${p.amount} by ${p.payer} at ${p.at} (transfer ${p.transferId})`),
    `  pay at   ${data.payUrl}`,
  ];
  return { data, text: lines.join("\n") };
}

async function onChainInvoice(session: SigningSession, id: bigint) {
  try {
    return await session.client.readContract({
      address: session.deployment.invoices,
      abi: sovrInvoicesAbi,
      functionName: "getInvoice",
      args: [id],
    });
  } catch {
    throw new UsageError(`there is no invoice ${id}`);
  }
}

async function cancel(id: bigint, env: NodeJS.ProcessEnv) {
  const session = await openSigning(env);
  await onChainInvoice(session, id);
  const { receipt } = await send(session, "cancel", {
    address: session.deployment.invoices,
    abi: sovrInvoicesAbi,
    functionName: "cancel",
    args: [id],
  });
  const notes = await indexedNotes(env, receipt);
  return {
    data: { id: id.toString(), status: "Cancelled" satisfies InvoiceStatus, txHash: receipt.transactionHash },
    notes,
    text: `invoice ${id} cancelled; what was paid stays paid, the rest is no longer owed`,
  };
}

async function pay(id: bigint, values: Record<string, unknown>, env: NodeJS.ProcessEnv) {
  const explicitAmount = values.amount === undefined ? undefined : parseDollars(values.amount as string, "--amount");
  const paymentId = values["payment-id"] === undefined ? newPaymentId() : parseId(values["payment-id"] as string, "--payment-id", 64);
  const session = await openSigning(env);
  const invoice = await onChainInvoice(session, id);
  const remaining = remainingOf(invoice);
  const amount = explicitAmount ?? remaining;
  // The payer's primary account and what it can spend (its credit line included): a shortfall is said in
  // dollars before anything is sent.
  const ledger = { address: session.deployment.ledger, abi: sovrLedgerAbi } as const;
  const account = await session.client.readContract({ ...ledger, functionName: "primaryAccountId", args: [session.signer.address] });
  const owner = await session.client.readContract({ ...ledger, functionName: "accountOwner", args: [account] });
  const status = invoiceStatuses[invoice.status];
  if (owner === zeroAddress && status !== "Paid" && status !== "Cancelled") {
    throw new Error(
      `pay refused: ${session.signer.address} has no SOVR account yet, so ${formatDollars(amount)} is missing; ` +
        "ask the payee for SOVR or a credit line (or open the pay page to open your account)",
    );
  }
  if (owner !== zeroAddress && amount > 0n && amount <= remaining) {
    const available = await session.client.readContract({ ...ledger, functionName: "availableBalance", args: [account] });
    if (available < amount)
      throw new Error(
        `pay refused: your account can spend ${formatDollars(available)} (credit line included); ${formatDollars(amount - available)} is missing`,
      );
  }
  const { receipt } = await send(session, "pay", {
    address: session.deployment.invoices,
    abi: sovrInvoicesAbi,
    functionName: "pay",
    args: [id, amount, paymentId],
  });
  const paid = parseEventLogs({ abi: sovrInvoicesAbi, logs: receipt.logs, eventName: "InvoicePaymentReceived" })[0];
  if (!paid) throw new Error(`transaction ${receipt.transactionHash} paid nothing`);
  const notes = await indexedNotes(env, receipt);
  const settled = paid.args.paidTotal === invoice.amount;
  const transferId = await session.client.readContract({
    address: session.deployment.invoices,
    abi: sovrInvoicesAbi,
    functionName: "paymentTransferId",
    args: [id, paymentId],
  });
  return {
    data: {
      id: id.toString(),
      amount: formatDollars(amount),
      paidTotal: formatDollars(paid.args.paidTotal),
      status: (settled ? "Paid" : "PartiallyPaid") satisfies InvoiceStatus,
      paymentId: paymentId.toString(),
      transferId: transferId.toString(),
      txHash: receipt.transactionHash,
    },
    notes,
    text: `paid ${formatDollars(amount)} on invoice ${id}: ${settled ? "paid in full" : `${formatDollars(invoice.amount - paid.args.paidTotal)} still open`} (transfer ${transferId})`,
  };
}

export const invoice: Verb = {
  name: "invoice",
  summary: "invoices paid on the ledger with one signature: create (prints the pay link), list, show, cancel, pay",
  help: `usage: pnpm sovr invoice create --amount <dollars> [--payer <address>] [--due YYYY-MM-DD] [--reference <text>]
                                [--partial] [--item "<description>|<quantity>|<unit price>" ...] [--account <id>] [--json]
       pnpm sovr invoice list [--status Open|PartiallyPaid|Paid|Cancelled|Overdue] [--payer <address>] [--json]
       pnpm sovr invoice show <id> [--json]
       pnpm sovr invoice cancel <id> [--json]
       pnpm sovr invoice pay <id> [--amount <dollars>] [--payment-id <n>] [--json]

create   bills someone, to be paid into your primary account (opened if you have none) or --account
  --amount <dollars>   what the invoice asks for; with --item lines it may be left out (their sum)
  --payer <address>    who is asked to pay (default: anyone); others may still pay it
  --due YYYY-MM-DD     due by the end of that UTC day; after it the invoice is overdue
  --reference <text>   your reference, up to ${INVOICE_LIMITS.MAX_REFERENCE_LENGTH} bytes, e.g. INV-2026-014
  --partial            accept payments of part of the amount
  --item "d|q|p"       a line: description (up to ${INVOICE_LIMITS.MAX_DESCRIPTION_LENGTH} bytes), quantity (3 decimals), unit price
list     invoices, newest first (overdue ones marked)
show     one invoice with its lines and payments; --json gives status and overdue
cancel   cancels an open or partly paid invoice (what was paid stays paid)
pay      pays from your primary account (its credit line counts): the rest, or --amount of a --partial invoice
  --payment-id <n>     the payment's id (default: new); sending the same id again never charges twice

Pay links use SOVR_WEB_URL (default http://127.0.0.1:$SOVR_WEB_PORT, port 5173).`,
  options: {
    amount: { type: "string" },
    payer: { type: "string" },
    due: { type: "string" },
    reference: { type: "string" },
    partial: { type: "boolean" },
    item: { type: "string", multiple: true },
    account: { type: "string" },
    status: { type: "string" },
    "payment-id": { type: "string" },
  },
  async run({ positionals, values, env }) {
    const action = subverb("invoice", positionals, ACTIONS);
    const only = (allowed: string[]) =>
      refuseFlags(
        `invoice ${action}`,
        values,
        ["amount", "payer", "due", "reference", "partial", "item", "account", "status", "payment-id"].filter(
          (name) => !allowed.includes(name),
        ),
      );
    if (action === "create") {
      noMoreArguments("invoice create", positionals, 1);
      only(["amount", "payer", "due", "reference", "partial", "item", "account"]);
      return create(values, env);
    }
    if (action === "list") {
      noMoreArguments("invoice list", positionals, 1);
      only(["status", "payer"]);
      return list(values, env);
    }
    const id = parseId(positionals[1], "invoice id", 64);
    noMoreArguments(`invoice ${action}`, positionals, 2);
    if (action === "show") {
      only([]);
      return show(id, env);
    }
    if (action === "cancel") {
      only([]);
      return cancel(id, env);
    }
    only(["amount", "payment-id"]);
    return pay(id, values, env);
  },
};

/**
 * Billing: the viewer's invoices. Issue one (form or CSV), list and filter them by status and counterparty
 * with overdue ones highlighted, cancel, share a pay page (link and QR code), and a statement per
 * counterparty over a date range as CSV or PDF.
 */
import { and, eq, inArray, or } from "@ponder/client";
import {
  capitalized,
  formatDollars,
  formatDueDate,
  isOverdue,
  itemsTotal,
  type LineItem,
  lineTotal,
  parseAccountRef,
  parseDollars,
  parseDueDate,
  parseItemDescription,
  parseQuantity,
  parseReference,
  payPath,
  plainDollars,
  primaryAccountId,
  shortAccountId,
  sovrCodes,
  sovrInvoicesAbi,
  sovrLedgerAbi,
} from "@sovr/contracts";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { type Address, zeroAddress } from "viem";
import { InvoiceQr } from "../components/InvoiceQr.tsx";
import { Name, useNames } from "../components/Name.tsx";
import { Badge, Button, Card, Confirm, dateTime, Empty, Field, inputClass, WriteStatus } from "../components/ui.tsx";
import { type AccountRow, useMyAccounts, useViewer } from "../lib/accounts.ts";
import { useApp } from "../lib/context.tsx";
import { type BatchError, type InvoiceCsvRow, parseInvoiceCsv, toCsv } from "../lib/csv.ts";
import { type InvoiceRow, itemsOf, payUrl, STATUS_TEXT, STATUS_TONE, useNow } from "../lib/invoices.ts";
import { navigate, useLocation } from "../lib/router.ts";
import { buildStatement, type Statement } from "../lib/statement.ts";
import { type ContractCall, useWrite } from "../lib/write.ts";
import { useLive } from "../live/live.ts";
import { accountView, invoicePaymentView, invoiceView, transferView } from "../live/schema.ts";

const SECONDS_PER_DAY = 86_400;
const day = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString().slice(0, 10);

export default function BillingPage() {
  const { live } = useApp();
  const { address, connected } = useViewer();
  const { search } = useLocation();
  const payee = address.toLowerCase() as Address;
  const invoices = useLive(live, `invoices:${payee}`, (db) =>
    db.select().from(invoiceView).where(eq(invoiceView.payee, payee)).orderBy(invoiceView.id),
  );
  // One subscription each for the whole page: every live query holds one of the browser's six connections.
  const accounts = useMyAccounts();
  const rows = [...(invoices.data ?? [])].reverse();
  return (
    <div className="flex flex-col gap-6">
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        {/* A new draft while the page is open fills the form afresh. */}
        <CreateInvoice key={search.toString()} connected={connected} accounts={accounts.data} />
        <CsvImport connected={connected} accounts={accounts.data} />
      </div>
      <InvoiceList rows={rows} loading={!invoices.data} />
      <StatementCard invoices={rows} accounts={accounts.data} />
    </div>
  );
}

// ================================================================ issuing

/** The calls that issue invoices into the viewer's chosen account, opening its primary account first when it has none. */
function useIssue(accounts: AccountRow[] | undefined) {
  const { config } = useApp();
  const { address } = useViewer();
  const sovrAccounts = (accounts ?? []).filter((account) => account.ledger === sovrCodes.LEDGER_USD);
  const primary = primaryAccountId(address);
  const calls = (
    payeeAccountId: bigint,
    invoices: { payer: Address | undefined; amount: bigint; dueAt: number; allowsPartial: boolean; reference: string; items: LineItem[] }[],
  ): ContractCall[] => [
    ...(sovrAccounts.some((account) => account.id === payeeAccountId)
      ? []
      : [{ address: config.contracts.ledger, abi: sovrLedgerAbi, functionName: "openPrimaryAccount", args: [address] }]),
    ...invoices.map((invoice) => ({
      address: config.contracts.invoices,
      abi: sovrInvoicesAbi,
      functionName: "createInvoice",
      args: [
        payeeAccountId,
        invoice.amount,
        invoice.payer ?? zeroAddress,
        invoice.dueAt,
        invoice.allowsPartial,
        invoice.reference,
        invoice.items,
      ],
    })),
  ];
  const choices = sovrAccounts.length > 0 ? sovrAccounts.map((account) => account.id) : [primary];
  return { choices, calls, ready: accounts !== undefined };
}

/** The form's anchor: an invoice draft's link ends in it. */
const NEW_INVOICE = "new-invoice";

type ItemDraft = { description: string; quantity: string; unitPrice: string };
const EMPTY_ITEM: ItemDraft = { description: "", quantity: "1", unitPrice: "" };

function CreateInvoice({ connected, accounts }: { connected: boolean; accounts: AccountRow[] | undefined }) {
  const { address } = useViewer();
  const issue = useIssue(accounts);
  const write = useWrite();
  // A draft (the assistant's, /billing?payer=&amount=&reference=&due=&caution=#new-invoice) fills the form; the
  // owner reviews, issues and signs.
  const { search } = useLocation();
  const drafted = search.has("payer") || search.has("amount");
  const caution = search.get("caution");
  const [account, setAccount] = useState<string>();
  const [payer, setPayer] = useState(search.get("payer") ?? "");
  const [amount, setAmount] = useState(search.get("amount") ?? "");
  const [due, setDue] = useState(search.get("due") ?? "");
  const [reference, setReference] = useState(search.get("reference") ?? "");
  const [partial, setPartial] = useState(false);
  const [items, setItems] = useState<ItemDraft[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  // The app navigates without the browser, which would otherwise scroll to the link's #new-invoice.
  useEffect(() => {
    if (drafted) document.getElementById(NEW_INVOICE)?.scrollIntoView({ block: "start" });
  }, [drafted]);

  const parsedItems = items.map((item) => ({
    description: parseItemDescription(item.description),
    quantity: parseQuantity(item.quantity),
    unitPrice: parseDollars(item.unitPrice),
  }));
  const itemsSum = parsedItems.every((item) => item.quantity.ok && item.unitPrice.ok)
    ? itemsTotal(
        parsedItems.map((item) => ({
          quantity: item.quantity.ok ? item.quantity.value : 0n,
          unitPrice: item.unitPrice.ok ? item.unitPrice.value : 0n,
        })),
      )
    : undefined;

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const next: Record<string, string> = {};
    const payerRef = payer.trim() === "" ? undefined : parseAccountRef(payer);
    if (payerRef && !payerRef.ok) next.payer = payerRef.error;
    else if (payerRef?.ok && payerRef.value.kind !== "address") next.payer = "the payer is an address (0x…), not an account id";
    else if (payerRef?.ok && payerRef.value.kind === "address" && payerRef.value.address.toLowerCase() === address.toLowerCase())
      next.payer = "that is you; an invoice is paid by someone else";
    const parsedAmount = items.length > 0 && amount.trim() === "" ? undefined : parseDollars(amount);
    if (parsedAmount && !parsedAmount.ok) next.amount = parsedAmount.error;
    const parsedDue = parseDueDate(due);
    if (!parsedDue.ok) next.due = parsedDue.error;
    const parsedReference = parseReference(reference);
    if (!parsedReference.ok) next.reference = parsedReference.error;
    parsedItems.forEach((item, index) => {
      const problem = [item.description, item.quantity, item.unitPrice].find((parsed) => !parsed.ok);
      if (problem && !problem.ok) next[`item${index}`] = problem.error;
    });
    if (items.length > 0 && itemsSum !== undefined && parsedAmount?.ok && parsedAmount.value !== itemsSum)
      next.amount = `the lines add up to ${formatDollars(itemsSum)}; leave the amount empty or make them agree`;
    if (items.length === 0 && amount.trim() === "") next.amount = "enter an amount in dollars, e.g. 12.50, or add lines";
    setErrors(next);
    if (Object.keys(next).length > 0 || !parsedDue.ok || !parsedReference.ok) return;
    const lineItems: LineItem[] = parsedItems.map((item) => ({
      description: item.description.ok ? item.description.value : "",
      quantity: item.quantity.ok ? item.quantity.value : 0n,
      unitPrice: item.unitPrice.ok ? item.unitPrice.value : 0n,
    }));
    const total = parsedAmount?.ok ? parsedAmount.value : itemsTotal(lineItems);
    const payeeAccountId = BigInt(account ?? issue.choices[0]!.toString());
    const invoice = {
      payer: payerRef?.ok && payerRef.value.kind === "address" ? payerRef.value.address : undefined,
      amount: total,
      dueAt: parsedDue.value,
      allowsPartial: partial,
      reference: parsedReference.value,
      items: lineItems,
    };
    void write.run(`Issuing an invoice for ${formatDollars(total)}`, issue.calls(payeeAccountId, [invoice])).then((hash) => {
      if (!hash) return;
      setPayer("");
      setAmount("");
      setDue("");
      setReference("");
      setPartial(false);
      setItems([]);
    });
  };

  return (
    <Card title="New invoice" testId="create-invoice" id={NEW_INVOICE}>
      {drafted && (
        <div className="mb-2 rounded border border-amber-700 bg-amber-950/40 p-2 text-xs text-amber-200" data-testid="drafted">
          <p>
            Drafted by the assistant: check the payer, the amount, the reference and the due date. Nothing is sent until you issue it and
            sign in your wallet.
          </p>
          {caution && <p className="mt-1 text-amber-300">Caution: {caution}</p>}
        </div>
      )}
      <form className="flex flex-col gap-3" onSubmit={submit} noValidate>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          <Field label="Payer (address; empty: anyone with the link)" error={errors.payer}>
            <input
              className={inputClass}
              value={payer}
              onChange={(e) => setPayer(e.target.value)}
              placeholder="0x…"
              data-testid="invoice-payer"
            />
          </Field>
          <Field label="Amount (dollars)" error={errors.amount} hint={items.length > 0 ? "Empty: the sum of the lines" : undefined}>
            <input
              className={inputClass}
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              placeholder={itemsSum !== undefined && items.length > 0 ? formatDollars(itemsSum).slice(1) : "120.00"}
              data-testid="invoice-amount"
            />
          </Field>
          <Field label="Due date (UTC day, optional)" error={errors.due}>
            <input
              className={inputClass}
              value={due}
              onChange={(e) => setDue(e.target.value)}
              placeholder="YYYY-MM-DD"
              data-testid="invoice-due"
            />
          </Field>
          <Field label="Reference" error={errors.reference}>
            <input
              className={inputClass}
              value={reference}
              onChange={(e) => setReference(e.target.value)}
              placeholder="INV-2026-014"
              data-testid="invoice-reference"
            />
          </Field>
          <Field label="Paid into">
            <select className={inputClass} value={account ?? issue.choices[0]?.toString()} onChange={(e) => setAccount(e.target.value)}>
              {issue.choices.map((id) => (
                <option key={id.toString()} value={id.toString()}>
                  {shortAccountId(id)}
                  {id === primaryAccountId(address) ? " (your primary account)" : ""}
                </option>
              ))}
            </select>
          </Field>
          <label className="flex items-center gap-2 self-end text-sm text-gray-300">
            <input type="checkbox" checked={partial} onChange={(e) => setPartial(e.target.checked)} data-testid="invoice-partial" />
            Accept partial payments
          </label>
        </div>
        {items.map((item, index) => (
          // Draft lines have no id; their position is what the form edits.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <div key={index} className="grid grid-cols-[1fr_5rem_7rem_auto] items-start gap-2" data-testid={`invoice-item-${index}`}>
            <Field label={index === 0 ? "Line" : ""} error={errors[`item${index}`]}>
              <input
                className={inputClass}
                value={item.description}
                placeholder="Design, hours"
                onChange={(e) => setItems(items.map((it, i) => (i === index ? { ...it, description: e.target.value } : it)))}
              />
            </Field>
            <Field label={index === 0 ? "Qty" : ""}>
              <input
                className={inputClass}
                inputMode="decimal"
                value={item.quantity}
                onChange={(e) => setItems(items.map((it, i) => (i === index ? { ...it, quantity: e.target.value } : it)))}
              />
            </Field>
            <Field label={index === 0 ? "Unit price" : ""}>
              <input
                className={inputClass}
                inputMode="decimal"
                value={item.unitPrice}
                placeholder="80.00"
                onChange={(e) => setItems(items.map((it, i) => (i === index ? { ...it, unitPrice: e.target.value } : it)))}
              />
            </Field>
            <div className={index === 0 ? "pt-6" : ""}>
              <Button small onClick={() => setItems(items.filter((_, i) => i !== index))}>
                Remove
              </Button>
            </div>
          </div>
        ))}
        <div className="flex items-center gap-2">
          <Button small onClick={() => setItems([...items, EMPTY_ITEM])} testId="add-item">
            Add a line
          </Button>
          {items.length > 0 && itemsSum !== undefined && <span className="text-sm text-gray-400">Lines: {formatDollars(itemsSum)}</span>}
        </div>
        <div>
          <Button kind="primary" type="submit" disabled={!connected || write.busy || !issue.ready} testId="issue-invoice">
            Issue invoice
          </Button>
          {!connected && <span className="ml-2 text-xs text-gray-400">Connect your wallet to sign.</span>}
        </div>
        <WriteStatus state={write.state} testId="create-invoice-status" />
      </form>
    </Card>
  );
}

function CsvImport({ connected, accounts }: { connected: boolean; accounts: AccountRow[] | undefined }) {
  const issue = useIssue(accounts);
  const write = useWrite();
  const [parsed, setParsed] = useState<{ rows: InvoiceCsvRow[]; errors: BatchError[] }>();
  const load = async (file: File | undefined) => {
    write.reset();
    setParsed(file ? parseInvoiceCsv(await file.text()) : undefined);
  };
  const send = () => {
    if (!parsed || parsed.errors.length > 0) return;
    const payeeAccountId = issue.choices[0]!;
    void write.run(
      `Issuing ${parsed.rows.length} invoice${parsed.rows.length === 1 ? "" : "s"}`,
      issue.calls(
        payeeAccountId,
        parsed.rows.map((row) => ({ ...row, items: [] })),
      ),
    );
  };
  return (
    <Card title="Invoices from a CSV file" testId="invoice-csv">
      <p className="mb-2 text-sm text-gray-400">
        Columns <code>payer,amount,due,reference,partial</code>: payer an address or empty (anyone), amount in dollars, due YYYY-MM-DD or
        empty, partial yes or no. Each invoice is one signature; a file with any bad line sends nothing.
      </p>
      <input
        type="file"
        accept=".csv,text/csv"
        className="text-sm text-gray-300"
        data-testid="invoice-csv-file"
        onChange={(event) => void load(event.target.files?.[0])}
      />
      {parsed && parsed.errors.length > 0 && (
        <ul className="mt-2 text-xs text-red-400" role="alert" data-testid="invoice-csv-errors">
          {parsed.errors.map((error) => (
            <li key={`${error.line}-${error.error}`}>
              {error.line > 0 ? `Line ${error.line}: ` : ""}
              {error.error}
            </li>
          ))}
        </ul>
      )}
      {parsed && parsed.errors.length === 0 && (
        <div className="mt-2 flex flex-col gap-2 text-sm">
          <p data-testid="invoice-csv-ready">
            {parsed.rows.length} invoice{parsed.rows.length === 1 ? "" : "s"},{" "}
            {formatDollars(parsed.rows.reduce((sum, row) => sum + row.amount, 0n))} in all, into {shortAccountId(issue.choices[0]!)}.
          </p>
          <div>
            <Button kind="primary" disabled={!connected || write.busy || !issue.ready} onClick={send} testId="invoice-csv-send">
              Issue them
            </Button>
          </div>
        </div>
      )}
      <WriteStatus state={write.state} />
    </Card>
  );
}

// ================================================================ the list

const FILTERS = ["All", "Open", "PartiallyPaid", "Overdue", "Paid", "Cancelled"] as const;

function InvoiceList({ rows, loading }: { rows: InvoiceRow[]; loading: boolean }) {
  const now = useNow();
  const nameOf = useNames();
  const [status, setStatus] = useState<(typeof FILTERS)[number]>("All");
  const [counterparty, setCounterparty] = useState("");
  const [open, setOpen] = useState<bigint>();
  const needle = counterparty.trim().toLowerCase();
  const shown = rows.filter((row) => {
    if (status === "Overdue" ? !isOverdue(row, now) : status !== "All" && row.status !== status) return false;
    if (needle === "") return true;
    if (row.payer === null) return "anyone".includes(needle);
    return row.payer.includes(needle) || (nameOf(row.payer) ?? "").toLowerCase().includes(needle);
  });
  return (
    <Card title="Invoices" testId="invoices">
      <div className="mb-3 flex flex-wrap gap-3">
        <Field label="Status">
          <select
            className={inputClass}
            value={status}
            onChange={(e) => setStatus(e.target.value as typeof status)}
            data-testid="filter-status"
          >
            {FILTERS.map((filter) => (
              <option key={filter} value={filter}>
                {STATUS_TEXT[filter] ?? filter}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Counterparty (name or address)">
          <input
            className={inputClass}
            value={counterparty}
            onChange={(e) => setCounterparty(e.target.value)}
            data-testid="filter-counterparty"
          />
        </Field>
      </div>
      {loading ? (
        <p className="text-sm text-gray-400">Loading invoices…</p>
      ) : rows.length === 0 ? (
        <Empty testId="invoices-empty">No invoices yet. Issue one above; its pay page and QR code appear here.</Empty>
      ) : shown.length === 0 ? (
        <Empty>No invoice matches these filters.</Empty>
      ) : (
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-gray-400">
            <tr>
              <th className="py-1">#</th>
              <th>Payer</th>
              <th>Reference</th>
              <th>Amount</th>
              <th>Paid</th>
              <th>Due</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <InvoiceListRow
                key={row.id.toString()}
                row={row}
                now={now}
                open={open === row.id}
                onToggle={() => setOpen(open === row.id ? undefined : row.id)}
              />
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function InvoiceListRow({ row, now, open, onToggle }: { row: InvoiceRow; now: number; open: boolean; onToggle: () => void }) {
  const { config } = useApp();
  const write = useWrite();
  const [confirming, setConfirming] = useState(false);
  const overdue = isOverdue(row, now);
  const cancellable = row.status === "Open" || row.status === "PartiallyPaid";
  const items = itemsOf(row);
  return (
    <>
      <tr
        className={`border-t border-gray-700 ${overdue ? "bg-red-950/40" : ""}`}
        data-testid={`invoice-${row.id}`}
        data-status={row.status}
        data-overdue={overdue}
      >
        <td className="py-1.5">{row.id.toString()}</td>
        <td>{row.payer ? <Name address={row.payer} /> : <span className="text-gray-400">anyone</span>}</td>
        <td>{row.reference}</td>
        <td>{formatDollars(row.amount)}</td>
        <td>{formatDollars(row.paid)}</td>
        <td className={overdue ? "font-semibold text-red-300" : ""}>{formatDueDate(row.dueAt) || "-"}</td>
        <td className="flex flex-wrap gap-1 py-1.5">
          <Badge tone={STATUS_TONE[row.status as keyof typeof STATUS_TONE] ?? "gray"} testId="invoice-status">
            {STATUS_TEXT[row.status] ?? row.status}
          </Badge>
          {overdue && <Badge tone="red">overdue</Badge>}
        </td>
        <td className="whitespace-nowrap text-right">
          <a
            href={payPath(config.chainId, row.id)}
            className="mr-2 text-xs text-sky-400 underline"
            onClick={(event) => {
              event.preventDefault();
              navigate(payPath(config.chainId, row.id));
            }}
          >
            pay page
          </a>
          <Button small onClick={onToggle} testId="invoice-share">
            {open ? "Hide" : "QR"}
          </Button>{" "}
          {cancellable && (
            <Button small kind="danger" disabled={write.busy} onClick={() => setConfirming(true)} testId="invoice-cancel">
              Cancel
            </Button>
          )}
        </td>
      </tr>
      {(open || write.state.stage !== "idle") && (
        <tr>
          <td colSpan={8} className="pb-3">
            <WriteStatus state={write.state} />
            {open && (
              <div className="flex flex-wrap items-start gap-6 pt-2">
                <InvoiceQr url={payUrl(config.chainId, row.id)} invoiceId={row.id} amount={row.amount} />
                <div className="text-xs text-gray-400">
                  <p>Issued {dateTime(row.createdAt)}</p>
                  {row.allowsPartial && <p>Partial payments accepted</p>}
                  {items.map((item) => (
                    <p key={`${item.description}-${item.quantity}-${item.unitPrice}`}>
                      {item.description}: {formatDollars(lineTotal(item))}
                    </p>
                  ))}
                </div>
              </div>
            )}
          </td>
        </tr>
      )}
      {confirming && (
        <Confirm
          title={`Cancel invoice #${row.id}?`}
          confirmLabel="Cancel the invoice"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void write.run(`Cancelling invoice #${row.id}`, [
              { address: config.contracts.invoices, abi: sovrInvoicesAbi, functionName: "cancel", args: [row.id] },
            ]);
          }}
        >
          {row.paid > 0n
            ? `${formatDollars(row.paid)} already paid stays with you; the other ${formatDollars(row.amount - row.paid)} is no longer owed.`
            : `Nothing was paid; the ${formatDollars(row.amount)} is no longer owed and the pay page says so.`}
        </Confirm>
      )}
    </>
  );
}

// ================================================================ statements

function StatementCard({ invoices, accounts }: { invoices: InvoiceRow[]; accounts: AccountRow[] | undefined }) {
  const { live } = useApp();
  const { address } = useViewer();
  const nameOf = useNames();
  const [counterparty, setCounterparty] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState(new Date().toISOString().slice(0, 10));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [asked, setAsked] = useState<{ counterparty: Address; from: bigint; to: bigint }>();
  const known = [...new Set(invoices.flatMap((row) => (row.payer ? [row.payer] : [])))];

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const next: Record<string, string> = {};
    const who = parseAccountRef(counterparty);
    if (!/^0x/i.test(counterparty.trim()))
      next.counterparty = `a counterparty is an address (0x followed by 40 hex digits), not "${counterparty.trim()}"`;
    else if (!who.ok) next.counterparty = who.error;
    const range = dayRange(from, to);
    if ("error" in range) next[range.field] = range.error;
    setErrors(next);
    if (Object.keys(next).length > 0 || !who.ok || who.value.kind !== "address" || "error" in range) return;
    setAsked({ counterparty: who.value.address, ...range });
  };

  return (
    <Card title="Statement" testId="statement">
      <form className="flex flex-wrap items-start gap-3" onSubmit={submit} noValidate>
        <Field label="Counterparty (address)" error={errors.counterparty}>
          <input
            className={`${inputClass} w-96 max-w-full`}
            list="statement-counterparties"
            value={counterparty}
            onChange={(e) => setCounterparty(e.target.value)}
            placeholder="0x…"
            data-testid="statement-counterparty"
          />
          <datalist id="statement-counterparties">
            {known.map((payer) => (
              <option key={payer} value={payer}>
                {nameOf(payer) ?? payer}
              </option>
            ))}
          </datalist>
        </Field>
        <Field label="From (YYYY-MM-DD; empty: the beginning)" error={errors.from}>
          <input className={inputClass} value={from} onChange={(e) => setFrom(e.target.value)} data-testid="statement-from" />
        </Field>
        <Field label="To (YYYY-MM-DD)" error={errors.to}>
          <input className={inputClass} value={to} onChange={(e) => setTo(e.target.value)} data-testid="statement-to" />
        </Field>
        <div className="pt-6">
          <Button kind="primary" type="submit" testId="statement-show">
            Show statement
          </Button>
        </div>
      </form>
      {asked && accounts && (
        <StatementView
          key={`${asked.counterparty}-${asked.from}-${asked.to}`}
          asked={asked}
          invoices={invoices}
          payeeAccounts={accounts.map((account) => account.id)}
          payee={address}
          live={live}
        />
      )}
    </Card>
  );
}

/** A UTC day range: `from` empty is the beginning; `to` is inclusive. */
function dayRange(from: string, to: string): { from: bigint; to: bigint } | { field: string; error: string } {
  const parse = (text: string) => {
    const day = text.trim();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return `a date is written YYYY-MM-DD, e.g. 2026-12-31, not "${day}"`;
    const time = Date.parse(`${day}T00:00:00Z`);
    return Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== day ? `${day} is not a date` : time / 1000;
  };
  const start = from.trim() === "" ? 0 : parse(from);
  if (typeof start === "string") return { field: "from", error: start };
  const end = parse(to);
  if (typeof end === "string") return { field: "to", error: end };
  if (end < start) return { field: "to", error: "the end comes before the start" };
  return { from: BigInt(start), to: BigInt(end + SECONDS_PER_DAY - 1) };
}

function StatementView({
  asked,
  invoices,
  payeeAccounts,
  payee,
  live,
}: {
  asked: { counterparty: Address; from: bigint; to: bigint };
  invoices: InvoiceRow[];
  payeeAccounts: bigint[];
  payee: string;
  live: ReturnType<typeof useApp>["live"];
}) {
  const nameOf = useNames();
  // One read when asked, not live queries: a statement is a document as of now, and every live query holds
  // one of the browser's six connections to the indexer for as long as the page is open.
  const read = useQuery({
    queryKey: ["statement", asked.counterparty, asked.from.toString(), asked.to.toString(), invoices.length],
    queryFn: async () => {
      const db = live.db;
      const who = asked.counterparty.toLowerCase() as Address;
      // An empty list becomes id 0, which no invoice or account has.
      const orNone = (list: bigint[]) => (list.length > 0 ? list : [0n]);
      const [theirAccounts, payments] = await Promise.all([
        db.select().from(accountView).where(eq(accountView.owner, who)),
        db
          .select()
          .from(invoicePaymentView)
          .where(inArray(invoicePaymentView.invoiceId, orNone(invoices.map((row) => row.id)))),
      ]);
      const theirIds = orNone(theirAccounts.map((account) => account.id));
      const ourIds = orNone(payeeAccounts);
      const transfers = await db
        .select()
        .from(transferView)
        .where(
          and(
            inArray(transferView.code, [sovrCodes.TRANSFER_PAYMENT, sovrCodes.TRANSFER_STANDING_ORDER, sovrCodes.TRANSFER_COMMITMENT]),
            or(
              and(inArray(transferView.debitAccountId, theirIds), inArray(transferView.creditAccountId, ourIds)),
              and(inArray(transferView.debitAccountId, ourIds), inArray(transferView.creditAccountId, theirIds)),
            ),
          ),
        );
      return { theirIds, payments, transfers };
    },
  });
  if (read.error) return <p className="mt-3 text-sm text-red-400">Could not read the ledger: {read.error.message}</p>;
  if (!read.data) return <p className="mt-3 text-sm text-gray-400">Reading the ledger…</p>;
  const { theirIds, payments, transfers } = read.data;
  const statement = buildStatement({
    counterparty: asked.counterparty,
    counterpartyAccounts: theirIds,
    payeeAccounts,
    invoices,
    payments,
    transfers,
    from: asked.from,
    to: asked.to,
  });
  const name = nameOf(asked.counterparty) ?? asked.counterparty;
  return <StatementTable statement={statement} parties={{ payee, counterparty: name }} />;
}

function download(name: string, blob: Blob) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
}

function StatementTable({ statement, parties }: { statement: Statement; parties: { payee: string; counterparty: string } }) {
  const [pdfError, setPdfError] = useState<string>();
  const fileName = `statement-${parties.counterparty.replace(/[^\w.-]+/g, "_")}-${day(statement.from)}-${day(statement.to)}`;
  const csv = () =>
    toCsv([
      ["date", "kind", "description", "invoice", "charge", "credit", "balance"],
      [day(statement.from), "opening balance", "", "", "", "", plainDollars(statement.opening)],
      ...statement.rows.map((row) => [
        day(row.timestamp),
        row.kind,
        row.description,
        row.invoiceId?.toString() ?? "",
        row.charge > 0n ? plainDollars(row.charge) : "",
        row.credit > 0n ? plainDollars(row.credit) : "",
        plainDollars(row.balance),
      ]),
      [day(statement.to), "closing balance", "", "", "", "", plainDollars(statement.closing)],
    ]);
  const pdf = () => {
    setPdfError(undefined);
    import("../lib/statement-pdf.ts")
      .then(({ statementPdf }) => download(`${fileName}.pdf`, statementPdf(statement, parties, day)))
      .catch((error: unknown) => setPdfError(`Could not make the PDF: ${capitalized(String((error as Error).message ?? error))}`));
  };
  return (
    <div className="mt-4" data-testid="statement-result">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2 text-sm">
        <span>
          {parties.counterparty}, {day(statement.from)} to {day(statement.to)}
        </span>
        <span className="flex gap-2">
          <Button small onClick={() => download(`${fileName}.csv`, new Blob([csv()], { type: "text/csv" }))} testId="statement-csv">
            CSV
          </Button>
          <Button small onClick={pdf} testId="statement-pdf">
            PDF
          </Button>
        </span>
      </div>
      {pdfError && <p className="text-xs text-red-400">{pdfError}</p>}
      <table className="w-full text-sm">
        <thead className="text-left text-xs text-gray-400">
          <tr>
            <th className="py-1">Date</th>
            <th>Description</th>
            <th className="text-right">Charge</th>
            <th className="text-right">Credit</th>
            <th className="text-right">Balance</th>
          </tr>
        </thead>
        <tbody>
          <tr className="border-t border-gray-700" data-testid="statement-opening">
            <td className="py-1">{day(statement.from)}</td>
            <td>Opening balance</td>
            <td />
            <td />
            <td className="text-right">{formatDollars(statement.opening)}</td>
          </tr>
          {statement.rows.map((row) => (
            <tr
              key={`${row.kind}-${row.timestamp}-${row.description}`}
              className="border-t border-gray-700"
              data-testid="statement-row"
              data-kind={row.kind}
            >
              <td className="py-1">{day(row.timestamp)}</td>
              <td>{row.description}</td>
              <td className="text-right">{row.charge > 0n ? formatDollars(row.charge) : ""}</td>
              <td className="text-right">{row.credit > 0n ? formatDollars(row.credit) : ""}</td>
              <td className="text-right">{formatDollars(row.balance)}</td>
            </tr>
          ))}
          <tr className="border-t border-gray-600 font-semibold" data-testid="statement-closing">
            <td className="py-1">{day(statement.to)}</td>
            <td>Closing balance{statement.closing > 0n ? " (owed to you)" : statement.closing < 0n ? " (you owe them)" : ""}</td>
            <td />
            <td />
            <td className="text-right">{formatDollars(statement.closing)}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

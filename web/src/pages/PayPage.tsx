/**
 * `/pay/<chainId>/<invoiceId>`: an invoice as its payer sees it, on a phone first. Readable without a
 * wallet (payee, amount, due date, reference, lines, live status); then connect any EIP-6963 wallet and
 * pay with one signature. A payer without a SOVR account opens one here; one short of funds sees how much
 * is missing (a credit line the payee granted counts).
 */
import { eq } from "@ponder/client";
import {
  capitalized,
  erc20PaymentUri,
  formatDollars,
  formatDueDate,
  formatQuantity,
  isOverdue,
  lineTotal,
  newPaymentId,
  parseDollars,
  primaryAccountId,
  sovrInvoicesAbi,
  sovrLedgerAbi,
} from "@sovr/contracts";
import { useRef, useState } from "react";
import type { Address } from "viem";
import { useAccount } from "wagmi";
import { InvoiceQr } from "../components/InvoiceQr.tsx";
import { Badge, Button, Card, dateTime, Field, inputClass, shortAddress, TxLink, WriteStatus } from "../components/ui.tsx";
import { WalletButton } from "../components/Wallet.tsx";
import { useApp } from "../lib/context.tsx";
import { type InvoiceRow, itemsOf, payUrl, STATUS_TEXT, STATUS_TONE, useNow } from "../lib/invoices.ts";
import { useWrite } from "../lib/write.ts";
import { useLive } from "../live/live.ts";
import { accountView, creditLineView, invoicePaymentView, invoiceView, labelView } from "../live/schema.ts";

export default function PayPage({ chainId, invoiceId }: { chainId: number; invoiceId: bigint }) {
  const { config, live } = useApp();
  const invoice = useLive(live, `pay-invoice:${invoiceId}`, (db) => db.select().from(invoiceView).where(eq(invoiceView.id, invoiceId)));
  if (chainId !== config.chainId) {
    return (
      <Notice>
        This link is for an invoice on chain {chainId}; this server serves chain {config.chainId} ({config.chainName}). Ask the payee for
        their link.
      </Notice>
    );
  }
  if (!invoice.data) return <p className="p-6 text-sm text-gray-400">Loading invoice #{invoiceId.toString()}…</p>;
  const row = invoice.data[0];
  if (!row)
    return <Notice>There is no invoice #{invoiceId.toString()} (yet). Check the link, or wait a moment if it was just issued.</Notice>;
  return <Invoice row={row} />;
}

function Notice({ children }: { children: React.ReactNode }) {
  return (
    <div className="mx-auto max-w-md p-6 text-sm text-gray-300" role="alert">
      {children}
    </div>
  );
}

function Invoice({ row }: { row: InvoiceRow }) {
  const { config, live } = useApp();
  const now = useNow();
  const payments = useLive(live, `pay-payments:${row.id}`, (db) =>
    db.select().from(invoicePaymentView).where(eq(invoicePaymentView.invoiceId, row.id)).orderBy(invoicePaymentView.timestamp),
  );
  const label = useLive(live, `pay-label:${row.payee}`, (db) => db.select().from(labelView).where(eq(labelView.subject, row.payee)));
  const payeeName = label.data?.[0]?.label;
  const overdue = isOverdue(row, now);
  const remaining = row.status === "Cancelled" ? 0n : row.amount - row.paid;
  const items = itemsOf(row);
  const url = payUrl(config.chainId, row.id);
  return (
    <div className="mx-auto flex max-w-md flex-col gap-4 p-4" data-testid="pay-page">
      <Card testId="pay-invoice">
        <p className="text-xs uppercase tracking-wide text-gray-400">Invoice #{row.id.toString()} from</p>
        <h2 className="text-xl font-semibold text-gray-100" data-testid="payee">
          {payeeName ?? <span className="break-all font-mono text-base">{row.payee}</span>}
        </h2>
        <p className="mt-3 text-4xl font-bold text-white" data-testid="pay-amount">
          {formatDollars(row.amount)}
        </p>
        <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
          <Badge tone={STATUS_TONE[row.status as keyof typeof STATUS_TONE] ?? "gray"} testId="pay-status">
            {STATUS_TEXT[row.status] ?? row.status}
          </Badge>
          {overdue && (
            <Badge tone="red" testId="pay-overdue">
              overdue
            </Badge>
          )}
          {row.paid > 0n && (
            <span className="text-gray-300">
              {formatDollars(row.paid)} paid, {formatDollars(remaining)} to go
            </span>
          )}
        </div>
        <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
          <dt className="text-gray-400">Due</dt>
          <dd data-testid="pay-due">{formatDueDate(row.dueAt) || "no due date"}</dd>
          {row.reference && (
            <>
              <dt className="text-gray-400">Reference</dt>
              <dd data-testid="pay-reference">{row.reference}</dd>
            </>
          )}
          <dt className="text-gray-400">For</dt>
          <dd>{row.payer ? <span className="break-all font-mono text-xs">{row.payer}</span> : "anyone with the link"}</dd>
          <dt className="text-gray-400">Issued</dt>
          <dd>{dateTime(row.createdAt)}</dd>
        </dl>
        {items.length > 0 && (
          <table className="mt-3 w-full text-sm" data-testid="pay-items">
            <thead className="text-left text-xs text-gray-400">
              <tr>
                <th className="py-1">Item</th>
                <th className="text-right">Qty</th>
                <th className="text-right">Price</th>
                <th className="text-right">Total</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item, index) => (
                // Lines have no id of their own; their order is fixed on-chain.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                <tr key={index} className="border-t border-gray-700">
                  <td className="py-1">{item.description}</td>
                  <td className="text-right">{formatQuantity(item.quantity)}</td>
                  <td className="text-right">{formatDollars(item.unitPrice)}</td>
                  <td className="text-right">{formatDollars(lineTotal(item))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {(payments.data ?? []).length > 0 && (
          <ul className="mt-3 text-xs text-gray-400" data-testid="pay-payments">
            {payments.data!.map((payment) => (
              <li key={payment.id}>
                {formatDollars(payment.amount)} paid by {shortAddress(payment.payer)} {dateTime(payment.timestamp)}{" "}
                <TxLink hash={payment.txHash} />
              </li>
            ))}
          </ul>
        )}
      </Card>
      {remaining > 0n && row.status !== "Cancelled" && <PayForm row={row} remaining={remaining} />}
      {row.status === "Paid" && <p className="text-center text-emerald-400">This invoice is paid in full. Thank you.</p>}
      {row.status === "Cancelled" && <p className="text-center text-gray-400">The payee cancelled this invoice; nothing is owed on it.</p>}
      {remaining > 0n && row.status !== "Cancelled" && <TokenTransferPath row={row} remaining={remaining} />}
      <Card title="Share this invoice">
        <InvoiceQr url={url} invoiceId={row.id} amount={row.amount} />
      </Card>
    </div>
  );
}

/** What the connected wallet's primary account can spend: its own funds plus a usable credit line. */
function usePayerFunds(payer: Address | undefined) {
  const { live } = useApp();
  const now = useNow();
  const id = payer ? primaryAccountId(payer) : 0n;
  const account = useLive(live, `payer-account:${id}`, (db) => db.select().from(accountView).where(eq(accountView.id, id)));
  const line = useLive(live, `payer-line:${id}`, (db) => db.select().from(creditLineView).where(eq(creditLineView.accountId, id)));
  if (!payer || !account.data || !line.data) return undefined;
  const row = account.data[0];
  if (!row) return { exists: false as const, own: 0n, credit: 0n };
  const credit = line.data[0];
  const usable = credit && !credit.frozen && (credit.expiresAt === 0n || Number(credit.expiresAt) > now) ? credit.limit : 0n;
  const own = row.creditsPosted - row.debitsPosted - row.debitsPending;
  return { exists: true as const, own, credit: usable };
}

function PayForm({ row, remaining }: { row: InvoiceRow; remaining: bigint }) {
  const { config } = useApp();
  const { address, isConnected } = useAccount();
  const funds = usePayerFunds(address);
  const write = useWrite();
  const [amountText, setAmountText] = useState("");
  const [error, setError] = useState<string>();
  // One id per intended payment: a retry after a timeout reuses it, so it can never charge twice.
  const paymentId = useRef(newPaymentId());

  /** The amount to pay, or the reason it cannot be paid. */
  const wanted = (): { amount: bigint } | { error: string } => {
    if (!row.allowsPartial || amountText.trim() === "") return { amount: remaining };
    const parsed = parseDollars(amountText);
    if (!parsed.ok) return { error: parsed.error };
    if (parsed.value > remaining) return { error: `at most ${formatDollars(remaining)} is still owed` };
    return { amount: parsed.value };
  };
  const spendable = funds?.exists ? funds.own + funds.credit : 0n;

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const checked = wanted();
    setError("error" in checked ? checked.error : undefined);
    if ("error" in checked) return;
    const { amount } = checked;
    if (funds && amount > spendable) {
      setError(
        `you can spend ${formatDollars(spendable > 0n ? spendable : 0n)}; ${formatDollars(amount - (spendable > 0n ? spendable : 0n))} is missing`,
      );
      return;
    }
    void write
      .run(`Paying ${formatDollars(amount)}`, [
        { address: config.contracts.invoices, abi: sovrInvoicesAbi, functionName: "pay", args: [row.id, amount, paymentId.current] },
      ])
      .then((hash) => {
        if (hash) paymentId.current = newPaymentId();
      });
  };

  return (
    <Card title="Pay" testId="pay-form">
      {!isConnected || !address ? (
        <div className="flex flex-col gap-2 text-sm text-gray-300">
          <p>Connect your wallet to pay {formatDollars(remaining)} from your SOVR account.</p>
          <WalletButton />
        </div>
      ) : !funds ? (
        <p className="text-sm text-gray-400">Reading your SOVR account…</p>
      ) : !funds.exists ? (
        <div className="flex flex-col gap-2 text-sm text-gray-300" data-testid="no-account">
          <p>
            {shortAddress(address)} has no SOVR account yet, so {formatDollars(remaining)} is missing. Open your account (one signature),
            then ask the payee to send you SOVR or grant you a credit line; this page updates by itself.
          </p>
          <Button
            kind="primary"
            disabled={write.busy}
            testId="open-account"
            onClick={() =>
              void write.run("Opening your SOVR account", [
                { address: config.contracts.ledger, abi: sovrLedgerAbi, functionName: "openPrimaryAccount", args: [address] },
              ])
            }
          >
            Open my SOVR account
          </Button>
          <WriteStatus state={write.state} />
        </div>
      ) : (
        <form onSubmit={submit} className="flex flex-col gap-3" noValidate>
          <p className="text-sm text-gray-300" data-testid="spendable">
            You can spend {formatDollars(funds.own > 0n ? funds.own : 0n)}
            {funds.credit > 0n && <> plus a {formatDollars(funds.credit)} credit line from the payee</>}.
          </p>
          {spendable < remaining && (
            <p className="text-sm text-amber-300" role="alert" data-testid="shortfall">
              {formatDollars(remaining - (spendable > 0n ? spendable : 0n))} is missing to pay the rest; ask the payee for SOVR or a credit
              line{row.allowsPartial ? ", or pay part of it now" : ""}.
            </p>
          )}
          {row.allowsPartial ? (
            <Field label="Amount (dollars)" error={error} hint={`Up to ${formatDollars(remaining)}; leave empty to pay all of it`}>
              <input
                className={inputClass}
                inputMode="decimal"
                placeholder={formatDollars(remaining).slice(1)}
                value={amountText}
                onChange={(event) => setAmountText(event.target.value)}
                data-testid="pay-amount-input"
              />
            </Field>
          ) : (
            error && (
              <p role="alert" className="text-xs text-red-400">
                {capitalized(error)}
              </p>
            )
          )}
          <Button kind="primary" type="submit" disabled={write.busy} testId="pay-button">
            Pay {row.allowsPartial && amountText.trim() !== "" ? "" : formatDollars(remaining)}
          </Button>
          <WriteStatus state={write.state} testId="pay-status-line" />
        </form>
      )}
    </Card>
  );
}

/**
 * EIP-681: wallets that cannot call a contract can still send the amount through SOVR's ERC-20 view,
 * which pays the payee's primary account only, carries no reference, and leaves the invoice open.
 */
function TokenTransferPath({ row, remaining }: { row: InvoiceRow; remaining: bigint }) {
  const { config } = useApp();
  if (row.payeeAccountId !== primaryAccountId(row.payee as Address)) return null;
  const uri = erc20PaymentUri(config.contracts.token, config.chainId, row.payee as Address, remaining);
  return (
    <Card title="Wallet without contract calls?">
      <p className="text-sm text-gray-300">
        Any wallet that reads EIP-681 links can send {formatDollars(remaining)} SOVR to the payee as a token transfer:{" "}
        <a href={uri} className="break-all font-mono text-xs text-sky-400 underline" data-testid="eip681-link">
          {uri}
        </a>
      </p>
      <p className="mt-2 text-xs text-amber-300" data-testid="eip681-note">
        A token transfer cannot carry this invoice's reference{row.reference ? ` (${row.reference})` : ""}, so the invoice itself stays
        open; the payment still shows on the payee's statement. Paying above marks the invoice paid at once.
      </p>
    </Card>
  );
}

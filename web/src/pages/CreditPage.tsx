import { asc, desc, eq } from "@ponder/client";
import {
  formatDollars,
  newTransferId,
  parseAccountRef,
  parseDollars,
  shortAccountId,
  sovrCodes,
  sovrCreditAbi,
  sovrLedgerAbi,
  textToBytes32,
} from "@sovr/contracts";
import { lazy, Suspense, useState } from "react";
import { useConfig } from "wagmi";
import { readContract } from "wagmi/actions";
import { Badge, Button, Card, dateTime, Empty, Field, inputClass, WriteStatus } from "../components/ui.tsx";
import { available, useMyAccounts, useViewer } from "../lib/accounts.ts";
import { useApp } from "../lib/context.tsx";
import { type ContractCall, useWrite } from "../lib/write.ts";
import { useLive } from "../live/live.ts";
import { creditLineView, dailyStatView, issuanceView } from "../live/schema.ts";

// recharts is the heaviest dependency: it loads only when the charts are on screen.
const CreditCharts = lazy(() => import("../components/CreditCharts.tsx"));

type LineRow = typeof creditLineView.$inferSelect;

export default function CreditPage() {
  const { live } = useApp();
  const issuance = useLive(live, "issuance", (db) => db.select().from(issuanceView).where(eq(issuanceView.ledger, sovrCodes.LEDGER_USD)));
  const lines = useLive(live, "credit-lines", (db) => db.select().from(creditLineView).orderBy(desc(creditLineView.updatedAt)));
  const days = useLive(live, "daily", (db) =>
    db.select().from(dailyStatView).where(eq(dailyStatView.ledger, sovrCodes.LEDGER_USD)).orderBy(asc(dailyStatView.day)).limit(90),
  );
  const totals = issuance.data?.[0];
  return (
    <div className="flex flex-col gap-6">
      <Card title="Issuance" testId="issuance">
        {!issuance.data ? (
          <p className="text-sm text-gray-400">Loading…</p>
        ) : !totals ? (
          <Empty>The issuer account is not indexed yet.</Empty>
        ) : (
          <div className="flex flex-col gap-3">
            <div className="flex flex-wrap items-baseline gap-6">
              <Figure label="Outstanding" value={formatDollars(totals.outstanding)} testId="outstanding" />
              <Figure label="Ceiling" value={formatDollars(totals.ceiling)} />
              <Figure label="Credit extended" value={formatDollars(totals.creditExtended)} />
              <Figure label="Credit used" value={formatDollars(totals.creditUsed)} />
            </div>
            <Bar used={totals.outstanding} limit={totals.ceiling} label="of the issuance ceiling" />
            <CeilingForm current={totals.ceiling} />
          </div>
        )}
      </Card>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <IssueForm />
        <RedeemForm />
      </div>
      <Card title="Credit lines" testId="credit-lines">
        <LineForm />
        <div className="mt-4">
          {!lines.data ? (
            <p className="text-sm text-gray-400">Loading…</p>
          ) : lines.data.length === 0 ? (
            <Empty>No credit lines yet. Grant one above: the account may then spend up to its limit beyond its balance.</Empty>
          ) : (
            <ul className="flex flex-col gap-2">
              {lines.data.map((line) => (
                <LineItem key={line.accountId.toString()} line={line} />
              ))}
            </ul>
          )}
        </div>
      </Card>
      <Suspense fallback={<p className="text-sm text-gray-400">Loading charts…</p>}>
        {days.data && <CreditCharts days={days.data} />}
      </Suspense>
    </div>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <div className="text-xs text-gray-400">{label}</div>
      <div className="text-xl font-semibold" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

function Bar({ used, limit, label }: { used: bigint; limit: bigint; label: string }) {
  const share = limit === 0n ? (used > 0n ? 1 : 0) : Number((used * 10_000n) / limit) / 10_000;
  const colour = share >= 0.9 ? "bg-red-500" : share >= 0.7 ? "bg-amber-400" : "bg-emerald-400";
  return (
    <div>
      <div
        className="h-2.5 w-full overflow-hidden rounded bg-gray-700"
        role="meter"
        aria-valuenow={Math.round(share * 100)}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-label={label}
      >
        <div className={`h-full ${colour}`} style={{ width: `${Math.min(100, share * 100)}%` }} />
      </div>
      <div className="mt-0.5 text-xs text-gray-400">
        {(share * 100).toFixed(1)}% {label}
      </div>
    </div>
  );
}

function CeilingForm({ current }: { current: bigint }) {
  const { config } = useApp();
  const write = useWrite();
  const [ceiling, setCeiling] = useState("");
  const [error, setError] = useState<string>();
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const parsed = parseDollars(ceiling);
    setError(parsed.ok ? undefined : parsed.error);
    if (!parsed.ok) return;
    void write.run(`Setting the ceiling to ${formatDollars(parsed.value)}`, [
      { address: config.contracts.credit, abi: sovrCreditAbi, functionName: "setIssuanceCeiling", args: [parsed.value] },
    ]);
  };
  return (
    <form className="flex flex-wrap items-end gap-2" onSubmit={submit} noValidate>
      <Field label={`New ceiling (now ${formatDollars(current)})`} error={error}>
        <input className={inputClass} value={ceiling} onChange={(e) => setCeiling(e.target.value)} name="ceiling" placeholder="1000000" />
      </Field>
      <Button type="submit" disabled={write.busy}>
        Set ceiling
      </Button>
      <WriteStatus state={write.state} />
    </form>
  );
}

function IssueForm() {
  const { config } = useApp();
  const { address } = useViewer();
  const write = useWrite();
  const [recipient, setRecipient] = useState("");
  const [amount, setAmount] = useState("");
  const [memo, setMemo] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const to = parseAccountRef(recipient === "" ? address : recipient);
    const value = parseDollars(amount);
    const data = textToBytes32(memo, "the memo");
    setErrors({
      ...(to.ok ? {} : { recipient: to.error }),
      ...(value.ok ? {} : { amount: value.error }),
      ...(data.ok ? {} : { memo: data.error }),
    });
    if (!to.ok || !value.ok || !data.ok) return;
    const credit = { address: config.contracts.credit, abi: sovrCreditAbi } as const;
    const call: ContractCall =
      to.value.kind === "address"
        ? { ...credit, functionName: "issueTo", args: [newTransferId(), to.value.address, value.value, data.value] }
        : { ...credit, functionName: "issue", args: [newTransferId(), to.value.id, value.value, data.value] };
    void write.run(`Issuing ${formatDollars(value.value)}`, [call]).then((ok) => ok && setAmount(""));
  };
  return (
    <Card title="Issue SOVR" testId="issue-form">
      <form className="flex flex-col gap-3" onSubmit={submit} noValidate>
        <Field label="To" error={errors.recipient} hint="An address (its account opens if needed) or an account id; empty means yourself">
          <input
            className={inputClass}
            value={recipient}
            onChange={(e) => setRecipient(e.target.value)}
            name="recipient"
            placeholder={address}
          />
        </Field>
        <Field label="Amount (USD)" error={errors.amount}>
          <input
            className={inputClass}
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            name="amount"
            placeholder="1000.00"
            inputMode="decimal"
          />
        </Field>
        <Field label="Memo" error={errors.memo}>
          <input className={inputClass} value={memo} onChange={(e) => setMemo(e.target.value)} name="memo" />
        </Field>
        <div>
          <Button type="submit" kind="primary" disabled={write.busy} testId="issue">
            Issue
          </Button>
        </div>
      </form>
      <WriteStatus state={write.state} testId="issue-status" />
    </Card>
  );
}

function RedeemForm() {
  const { config } = useApp();
  const wagmi = useConfig();
  const { address } = useViewer();
  const accounts = useMyAccounts();
  const write = useWrite();
  const [amount, setAmount] = useState("");
  const [error, setError] = useState<string>();
  const holderAccounts = (accounts.data ?? []).filter((account) => account.ledger === sovrCodes.LEDGER_USD);
  const [from, setFrom] = useState<string>();
  const fromId = from ?? holderAccounts[0]?.id.toString();
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const value = parseDollars(amount);
    setError(value.ok ? undefined : value.error);
    if (!value.ok || !fromId) return;
    void write.run(`Redeeming ${formatDollars(value.value)}`, async () => {
      const calls: ContractCall[] = [];
      // Redeeming debits your account through SovrCredit, which needs your approval as operator once.
      const approved = await readContract(wagmi, {
        address: config.contracts.ledger,
        abi: sovrLedgerAbi,
        functionName: "isOperator",
        args: [address, config.contracts.credit],
      });
      if (!approved)
        calls.push({
          address: config.contracts.ledger,
          abi: sovrLedgerAbi,
          functionName: "setOperator",
          args: [config.contracts.credit, true],
        });
      calls.push({
        address: config.contracts.credit,
        abi: sovrCreditAbi,
        functionName: "redeem",
        args: [newTransferId(), BigInt(fromId), value.value, `0x${"0".repeat(64)}`],
      });
      return calls;
    });
  };
  return (
    <Card title="Redeem SOVR" testId="redeem-form">
      {holderAccounts.length === 0 ? (
        <Empty>You hold no SOVR account yet, so there is nothing to redeem.</Empty>
      ) : (
        <form className="flex flex-col gap-3" onSubmit={submit} noValidate>
          <Field label="From">
            <select className={inputClass} value={fromId} onChange={(e) => setFrom(e.target.value)} aria-label="Redeem from account">
              {holderAccounts.map((account) => (
                <option key={account.id.toString()} value={account.id.toString()}>
                  {shortAccountId(account.id)} · {formatDollars(available(account))} available
                </option>
              ))}
            </select>
          </Field>
          <Field label="Amount (USD)" error={error}>
            <input className={inputClass} value={amount} onChange={(e) => setAmount(e.target.value)} name="amount" inputMode="decimal" />
          </Field>
          <div>
            <Button type="submit" disabled={write.busy}>
              Redeem
            </Button>
          </div>
        </form>
      )}
      <WriteStatus state={write.state} />
    </Card>
  );
}

/** Parses "YYYY-MM-DD" as the end of that UTC day; empty means the line never expires. */
function expiryFrom(date: string): { ok: true; value: bigint } | { ok: false; error: string } {
  if (date === "") return { ok: true, value: 0n };
  const seconds = Math.floor(Date.parse(`${date}T23:59:59Z`) / 1000);
  if (!Number.isFinite(seconds)) return { ok: false, error: "Pick a date" };
  if (seconds <= Date.now() / 1000) return { ok: false, error: "The expiry must be in the future" };
  return { ok: true, value: BigInt(seconds) };
}

function LineForm({ initial }: { initial?: LineRow }) {
  const { config } = useApp();
  const wagmi = useConfig();
  const write = useWrite();
  const [account, setAccount] = useState(initial?.accountId.toString() ?? "");
  const [limit, setLimit] = useState(initial ? formatDollars(initial.limit).replace(/[$,]/g, "") : "");
  const [expiry, setExpiry] = useState(
    initial && initial.expiresAt !== 0n ? new Date(Number(initial.expiresAt) * 1000).toISOString().slice(0, 10) : "",
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const target = parseAccountRef(account);
    // A zero limit closes the line, so "0" is allowed here unlike in payments.
    const value = limit.trim() === "0" ? ({ ok: true, value: 0n } as const) : parseDollars(limit);
    const until = expiryFrom(expiry);
    setErrors({
      ...(target.ok ? {} : { account: target.error }),
      ...(value.ok ? {} : { limit: value.error }),
      ...(until.ok ? {} : { expiry: until.error }),
    });
    if (!target.ok || !value.ok || !until.ok) return;
    void write.run(value.value === 0n ? "Closing the credit line" : `Setting a ${formatDollars(value.value)} credit line`, async () => {
      const accountId =
        target.value.kind === "id"
          ? target.value.id
          : await readContract(wagmi, {
              address: config.contracts.ledger,
              abi: sovrLedgerAbi,
              functionName: "primaryAccountId",
              args: [target.value.address],
            });
      return [
        {
          address: config.contracts.credit,
          abi: sovrCreditAbi,
          functionName: "setCreditLine",
          args: [accountId, value.value, until.value],
        },
      ];
    });
  };
  return (
    <form className="flex flex-wrap items-end gap-2" onSubmit={submit} noValidate data-testid="line-form">
      <Field label="Account (address or id)" error={errors.account}>
        <input
          className={inputClass}
          value={account}
          onChange={(e) => setAccount(e.target.value)}
          name="line-account"
          disabled={initial !== undefined}
        />
      </Field>
      <Field label="Limit (USD, 0 closes it)" error={errors.limit}>
        <input className={inputClass} value={limit} onChange={(e) => setLimit(e.target.value)} name="line-limit" inputMode="decimal" />
      </Field>
      <Field label="Expires (UTC date, empty = never)" error={errors.expiry}>
        <input className={inputClass} type="date" value={expiry} onChange={(e) => setExpiry(e.target.value)} name="line-expiry" />
      </Field>
      <Button type="submit" kind="primary" disabled={write.busy} testId="set-line">
        {initial ? "Adjust" : "Grant line"}
      </Button>
      <div className="w-full">
        <WriteStatus state={write.state} testId="line-status" />
      </div>
    </form>
  );
}

function LineItem({ line }: { line: LineRow }) {
  const { config } = useApp();
  const write = useWrite();
  const [editing, setEditing] = useState(false);
  const expired = line.expiresAt !== 0n && Number(line.expiresAt) < Date.now() / 1000;
  return (
    <li className="rounded border border-gray-700 p-3 text-sm" data-testid={`line-${line.accountId}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className="flex items-center gap-2">
          <span className="font-mono text-xs" title={line.accountId.toString()}>
            {shortAccountId(line.accountId)}
          </span>
          <span>
            {formatDollars(line.used)} used of <span data-testid="line-limit">{formatDollars(line.limit)}</span>
          </span>
          {line.frozen && <Badge tone="red">frozen</Badge>}
          {expired && <Badge tone="yellow">expired</Badge>}
          <span className="text-xs text-gray-500">{line.expiresAt === 0n ? "no expiry" : `expires ${dateTime(line.expiresAt)}`}</span>
        </span>
        <span className="flex gap-2">
          <Button small onClick={() => setEditing(!editing)}>
            {editing ? "Close" : "Adjust"}
          </Button>
          <Button
            small
            kind={line.frozen ? "primary" : "danger"}
            disabled={write.busy}
            onClick={() =>
              void write.run(line.frozen ? "Unfreezing the line" : "Freezing the line", [
                {
                  address: config.contracts.credit,
                  abi: sovrCreditAbi,
                  functionName: "setCreditLineFrozen",
                  args: [line.accountId, !line.frozen],
                },
              ])
            }
          >
            {line.frozen ? "Unfreeze" : "Freeze"}
          </Button>
        </span>
      </div>
      <div className="mt-2">
        <Bar used={line.used} limit={line.limit} label="of the line used" />
      </div>
      {editing && (
        <div className="mt-2">
          <LineForm initial={line} />
        </div>
      )}
      <WriteStatus state={write.state} />
    </li>
  );
}

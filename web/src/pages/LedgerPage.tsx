import { and, desc, eq, gte, inArray, lte, or } from "@ponder/client";
import {
  bytes32Text,
  formatDollars,
  parseAccountId,
  parseAccountRef,
  parseDollars,
  parseTimeoutSeconds,
  paymentTransfer,
  postPendingTransfer,
  shortAccountId,
  sovrCodes,
  sovrLedgerAbi,
  textToBytes32,
  voidPendingTransfer,
} from "@sovr/contracts";
import { lazy, Suspense, useState } from "react";
import { useConfig } from "wagmi";
import { readContract } from "wagmi/actions";
import { Name } from "../components/Name.tsx";
import { Badge, Button, Card, dateTime, Empty, Field, inputClass, TxLink, timeAgo, WriteStatus } from "../components/ui.tsx";
import { type AccountRow, available, postedBalance, useMyAccounts, useViewer } from "../lib/accounts.ts";
import { useApp } from "../lib/context.tsx";
import { navigate, useLocation } from "../lib/router.ts";
import { type ContractCall, useWrite } from "../lib/write.ts";
import { useLive } from "../live/live.ts";
import { accountView, pendingTransferView, transferView } from "../live/schema.ts";

const BatchUpload = lazy(() => import("../components/BatchUpload.tsx"));

type TransferRow = typeof transferView.$inferSelect;
type PendingRow = typeof pendingTransferView.$inferSelect;

const CODE_NAMES: Record<number, string> = {
  [sovrCodes.TRANSFER_PAYMENT]: "payment",
  [sovrCodes.TRANSFER_ISSUE]: "issue",
  [sovrCodes.TRANSFER_REDEEM]: "redeem",
};
const PAGE_SIZE = 15;

export default function LedgerPage() {
  const accounts = useMyAccounts();
  const { connected } = useViewer();
  const mine = accounts.data ?? [];
  // A new draft while the page is open (the chat panel's link) fills the form afresh.
  const { search } = useLocation();
  return (
    <div className="flex flex-col gap-6">
      <Accounts accounts={accounts.data} connected={connected} />
      {mine.length > 0 && (
        <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
          <SendForm key={search.toString()} accounts={mine} />
          <PendingTransfers accounts={mine} />
        </div>
      )}
      {mine.length > 0 && (
        <Suspense fallback={null}>
          <BatchUpload accounts={mine} />
        </Suspense>
      )}
      <TransferExplorer />
    </div>
  );
}

function Accounts({ accounts, connected }: { accounts: AccountRow[] | undefined; connected: boolean }) {
  const { config } = useApp();
  const { address } = useViewer();
  const write = useWrite();
  if (!accounts) return <p className="text-sm text-gray-400">Loading your accounts…</p>;
  if (accounts.length === 0) {
    return (
      <Empty testId="ledger-empty">
        <p className="mb-2 text-base text-gray-200">Your ledger is empty.</p>
        <p>
          Start by issuing SOVR to yourself on the{" "}
          <a
            href="/credit"
            className="text-sky-400 underline"
            onClick={(e) => {
              e.preventDefault();
              navigate("/credit");
            }}
          >
            Credit page
          </a>{" "}
          (that opens your account), or open an empty account now and receive payments into it.
        </p>
        {!connected && <p className="mt-2">Connect your wallet to sign.</p>}
        <div className="mt-3">
          <Button
            kind="primary"
            disabled={!connected || write.busy}
            onClick={() =>
              void write.run("Opening your SOVR account", [
                { address: config.contracts.ledger, abi: sovrLedgerAbi, functionName: "openPrimaryAccount", args: [address] },
              ])
            }
          >
            Open my SOVR account
          </Button>
        </div>
        <WriteStatus state={write.state} />
      </Empty>
    );
  }
  return (
    <Card title="Your accounts" testId="accounts">
      <table className="w-full text-sm">
        <thead className="text-left text-xs text-gray-400">
          <tr>
            <th className="py-1">Account</th>
            <th>Balance (posted)</th>
            <th>Available</th>
            <th>Pending out</th>
            <th>Pending in</th>
            <th>Transfers</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {accounts.map((account) => (
            <tr key={account.id.toString()} className="border-t border-gray-700" data-testid={`account-${account.id}`}>
              <td className="py-1.5 font-mono text-xs" title={account.id.toString()}>
                {shortAccountId(account.id)}
              </td>
              <td data-testid="balance">{formatDollars(postedBalance(account))}</td>
              <td>{formatDollars(available(account))}</td>
              <td>{formatDollars(account.debitsPending)}</td>
              <td>{formatDollars(account.creditsPending)}</td>
              <td>{account.transferCount}</td>
              <td>
                {(account.flags & sovrCodes.FROZEN) !== 0 && <Badge tone="red">frozen</Badge>}
                {(account.flags & sovrCodes.HAS_CREDIT_LINE) !== 0 && <Badge tone="blue">credit line</Badge>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

function SendForm({ accounts }: { accounts: AccountRow[] }) {
  const { config } = useApp();
  const wagmi = useConfig();
  const write = useWrite();
  // A draft (the assistant's, /ledger?to=&amount=&memo=&from=&caution=) fills the form; the owner reviews and signs.
  const { search } = useLocation();
  const draftedFrom = search.get("from");
  const [from, setFrom] = useState(
    draftedFrom && accounts.some((account) => account.id.toString() === draftedFrom) ? draftedFrom : accounts[0]!.id.toString(),
  );
  const [recipient, setRecipient] = useState(search.get("to") ?? "");
  const [amount, setAmount] = useState(search.get("amount") ?? "");
  const [memo, setMemo] = useState(search.get("memo") ?? "");
  const drafted = search.has("to") || search.has("amount");
  const caution = search.get("caution");
  const [pending, setPending] = useState(false);
  const [timeout, setTimeoutText] = useState("3600");
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const parsedRecipient = parseAccountRef(recipient);
    const parsedAmount = parseDollars(amount);
    const parsedMemo = textToBytes32(memo, "the memo");
    const parsedTimeout = pending ? parseTimeoutSeconds(timeout) : ({ ok: true, value: 0 } as const);
    const next: Record<string, string> = {};
    if (!parsedRecipient.ok) next.recipient = parsedRecipient.error;
    if (!parsedAmount.ok) next.amount = parsedAmount.error;
    if (!parsedMemo.ok) next.memo = parsedMemo.error;
    if (!parsedTimeout.ok) next.timeout = parsedTimeout.error;
    setErrors(next);
    if (!parsedRecipient.ok || !parsedAmount.ok || !parsedMemo.ok || !parsedTimeout.ok) return;
    const debitAccountId = BigInt(from);
    const ledger = { address: config.contracts.ledger, abi: sovrLedgerAbi } as const;
    const label = `${pending ? "Holding" : "Sending"} ${formatDollars(parsedAmount.value)}`;
    void write
      .run(label, async () => {
        const calls: ContractCall[] = [];
        let creditAccountId: bigint;
        if (parsedRecipient.value.kind === "address") {
          const holder = parsedRecipient.value.address;
          creditAccountId = await readContract(wagmi, { ...ledger, functionName: "primaryAccountId", args: [holder] });
          const owner = await readContract(wagmi, { ...ledger, functionName: "accountOwner", args: [creditAccountId] });
          // A recipient who never held SOVR has no account yet; anyone may open an address's primary account.
          if (/^0x0{40}$/.test(owner)) calls.push({ ...ledger, functionName: "openPrimaryAccount", args: [holder] });
        } else {
          creditAccountId = parsedRecipient.value.id;
        }
        calls.push({
          ...ledger,
          functionName: "createTransfer",
          args: [
            paymentTransfer({
              debitAccountId,
              creditAccountId,
              amount: parsedAmount.value,
              userData: parsedMemo.value,
              ...(pending ? { pending: { timeout: parsedTimeout.value } } : {}),
            }),
          ],
        });
        return calls;
      })
      .then((ok) => {
        if (ok) {
          setAmount("");
          setMemo("");
        }
      });
  };

  return (
    <Card title="Send" testId="send-form">
      {drafted && (
        <div className="mb-2 rounded border border-amber-700 bg-amber-950/40 p-2 text-xs text-amber-200" data-testid="drafted">
          <p>Drafted by the assistant: check the recipient, the amount and the memo. Nothing is sent until you sign in your wallet.</p>
          {caution && <p className="mt-1 text-amber-300">Caution: {caution}</p>}
        </div>
      )}
      <form className="flex flex-col gap-3" onSubmit={submit} noValidate>
        <Field label="From">
          <select className={inputClass} value={from} onChange={(e) => setFrom(e.target.value)} aria-label="From account">
            {accounts.map((account) => (
              <option key={account.id.toString()} value={account.id.toString()}>
                {shortAccountId(account.id)} · {formatDollars(available(account))} available
              </option>
            ))}
          </select>
        </Field>
        <Field label="Recipient" error={errors.recipient} hint="An address (0x…) or an account id">
          <input
            className={inputClass}
            value={recipient}
            onChange={(e) => setRecipient(e.target.value)}
            name="recipient"
            placeholder="0x… or 1001"
          />
        </Field>
        <Field label="Amount (USD)" error={errors.amount}>
          <input
            className={inputClass}
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            name="amount"
            placeholder="12.50"
            inputMode="decimal"
          />
        </Field>
        <Field label="Memo" error={errors.memo} hint="Up to 32 bytes, stored with the transfer">
          <input className={inputClass} value={memo} onChange={(e) => setMemo(e.target.value)} name="memo" placeholder="invoice 42" />
        </Field>
        <label className="flex items-center gap-2 text-sm text-gray-300">
          <input type="checkbox" checked={pending} onChange={(e) => setPending(e.target.checked)} name="pending" />
          Hold as pending (two-phase: post or void it later)
        </label>
        {pending && (
          <Field label="Expires after (seconds, 0 = never)" error={errors.timeout}>
            <input
              className={inputClass}
              value={timeout}
              onChange={(e) => setTimeoutText(e.target.value)}
              name="timeout"
              inputMode="numeric"
            />
          </Field>
        )}
        <div>
          <Button type="submit" kind="primary" disabled={write.busy} testId="send">
            {pending ? "Hold payment" : "Send"}
          </Button>
        </div>
      </form>
      <WriteStatus state={write.state} testId="send-status" />
    </Card>
  );
}

function PendingTransfers({ accounts }: { accounts: AccountRow[] }) {
  const { live } = useApp();
  const ids = accounts.map((account) => account.id);
  const key = `pending:${ids.join(",")}`;
  const pending = useLive(live, key, (db) =>
    db
      .select()
      .from(pendingTransferView)
      .where(
        and(
          eq(pendingTransferView.status, "pending"),
          or(inArray(pendingTransferView.debitAccountId, ids), inArray(pendingTransferView.creditAccountId, ids)),
        ),
      )
      .orderBy(desc(pendingTransferView.createdAt))
      .limit(50),
  );
  return (
    <Card title="Pending transfers" testId="pending">
      {!pending.data ? (
        <p className="text-sm text-gray-400">Loading…</p>
      ) : pending.data.length === 0 ? (
        <Empty>No transfers are waiting. Hold a payment with "Hold as pending" to reserve funds and post it later.</Empty>
      ) : (
        <ul className="flex flex-col gap-2">
          {pending.data.map((row) => (
            <PendingItem key={row.id.toString()} row={row} mine={ids} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function PendingItem({ row, mine }: { row: PendingRow; mine: bigint[] }) {
  const { config } = useApp();
  const write = useWrite();
  const outgoing = mine.includes(row.debitAccountId);
  const resolve = (post: boolean) =>
    void write.run(`${post ? "Posting" : "Voiding"} ${formatDollars(row.amount)}`, [
      {
        address: config.contracts.ledger,
        abi: sovrLedgerAbi,
        functionName: "createTransfer",
        args: [post ? postPendingTransfer(row.id) : voidPendingTransfer(row.id)],
      },
    ]);
  return (
    <li className="rounded border border-gray-700 p-2 text-sm" data-testid={`pending-${row.id}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span>
          <span className="font-medium">{formatDollars(row.amount)}</span>{" "}
          <span className="text-gray-400">
            {outgoing ? `to ${shortAccountId(row.creditAccountId)}` : `from ${shortAccountId(row.debitAccountId)}`} ·{" "}
            {row.expiresAt ? `expires ${dateTime(row.expiresAt)}` : "never expires"}
          </span>
        </span>
        <span className="flex gap-2">
          {outgoing && (
            <Button small kind="primary" disabled={write.busy} onClick={() => resolve(true)} testId="post">
              Post
            </Button>
          )}
          <Button small kind="danger" disabled={write.busy} onClick={() => resolve(false)} testId="void">
            Void
          </Button>
        </span>
      </div>
      <WriteStatus state={write.state} />
    </li>
  );
}

type Filters = { account: string; code: string; min: string; max: string; from: string; to: string };
const NO_FILTERS: Filters = { account: "", code: "", min: "", max: "", from: "", to: "" };

function TransferExplorer() {
  const { live } = useApp();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [page, setPage] = useState(0);
  const [selected, setSelected] = useState<bigint>();
  const account = filters.account.trim() === "" ? undefined : parseAccountId(filters.account);
  const min = filters.min.trim() === "" ? undefined : parseDollars(filters.min);
  const max = filters.max.trim() === "" ? undefined : parseDollars(filters.max);
  const fromTime = filters.from ? Math.floor(Date.parse(`${filters.from}T00:00:00Z`) / 1000) : undefined;
  const toTime = filters.to ? Math.floor(Date.parse(`${filters.to}T23:59:59Z`) / 1000) : undefined;
  const valid = (!account || account.ok) && (!min || min.ok) && (!max || max.ok);

  const conditions = valid
    ? [
        account?.ok ? or(eq(transferView.debitAccountId, account.value), eq(transferView.creditAccountId, account.value)) : undefined,
        filters.code ? eq(transferView.code, Number(filters.code)) : undefined,
        min?.ok ? gte(transferView.amount, min.value) : undefined,
        max?.ok ? lte(transferView.amount, max.value) : undefined,
        fromTime !== undefined ? gte(transferView.timestamp, BigInt(fromTime)) : undefined,
        toTime !== undefined ? lte(transferView.timestamp, BigInt(toTime)) : undefined,
      ]
    : [];
  const key = `transfers:${JSON.stringify(filters)}:${page}`;
  // One row more than a page tells whether there is a next page without counting.
  const transfers = useLive(live, key, (db) =>
    db
      .select()
      .from(transferView)
      .where(and(...conditions))
      .orderBy(desc(transferView.timestamp), desc(transferView.logIndex))
      .limit(PAGE_SIZE + 1)
      .offset(page * PAGE_SIZE),
  );
  const rows = transfers.data?.slice(0, PAGE_SIZE) ?? [];
  const hasNext = (transfers.data?.length ?? 0) > PAGE_SIZE;
  // Who holds the accounts on this page, so each side shows by its holder's name.
  const accountIds = [...new Set(rows.flatMap((row) => [row.debitAccountId, row.creditAccountId]))];
  const holders = useLive(live, `holders:${accountIds.join(",")}`, (db) =>
    db
      .select({ id: accountView.id, owner: accountView.owner })
      .from(accountView)
      .where(inArray(accountView.id, accountIds.length > 0 ? accountIds : [0n])),
  );
  const holderOf = new Map((holders.data ?? []).map((account) => [account.id, account.owner]));
  const set = (field: keyof Filters) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    setFilters({ ...filters, [field]: event.target.value });
    setPage(0);
  };

  return (
    <Card title="Transfers" testId="transfers">
      <div className="mb-3 grid grid-cols-2 gap-2 md:grid-cols-6">
        <Field label="Account id" error={account && !account.ok ? account.error : undefined}>
          <input className={inputClass} value={filters.account} onChange={set("account")} aria-label="Filter by account" />
        </Field>
        <Field label="Code">
          <select className={inputClass} value={filters.code} onChange={set("code")} aria-label="Filter by code">
            <option value="">any</option>
            {Object.entries(CODE_NAMES).map(([code, name]) => (
              <option key={code} value={code}>
                {name} ({code})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Min USD" error={min && !min.ok ? min.error : undefined}>
          <input className={inputClass} value={filters.min} onChange={set("min")} inputMode="decimal" />
        </Field>
        <Field label="Max USD" error={max && !max.ok ? max.error : undefined}>
          <input className={inputClass} value={filters.max} onChange={set("max")} inputMode="decimal" />
        </Field>
        <Field label="From (UTC)">
          <input className={inputClass} type="date" value={filters.from} onChange={set("from")} />
        </Field>
        <Field label="To (UTC)">
          <input className={inputClass} type="date" value={filters.to} onChange={set("to")} />
        </Field>
      </div>
      {!transfers.data ? (
        <p className="text-sm text-gray-400">Loading…</p>
      ) : rows.length === 0 ? (
        <Empty>
          {page === 0 && filters === NO_FILTERS
            ? "No transfers yet. Issue credit or send a payment and it appears here live."
            : "No transfers match these filters."}
        </Empty>
      ) : (
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-gray-400">
            <tr>
              <th className="py-1">When</th>
              <th>Kind</th>
              <th>Code</th>
              <th>From</th>
              <th>To</th>
              <th className="text-right">Amount</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <TransferRowView
                key={row.id.toString()}
                row={row}
                holderOf={holderOf}
                open={selected === row.id}
                onToggle={() => setSelected(selected === row.id ? undefined : row.id)}
              />
            ))}
          </tbody>
        </table>
      )}
      <div className="mt-2 flex items-center gap-2 text-sm text-gray-400">
        <Button small disabled={page === 0} onClick={() => setPage(page - 1)}>
          Previous
        </Button>
        <span>Page {page + 1}</span>
        <Button small disabled={!hasNext} onClick={() => setPage(page + 1)}>
          Next
        </Button>
      </div>
    </Card>
  );
}

/** An account by its holder's name, with its id beside it. */
function AccountByHolder({ id, holder }: { id: bigint; holder: string | undefined }) {
  return (
    // Clicking the name opens the address, not the transfer's row.
    <span className="inline-flex items-baseline gap-1" data-keeps-row-closed>
      {holder ? <Name address={holder} /> : null}
      <span className="font-mono text-xs text-gray-500">{shortAccountId(id)}</span>
    </span>
  );
}

function TransferRowView({
  row,
  holderOf,
  open,
  onToggle,
}: {
  row: TransferRow;
  holderOf: Map<bigint, string>;
  open: boolean;
  onToggle: () => void;
}) {
  const memo = bytes32Text(row.userData);
  return (
    <>
      <tr
        className="cursor-pointer border-t border-gray-700 hover:bg-gray-700/30"
        onClick={(event) => {
          if (!(event.target as Element).closest("[data-keeps-row-closed]")) onToggle();
        }}
        data-testid={`transfer-${row.id}`}
      >
        <td className="py-1.5 text-gray-400" title={dateTime(row.timestamp)}>
          {timeAgo(row.timestamp)}
        </td>
        <td>
          <Badge tone={row.kind === "pending" ? "yellow" : row.kind === "void" ? "gray" : row.kind === "post" ? "green" : "blue"}>
            {row.kind}
          </Badge>
        </td>
        <td>{CODE_NAMES[row.code] ?? row.code}</td>
        <td>
          <AccountByHolder id={row.debitAccountId} holder={holderOf.get(row.debitAccountId)} />
        </td>
        <td>
          <AccountByHolder id={row.creditAccountId} holder={holderOf.get(row.creditAccountId)} />
        </td>
        <td className="text-right">{formatDollars(row.amount)}</td>
      </tr>
      {open && (
        <tr className="bg-gray-900/60">
          <td colSpan={6} className="p-3 text-xs">
            <dl className="grid grid-cols-2 gap-x-6 gap-y-1 md:grid-cols-3">
              <Detail label="Transfer id" value={row.id.toString()} />
              <Detail label="Debit account" value={row.debitAccountId.toString()} />
              <Detail label="Credit account" value={row.creditAccountId.toString()} />
              <Detail label="Amount" value={formatDollars(row.amount)} />
              <Detail label="Ledger" value={String(row.ledger)} />
              <Detail label="Flags" value={String(row.flags)} />
              {row.pendingId !== 0n && <Detail label="Pending id" value={row.pendingId.toString()} />}
              {row.timeout !== 0 && <Detail label="Timeout" value={`${row.timeout} s`} />}
              <Detail label="Memo" value={memo || "–"} />
              <Detail label="Time" value={dateTime(row.timestamp)} />
              <Detail label="Block" value={row.blockNumber.toString()} />
              <div>
                <dt className="text-gray-500">Transaction</dt>
                <dd>
                  <TxLink hash={row.txHash} />
                </dd>
              </div>
            </dl>
          </td>
        </tr>
      )}
    </>
  );
}

function Detail({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-gray-500">{label}</dt>
      <dd className="break-all font-mono text-gray-200">{value}</dd>
    </div>
  );
}

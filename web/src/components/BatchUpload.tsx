import { eq } from "@ponder/client";
import { formatDollars, newTransferId, paymentTransfer, shortAccountId, sovrLedgerAbi, spelledOut } from "@sovr/contracts";
import { useState } from "react";
import { useConfig } from "wagmi";
import { readContract } from "wagmi/actions";
import type { AccountRow } from "../lib/accounts.ts";
import { useApp } from "../lib/context.tsx";
import { type BatchError, type BatchRow, parseBatch } from "../lib/csv.ts";
import { useWrite } from "../lib/write.ts";
import { useLive } from "../live/live.ts";
import { transferRejectionView } from "../live/schema.ts";
import { Badge, Button, Card, inputClass, WriteStatus } from "./ui.tsx";

/** A CSV of payments settled in one `createTransfers` call; each row's result code comes back from the chain. */
export default function BatchUpload({ accounts }: { accounts: AccountRow[] }) {
  const { config } = useApp();
  const wagmi = useConfig();
  const write = useWrite();
  const [from, setFrom] = useState(accounts[0]!.id.toString());
  const [fileName, setFileName] = useState<string>();
  const [parsed, setParsed] = useState<{ rows: BatchRow[]; errors: BatchError[] }>();
  const [sent, setSent] = useState<{ rows: BatchRow[]; ids: bigint[]; hash: `0x${string}` }>();

  const load = async (file: File | undefined) => {
    setSent(undefined);
    write.reset();
    if (!file) return;
    setFileName(file.name);
    setParsed(parseBatch(await file.text()));
  };

  const settle = () => {
    if (!parsed || parsed.errors.length > 0) return;
    const rows = parsed.rows;
    const ids = rows.map(() => newTransferId());
    const ledger = { address: config.contracts.ledger, abi: sovrLedgerAbi } as const;
    void write
      .run(`Settling ${rows.length} payments`, async () => {
        const creditIds = await Promise.all(
          rows.map((row) =>
            row.recipient.kind === "id"
              ? row.recipient.id
              : readContract(wagmi, { ...ledger, functionName: "primaryAccountId", args: [row.recipient.address] }),
          ),
        );
        const transfers = rows.map((row, index) =>
          paymentTransfer({
            id: ids[index]!,
            debitAccountId: BigInt(from),
            creditAccountId: creditIds[index]!,
            amount: row.amount,
            userData: row.memo,
          }),
        );
        return [{ ...ledger, functionName: "createTransfers", args: [transfers] }];
      })
      .then((hash) => hash && setSent({ rows, ids, hash }));
  };

  return (
    <Card title="Batch payments (CSV)" testId="batch">
      <p className="mb-2 text-xs text-gray-400">
        One payment per line: <code>recipient,amount,memo</code> (address or account id, dollars with cents, optional memo). All rows settle
        in one transaction; each row gets its own result.
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <select className={inputClass} value={from} onChange={(e) => setFrom(e.target.value)} aria-label="Batch from account">
          {accounts.map((account) => (
            <option key={account.id.toString()} value={account.id.toString()}>
              from {shortAccountId(account.id)}
            </option>
          ))}
        </select>
        <input
          type="file"
          accept=".csv,text/csv"
          aria-label="Batch CSV file"
          onChange={(e) => void load(e.target.files?.[0])}
          className="text-sm text-gray-300"
        />
        <Button kind="primary" disabled={!parsed || parsed.errors.length > 0 || write.busy} onClick={settle} testId="settle-batch">
          Settle {parsed && parsed.errors.length === 0 ? `${parsed.rows.length} payments` : "batch"}
        </Button>
      </div>
      {parsed && parsed.errors.length > 0 && (
        <ul role="alert" className="mt-2 text-xs text-red-400" data-testid="batch-errors">
          <li>Nothing will be sent until {fileName} is fixed:</li>
          {parsed.errors.map((error) => (
            <li key={`${error.line}:${error.error}`}>{error.line > 0 ? `Line ${error.line}: ${error.error}` : error.error}</li>
          ))}
        </ul>
      )}
      {parsed &&
        parsed.errors.length === 0 &&
        (sent && sent.rows === parsed.rows ? <SentBatch sent={sent} /> : <BatchTable rows={parsed.rows} />)}
      <WriteStatus state={write.state} />
    </Card>
  );
}

function BatchTable({ rows, results }: { rows: BatchRow[]; results?: Map<number, string> | undefined }) {
  return (
    <table className="mt-3 w-full text-sm">
      <thead className="text-left text-xs text-gray-400">
        <tr>
          <th>Line</th>
          <th>Recipient</th>
          <th className="pr-6 text-right">Amount</th>
          <th>Memo</th>
          <th>Result</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => {
          const result = results?.get(index);
          return (
            <tr key={row.line} className="border-t border-gray-700" data-testid={`batch-row-${row.line}`}>
              <td className="py-1">{row.line}</td>
              <td className="font-mono text-xs">
                {row.recipient.kind === "address" ? row.recipient.address : row.recipient.id.toString()}
              </td>
              <td className="pr-6 text-right">{formatDollars(row.amount)}</td>
              <td>{row.memoText}</td>
              <td data-testid="batch-result">
                {!results ? (
                  <span className="text-gray-500">not sent</span>
                ) : result === undefined ? (
                  <span className="text-gray-500">…</span>
                ) : result === "Ok" ? (
                  <Badge tone="green">Ok</Badge>
                ) : (
                  <span title={spelledOut(result)}>
                    <Badge tone="red">{result}</Badge>
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/**
 * Each row's result code from the chain: the ledger emits `TransferRejected` (with the batch index and
 * TigerBeetle's result name) for every row it did not apply, so a row without one is Ok.
 */
function SentBatch({ sent }: { sent: { rows: BatchRow[]; hash: `0x${string}` } }) {
  const { live } = useApp();
  const hash = sent.hash.toLowerCase() as `0x${string}`;
  const rejections = useLive(live, `rejections:${hash}`, (db) =>
    db.select().from(transferRejectionView).where(eq(transferRejectionView.txHash, hash)),
  );
  const results = rejections.data
    ? new Map(sent.rows.map((_, index) => [index, rejections.data!.find((r) => r.batchIndex === index)?.result ?? "Ok"]))
    : undefined;
  return <BatchTable rows={sent.rows} results={results ?? new Map()} />;
}

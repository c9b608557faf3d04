import { and, asc, desc, eq, ilike, inArray, not } from "@ponder/client";
import { useState } from "react";
import { Name, NamedText } from "../components/Name.tsx";
import { Button, Card, dateTime, Empty, Field, inputClass, TxLink } from "../components/ui.tsx";
import { VerdictList } from "../components/Verdicts.tsx";
import { useApp } from "../lib/context.tsx";
import { toCsv } from "../lib/csv.ts";
import { navigate, useLocation } from "../lib/router.ts";
import { type LiveDb, useLive } from "../live/live.ts";
import { acknowledgementView, auditEventView, verdictView } from "../live/schema.ts";

const CONTRACTS = ["SovrLedger", "SovrCredit", "SovrToken", "SovrRelay", "ComponentRegistry", "GuardianAttestations"];
const PAGE_SIZE = 25;
/** Most rows one export writes; the audit table grows without bound. */
const EXPORT_LIMIT = 50_000;

export default function AuditPage() {
  const { live } = useApp();
  const { search } = useLocation();
  // A notification's link names the event: its verdicts only, routine ones included.
  const subject = /^0x[0-9a-f]{64}$/i.test(search.get("subject") ?? "")
    ? (search.get("subject")!.toLowerCase() as `0x${string}`)
    : undefined;
  // Unacknowledged first, newest first within each group.
  const [routine, setRoutine] = useState(false);
  // Unacknowledged first, newest first within each group; routine verdicts (LOW, MONITOR) only on request.
  const verdicts = useLive(live, `verdicts:${routine}:${subject ?? ""}`, (db) =>
    db
      .select()
      .from(verdictView)
      .where(
        subject
          ? eq(verdictView.subject, subject)
          : routine
            ? undefined
            : not(and(eq(verdictView.level, "LOW"), eq(verdictView.action, "MONITOR"))!),
      )
      .orderBy(asc(verdictView.acknowledged), desc(verdictView.id))
      .limit(50),
  );
  const open = verdicts.data?.filter((verdict) => !verdict.acknowledged).length;
  const acknowledgedIds = (verdicts.data ?? []).filter((verdict) => verdict.acknowledged).map((verdict) => verdict.id);
  const acknowledgements = useLive(live, `acknowledgements:${acknowledgedIds.join(",")}`, (db) =>
    db
      .select()
      .from(acknowledgementView)
      .where(inArray(acknowledgementView.verdictId, acknowledgedIds.length > 0 ? acknowledgedIds : [0n])),
  );
  const notes = new Map((acknowledgements.data ?? []).filter((ack) => ack.note !== "").map((ack) => [ack.verdictId, ack.note]));
  return (
    <div className="flex flex-col gap-6">
      <Card
        title={`Alerts${open ? ` · ${open} to acknowledge` : ""}`}
        testId="alerts"
        actions={
          <label className="flex items-center gap-1.5 text-xs text-gray-400">
            <input type="checkbox" checked={routine} onChange={(e) => setRoutine(e.target.checked)} />
            Show routine (LOW, MONITOR)
          </label>
        }
      >
        {subject && (
          <p className="mb-2 text-xs text-gray-400" data-testid="subject-filter">
            The verdicts on one event (from a notification): acknowledge one to stop its repeats.{" "}
            <button type="button" className="text-sky-400 underline" onClick={() => navigate("/audit")}>
              Show all
            </button>
          </p>
        )}
        <VerdictList
          verdicts={verdicts.data}
          withNote
          notes={notes}
          emptyText={routine ? "No verdicts yet." : "Nothing to acknowledge: every verdict so far is routine (LOW, MONITOR)."}
        />
      </Card>
      <AuditTrail />
    </div>
  );
}

type Filters = { contract: string; event: string; actor: string; tx: string };

function AuditTrail() {
  const { live } = useApp();
  const { search } = useLocation();
  const [filters, setFilters] = useState<Omit<Filters, "tx">>({ contract: "", event: "", actor: "" });
  const tx = search.get("tx") ?? "";
  const [page, setPage] = useState(0);
  const [exporting, setExporting] = useState<string>();
  const all: Filters = { ...filters, tx };
  const select = (db: LiveDb) =>
    db.select().from(auditEventView).where(conditionsOf(all)).orderBy(desc(auditEventView.blockNumber), desc(auditEventView.logIndex));
  const events = useLive(live, `audit:${JSON.stringify(all)}:${page}`, (db) =>
    select(db)
      .limit(PAGE_SIZE + 1)
      .offset(page * PAGE_SIZE),
  );
  const rows = events.data?.slice(0, PAGE_SIZE) ?? [];
  const set = (field: keyof typeof filters) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    setFilters({ ...filters, [field]: event.target.value });
    setPage(0);
  };

  const exportCsv = async () => {
    setExporting("Exporting…");
    try {
      const found = await select(live.db as unknown as LiveDb).limit(EXPORT_LIMIT);
      const csv = toCsv([
        ["block", "log_index", "time_utc", "contract", "event", "actor", "tx", "args"],
        ...found.map((row) => [
          row.blockNumber,
          row.logIndex,
          dateTime(row.timestamp),
          row.contract,
          row.event,
          row.actor,
          row.txHash,
          JSON.stringify(row.args),
        ]),
      ]);
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
      link.download = `sovr-audit-${new Date().toISOString().slice(0, 19).replaceAll(":", "")}.csv`;
      link.click();
      URL.revokeObjectURL(link.href);
      setExporting(
        `Exported ${found.length} events${found.length === EXPORT_LIMIT ? " (the newest; narrow the filters for older ones)" : ""}.`,
      );
    } catch (error) {
      setExporting(`Export failed: ${(error as Error).message.split("\n")[0]}`);
    }
  };

  return (
    <Card
      title="Audit trail"
      testId="audit"
      actions={
        <Button small onClick={() => void exportCsv()} testId="export-csv">
          Export CSV
        </Button>
      }
    >
      <div className="mb-3 grid grid-cols-2 gap-2 md:grid-cols-4">
        <Field label="Contract">
          <select className={inputClass} value={filters.contract} onChange={set("contract")} aria-label="Filter by contract">
            <option value="">any</option>
            {CONTRACTS.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </Field>
        <Field label="Event">
          <input
            className={inputClass}
            value={filters.event}
            onChange={set("event")}
            placeholder="TransferCreated"
            aria-label="Filter by event"
          />
        </Field>
        <Field label="Actor">
          <input className={inputClass} value={filters.actor} onChange={set("actor")} placeholder="0x…" aria-label="Filter by actor" />
        </Field>
        {tx && (
          <Field label="Transaction">
            <span className="flex items-center gap-2 font-mono text-xs">
              {tx.slice(0, 14)}…
              <Button small onClick={() => navigate("/audit")}>
                Clear
              </Button>
            </span>
          </Field>
        )}
      </div>
      {exporting && <p className="mb-2 text-xs text-gray-400">{exporting}</p>}
      {!events.data ? (
        <p className="text-sm text-gray-400">Loading…</p>
      ) : rows.length === 0 ? (
        <Empty>No events match.</Empty>
      ) : (
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-gray-400">
            <tr>
              <th className="py-1">Time</th>
              <th>Contract</th>
              <th>Event</th>
              <th>Actor</th>
              <th>Details</th>
              <th>Tx</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} className="border-t border-gray-700 align-top" data-testid="audit-row">
                <td className="py-1 whitespace-nowrap text-xs text-gray-400">{dateTime(row.timestamp)}</td>
                <td className="text-xs">{row.contract}</td>
                <td>{row.event}</td>
                <td className="text-xs">
                  <Name address={row.actor} />
                </td>
                <td className="max-w-md truncate text-xs text-gray-400" title={JSON.stringify(row.args)}>
                  <NamedText text={summariseArgs(row.args)} />
                </td>
                <td>
                  <TxLink hash={row.txHash} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="mt-2 flex items-center gap-2 text-sm text-gray-400">
        <Button small disabled={page === 0} onClick={() => setPage(page - 1)}>
          Previous
        </Button>
        <span>Page {page + 1}</span>
        <Button small disabled={(events.data?.length ?? 0) <= PAGE_SIZE} onClick={() => setPage(page + 1)}>
          Next
        </Button>
      </div>
    </Card>
  );
}

function conditionsOf(filters: Filters) {
  return and(
    filters.contract ? eq(auditEventView.contract, filters.contract) : undefined,
    filters.event.trim() ? ilike(auditEventView.event, `%${filters.event.trim()}%`) : undefined,
    /^0x[0-9a-fA-F]{40}$/.test(filters.actor.trim())
      ? eq(auditEventView.actor, filters.actor.trim().toLowerCase() as `0x${string}`)
      : undefined,
    /^0x[0-9a-fA-F]{64}$/.test(filters.tx) ? eq(auditEventView.txHash, filters.tx.toLowerCase() as `0x${string}`) : undefined,
  );
}

function summariseArgs(args: unknown): string {
  if (typeof args !== "object" || args === null) return String(args);
  return Object.entries(args as Record<string, unknown>)
    .map(([key, value]) => `${key}=${typeof value === "object" ? JSON.stringify(value) : String(value)}`)
    .join(" ");
}

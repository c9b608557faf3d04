import { boundedText, bytes32Text, capitalized, contractLimits, guardianAttestationsAbi } from "@sovr/contracts";
import { useState } from "react";
import { useApp } from "../lib/context.tsx";
import { useWrite } from "../lib/write.ts";
import type { verdictView } from "../live/schema.ts";
import { NamedText } from "./Name.tsx";
import { Badge, Button, Empty, inputClass, LEVEL_TONE, timeAgo, WriteStatus } from "./ui.tsx";

export type VerdictRow = typeof verdictView.$inferSelect;

/** Longest acknowledgement note the contract takes (NoteTooLong past it). */
const MAX_NOTE_BYTES = contractLimits.GuardianAttestations.MAX_NOTE_LENGTH;

/** `notes`: the owner's acknowledgement note by verdict id, where the list shows them. */
export function VerdictList({
  verdicts,
  withNote,
  emptyText,
  notes,
}: {
  verdicts: VerdictRow[] | undefined;
  withNote: boolean;
  emptyText: string;
  notes?: Map<bigint, string>;
}) {
  const [selected, setSelected] = useState<Set<bigint>>(new Set());
  // Once used, the bulk panel stays to show its outcome: the acknowledged verdicts can leave the open list
  // (live) before the write is reported indexed.
  const [bulkUsed, setBulkUsed] = useState(false);
  if (!verdicts) return <p className="text-sm text-gray-400">Loading verdicts…</p>;
  if (verdicts.length === 0) return <Empty>{emptyText}</Empty>;
  const open = verdicts.filter((verdict) => !verdict.acknowledged).map((verdict) => verdict.id);
  // What was acknowledged meanwhile (on another device too) drops out of the selection.
  const chosen = open.filter((id) => selected.has(id));
  const toggle = (id: bigint) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  return (
    <div className="flex flex-col gap-2">
      {withNote && (open.length > 1 || bulkUsed) && (
        <BulkAcknowledge open={open} chosen={chosen} onChoose={(ids) => setSelected(new Set(ids))} onSend={() => setBulkUsed(true)} />
      )}
      <ul className="flex flex-col gap-2" data-testid="verdicts">
        {verdicts.map((verdict) => (
          <VerdictItem
            key={verdict.id.toString()}
            verdict={verdict}
            withNote={withNote}
            note={notes?.get(verdict.id)}
            selected={withNote && open.length > 1 ? chosen.includes(verdict.id) : undefined}
            onToggle={() => toggle(verdict.id)}
          />
        ))}
      </ul>
    </div>
  );
}

/** Several open verdicts acknowledged with one note, in one transaction. */
function BulkAcknowledge({
  open,
  chosen,
  onChoose,
  onSend,
}: {
  open: bigint[];
  chosen: bigint[];
  onChoose: (ids: bigint[]) => void;
  onSend: () => void;
}) {
  const { config } = useApp();
  const write = useWrite();
  const [note, setNote] = useState("");
  const [error, setError] = useState<string>();
  const acknowledge = () => {
    const checked = boundedText(note.trim(), "the note", { max: MAX_NOTE_BYTES });
    if (!checked.ok) {
      setError(capitalized(checked.error));
      return;
    }
    setError(undefined);
    onSend();
    void write
      .run(`Acknowledging ${chosen.length} verdicts`, [
        {
          address: config.contracts.guardian,
          abi: guardianAttestationsAbi,
          functionName: "acknowledgeMany",
          args: [chosen, checked.value],
        },
      ])
      .then((hash) => {
        if (!hash) return;
        onChoose([]);
        setNote("");
      });
  };
  return (
    <div
      className="flex flex-wrap items-start gap-2 rounded border border-gray-700 bg-gray-900/40 p-2 text-sm"
      data-testid="bulk-acknowledge"
    >
      <label className="flex items-center gap-1.5 text-xs text-gray-300">
        <input
          type="checkbox"
          checked={chosen.length === open.length}
          onChange={(event) => onChoose(event.target.checked ? open : [])}
          data-testid="select-all-open"
        />
        All {open.length} open
      </label>
      <div className="flex flex-col">
        <input
          className={inputClass}
          placeholder="One note for all (optional)"
          value={note}
          onChange={(event) => setNote(event.target.value)}
          aria-label="Note for the selected verdicts"
        />
        {error && (
          <span role="alert" className="text-xs text-red-400">
            {error}
          </span>
        )}
      </div>
      <Button small kind="primary" disabled={write.busy || chosen.length === 0} onClick={acknowledge} testId="acknowledge-selected">
        Acknowledge {chosen.length} selected
      </Button>
      <WriteStatus state={write.state} testId="bulk-write-status" />
    </div>
  );
}

function VerdictItem({
  verdict,
  withNote,
  note: savedNote,
  selected,
  onToggle,
}: {
  verdict: VerdictRow;
  withNote: boolean;
  note: string | undefined;
  /** Whether it is chosen for a bulk acknowledgement; undefined where there is no choosing. */
  selected: boolean | undefined;
  onToggle: () => void;
}) {
  const { config } = useApp();
  const write = useWrite();
  const [note, setNote] = useState("");
  const [noteError, setNoteError] = useState<string>();
  const acknowledge = () => {
    const bytes = new TextEncoder().encode(note).length;
    if (bytes > MAX_NOTE_BYTES) {
      setNoteError(`The note is ${bytes} bytes; at most ${MAX_NOTE_BYTES} fit on-chain.`);
      return;
    }
    setNoteError(undefined);
    void write.run(`Acknowledging verdict ${verdict.id}`, [
      { address: config.contracts.guardian, abi: guardianAttestationsAbi, functionName: "acknowledge", args: [verdict.id, note.trim()] },
    ]);
  };
  return (
    <li
      className="rounded border border-gray-700 bg-gray-900/60 p-3 text-sm"
      data-testid={`verdict-${verdict.id}`}
      data-acknowledged={verdict.acknowledged}
    >
      <div className="flex flex-wrap items-center gap-2">
        {selected !== undefined && !verdict.acknowledged && (
          <input
            type="checkbox"
            checked={selected}
            onChange={onToggle}
            aria-label={`Select verdict ${verdict.id}`}
            data-testid="select-verdict"
          />
        )}
        <Badge tone={LEVEL_TONE[verdict.level] ?? "gray"}>{verdict.level}</Badge>
        <Badge tone={verdict.action === "MONITOR" ? "gray" : verdict.action === "ALERT" ? "yellow" : "red"}>{verdict.action}</Badge>
        <span className="text-gray-300">{bytes32Text(verdict.threatType) || "threat"}</span>
        <span className="text-xs text-gray-500">
          by {bytes32Text(verdict.analyzer)} · {verdict.confidence}% · {timeAgo(verdict.timestamp)}
        </span>
        {verdict.enforcement.length > 0 && <Badge tone="red">{verdict.enforcement.join(", ")}</Badge>}
        {verdict.acknowledged && <Badge tone="green">acknowledged</Badge>}
      </div>
      <p className="mt-1 text-gray-200">
        <NamedText text={verdict.summary} />
      </p>
      {savedNote && (
        <p className="mt-1 text-xs text-gray-400" data-testid="ack-note">
          Your note: {savedNote}
        </p>
      )}
      {!verdict.acknowledged && (
        <div className="mt-2 flex flex-wrap items-start gap-2">
          {withNote && (
            <div className="flex flex-col">
              <input
                className={inputClass}
                placeholder="Note (optional)"
                value={note}
                onChange={(e) => setNote(e.target.value)}
                aria-label="Acknowledgement note"
              />
              {noteError && (
                <span role="alert" className="text-xs text-red-400">
                  {noteError}
                </span>
              )}
            </div>
          )}
          <Button small kind="primary" disabled={write.busy} onClick={acknowledge} testId={`acknowledge-${verdict.id}`}>
            Acknowledge
          </Button>
        </div>
      )}
      <WriteStatus state={write.state} />
    </li>
  );
}

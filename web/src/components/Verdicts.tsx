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
  // Here, not in the bar: the bar's outcome must stay in view after its verdicts leave the open list.
  const bulk = useWrite();
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
      {withNote && (open.length > 1 || bulk.state.stage !== "idle") && (
        <BulkAcknowledge open={open} chosen={chosen} onChoose={(ids) => setSelected(new Set(ids))} write={bulk} />
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

/** An acknowledgement note with what is wrong with it right below. */
function NoteInput(props: {
  note: string;
  onChange: (note: string) => void;
  error: string | undefined;
  placeholder: string;
  label: string;
}) {
  return (
    <div className="flex flex-col">
      <input
        className={inputClass}
        placeholder={props.placeholder}
        value={props.note}
        onChange={(event) => props.onChange(event.target.value)}
        aria-label={props.label}
      />
      {props.error && (
        <span role="alert" className="text-xs text-red-400">
          {props.error}
        </span>
      )}
    </div>
  );
}

/** Several open verdicts acknowledged with one note, in one transaction; only its outcome once fewer than two are open. */
function BulkAcknowledge({
  open,
  chosen,
  onChoose,
  write,
}: {
  open: bigint[];
  chosen: bigint[];
  onChoose: (ids: bigint[]) => void;
  write: ReturnType<typeof useWrite>;
}) {
  const { config } = useApp();
  const [note, setNote] = useState("");
  const [error, setError] = useState<string>();
  const acknowledge = () => {
    const checked = boundedText(note.trim(), "the note", { max: MAX_NOTE_BYTES });
    if (!checked.ok) {
      setError(capitalized(checked.error));
      return;
    }
    setError(undefined);
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
      {open.length > 1 && (
        <>
          <label className="flex items-center gap-1.5 text-xs text-gray-300">
            <input
              type="checkbox"
              checked={chosen.length === open.length}
              onChange={(event) => onChoose(event.target.checked ? open : [])}
              data-testid="select-all-open"
            />
            All {open.length} open
          </label>
          <NoteInput
            note={note}
            onChange={setNote}
            error={error}
            placeholder="One note for all (optional)"
            label="Note for the selected verdicts"
          />
          <Button small kind="primary" disabled={write.busy || chosen.length === 0} onClick={acknowledge} testId="acknowledge-selected">
            Acknowledge {chosen.length} selected
          </Button>
        </>
      )}
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
    const checked = boundedText(note.trim(), "the note", { max: MAX_NOTE_BYTES });
    if (!checked.ok) {
      setNoteError(capitalized(checked.error));
      return;
    }
    setNoteError(undefined);
    void write.run(`Acknowledging verdict ${verdict.id}`, [
      { address: config.contracts.guardian, abi: guardianAttestationsAbi, functionName: "acknowledge", args: [verdict.id, checked.value] },
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
            <NoteInput note={note} onChange={setNote} error={noteError} placeholder="Note (optional)" label="Acknowledgement note" />
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

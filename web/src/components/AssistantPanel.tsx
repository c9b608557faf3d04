/**
 * The chat panel: the owner's questions go to the assistant's API (the Gemini key stays on the host),
 * answers come back with the rows they came from, and drafts open the normal form prefilled, for the
 * owner to review and sign in the wallet. Nothing here sends a transaction.
 */
import { type Draft, parseDraft } from "@sovr/contracts";
import { useState } from "react";
import { useApp } from "../lib/context.tsx";
import { navigate } from "../lib/router.ts";
import { Button, inputClass } from "./ui.tsx";

type Source = { tool: string; args: unknown; rows: Record<string, unknown>[]; summary?: Record<string, unknown>; note?: string };
type Reply =
  | { ok: true; answer: string; sources: Source[]; drafts: (Draft & { link: string })[]; refused: string[] }
  | { ok: false; error: string };
type Entry = ({ role: "owner"; text: string } | { role: "assistant"; reply: Reply }) & { id: number };

let nextEntryId = 1;

function checkedReply(value: unknown): Reply {
  const body = value as Partial<Record<string, unknown>> | null;
  if (body?.ok === false && typeof body.error === "string") return { ok: false, error: body.error };
  if (body?.ok !== true || typeof body.answer !== "string") return { ok: false, error: "the assistant answered something unexpected" };
  // Drafts are checked again here with the forms' own rules: only what parses becomes a link.
  const drafts = (Array.isArray(body.drafts) ? body.drafts : []).flatMap((draft: unknown) => {
    const parsed = parseDraft(draft);
    const link = (draft as { link?: unknown }).link;
    return parsed.ok && typeof link === "string" && link.startsWith("/") ? [{ ...parsed.value, link }] : [];
  });
  return {
    ok: true,
    answer: body.answer,
    sources: Array.isArray(body.sources) ? (body.sources as Source[]) : [],
    drafts,
    refused: Array.isArray(body.refused) ? (body.refused as string[]) : [],
  };
}

export default function AssistantPanel({ onClose }: { onClose: () => void }) {
  const { config } = useApp();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [question, setQuestion] = useState("");
  const [busy, setBusy] = useState(false);
  const ask = async (event: React.FormEvent) => {
    event.preventDefault();
    const text = question.trim();
    if (!text || busy) return;
    const history = entries.map((entry) =>
      entry.role === "owner"
        ? { role: "owner", text: entry.text }
        : { role: "assistant", text: entry.reply.ok ? entry.reply.answer : entry.reply.error },
    );
    setEntries((list) => [...list, { role: "owner", text, id: nextEntryId++ }]);
    setQuestion("");
    setBusy(true);
    let reply: Reply;
    try {
      const response = await fetch(`${config.assistantUrl}/api/ask`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ question: text, history }),
      });
      reply = checkedReply(await response.json());
    } catch (error) {
      reply = { ok: false, error: `the assistant does not answer (${(error as Error).message})` };
    }
    setEntries((list) => [...list, { role: "assistant", reply, id: nextEntryId++ }]);
    setBusy(false);
  };
  return (
    <aside
      className="fixed right-4 bottom-4 z-40 flex max-h-[75vh] w-[28rem] max-w-[calc(100vw-2rem)] flex-col rounded-lg border border-gray-600 bg-gray-900 shadow-xl"
      data-testid="assistant-panel"
      aria-label="Assistant"
    >
      <header className="flex items-center justify-between border-b border-gray-700 px-3 py-2">
        <span className="text-sm font-semibold">Ask about your ledger</span>
        <button type="button" className="text-gray-400 hover:text-gray-200" onClick={onClose} aria-label="Close the assistant">
          ×
        </button>
      </header>
      <div className="flex-1 overflow-y-auto px-3 py-2 text-sm" data-testid="assistant-log">
        {!config.assistantUrl && <p className="text-gray-400">No assistant runs with this deployment.</p>}
        {entries.length === 0 && config.assistantUrl && (
          <p className="text-gray-400">
            e.g. "How much did I pay Acme Ltd in March?", "Which components were down this week?". Answers come from the index, with their
            rows; actions come back as drafts for you to review and sign.
          </p>
        )}
        {entries.map((entry) =>
          entry.role === "owner" ? (
            <p key={entry.id} className="my-2 text-right text-sky-200">
              {entry.text}
            </p>
          ) : (
            <AssistantReply key={entry.id} reply={entry.reply} onOpen={onClose} />
          ),
        )}
        {busy && <p className="text-gray-400">Thinking…</p>}
      </div>
      <form className="flex gap-2 border-t border-gray-700 p-2" onSubmit={(event) => void ask(event)}>
        <input
          className={`${inputClass} flex-1`}
          value={question}
          onChange={(event) => setQuestion(event.target.value)}
          placeholder="Ask a question"
          aria-label="Question"
          disabled={!config.assistantUrl}
          maxLength={2000}
        />
        <Button type="submit" kind="primary" disabled={busy || !config.assistantUrl || question.trim() === ""} testId="ask">
          Ask
        </Button>
      </form>
    </aside>
  );
}

function AssistantReply({ reply, onOpen }: { reply: Reply; onOpen: () => void }) {
  if (!reply.ok)
    return (
      <p className="my-2 text-amber-300" role="alert" data-testid="assistant-error">
        {reply.error}
      </p>
    );
  return (
    <div className="my-2 rounded border border-gray-700 p-2" data-testid="assistant-answer">
      <p className="whitespace-pre-wrap text-gray-100">{reply.answer}</p>
      {reply.sources.map((source) => (
        <details key={`${source.tool}:${JSON.stringify(source.args)}`} className="mt-1 text-xs text-gray-400">
          <summary>
            from {source.tool} ({source.rows.length} rows){source.note ? `: ${source.note}` : ""}
          </summary>
          {source.summary && <pre className="overflow-x-auto whitespace-pre-wrap">{JSON.stringify(source.summary)}</pre>}
          <pre className="max-h-48 overflow-auto whitespace-pre-wrap">{source.rows.map((row) => JSON.stringify(row)).join("\n")}</pre>
        </details>
      ))}
      {reply.drafts.map((draft) => (
        <div
          key={draft.link}
          className="mt-2 rounded border border-amber-700 bg-amber-950/40 p-2 text-xs text-amber-100"
          data-testid="assistant-draft"
        >
          <p className="font-semibold">Draft {draft.kind}: review it in the form, then sign in your wallet</p>
          <pre className="whitespace-pre-wrap">{JSON.stringify({ ...draft, link: undefined, caution: undefined }, null, 1)}</pre>
          {draft.caution && <p className="text-amber-300">Caution: {draft.caution}</p>}
          <Button
            small
            onClick={() => {
              onOpen();
              navigate(draft.link);
            }}
          >
            Open the form
          </Button>
        </div>
      ))}
      {reply.refused.length > 0 && (
        <p className="mt-1 text-xs text-gray-500">Refused: {reply.refused.join(", ")} (the assistant can only read and draft).</p>
      )}
    </div>
  );
}

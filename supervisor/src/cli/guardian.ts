/** Guardian verbs: verdicts (from the indexer) and ack (the owner's acknowledgement, on-chain). */
import { bytes32Text, contractLimits, guardianAttestationsAbi } from "@sovr/contracts";
import { fields } from "@sovr/indexer/client";
import { z } from "zod";
import { boundedText, parseId, UsageError } from "./args.ts";
import { openSigning, send } from "./chain.ts";
import { indexerOf } from "./indexer.ts";
import { indexedNotes, isoTime, noMoreArguments, table, text, type Verb } from "./verb.ts";

const MAX_NOTE_BYTES = contractLimits.GuardianAttestations.MAX_NOTE_LENGTH;
const DEFAULT_LIMIT = 20;
/** Ponder's largest page. */
const MAX_LIMIT = 1000;

const indexedVerdict = z.object({
  id: z.string(),
  level: z.string(),
  action: z.string(),
  threatType: fields.hex,
  confidence: z.number(),
  summary: z.string(),
  analyzer: fields.hex,
  timestamp: z.string(),
  acknowledged: z.boolean(),
  enforcement: z.array(z.string()),
});
const verdictPage = z.object({ items: z.array(indexedVerdict), totalCount: z.number() });
const VERDICT_FIELDS = "items { id level action threatType confidence summary analyzer timestamp acknowledged enforcement } totalCount";
const VERDICTS_QUERY = `query ($limit: Int) {
  open: verdicts(where: { acknowledged: false }, orderBy: "id", orderDirection: "desc", limit: $limit) { ${VERDICT_FIELDS} }
  acknowledged: verdicts(where: { acknowledged: true }, orderBy: "id", orderDirection: "desc", limit: $limit) { ${VERDICT_FIELDS} }
}`;

export const verdicts: Verb = {
  name: "verdicts",
  summary: "the guardian's verdicts, unacknowledged first, newest first",
  help: `usage: pnpm sovr verdicts [--limit <n>] [--unacknowledged] [--json]

  --limit <n>         at most this many (default ${DEFAULT_LIMIT}, up to ${MAX_LIMIT})
  --unacknowledged    only those the owner has not acknowledged (pnpm sovr ack)`,
  options: { limit: { type: "string" }, unacknowledged: { type: "boolean" } },
  async run({ positionals, values, env }) {
    noMoreArguments("verdicts", positionals, 0);
    const limit = values.limit === undefined ? DEFAULT_LIMIT : Number(parseId(text(values, "limit"), "--limit", 32));
    if (limit > MAX_LIMIT) throw new UsageError(`--limit must be at most ${MAX_LIMIT}, not ${limit}`);
    const data = await indexerOf(env).graphql(VERDICTS_QUERY, { limit }, z.object({ open: verdictPage, acknowledged: verdictPage }));
    const open = data.open.items;
    const acknowledged = values.unacknowledged === true ? [] : data.acknowledged.items.slice(0, limit - open.length);
    const list = [...open, ...acknowledged].map((v) => ({
      id: v.id,
      level: v.level,
      action: v.action,
      threatType: bytes32Text(v.threatType),
      confidence: v.confidence,
      summary: v.summary,
      analyzer: bytes32Text(v.analyzer),
      attestedAt: Number(v.timestamp),
      acknowledged: v.acknowledged,
      enforcement: v.enforcement,
    }));
    const counts = { unacknowledged: data.open.totalCount, total: data.open.totalCount + data.acknowledged.totalCount };
    const heading = `${counts.unacknowledged} unacknowledged of ${counts.total} verdicts${list.length < counts.total ? ` (showing ${list.length})` : ""}`;
    if (list.length === 0) return { data: { ...counts, verdicts: list }, text: heading };
    const rows = list.map((v) => [
      v.id,
      v.acknowledged ? "ack" : "OPEN",
      isoTime(v.attestedAt),
      v.level,
      v.action,
      v.threatType,
      `${v.confidence}%`,
      v.analyzer,
      `${v.summary.length > 80 ? `${v.summary.slice(0, 79)}…` : v.summary}${v.enforcement.length ? ` [${v.enforcement.join(", ")}]` : ""}`,
    ]);
    return {
      data: { ...counts, verdicts: list },
      text: `${heading}\n${table(["id", "", "attested", "level", "action", "threat", "conf", "analyzer", "summary"], rows)}`,
    };
  },
};

export const ack: Verb = {
  name: "ack",
  summary: "acknowledge guardian verdicts (owner key), several at once with one note",
  help: `usage: pnpm sovr ack <verdict id> [<verdict id> ...] [--note <text>] [--json]

Several ids are acknowledged in one transaction, all or none.

  --note <text>       up to ${MAX_NOTE_BYTES} bytes kept with each acknowledgement`,
  options: { note: { type: "string" } },
  async run({ positionals, values, env }) {
    if (positionals.length === 0) throw new UsageError("name the verdicts to acknowledge (pnpm sovr verdicts lists them)");
    const verdictIds = positionals.map((id) => parseId(id, "verdict id", 64));
    if (new Set(verdictIds).size !== verdictIds.length) throw new UsageError("a verdict id is named twice");
    const note = boundedText(text(values, "note"), "--note", { min: 0, max: MAX_NOTE_BYTES });

    const session = await openSigning(env);
    const attestations = { address: session.deployment.guardian, abi: guardianAttestationsAbi } as const;
    const count = await session.client.readContract({ ...attestations, functionName: "verdictCount" });
    const unknown = verdictIds.find((id) => id > count);
    if (unknown !== undefined) throw new UsageError(`there is no verdict ${unknown} (${count} attested; pnpm sovr verdicts)`);
    const { receipt } =
      verdictIds.length === 1
        ? await send(session, "ack", { ...attestations, functionName: "acknowledge", args: [verdictIds[0]!, note] })
        : await send(session, "ack", { ...attestations, functionName: "acknowledgeMany", args: [verdictIds, note] });
    const notes = await indexedNotes(env, receipt);
    const list = verdictIds.join(", ");
    return {
      data: { verdictIds: verdictIds.map(String), note, txHash: receipt.transactionHash, blockNumber: Number(receipt.blockNumber) },
      notes,
      text: `verdict${verdictIds.length === 1 ? "" : "s"} ${list} acknowledged${note ? `: ${note}` : ""}`,
    };
  },
};

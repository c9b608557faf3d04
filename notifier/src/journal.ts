/**
 * The delivery journal (`<SOVR_HOME>/notifier/journal.jsonl`): the one piece of state the notifier
 * keeps that the chain cannot rebuild. Every line is appended and flushed before the step it records
 * takes effect: a notice and its planned deliveries before the cursor passes its event, a delivery's
 * commit point before the last byte of its request leaves (see `channels/http.ts`), its outcome after.
 * Replaying the lines gives back exactly what was planned, sent, failed, skipped and closed, so a
 * restarted notifier sends every planned delivery once and none twice. A torn last line (a kill mid-
 * append) is ignored. The journal is compacted when it grows: open notices, recent deliveries (for
 * deduplication, rate limits and Settings) and the cursor are kept.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { appendDurably, writeDurably } from "@sovr/runtime";
import type { Severity } from "./kinds.ts";

/** What the notifier will tell, about one event (or a test). */
export type Notice = {
  /** The audit event's id (Ponder's, stable), or `test:<channel>:<n>`. */
  id: string;
  kind: string;
  severity: Severity;
  title: string;
  text: string;
  link: string;
  /** Block time of the event, Unix seconds. */
  at: number;
  /** The verdict subject of the event: the owner acknowledges it by acknowledging a verdict on it. */
  subject?: `0x${string}` | undefined;
  componentId?: number | undefined;
  componentName?: string | undefined;
  /** A delivery to a channel is skipped when one of these was sent there within the dedup window. */
  dedupKeys: string[];
  /** An incident this notice opens (`component:<id>`), which a later recovery closes. */
  incident?: string | undefined;
  /** A recovery: it closes this incident and goes to the channels that were told of it. */
  resolves?: string | undefined;
  /** Repeats and escalation, when a route asks for them and the owner can acknowledge it. */
  escalation?: {
    channels: string[];
    repeatMinutes?: number | undefined;
    escalateAfterMinutes?: number | undefined;
    escalateTo?: string[] | undefined;
  };
};

export type DeliveryState = "planned" | "committed" | "sent" | "failed" | "skipped";

export type Delivery = {
  id: string;
  noticeId: string;
  channel: string;
  /** Not before this time (ms): quiet hours hold a delivery until they end. */
  due: number;
  repeat?: number | undefined;
  escalated?: boolean | undefined;
  state: DeliveryState;
  plannedAt: number;
  sentAt?: number | undefined;
  attempts: number;
  lastError?: string | undefined;
  /** A failure no retry will fix (or retries ran out). */
  final?: boolean | undefined;
  reason?: string | undefined;
  /** A digest: the deliveries it carries. */
  covers?: string[] | undefined;
  /** Carried by this digest. */
  coveredBy?: string | undefined;
};

export type Entry =
  | { t: "cursor"; block: string; logIndex: number }
  | { t: "notice"; notice: Notice; at: number }
  | {
      t: "plan";
      id: string;
      noticeId: string;
      channel: string;
      due: number;
      repeat?: number;
      escalated?: boolean;
      covers?: string[];
      at: number;
    }
  | { t: "commit"; id: string; mode: "received" | "attempted"; at: number }
  | { t: "sent"; id: string; at: number; ms: number }
  | { t: "failed"; id: string; at: number; error: string; final: boolean }
  | { t: "skip"; id: string; reason: string; at: number }
  | { t: "closed"; noticeId: string; reason: string; at: number };

export type Failure = { at: number; id: string; channel: string; noticeId: string; error: string; final: boolean };

/** Lines after which the journal is rewritten with what still matters. */
const COMPACT_AFTER_LINES = 20_000;
/** How long sent deliveries and closed notices are kept at a compaction (dedup, rate limits, Settings). */
const KEEP_MS = 24 * 3600_000;
/** Failures kept for Settings. */
const KEEP_FAILURES = 200;

export class Journal {
  readonly file: string;
  cursor: { blockNumber: bigint; logIndex: number } | undefined;
  readonly notices = new Map<string, Notice>();
  readonly noticeAt = new Map<string, number>();
  readonly closed = new Map<string, string>();
  readonly deliveries = new Map<string, Delivery>();
  readonly failures: Failure[] = [];
  /** Deliveries whose commit point was passed before a restart and which count as sent (`received`). */
  assumedSent = 0;
  private lines = 0;

  constructor(dir: string) {
    this.file = join(dir, "journal.jsonl");
    if (existsSync(this.file)) this.replay(readFileSync(this.file, "utf8"));
  }

  private replay(text: string): void {
    const raw = text.split("\n");
    for (const [index, line] of raw.entries()) {
      if (line.trim() === "") continue;
      let entry: Entry;
      try {
        entry = JSON.parse(line) as Entry;
      } catch {
        // Only the last line can be torn (a kill mid-append); anything else is a broken journal.
        if (index >= raw.length - 2) continue;
        throw new Error(`${this.file} line ${index + 1} is not JSON: the delivery journal is damaged`);
      }
      this.apply(entry);
      this.lines++;
    }
    // A request complete on the wire was received: not sent again. An SMTP message was not accepted
    // without the 250 the notifier never read: sent again, under the same Message-ID.
    for (const delivery of this.deliveries.values()) {
      if (delivery.state !== "committed") continue;
      if (this.commitModes.get(delivery.id) === "received") {
        this.markSent(delivery, delivery.sentAt ?? Date.now());
        this.assumedSent++;
      } else {
        delivery.state = "planned";
      }
    }
    this.commitModes.clear();
  }

  private readonly commitModes = new Map<string, "received" | "attempted">();

  private markSent(delivery: Delivery, at: number): void {
    delivery.state = "sent";
    delivery.sentAt = at;
    for (const covered of delivery.covers ?? []) {
      const item = this.deliveries.get(covered);
      if (item) {
        item.state = "sent";
        item.sentAt = at;
        item.coveredBy = delivery.id;
      }
    }
  }

  private apply(entry: Entry): void {
    switch (entry.t) {
      case "cursor":
        this.cursor = { blockNumber: BigInt(entry.block), logIndex: entry.logIndex };
        break;
      case "notice":
        this.notices.set(entry.notice.id, entry.notice);
        this.noticeAt.set(entry.notice.id, entry.at);
        break;
      case "plan":
        this.deliveries.set(entry.id, {
          id: entry.id,
          noticeId: entry.noticeId,
          channel: entry.channel,
          due: entry.due,
          repeat: entry.repeat,
          escalated: entry.escalated,
          covers: entry.covers,
          state: "planned",
          plannedAt: entry.at,
          attempts: 0,
        });
        for (const covered of entry.covers ?? []) {
          const item = this.deliveries.get(covered);
          if (item) item.coveredBy = entry.id;
        }
        break;
      case "commit": {
        const delivery = this.deliveries.get(entry.id);
        if (!delivery) break;
        delivery.state = "committed";
        delivery.attempts++;
        this.commitModes.set(entry.id, entry.mode);
        break;
      }
      case "sent": {
        const delivery = this.deliveries.get(entry.id);
        if (delivery) this.markSent(delivery, entry.at);
        break;
      }
      case "failed": {
        const delivery = this.deliveries.get(entry.id);
        if (!delivery) break;
        delivery.lastError = entry.error;
        delivery.final = entry.final;
        delivery.state = entry.final ? "failed" : "planned";
        this.failures.push({
          at: entry.at,
          id: entry.id,
          channel: delivery.channel,
          noticeId: delivery.noticeId,
          error: entry.error,
          final: entry.final,
        });
        if (this.failures.length > KEEP_FAILURES) this.failures.shift();
        if (entry.final) {
          for (const covered of delivery.covers ?? []) {
            const item = this.deliveries.get(covered);
            if (item) {
              item.state = "failed";
              item.final = true;
              item.lastError = entry.error;
            }
          }
        }
        break;
      }
      case "skip": {
        const delivery = this.deliveries.get(entry.id);
        if (delivery) {
          delivery.state = "skipped";
          delivery.reason = entry.reason;
        }
        break;
      }
      case "closed":
        this.closed.set(entry.noticeId, entry.reason);
        break;
    }
  }

  /** Appends entries (one write, one flush) and applies them. */
  write(...entries: Entry[]): void {
    if (entries.length === 0) return;
    appendDurably(this.file, entries.map((entry) => `${JSON.stringify(entry)}\n`).join(""));
    for (const entry of entries) this.apply(entry);
    this.lines += entries.length;
    // Applying a commit here keeps it `committed` (the outcome follows in this run).
    this.commitModes.clear();
  }

  /** Rewrites the journal when it has grown: the cursor, open notices and recent deliveries stay. */
  compactIfLarge(now = Date.now()): boolean {
    if (this.lines < COMPACT_AFTER_LINES) return false;
    const keepNotice = (id: string) => !this.closed.has(id) || now - (this.noticeAt.get(id) ?? 0) < KEEP_MS;
    const entries: Entry[] = [];
    if (this.cursor) entries.push({ t: "cursor", block: this.cursor.blockNumber.toString(), logIndex: this.cursor.logIndex });
    const kept = new Set<string>();
    for (const [id, notice] of this.notices) {
      const deliveries = [...this.deliveries.values()].filter((d) => d.noticeId === id);
      const recent = deliveries.some((d) => d.state === "planned" || d.state === "committed" || now - (d.sentAt ?? d.plannedAt) < KEEP_MS);
      if (!keepNotice(id) && !recent) continue;
      kept.add(id);
      entries.push({ t: "notice", notice, at: this.noticeAt.get(id) ?? now });
      const reason = this.closed.get(id);
      if (reason) entries.push({ t: "closed", noticeId: id, reason, at: now });
    }
    for (const d of this.deliveries.values()) {
      if (!kept.has(d.noticeId) && !d.covers) continue;
      entries.push({
        t: "plan",
        id: d.id,
        noticeId: d.noticeId,
        channel: d.channel,
        due: d.due,
        at: d.plannedAt,
        ...(d.repeat ? { repeat: d.repeat } : {}),
        ...(d.escalated ? { escalated: true } : {}),
        ...(d.covers ? { covers: d.covers } : {}),
      });
      if (d.state === "sent" && !d.coveredBy) entries.push({ t: "sent", id: d.id, at: d.sentAt ?? now, ms: 0 });
      if (d.state === "skipped") entries.push({ t: "skip", id: d.id, reason: d.reason ?? "", at: now });
      if (d.state === "failed" && !d.coveredBy) entries.push({ t: "failed", id: d.id, at: now, error: d.lastError ?? "", final: true });
    }
    writeDurably(this.file, entries.map((entry) => `${JSON.stringify(entry)}\n`).join(""));
    this.lines = entries.length;
    return true;
  }
}

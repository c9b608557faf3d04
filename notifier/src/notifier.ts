/**
 * The notifier: follows the indexer's audit trail in chain order, turns events into notices, routes
 * them to channels (kinds, severity, components, quiet hours, maintenance windows, deduplication),
 * delivers each planned message once (journal, retries with back-off, rate limit with digests), and
 * repeats and escalates what the owner has not acknowledged on-chain until they do (or it recovers).
 */

import type { MaintenanceWindowRow } from "@sovr/indexer/client";
import { activeMaintenance } from "@sovr/indexer/maintenance";
import pRetry, { AbortError } from "p-retry";
import { DeliveryError } from "./channels/http.ts";
import type { Channel } from "./channels/index.ts";
import type { NotificationsConfig } from "./config.ts";
import { type ComponentInfo, NotifierIndexer } from "./indexer.ts";
import { type Delivery, type Entry, Journal, type Notice } from "./journal.ts";
import { type Severity, severityRank } from "./kinds.ts";
import type { Message } from "./message.ts";
import type { NotifierMetrics } from "./metrics.ts";
import { SOURCES } from "./notices.ts";
import { matchingRoutes, quietHoursOf, quietUntil, rateAllowance, rateLimitOf } from "./router.ts";

export type NotifierOptions = {
  journalDir: string;
  indexerUrl: string;
  /** The command center's address, for links (the configuration's `commandCenterUrl` wins). */
  webUrl: string;
  pollMs: number;
  /** Retries of one delivery after its first attempt, and the back-off between them. */
  retries: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  /** How often acknowledgements, recoveries, repeats and escalations are looked at. */
  escalationTickMs: number;
  log?: (line: string) => void;
};

/** Events looked at per step. */
const PAGE = 100;
/** How long the component names and maintenance windows read from the index are reused. */
const CACHE_MS = 2000;

export type ChannelReport = {
  name: string;
  type: string;
  target: string;
  sent24h: number;
  failed24h: number;
  pending: number;
  lastSentAt: number | null;
  lastError: { at: number; error: string; final: boolean } | null;
};

/** Channels whose last delivery gave up: a notice the owner should have had did not arrive, and none has since. */
export function failingChannels(channels: ChannelReport[]): string[] {
  return channels
    .filter(({ lastError, lastSentAt }) => lastError?.final && (lastSentAt === null || lastSentAt < lastError.at))
    .map((channel) => channel.name);
}

export class Notifier {
  readonly journal: Journal;
  readonly indexer: NotifierIndexer;
  private readonly config: NotificationsConfig;
  private readonly channels: Map<string, Channel>;
  private readonly options: NotifierOptions;
  private readonly metrics: NotifierMetrics;
  private readonly log: (line: string) => void;
  private components: { at: number; byId: Map<number, ComponentInfo> } = { at: 0, byId: new Map() };
  private windows: { at: number; block: bigint | undefined; rows: MaintenanceWindowRow[] } = { at: 0, block: undefined, rows: [] };
  /** The indexed block the events of the current step were read at. */
  private stepBlock: bigint | undefined;
  private readonly busy = new Set<string>();
  lastLoopAt = 0;
  processedBlock: bigint | undefined;
  /** The indexed block as of the last completed step, and whether its page was full. */
  private completedThrough: bigint | undefined;
  private pageWasFull = false;

  constructor(config: NotificationsConfig, channels: Channel[], options: NotifierOptions, metrics: NotifierMetrics) {
    this.config = config;
    this.channels = new Map(channels.map((channel) => [channel.name, channel]));
    this.options = options;
    this.metrics = metrics;
    this.log = options.log ?? ((line) => console.error(line));
    this.journal = new Journal(options.journalDir);
    this.indexer = new NotifierIndexer(options.indexerUrl);
    if (this.journal.assumedSent > 0) {
      this.log(`notifier: ${this.journal.assumedSent} deliveries were complete on the wire when the notifier stopped; not sent again`);
    }
  }

  private link(path: string): string {
    return `${(this.config.commandCenterUrl ?? this.options.webUrl).replace(/\/+$/, "")}${path}`;
  }

  private async component(id: number): Promise<ComponentInfo | undefined> {
    if (Date.now() - this.components.at > CACHE_MS || !this.components.byId.has(id)) {
      this.components = { at: Date.now(), byId: new Map((await this.indexer.components()).map((c) => [c.id, c])) };
    }
    return this.components.byId.get(id);
  }

  /**
   * The owner's maintenance windows, as of at least the block being looked at: a window scheduled just
   * before an outage must silence it, so a step never reuses windows read before its block was indexed.
   */
  private async maintenanceWindows(): Promise<MaintenanceWindowRow[]> {
    const stale = this.stepBlock !== undefined && (this.windows.block === undefined || this.windows.block < this.stepBlock);
    if (stale || Date.now() - this.windows.at > CACHE_MS) {
      const block = this.stepBlock;
      this.windows = { at: Date.now(), block, rows: await this.indexer.maintenanceWindows() };
    }
    return this.windows.rows;
  }

  // ---------------------------------------------------------------- following the index

  /** Looks at the next page of indexed events; returns how many it looked at. */
  async step(): Promise<number> {
    const indexed = await this.indexer.indexedBlock();
    if (indexed === undefined) return 0;
    if (!this.journal.cursor) {
      // A first start tells what happens from now on, not the history.
      const newest = await this.indexer.newestPosition();
      this.journal.write({ t: "cursor", block: (newest?.blockNumber ?? indexed).toString(), logIndex: newest?.logIndex ?? 2 ** 31 - 1 });
    }
    // Nothing indexed since a page that was not full: spare the indexer (its API shares a thread with indexing).
    if (indexed === this.completedThrough && !this.pageWasFull) {
      this.lastLoopAt = Date.now();
      return 0;
    }
    this.stepBlock = indexed;
    const events = (await this.indexer.auditEventsAfter(this.journal.cursor, PAGE)).filter((event) => event.blockNumber <= indexed);
    const now = Date.now();
    for (const event of events) {
      const source = SOURCES[`${event.contract}.${event.event}`];
      const notices = source
        ? await source(event, {
            component: (id) => this.component(id),
            eventAt: (block, log) => this.indexer.eventAt(block, log),
            invoice: (id) => this.indexer.invoice(id),
            link: (path) => this.link(path),
          })
        : [];
      const entries: Entry[] = [];
      for (const notice of notices) entries.push(...(await this.plan(notice, now)));
      // The notice, its deliveries and the cursor past its event: one flushed write.
      entries.push({ t: "cursor", block: event.blockNumber.toString(), logIndex: event.logIndex });
      this.journal.write(...entries);
    }
    this.pageWasFull = events.length === PAGE;
    this.completedThrough = indexed;
    this.processedBlock = events.length < PAGE ? indexed : events.at(-1)?.blockNumber;
    this.metrics.lagBlocks.set(Math.max(0, Number(indexed - (this.processedBlock ?? indexed))));
    this.lastLoopAt = Date.now();
    return events.length;
  }

  /** The journal entries that record a notice and its deliveries (nothing when no route carries it). */
  private async plan(notice: Notice, now: number): Promise<Entry[]> {
    const entries: Entry[] = [];
    if (notice.resolves) {
      // A recovery goes where the incident went, and ends its repeats.
      // Incidents not yet recovered, acknowledged or not (a notice closed by a maintenance window told nobody).
      const open = [...this.journal.notices.values()].filter(
        (n) => n.incident === notice.resolves && this.journal.closed.get(n.id) !== "recovered",
      );
      const told = new Set(
        [...this.journal.deliveries.values()]
          .filter((d) => open.some((n) => n.id === d.noticeId) && (d.state === "sent" || d.state === "committed"))
          .map((d) => d.channel),
      );
      for (const incident of open) entries.push({ t: "closed", noticeId: incident.id, reason: "recovered", at: now });
      if (told.size === 0) return entries;
      this.metrics.notices.inc({ kind: notice.kind });
      entries.unshift({ t: "notice", notice, at: now });
      for (const channel of told)
        entries.push({ t: "plan", id: `${notice.id}:${channel}`, noticeId: notice.id, channel, due: now, at: now });
      return entries;
    }
    const routes = matchingRoutes(notice, this.config.routes);
    if (routes.length === 0) return entries;
    this.metrics.notices.inc({ kind: notice.kind });
    const repeats = routes.map((r) => r.repeatMinutes).filter((m): m is number => m !== undefined);
    const escalations = routes.map((r) => r.escalateAfterMinutes).filter((m): m is number => m !== undefined);
    const channels = [...new Set(routes.flatMap((r) => r.channels))];
    const escalateTo = [...new Set(routes.flatMap((r) => r.escalateTo ?? []))].filter((c) => !channels.includes(c));
    const withEscalation: Notice =
      notice.subject && (repeats.length > 0 || escalations.length > 0)
        ? {
            ...notice,
            escalation: {
              channels,
              repeatMinutes: repeats.length ? Math.min(...repeats) : undefined,
              escalateAfterMinutes: escalations.length ? Math.min(...escalations) : undefined,
              escalateTo: escalateTo.length ? escalateTo : undefined,
            },
          }
        : notice;
    entries.push({ t: "notice", notice: withEscalation, at: now });
    if (notice.componentId !== undefined) {
      const active = activeMaintenance(await this.maintenanceWindows(), notice.componentId, notice.at);
      if (active) {
        this.metrics.suppressed.inc({ reason: "maintenance" }, channels.length);
        entries.push({ t: "closed", noticeId: notice.id, reason: `maintenance window ${active.window.id}`, at: now });
        return entries;
      }
    }
    for (const channel of channels) {
      const id = `${notice.id}:${channel}`;
      const route = routes.find((r) => r.channels.includes(channel));
      const due = quietUntil(quietHoursOf(route, this.config), notice.severity, now, this.config.timezone) ?? now;
      entries.push({ t: "plan", id, noticeId: notice.id, channel, due, at: now });
      if (this.isDuplicate(channel, notice, now)) {
        this.metrics.suppressed.inc({ reason: "duplicate" });
        entries.push({ t: "skip", id, reason: "duplicate", at: now });
      }
    }
    return entries;
  }

  /** Whether the channel was told the same thing (a shared dedup key) within the dedup window. */
  private isDuplicate(channel: string, notice: Notice, now: number): boolean {
    const since = now - this.config.dedupMinutes * 60_000;
    const keys = new Set(notice.dedupKeys);
    for (const delivery of this.journal.deliveries.values()) {
      if (delivery.channel !== channel || delivery.repeat || delivery.escalated) continue;
      if (delivery.state === "skipped" || (delivery.state === "failed" && delivery.final)) continue;
      if ((delivery.sentAt ?? delivery.plannedAt) < since) continue;
      const other = this.journal.notices.get(delivery.noticeId);
      if (other && other.id !== notice.id && other.dedupKeys.some((key) => keys.has(key))) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- delivering

  /** Starts a delivery round on every idle channel with something due. */
  pump(now = Date.now()): void {
    const due = new Map<string, Delivery[]>();
    for (const delivery of this.journal.deliveries.values()) {
      if (delivery.state !== "planned" || delivery.coveredBy || delivery.due > now) continue;
      due.set(delivery.channel, [...(due.get(delivery.channel) ?? []), delivery]);
    }
    for (const name of this.channels.keys()) this.metrics.pending.set({ channel: name }, due.get(name)?.length ?? 0);
    for (const [name, list] of due) {
      const channel = this.channels.get(name);
      if (!channel || this.busy.has(name)) continue;
      this.busy.add(name);
      void this.deliverRound(channel, list, now).finally(() => this.busy.delete(name));
    }
  }

  private sentTimes(channel: string): number[] {
    return [...this.journal.deliveries.values()]
      .filter((d) => d.channel === channel && d.state === "sent" && !d.coveredBy && d.sentAt !== undefined)
      .map((d) => d.sentAt!);
  }

  private async deliverRound(channel: Channel, list: Delivery[], now: number): Promise<void> {
    const limit = rateLimitOf(this.config, channel.name);
    const allowance = rateAllowance(this.sentTimes(channel.name), limit, now);
    if (allowance === 0) return;
    // Most severe first, then oldest.
    const ordered = list.sort((a, b) => {
      const sa = severityRank(this.journal.notices.get(a.noticeId)?.severity ?? "info");
      const sb = severityRank(this.journal.notices.get(b.noticeId)?.severity ?? "info");
      return sb - sa || a.plannedAt - b.plannedAt;
    });
    if (ordered.length <= allowance) {
      for (const delivery of ordered) await this.deliver(channel, delivery);
      return;
    }
    // Over the limit: what fits goes one by one, the rest as one digest, which itself takes one slot.
    const single = ordered.slice(0, allowance - 1);
    const rest = ordered.slice(allowance - 1);
    for (const delivery of single) await this.deliver(channel, delivery);
    if (rest.length === 1) {
      await this.deliver(channel, rest[0]!);
      return;
    }
    const digestId = `digest:${channel.name}:${rest[0]!.id}`;
    this.journal.write({
      t: "plan",
      id: digestId,
      noticeId: rest[0]!.noticeId,
      channel: channel.name,
      due: now,
      covers: rest.map((d) => d.id),
      at: Date.now(),
    });
    this.metrics.suppressed.inc({ reason: "digested" }, rest.length);
    await this.deliver(channel, this.journal.deliveries.get(digestId)!);
  }

  /** The message of a delivery, from its notice (or the notices its digest carries). */
  messageOf(delivery: Delivery): Message {
    const notice = this.journal.notices.get(delivery.noticeId)!;
    const base: Message = {
      deliveryId: delivery.id,
      noticeId: notice.id,
      kind: notice.kind,
      severity: notice.severity,
      title: notice.title,
      text: notice.text,
      link: notice.link,
      at: notice.at,
      component: notice.componentName,
      repeat: delivery.repeat,
      escalated: delivery.escalated,
    };
    if (!delivery.covers) return base;
    const items = delivery.covers
      .map((id) => this.journal.deliveries.get(id))
      .map((d) => (d ? this.journal.notices.get(d.noticeId) : undefined))
      .filter((n): n is Notice => n !== undefined);
    const worst = items.reduce<Severity>((max, n) => (severityRank(n.severity) > severityRank(max) ? n.severity : max), "info");
    return {
      ...base,
      kind: "digest",
      severity: worst,
      title: `${items.length} notifications held back by the rate limit`,
      text: `This channel reached its rate limit (${rateLimitOf(this.config, delivery.channel).count} per ${rateLimitOf(this.config, delivery.channel).perMinutes} min); these came meanwhile:`,
      link: this.link("/audit"),
      repeat: undefined,
      escalated: undefined,
      digest: items.map((n) => ({ title: n.title, severity: n.severity, link: n.link })),
    };
  }

  /** Sends one delivery with retries and back-off; journals its commit point and outcome. */
  private async deliver(channel: Channel, delivery: Delivery): Promise<void> {
    const notice = this.journal.notices.get(delivery.noticeId);
    if (!notice || delivery.state !== "planned") return;
    // Repeats stop once acknowledged or recovered, even if one was already planned.
    if ((delivery.repeat || delivery.escalated) && this.journal.closed.has(notice.id)) {
      this.journal.write({ t: "skip", id: delivery.id, reason: this.journal.closed.get(notice.id)!, at: Date.now() });
      return;
    }
    const message = this.messageOf(delivery);
    const started = Date.now();
    try {
      await pRetry(
        () =>
          channel.send(message, () => {
            this.journal.write({ t: "commit", id: delivery.id, mode: channel.commit, at: Date.now() });
          }),
        {
          retries: this.options.retries,
          minTimeout: this.options.minBackoffMs,
          maxTimeout: this.options.maxBackoffMs,
          factor: 2,
          randomize: true,
          shouldRetry: ({ error }) => !(error instanceof DeliveryError) || error.retriable,
          onFailedAttempt: async ({ error, retriesLeft }) => {
            this.metrics.attemptsFailed.inc({ channel: channel.name });
            const final = retriesLeft === 0 || (error instanceof DeliveryError && !error.retriable);
            this.journal.write({ t: "failed", id: delivery.id, at: Date.now(), error: error.message.slice(0, 300), final });
            if (final) return;
            this.journal.deliveries.get(delivery.id)!.state = "planned";
            const wait = error instanceof DeliveryError ? error.retryAfterMs : undefined;
            if (wait) await new Promise((resolveWait) => setTimeout(resolveWait, Math.min(wait, 60_000)));
          },
        },
      );
    } catch (error) {
      if (!(error instanceof AbortError) && this.journal.deliveries.get(delivery.id)?.state !== "failed") {
        this.journal.write({
          t: "failed",
          id: delivery.id,
          at: Date.now(),
          error: String((error as Error).message).slice(0, 300),
          final: true,
        });
      }
      this.metrics.deliveries.inc({ channel: channel.name, outcome: "failed" });
      this.log(`notifier: ${channel.name}: gave up on ${delivery.id}: ${(error as Error).message.split("\n")[0]}`);
      return;
    }
    const at = Date.now();
    this.journal.write({ t: "sent", id: delivery.id, at, ms: at - started });
    this.metrics.deliveries.inc({ channel: channel.name, outcome: "sent" });
    if (!delivery.repeat && !delivery.escalated && !delivery.covers) {
      this.metrics.latency.observe({ channel: channel.name }, Math.max(0, at / 1000 - notice.at));
    }
  }

  // ---------------------------------------------------------------- repeats, escalation, acknowledgement

  /** Closes what the owner acknowledged; plans the repeats and escalations that are due. */
  async escalate(now = Date.now()): Promise<void> {
    const open = [...this.journal.notices.values()].filter((n) => n.escalation && n.subject && !this.journal.closed.has(n.id));
    if (open.length === 0) return;
    const acknowledged = await this.indexer.acknowledgedSubjects([...new Set(open.map((n) => n.subject!))]);
    const entries: Entry[] = [];
    const windows = await this.maintenanceWindows();
    for (const notice of open) {
      if (acknowledged.has(notice.subject!.toLowerCase())) {
        entries.push({ t: "closed", noticeId: notice.id, reason: "acknowledged", at: now });
        continue;
      }
      const escalation = notice.escalation!;
      const first = [...this.journal.deliveries.values()].filter((d) => d.noticeId === notice.id && !d.repeat && !d.escalated);
      const firstSent = first
        .filter((d) => d.state === "sent")
        .map((d) => d.sentAt!)
        .sort((a, b) => a - b)[0];
      if (firstSent === undefined) {
        // Every first delivery was a duplicate or failed for good: there is nothing to repeat.
        if (first.every((d) => d.state === "skipped" || (d.state === "failed" && d.final))) {
          entries.push({ t: "closed", noticeId: notice.id, reason: "nothing sent", at: now });
        }
        continue;
      }
      if (notice.componentId !== undefined && activeMaintenance(windows, notice.componentId, Math.floor(now / 1000))) continue;
      const quiet = quietUntil(this.config.quietHours, notice.severity, now, this.config.timezone);
      const due = quiet ?? now;
      const escalated =
        escalation.escalateAfterMinutes !== undefined &&
        escalation.escalateTo &&
        now - firstSent >= escalation.escalateAfterMinutes * 60_000;
      if (escalated) {
        for (const channel of escalation.escalateTo!) {
          const id = `${notice.id}#e:${channel}`;
          if (!this.journal.deliveries.has(id))
            entries.push({ t: "plan", id, noticeId: notice.id, channel, due, escalated: true, at: now });
        }
      }
      if (escalation.repeatMinutes !== undefined) {
        const k = Math.floor((now - firstSent) / (escalation.repeatMinutes * 60_000));
        if (k >= 1) {
          const targets = [...escalation.channels, ...(escalated ? escalation.escalateTo! : [])];
          for (const channel of targets) {
            const id = `${notice.id}#r${k}:${channel}`;
            if (!this.journal.deliveries.has(id)) entries.push({ t: "plan", id, noticeId: notice.id, channel, due, repeat: k, at: now });
          }
        }
      }
    }
    this.journal.write(...entries);
  }

  // ---------------------------------------------------------------- the loop, tests, reports

  /** Follows, delivers and escalates until the signal aborts; errors are logged and retried. */
  async run(signal: AbortSignal): Promise<void> {
    let lastEscalation = 0;
    let backoffMs = this.options.pollMs;
    while (!signal.aborted) {
      try {
        const seen = await this.step();
        this.pump();
        if (Date.now() - lastEscalation >= this.options.escalationTickMs) {
          lastEscalation = Date.now();
          await this.escalate();
          this.pump();
        }
        this.journal.compactIfLarge();
        backoffMs = this.options.pollMs;
        if (seen < PAGE) await new Promise((resolveWait) => setTimeout(resolveWait, this.options.pollMs));
      } catch (error) {
        this.log(`notifier: ${(error as Error).message.split("\n")[0]}; retrying in ${backoffMs} ms`);
        await new Promise((resolveWait) => setTimeout(resolveWait, backoffMs));
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }
  }

  /** Sends a test message on one channel now (no journal, no retries): what the Settings button does. */
  async test(name: string): Promise<{ ok: boolean; ms: number; error?: string }> {
    const channel = this.channels.get(name);
    if (!channel) throw new Error(`no channel is named "${name}"`);
    const started = Date.now();
    try {
      await channel.send(
        {
          deliveryId: `test:${name}:${started}`,
          noticeId: `test:${name}`,
          kind: "test",
          severity: "info",
          title: `Test message for channel ${name}`,
          text: `The notifier can reach ${channel.target}.`,
          link: this.link("/settings"),
          at: Math.floor(started / 1000),
          test: true,
        },
        () => {},
      );
      this.metrics.deliveries.inc({ channel: name, outcome: "test" });
      return { ok: true, ms: Date.now() - started };
    } catch (error) {
      this.metrics.attemptsFailed.inc({ channel: name });
      return { ok: false, ms: Date.now() - started, error: (error as Error).message.split("\n")[0]! };
    }
  }

  /** Every channel's state for Settings. */
  report(now = Date.now()): ChannelReport[] {
    const since = now - 24 * 3600_000;
    return [...this.channels.values()].map((channel) => {
      const mine = [...this.journal.deliveries.values()].filter((d) => d.channel === channel.name);
      const failures = this.journal.failures.filter((f) => f.channel === channel.name);
      const last = failures.at(-1);
      const sent = mine.filter((d) => d.state === "sent" && !d.coveredBy);
      return {
        name: channel.name,
        type: channel.type,
        target: channel.target,
        sent24h: sent.filter((d) => (d.sentAt ?? 0) >= since).length,
        failed24h: mine.filter((d) => d.state === "failed" && d.final && d.plannedAt >= since).length,
        pending: mine.filter((d) => d.state === "planned" && !d.coveredBy).length,
        lastSentAt: sent.reduce<number | null>(
          (max, d) => (d.sentAt !== undefined && (max === null || d.sentAt > max) ? d.sentAt : max),
          null,
        ),
        lastError: last ? { at: last.at, error: last.error, final: last.final } : null,
      };
    });
  }

  close(): void {
    for (const channel of this.channels.values()) channel.close();
  }
}

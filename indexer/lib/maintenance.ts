/**
 * Maintenance windows (SovrMaintenance) as time: which occurrences of a window fall in a span, whether
 * a component is in maintenance at a moment, and the merged spans to leave out of its uptime. The one
 * place that reads a window's schedule, shared by the indexer's status API, the guardian, the notifier,
 * the CLI and the web app (cron expressions read with croner, in UTC or the window's `TZ=` zone).
 *
 * A window never counts before it was scheduled nor after it was cancelled (both are block times), so
 * a window scheduled today cannot turn yesterday's outage into maintenance.
 */
import { Cron } from "croner";

/** A window as the indexer keeps it (times in Unix seconds). */
export type MaintenanceWindowFacts = {
  id: bigint | number | string;
  /** 0: every component. */
  componentId: number;
  schedule: "ONCE" | "EVERY" | "CRON" | string;
  startsAt: number;
  /** ONCE: the end; EVERY and CRON: no occurrence starts at or after it (0: never). */
  endsAt: number;
  duration: number;
  period: number;
  cron: string;
  scheduledAt: number;
  /** 0 or null: not cancelled. */
  cancelledAt: number | null;
};

/** A span of time `[start, end)`, Unix seconds. */
export type Span = { start: number; end: number };

/** Most occurrences of one window looked at for one question (a cron firing every minute for 30 days is 43,200). */
export const MAX_OCCURRENCES = 50_000;

export type ParsedCron = { ok: true; pattern: string; timezone: string | undefined } | { ok: false; error: string };

/** Reads `[TZ=<zone> ]<minute> <hour> <day> <month> <weekday>`; one sentence when it cannot. */
export function parseCron(text: string): ParsedCron {
  const match = /^(?:TZ=(\S+)\s+)?(.+)$/.exec(text.trim());
  if (!match) return { ok: false, error: "the cron expression is empty" };
  const timezone = match[1];
  const pattern = match[2]!.trim().replace(/\s+/g, " ");
  if (pattern.split(" ").length !== 5) {
    return { ok: false, error: `"${pattern}" is not five cron fields (minute hour day month weekday)` };
  }
  if (timezone !== undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: timezone });
    } catch {
      return { ok: false, error: `"${timezone}" is not a time zone (an IANA name such as Europe/Berlin)` };
    }
  }
  try {
    new Cron(pattern, { paused: true, mode: "5-part", ...(timezone ? { timezone } : {}) });
  } catch (error) {
    return { ok: false, error: `"${pattern}" is not a cron expression: ${(error as Error).message}` };
  }
  return { ok: true, pattern, timezone };
}

const cronCache = new Map<string, Cron | null>();

function cronOf(text: string): Cron | null {
  let cron = cronCache.get(text);
  if (cron === undefined) {
    const parsed = parseCron(text);
    cron = parsed.ok
      ? new Cron(parsed.pattern, { paused: true, mode: "5-part", ...(parsed.timezone ? { timezone: parsed.timezone } : {}) })
      : null;
    cronCache.set(text, cron);
  }
  return cron;
}

/** Where a window can count at all: from its scheduling to its cancellation. */
function validSpan(window: MaintenanceWindowFacts): Span {
  return { start: window.scheduledAt, end: window.cancelledAt ? window.cancelledAt : Number.POSITIVE_INFINITY };
}

/**
 * The occurrences of a window that overlap `[from, to)`, each clipped to that span and to the time the
 * window was valid; in time order. A CRON window whose expression cannot be read has none.
 */
export function occurrences(window: MaintenanceWindowFacts, from: number, to: number): Span[] {
  const valid = validSpan(window);
  const lo = Math.max(from, valid.start);
  const hi = Math.min(to, valid.end);
  if (hi <= lo || window.duration <= 0) return [];
  const spans: Span[] = [];
  const push = (start: number) => {
    const clipped = { start: Math.max(start, lo), end: Math.min(start + window.duration, hi) };
    if (clipped.end > clipped.start) spans.push(clipped);
  };
  const lastStart = window.endsAt > 0 ? window.endsAt : Number.POSITIVE_INFINITY;
  switch (window.schedule) {
    case "ONCE":
      push(window.startsAt);
      break;
    case "EVERY": {
      if (window.period <= 0) break;
      // The first occurrence that can still reach `lo`.
      const skip = Math.max(0, Math.ceil((lo - window.duration - window.startsAt + 1) / window.period));
      for (let k = skip, n = 0; n < MAX_OCCURRENCES; k++, n++) {
        const start = window.startsAt + k * window.period;
        if (start >= hi || start >= lastStart) break;
        push(start);
      }
      break;
    }
    case "CRON": {
      const cron = cronOf(window.cron);
      if (!cron) break;
      // Occurrences starting up to `duration` before `lo` still reach into the span.
      let cursor = Math.max(window.startsAt, lo - window.duration);
      let next = cron.nextRun(new Date((cursor - 1) * 1000));
      for (let n = 0; next && n < MAX_OCCURRENCES; n++) {
        const start = Math.floor(next.getTime() / 1000);
        if (start >= hi || start >= lastStart) break;
        if (start >= window.startsAt) push(start);
        cursor = start;
        next = cron.nextRun(next);
      }
      break;
    }
  }
  return spans;
}

/** Whether a window covers a component (its own id, or 0 for every component). */
export const covers = (window: MaintenanceWindowFacts, componentId: number) =>
  window.componentId === 0 || window.componentId === componentId;

/** Merges overlapping or touching spans; the result is sorted. */
export function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/** The component's time in maintenance within `[from, to)`, merged. */
export function maintenanceSpans(windows: MaintenanceWindowFacts[], componentId: number, from: number, to: number): Span[] {
  return mergeSpans(windows.filter((window) => covers(window, componentId)).flatMap((window) => occurrences(window, from, to)));
}

/** The window (and the end of its occurrence) that puts a component in maintenance at `at`, if any. */
export function activeMaintenance<W extends MaintenanceWindowFacts>(
  windows: W[],
  componentId: number,
  at: number,
): { window: W; until: number } | undefined {
  let found: { window: W; until: number } | undefined;
  for (const window of windows) {
    if (!covers(window, componentId)) continue;
    const span = occurrences(window, at, at + 1)[0];
    if (!span) continue;
    // The occurrence's own end, not the one-second probe span.
    const full = occurrences(window, at, at + window.duration + 1)[0]!;
    if (!found || full.end > found.until) found = { window, until: full.end };
  }
  return found;
}

/** The next occurrence starting at or after `at` (for "next window" displays), if any within `horizon` seconds. */
export function nextMaintenance(
  windows: MaintenanceWindowFacts[],
  componentId: number,
  at: number,
  horizon = 90 * 86_400,
): Span | undefined {
  let best: Span | undefined;
  for (const window of windows) {
    if (!covers(window, componentId)) continue;
    for (const span of occurrences(window, at, at + horizon)) {
      if (span.start > at && (!best || span.start < best.start)) best = span;
      if (span.start > at) break;
    }
  }
  return best;
}

/** Seconds of `span` not covered by the (merged, sorted) `excluded` spans. */
export function secondsOutside(span: Span, excluded: Span[]): number {
  let total = Math.max(0, span.end - span.start);
  for (const cut of excluded) {
    if (cut.end <= span.start) continue;
    if (cut.start >= span.end) break;
    total -= Math.min(cut.end, span.end) - Math.max(cut.start, span.start);
  }
  return total;
}

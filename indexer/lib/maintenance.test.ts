import { describe, expect, it } from "vitest";
import {
  activeMaintenance,
  type MaintenanceWindowFacts,
  maintenanceSpans,
  mergeSpans,
  nextMaintenance,
  occurrences,
  parseCron,
  secondsOutside,
} from "./maintenance.ts";
import { uptime } from "./status.ts";

const HOUR = 3600;
const DAY = 86_400;
/** 2027-01-04 00:00 UTC, a Monday. */
const MONDAY = Date.UTC(2027, 0, 4) / 1000;

const window = (over: Partial<MaintenanceWindowFacts>): MaintenanceWindowFacts => ({
  id: 1,
  componentId: 1,
  schedule: "ONCE",
  startsAt: MONDAY,
  endsAt: MONDAY + HOUR,
  duration: HOUR,
  period: 0,
  cron: "",
  scheduledAt: MONDAY - DAY,
  cancelledAt: null,
  ...over,
});

describe("maintenance windows as time", () => {
  it("a one-off window is one span, clipped to the question", () => {
    expect(occurrences(window({}), MONDAY - DAY, MONDAY + DAY)).toEqual([{ start: MONDAY, end: MONDAY + HOUR }]);
    expect(occurrences(window({}), MONDAY + 600, MONDAY + 1200)).toEqual([{ start: MONDAY + 600, end: MONDAY + 1200 }]);
    expect(occurrences(window({}), MONDAY + HOUR, MONDAY + DAY)).toEqual([]);
  });

  it("never counts before it was scheduled nor after it was cancelled", () => {
    // Scheduled half-way through: the first half stays what the probes said.
    expect(occurrences(window({ scheduledAt: MONDAY + 1800 }), 0, MONDAY + DAY)).toEqual([{ start: MONDAY + 1800, end: MONDAY + HOUR }]);
    expect(occurrences(window({ cancelledAt: MONDAY + 600 }), 0, MONDAY + DAY)).toEqual([{ start: MONDAY, end: MONDAY + 600 }]);
  });

  it("a periodic window repeats until its end", () => {
    const weekly = window({ schedule: "EVERY", duration: 2 * HOUR, period: 7 * DAY, endsAt: MONDAY + 15 * DAY });
    expect(occurrences(weekly, MONDAY, MONDAY + 30 * DAY)).toEqual([
      { start: MONDAY, end: MONDAY + 2 * HOUR },
      { start: MONDAY + 7 * DAY, end: MONDAY + 7 * DAY + 2 * HOUR },
      { start: MONDAY + 14 * DAY, end: MONDAY + 14 * DAY + 2 * HOUR },
    ]);
    // An occurrence under way at the start of the question is included from there.
    expect(occurrences(weekly, MONDAY + 7 * DAY + HOUR, MONDAY + 8 * DAY)).toEqual([
      { start: MONDAY + 7 * DAY + HOUR, end: MONDAY + 7 * DAY + 2 * HOUR },
    ]);
  });

  it("a cron window follows its expression, in UTC or its own time zone", () => {
    // Sundays 03:00 for two hours.
    const utc = window({ schedule: "CRON", cron: "0 3 * * 0", duration: 2 * HOUR, endsAt: 0, startsAt: MONDAY });
    const sunday = MONDAY + 6 * DAY + 3 * HOUR;
    expect(occurrences(utc, MONDAY, MONDAY + 8 * DAY)).toEqual([{ start: sunday, end: sunday + 2 * HOUR }]);
    // Berlin is UTC+1 in January: 03:00 there is 02:00 UTC.
    const berlin = { ...utc, cron: "TZ=Europe/Berlin 0 3 * * 0" };
    expect(occurrences(berlin, MONDAY, MONDAY + 8 * DAY)).toEqual([{ start: sunday - HOUR, end: sunday + HOUR }]);
    expect(activeMaintenance([berlin], 1, sunday)).toMatchObject({ until: sunday + HOUR });
    expect(nextMaintenance([berlin], 1, MONDAY)).toEqual({ start: sunday - HOUR, end: sunday + HOUR });
    // An expression no reader understands covers nothing.
    expect(occurrences({ ...utc, cron: "every sunday" }, MONDAY, MONDAY + 8 * DAY)).toEqual([]);
  });

  it("covers its component, or every component with id 0", () => {
    const all = window({ componentId: 0 });
    expect(activeMaintenance([all], 7, MONDAY + 60)?.until).toBe(MONDAY + HOUR);
    expect(activeMaintenance([window({})], 7, MONDAY + 60)).toBeUndefined();
    expect(activeMaintenance([window({})], 1, MONDAY + HOUR)).toBeUndefined();
    expect(
      maintenanceSpans(
        [window({}), window({ id: 2, startsAt: MONDAY + 1800, endsAt: MONDAY + 2 * HOUR, duration: 5400 })],
        1,
        0,
        MONDAY + DAY,
      ),
    ).toEqual([{ start: MONDAY, end: MONDAY + 2 * HOUR }]);
  });

  it("reads cron expressions and says what is wrong with one", () => {
    expect(parseCron("0 3 * * 0")).toEqual({ ok: true, pattern: "0 3 * * 0", timezone: undefined });
    expect(parseCron("TZ=America/New_York 30 2 1 * *")).toMatchObject({ ok: true, timezone: "America/New_York" });
    expect(parseCron("0 0 3 * * 0")).toMatchObject({ ok: false, error: expect.stringContaining("not five cron fields") });
    expect(parseCron("TZ=Mars/Olympus 0 3 * * 0")).toMatchObject({ ok: false, error: expect.stringContaining("not a time zone") });
    expect(parseCron("61 3 * * 0")).toMatchObject({ ok: false });
  });

  it("merges spans and measures what lies outside them", () => {
    const merged = mergeSpans([
      { start: 10, end: 20 },
      { start: 0, end: 5 },
      { start: 15, end: 30 },
    ]);
    expect(merged).toEqual([
      { start: 0, end: 5 },
      { start: 10, end: 30 },
    ]);
    expect(secondsOutside({ start: 0, end: 40 }, merged)).toBe(15);
  });

  it("leaves maintenance out of uptime", () => {
    const transitions = [
      { status: "ONLINE", timestamp: MONDAY - DAY },
      { status: "OFFLINE", timestamp: MONDAY },
      { status: "ONLINE", timestamp: MONDAY + HOUR },
    ];
    const now = MONDAY + 23 * HOUR;
    // Without the window: one hour down in the last 24.
    expect(uptime(0, transitions, now, DAY)).toBeCloseTo(23 / 24);
    // The outage was inside a window scheduled beforehand: not downtime.
    expect(uptime(0, transitions, now, DAY, maintenanceSpans([window({})], 1, now - DAY, now))).toBe(1);
  });
});

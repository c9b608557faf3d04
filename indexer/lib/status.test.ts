import { describe, expect, it } from "vitest";
import { type ComponentFacts, MAX_LAG_BLOCKS, overallStatus, uptime } from "./status.ts";

const component = (over: Partial<ComponentFacts>): ComponentFacts => ({
  id: 1,
  name: "api",
  critical: false,
  status: "ONLINE",
  retired: false,
  ...over,
});

describe("overall status rule", () => {
  it("is OPERATIONAL with nothing registered or everything online", () => {
    expect(overallStatus([], false, 0)).toBe("OPERATIONAL");
    expect(overallStatus([component({ critical: true }), component({ id: 2 })], false, MAX_LAG_BLOCKS)).toBe("OPERATIONAL");
  });

  it("is DOWN when a critical component is offline or the ledger is paused", () => {
    expect(overallStatus([component({ critical: true, status: "OFFLINE" })], false, 0)).toBe("DOWN");
    expect(overallStatus([component({})], true, 0)).toBe("DOWN");
  });

  it("is DEGRADED for degraded or offline non-critical parts, unobserved critical parts, or indexer lag", () => {
    expect(overallStatus([component({ status: "OFFLINE" })], false, 0)).toBe("DEGRADED");
    expect(overallStatus([component({ status: "DEGRADED", critical: true })], false, 0)).toBe("DEGRADED");
    expect(overallStatus([component({ status: "UNKNOWN", critical: true })], false, 0)).toBe("DEGRADED");
    expect(overallStatus([component({ status: "STOPPED", critical: true })], false, 0)).toBe("DEGRADED");
    expect(overallStatus([component({})], false, MAX_LAG_BLOCKS + 1)).toBe("DEGRADED");
  });

  it("ignores retired components", () => {
    expect(overallStatus([component({ critical: true, status: "OFFLINE", retired: true })], false, 0)).toBe("OPERATIONAL");
  });
});

describe("uptime", () => {
  const day = 86_400;

  it("is null before anything was observed", () => {
    expect(uptime(0, [], day, day)).toBeNull();
    expect(uptime(0, [{ status: "STOPPED", timestamp: 10 }], day, day)).toBeNull();
  });

  it("counts ONLINE and DEGRADED as up, OFFLINE as down, and leaves UNKNOWN and STOPPED out", () => {
    const transitions = [
      { status: "ONLINE", timestamp: 1000 },
      { status: "OFFLINE", timestamp: 4000 },
      { status: "STOPPED", timestamp: 5000 },
      { status: "DEGRADED", timestamp: 9000 },
    ];
    // Observed: ONLINE 3000 + OFFLINE 1000 + DEGRADED 1000 (until 10,000); STOPPED and the first UNKNOWN 1000 s are not.
    expect(uptime(0, transitions, 10_000, day)).toBeCloseTo(4000 / 5000);
  });

  it("starts a window with the status in force at its start", () => {
    const transitions = [
      { status: "OFFLINE", timestamp: 100 },
      { status: "ONLINE", timestamp: 10 * day + 3600 },
    ];
    // 24 h window ending one day after the recovery: online the whole window.
    expect(uptime(0, transitions, 11 * day + 3600, day)).toBe(1);
    // 7 d window: 6 days offline, then 1 day online.
    expect(uptime(0, transitions, 11 * day + 3600, 7 * day)).toBeCloseTo(1 / 7);
  });

  it("never counts time before registration", () => {
    expect(uptime(5000, [{ status: "ONLINE", timestamp: 5000 }], 6000, day)).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import {
  chargeablePeriods,
  chargeTransferId,
  formatInterval,
  MILESTONE_STEPS,
  milestoneTransferId,
  type OrderSchedule,
  orderDueAt,
  orderProgress,
  parseChargeTransferId,
  parseDeadline,
  parseEndDate,
  parseInterval,
  parseMilestoneTransferId,
  parsePeriodCount,
  parsePlanName,
  parseRetries,
  parseStart,
  parseSubscribePath,
  parseTrialDays,
  periodLength,
  subscribePath,
} from "./orders.ts";

/** 2026-01-31 09:00 UTC and its monthly due dates, as the Solidity tests have them. */
const JAN_31 = 1_769_850_000n;
const monthly: OrderSchedule = { startAt: JAN_31, every: 1, unit: "Months", periods: 40 };
const NOW = 1_750_000_000;

describe("transfer ids", () => {
  it("derive from (order, period) and back, as SovrOrders does", () => {
    const id = chargeTransferId(7n, 3);
    expect(id >> 125n).toBe(5n);
    expect(parseChargeTransferId(id)).toEqual({ orderId: 7n, period: 3 });
    expect(parseChargeTransferId(12345n)).toBeUndefined();
    expect(parseChargeTransferId(milestoneTransferId(7n, 3))).toBeUndefined();
  });

  it("derive a milestone's reservation, post and void, and back", () => {
    const reservation = milestoneTransferId(5n, 2);
    expect(milestoneTransferId(5n, 2, MILESTONE_STEPS.post)).toBe(reservation + 1n);
    expect(parseMilestoneTransferId(reservation + 2n)).toEqual({ commitmentId: 5n, index: 2, step: MILESTONE_STEPS.void });
    expect(parseMilestoneTransferId(chargeTransferId(5n, 2))).toBeUndefined();
  });
});

describe("the calendar", () => {
  it("keeps the start's day, or the month's last, and its time of day", () => {
    expect(orderDueAt(monthly, 0)).toBe(JAN_31);
    expect(orderDueAt(monthly, 1)).toBe(1_772_269_200n); // 2026-02-28 09:00
    expect(orderDueAt(monthly, 2)).toBe(1_774_947_600n); // 2026-03-31 09:00
    expect(orderDueAt(monthly, 13)).toBe(1_803_805_200n); // 2027-02-28 09:00
    expect(orderDueAt(monthly, 25)).toBe(1_835_427_600n); // 2028-02-29 09:00
    expect(orderDueAt({ ...monthly, every: 3 }, 1)).toBe(1_777_539_600n); // 2026-04-30 09:00
    expect(periodLength(monthly, 1)).toBe(31n * 86_400n);
  });

  it("counts seconds for other intervals", () => {
    expect(orderDueAt({ startAt: 1_000n, every: 3_600, unit: "Seconds" }, 5)).toBe(19_000n);
  });
});

describe("chargeable periods and progress", () => {
  const hourly: OrderSchedule = { startAt: 1_000n, every: 3_600, unit: "Seconds", periods: 5 };

  it("are the due periods not charged, given up or waiting for their retry", () => {
    const records = [
      { period: 0, status: "Charged" as const, retryAt: null },
      { period: 1, status: "Failing" as const, retryAt: 20_000n },
      { period: 2, status: "Missed" as const, retryAt: null },
    ];
    expect(chargeablePeriods(hourly, records, 0, 15_000n, 10)).toEqual([3]);
    expect(chargeablePeriods(hourly, records, 0, 20_000n, 10)).toEqual([1, 3, 4]);
    expect(chargeablePeriods(hourly, records, 0, 20_000n, 2)).toEqual([1, 3]);
    expect(chargeablePeriods(hourly, [], 0, 999n, 10)).toEqual([]);
    // Never beyond the authorization.
    expect(chargeablePeriods(hourly, [], 0, 10n ** 9n, 10)).toEqual([0, 1, 2, 3, 4]);
  });

  it("settle in order and say when the next charge is needed", () => {
    expect(orderProgress(hourly, [], 0)).toEqual({ settledThrough: 0, nextChargeAt: 1_000n });
    const charged = [0, 1].map((period) => ({ period, status: "Charged" as const, retryAt: null }));
    expect(orderProgress(hourly, charged, 0)).toEqual({ settledThrough: 2, nextChargeAt: 8_200n });
    // A failing period waits for its retry; the next period may fall due before it.
    const failing = [...charged, { period: 2, status: "Failing" as const, retryAt: 90_000n }];
    expect(orderProgress(hourly, failing, 0)).toEqual({ settledThrough: 2, nextChargeAt: 11_800n });
    const all = [0, 1, 2, 3, 4].map((period) => ({
      period,
      status: period === 3 ? ("Missed" as const) : ("Charged" as const),
      retryAt: null,
    }));
    expect(orderProgress(hourly, all, 0)).toEqual({ settledThrough: 5, nextChargeAt: null });
  });
});

describe("input as typed", () => {
  it("intervals", () => {
    expect(parseInterval("monthly")).toEqual({ ok: true, value: { every: 1, unit: "Months" } });
    expect(parseInterval("3 months")).toEqual({ ok: true, value: { every: 3, unit: "Months" } });
    expect(parseInterval("2w")).toEqual({ ok: true, value: { every: 1_209_600, unit: "Seconds" } });
    expect(parseInterval("90s")).toEqual({ ok: true, value: { every: 90, unit: "Seconds" } });
    expect(parseInterval("30 s").ok).toBe(false);
    expect(parseInterval("121 months").ok).toBe(false);
    expect(parseInterval("fortnightly").ok).toBe(false);
    expect(formatInterval(1, "Months")).toBe("monthly");
    expect(formatInterval(3, "Months")).toBe("quarterly");
    expect(formatInterval(604_800, "Seconds")).toBe("weekly");
    expect(formatInterval(1_209_600, "Seconds")).toBe("every 2 weeks");
    expect(formatInterval(90, "Seconds")).toBe("every 90 s");
  });

  it("starts, end dates and deadlines, in UTC", () => {
    expect(parseStart("", NOW)).toEqual({ ok: true, value: 0 });
    expect(parseStart("now", NOW)).toEqual({ ok: true, value: 0 });
    expect(parseStart("2026-02-01", NOW)).toEqual({ ok: true, value: 1_769_904_000 });
    expect(parseStart("2026-02-01T09:30", NOW)).toEqual({ ok: true, value: 1_769_938_200 });
    expect(parseStart("2020-01-01", NOW).ok).toBe(false);
    expect(parseStart("2026-02-30", NOW).ok).toBe(false);
    expect(parseEndDate("2026-02-01", NOW)).toEqual({ ok: true, value: 1_769_990_399 });
    expect(parseEndDate("tomorrow", NOW).ok).toBe(false);
    expect(parseDeadline("", NOW).ok).toBe(false);
    expect(parseDeadline("2045-01-01", NOW).ok).toBe(false);
    expect(parseDeadline("2026-02-01", NOW).ok).toBe(true);
  });

  it("counts, retries, trials and names within the contract's limits", () => {
    expect(parsePeriodCount("")).toEqual({ ok: true, value: 0 });
    expect(parsePeriodCount("12")).toEqual({ ok: true, value: 12 });
    expect(parsePeriodCount("0").ok).toBe(false);
    expect(parseRetries("10")).toEqual({ ok: true, value: 10 });
    expect(parseRetries("11").ok).toBe(false);
    expect(parseTrialDays("366").ok).toBe(false);
    expect(parsePlanName("").ok).toBe(false);
    expect(parsePlanName("x".repeat(33)).ok).toBe(false);
    expect(parsePlanName(" Pro monthly ")).toEqual({ ok: true, value: "Pro monthly" });
  });

  it("subscribe paths", () => {
    expect(subscribePath(31337, 4)).toBe("/subscribe/31337/4");
    expect(parseSubscribePath("/subscribe/31337/4")).toEqual({ chainId: 31337, planId: 4 });
    expect(parseSubscribePath("/subscribe/31337/0")).toBeUndefined();
    expect(parseSubscribePath("/pay/31337/4")).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { formatDollars, parseDollars } from "./money.ts";

describe("parseDollars", () => {
  it("reads dollars and cents as micro-dollars", () => {
    expect(parseDollars("12.34")).toEqual({ ok: true, value: 12_340_000n });
    expect(parseDollars("$1,000")).toEqual({ ok: true, value: 1_000_000_000n });
    expect(parseDollars("0.5")).toEqual({ ok: true, value: 500_000n });
    expect(parseDollars(" 7. ")).toEqual({ ok: true, value: 7_000_000n });
  });

  it("refuses what is not an amount, with a sentence that says why", () => {
    expect(parseDollars("")).toEqual({ ok: false, error: "Enter an amount in dollars, e.g. 12.50" });
    expect(parseDollars("abc")).toMatchObject({ ok: false, error: expect.stringMatching(/number of dollars/) });
    expect(parseDollars("-5")).toMatchObject({ ok: false });
    expect(parseDollars("1.234")).toEqual({ ok: false, error: "Amount can have at most two decimals (cents)" });
    expect(parseDollars("0.00")).toEqual({ ok: false, error: "Amount must be more than $0.00" });
    expect(parseDollars("1e6")).toMatchObject({ ok: false });
    expect(parseDollars("9".repeat(40))).toMatchObject({ ok: false, error: expect.stringMatching(/larger than the ledger/) });
  });
});

describe("formatDollars", () => {
  it("shows cents and thousands separators, keeping sub-cent digits", () => {
    expect(formatDollars(12_340_000n)).toBe("$12.34");
    expect(formatDollars(1_234_567_000_000n)).toBe("$1,234,567.00");
    expect(formatDollars(1n)).toBe("$0.000001");
    expect(formatDollars(-2_500_000n)).toBe("-$2.50");
  });
});

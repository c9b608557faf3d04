import { describe, expect, it } from "vitest";
import { formatDollars, parseDollars } from "./money.ts";

describe("parseDollars: one rule for the CLI and the web app", () => {
  it("reads dollars and cents as micro-dollars", () => {
    expect(parseDollars("12.34")).toEqual({ ok: true, value: 12_340_000n });
    expect(parseDollars("12.3")).toEqual({ ok: true, value: 12_300_000n });
    expect(parseDollars("$1,000")).toEqual({ ok: true, value: 1_000_000_000n });
    expect(parseDollars("1,234,567.89")).toEqual({ ok: true, value: 1_234_567_890_000n });
    expect(parseDollars("0.5")).toEqual({ ok: true, value: 500_000n });
    expect(parseDollars(" 7. ")).toEqual({ ok: true, value: 7_000_000n });
    expect(parseDollars("0", { allowZero: true })).toEqual({ ok: true, value: 0n });
  });

  it("refuses what is not an amount, with a clause that says why", () => {
    expect(parseDollars("")).toEqual({ ok: false, error: "enter an amount in dollars, e.g. 12.50" });
    for (const bad of ["abc", "-5", "1e6", "0x10", ".5", "1,50", "12,34.5", "1 000"]) {
      expect(parseDollars(bad), bad).toMatchObject({ ok: false, error: expect.stringMatching(/number of dollars/) });
    }
    expect(parseDollars("1.234")).toEqual({ ok: false, error: "an amount has at most two decimals (cents)" });
    expect(parseDollars("0.00")).toEqual({ ok: false, error: "the amount must be more than $0.00" });
    expect(parseDollars("9".repeat(40))).toMatchObject({ ok: false, error: expect.stringMatching(/larger than the ledger/) });
  });
});

describe("formatDollars", () => {
  it("shows cents and thousands separators, keeping sub-cent digits", () => {
    expect(formatDollars(12_340_000n)).toBe("$12.34");
    expect(formatDollars(0n)).toBe("$0.00");
    expect(formatDollars(1_234_567_000_000n)).toBe("$1,234,567.00");
    expect(formatDollars(12_345_678n)).toBe("$12.345678");
    expect(formatDollars(12_345_000n)).toBe("$12.345");
    expect(formatDollars(1n)).toBe("$0.000001");
    expect(formatDollars(-2_500_000n)).toBe("-$2.50");
  });
});

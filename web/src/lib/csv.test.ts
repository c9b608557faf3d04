import { describe, expect, it } from "vitest";
import { parseBatch, parseCsv, parseInvoiceCsv, toCsv } from "./csv.ts";

describe("CSV", () => {
  it("reads quoted fields and writes them back the same", () => {
    const rows = [
      ["a", 'say "hi"', "x,y"],
      ["1", "", "line\nbreak"],
    ];
    expect(parseCsv(toCsv(rows))).toEqual(rows);
    expect(parseCsv("a,b\r\nc,d\r\n\r\n")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
  });

  it("turns a payment file into rows, skipping its header", () => {
    const { rows, errors } = parseBatch("recipient,amount,memo\n0x70997970c51812dc3a010c7d01b50e0d17dc79c8,12.50,rent\n1001,3\n");
    expect(errors).toEqual([]);
    expect(rows.map((r) => [r.line, r.recipient, r.amount, r.memoText])).toEqual([
      [2, { kind: "address", address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" }, 12_500_000n, "rent"],
      [3, { kind: "id", id: 1001n }, 3_000_000n, ""],
    ]);
  });

  it("names every bad line and why", () => {
    const { errors } = parseBatch("0x1234,5\n1001,abc\n1001\n1001,1.999,ok\n");
    expect(errors).toEqual([
      { line: 1, error: "An address is 0x followed by 40 hex digits" },
      { line: 2, error: 'An amount is a number of dollars with at most two decimals, e.g. 12.50, not "abc"' },
      { line: 3, error: "expected recipient,amount[,memo] but found 1 field" },
      { line: 4, error: "An amount has at most two decimals (cents)" },
    ]);
    expect(parseBatch("\n").errors).toEqual([{ line: 0, error: "The file has no payment rows" }]);
  });
});

describe("parseInvoiceCsv", () => {
  const now = Date.UTC(2026, 11, 4) / 1000;
  it("reads invoices and names every bad line", () => {
    const text = [
      "payer,amount,due,reference,partial",
      "0x70997970C51812dc3A010C7d01b50e0d17dc79C8,120.50,2026-12-31,INV-1,yes",
      ",45,,,",
      "0x123,abc,2020-01-01,,maybe",
      "42,10",
    ].join("\n");
    const { rows, errors } = parseInvoiceCsv(text, now);
    expect(rows).toEqual([
      {
        line: 2,
        payer: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        amount: 120_500_000n,
        dueAt: Date.UTC(2027, 0, 1) / 1000 - 1,
        reference: "INV-1",
        allowsPartial: true,
      },
      { line: 3, payer: undefined, amount: 45_000_000n, dueAt: 0, reference: "", allowsPartial: false },
    ]);
    expect(errors.map((error) => error.line)).toEqual([4, 5]);
    expect(errors[0]!.error).toContain("An address is 0x followed by 40 hex digits");
    expect(errors[0]!.error).toContain("already over");
    expect(errors[0]!.error).toContain('Partial is yes or no, not "maybe"');
    expect(errors[1]!.error).toBe("The payer is an address (0x…), not an account id");
  });
});

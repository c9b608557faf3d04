import { describe, expect, it } from "vitest";
import {
  erc20PaymentUri,
  formatDueDate,
  formatQuantity,
  invoicePaymentTransferId,
  isOverdue,
  itemsTotal,
  newPaymentId,
  parseDueDate,
  parseInvoiceId,
  parsePayPath,
  parseQuantity,
  parseReference,
  payPath,
  plainDollars,
} from "./invoices.ts";

describe("invoices", () => {
  it("reads due dates as the last second of a UTC day, and refuses days already over", () => {
    const now = Date.UTC(2026, 11, 4, 15) / 1000;
    expect(parseDueDate("2026-12-04", now)).toEqual({ ok: true, value: Date.UTC(2026, 11, 5) / 1000 - 1 });
    expect(formatDueDate(Date.UTC(2026, 11, 5) / 1000 - 1)).toBe("2026-12-04");
    expect(parseDueDate("", now)).toEqual({ ok: true, value: 0 });
    expect(parseDueDate("2026-12-03", now)).toEqual({ ok: false, error: "the due date 2026-12-03 is already over (dates are UTC days)" });
    expect(parseDueDate("2026-02-30", now)).toEqual({ ok: false, error: "2026-02-30 is not a date" });
    expect(parseDueDate("31/12/2026", now).ok).toBe(false);
  });

  it("reads quantities in thousandths and adds lines up as the contract does", () => {
    expect(parseQuantity("7.5")).toEqual({ ok: true, value: 7_500n });
    expect(parseQuantity("0.001")).toEqual({ ok: true, value: 1n });
    expect(parseQuantity("1.2345")).toEqual({ ok: false, error: "a quantity has at most 3 decimals" });
    expect(parseQuantity("0")).toEqual({ ok: false, error: "the quantity must be more than 0" });
    expect(parseQuantity("two").ok).toBe(false);
    expect(formatQuantity(7_500n)).toBe("7.5");
    expect(formatQuantity(2_000n)).toBe("2");
    expect(
      itemsTotal([
        { quantity: 7_500n, unitPrice: 80_000_000n },
        { quantity: 1_000n, unitPrice: 15_000_000n },
      ]),
    ).toBe(615_000_000n);
  });

  it("derives payment transfer ids in the ledger's reserved range, as SovrInvoices does", () => {
    expect(invoicePaymentTransferId(3n, 9n)).toBe((3n << 126n) | (3n << 64n) | 9n);
    expect(newPaymentId(() => new Uint8Array(8).fill(0xff))).toBe((1n << 64n) - 1n);
  });

  it("derives overdue from the due date and the status", () => {
    expect(isOverdue({ status: "Open", dueAt: 100 }, 101)).toBe(true);
    expect(isOverdue({ status: "PartiallyPaid", dueAt: 100 }, 101)).toBe(true);
    expect(isOverdue({ status: "Open", dueAt: 100 }, 100)).toBe(false);
    expect(isOverdue({ status: "Paid", dueAt: 100 }, 101)).toBe(false);
    expect(isOverdue({ status: "Open", dueAt: 0 }, 101)).toBe(false);
  });

  it("builds and reads pay paths, ids, references and the EIP-681 link", () => {
    expect(payPath(31337, 7n)).toBe("/pay/31337/7");
    expect(parsePayPath("/pay/31337/7")).toEqual({ chainId: 31337, invoiceId: 7n });
    expect(parsePayPath("/pay/31337/0")).toBeUndefined();
    expect(parsePayPath("/ledger")).toBeUndefined();
    expect(parseInvoiceId("#12")).toEqual({ ok: true, value: 12n });
    expect(parseInvoiceId("x").ok).toBe(false);
    expect(parseReference("x".repeat(65))).toEqual({ ok: false, error: "the reference is 65 bytes; at most 64 fit" });
    expect(erc20PaymentUri("0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0", 31337, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 5n)).toBe(
      "ethereum:0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0@31337/transfer?address=0x70997970C51812dc3A010C7d01b50e0d17dc79C8&uint256=5",
    );
    expect(plainDollars(1_234_500_000n)).toBe("1234.50");
    expect(plainDollars(-10_000n)).toBe("-0.01");
    expect(plainDollars(3_330n)).toBe("0.00333");
  });
});

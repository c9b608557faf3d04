import { sovrCodes } from "@sovr/contracts";
import { describe, expect, it } from "vitest";
import { buildStatement } from "./statement.ts";

const CLIENT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const OTHER = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
const invoice = (
  id: bigint,
  payer: string | null,
  amount: bigint,
  createdAt: bigint,
  extra: Partial<{ paid: bigint; status: string; cancelledAt: bigint }> = {},
) => ({
  id,
  payer,
  amount,
  paid: extra.paid ?? 0n,
  reference: `INV-${id}`,
  status: extra.status ?? "Open",
  createdAt,
  cancelledAt: extra.cancelledAt ?? null,
});

describe("buildStatement", () => {
  it("opens with what was owed before the period, lists every invoice, payment and write-off in it, and closes", () => {
    const statement = buildStatement({
      counterparty: CLIENT,
      counterpartyAccounts: [11n],
      payeeAccounts: [1n],
      invoices: [
        invoice(1n, CLIENT.toLowerCase(), 100n, 10n, { paid: 100n, status: "Paid" }),
        invoice(2n, CLIENT.toLowerCase(), 50n, 110n, { paid: 20n, status: "Cancelled", cancelledAt: 130n }),
        invoice(3n, null, 30n, 120n, { paid: 30n, status: "Paid" }),
        invoice(4n, OTHER, 999n, 120n),
        invoice(5n, CLIENT.toLowerCase(), 70n, 500n),
      ],
      payments: [
        { invoiceId: 1n, payer: CLIENT.toLowerCase(), amount: 60n, timestamp: 20n, transferId: 91n },
        { invoiceId: 1n, payer: OTHER, amount: 40n, timestamp: 105n, transferId: 92n },
        { invoiceId: 2n, payer: CLIENT.toLowerCase(), amount: 20n, timestamp: 115n, transferId: 93n },
        { invoiceId: 3n, payer: CLIENT.toLowerCase(), amount: 30n, timestamp: 125n, transferId: 94n },
        { invoiceId: 4n, payer: OTHER, amount: 1n, timestamp: 125n, transferId: 95n },
      ],
      transfers: [
        { id: 7n, debitAccountId: 11n, creditAccountId: 1n, amount: 5n, code: sovrCodes.TRANSFER_PAYMENT, kind: "single", timestamp: 140n },
        { id: 8n, debitAccountId: 1n, creditAccountId: 11n, amount: 2n, code: sovrCodes.TRANSFER_PAYMENT, kind: "single", timestamp: 141n },
        {
          id: 9n,
          debitAccountId: 11n,
          creditAccountId: 1n,
          amount: 30n,
          code: sovrCodes.TRANSFER_INVOICE,
          kind: "single",
          timestamp: 125n,
        },
      ],
      from: 100n,
      to: 200n,
    });
    expect(statement.opening).toBe(40n);
    expect(statement.rows.map((row) => [row.kind, row.invoiceId, row.charge, row.credit, row.balance])).toEqual([
      ["payment", 1n, 0n, 40n, 0n],
      ["invoice", 2n, 50n, 0n, 50n],
      ["payment", 2n, 0n, 20n, 30n],
      ["invoice", 3n, 30n, 0n, 60n],
      ["payment", 3n, 0n, 30n, 30n],
      ["write-off", 2n, 0n, 30n, 0n],
      ["direct payment", undefined, 0n, 5n, -5n],
      ["payment to them", undefined, 2n, 0n, -3n],
    ]);
    expect(statement.closing).toBe(-3n);
  });

  it("counts standing orders' charges and paid milestones, and a subscription's charge once, as its invoice's payment", () => {
    const transfer = (id: bigint, code: number, amount: bigint, timestamp: bigint, kind = "single") => ({
      id,
      debitAccountId: 11n,
      creditAccountId: 1n,
      amount,
      code,
      kind,
      timestamp,
    });
    const statement = buildStatement({
      counterparty: CLIENT,
      counterpartyAccounts: [11n],
      payeeAccounts: [1n],
      invoices: [invoice(6n, CLIENT.toLowerCase(), 25n, 10n, { paid: 25n, status: "Paid" })],
      payments: [{ invoiceId: 6n, payer: CLIENT.toLowerCase(), amount: 25n, timestamp: 10n, transferId: 500n }],
      transfers: [
        transfer(500n, sovrCodes.TRANSFER_STANDING_ORDER, 25n, 10n),
        transfer(501n, sovrCodes.TRANSFER_STANDING_ORDER, 1_200n, 20n),
        transfer(502n, sovrCodes.TRANSFER_COMMITMENT, 300n, 30n, "pending"),
        transfer(503n, sovrCodes.TRANSFER_COMMITMENT, 300n, 40n, "post"),
      ],
      from: 0n,
      to: 100n,
    });
    expect(statement.rows.map((row) => [row.kind, row.description, row.credit])).toEqual([
      ["invoice", "Invoice #6 (INV-6)", 0n],
      ["payment", `Payment of invoice #6 (transfer 500)`, 25n],
      ["direct payment", "Standing order charge (transfer 501)", 1_200n],
      ["direct payment", "Milestone paid (transfer 503)", 300n],
    ]);
    expect(statement.closing).toBe(-1_500n);
  });
});

import { describe, expect, it } from "vitest";
import { sovrCodes } from "../generated/index.ts";
import { AMOUNT_MAX } from "./money.ts";
import {
  decodeTransferDetails,
  newTransferId,
  paymentTransfer,
  postPendingTransfer,
  RESERVED_ID_BIT,
  voidPendingTransfer,
} from "./transfers.ts";

describe("transfer builders", () => {
  it("makes ids that grow with time and stay clear of the ledger's reserved top bit", async () => {
    const first = newTransferId();
    await new Promise((resolveWait) => setTimeout(resolveWait, 2));
    const second = newTransferId();
    expect(second).toBeGreaterThan(first);
    expect(second).toBeLessThan(RESERVED_ID_BIT);
    const millis = Number(second >> 80n);
    expect(millis).toBeGreaterThan(Date.now() - 5_000);
    expect(millis).toBeLessThanOrEqual(Date.now());
    expect(newTransferId(() => new Uint8Array(10).fill(0xff)) & ((1n << 80n) - 1n)).toBe((1n << 80n) - 1n);
  });

  it("builds a SOVR payment, pending when asked", () => {
    const plain = paymentTransfer({ id: 7n, debitAccountId: 1n, creditAccountId: 2n, amount: 5n });
    expect(plain).toMatchObject({
      id: 7n,
      ledger: sovrCodes.LEDGER_USD,
      code: sovrCodes.TRANSFER_PAYMENT,
      flags: 0,
      timeout: 0,
      pendingId: 0n,
    });
    const pending = paymentTransfer({ debitAccountId: 1n, creditAccountId: 2n, amount: 5n, pending: { timeout: 60 }, linked: true });
    expect(pending.flags).toBe(sovrCodes.PENDING | sovrCodes.LINKED);
    expect(pending.timeout).toBe(60);
  });

  it("posts the whole pending amount unless told otherwise, and voids with nothing but the pending id", () => {
    expect(postPendingTransfer(9n, undefined, 10n)).toMatchObject({
      id: 10n,
      pendingId: 9n,
      amount: AMOUNT_MAX,
      flags: sovrCodes.POST_PENDING_TRANSFER,
      ledger: 0,
      code: 0,
    });
    expect(voidPendingTransfer(9n, 11n)).toMatchObject({ id: 11n, pendingId: 9n, amount: 0n, flags: sovrCodes.VOID_PENDING_TRANSFER });
  });

  it("decodes the packed details of TransferCreated", () => {
    const details = 2n | (1n << 16n) | (840n << 32n) | (3600n << 64n);
    expect(decodeTransferDetails(details)).toEqual({ flags: 2, code: 1, ledger: 840, timeout: 3600 });
  });
});

import { hexToString } from "viem";
import { describe, expect, it } from "vitest";
import { newTransferId, parseMemo, parseRecipient, parseTimeout } from "./forms.ts";

describe("send form checks", () => {
  it("takes an address or an account id as the recipient", () => {
    expect(parseRecipient("0x70997970c51812dc3a010c7d01b50e0d17dc79c8")).toEqual({
      ok: true,
      value: { kind: "address", address: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8" },
    });
    expect(parseRecipient(" 42 ")).toEqual({ ok: true, value: { kind: "account", id: 42n } });
  });

  it("refuses recipients that are neither, saying why", () => {
    expect(parseRecipient("")).toMatchObject({ ok: false, error: expect.stringMatching(/Enter the recipient/) });
    expect(parseRecipient("0x1234")).toMatchObject({ ok: false, error: "An address is 0x followed by 40 hex digits" });
    expect(parseRecipient("0x70997970C51812dc3A010C7d01b50e0d17dc79C9")).toMatchObject({ ok: false, error: expect.stringMatching(/checksum/) });
    expect(parseRecipient("0x0000000000000000000000000000000000000000")).toMatchObject({ ok: false });
    expect(parseRecipient("bob")).toMatchObject({ ok: false, error: "An account id is a whole number" });
    expect(parseRecipient("0")).toMatchObject({ ok: false });
  });

  it("keeps a memo readable in 32 bytes and refuses a longer one", () => {
    const memo = parseMemo("invoice 7");
    expect(memo.ok && hexToString(memo.value, { size: 32 }).replace(/\0+$/, "")).toBe("invoice 7");
    expect(parseMemo("")).toEqual({ ok: true, value: `0x${"0".repeat(64)}` });
    expect(parseMemo("x".repeat(33))).toEqual({ ok: false, error: "The memo is 33 bytes; at most 32 fit in a transfer" });
  });

  it("draws transfer ids below the ledger's reserved range", () => {
    expect(newTransferId(() => new Uint8Array(16).fill(0xff))).toBe((1n << 127n) - 1n);
    expect(newTransferId(() => new Uint8Array(16))).toBe(1n);
    expect(newTransferId()).toBeGreaterThan(0n);
  });

  it("reads a pending timeout in whole seconds", () => {
    expect(parseTimeout("3600")).toEqual({ ok: true, value: 3600 });
    expect(parseTimeout("1.5")).toMatchObject({ ok: false });
    expect(parseTimeout("99999999999")).toMatchObject({ ok: false });
  });
});

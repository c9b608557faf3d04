import { describe, expect, it } from "vitest";
import { parseAccountRef, parseTimeoutSeconds, shortAccountId } from "./accounts.ts";
import { primaryAccountId } from "./transfers.ts";

describe("account references", () => {
  it("takes an address (checksummed) or an account id", () => {
    expect(parseAccountRef("0x70997970c51812dc3a010c7d01b50e0d17dc79c8")).toEqual({
      ok: true,
      value: { kind: "address", address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" },
    });
    expect(parseAccountRef(" 42 ")).toEqual({ ok: true, value: { kind: "id", id: 42n } });
  });

  it("refuses what is neither, saying why", () => {
    expect(parseAccountRef("")).toEqual({ ok: false, error: "enter an address (0x…) or an account id" });
    expect(parseAccountRef("0x1234")).toEqual({ ok: false, error: "an address is 0x followed by 40 hex digits" });
    expect(parseAccountRef("0x70997970C51812dc3A010C7d01b50e0d17dc79C9")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/checksum/),
    });
    expect(parseAccountRef(`0x${"0".repeat(40)}`)).toMatchObject({ ok: false, error: expect.stringMatching(/zero address/) });
    expect(parseAccountRef("bob")).toEqual({ ok: false, error: 'an account id is a whole number, not "bob"' });
    expect(parseAccountRef("0")).toMatchObject({ ok: false });
  });

  it("reads a pending timeout in whole seconds within 32 bits", () => {
    expect(parseTimeoutSeconds("3600")).toEqual({ ok: true, value: 3600 });
    expect(parseTimeoutSeconds("1.5")).toMatchObject({ ok: false });
    expect(parseTimeoutSeconds("99999999999")).toMatchObject({ ok: false });
  });

  it("names a primary account by its holder's last hex digits, and shortens long ids", () => {
    expect(shortAccountId(primaryAccountId("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"))).toBe("primary …2266");
    expect(shortAccountId(1001n)).toBe("1001");
    expect(shortAccountId(124749554424948949160405345797195006204n)).toBe("124749…006204");
  });
});

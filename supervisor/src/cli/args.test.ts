import { hexToString } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { memoUserData, parseDollars, parseExpiry, parseId, UsageError } from "./args.ts";
import { ANVIL_ACCOUNTS, refuseKeyOnCommandLine, refuseWellKnownKey } from "./keys.ts";

describe("CLI arguments", () => {
  it("reads dollars by the domain's rule, naming the flag when they are wrong", () => {
    expect(parseDollars("12.34", "--amount")).toBe(12_340_000n);
    expect(parseDollars("0", "--limit", { allowZero: true })).toBe(0n);
    expect(() => parseDollars(undefined, "--amount")).toThrow("--amount is required (dollars with cents, e.g. 12.34)");
    expect(() => parseDollars("0.00", "--amount")).toThrow("--amount: the amount must be more than $0.00");
    expect(() => parseDollars("1.234", "--amount")).toThrow(UsageError);
  });

  it("takes ids as whole numbers within their width", () => {
    expect(parseId("42", "id", 32)).toBe(42n);
    expect(() => parseId("0", "id", 32)).toThrow("out of range");
    expect(() => parseId(`${2 ** 32}`, "id", 32)).toThrow("out of range");
    expect(() => parseId("4x", "id", 128)).toThrow('id must be a whole number, not "4x"');
  });

  it("keeps a memo readable as user data, refusing one that does not fit", () => {
    expect(hexToString(memoUserData("invoice 7"), { size: 32 }).replace(/\0+$/, "")).toBe("invoice 7");
    expect(memoUserData(undefined)).toBe(`0x${"00".repeat(32)}`);
    expect(() => memoUserData("x".repeat(33))).toThrow("--memo: the memo is 33 bytes; at most 32 fit");
  });

  it("reads credit-line expiries as dates in the future", () => {
    expect(parseExpiry("never")).toBe(0n);
    expect(parseExpiry("2099-01-01")).toBe(4_070_908_800n);
    expect(() => parseExpiry("2001-01-01")).toThrow("is in the past");
    expect(() => parseExpiry("tomorrow")).toThrow(UsageError);
  });

  it("refuses keys on the command line and Anvil's keys away from the local chain", () => {
    expect(() => refuseKeyOnCommandLine(["transfer", "--private-key=0x01"])).toThrow(/^--private-key is refused/);
    expect(() => refuseKeyOnCommandLine(["transfer", "--amount", "1"])).not.toThrow();
    const mnemonic = "test test test test test test test test test test test junk";
    expect(ANVIL_ACCOUNTS).toEqual(Array.from({ length: 10 }, (_, addressIndex) => mnemonicToAccount(mnemonic, { addressIndex }).address));
    const anvilNine = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720";
    expect(() => refuseWellKnownKey(anvilNine, 10)).toThrow(`refusing Anvil's well-known account #9 (${anvilNine}) on chain 10`);
    expect(() => refuseWellKnownKey(anvilNine, 31337)).not.toThrow();
    expect(() => refuseWellKnownKey("0x000000000000000000000000000000000000bEEF", 1)).not.toThrow();
  });
});

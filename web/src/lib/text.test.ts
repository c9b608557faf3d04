import { stringToHex } from "viem";
import { describe, expect, it } from "vitest";
import { bytes32Text } from "./text.ts";

describe("bytes32Text", () => {
  it("reads short text padded to 32 bytes", () => {
    expect(bytes32Text(stringToHex("rules-v1", { size: 32 }))).toBe("rules-v1");
    expect(bytes32Text(stringToHex("invoice 42 ☕", { size: 32 }))).toBe("invoice 42 ☕");
  });
  it("keeps hashes as hex and empty as empty", () => {
    const hash = "0x8f3a1c0e00000000000000000000000000000000000000000000000000000001" as const;
    expect(bytes32Text(hash)).toBe(hash);
    expect(bytes32Text(`0x${"0".repeat(64)}`)).toBe("");
  });
});

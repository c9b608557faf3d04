import { stringToHex } from "viem";
import { describe, expect, it } from "vitest";
import { boundedText, bytes32Text, textToBytes32, truncateUtf8 } from "./text.ts";

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

describe("truncateUtf8", () => {
  it("cuts on a character boundary within the byte budget, on one line", () => {
    const cut = truncateUtf8("€".repeat(200), 280);
    expect(new TextEncoder().encode(cut).length).toBeLessThanOrEqual(280);
    expect(cut.endsWith("€...")).toBe(true);
    expect(truncateUtf8("exited\n  with code 3", 128)).toBe("exited with code 3");
  });
});

describe("textToBytes32 and boundedText", () => {
  it("keeps short text readable and refuses what does not fit", () => {
    expect(bytes32Text(unwrap(textToBytes32("invoice 7")))).toBe("invoice 7");
    expect(textToBytes32("   ")).toEqual({ ok: true, value: `0x${"00".repeat(32)}` });
    expect(textToBytes32("x".repeat(33), "the memo")).toEqual({ ok: false, error: "the memo is 33 bytes; at most 32 fit" });
    expect(boundedText("", "the note", { min: 1, max: 10 })).toEqual({ ok: false, error: "the note is required" });
    expect(boundedText("☕☕☕☕", "the note", { max: 10 })).toEqual({ ok: false, error: "the note is 12 bytes; at most 10 fit" });
  });
});

function unwrap<T>(parsed: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

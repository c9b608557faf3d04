/** Text the contracts keep in bounded bytes (UTF-8) or in a bytes32. */
import { type Hex, hexToString, stringToHex } from "viem";
import { fail, ok, type Parsed } from "./parsed.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const utf8Length = (text: string): number => encoder.encode(text).length;

/** Cuts text to at most `maxBytes` of UTF-8 on one line, without splitting a character; a cut ends in "...". */
export function truncateUtf8(text: string, maxBytes: number): string {
  const single = text.replace(/\s+/g, " ").trim();
  const bytes = encoder.encode(single);
  if (bytes.length <= maxBytes) return single;
  let end = Math.max(0, maxBytes - 3);
  // Step back over continuation bytes (10xxxxxx) so the cut falls on a character boundary.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return `${decoder.decode(bytes.subarray(0, end))}...`;
}

/** Text of `min` to `max` bytes, as a contract bounds it, checked before anything is sent. */
export function boundedText(text: string, what: string, { min = 0, max }: { min?: number; max: number }): Parsed<string> {
  const length = utf8Length(text);
  if (length < min) return fail(min === 1 ? `${what} is required` : `${what} needs at least ${min} bytes`);
  if (length > max) return fail(`${what} is ${length} bytes; at most ${max} fit`);
  return ok(text);
}

export const ZERO_BYTES32: Hex = `0x${"00".repeat(32)}`;

/** Short text (a memo, a label) as a right-padded bytes32, so it reads back as written. */
export function textToBytes32(text: string, what = "the text"): Parsed<Hex> {
  const trimmed = text.trim();
  if (trimmed === "") return ok(ZERO_BYTES32);
  const length = utf8Length(trimmed);
  if (length > 32) return fail(`${what} is ${length} bytes; at most 32 fit`);
  return ok(stringToHex(trimmed, { size: 32 }));
}

/** A bytes32 that holds short text (an analyzer name, a threat type, a memo) as that text; otherwise the hex. */
export function bytes32Text(value: Hex): string {
  if (/^0x0*$/.test(value)) return "";
  try {
    const text = hexToString(value, { size: 32 }).replace(/\0+$/, "");
    if (/^[\x20-\x7e\u00a0-\uffff]+$/.test(text)) return text;
  } catch {
    // Not UTF-8: shown as hex below.
  }
  return value;
}

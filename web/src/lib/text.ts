import { hexToString, type Hex } from "viem";

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

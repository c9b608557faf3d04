/** Checks of what the owner types, each failing with the sentence shown next to the field. */
import { isAddress, stringToHex, type Address, type Hex } from "viem";
import type { Parsed } from "./money.ts";

const UINT128_MAX = (1n << 128n) - 1n;
/** Ids with the top bit set are minted by the ledger itself (primary accounts, ERC-20 transfers). */
const RESERVED_ID_BIT = 1n << 127n;

export type Recipient = { kind: "address"; address: Address } | { kind: "account"; id: bigint };

export function parseRecipient(input: string): Parsed<Recipient> {
  const text = input.trim();
  if (text === "") return { ok: false, error: "Enter the recipient's address (0x…) or account id" };
  if (/^0x/i.test(text)) {
    if (!/^0x[0-9a-fA-F]{40}$/.test(text)) return { ok: false, error: "An address is 0x followed by 40 hex digits" };
    if (!isAddress(text)) return { ok: false, error: "That address has a wrong checksum (mixed case); check it or paste it in lower case" };
    if (/^0x0{40}$/.test(text)) return { ok: false, error: "The zero address cannot hold an account" };
    return { ok: true, value: { kind: "address", address: text } };
  }
  return parseAccountId(text);
}

export function parseAccountId(input: string): Parsed<{ kind: "account"; id: bigint }> {
  const text = input.trim();
  if (!/^\d+$/.test(text)) return { ok: false, error: "An account id is a whole number" };
  const id = BigInt(text);
  if (id === 0n || id >= UINT128_MAX) return { ok: false, error: "An account id is between 1 and 2^128 - 2" };
  return { ok: true, value: { kind: "account", id } };
}

/** A memo rides in the transfer's 32-byte `userData` as text, so it reads back as written. */
export function parseMemo(input: string): Parsed<Hex> {
  const bytes = new TextEncoder().encode(input.trim()).length;
  if (bytes > 32) return { ok: false, error: `The memo is ${bytes} bytes; at most 32 fit in a transfer` };
  return { ok: true, value: input.trim() === "" ? `0x${"0".repeat(64)}` : stringToHex(input.trim(), { size: 32 }) };
}

/** A fresh transfer id: 127 random bits, never 0 and never in the ledger's reserved range. */
export function newTransferId(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): bigint {
  const bytes = random(new Uint8Array(16));
  let id = 0n;
  for (const byte of bytes) id = (id << 8n) | BigInt(byte);
  id &= RESERVED_ID_BIT - 1n;
  return id === 0n ? 1n : id;
}

/** Seconds a pending transfer may wait to be posted or voided (0: never expires). */
export function parseTimeout(input: string): Parsed<number> {
  const text = input.trim();
  if (!/^\d+$/.test(text)) return { ok: false, error: "The timeout is a whole number of seconds" };
  const seconds = Number(text);
  if (seconds > 0xffffffff) return { ok: false, error: "The timeout is at most 4294967295 seconds" };
  return { ok: true, value: seconds };
}

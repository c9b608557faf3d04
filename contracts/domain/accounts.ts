/** Naming a ledger account as a person does: by its id, or by an address meaning its primary SOVR account. */
import { type Address, getAddress, isAddress } from "viem";
import { fail, ok, type Parsed } from "./parsed.ts";
import { RESERVED_ID_BIT } from "./transfers.ts";

const UINT128_MAX = (1n << 128n) - 1n;
/** Largest timeout a pending transfer holds (uint32 seconds). */
export const MAX_TIMEOUT_SECONDS = 0xffffffff;

export type AccountRef = { kind: "address"; address: Address } | { kind: "id"; id: bigint };

/** An account id: a whole number from 1 to 2^128 - 2 (the ledger's own bounds). */
export function parseAccountId(input: string): Parsed<bigint> {
  const text = input.trim();
  if (!/^\d+$/.test(text)) return fail(`an account id is a whole number, not "${text}"`);
  const id = BigInt(text);
  if (id === 0n || id >= UINT128_MAX) return fail("an account id is between 1 and 2^128 - 2");
  return ok(id);
}

/** An address (checksum checked when mixed case) for its primary account, or an account id. */
export function parseAccountRef(input: string): Parsed<AccountRef> {
  const text = input.trim();
  if (text === "") return fail("enter an address (0x…) or an account id");
  if (/^0x/i.test(text)) {
    if (!/^0x[0-9a-fA-F]{40}$/.test(text)) return fail("an address is 0x followed by 40 hex digits");
    if (!isAddress(text)) return fail("that address has a wrong checksum (mixed case); check it or paste it in lower case");
    if (/^0x0{40}$/.test(text)) return fail("the zero address cannot hold an account");
    return ok({ kind: "address", address: getAddress(text) });
  }
  const id = parseAccountId(text);
  return id.ok ? ok({ kind: "id", id: id.value }) : id;
}

/** Seconds a pending transfer may wait to be posted or voided (0: never expires). */
export function parseTimeoutSeconds(input: string): Parsed<number> {
  const text = input.trim();
  if (!/^\d+$/.test(text)) return fail("the timeout is a whole number of seconds");
  const seconds = Number(text);
  if (seconds > MAX_TIMEOUT_SECONDS) return fail(`the timeout is at most ${MAX_TIMEOUT_SECONDS} seconds`);
  return ok(seconds);
}

/** An account id for tables: primary accounts by their holder's last hex digits, other long ids shortened. */
export function shortAccountId(id: bigint): string {
  if (id >= RESERVED_ID_BIT) return `primary …${id.toString(16).slice(-4)}`;
  const text = id.toString();
  return text.length > 14 ? `${text.slice(0, 6)}…${text.slice(-6)}` : text;
}

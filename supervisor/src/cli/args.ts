/**
 * Turning the CLI's words into checked values. Everything here throws `UsageError` (exit 2) before
 * anything is read from or sent to the chain.
 */
import { isAddress, getAddress, stringToHex, type Address, type Hex } from "viem";

/** Wrong arguments: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** Micro-dollars per dollar: SOVR amounts have 6 decimals (SPEC 3). */
const MICROS_PER_DOLLAR = 1_000_000n;
const UINT128_MAX = (1n << 128n) - 1n;

/**
 * Dollars with at most two decimals ("12", "12.3", "12.34") to micro-dollars. Cents are the smallest
 * unit a person types; finer amounts come only from the contracts' own arithmetic.
 */
export function parseDollars(text: string | undefined, flag: string, { allowZero = false } = {}): bigint {
  if (text === undefined) throw new UsageError(`${flag} is required (dollars with cents, e.g. 12.34)`);
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw new UsageError(`${flag} must be dollars with at most two decimals, e.g. 12.34, not "${text}"`);
  const micros = BigInt(match[1]!) * MICROS_PER_DOLLAR + BigInt((match[2] ?? "").padEnd(2, "0")) * 10_000n;
  if (micros === 0n && !allowZero) throw new UsageError(`${flag} must be more than 0.00`);
  if (micros > UINT128_MAX) throw new UsageError(`${flag} ${text} is more than a ledger amount can hold`);
  return micros;
}

/** Micro-dollars as dollars: cents always, the remaining digits only when they are not zero. */
export function formatDollars(micros: bigint): string {
  const sign = micros < 0n ? "-" : "";
  const magnitude = micros < 0n ? -micros : micros;
  const whole = magnitude / MICROS_PER_DOLLAR;
  const fraction = (magnitude % MICROS_PER_DOLLAR).toString().padStart(6, "0").replace(/0{1,4}$/, "");
  return `${sign}${whole}.${fraction}`;
}

/** A whole number that fits an unsigned integer of `bits` bits, not zero. */
export function parseId(text: string | undefined, what: string, bits: 32 | 64 | 128): bigint {
  if (text === undefined) throw new UsageError(`name the ${what}`);
  if (!/^\d+$/.test(text)) throw new UsageError(`${what} must be a whole number, not "${text}"`);
  const id = BigInt(text);
  if (id === 0n || id >= 1n << BigInt(bits)) throw new UsageError(`${what} ${text} is out of range (1 to 2^${bits}-1)`);
  return id;
}

/** A whole number of seconds, 1 or more, that fits the ledger's 32-bit timeout. */
export function parseSeconds(text: string, flag: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 0xffffffff) {
    throw new UsageError(`${flag} must be a whole number of seconds from 1 to ${0xffffffff}, not "${text}"`);
  }
  return Number(text);
}

export function parseAddress(text: string | undefined, flag: string): Address {
  if (text === undefined) throw new UsageError(`${flag} is required (an address, 0x followed by 40 hex digits)`);
  if (!isAddress(text, { strict: false })) throw new UsageError(`${flag} must be an address (0x followed by 40 hex digits), not "${text}"`);
  return getAddress(text);
}

/** An account named by its id, or by an address meaning that address's primary SOVR account. */
export type AccountRef = { kind: "id"; id: bigint } | { kind: "address"; address: Address };

export function parseAccountRef(text: string | undefined, flag: string): AccountRef {
  if (text === undefined) throw new UsageError(`${flag} is required (an account id, or an address for its primary account)`);
  if (text.startsWith("0x")) return { kind: "address", address: parseAddress(text, flag) };
  return { kind: "id", id: parseId(text, `${flag} account id`, 128) };
}

/** One of `names`, matched without regard to case. */
export function parseChoice<T extends string>(text: string | undefined, flag: string, names: readonly T[]): T {
  const wanted = text?.toUpperCase();
  const found = names.find((name) => name.toUpperCase() === wanted);
  if (text === undefined) throw new UsageError(`${flag} is required: one of ${names.join(", ")}`);
  if (!found) throw new UsageError(`${flag} must be one of ${names.join(", ")}, not "${text}"`);
  return found;
}

/** Text the contracts bound in bytes (UTF-8), checked here so an oversized value never costs a revert. */
export function boundedText(text: string | undefined, flag: string, { min, max }: { min: number; max: number }): string {
  if (text === undefined) {
    if (min > 0) throw new UsageError(`${flag} is required`);
    return "";
  }
  const length = Buffer.byteLength(text, "utf8");
  if (length < min || length > max) throw new UsageError(`${flag} must be ${min} to ${max} bytes of text, got ${length}`);
  return text;
}

/**
 * A memo as a transfer's user data: the text itself, right-padded, so it can be read back from the
 * `TransferCreated` event (a hash could not be). 32 bytes is all a transfer carries.
 */
export function memoUserData(memo: string | undefined): Hex {
  if (memo === undefined || memo === "") return `0x${"00".repeat(32)}`;
  const length = Buffer.byteLength(memo, "utf8");
  if (length > 32) throw new UsageError(`--memo is ${length} bytes; a transfer's user data holds at most 32`);
  return stringToHex(memo, { size: 32 });
}

/**
 * When a credit line stops: "never", a date ("2026-12-31", midnight UTC) or an ISO time; as Unix seconds
 * (0 for never, the contract's own meaning).
 */
export function parseExpiry(text: string | undefined): bigint {
  if (text === undefined || text === "never") return 0n;
  const at = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) throw new UsageError(`--expires must be "never" or a date like 2026-12-31 (or 2026-12-31T18:00:00Z), not "${text}"`);
  if (at <= Date.now()) throw new UsageError(`--expires ${text} is in the past`);
  return BigInt(Math.floor(at / 1000));
}

/**
 * A new transfer id: milliseconds since 1970 above 80 random bits, so ids sort by creation time (as
 * TigerBeetle recommends) and never collide in practice. It stays below 2^127: ids with the top bit set
 * are the ledger's own.
 */
export function newTransferId(): bigint {
  const random = crypto.getRandomValues(new Uint8Array(10));
  let low = 0n;
  for (const byte of random) low = (low << 8n) | BigInt(byte);
  return (BigInt(Date.now()) << 80n) | low;
}

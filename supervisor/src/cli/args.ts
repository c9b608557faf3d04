/**
 * Turning the CLI's words into checked values. Everything here throws `UsageError` (exit 2) before
 * anything is read from or sent to the chain.
 */
import * as domain from "@sovr/contracts";
import { type Address, getAddress, type Hex, isAddress } from "viem";

/** Wrong arguments: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** A domain check's value, or its reason as a usage error naming the flag. */
function orUsage<T>(parsed: domain.Parsed<T>, flag: string): T {
  if (!parsed.ok) throw new UsageError(`${flag}: ${parsed.error}`);
  return parsed.value;
}

/** Dollars as a person types them (the web app's rule too) to micro-dollars. */
export function parseDollars(text: string | undefined, flag: string, { allowZero = false } = {}): bigint {
  if (text === undefined) throw new UsageError(`${flag} is required (dollars with cents, e.g. 12.34)`);
  return orUsage(domain.parseDollars(text, { allowZero }), flag);
}

/** A whole number that fits an unsigned integer of `bits` bits, not zero. */
export function parseId(text: string | undefined, what: string, bits: 32 | 64 | 128): bigint {
  if (text === undefined) throw new UsageError(`name the ${what}`);
  if (!/^\d+$/.test(text)) throw new UsageError(`${what} must be a whole number, not "${text}"`);
  const id = BigInt(text);
  if (id === 0n || id >= 1n << BigInt(bits)) throw new UsageError(`${what} ${text} is out of range (1 to 2^${bits}-1)`);
  return id;
}

/** A pending transfer's timeout in whole seconds, 1 or more. */
export function parseSeconds(text: string, flag: string): number {
  const seconds = orUsage(domain.parseTimeoutSeconds(text), flag);
  if (seconds < 1) throw new UsageError(`${flag}: the timeout is at least 1 second (leave it out for none)`);
  return seconds;
}

export function parseAddress(text: string | undefined, flag: string): Address {
  if (text === undefined) throw new UsageError(`${flag} is required (an address, 0x followed by 40 hex digits)`);
  if (!isAddress(text, { strict: false })) throw new UsageError(`${flag} must be an address (0x followed by 40 hex digits), not "${text}"`);
  return getAddress(text);
}

export type AccountRef = domain.AccountRef;

/** An account named by its id, or by an address meaning that address's primary SOVR account. */
export function parseAccountRef(text: string | undefined, flag: string): AccountRef {
  if (text === undefined) throw new UsageError(`${flag} is required (an account id, or an address for its primary account)`);
  return orUsage(domain.parseAccountRef(text), flag);
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
  const parsed = domain.boundedText(text ?? "", flag, { min, max });
  if (!parsed.ok) throw new UsageError(parsed.error);
  return parsed.value;
}

/**
 * A memo as a transfer's user data: the text itself, right-padded, so it can be read back from the
 * `TransferCreated` event (a hash could not be). 32 bytes is all a transfer carries.
 */
export function memoUserData(memo: string | undefined): Hex {
  return orUsage(domain.textToBytes32(memo ?? "", "the memo"), "--memo");
}

/**
 * When a credit line stops: "never", a date ("2026-12-31", midnight UTC) or an ISO time; as Unix seconds
 * (0 for never, the contract's own meaning).
 */
export function parseExpiry(text: string | undefined): bigint {
  if (text === undefined || text === "never") return 0n;
  const at = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at))
    throw new UsageError(`--expires must be "never" or a date like 2026-12-31 (or 2026-12-31T18:00:00Z), not "${text}"`);
  if (at <= Date.now()) throw new UsageError(`--expires ${text} is in the past`);
  return BigInt(Math.floor(at / 1000));
}

/** SOVR amounts are micro-dollars (6 decimals, SPEC 3); people type and read dollars with cents. */
import { fail, ok, type Parsed } from "./parsed.ts";

export const MICROS_PER_DOLLAR = 1_000_000n;
/** Micro-dollars per cent: the smallest unit a person types. */
const MICROS_PER_CENT = 10_000n;
/** Largest amount the ledger holds (uint128), also its "post the whole pending amount" marker. */
export const AMOUNT_MAX = (1n << 128n) - 1n;

/**
 * Dollars as typed ("1,234.56", "$12", "0.5", "7.") to micro-dollars: at most two decimals, thousands
 * separators only where they belong, more than zero unless `allowZero`, below the ledger's maximum.
 */
export function parseDollars(input: string, { allowZero = false } = {}): Parsed<bigint> {
  const text = input.trim().replace(/^\$/, "");
  if (text === "") return fail("enter an amount in dollars, e.g. 12.50");
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) return fail(`an amount is a number of dollars with at most two decimals, e.g. 12.50, not "${input.trim()}"`);
  const cents = match[2] ?? "";
  if (cents.length > 2) return fail("an amount has at most two decimals (cents)");
  const micros = BigInt(match[1]!.replaceAll(",", "")) * MICROS_PER_DOLLAR + BigInt(cents.padEnd(2, "0")) * MICROS_PER_CENT;
  if (micros === 0n && !allowZero) return fail("the amount must be more than $0.00");
  if (micros >= AMOUNT_MAX) return fail("the amount is larger than the ledger can hold");
  return ok(micros);
}

/** "$1,234.56": cents always; sub-cent digits (from the contracts' own arithmetic) are kept, never rounded away. */
export function formatDollars(micros: bigint): string {
  const negative = micros < 0n;
  const magnitude = negative ? -micros : micros;
  const whole = magnitude / MICROS_PER_DOLLAR;
  const fraction = (magnitude % MICROS_PER_DOLLAR)
    .toString()
    .padStart(6, "0")
    .replace(/0{1,4}$/, "");
  return `${negative ? "-" : ""}$${whole.toLocaleString("en-US")}.${fraction}`;
}

/** Micro-dollars as a plain number of dollars, for charts (precision beyond 2^53 micros does not matter there). */
export function dollarsNumber(micros: bigint): number {
  return Number(micros) / Number(MICROS_PER_DOLLAR);
}

/** SOVR amounts are micro-dollars (6 decimals, SPEC 3); people type and read dollars with cents. */

export const MICROS_PER_DOLLAR = 1_000_000n;
/** Largest amount the ledger holds (uint128), also the "post the whole pending amount" marker. */
const UINT128_MAX = (1n << 128n) - 1n;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses "1,234.56", "$12" or "0.5" into micro-dollars; at most two decimals, more than zero. */
export function parseDollars(input: string): Parsed<bigint> {
  const text = input.trim().replace(/^\$/, "").replaceAll(",", "");
  if (text === "") return { ok: false, error: "Enter an amount in dollars, e.g. 12.50" };
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) return { ok: false, error: "Amount must be a number of dollars, e.g. 12.50" };
  const cents = match[2] ?? "";
  if (cents.length > 2) return { ok: false, error: "Amount can have at most two decimals (cents)" };
  const micros = BigInt(match[1]!) * MICROS_PER_DOLLAR + BigInt((cents + "00").slice(0, 2)) * 10_000n;
  if (micros === 0n) return { ok: false, error: "Amount must be more than $0.00" };
  if (micros >= UINT128_MAX) return { ok: false, error: "Amount is larger than the ledger can hold" };
  return { ok: true, value: micros };
}

/** "$1,234.56"; sub-cent amounts (from other clients) keep their digits rather than being rounded away. */
export function formatDollars(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const whole = abs / MICROS_PER_DOLLAR;
  const fraction = (abs % MICROS_PER_DOLLAR).toString().padStart(6, "0").replace(/0+$/, "").padEnd(2, "0");
  return `${negative ? "-" : ""}$${whole.toLocaleString("en-US")}.${fraction}`;
}

/** Micro-dollars as a plain number of dollars, for charts (precision beyond 2^53 micros does not matter there). */
export function dollarsNumber(micros: bigint): number {
  return Number(micros) / 1e6;
}

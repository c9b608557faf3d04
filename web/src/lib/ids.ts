/**
 * Primary accounts (`primaryAccountId`) are the reserved top bit over the low 128 bits of the holder's
 * address, so their last hex digits are the address's: shown as "primary …2266" beside "0xf39F…2266".
 */
const RESERVED_ID_BIT = 1n << 127n;

/** An account id for tables: primary accounts by their holder's last digits, other long ids shortened. */
export function shortId(id: bigint): string {
  if (id >= RESERVED_ID_BIT) return `primary …${id.toString(16).slice(-4)}`;
  const text = id.toString();
  return text.length > 14 ? `${text.slice(0, 6)}…${text.slice(-6)}` : text;
}

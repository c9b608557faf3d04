/** The SOVR contracts' roles by name, read from their ABIs (every public `*_ROLE` constant), never listed by hand. */
import { type Abi, type Hex, keccak256, stringToHex } from "viem";
import { sovrAbis } from "../contracts.ts";

/** OpenZeppelin's admin role, which the owner holds: zero rather than a hash. */
export const DEFAULT_ADMIN_ROLE: Hex = `0x${"00".repeat(32)}`;

/** Every role the contracts declare, by name. */
export const roleNames: readonly string[] = [
  ...new Set(
    Object.values(sovrAbis).flatMap((abi) =>
      (abi as Abi).flatMap((item) => (item.type === "function" && item.inputs.length === 0 && /_ROLE$/.test(item.name) ? [item.name] : [])),
    ),
  ),
].sort();

const nameByHash = new Map<string, string>(
  roleNames.map((name) => [name === "DEFAULT_ADMIN_ROLE" ? DEFAULT_ADMIN_ROLE : keccak256(stringToHex(name)), name]),
);

/** A role's name (`ISSUER_ROLE`), or the hash itself when no SOVR contract declares it. */
export function roleName(role: string): string {
  return nameByHash.get(role.toLowerCase()) ?? role;
}

/** A role's hash by name, as the contracts compute it. */
export function roleHash(name: string): Hex {
  return name === "DEFAULT_ADMIN_ROLE" ? DEFAULT_ADMIN_ROLE : keccak256(stringToHex(name));
}

/** Who holds which role, replayed from the audit trail's RoleGranted/RoleRevoked events in chain order. */
import { keccak256, stringToHex, type Hex } from "viem";

const ROLE_NAMES = ["ISSUER_ROLE", "CREDIT_MANAGER_ROLE", "TREASURY_ROLE", "CREDIT_ROLE", "PAUSER_ROLE", "FREEZER_ROLE", "GUARDIAN_ROLE"];

/** Role hashes of the SOVR contracts by name; DEFAULT_ADMIN_ROLE is zero (OpenZeppelin). */
export const ROLE_BY_HASH: Record<string, string> = {
  [`0x${"0".repeat(64)}`]: "DEFAULT_ADMIN_ROLE",
  ...Object.fromEntries(ROLE_NAMES.map((name) => [keccak256(stringToHex(name)), name])),
};

export type RoleEvent = { contract: string; event: string; args: unknown };
export type RoleHolding = { contract: string; role: string; holders: string[] };

export function roleHoldings(events: RoleEvent[]): RoleHolding[] {
  const holders = new Map<string, Set<string>>();
  for (const { contract, event, args } of events) {
    const { role, account } = args as { role?: Hex; account?: string };
    if (!role || !account) continue;
    const key = `${contract}\u0000${ROLE_BY_HASH[role] ?? role}`;
    const set = holders.get(key) ?? new Set<string>();
    if (event === "RoleGranted") set.add(account.toLowerCase());
    else if (event === "RoleRevoked") set.delete(account.toLowerCase());
    holders.set(key, set);
  }
  return [...holders.entries()]
    .map(([key, set]) => {
      const [contract = "", role = ""] = key.split("\u0000");
      return { contract, role, holders: [...set].sort() };
    })
    .sort((a, b) => a.contract.localeCompare(b.contract) || a.role.localeCompare(b.role));
}

/** Who holds which role, replayed from the audit trail's RoleGranted/RoleRevoked events in chain order. */
import { roleName } from "@sovr/contracts";
import type { Hex } from "viem";

export type RoleEvent = { contract: string; event: string; args: unknown };
export type RoleHolding = { contract: string; role: string; holders: string[] };

export function roleHoldings(events: RoleEvent[]): RoleHolding[] {
  const holders = new Map<string, Set<string>>();
  for (const { contract, event, args } of events) {
    const { role, account } = args as { role?: Hex; account?: string };
    if (!role || !account) continue;
    const key = `${contract}\u0000${roleName(role)}`;
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

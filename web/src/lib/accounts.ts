import { eq } from "@ponder/client";
import type { Address } from "viem";
import { useAccount } from "wagmi";
import { useLive } from "../live/live.ts";
import { accountView } from "../live/schema.ts";
import { useApp } from "./context.tsx";

export type AccountRow = typeof accountView.$inferSelect;

/** The connected wallet, or the deployment's owner when none is connected: whose ledger the page shows. */
export function useViewer(): { address: Address; connected: boolean } {
  const { address } = useAccount();
  const { config } = useApp();
  return { address: address ?? config.owner, connected: address !== undefined };
}

/** The viewer's accounts, live, oldest first. */
export function useMyAccounts() {
  const { live } = useApp();
  const { address } = useViewer();
  const owner = address.toLowerCase() as Address;
  return useLive(live, `accounts:${owner}`, (db) =>
    db.select().from(accountView).where(eq(accountView.owner, owner)).orderBy(accountView.createdAt),
  );
}

/** What an account can spend from its own funds: posted credits less posted and pending debits. */
export function available(account: AccountRow): bigint {
  return account.creditsPosted - account.debitsPosted - account.debitsPending;
}

export function postedBalance(account: AccountRow): bigint {
  return account.creditsPosted - account.debitsPosted;
}

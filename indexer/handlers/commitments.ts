/**
 * SovrCommitments: commitments and their milestones. A milestone is a ledger pending transfer, so its posts,
 * voids and releases arrive as the ledger's events, which the ledger's handler passes here.
 */
import type { Context } from "ponder:registry";
import { account, commitment, milestone } from "ponder:schema";
import { MILESTONE_STEPS, milestoneTransferId, parseMilestoneTransferId, primaryAccountId } from "@sovr/contracts";
import { on } from "./on.ts";

type Db = Context["db"];
type MilestoneStatus = "Approved" | "Voided" | "Expired";

const lower = (address: string) => address.toLowerCase() as `0x${string}`;
const ZERO_ADDRESS = /^0x0{40}$/;

/** A milestone resolved on the ledger: approved (posted), voided, or released at the deadline. */
async function resolve(db: Db, pendingId: bigint, status: MilestoneStatus, amount: bigint, at: bigint): Promise<void> {
  const ref = parseMilestoneTransferId(pendingId);
  if (!ref || ref.step !== MILESTONE_STEPS.reserve) throw new Error(`transfer ${pendingId} is not a milestone's reservation`);
  await db.update(milestone, { id: `${ref.commitmentId}:${ref.index}` }).set({ status, resolvedAt: at });
  await db.update(commitment, { id: ref.commitmentId }).set((row) => {
    const approvedCount = row.approvedCount + (status === "Approved" ? 1 : 0);
    const posted = row.posted + (status === "Approved" ? amount : 0n);
    const released = row.released + (status === "Approved" ? 0n : amount);
    const settled = posted + released === row.total;
    const final = row.status === "Cancelled" ? "Cancelled" : approvedCount === row.milestoneCount ? "Completed" : "Expired";
    return { approvedCount, posted, released, status: settled ? final : row.status };
  });
}

/** A post or void of a milestone, from the ledger's `TransferCreated` of a COMMITMENT transfer. */
export async function recordMilestoneResolution(
  db: Db,
  transfer: { kind: string; pendingId: bigint; amount: bigint; timestamp: bigint },
): Promise<void> {
  if (transfer.kind === "post") await resolve(db, transfer.pendingId, "Approved", transfer.amount, transfer.timestamp);
  if (transfer.kind === "void") await resolve(db, transfer.pendingId, "Voided", transfer.amount, transfer.timestamp);
}

/** A milestone released at its deadline, from the ledger's `PendingTransferReleased`; other releases are not ours. */
export async function recordMilestoneRelease(db: Db, pendingId: bigint, amount: bigint, at: bigint): Promise<void> {
  if (parseMilestoneTransferId(pendingId)) await resolve(db, pendingId, "Expired", amount, at);
}

export function registerCommitmentHandlers(): void {
  on("SovrCommitments:CommitmentCreated", async ({ event, context }) => {
    const a = event.args;
    const payee = await context.db.find(account, { id: a.payeeAccountId });
    if (!payee) throw new Error(`commitment ${a.id} pays into unknown account ${a.payeeAccountId}`);
    await context.db.insert(commitment).values({
      id: a.id,
      payer: lower(a.payer),
      payerAccountId: primaryAccountId(a.payer),
      payeeAccountId: a.payeeAccountId,
      payee: lower(payee.owner),
      arbiter: ZERO_ADDRESS.test(a.arbiter) ? null : lower(a.arbiter),
      deadline: BigInt(a.deadline),
      total: a.total,
      milestoneCount: a.milestones.length,
      approvedCount: 0,
      posted: 0n,
      released: 0n,
      status: "Active",
      createdAt: event.block.timestamp,
      txHash: event.transaction.hash,
    });
    await context.db.insert(milestone).values(
      a.milestones.map((m, index) => ({
        id: `${a.id}:${index}`,
        commitmentId: a.id,
        index,
        amount: m.amount,
        description: m.description,
        status: "Reserved",
        transferId: milestoneTransferId(a.id, index),
      })),
    );
  });

  on("SovrCommitments:MilestoneApproved", async ({ event, context }) => {
    await context.db.update(milestone, { id: `${event.args.id}:${event.args.index}` }).set({ approvedBy: lower(event.args.by) });
  });

  on("SovrCommitments:CommitmentCancelled", async ({ event, context }) => {
    await context.db.update(commitment, { id: event.args.id }).set({
      status: "Cancelled",
      cancelledAt: event.block.timestamp,
      cancelledBy: lower(event.args.by),
    });
  });
}

/** SovrDirectory: the owner's labels, one row per labelled address (an empty label removes it). */
import { label } from "ponder:schema";
import { on } from "./on.ts";

export function registerDirectoryHandlers(): void {
  on("SovrDirectory:LabelSet", async ({ event, context }) => {
    const subject = event.args.subject.toLowerCase() as `0x${string}`;
    if (event.args.label === "") {
      await context.db.delete(label, { subject });
      return;
    }
    const row = { label: event.args.label, updatedAt: event.block.timestamp, txHash: event.transaction.hash };
    await context.db
      .insert(label)
      .values({ subject, ...row })
      .onConflictDoUpdate(row);
  });
}

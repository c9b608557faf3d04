/** SovrMaintenance: the owner's maintenance windows, one row each, cancelled in place. */
import { maintenanceWindow } from "ponder:schema";
import { maintenanceSchedules } from "@sovr/contracts";
import { on } from "./on.ts";

export function registerMaintenanceHandlers(): void {
  on("SovrMaintenance:MaintenanceScheduled", async ({ event, context }) => {
    const { windowId, componentId, schedule, startsAt, endsAt, duration, period, cron, note } = event.args;
    await context.db.insert(maintenanceWindow).values({
      id: windowId,
      componentId,
      schedule: maintenanceSchedules[schedule] ?? String(schedule),
      startsAt: BigInt(startsAt),
      endsAt: BigInt(endsAt),
      duration,
      period,
      cron,
      note,
      scheduledAt: event.block.timestamp,
      txHash: event.transaction.hash,
    });
  });

  on("SovrMaintenance:MaintenanceCancelled", async ({ event, context }) => {
    await context.db.update(maintenanceWindow, { id: event.args.windowId }).set({ cancelledAt: event.block.timestamp });
  });
}

/** ComponentRegistry: components, control intents and outcomes, health transitions, beats, signals. */
import { component, controlIntent, healthChange, signal } from "ponder:schema";
import { componentKinds, componentStatuses, controlActions, signalSeverities } from "@sovr/contracts";
import { on } from "./on.ts";
import { updateSystem } from "./state.ts";

const nameOf = (names: readonly string[], value: number) => names[value] ?? String(value);

export function registerRegistryHandlers(): void {
  on("ComponentRegistry:ComponentRegistered", async ({ event, context }) => {
    const { id, controller, reporter, name, kind, endpoint, critical } = event.args;
    const now = event.block.timestamp;
    await context.db.insert(component).values({
      id,
      name,
      kind: nameOf(componentKinds, kind),
      endpoint,
      critical,
      controller,
      reporter,
      status: "UNKNOWN",
      latencyMs: 0,
      retired: false,
      registeredAt: now,
      statusSince: now,
      lastReportAt: now,
    });
  });

  on("ComponentRegistry:ComponentUpdated", async ({ event, context }) => {
    const { id, controller, reporter, name, kind, endpoint, critical } = event.args;
    await context.db.update(component, { id }).set({ name, kind: nameOf(componentKinds, kind), endpoint, critical, controller, reporter });
  });

  on("ComponentRegistry:ComponentRetired", async ({ event, context }) => {
    await context.db.update(component, { id: event.args.id }).set({ retired: true });
  });

  on("ComponentRegistry:ControlRequested", async ({ event, context }) => {
    const { intentId, componentId, action, requestedBy } = event.args;
    await context.db.insert(controlIntent).values({
      id: intentId,
      componentId,
      action: nameOf(controlActions, action),
      requestedBy,
      status: "Pending",
      requestedAt: event.block.timestamp,
      txHash: event.transaction.hash,
    });
  });

  on("ComponentRegistry:ControlResolved", async ({ event, context }) => {
    const { intentId, executed, reason } = event.args;
    await context.db
      .update(controlIntent, { id: intentId })
      .set({ status: executed ? "Executed" : "Failed", reason, resolvedAt: event.block.timestamp });
  });

  on("ComponentRegistry:HealthChanged", async ({ event, context }) => {
    const { id, previousStatus, status, latencyMs } = event.args;
    const now = event.block.timestamp;
    await context.db.insert(healthChange).values({
      id: event.id,
      componentId: id,
      previousStatus: nameOf(componentStatuses, previousStatus),
      status: nameOf(componentStatuses, status),
      latencyMs,
      timestamp: now,
      blockNumber: event.block.number,
    });
    await context.db
      .update(component, { id })
      .set({ status: nameOf(componentStatuses, status), latencyMs, statusSince: now, lastReportAt: now });
  });

  on("ComponentRegistry:LivenessBeat", async ({ event, context }) => {
    await context.db.update(component, { id: event.args.id }).set({ latencyMs: event.args.latencyMs, lastReportAt: event.block.timestamp });
  });

  on("ComponentRegistry:SignalRecorded", async ({ event, context }) => {
    const { signalId, componentId, severity, kind, message } = event.args;
    await context.db.insert(signal).values({
      id: signalId,
      componentId,
      severity: nameOf(signalSeverities, severity),
      kind,
      message,
      timestamp: event.block.timestamp,
      txHash: event.transaction.hash,
    });
  });

  on("ComponentRegistry:BeatIntervalSet", async ({ event, context }) => {
    await updateSystem(context.db, event.block.timestamp, { beatInterval: event.args.interval });
  });
}

/**
 * The owner's maintenance windows (SovrMaintenance): listed live, scheduled and cancelled with the
 * wallet. Inside a window probes go on, notifications stop, the component shows MAINTENANCE and the
 * time is left out of its uptime. Recurring and cron windows are scheduled here too (a cron in UTC or
 * with a `TZ=` zone); the indexer works out their occurrences.
 */
import { asc } from "@ponder/client";
import { contractLimits, type maintenanceSchedules, sovrMaintenanceAbi, utf8Length } from "@sovr/contracts";
import { useState } from "react";
import { useApp } from "../lib/context.tsx";
import { useStackStatus } from "../lib/status.ts";
import { useWrite } from "../lib/write.ts";
import { useLive } from "../live/live.ts";
import { maintenanceWindowView } from "../live/schema.ts";
import { Badge, Button, dateTime, Empty, Field, inputClass, WriteStatus } from "./ui.tsx";

const MAX_NOTE = contractLimits.SovrMaintenance.MAX_NOTE_LENGTH;
const CRON_FIELDS = /^(TZ=\S+\s+)?\S+\s+\S+\s+\S+\s+\S+\s+\S+$/;

export function MaintenanceWindows() {
  const { config, live } = useApp();
  const write = useWrite();
  const windows = useLive(live, "maintenance", (db) => db.select().from(maintenanceWindowView).orderBy(asc(maintenanceWindowView.id)));
  // Names from the status the page polls anyway: one live stream fewer (a browser holds six per origin).
  const status = useStackStatus();
  const components = (status.data?.components ?? []).filter((c) => !c.retired);
  const names = new Map(components.map((c) => [c.id, c.name]));
  const now = Date.now() / 1000;
  if (!config.contracts.maintenance)
    return <Empty>This deployment has no maintenance calendar yet: run the deployment again (pnpm start or pnpm sovr deploy).</Empty>;
  return (
    <div className="flex flex-col gap-3 text-sm" data-testid="maintenance">
      {!windows.data ? (
        <p className="text-gray-400">Loading…</p>
      ) : windows.data.length === 0 ? (
        <Empty>No maintenance windows. Schedule one before planned work: nobody is woken and uptime is kept.</Empty>
      ) : (
        <ul className="flex flex-col gap-1">
          {windows.data.map((w) => {
            const over = w.cancelledAt !== null || (w.endsAt !== 0n && Number(w.endsAt) + (w.schedule === "ONCE" ? 0 : w.duration) <= now);
            return (
              <li key={w.id.toString()} className="flex flex-wrap items-center gap-2" data-testid={`maintenance-${w.id}`}>
                <Badge tone={over ? "gray" : "blue"}>{w.cancelledAt !== null ? "cancelled" : over ? "over" : w.schedule}</Badge>
                <span>{w.componentId === 0 ? "every component" : (names.get(w.componentId) ?? `component ${w.componentId}`)}</span>
                <span className="text-gray-400">
                  {w.schedule === "ONCE"
                    ? `${dateTime(w.startsAt)} to ${dateTime(w.endsAt)}`
                    : w.schedule === "EVERY"
                      ? `${Math.round(w.duration / 60)} min every ${Math.round(w.period / 3600)} h from ${dateTime(w.startsAt)}`
                      : `${Math.round(w.duration / 60)} min at "${w.cron}"`}
                </span>
                {w.note && <span className="text-gray-300">{w.note}</span>}
                {!over && (
                  <Button
                    small
                    kind="danger"
                    disabled={write.busy}
                    testId={`cancel-maintenance-${w.id}`}
                    onClick={() =>
                      void write.run(`Cancelling maintenance window ${w.id}`, [
                        { address: config.contracts.maintenance!, abi: sovrMaintenanceAbi, functionName: "cancel", args: [w.id] },
                      ])
                    }
                  >
                    Cancel
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <ScheduleForm components={components} />
      <WriteStatus state={write.state} />
    </div>
  );
}

function ScheduleForm({ components }: { components: { id: number; name: string }[] }) {
  const { config } = useApp();
  const write = useWrite();
  const [component, setComponent] = useState("0");
  const [schedule, setSchedule] = useState<(typeof maintenanceSchedules)[number]>("ONCE");
  const [start, setStart] = useState("");
  const [minutes, setMinutes] = useState("60");
  const [periodHours, setPeriodHours] = useState("168");
  const [cron, setCron] = useState("0 3 * * 0");
  const [note, setNote] = useState("");
  const [error, setError] = useState<string>();
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const from = start ? Math.floor(new Date(start).getTime() / 1000) : Math.floor(Date.now() / 1000);
    const duration = Math.round(Number(minutes) * 60);
    if (!Number.isFinite(from)) return setError("Start: a date and time");
    if (!Number.isInteger(duration) || duration <= 0) return setError("Duration: minutes, more than 0");
    if (utf8Length(note) > MAX_NOTE) return setError(`Note: at most ${MAX_NOTE} bytes`);
    if (schedule === "CRON" && !CRON_FIELDS.test(cron.trim()))
      return setError("Cron: five fields (minute hour day month weekday), optionally after TZ=<zone>");
    const period = Math.round(Number(periodHours) * 3600);
    if (schedule === "EVERY" && (!Number.isInteger(period) || period < duration)) return setError("Every: hours, at least the duration");
    setError(undefined);
    const id = Number(component);
    const address = config.contracts.maintenance!;
    const call =
      schedule === "ONCE"
        ? { address, abi: sovrMaintenanceAbi, functionName: "scheduleOnce" as const, args: [id, from, from + duration, note] as const }
        : schedule === "EVERY"
          ? {
              address,
              abi: sovrMaintenanceAbi,
              functionName: "scheduleEvery" as const,
              args: [id, from, duration, period, 0, note] as const,
            }
          : {
              address,
              abi: sovrMaintenanceAbi,
              functionName: "scheduleCron" as const,
              args: [id, cron.trim(), duration, from, 0, note] as const,
            };
    void write.run("Scheduling maintenance", [call]);
  };
  return (
    <form className="grid grid-cols-2 gap-2 border-t border-gray-700 pt-3" onSubmit={submit} noValidate data-testid="maintenance-form">
      <Field label="Component">
        <select className={inputClass} value={component} onChange={(e) => setComponent(e.target.value)} aria-label="Component">
          <option value="0">every component</option>
          {components.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Schedule">
        <select
          className={inputClass}
          value={schedule}
          onChange={(e) => setSchedule(e.target.value as typeof schedule)}
          aria-label="Schedule"
        >
          <option value="ONCE">once</option>
          <option value="EVERY">every … hours</option>
          <option value="CRON">cron</option>
        </select>
      </Field>
      <Field label={schedule === "CRON" ? "Not before (empty: now)" : "Start (empty: now)"}>
        <input className={inputClass} type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} name="start" />
      </Field>
      <Field label="Duration (minutes)">
        <input className={inputClass} value={minutes} onChange={(e) => setMinutes(e.target.value)} name="minutes" inputMode="numeric" />
      </Field>
      {schedule === "EVERY" && (
        <Field label="Every (hours)">
          <input
            className={inputClass}
            value={periodHours}
            onChange={(e) => setPeriodHours(e.target.value)}
            name="period"
            inputMode="numeric"
          />
        </Field>
      )}
      {schedule === "CRON" && (
        <Field label="Cron" hint='e.g. "TZ=Europe/Berlin 0 3 * * 0": Sundays 03:00 Berlin time'>
          <input className={inputClass} value={cron} onChange={(e) => setCron(e.target.value)} name="cron" />
        </Field>
      )}
      <Field label="Note (public, on-chain)" error={error}>
        <input className={inputClass} value={note} onChange={(e) => setNote(e.target.value)} name="note" placeholder="database upgrade" />
      </Field>
      <div className="col-span-2">
        <Button type="submit" kind="primary" disabled={write.busy} testId="schedule-maintenance">
          Schedule (one transaction)
        </Button>
      </div>
      <div className="col-span-2">
        <WriteStatus state={write.state} />
      </div>
    </form>
  );
}

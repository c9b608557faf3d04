/**
 * Processes `sovr up` starts (notifier, assistant, guardian, indexer, embedded Postgres, chain) outlive it if it is killed with SIGKILL.
 * Each is recorded in `<home>/run/<name>.json` with its pid and the kernel's start time, so that the
 * next `sovr up` stops exactly what an earlier one left running (guardian and indexer first, then
 * the chain with SIGTERM so that it writes its state) and never a process that got a recycled pid.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { isRunning, type ProcessRef, processRef, terminate, UserError, writeDurably } from "@sovr/runtime";

/** Stop order: what reads the chain first, the chain last. */
export const SERVICES = ["notifier", "assistant", "guardian", "indexer", "postgres", "chain"] as const;
export type Service = (typeof SERVICES)[number] | "supervisor";

const STOP_TIMEOUT_MS = 15_000;

const recordFile = (home: string, service: Service) => join(home, "run", `${service}.json`);

function readRecord(home: string, service: Service): ProcessRef | undefined {
  const file = recordFile(home, service);
  if (!existsSync(file)) return undefined;
  try {
    const record = JSON.parse(readFileSync(file, "utf8")) as Partial<ProcessRef>;
    return typeof record.pid === "number" && typeof record.startTime === "string"
      ? { pid: record.pid, startTime: record.startTime }
      : undefined;
  } catch {
    return undefined;
  }
}

export function recordPid(home: string, service: Service, pid: number | undefined): void {
  const ref = processRef(pid);
  if (ref) writeDurably(recordFile(home, service), `${JSON.stringify(ref)}\n`);
}

export function forgetPid(home: string, service: Service): void {
  rmSync(recordFile(home, service), { force: true });
}

/**
 * Stops every recorded process that still runs; resolves with what was stopped. Refuses (with one
 * line) while the `sovr up` that started them is itself still running.
 */
export async function stopLeftovers(home: string): Promise<{ service: Service; pid: number }[]> {
  const supervisor = readRecord(home, "supervisor");
  if (supervisor && supervisor.pid !== process.pid && isRunning(supervisor)) {
    throw new UserError(`another sovr up (pid ${supervisor.pid}) is running on ${home}; stop it first`);
  }
  const stopped: { service: Service; pid: number }[] = [];
  for (const service of SERVICES) {
    const ref = readRecord(home, service);
    if (ref && isRunning(ref)) {
      await terminate(ref, { timeoutMs: STOP_TIMEOUT_MS });
      stopped.push({ service, pid: ref.pid });
    }
    forgetPid(home, service);
  }
  return stopped;
}

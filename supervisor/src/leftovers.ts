/**
 * Processes `sovr up` starts (guardian, indexer, chain) outlive it if it is killed with SIGKILL.
 * Each is recorded in `<home>/run/<name>.pid`; the next `sovr up` stops what an earlier one left
 * running (guardian and indexer first, then the chain with SIGTERM so that it writes its state)
 * instead of failing on a taken port.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "./env.ts";

/** Stop order: what reads the chain first, the chain last. */
export const SERVICES = ["guardian", "indexer", "chain"] as const;
export type Service = (typeof SERVICES)[number] | "supervisor";

/** Text each process's command line contains, so that a recycled pid is never signalled. */
const COMMAND_MARKERS: Record<Service, string> = {
  supervisor: "supervisor/src/up.ts",
  guardian: "guardian/src/main.ts",
  indexer: "ponder",
  chain: "anvil",
};
const STOP_TIMEOUT_MS = 15_000;

const pidFile = (home: string, service: Service) => join(home, "run", `${service}.pid`);

export function recordPid(home: string, service: Service, pid: number | undefined): void {
  if (pid === undefined) return;
  mkdirSync(join(home, "run"), { recursive: true });
  writeFileSync(pidFile(home, service), `${pid}\n`);
}

export function forgetPid(home: string, service: Service): void {
  rmSync(pidFile(home, service), { force: true });
}

/**
 * Stops every recorded process that still runs; resolves with what was stopped. Refuses (with one
 * line) while the `sovr up` that started them is itself still running.
 */
export async function stopLeftovers(home: string): Promise<{ service: Service; pid: number }[]> {
  const supervisorFile = pidFile(home, "supervisor");
  if (existsSync(supervisorFile)) {
    const pid = Number(readFileSync(supervisorFile, "utf8").trim());
    if (pid !== process.pid && runs(pid, COMMAND_MARKERS.supervisor)) {
      throw new UserError(`another sovr up (pid ${pid}) is running on ${home}; stop it first`);
    }
  }
  const stopped: { service: Service; pid: number }[] = [];
  for (const service of SERVICES) {
    const file = pidFile(home, service);
    if (!existsSync(file)) continue;
    const pid = Number(readFileSync(file, "utf8").trim());
    if (Number.isInteger(pid) && pid > 0 && runs(pid, COMMAND_MARKERS[service])) {
      await terminate(pid);
      stopped.push({ service, pid });
    }
    rmSync(file, { force: true });
  }
  return stopped;
}

function runs(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
  } catch {
    return false;
  }
}

async function terminate(pid: number): Promise<void> {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (alive() && Date.now() < deadline) await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  if (alive()) process.kill(pid, "SIGKILL");
}

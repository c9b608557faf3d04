/**
 * The owner's component processes, started the way `sovr.config` says. Each runs detached in its
 * own process group with its output appended to `<home>/logs/<name>.{out,err}.log`, so it outlives a
 * SIGKILL of the supervisor; `<home>/components/<name>.json` records its pid, the kernel's start
 * time for that pid (a recycled pid is never adopted or signalled) and whether the owner wants it
 * running. The next `sovr up` adopts a process that still runs and starts one the owner wants
 * running. An unexpected exit is restarted per the component's restart policy, with back-off.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { processStartTime, terminate, writeDurably } from "@sovr/runtime";
import type { ComponentConfig } from "./config.ts";

export type Desired = "running" | "stopped";

type ProcessRecord = {
  name: string;
  pid: number | null;
  /** `/proc/<pid>/stat` start time of that pid when it was spawned. */
  startTime: string | null;
  desired: Desired;
  /** Size of the stderr log when the process was spawned: its own stderr starts there. */
  stderrOffset: number;
};

export type Exit = { code: number | null; signal: string | null };

/** Polling period for the exit of a process this supervisor did not spawn (adopted after a restart). */
const ADOPTED_POLL_MS = 500;
/** Restart back-off: doubles from the first delay up to the last; a run this long resets it. */
const RESTART_FIRST_DELAY_MS = 1_000;
const RESTART_MAX_DELAY_MS = 60_000;
const STDERR_TAIL_BYTES = 4_096;

export class ComponentProcesses {
  readonly #home: string;
  readonly #configDir: string;
  readonly #log: (line: string) => void;
  /** Pids this supervisor is stopping on purpose (their exit is not a failure). */
  readonly #stopping = new Set<number>();
  readonly #exitWaiters = new Map<number, ((exit: Exit) => void)[]>();
  readonly #restartTimers = new Map<string, NodeJS.Timeout>();
  readonly #restartDelays = new Map<string, number>();
  readonly #configs = new Map<string, ComponentConfig>();
  #closed = false;

  constructor(options: { home: string; configDir: string; log: (line: string) => void; components: ComponentConfig[] }) {
    this.#home = options.home;
    this.#configDir = options.configDir;
    this.#log = options.log;
    for (const component of options.components) this.#configs.set(component.name, component);
    mkdirSync(join(this.#home, "components"), { recursive: true });
    mkdirSync(join(this.#home, "logs"), { recursive: true });
  }

  /** The pid of the component's process if it runs (spawned by this or an earlier supervisor). */
  runningPid(name: string): number | undefined {
    const record = this.#read(name);
    if (!record?.pid || !record.startTime) return undefined;
    return processStartTime(record.pid) === record.startTime ? record.pid : undefined;
  }

  /** The configured components whose process runs now. */
  runningNames(): string[] {
    return [...this.#configs.keys()].filter((name) => this.runningPid(name) !== undefined);
  }

  desired(name: string): Desired | undefined {
    return this.#read(name)?.desired;
  }

  setDesired(name: string, desired: Desired): void {
    const record = this.#read(name) ?? { name, pid: null, startTime: null, desired, stderrOffset: 0 };
    this.#write({ ...record, desired });
    if (desired === "stopped") this.#cancelRestart(name);
  }

  /**
   * Adopts each configured process that still runs (watching for its exit) and starts those the
   * owner wants running but that are not: after a supervisor restart everything is as it was.
   * Components with a start command and no recorded wish follow `autostart`.
   */
  resume(): { adopted: string[]; started: string[] } {
    const adopted: string[] = [];
    const started: string[] = [];
    for (const component of this.#configs.values()) {
      if (!component.start) continue;
      const pid = this.runningPid(component.name);
      if (pid !== undefined) {
        this.#watchAdopted(component.name, pid);
        adopted.push(component.name);
        continue;
      }
      const desired = this.desired(component.name) ?? (component.autostart ? "running" : "stopped");
      if (desired === "running") {
        this.spawn(component.name);
        started.push(component.name);
      }
    }
    return { adopted, started };
  }

  /** Spawns the component's process (its configuration must have `start`) and records it. */
  spawn(name: string): number {
    const component = this.#config(name);
    const start = component.start;
    if (!start) throw new Error(`${name} has no start command in the host configuration`);
    this.#cancelRestart(name);
    const { out, err } = this.#logFiles(name);
    const stderrOffset = existsSync(err) ? statSync(err).size : 0;
    const outFd = openSync(out, "a");
    const errFd = openSync(err, "a");
    const cwd = start.cwd ? (isAbsolute(start.cwd) ? start.cwd : resolve(this.#configDir, start.cwd)) : this.#configDir;
    try {
      const child = spawn(start.command, start.args, {
        cwd,
        env: { ...process.env, ...start.env },
        detached: true,
        stdio: ["ignore", outFd, errFd],
      });
      // ENOENT/EACCES arrive as an error event (and no pid); without a listener it would be thrown.
      child.once("error", () => undefined);
      const pid = child.pid;
      if (pid === undefined) {
        throw new Error(`could not start ${start.command} (not found or not executable)`);
      }
      this.#write({ name, pid, startTime: processStartTime(pid) ?? "", desired: "running", stderrOffset });
      child.once("exit", (code, signal) => this.#exited(name, pid, { code, signal }));
      return pid;
    } finally {
      closeSync(outFd);
      closeSync(errFd);
    }
  }

  /** Resolves when the pid exits (immediately if it no longer runs). */
  waitForExit(pid: number): Promise<Exit> {
    if (!alive(pid)) return Promise.resolve({ code: null, signal: null });
    return new Promise((resolveExit) => {
      const waiters = this.#exitWaiters.get(pid) ?? [];
      waiters.push(resolveExit);
      this.#exitWaiters.set(pid, waiters);
    });
  }

  /**
   * Stops the component's process: SIGTERM to its process group, SIGKILL after `stopTimeoutSeconds`.
   * Resolves with whether it had to be killed; undefined if nothing was running.
   */
  async stop(name: string): Promise<{ pid: number; killed: boolean } | undefined> {
    this.#cancelRestart(name);
    const record = this.#read(name);
    const pid = this.runningPid(name);
    if (pid === undefined || !record?.startTime) return undefined;
    const { stopTimeoutSeconds } = this.#config(name);
    this.#stopping.add(pid);
    const { killed } = await terminate({ pid, startTime: record.startTime }, { timeoutMs: stopTimeoutSeconds * 1000, group: true });
    this.#stopping.delete(pid);
    this.#write({ ...record, pid: null, startTime: null });
    return { pid, killed };
  }

  /** The last lines the component's current (or last) process wrote to stderr. */
  stderrTail(name: string): string {
    const record = this.#read(name);
    const { err } = this.#logFiles(name);
    if (!existsSync(err)) return "";
    const size = statSync(err).size;
    const from = Math.max(record?.stderrOffset ?? 0, size - STDERR_TAIL_BYTES);
    if (size <= from) return "";
    const buffer = Buffer.alloc(size - from);
    const fd = openSync(err, "r");
    try {
      readSync(fd, buffer, 0, buffer.length, from);
    } finally {
      closeSync(fd);
    }
    return buffer.toString("utf8").trim();
  }

  /** Stops every running process (on `sovr up`'s own stop) without changing what the owner wants. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const name of this.#restartTimers.keys()) this.#cancelRestart(name);
    await Promise.all([...this.#configs.keys()].map((name) => this.stop(name)));
  }

  #exited(name: string, pid: number, exit: Exit) {
    for (const resolveExit of this.#exitWaiters.get(pid) ?? []) resolveExit(exit);
    this.#exitWaiters.delete(pid);
    if (this.#stopping.has(pid) || this.#closed) return;
    const record = this.#read(name);
    if (record?.pid !== pid) return;
    this.#write({ ...record, pid: null, startTime: null });
    const { restart } = this.#config(name);
    const failed = exit.code !== 0;
    const how = exit.code === null ? (exit.signal ? `signal ${exit.signal}` : "an unknown status") : `code ${exit.code}`;
    if (record.desired !== "running" || restart === "never" || (restart === "on-failure" && !failed)) {
      this.#log(`sovr: ${name} exited with ${how}`);
      return;
    }
    const delay = this.#restartDelays.get(name) ?? RESTART_FIRST_DELAY_MS;
    this.#log(`sovr: ${name} exited with ${how}; restarting it in ${delay / 1000} s (restart: ${restart})`);
    this.#restartTimers.set(
      name,
      setTimeout(() => {
        this.#restartTimers.delete(name);
        if (this.#closed || this.desired(name) !== "running") return;
        const startedAt = Date.now();
        try {
          const newPid = this.spawn(name);
          this.#restartDelays.set(name, Math.min(delay * 2, RESTART_MAX_DELAY_MS));
          // A run that lasts resets the back-off.
          void this.waitForExit(newPid).then(() => {
            if (Date.now() - startedAt >= RESTART_MAX_DELAY_MS) this.#restartDelays.delete(name);
          });
        } catch (error) {
          this.#log(`sovr: restarting ${name} failed: ${(error as Error).message}`);
        }
      }, delay),
    );
  }

  #watchAdopted(name: string, pid: number) {
    const startTime = processStartTime(pid);
    const timer = setInterval(() => {
      if (processStartTime(pid) === startTime) return;
      clearInterval(timer);
      this.#exited(name, pid, { code: null, signal: null });
    }, ADOPTED_POLL_MS);
    timer.unref();
  }

  #cancelRestart(name: string) {
    const timer = this.#restartTimers.get(name);
    if (timer) clearTimeout(timer);
    this.#restartTimers.delete(name);
  }

  #config(name: string): ComponentConfig {
    const component = this.#configs.get(name);
    if (!component) throw new Error(`${name} is not in the host configuration`);
    return component;
  }

  #logFiles(name: string) {
    const base = join(this.#home, "logs", fileSafe(name));
    return { out: `${base}.out.log`, err: `${base}.err.log` };
  }

  #recordFile(name: string) {
    return join(this.#home, "components", `${fileSafe(name)}.json`);
  }

  #read(name: string): ProcessRecord | undefined {
    const file = this.#recordFile(name);
    if (!existsSync(file)) return undefined;
    return JSON.parse(readFileSync(file, "utf8")) as ProcessRecord;
  }

  #write(record: ProcessRecord) {
    writeDurably(this.#recordFile(record.name), `${JSON.stringify(record)}\n`);
  }
}

/** File name for a component name (names may hold spaces and any UTF-8). */
function fileSafe(name: string): string {
  return encodeURIComponent(name).replace(/%20/g, "_");
}

function alive(pid: number): boolean {
  return processStartTime(pid) !== undefined;
}

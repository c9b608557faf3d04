/**
 * Spawning and stopping processes, one way for every SOVR service: a process is known by its pid and
 * the kernel's start time for that pid, so a pid the kernel has since given to another process is
 * never signalled; a stop is SIGTERM (to the process group when asked), then SIGKILL after a deadline.
 */
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { execa, type ResultPromise } from "execa";
import { childEnv } from "./env.ts";
import { UserError } from "./errors.ts";

/** A running process as recorded: its pid and the kernel's start time for it. */
export type ProcessRef = { pid: number; startTime: string };

/** How often a stop looks whether the process is gone. */
const EXIT_POLL_MS = 50;

/**
 * The kernel's start time of a pid (field 22 of /proc/<pid>/stat), or undefined if nothing (or only a
 * zombie) runs under it. Without /proc (macOS) a live pid answers "alive": the pid alone identifies it.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[0] === "Z" ? undefined : fields[19];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT" || process.platform === "linux") return undefined;
    try {
      process.kill(pid, 0);
      return "alive";
    } catch {
      return undefined;
    }
  }
}

/** The record of a pid that runs now; undefined if it does not. */
export function processRef(pid: number | undefined): ProcessRef | undefined {
  if (pid === undefined) return undefined;
  const startTime = processStartTime(pid);
  return startTime === undefined ? undefined : { pid, startTime };
}

/** Whether the recorded process still runs (and its pid was not recycled). */
export function isRunning(ref: ProcessRef): boolean {
  return processStartTime(ref.pid) === ref.startTime;
}

function signal(pid: number, name: NodeJS.Signals, group: boolean): void {
  try {
    process.kill(group ? -pid : pid, name);
  } catch {
    if (!group) return;
    try {
      process.kill(pid, name);
    } catch {
      // Already gone.
    }
  }
}

/**
 * Stops a process: SIGTERM, then SIGKILL once `timeoutMs` has passed; resolves when it is gone, with
 * whether it had to be killed. `group` signals its whole process group (a detached process and its children).
 */
export async function terminate(
  ref: ProcessRef,
  { timeoutMs, group = false }: { timeoutMs: number; group?: boolean },
): Promise<{ killed: boolean }> {
  if (!isRunning(ref)) return { killed: false };
  signal(ref.pid, "SIGTERM", group);
  const deadline = Date.now() + timeoutMs;
  let killed = false;
  while (isRunning(ref)) {
    if (!killed && Date.now() >= deadline) {
      signal(ref.pid, "SIGKILL", group);
      killed = true;
    }
    await sleep(EXIT_POLL_MS);
  }
  return { killed };
}

export type Exit = { code: number | null; signal: string | null };

export type ServiceOptions = {
  /** How the service is named in errors ("the indexer"). */
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  /** Added to this process's environment (less the owner's secrets, which no service inherits). */
  env?: Record<string, string>;
  /** Each non-empty line the service writes (stdout and stderr). */
  onLine?: (line: string) => void;
  /** Characters of output kept for `output()`. */
  keepOutputChars?: number;
  /** How long a stop waits after SIGTERM before SIGKILL. */
  stopTimeoutMs?: number;
};

export type Service = {
  ref: ProcessRef;
  /** The last output (stdout and stderr as they came). */
  output(): string;
  exited: Promise<Exit>;
  /** Whether it has exited. */
  hasExited(): boolean;
  /** SIGTERM, SIGKILL after the stop timeout; resolves once it has exited. */
  stop(): Promise<void>;
};

const DEFAULT_KEEP_OUTPUT_CHARS = 100_000;
const DEFAULT_STOP_TIMEOUT_MS = 15_000;

/** Starts a long-running service, keeping the tail of its output. */
export function spawnService(options: ServiceOptions): Service {
  const child: ResultPromise = execa(options.command, options.args, {
    cwd: options.cwd,
    env: childEnv(options.env),
    extendEnv: false,
    stdin: "ignore",
    buffer: false,
    reject: false,
    // `sovr up` stops its services itself; one left behind by a SIGKILL is found by its pid file.
    cleanup: false,
  });
  const pid = child.pid;
  if (pid === undefined) throw new UserError(`could not start ${options.name}: ${options.command} is not found or not executable`);
  const ref: ProcessRef = { pid, startTime: processStartTime(pid) ?? "" };
  const keep = options.keepOutputChars ?? DEFAULT_KEEP_OUTPUT_CHARS;
  let output = "";
  let partial = "";
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-keep);
    if (!options.onLine) return;
    const lines = (partial + text).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) options.onLine(line.trimEnd());
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  let done = false;
  const exited: Promise<Exit> = child.then((result) => {
    done = true;
    return { code: result.exitCode ?? null, signal: result.signal ?? null };
  });
  return {
    ref,
    output: () => output,
    exited,
    hasExited: () => done,
    async stop() {
      if (done) return;
      await terminate(ref, { timeoutMs: options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS });
      await exited;
    },
  };
}

/** The last non-empty line of a service's output (what it said before it failed). */
export function lastLine(text: string, pattern?: RegExp): string {
  const lines = text
    .trim()
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  return (pattern ? lines.filter((line) => pattern.test(line)).at(-1) : undefined) ?? lines.at(-1) ?? "";
}

/**
 * Asks `probe` every `intervalMs` until it gives a value; throws what `failure` says when the
 * deadline passes, or at once when `stopIf` names a reason (a process that exited).
 */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number; failure: () => Error; stopIf?: () => Error | undefined },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const stopped = options.stopIf?.();
    if (stopped) throw stopped;
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw options.failure();
    await sleep(options.intervalMs ?? 100);
  }
}

/** A Node program of the stack run as a child process, with `/health` on a loopback port. */
export type HealthService = {
  service: Service;
  url: string;
  /** Resolves once `/health` answers (rejects if the process exits first or the wait times out). */
  waitUntilLive(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
};

export type HealthServiceOptions = {
  /** As in errors: "the guardian". */
  name: string;
  /** The program (`main.ts`), run by this Node. */
  mainFile: string;
  /** Its `/health` port on 127.0.0.1. */
  port: number;
  env: Record<string, string>;
  onLine?: ((line: string) => void) | undefined;
  /** Live as soon as `/health` answers at all: a service reporting itself unwell (503) is still up. */
  liveOnAnyAnswer?: boolean;
};

const HEALTH_SERVICE_STOP_TIMEOUT_MS = 10_000;
const HEALTH_SERVICE_LIVE_TIMEOUT_MS = 30_000;
const HEALTH_REQUEST_TIMEOUT_MS = 2000;
const OUTPUT_IN_ERRORS_CHARS = 4000;

/** Spawns a Node program of the stack (guardian, notifier, assistant) and waits for its `/health`. */
export function spawnHealthService(options: HealthServiceOptions): HealthService {
  const service = spawnService({
    name: options.name,
    command: process.execPath,
    args: [options.mainFile],
    env: options.env,
    ...(options.onLine ? { onLine: options.onLine } : {}),
    stopTimeoutMs: HEALTH_SERVICE_STOP_TIMEOUT_MS,
  });
  const url = `http://127.0.0.1:${options.port}`;
  const tail = () => service.output().slice(-OUTPUT_IN_ERRORS_CHARS);
  return {
    service,
    url,
    async waitUntilLive(timeoutMs = HEALTH_SERVICE_LIVE_TIMEOUT_MS) {
      await pollUntil(
        async () => {
          const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(HEALTH_REQUEST_TIMEOUT_MS) }).catch(() => undefined);
          return response && (response.ok || options.liveOnAnyAnswer) ? true : undefined;
        },
        {
          timeoutMs,
          failure: () => new Error(`${options.name} did not become live:\n${tail()}`),
          stopIf: () => (service.hasExited() ? new Error(`${options.name} exited:\n${tail()}`) : undefined),
        },
      );
    },
    stop: () => service.stop(),
  };
}

import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { isRunning, processRef, spawnService, terminate } from "./process.ts";

/** A node process that prints "ready" and then waits; with `ignoreTerm` it shrugs off SIGTERM. */
function sleeper(ignoreTerm: boolean) {
  const script = `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ""} console.log('ready'); setInterval(() => {}, 1000);`;
  return spawnService({ name: "a sleeper", command: process.execPath, args: ["-e", script], stopTimeoutMs: 300 });
}

async function untilReady(service: ReturnType<typeof sleeper>) {
  while (!service.output().includes("ready")) await new Promise((resolveWait) => setTimeout(resolveWait, 20));
}

describe("stopping processes", () => {
  it("stops a service with SIGTERM and reports its exit", async () => {
    const service = sleeper(false);
    await untilReady(service);
    expect(isRunning(service.ref)).toBe(true);
    expect(await terminate(service.ref, { timeoutMs: 5_000 })).toEqual({ killed: false });
    expect(await service.exited).toEqual({ code: null, signal: "SIGTERM" });
    expect(isRunning(service.ref)).toBe(false);
  });

  it("kills one that ignores SIGTERM once its deadline passes", async () => {
    const service = sleeper(true);
    await untilReady(service);
    const started = Date.now();
    await service.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect((await service.exited).signal).toBe("SIGKILL");
  });

  it("signals a whole process group when asked", async () => {
    // A detached shell (its own group) whose child would outlive a signal to the shell alone.
    const shell = spawn("sh", ["-c", "sleep 30 & echo $!; wait"], { detached: true, stdio: ["ignore", "pipe", "ignore"] });
    const [chunk] = (await once(shell.stdout, "data")) as [Buffer];
    const grandchild = processRef(Number(chunk.toString().trim()));
    const ref = processRef(shell.pid);
    expect(grandchild && ref).toBeTruthy();
    await terminate(ref!, { timeoutMs: 2_000, group: true });
    expect(isRunning(grandchild!)).toBe(false);
  });

  it("never signals a pid whose start time is not the recorded one (a recycled pid)", async () => {
    const service = sleeper(false);
    await untilReady(service);
    const recycled = { pid: service.ref.pid, startTime: "1" };
    expect(isRunning(recycled)).toBe(false);
    expect(await terminate(recycled, { timeoutMs: 100 })).toEqual({ killed: false });
    expect(isRunning(service.ref)).toBe(true);
    await service.stop();
  });

  it("says in one line that a command cannot be started", () => {
    expect(() => spawnService({ name: "the missing tool", command: "/nonexistent/tool", args: [] })).toThrow(
      /could not start the missing tool/,
    );
  });
});

/** Helpers for the supervisor's integration tests: free ports and a `sovr up` process to drive. */
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { deploymentDir } from "@sovr/contracts";
import { repoRoot } from "./env.ts";

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1" }, () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port"))));
    });
  });
}

export type UpProcess = { child: ChildProcess; output: () => string; waitFor(pattern: RegExp, timeoutMs?: number): Promise<string> };

const running = new Set<ChildProcess>();

/**
 * Stops every `sovr up` a test started and left running (a failed assertion skips the test's own
 * stop): SIGTERM lets each stop its chain, indexer and guardian instead of orphaning them.
 */
export async function stopAllUp(): Promise<void> {
  await Promise.all(
    [...running].map((child) => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exitOf(child);
    }),
  );
}

/** Spawns `node supervisor/src/up.ts` with the given environment, capturing its output. */
export function spawnUp(env: Record<string, string>): UpProcess {
  const child = spawn(process.execPath, [join(repoRoot, "supervisor", "src", "up.ts")], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return {
    child,
    output: () => output,
    waitFor(pattern, timeoutMs = 120_000) {
      return new Promise((resolveWait, reject) => {
        const started = Date.now();
        const timer = setInterval(() => {
          const match = pattern.exec(output);
          if (match) {
            clearInterval(timer);
            resolveWait(match[0]);
          } else if (child.exitCode !== null || Date.now() - started > timeoutMs) {
            clearInterval(timer);
            reject(new Error(`gave up waiting for ${pattern} (exit ${child.exitCode}); output:\n${output}`));
          }
        }, 50);
      });
    },
  };
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolveExit) => child.once("exit", (code) => resolveExit(code)));
}

/** Removes a test's Ignition deployment folder. */
export function removeDeployment(deploymentId: string): void {
  rmSync(deploymentDir(deploymentId), { recursive: true, force: true });
}

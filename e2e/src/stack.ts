/** Driving whole `sovr up` processes from the suites: spawn one with its own environment, watch its output, stop every one a test left. */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "@sovr/runtime/testing";

/** The supervisor's entry points, resolved by package name. */
export const upScript = fileURLToPath(import.meta.resolve("@sovr/supervisor/up"));
export const cliScript = fileURLToPath(import.meta.resolve("@sovr/supervisor/cli"));
/** The owner's own service in the suites: an HTTP server with a health check, started and stopped on-chain. */
export const fixtureComponent = fileURLToPath(new URL("../fixtures/http-component.ts", import.meta.url));

/**
 * Free ports for the stack's services beside the chain and the indexer (metrics, guardian, notifier, assistant,
 * web): a suite's `sovr up` never meets another's, or a `pnpm start` running on the defaults.
 */
export async function sidePorts() {
  return {
    SOVR_METRICS_PORT: String(await freePort()),
    SOVR_GUARDIAN_PORT: String(await freePort()),
    SOVR_NOTIFIER_PORT: String(await freePort()),
    SOVR_ASSISTANT_PORT: String(await freePort()),
    SOVR_WEB_PORT: String(await freePort()),
  };
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

/** Spawns `sovr up` with the given environment, capturing its output. */
export function spawnUp(env: Record<string, string>): UpProcess {
  const child = spawn(process.execPath, [upScript], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  child.once("exit", () => running.delete(child));
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
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
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolveExit) => child.once("exit", (code) => resolveExit(code)));
}

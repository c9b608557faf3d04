/**
 * Runs the guardian as a child process (`main.ts`), like `spawnIndexer` does for the indexer: used
 * by `sovr up` and by the tests that kill it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const mainFile = join(dirname(fileURLToPath(import.meta.url)), "main.ts");

export type GuardianOptions = {
  /** Port of /health and /metrics. */
  port: number;
  rpcUrl: string;
  chainId: number;
  deploymentId?: string | undefined;
  indexerUrl: string;
  /** The GUARDIAN_ROLE key; Anvil's third account when omitted (local chains only). */
  privateKey?: `0x${string}` | undefined;
  /** Extra environment: GEMINI_*, GUARDIAN_* thresholds, SOVR_GUARDIAN_POLL_MS. */
  env?: Record<string, string>;
  onOutput?: (line: string) => void;
};

export type GuardianProcess = {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves once /health answers (rejects if the process exits first or the wait times out). */
  waitUntilLive(timeoutMs?: number): Promise<void>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
};

export function spawnGuardian(options: GuardianOptions): GuardianProcess {
  const child = spawn(process.execPath, [mainFile], {
    env: {
      ...process.env,
      ...options.env,
      SOVR_RPC_URL: options.rpcUrl,
      SOVR_CHAIN_ID: String(options.chainId),
      SOVR_DEPLOYMENT_ID: options.deploymentId ?? "",
      SOVR_INDEXER_URL: options.indexerUrl,
      SOVR_GUARDIAN_PORT: String(options.port),
      ...(options.privateKey ? { SOVR_GUARDIAN_KEY: options.privateKey } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-100_000);
    if (options.onOutput) for (const line of text.split("\n")) if (line.trim()) options.onOutput(line.trimEnd());
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const url = `http://127.0.0.1:${options.port}`;
  return {
    child,
    url,
    output: () => output,
    async waitUntilLive(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the guardian exited (${child.exitCode ?? child.signalCode}):\n${output.slice(-4000)}`);
        try {
          const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
          if (response.ok) return;
        } catch {
          // Not listening yet.
        }
        if (Date.now() > deadline) throw new Error(`the guardian did not become live:\n${output.slice(-4000)}`);
        await new Promise((resolveWait) => setTimeout(resolveWait, 100));
      }
    },
    stop() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolveStop) => {
        const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
          clearTimeout(force);
          resolveStop();
        });
        child.kill("SIGTERM");
      });
    },
  };
}

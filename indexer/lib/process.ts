/**
 * Runs the indexer as a child process (Ponder has no programmatic start) and watches its progress:
 * used by `sovr up`, the integration tests and the benchmark.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const indexerDir = join(dirname(fileURLToPath(import.meta.url)), "..");
// Ponder's package exports no package.json to resolve; pnpm links it beside this package.
const ponderBin = join(indexerDir, "node_modules", "ponder", "dist", "esm", "bin", "ponder.js");

export type IndexerOptions = {
  port: number;
  rpcUrl: string;
  chainId: number;
  deploymentId?: string | undefined;
  /** PGlite folder (ignored when `databaseUrl` is set). */
  dataDir: string;
  databaseUrl?: string | undefined;
  /** Database schema Ponder writes to. */
  schema?: string;
  /** Extra environment (e.g. polling interval). */
  env?: Record<string, string>;
  onOutput?: (line: string) => void;
};

export type IndexerProcess = {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Block the index has processed completely; undefined before the server answers. */
  indexedBlock(): Promise<number | undefined>;
  /** Resolves once the index has processed `block` (rejects if the process exits or the wait times out). */
  waitForBlock(block: number | bigint, timeoutMs?: number): Promise<void>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
};

export function spawnIndexer(options: IndexerOptions): IndexerProcess {
  const args = [ponderBin, "start", "--config", "../ponder.config.ts", "--schema", options.schema ?? "sovr", "-p", String(options.port), "-H", "127.0.0.1"];
  const child = spawn(process.execPath, args, {
    cwd: indexerDir,
    env: {
      ...process.env,
      ...options.env,
      SOVR_RPC_URL: options.rpcUrl,
      SOVR_CHAIN_ID: String(options.chainId),
      SOVR_DEPLOYMENT_ID: options.deploymentId ?? "",
      SOVR_INDEXER_DIR: options.dataDir,
      DATABASE_URL: options.databaseUrl ?? "",
      NO_COLOR: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-200_000);
    if (options.onOutput) for (const line of text.split("\n")) if (line.trim()) options.onOutput(line.trimEnd());
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const url = `http://127.0.0.1:${options.port}`;

  const indexedBlock = async (): Promise<number | undefined> => {
    try {
      const response = await fetch(`${url}/status`, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) return undefined;
      const status = (await response.json()) as Record<string, { block?: { number: number } }>;
      return status.sovr?.block?.number;
    } catch {
      return undefined;
    }
  };

  return {
    child,
    url,
    output: () => output,
    indexedBlock,
    async waitForBlock(block, timeoutMs = 120_000) {
      const target = Number(block);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`the indexer exited (${child.exitCode ?? child.signalCode}) before block ${target}:\n${output.slice(-4000)}`);
        }
        const current = await indexedBlock();
        if (current !== undefined && current >= target) return;
        if (Date.now() > deadline) throw new Error(`the indexer did not reach block ${target} (at ${current}):\n${output.slice(-4000)}`);
        await new Promise((resolveWait) => setTimeout(resolveWait, 100));
      }
    },
    stop() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolveStop) => {
        const force = setTimeout(() => child.kill("SIGKILL"), 15_000);
        child.once("exit", () => {
          clearTimeout(force);
          resolveStop();
        });
        child.kill("SIGTERM");
      });
    },
  };
}

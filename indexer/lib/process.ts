/**
 * Runs the indexer as a child process (Ponder has no programmatic start) and watches its progress:
 * used by `sovr up`, the integration tests and the benchmarks.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pollUntil, type Service, spawnService } from "@sovr/runtime";

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
  onLine?: (line: string) => void;
  /** Another Ponder app folder (the benchmark's bare app); this indexer by default. */
  appDir?: string;
};

export type IndexerProcess = {
  service: Service;
  url: string;
  /** Block the index has processed completely; undefined before the server answers. */
  indexedBlock(): Promise<number | undefined>;
  /** Resolves once the index has processed `block` (rejects if the process exits or the wait times out). */
  waitForBlock(block: number | bigint, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
};

/** The block Ponder's `/status` says the chain `sovr` is indexed to; undefined while it does not answer. */
export async function indexedBlockAt(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(`${url}/status`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) return undefined;
    const status = (await response.json()) as Record<string, { block?: { number: number } }>;
    return status.sovr?.block?.number;
  } catch {
    return undefined;
  }
}

export function spawnIndexer(options: IndexerOptions): IndexerProcess {
  const appDir = options.appDir ?? indexerDir;
  const service = spawnService({
    name: "the indexer",
    command: process.execPath,
    args: [ponderBin, "start", "--schema", options.schema ?? "sovr", "-p", String(options.port), "-H", "127.0.0.1"],
    cwd: appDir,
    env: {
      ...options.env,
      SOVR_RPC_URL: options.rpcUrl,
      SOVR_CHAIN_ID: String(options.chainId),
      SOVR_DEPLOYMENT_ID: options.deploymentId ?? "",
      SOVR_INDEXER_DIR: options.dataDir,
      DATABASE_URL: options.databaseUrl ?? "",
      NO_COLOR: "1",
    },
    ...(options.onLine ? { onLine: options.onLine } : {}),
    keepOutputChars: 200_000,
  });
  const url = `http://127.0.0.1:${options.port}`;
  const indexedBlock = () => indexedBlockAt(url);
  return {
    service,
    url,
    indexedBlock,
    async waitForBlock(block, timeoutMs = 120_000) {
      const target = Number(block);
      let current: number | undefined;
      await pollUntil(
        async () => {
          current = await indexedBlock();
          return current !== undefined && current >= target ? true : undefined;
        },
        {
          timeoutMs,
          failure: () => new Error(`the indexer did not reach block ${target} (at ${current}):\n${service.output().slice(-4000)}`),
          stopIf: () =>
            service.hasExited() ? new Error(`the indexer exited before block ${target}:\n${service.output().slice(-4000)}`) : undefined,
        },
      );
    },
    stop: () => service.stop(),
  };
}

/**
 * Runs the guardian as a child process (`main.ts`), like `spawnIndexer` does for the indexer: used
 * by `sovr up` and by the tests that kill it.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pollUntil, type Service, spawnService } from "@sovr/runtime";

const mainFile = join(dirname(fileURLToPath(import.meta.url)), "main.ts");

export type GuardianOptions = {
  /** Port of /health and /metrics. */
  port: number;
  /** The chain: one URL, or several separated by commas. */
  rpcUrl: string;
  chainId: number;
  deploymentId?: string | undefined;
  indexerUrl: string;
  /** The GUARDIAN_ROLE host key. */
  privateKey: `0x${string}`;
  /** Extra environment: GEMINI_*, GUARDIAN_* thresholds, SOVR_GUARDIAN_POLL_MS. */
  env?: Record<string, string>;
  onLine?: (line: string) => void;
};

export type GuardianProcess = {
  service: Service;
  url: string;
  /** Resolves once /health answers (rejects if the process exits first or the wait times out). */
  waitUntilLive(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
};

export function spawnGuardian(options: GuardianOptions): GuardianProcess {
  const service = spawnService({
    name: "the guardian",
    command: process.execPath,
    args: [mainFile],
    env: {
      ...options.env,
      SOVR_RPC_URL: options.rpcUrl,
      SOVR_CHAIN_ID: String(options.chainId),
      SOVR_DEPLOYMENT_ID: options.deploymentId ?? "",
      SOVR_INDEXER_URL: options.indexerUrl,
      SOVR_GUARDIAN_PORT: String(options.port),
      SOVR_GUARDIAN_KEY: options.privateKey,
    },
    ...(options.onLine ? { onLine: options.onLine } : {}),
    stopTimeoutMs: 10_000,
  });
  const url = `http://127.0.0.1:${options.port}`;
  return {
    service,
    url,
    async waitUntilLive(timeoutMs = 30_000) {
      await pollUntil(
        async () => {
          const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
          return response?.ok ? true : undefined;
        },
        {
          timeoutMs,
          failure: () => new Error(`the guardian did not become live:\n${service.output().slice(-4000)}`),
          stopIf: () => (service.hasExited() ? new Error(`the guardian exited:\n${service.output().slice(-4000)}`) : undefined),
        },
      );
    },
    stop: () => service.stop(),
  };
}

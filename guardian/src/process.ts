/**
 * Runs the guardian as a child process (`main.ts`), like `spawnIndexer` does for the indexer: used
 * by `sovr up` and by the tests that kill it.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type HealthService, spawnHealthService } from "@sovr/runtime";

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

export type GuardianProcess = HealthService;

export function spawnGuardian(options: GuardianOptions): GuardianProcess {
  return spawnHealthService({
    name: "the guardian",
    mainFile,
    port: options.port,
    env: {
      ...options.env,
      SOVR_RPC_URL: options.rpcUrl,
      SOVR_CHAIN_ID: String(options.chainId),
      SOVR_DEPLOYMENT_ID: options.deploymentId ?? "",
      SOVR_INDEXER_URL: options.indexerUrl,
      SOVR_GUARDIAN_PORT: String(options.port),
      SOVR_GUARDIAN_KEY: options.privateKey,
    },
    onLine: options.onLine,
  });
}

import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (where `hardhat.config.ts` and `ignition/` live). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Thrown for problems the user must fix; `up` prints the message as one line and exits non-zero. */
export class UserError extends Error {}

export type UpSettings = {
  /** Folder of the host's state: the chain, later the indexer database and keys. */
  home: string;
  chainPort: number;
  /** Port of the indexer's HTTP API (GraphQL, SQL, status). */
  indexerPort: number;
  /** Port of the guardian's /health and /metrics. */
  guardianPort: number;
  /** Port of the supervisor's Prometheus metrics. */
  metricsPort: number;
  /** Port of the web command center. */
  webPort: number;
  /** Postgres for the indexer instead of PGlite under `home/indexer`. */
  databaseUrl: string | undefined;
  /** Seconds between Anvil state snapshots: what a kill -9 of the chain can lose at most. */
  stateIntervalSeconds: number;
  /** Ignition deployment id: Ignition's own `chain-<id>` unless a test isolates itself. */
  deploymentId: string | undefined;
};

/** Default seconds between state snapshots, measured in supervisor/src/chain.test.ts and the README. */
export const DEFAULT_STATE_INTERVAL_SECONDS = 1;

function portFrom(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UserError(`${name} must be a port number between 1 and 65535, not "${value}"`);
  }
  return port;
}

function positiveFrom(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${name} must be a whole number of seconds >= 1, not "${value}"`);
  return n;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): UpSettings {
  return {
    home: resolve(env.SOVR_HOME ?? join(repoRoot, ".sovr")),
    chainPort: portFrom(env.SOVR_CHAIN_PORT, "SOVR_CHAIN_PORT", 8545),
    indexerPort: portFrom(env.SOVR_INDEXER_PORT, "SOVR_INDEXER_PORT", 42069),
    metricsPort: portFrom(env.SOVR_METRICS_PORT, "SOVR_METRICS_PORT", 9464),
    guardianPort: portFrom(env.SOVR_GUARDIAN_PORT, "SOVR_GUARDIAN_PORT", 9465),
    webPort: portFrom(env.SOVR_WEB_PORT, "SOVR_WEB_PORT", 5173),
    databaseUrl: env.DATABASE_URL || undefined,
    stateIntervalSeconds: positiveFrom(env.SOVR_CHAIN_STATE_INTERVAL, "SOVR_CHAIN_STATE_INTERVAL", DEFAULT_STATE_INTERVAL_SECONDS),
    deploymentId: env.SOVR_DEPLOYMENT_ID || undefined,
  };
}

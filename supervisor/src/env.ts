/** `sovr up`'s settings, from the environment (README "Settings"). */
import { env, readEnv, sovrHome } from "@sovr/runtime";
import { DEFAULT_STATE_INTERVAL_SECONDS } from "@sovr/runtime/chain";

export type UpSettings = {
  /** Folder of the host's state: the chain, the indexer database, keys, journals. */
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

const spec = {
  SOVR_CHAIN_PORT: env.port(8545),
  SOVR_INDEXER_PORT: env.port(42069),
  SOVR_METRICS_PORT: env.port(9464),
  SOVR_GUARDIAN_PORT: env.port(9465),
  SOVR_WEB_PORT: env.port(5173),
  DATABASE_URL: env.optional(env.text("")),
  SOVR_CHAIN_STATE_INTERVAL: env.wholeNumber(DEFAULT_STATE_INTERVAL_SECONDS, { min: 1 }),
  SOVR_DEPLOYMENT_ID: env.optional(env.text("")),
};

export function readSettings(environment: NodeJS.ProcessEnv = process.env): UpSettings {
  const values = readEnv(spec, environment);
  return {
    home: sovrHome(environment),
    chainPort: values.SOVR_CHAIN_PORT,
    indexerPort: values.SOVR_INDEXER_PORT,
    metricsPort: values.SOVR_METRICS_PORT,
    guardianPort: values.SOVR_GUARDIAN_PORT,
    webPort: values.SOVR_WEB_PORT,
    databaseUrl: values.DATABASE_URL,
    stateIntervalSeconds: values.SOVR_CHAIN_STATE_INTERVAL,
    deploymentId: values.SOVR_DEPLOYMENT_ID,
  };
}

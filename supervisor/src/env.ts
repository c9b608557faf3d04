/** `sovr up`'s and `sovr deploy`'s settings, from the environment (README "Settings"). */
import { env, readEnv, sovrHome } from "@sovr/runtime";
import { DEFAULT_STATE_INTERVAL_SECONDS } from "@sovr/runtime/chain";
import { rpcUrls } from "@sovr/runtime/rpc";
import { z } from "zod";

export type UpSettings = {
  /** Folder of the host's state: the chain, the indexer database, keys, journals. */
  home: string;
  chainPort: number;
  /**
   * The chain to attach to (`SOVR_RPC_URL`, one or more URLs used in turn); unset: `sovr up` runs
   * its own local chain on `chainPort`.
   */
  rpcUrls: string[] | undefined;
  /** Port of the indexer's HTTP API (GraphQL, SQL, status). */
  indexerPort: number;
  /** Port of the guardian's /health and /metrics. */
  guardianPort: number;
  /** Port of the notifier's /health, /metrics and Settings API. */
  notifierPort: number;
  /** Port of the assistant's API (the chat panel and its /health). */
  assistantPort: number;
  /** Port of the supervisor's Prometheus metrics. */
  metricsPort: number;
  /** Port of the web command center. */
  webPort: number;
  /** Postgres for the indexer instead of PGlite under `home/indexer`. */
  databaseUrl: string | undefined;
  /** `pglite`, or `postgres`: an embedded PostgreSQL under `home/postgres` (unless `databaseUrl` names one). */
  database: "pglite" | "postgres";
  /** Port of the embedded PostgreSQL (127.0.0.1). */
  postgresPort: number;
  /** Seconds between Anvil state snapshots: what a kill -9 of the chain can lose at most. */
  stateIntervalSeconds: number;
  /** Ignition deployment id: Ignition's own `chain-<id>` unless a test isolates itself. */
  deploymentId: string | undefined;
  /** Seconds between probes of the stack's own components. */
  probeIntervalSeconds: number;
  /** Events a day the guardian is expected to judge (each a transaction of its key), for the host keys' runway. */
  expectedEventsPerDay: number;
};

const spec = {
  SOVR_CHAIN_PORT: env.port(8545),
  SOVR_RPC_URL: env.optional(rpcUrls([])),
  SOVR_INDEXER_PORT: env.port(42069),
  SOVR_METRICS_PORT: env.port(9464),
  SOVR_GUARDIAN_PORT: env.port(9465),
  SOVR_WEB_PORT: env.port(5173),
  SOVR_NOTIFIER_PORT: env.port(9466),
  SOVR_ASSISTANT_PORT: env.port(9467),
  DATABASE_URL: env.optional(env.text("")),
  SOVR_DATABASE: env.setting(z.enum(["pglite", "postgres"]), "pglite or postgres", "pglite" as "pglite" | "postgres"),
  SOVR_POSTGRES_PORT: env.port(5432),
  SOVR_CHAIN_STATE_INTERVAL: env.wholeNumber(DEFAULT_STATE_INTERVAL_SECONDS, { min: 1 }),
  SOVR_DEPLOYMENT_ID: env.optional(env.text("")),
  SOVR_PROBE_INTERVAL_S: env.wholeNumber(15, { min: 1 }),
  SOVR_EXPECTED_EVENTS_PER_DAY: env.wholeNumber(200),
};

export function readSettings(environment: NodeJS.ProcessEnv = process.env): UpSettings {
  const values = readEnv(spec, environment);
  return {
    home: sovrHome(environment),
    chainPort: values.SOVR_CHAIN_PORT,
    rpcUrls: values.SOVR_RPC_URL,
    indexerPort: values.SOVR_INDEXER_PORT,
    metricsPort: values.SOVR_METRICS_PORT,
    guardianPort: values.SOVR_GUARDIAN_PORT,
    webPort: values.SOVR_WEB_PORT,
    notifierPort: values.SOVR_NOTIFIER_PORT,
    assistantPort: values.SOVR_ASSISTANT_PORT,
    databaseUrl: values.DATABASE_URL,
    database: values.SOVR_DATABASE,
    postgresPort: values.SOVR_POSTGRES_PORT,
    stateIntervalSeconds: values.SOVR_CHAIN_STATE_INTERVAL,
    deploymentId: values.SOVR_DEPLOYMENT_ID,
    probeIntervalSeconds: values.SOVR_PROBE_INTERVAL_S,
    expectedEventsPerDay: values.SOVR_EXPECTED_EVENTS_PER_DAY,
  };
}

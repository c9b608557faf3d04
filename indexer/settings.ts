/**
 * Where the indexer reads from and writes to, from the environment `sovr up` sets (defaults suit a
 * local `pnpm start`). Shared by `ponder.config.ts` and the API so both talk to the same chain.
 */
import { join } from "node:path";
import { readDeployment, type SovrDeployment } from "@sovr/contracts/deployment";
import { env, readEnv, sovrHome, UserError } from "@sovr/runtime";
import { chainProfile } from "@sovr/runtime/chains";
import { rpcUrls } from "@sovr/runtime/rpc";

export type IndexerSettings = {
  chainId: number;
  /** One or more URLs of the chain, used in turn when one fails. */
  rpcUrls: string[];
  deployment: SovrDeployment;
  /** PGlite folder, unless `databaseUrl` is set. */
  pgliteDir: string;
  databaseUrl: string | undefined;
  pollingIntervalMs: number;
  /** Where Ponder's adaptive RPC limit starts (the chain table's pace; unset: Ponder's own 20). */
  rpcRequestsPerSecond: number | undefined;
  /** A guardian whose last verdict is older than this is reported as not live. */
  guardianLivenessSeconds: number;
};

const spec = {
  SOVR_CHAIN_ID: env.wholeNumber(31337, { min: 1 }),
  SOVR_CHAIN_PORT: env.port(8545),
  SOVR_RPC_URL: env.optional(rpcUrls([])),
  SOVR_DEPLOYMENT_ID: env.optional(env.text("")),
  SOVR_INDEXER_DIR: env.optional(env.text("")),
  DATABASE_URL: env.optional(env.text("")),
  // Unset: the chain's own pace from the chain table (100 ms on the local chain, 1 s on Base, ...).
  SOVR_INDEXER_POLLING_MS: env.optional(env.wholeNumber(100, { min: 100 })),
  SOVR_GUARDIAN_LIVENESS_S: env.wholeNumber(3600, { min: 1 }),
};

export function readIndexerSettings(environment: NodeJS.ProcessEnv = process.env): IndexerSettings {
  const values = readEnv(spec, environment);
  const chainId = values.SOVR_CHAIN_ID;
  const deployment = readDeployment(chainId, values.SOVR_DEPLOYMENT_ID);
  const profile = chainProfile(chainId, environment);
  if (!deployment) throw new UserError(`no SOVR deployment for chain ${chainId}: run \`pnpm start\` first`);
  return {
    chainId,
    rpcUrls: values.SOVR_RPC_URL ?? [`http://127.0.0.1:${values.SOVR_CHAIN_PORT}`],
    deployment,
    pgliteDir: values.SOVR_INDEXER_DIR ?? join(sovrHome(environment), "indexer"),
    databaseUrl: values.DATABASE_URL,
    pollingIntervalMs: values.SOVR_INDEXER_POLLING_MS ?? profile.pollingMs,
    rpcRequestsPerSecond: profile.rpcRequestsPerSecond,
    guardianLivenessSeconds: values.SOVR_GUARDIAN_LIVENESS_S,
  };
}

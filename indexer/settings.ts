/**
 * Where the indexer reads from and writes to, from the environment `sovr up` sets (defaults suit a
 * local `pnpm start`). Shared by `ponder.config.ts` and the API so both talk to the same chain.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readDeployment, type SovrDeployment } from "@sovr/contracts";

// Ponder loads this through vite-node, where `import.meta.dirname` is not set.
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

export type IndexerSettings = {
  chainId: number;
  rpcUrl: string;
  deployment: SovrDeployment;
  /** PGlite folder, unless `databaseUrl` is set. */
  pgliteDir: string;
  databaseUrl: string | undefined;
  pollingIntervalMs: number;
};

export function readIndexerSettings(env: NodeJS.ProcessEnv = process.env): IndexerSettings {
  const chainId = Number(env.SOVR_CHAIN_ID ?? 31337);
  const deployment = readDeployment(chainId, env.SOVR_DEPLOYMENT_ID || undefined);
  if (!deployment) {
    throw new Error(`no SOVR deployment for chain ${chainId}: run \`pnpm start\` (or the Ignition module) first`);
  }
  const home = resolve(env.SOVR_HOME ?? join(repoRoot, ".sovr"));
  return {
    chainId,
    rpcUrl: env.SOVR_RPC_URL ?? `http://127.0.0.1:${env.SOVR_CHAIN_PORT ?? 8545}`,
    deployment,
    pgliteDir: env.SOVR_INDEXER_DIR ?? join(home, "indexer"),
    databaseUrl: env.DATABASE_URL || undefined,
    // A local chain answers in microseconds: poll often so rows follow receipts closely.
    pollingIntervalMs: Number(env.SOVR_INDEXER_POLLING_MS ?? 100),
  };
}

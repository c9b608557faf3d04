/**
 * Runs the indexer for `sovr up`: rebuilds its database when the chain or the deployment is not the
 * one it indexed (a reset local chain keeps its chain id, and Ponder's tables and RPC cache are keyed
 * by chain id only), starts it, and waits until it has caught up with the chain.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { SovrDeployment } from "@sovr/contracts";
import { type IndexerProcess, spawnIndexer } from "@sovr/indexer/process";
import { assertPortFree, lastLine, UserError, writeDurably } from "@sovr/runtime";
import pg from "pg";
import type { PublicClient } from "viem";

/** File beside the indexer's database naming what it indexed: chain identity and ledger address. */
const INDEXED_MARKER = "indexed-chain.txt";
const PROGRESS_INTERVAL_MS = 1000;

export type StartIndexerOptions = {
  home: string;
  port: number;
  /** Every RPC URL of the chain; the indexer uses them in turn. */
  rpcUrls: string[];
  client: PublicClient;
  deployment: SovrDeployment;
  deploymentId: string | undefined;
  /** Hash of block 1 of the chain (see deploy.ts). */
  chainIdentity: string;
  databaseUrl: string | undefined;
  /** How often the indexer asks the chain for a new block. */
  pollingMs: number;
  log: (line: string) => void;
  /** Receives the process as soon as it is spawned, so that a stop during the sync can end it. */
  onSpawn: (indexer: IndexerProcess) => void;
};

export type RunningIndexer = { indexer: IndexerProcess; rebuilt: boolean };

export async function startIndexer(options: StartIndexerOptions): Promise<RunningIndexer> {
  await assertPortFree(options.port, "indexer", "SOVR_INDEXER_PORT");
  const dataDir = join(options.home, "indexer");
  const marker = join(options.home, INDEXED_MARKER);
  const expected = `${options.chainIdentity} ${options.deployment.ledger}`;
  const recorded = existsSync(marker) ? readFileSync(marker, "utf8").trim() : undefined;
  const rebuilt = recorded !== undefined && recorded !== expected;
  if (rebuilt) await dropIndex(dataDir, options.databaseUrl);
  writeDurably(marker, `${expected}\n`);

  const indexer = spawnIndexer({
    port: options.port,
    rpcUrl: options.rpcUrls.join(","),
    chainId: options.deployment.chainId,
    env: { SOVR_INDEXER_POLLING_MS: String(options.pollingMs) },
    deploymentId: options.deploymentId,
    dataDir,
    databaseUrl: options.databaseUrl,
    schema: options.databaseUrl ? `sovr_${options.chainIdentity.slice(2, 14)}` : "sovr",
  });
  options.onSpawn(indexer);
  try {
    await waitUntilCaughtUp(indexer, options.client, options.log);
  } catch (error) {
    await indexer.stop();
    throw error;
  }
  return { indexer, rebuilt };
}

/** Waits for the index to reach the chain's head, printing a progress line at most once a second. */
async function waitUntilCaughtUp(indexer: IndexerProcess, client: PublicClient, log: (line: string) => void) {
  let lastShown = 0;
  let lastBlock: number | undefined;
  for (;;) {
    if (indexer.service.hasExited()) {
      throw new UserError(`the indexer stopped while syncing: ${lastLine(indexer.service.output(), /error/i) || "no output"}`);
    }
    const [indexed, head] = await Promise.all([indexer.indexedBlock(), client.getBlockNumber()]);
    if (indexed !== undefined && indexed >= Number(head)) return;
    if (Date.now() - lastShown >= PROGRESS_INTERVAL_MS && indexed !== lastBlock) {
      lastShown = Date.now();
      lastBlock = indexed;
      const percent = indexed === undefined ? 0 : Math.floor((indexed / Number(head)) * 100);
      log(`sovr: indexer syncing: block ${indexed ?? "-"} of ${head} (${percent}%)`);
    }
    await sleep(200);
  }
}

/**
 * Forgets everything indexed. PGlite: the database (tables and Ponder's RPC cache) is one folder.
 * Postgres: each chain identity has its own schema, and Ponder's RPC cache (`ponder_sync`) is dropped.
 */
async function dropIndex(dataDir: string, databaseUrl: string | undefined): Promise<void> {
  if (!databaseUrl) {
    rmSync(dataDir, { recursive: true, force: true });
    return;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    await client.query("DROP SCHEMA IF EXISTS ponder_sync CASCADE");
  } catch (error) {
    throw new UserError(`could not reset the indexer's cache in Postgres: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Deploying the SOVR contracts with Ignition (`ignition/deploy.ts` under `hardhat run`), idempotently:
 * an existing deployment is left as it is and only futures the module gained since are executed. A
 * journal that belongs to another local chain with the same id (a reset Anvil) is discarded first,
 * since its contracts no longer exist; on any other chain a journal is never discarded.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { defaultDeploymentId, deploymentDir, readDeployment, type SovrDeployment } from "@sovr/contracts/deployment";
import { execa } from "execa";
import type { Address, Hex, PublicClient } from "viem";
import { LOCAL_CHAIN_ID } from "./chain.ts";
import { writeDurably } from "./durable.ts";
import { childEnv } from "./env.ts";
import { UserError } from "./errors.ts";
import { repoRoot } from "./paths.ts";
import { lastLine } from "./process.ts";

/**
 * File beside Ignition's journal naming the chain it was written for, by the hash of block 1.
 * Not block 0: Anvil sometimes rebuilds its genesis block when it reloads `--state`, while every
 * later block keeps its hash.
 */
const CHAIN_MARKER = "sovr-chain.txt";
const DEPLOY_SCRIPT = join("ignition", "deploy.ts");
/** What `pnpm build:contracts` writes; the deployment reads it and never compiles. */
const LEDGER_ARTIFACT = join(repoRoot, "contracts", "artifacts", "contracts", "src", "SovrLedger.sol", "SovrLedger.json");

export type EnsureDeployedOptions = {
  /** The one URL Hardhat deploys through (Ignition has no failover of its own). */
  rpcUrl: string;
  client: PublicClient;
  /** The guardian's host key (GUARDIAN_ROLE). */
  guardian: Address;
  /** Ignition deployment id; `chain-<id>` by default. */
  deploymentId?: string | undefined;
  /**
   * The deployer's key (it becomes the owner), handed to Hardhat on its standard input. Without one
   * the node's first unlocked account deploys: the local Anvil only.
   */
  deployerKey?: Hex | undefined;
  /** Blocks Ignition waits on top of each of its transactions (1 by default). */
  confirmations?: number;
  /** Receives Ignition's output lines (progress). */
  onLine?: (line: string) => void;
};

export type DeployResult = { deployment: SovrDeployment; redeployedAfterReset: boolean };

export async function ensureDeployed(options: EnsureDeployedOptions): Promise<DeployResult> {
  const chainId = await options.client.getChainId();
  const deploymentId = options.deploymentId ?? defaultDeploymentId(chainId);
  const dir = deploymentDir(deploymentId);
  const marker = join(dir, CHAIN_MARKER);
  let redeployedAfterReset = false;
  if (existsSync(dir)) {
    const recorded = existsSync(marker) ? readFileSync(marker, "utf8").trim() : undefined;
    const identity = await chainIdentity(options.client);
    if (chainId === LOCAL_CHAIN_ID && (recorded === undefined || recorded !== identity)) {
      rmSync(dir, { recursive: true, force: true });
      redeployedAfterReset = true;
    } else if (recorded !== undefined && recorded !== identity) {
      // A public chain is never reset: this journal is of another chain that uses the same id.
      throw new UserError(
        `${dir} was written for another chain with id ${chainId} (its block 1 differs); move it away or set SOVR_DEPLOYMENT_ID`,
      );
    }
  }

  await runIgnition(options.rpcUrl, deploymentId, options.guardian, options.deployerKey, options.confirmations ?? 1, options.onLine);
  const identity = await chainIdentity(options.client);
  if (!identity) throw new UserError("Ignition finished but the chain has no blocks");
  writeDurably(marker, `${identity}\n`);
  const deployment = readDeployment(chainId, deploymentId);
  if (!deployment) throw new UserError(`Ignition finished but recorded no addresses in ${dir}`);
  return { deployment, redeployedAfterReset };
}

/** Hash of block 1, or undefined on a chain that has mined nothing yet. */
export async function chainIdentity(client: PublicClient): Promise<string | undefined> {
  if ((await client.getBlockNumber()) < 1n) return undefined;
  return (await client.getBlock({ blockNumber: 1n })).hash;
}

/** Hardhat's CLI, run on this Node (Hardhat 3 needs Node 22, which may not be the system's). */
export function hardhatCli(): string {
  return join(dirname(createRequire(import.meta.url).resolve("hardhat/package.json")), "dist", "src", "cli.js");
}

async function runIgnition(
  rpcUrl: string,
  deploymentId: string,
  guardian: Address,
  deployerKey: Hex | undefined,
  confirmations: number,
  onLine?: (line: string) => void,
): Promise<void> {
  if (!existsSync(LEDGER_ARTIFACT))
    throw new UserError("the contracts are not built: run `pnpm build:contracts` (pnpm start and pnpm test do)");
  const child = execa(process.execPath, [hardhatCli(), "run", "--no-compile", DEPLOY_SCRIPT], {
    cwd: repoRoot,
    extendEnv: false,
    env: childEnv({
      SOVR_RPC_URL: rpcUrl,
      SOVR_DEPLOYMENT_ID: deploymentId,
      SOVR_GUARDIAN_ADDRESS: guardian,
      SOVR_CONFIRMATIONS: String(confirmations),
      SOVR_DEPLOYER_KEY_ON_STDIN: deployerKey ? "1" : "",
    }),
    // The key travels through a pipe only: not in the arguments (`ps`), not in the child's environment.
    ...(deployerKey ? { input: `${deployerKey}\n` } : { stdin: "ignore" as const }),
    all: true,
    reject: false,
    lines: true,
  });
  child.all?.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) onLine?.(line.trim());
  });
  const result = await child;
  if (result.exitCode === 0) return;
  const output = (result.all ?? []).join("\n");
  throw new UserError(`deployment with Ignition failed (exit ${result.exitCode}): ${lastLine(output, /error/i) || "no output"}`);
}

import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { defaultDeploymentId, deploymentDir, readDeployment, type SovrDeployment } from "@sovr/contracts";
import type { Address, PublicClient } from "viem";
import { repoRoot, UserError } from "./env.ts";

/**
 * File beside Ignition's journal naming the chain it was written for, by the hash of block 1.
 * Not block 0: Anvil sometimes rebuilds its genesis block when it reloads `--state`, while every
 * later block keeps its hash.
 */
const CHAIN_MARKER = "sovr-chain.txt";
const DEPLOY_SCRIPT = "supervisor/src/ignition-deploy.ts";

export type EnsureDeployedOptions = {
  rpcUrl: string;
  client: PublicClient;
  /** Ignition deployment id; `chain-<id>` by default. */
  deploymentId?: string | undefined;
  /** Receives Ignition's output lines (progress). */
  onOutput?: (line: string) => void;
  /** The guardian's key (GUARDIAN_ROLE); the node's third account when omitted. */
  guardian?: Address | undefined;
};

export type DeployResult = { deployment: SovrDeployment; redeployedAfterReset: boolean };

/**
 * Runs the Ignition module against the chain. Ignition's journal makes this idempotent: an existing
 * deployment is left as it is, and only futures the module gained since are executed. A journal that
 * belongs to another chain with the same id (a reset local chain) is discarded first, since its
 * contracts no longer exist.
 */
export async function ensureDeployed(options: EnsureDeployedOptions): Promise<DeployResult> {
  const chainId = await options.client.getChainId();
  const deploymentId = options.deploymentId ?? defaultDeploymentId(chainId);
  const dir = deploymentDir(deploymentId);
  const marker = join(dir, CHAIN_MARKER);
  let redeployedAfterReset = false;
  if (existsSync(dir)) {
    const recorded = existsSync(marker) ? readFileSync(marker, "utf8").trim() : undefined;
    if (recorded === undefined || recorded !== (await chainIdentity(options.client))) {
      rmSync(dir, { recursive: true, force: true });
      redeployedAfterReset = true;
    }
  }

  await runIgnition(options.rpcUrl, deploymentId, options.guardian, options.onOutput);
  const identity = await chainIdentity(options.client);
  if (!identity) throw new UserError("Ignition finished but the chain has no blocks");
  writeFileSync(marker, `${identity}\n`);
  const deployment = readDeployment(chainId, deploymentId);
  if (!deployment) throw new UserError(`Ignition finished but recorded no addresses in ${dir}`);
  return { deployment, redeployedAfterReset };
}

/** Hash of block 1, or undefined on a chain that has mined nothing yet. */
export async function chainIdentity(client: PublicClient): Promise<string | undefined> {
  if ((await client.getBlockNumber()) < 1n) return undefined;
  return (await client.getBlock({ blockNumber: 1n })).hash;
}

function runIgnition(rpcUrl: string, deploymentId: string, guardian: Address | undefined, onOutput?: (line: string) => void): Promise<void> {
  const hardhatCli = join(dirname(createRequire(import.meta.url).resolve("hardhat/package.json")), "dist", "src", "cli.js");
  // The default build profile, as `pnpm build:contracts`, `pnpm test` and `pnpm bench gas` use: the contracts
  // are compiled once (tests are never compiled here: they build apart, see hardhat.config.ts).
  const args = [hardhatCli, "run", "--build-profile", "default", DEPLOY_SCRIPT];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, SOVR_RPC_URL: rpcUrl, SOVR_DEPLOYMENT_ID: deploymentId, ...(guardian ? { SOVR_GUARDIAN_ADDRESS: guardian } : {}) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-8000);
    for (const line of text.split("\n")) if (line.trim()) onOutput?.(line.trim());
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  return new Promise((resolveRun, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) return resolveRun();
      const reason = output.trim().split("\n").filter((l) => /error/i.test(l)).at(-1) ?? output.trim().split("\n").at(-1);
      reject(new UserError(`deployment with Ignition failed (exit ${code}): ${reason ?? "no output"}`));
    });
  });
}

/**
 * The local chain: Anvil from npm on 127.0.0.1 (it has cheat RPCs, so never beyond loopback), with
 * its state in a file loaded at start, written every few seconds and on a clean exit.
 */
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createPublicClient, http, type PublicClient } from "viem";
import { UserError } from "./errors.ts";
import { assertPortFree } from "./ports.ts";
import { lastLine, pollUntil, type Service, spawnService } from "./process.ts";

/** The chain id Anvil uses unless told otherwise: the only chain its well-known keys are fit for. */
export const LOCAL_CHAIN_ID = 31337;
/** Default seconds between state snapshots: what a kill -9 of the chain can lose at most (chain.test.ts measures it). */
export const DEFAULT_STATE_INTERVAL_SECONDS = 1;
/** How long Anvil may take to answer its first request. */
const RPC_READY_TIMEOUT_MS = 20_000;
/** How long Anvil may take to write its state and exit after SIGTERM. */
const STOP_TIMEOUT_MS = 15_000;
/** How often the last whole snapshot is copied aside (Anvil rewrites its state file in place, not atomically). */
const SNAPSHOT_COPY_MS = 250;
/**
 * Past blocks whose state Anvil keeps for reads at that block (the indexer's reconcile reads at its
 * indexed block, a few blocks back). Anvil's default keeps hundreds of whole states in memory, which
 * grows with the ledger: 1.5 GB after 50,000 transfers, out of memory (24 GB) before 300,000. Keeping
 * 128 took 774 MB at 50,000.
 */
const STATES_KEPT = 128;

/** The native Anvil binary shipped in the npm package for this platform (no wrapper process in between). */
export function anvilBinary(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  const fromAnvil = createRequire(createRequire(import.meta.url).resolve("@foundry-rs/anvil/package.json"));
  const executable = process.platform === "win32" ? "anvil.exe" : "anvil";
  try {
    return join(dirname(fromAnvil.resolve(`@foundry-rs/anvil-${process.platform}-${arch}/package.json`)), "bin", executable);
  } catch {
    throw new UserError(`Anvil has no binary for ${process.platform}-${process.arch}; set SOVR_RPC_URL to another chain`);
  }
}

export type LocalChain = {
  url: string;
  client: PublicClient;
  service: Service;
  stateFile: string;
  /** SIGTERM, then wait for Anvil to write its state and exit. */
  stop(): Promise<void>;
};

export type LocalChainOptions = {
  port: number;
  /** Folder of `state.json`; without one the chain lives in memory only. */
  stateDir?: string;
  stateIntervalSeconds?: number;
  /** Anvil's own flags beyond host, port and state (`--chain-id`, `--block-time`). */
  extraArgs?: string[];
};

export async function startLocalChain(options: LocalChainOptions): Promise<LocalChain> {
  await assertPortFree(options.port, "chain", "SOVR_CHAIN_PORT");
  const args = [
    "--host",
    "127.0.0.1",
    "--port",
    String(options.port),
    "--silent",
    "--prune-history",
    String(STATES_KEPT),
    ...(options.extraArgs ?? []),
  ];
  let stateFile = "";
  let stopCopying = () => {};
  if (options.stateDir) {
    mkdirSync(options.stateDir, { recursive: true });
    stateFile = join(options.stateDir, "state.json");
    restoreWholeSnapshot(stateFile);
    stopCopying = keepWholeSnapshot(stateFile);
    args.push("--state", stateFile, "--state-interval", String(options.stateIntervalSeconds ?? DEFAULT_STATE_INTERVAL_SECONDS));
  }
  const service = spawnService({ name: "the chain", command: anvilBinary(), args, keepOutputChars: 4000, stopTimeoutMs: STOP_TIMEOUT_MS });
  const url = `http://127.0.0.1:${options.port}`;
  // No caching: the deployment compares block numbers before and after Ignition runs.
  const client = createPublicClient({ transport: http(url, { retryCount: 0 }), cacheTime: 0 });
  try {
    await pollUntil(() => client.getChainId().catch(() => undefined), {
      timeoutMs: RPC_READY_TIMEOUT_MS,
      failure: () => new UserError(`the chain did not answer on ${url} within ${RPC_READY_TIMEOUT_MS / 1000} s`),
      stopIf: () =>
        service.hasExited() ? new UserError(`the chain stopped at start: ${lastLine(service.output()) || "no output"}`) : undefined,
    });
  } catch (error) {
    stopCopying();
    await service.stop();
    throw error;
  }
  void service.exited.then(stopCopying);
  return { url, client, service, stateFile, stop: () => service.stop() };
}

function lastSnapshot(stateFile: string): string {
  return `${stateFile}.last`;
}

/**
 * A kill -9 while Anvil rewrites its state leaves a cut-off file it refuses to start from; put the
 * last whole snapshot back (at most one interval older), or move the broken file aside.
 */
function restoreWholeSnapshot(stateFile: string): void {
  if (!existsSync(stateFile) || parsesAsJson(stateFile)) return;
  const last = lastSnapshot(stateFile);
  if (existsSync(last) && parsesAsJson(last)) {
    copyFileSync(last, stateFile);
    console.error(
      `sovr: the chain's state was cut off by a hard stop; resuming from the snapshot of ${statSync(last).mtime.toISOString()}`,
    );
    return;
  }
  const aside = `${stateFile}.broken-${Date.now()}`;
  renameSync(stateFile, aside);
  console.error(`sovr: the chain's state file was unreadable and is kept as ${aside}; the chain starts empty`);
}

function parsesAsJson(file: string): boolean {
  try {
    JSON.parse(readFileSync(file, "utf8"));
    return true;
  } catch {
    return false;
  }
}

/** Copies each new snapshot aside once it is whole: unchanged while copied and closed by its final brace. */
function keepWholeSnapshot(stateFile: string): () => void {
  const last = lastSnapshot(stateFile);
  let copiedMtimeMs = existsSync(last) ? statSync(last).mtimeMs : 0;
  const timer = setInterval(() => {
    try {
      const before = statSync(stateFile);
      if (before.mtimeMs <= copiedMtimeMs || before.size === 0) return;
      const partial = `${last}.partial`;
      copyFileSync(stateFile, partial);
      const after = statSync(stateFile);
      if (after.mtimeMs !== before.mtimeMs || after.size !== before.size || !endsWithBrace(partial)) return;
      renameSync(partial, last);
      copiedMtimeMs = before.mtimeMs;
    } catch {
      // No snapshot yet, or one being written: the next tick looks again.
    }
  }, SNAPSHOT_COPY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

function endsWithBrace(file: string): boolean {
  const size = statSync(file).size;
  const tail = Buffer.alloc(Math.min(size, 16));
  const fd = openSync(file, "r");
  try {
    readSync(fd, tail, 0, tail.length, size - tail.length);
  } finally {
    closeSync(fd);
  }
  return tail.toString("utf8").trimEnd().endsWith("}");
}

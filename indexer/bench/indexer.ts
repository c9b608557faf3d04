/**
 * `pnpm bench indexer`: the SOVR indexer (Ponder 0.17 on PGlite) against two baselines measured in
 * the same run on the same chain: a bare Ponder app (`bench/bare-ponder/`, one table, one
 * insert per event) and a plain viem `getLogs` of the same blocks and addresses.
 *
 * 1. A fresh Anvil, a fresh deployment, 20 funded holder accounts and SOVR_BENCH_TRANSFERS (100,000)
 *    ledger transfers in batches of 100 (`createTransfers`).
 * 2. Backfill of the real indexer from spawn until every event is a row (counted through `/sql`);
 *    peak RSS of its process tree sampled every 200 ms. Then the bare app the same way (both
 *    SOVR_BENCH_ROUNDS times, alternated, best time counts; default 1), then the raw fetch.
 * 3. Live lag: 100 single transfers, receipt -> row visible through `/sql`.
 * 4. `/api/status` under 200 keep-alive clients at a fixed total rate (open loop), `/health` as baseline.
 *
 * "Events" are all logs of the six SOVR contracts in the range, for all three measurements.
 * SOVR_BENCH_LOG_DIR=<dir> keeps both apps' Ponder output there.
 * Prints a table and writes `.bench/indexer.json`. Everything it starts, it stops and removes.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, get as httpGet } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { createClient } from "@ponder/client";
import { addressesOf, sovrCodes, sovrCreditAbi, sovrLedgerAbi } from "@sovr/contracts";
import { pollUntil, repoRoot, type Service, spawnService } from "@sovr/runtime";
import { type BenchMetric, percentile, writeBench } from "@sovr/runtime/bench";
import { type LocalChain, startLocalChain } from "@sovr/runtime/chain";
import { chainProfile } from "@sovr/runtime/chains";
import { type EmbeddedPostgresServer, freshDatabase, startEmbeddedPostgres } from "@sovr/runtime/postgres";
import { deployForTest, freePort, removeDeployment } from "@sovr/runtime/testing";
import { count, eq } from "ponder";
import { type Address, createPublicClient, encodeFunctionData, getAbiItem, type Hex, http, toEventSelector } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { type IndexerProcess, indexerDir, spawnIndexer } from "../lib/process.ts";
import * as schema from "../ponder.schema.ts";

type Metric = BenchMetric & { baselineOf: string };

const TRANSFERS = Number(process.env.SOVR_BENCH_TRANSFERS ?? 100_000);
const BATCH_SIZE = 100;
const ACCOUNTS = 20;
const LIVE_TRANSFERS = 100;
/** Backfills of each app, alternated; the best time counts (a shared machine adds noise, never speed). */
const ROUNDS = Number(process.env.SOVR_BENCH_ROUNDS ?? 1);
const API_CLIENTS = 200;
const API_RATE_PER_SECOND = 400;
const API_SECONDS = 10;
const POLLING_MS = 100;
/** A request of the load test still unanswered after this counts as an error. */
const API_TIMEOUT_MS = 60_000;
/** Blocks per `eth_getLogs` request of the raw-fetch baseline (~10,000 logs). */
const LOG_CHUNK_BLOCKS = 100n;
const COUNT_POLL_MS = 200;
/** The pace the real indexer's RPC limit starts at on this chain; the bare app gets the same. */
const rpcRequestsPerSecond = chainProfile(foundry.id).rpcRequestsPerSecond;
const RSS_SAMPLE_MS = 200;
const BACKFILL_TIMEOUT_MS = 30 * 60_000;
/** Anvil's first well-known account: the owner of the deployment. */
const OWNER_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const ZERO32: Hex = `0x${"00".repeat(32)}`;
const FUNDING = 1_000_000_000n;
const TRANSFER_CREATED = toEventSelector(getAbiItem({ abi: sovrLedgerAbi, name: "TransferCreated" }));
const TRANSFER_REJECTED = toEventSelector(getAbiItem({ abi: sovrLedgerAbi, name: "TransferRejected" }));

if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
  console.error(`bench indexer: SOVR_BENCH_ROUNDS must be a whole number >= 1, not ${process.env.SOVR_BENCH_ROUNDS}`);
  process.exit(2);
}
if (!Number.isInteger(TRANSFERS) || TRANSFERS < BATCH_SIZE || TRANSFERS % BATCH_SIZE !== 0) {
  console.error(
    `bench indexer: SOVR_BENCH_TRANSFERS must be a positive multiple of ${BATCH_SIZE}, not ${process.env.SOVR_BENCH_TRANSFERS}`,
  );
  process.exit(2);
}

const bareRoot = join(dirname(fileURLToPath(import.meta.url)), "bare-ponder");
/** The same Ponder the indexer runs (`spawnIndexer`). */
const ponderBin = join(indexerDir, "node_modules", "ponder", "dist", "esm", "bin", "ponder.js");
const benchStarted = performance.now();
const log = (text: string) => console.log(`[${((performance.now() - benchStarted) / 1000).toFixed(1).padStart(6)} s] ${text}`);

// ---------------------------------------------------------------- cleanup, even on failure or Ctrl-C

const cleanups: Array<{ what: string; run: () => unknown }> = [];
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const { what, run } of cleanups.reverse()) {
      try {
        await run();
      } catch (error) {
        console.error(`bench indexer: cleanup (${what}) failed: ${(error as Error).message}`);
      }
    }
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`bench indexer: ${signal}, cleaning up`);
    void cleanup().then(() => process.exit(130));
  });
}

function removeBareArtifacts(): void {
  for (const name of ["ponder-env.d.ts", "generated", ".ponder"]) rmSync(join(bareRoot, name), { recursive: true, force: true });
}

// ---------------------------------------------------------------- measuring helpers

/** RSS in MB of a process and all its descendants, from /proc. */
function treeRssMb(rootPid: number): number {
  const childrenOf = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = childrenOf.get(ppid) ?? [];
      list.push(Number(entry));
      childrenOf.set(ppid, list);
    } catch {
      // the process ended meanwhile
    }
  }
  let kb = 0;
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (match) kb += Number(match[1]);
    } catch {
      continue;
    }
    queue.push(...(childrenOf.get(pid) ?? []));
  }
  return kb / 1024;
}

function rssSampler(pid: number) {
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, treeRssMb(pid));
  };
  sample();
  const timer = setInterval(sample, RSS_SAMPLE_MS);
  return {
    stop(): number {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Polls `current()` every COUNT_POLL_MS until it returns true; fails if the service exits first.
 * Errors of `current()` (server not up yet) count as "not yet".
 */
async function waitUntil(what: string, service: Service, current: () => Promise<boolean>): Promise<void> {
  await pollUntil(async () => ((await current().catch(() => false)) ? true : undefined), {
    timeoutMs: BACKFILL_TIMEOUT_MS,
    intervalMs: COUNT_POLL_MS,
    failure: () => new Error(`${what}: not caught up after ${BACKFILL_TIMEOUT_MS / 1000} s:\n${service.output().slice(-4000)}`),
    stopIf: () => (service.hasExited() ? new Error(`${what}: the process exited:\n${service.output().slice(-4000)}`) : undefined),
  });
}

/** Warnings and errors in Ponder's output (pino lines), without the harmless "No new block" ones. */
function ponderProblems(output: string): string[] {
  return (
    output
      .split("\n")
      .filter((line) => /\b(WARN|ERROR|FATAL|warn|error)\b/.test(line))
      // Harmless: automine makes no blocks while idle; the benchmark's own SIGTERM.
      .filter((line) => !/No new block received|Received SIGTERM|Started shutdown sequence/i.test(line))
      .map((line) => line.trim())
      .filter(Boolean)
  );
}

// ---------------------------------------------------------------- the run

const home = mkdtempSync(join(tmpdir(), "sovr-bench-indexer-"));
// As root, the embedded Postgres runs as user postgres and must pass through this folder to its data.
chmodSync(home, 0o711);
cleanups.push({ what: "temp folder", run: () => rmSync(home, { recursive: true, force: true }) });
// `sovr-test-*` deployments are git-ignored, so even a killed run leaves nothing to commit by mistake.
const deploymentId = `sovr-test-bench-indexer-${process.pid}`;
cleanups.push({ what: "deployment folder", run: () => removeDeployment(deploymentId) });
cleanups.push({ what: "bare app's generated files", run: removeBareArtifacts });

const rows: Metric[] = [];
const notes: string[] = [];

try {
  // ---- 1. chain, deployment, accounts, transfers
  // In memory only: nothing to write on stop, and snapshots would cost CPU the measurement needs.
  const chain: LocalChain = await startLocalChain({ port: await freePort() });
  cleanups.push({ what: "chain", run: () => chain.stop() });
  log(`Anvil on ${chain.url}; deploying (Ignition, ${deploymentId})`);
  const { deployment } = await deployForTest(chain, deploymentId);
  const addresses: Address[] = Object.values(addressesOf(deployment));

  const owner = privateKeyToAccount(OWNER_KEY);
  const rpc = createPublicClient({ chain: foundry, transport: http(chain.url, { retryCount: 0 }), cacheTime: 0, pollingInterval: 20 });
  let nonce = await rpc.getTransactionCount({ address: owner.address, blockTag: "pending" });
  const fees = { maxFeePerGas: 50_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n };

  async function sendCall(to: Address, data: Hex, gas: bigint): Promise<Hex> {
    const raw = await owner.signTransaction({ chainId: foundry.id, type: "eip1559", to, data, gas, nonce: nonce++, ...fees });
    return rpc.request({ method: "eth_sendRawTransaction", params: [raw] });
  }
  async function receiptOf(hash: Hex) {
    for (;;) {
      try {
        return await rpc.getTransactionReceipt({ hash });
      } catch {
        // A chain that died (out of memory, say) never answers: stop, do not wait forever.
        if (chain.service.hasExited()) throw new Error(`the chain exited while the bench waited for ${hash}:\n${chain.service.output()}`);
        await sleep(2);
      }
    }
  }
  async function mustSucceed(hash: Hex, what: string) {
    const receipt = await receiptOf(hash);
    if (receipt.status !== "success") throw new Error(`${what} reverted (${hash})`);
    return receipt;
  }

  let nextTransferId = 1_000_000n;
  const accountIds = Array.from({ length: ACCOUNTS }, (_, i) => BigInt(100 + i));
  // One at a time: raw sends racing each other into automining Anvil sometimes leave a transaction
  // queued behind a nonce that was already mined (about 1 run in 10), and the bench would wait forever.
  for (const id of accountIds) {
    const opened = await sendCall(
      deployment.ledger,
      encodeFunctionData({
        abi: sovrLedgerAbi,
        functionName: "createAccount",
        args: [id, sovrCodes.LEDGER_USD, sovrCodes.ACCOUNT_HOLDER, sovrCodes.DEBITS_MUST_NOT_EXCEED_CREDITS],
      }),
      500_000n,
    );
    await mustSucceed(opened, "account setup");
    const funded = await sendCall(
      deployment.credit,
      encodeFunctionData({ abi: sovrCreditAbi, functionName: "issue", args: [nextTransferId++, id, FUNDING, ZERO32] }),
      500_000n,
    );
    await mustSucceed(funded, "account funding");
  }

  function transferOf(debitAccountId: bigint, creditAccountId: bigint, amount: bigint) {
    return {
      id: nextTransferId++,
      debitAccountId,
      creditAccountId,
      amount,
      pendingId: 0n,
      userData: ZERO32,
      timeout: 0,
      ledger: sovrCodes.LEDGER_USD,
      code: sovrCodes.TRANSFER_PAYMENT,
      flags: 0,
    };
  }
  let pair = 0;
  function nextPair(): [bigint, bigint] {
    const from = pair % ACCOUNTS;
    const to = (from + 1 + (Math.floor(pair / ACCOUNTS) % (ACCOUNTS - 1))) % ACCOUNTS;
    pair++;
    return [accountIds[from]!, accountIds[to]!];
  }
  function batchData(): Hex {
    const batch = Array.from({ length: BATCH_SIZE }, (_, i) => {
      const [from, to] = nextPair();
      return transferOf(from, to, 10n + BigInt(i));
    });
    return encodeFunctionData({ abi: sovrLedgerAbi, functionName: "createTransfers", args: [batch] });
  }

  const batches = TRANSFERS / BATCH_SIZE;
  const firstBatch = batchData();
  const batchGas = ((await rpc.estimateGas({ account: owner.address, to: deployment.ledger, data: firstBatch })) * 13n) / 10n;
  log(`sending ${TRANSFERS} transfers in ${batches} createTransfers batches of ${BATCH_SIZE} (gas limit ${batchGas} each)`);
  const sendStarted = performance.now();
  // One after the other, without waiting for receipts: with automine each send returns once its block
  // is mined, so every batch is a block of its own (parallel sends would let Anvil pack several
  // batches into one block, and Ponder handles the newest 30 blocks one by one as unfinalized).
  let lastHash: Hex | undefined;
  for (let b = 0; b < batches; b++) {
    lastHash = await sendCall(deployment.ledger, b === 0 ? firstBatch : batchData(), batchGas);
    if ((b + 1) % Math.max(1, Math.floor(batches / 5)) === 0 && b + 1 < batches) log(`  ${b + 1} batches sent`);
  }
  await mustSucceed(lastHash!, "the last batch");
  while ((await rpc.getTransactionCount({ address: owner.address, blockTag: "latest" })) < nonce) await sleep(20);
  const head = await rpc.getBlockNumber();
  const sendSeconds = (performance.now() - sendStarted) / 1000;
  log(`sent in ${sendSeconds.toFixed(1)} s; head block ${head}, deployment from block ${deployment.startBlock}`);

  /** All logs of the SOVR contracts from the deployment to `head`, chunked; what the raw baseline times. */
  async function fetchAllLogs() {
    const logs = [];
    for (let from = BigInt(deployment.startBlock); from <= head; from += LOG_CHUNK_BLOCKS) {
      const to = from + LOG_CHUNK_BLOCKS - 1n < head ? from + LOG_CHUNK_BLOCKS - 1n : head;
      logs.push(...(await rpc.getLogs({ address: addresses, fromBlock: from, toBlock: to })));
    }
    return logs;
  }
  const chainLogs = await fetchAllLogs();
  const totalEvents = chainLogs.length;
  const transferEvents = chainLogs.filter((entry) => entry.topics[0] === TRANSFER_CREATED).length;
  const rejected = chainLogs.filter((entry) => entry.topics[0] === TRANSFER_REJECTED).length;
  const expectedTransfers = TRANSFERS + ACCOUNTS;
  if (transferEvents !== expectedTransfers || rejected !== 0) {
    throw new Error(
      `expected ${expectedTransfers} TransferCreated and no TransferRejected, the chain has ${transferEvents} and ${rejected}`,
    );
  }
  log(`the chain holds ${totalEvents} SOVR events (${transferEvents} TransferCreated) in blocks ${deployment.startBlock}..${head}`);

  // ---- 2. backfills: the real indexer, then the bare app, ROUNDS times alternated; best time of each
  const indexerPort = await freePort();
  /** The last backfill's data of each backend: the live measurements restart on PGlite's, as `pnpm start` runs. */
  const indexerData: Partial<Record<"pglite" | "postgres", string>> = {};
  const sql = createClient(`http://127.0.0.1:${indexerPort}/sql`, { schema });
  async function indexedCounts(): Promise<{ events: number; transfers: number }> {
    const [events] = await sql.db.select({ n: count() }).from(schema.auditEventView);
    const [transfers] = await sql.db.select({ n: count() }).from(schema.transferView);
    return { events: Number(events?.n ?? 0), transfers: Number(transfers?.n ?? 0) };
  }
  async function ourIndexerCaughtUp(): Promise<boolean> {
    // One query per poll until the audit is complete, as for the bare app; then the transfers too.
    const [events] = await sql.db.select({ n: count() }).from(schema.auditEventView);
    if (Number(events?.n ?? 0) < totalEvents) return false;
    const counts = await indexedCounts();
    return counts.events === totalEvents && counts.transfers === expectedTransfers;
  }
  function startOurIndexer(dataDir: string, databaseUrl?: string): IndexerProcess {
    const indexer = spawnIndexer({
      port: indexerPort,
      rpcUrl: chain.url,
      chainId: foundry.id,
      deploymentId,
      dataDir,
      databaseUrl,
      env: { SOVR_INDEXER_POLLING_MS: String(POLLING_MS) },
    });
    cleanups.push({ what: "indexer", run: () => indexer.stop() });
    return indexer;
  }
  type Backfill = { seconds: number; peakRssMb: number; output: string };
  type Backend = "pglite" | "postgres";
  /** One embedded Postgres for every Postgres run; each run gets a database of its own. */
  let postgresServer: Promise<EmbeddedPostgresServer> | undefined;
  const postgres = () => {
    postgresServer ??= (async () => {
      const server = await startEmbeddedPostgres({ dir: join(home, "postgres"), port: await freePort() });
      cleanups.push({ what: "embedded Postgres", run: () => server.stop() });
      return server;
    })();
    return postgresServer;
  };

  /** One backfill from nothing: a fresh PGlite folder, or a fresh Postgres database (Ponder's RPC cache lives in it too). */
  async function ourBackfill(round: number, backend: Backend): Promise<Backfill> {
    const previous = indexerData[backend];
    if (previous) rmSync(previous, { recursive: true, force: true });
    const dataDir = join(home, `indexer-${backend}-${round}`);
    indexerData[backend] = dataDir;
    const databaseUrl = backend === "postgres" ? await freshDatabase(await postgres(), `bench_sovr_${round}`) : undefined;
    const started = performance.now();
    const indexer = startOurIndexer(dataDir, databaseUrl);
    const rss = rssSampler(indexer.service.ref.pid);
    await waitUntil("the SOVR indexer", indexer.service, ourIndexerCaughtUp);
    const seconds = (performance.now() - started) / 1000;
    const peakRssMb = rss.stop();
    const output = indexer.service.output();
    await indexer.stop();
    return { seconds, peakRssMb, output };
  }

  async function bareBackfill(round: number, backend: Backend): Promise<Backfill> {
    const barePort = await freePort();
    const bareData = join(home, `bare-${backend}-${round}`);
    const databaseUrl = backend === "postgres" ? await freshDatabase(await postgres(), `bench_bare_${round}`) : undefined;
    const started = performance.now();
    const bare = spawnService({
      name: "the bare Ponder app",
      command: process.execPath,
      args: [ponderBin, "start", "--root", bareRoot, "--schema", "bare", "-p", String(barePort), "-H", "127.0.0.1"],
      cwd: repoRoot,
      keepOutputChars: 200_000,
      env: {
        BARE_RPC_URL: chain.url,
        BARE_CHAIN_ID: String(foundry.id),
        BARE_START_BLOCK: String(deployment.startBlock),
        BARE_PGLITE_DIR: bareData,
        ...(databaseUrl ? { BARE_DATABASE_URL: databaseUrl } : {}),
        BARE_POLLING_MS: String(POLLING_MS),
        ...(rpcRequestsPerSecond ? { BARE_RPC_REQUESTS_PER_SECOND: String(rpcRequestsPerSecond) } : {}),
        BARE_ADDRESSES: JSON.stringify(addressesOf(deployment)),
        NO_COLOR: "1",
      },
    });
    cleanups.push({ what: "bare Ponder app", run: () => bare.stop() });
    const rss = rssSampler(bare.ref.pid);
    let answered = false;
    await waitUntil("the bare Ponder app", bare, async () => {
      const response = await fetch(`http://127.0.0.1:${barePort}/count`, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) return false;
      if (!answered) {
        answered = true;
        // `ponder start` writes ponder-env.d.ts into the app; the workspace's type check must not see it.
        rmSync(join(bareRoot, "ponder-env.d.ts"), { force: true });
      }
      return ((await response.json()) as { count: number }).count === totalEvents;
    });
    const seconds = (performance.now() - started) / 1000;
    const peakRssMb = rss.stop();
    const output = bare.output();
    await bare.stop();
    removeBareArtifacts();
    rmSync(bareData, { recursive: true, force: true });
    return { seconds, peakRssMb, output };
  }

  const ours: Backfill[] = [];
  const bares: Backfill[] = [];
  const oursPg: Backfill[] = [];
  const baresPg: Backfill[] = [];
  const describe = (b: Backfill) =>
    `${b.seconds.toFixed(1)} s (${Math.round(totalEvents / b.seconds)} events/s), peak RSS ${Math.round(b.peakRssMb)} MB`;
  for (let round = 1; round <= ROUNDS; round++) {
    const tag = ROUNDS > 1 ? ` (round ${round} of ${ROUNDS})` : "";
    for (const [backend, ourRuns, bareRuns] of [
      ["pglite", ours, bares],
      ["postgres", oursPg, baresPg],
    ] as const) {
      log(`backfill: the SOVR indexer (${backend})${tag}`);
      ourRuns.push(await ourBackfill(round, backend));
      log(`  caught up in ${describe(ourRuns.at(-1)!)}`);
      log(`backfill: bare Ponder app (one table, one insert per event; ${backend})${tag}`);
      bareRuns.push(await bareBackfill(round, backend));
      log(`  caught up in ${describe(bareRuns.at(-1)!)}`);
    }
  }
  const best = (runs: Backfill[]) => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const ourSeconds = best(ours).seconds;
  const bareSeconds = best(bares).seconds;
  const ourPgSeconds = best(oursPg).seconds;
  const barePgSeconds = best(baresPg).seconds;
  const ourPeakRss = Math.max(...ours.map((b) => b.peakRssMb));
  const barePeakRss = Math.max(...bares.map((b) => b.peakRssMb));
  const firstRunOutput = ours.map((b) => b.output).join("\n----- next round\n");
  const bareOutput = bares.map((b) => b.output).join("\n----- next round\n");

  // ---- 2c. raw fetch of the same logs
  const rawStart = performance.now();
  const rawLogs = await fetchAllLogs();
  const rawSeconds = (performance.now() - rawStart) / 1000;
  if (rawLogs.length !== totalEvents) throw new Error(`raw fetch returned ${rawLogs.length} logs, expected ${totalEvents}`);
  log(`raw getLogs of the same range: ${rawSeconds.toFixed(2)} s`);

  // ---- 3. live lag, with our indexer restarted on its last PGlite backfill's data (Ponder keeps the
  // finalized rows and indexes the newest 30 blocks again)
  log("restarting the SOVR indexer on its data for the live measurements");
  const restartStart = performance.now();
  const indexer = startOurIndexer(indexerData.pglite!);
  await waitUntil("the SOVR indexer (restart)", indexer.service, ourIndexerCaughtUp);
  const restartSeconds = (performance.now() - restartStart) / 1000;
  log(`  ready again in ${restartSeconds.toFixed(1)} s`);

  log(`live: ${LIVE_TRANSFERS} single transfers, receipt -> row visible through /sql`);
  const singleGas = 300_000n;
  const lags: number[] = [];
  for (let i = 0; i < LIVE_TRANSFERS; i++) {
    const [from, to] = nextPair();
    const transfer = transferOf(from, to, 1_000n + BigInt(i));
    const hash = await sendCall(
      deployment.ledger,
      encodeFunctionData({ abi: sovrLedgerAbi, functionName: "createTransfer", args: [transfer] }),
      singleGas,
    );
    await mustSucceed(hash, `live transfer ${transfer.id}`);
    const receiptAt = performance.now();
    const deadline = receiptAt + 30_000;
    for (;;) {
      const found = await sql.db
        .select({ id: schema.transferView.id })
        .from(schema.transferView)
        .where(eq(schema.transferView.id, transfer.id));
      if (found.length > 0) break;
      if (performance.now() > deadline)
        throw new Error(`transfer ${transfer.id} was not indexed within 30 s:\n${indexer.service.output().slice(-4000)}`);
      await sleep(10);
    }
    lags.push(performance.now() - receiptAt);
  }
  const lagP50 = percentile(lags, 50);
  const lagP99 = percentile(lags, 99);
  log(`  lag p50 ${lagP50.toFixed(0)} ms, p99 ${lagP99.toFixed(0)} ms, max ${Math.max(...lags).toFixed(0)} ms`);

  // ---- 4. /api/status under load (open loop: requests leave on schedule whatever is outstanding)
  async function load(path: string) {
    const agents = Array.from({ length: API_CLIENTS }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
    const total = API_RATE_PER_SECOND * API_SECONDS;
    const intervalMs = 1000 / API_RATE_PER_SECOND;
    const latencies: number[] = [];
    const errors: string[] = [];
    const pending: Array<Promise<void>> = [];
    const started = performance.now();
    let sent = 0;
    const fire = (due: number, agent: Agent) =>
      new Promise<void>((resolveRequest) => {
        const request = httpGet(`http://127.0.0.1:${indexerPort}${path}`, { agent, timeout: API_TIMEOUT_MS }, (response) => {
          response.resume();
          response.once("end", () => {
            // Latency from the scheduled time, so a stalled server cannot hide its queueing.
            latencies.push(performance.now() - due);
            if (response.statusCode !== 200) errors.push(`HTTP ${response.statusCode}`);
            resolveRequest();
          });
        });
        request.once("timeout", () => request.destroy(new Error("timeout")));
        request.once("error", (error) => {
          errors.push(error.message);
          resolveRequest();
        });
      });
    while (sent < total) {
      const now = performance.now();
      while (sent < total && started + sent * intervalMs <= now) {
        pending.push(fire(started + sent * intervalMs, agents[sent % API_CLIENTS]!));
        sent++;
      }
      await sleep(1);
    }
    await Promise.all(pending);
    // Requests answered per second, from the first send to the last answer.
    const served = total / ((performance.now() - started) / 1000);
    for (const agent of agents) agent.destroy();
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies), errors, served };
  }
  /** Median of `n` requests one at a time on an idle server. */
  async function serialMs(path: string, n: number): Promise<number> {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const started = performance.now();
      const response = await fetch(`${indexer.url}${path}`, { signal: AbortSignal.timeout(API_TIMEOUT_MS) });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${path} answered HTTP ${response.status} on an idle server`);
      times.push(performance.now() - started);
    }
    return percentile(times, 50);
  }
  const ponderStatusSerial = await serialMs("/status", 50);
  const statusSerial = await serialMs("/api/status", 50);
  log(
    `API: one request at a time: /api/status p50 ${statusSerial.toFixed(1)} ms, Ponder's /status p50 ${ponderStatusSerial.toFixed(1)} ms`,
  );
  log(`API: ${API_CLIENTS} keep-alive clients, ${API_RATE_PER_SECOND} req/s for ${API_SECONDS} s on /health (baseline), then /api/status`);
  const health = await load("/health");
  log(
    `  /health      p50 ${health.p50.toFixed(1)} ms, p99 ${health.p99.toFixed(1)} ms, max ${health.max.toFixed(0)} ms, errors ${health.errors.length}, ${health.served.toFixed(0)} answers/s`,
  );
  const status = await load("/api/status");
  log(
    `  /api/status  p50 ${status.p50.toFixed(1)} ms, p99 ${status.p99.toFixed(1)} ms, max ${status.max.toFixed(0)} ms, errors ${status.errors.length}, ${status.served.toFixed(0)} answers/s`,
  );
  if (status.errors.length > 0) notes.push(`/api/status errors: ${[...new Set(status.errors)].slice(0, 5).join("; ")}`);
  const after = await fetch(`${indexer.url}/api/status`, { signal: AbortSignal.timeout(5000) });
  const stillUp = after.ok && !indexer.service.hasExited();
  if (!stillUp) notes.push(`the API did not answer after the load (HTTP ${after.status})`);
  const finalCounts = await indexedCounts();
  if (finalCounts.transfers !== expectedTransfers + LIVE_TRANSFERS) {
    notes.push(`after the live phase the index holds ${finalCounts.transfers} transfers, expected ${expectedTransfers + LIVE_TRANSFERS}`);
  }
  const secondRunOutput = indexer.service.output();
  await indexer.stop();

  // ---- results
  const bestOf = ROUNDS > 1 ? ` (both best of ${ROUNDS})` : "";
  const eventsPerSec = totalEvents / ourSeconds;
  const bareEventsPerSec = totalEvents / bareSeconds;
  rows.push(
    {
      metric: "backfill.postgres.eventsPerSec",
      value: Math.round(totalEvents / ourPgSeconds),
      unit: "events/s",
      baseline: Math.round(eventsPerSec),
      ratio: round(ourSeconds / ourPgSeconds, 3),
      baselineOf: `the same indexer on PGlite, events/s${bestOf}`,
      target: { op: ">=", value: 2 },
    },
    {
      // No target: what Ponder itself gains from Postgres on this machine bounds what the indexer can.
      metric: "backfill.bare.postgres.eventsPerSec",
      value: Math.round(totalEvents / barePgSeconds),
      unit: "events/s",
      baseline: Math.round(bareEventsPerSec),
      ratio: round(bareSeconds / barePgSeconds, 3),
      baselineOf: `the bare Ponder app on PGlite, events/s${bestOf}`,
    },
    {
      metric: "backfill.postgres.vsBarePonder",
      value: round(ourPgSeconds / barePgSeconds, 3),
      unit: "x",
      baseline: round(barePgSeconds, 2),
      ratio: round(ourPgSeconds / barePgSeconds, 3),
      baselineOf: `bare Ponder app backfill on the same Postgres, s${bestOf}`,
      target: { op: "<=", value: 1.2, on: "value" },
    },
    {
      metric: "backfill.postgres.seconds",
      value: round(ourPgSeconds, 2),
      unit: "s",
      baseline: round(barePgSeconds, 2),
      ratio: round(ourPgSeconds / barePgSeconds, 3),
      baselineOf: `bare Ponder app backfill on the same Postgres, s${bestOf}`,
    },
    {
      metric: "backfill.eventsPerSec",
      value: Math.round(eventsPerSec),
      unit: "events/s",
      baseline: Math.round(bareEventsPerSec),
      ratio: round(eventsPerSec / bareEventsPerSec, 3),
      baselineOf: `bare Ponder app, events/s${bestOf}`,
    },
    {
      metric: "backfill.vsBarePonder",
      value: round(ourSeconds / bareSeconds, 3),
      unit: "x",
      baseline: round(bareSeconds, 2),
      ratio: round(ourSeconds / bareSeconds, 3),
      baselineOf: `bare Ponder app backfill, s${bestOf}`,
      target: { op: "<=", value: 1.5, on: "value" },
    },
    {
      metric: "backfill.vsRawFetch",
      value: round(ourSeconds / rawSeconds, 2),
      unit: "x",
      baseline: round(rawSeconds, 2),
      ratio: round(ourSeconds / rawSeconds, 2),
      baselineOf: "viem getLogs of the same range, s",
    },
    {
      metric: "backfill.seconds",
      value: round(ourSeconds, 2),
      unit: "s",
      baseline: round(bareSeconds, 2),
      ratio: round(ourSeconds / bareSeconds, 3),
      baselineOf: `bare Ponder app backfill, s${bestOf}`,
    },
    {
      metric: "backfill.barePonder.seconds",
      value: round(bareSeconds, 2),
      unit: "s",
      baseline: round(rawSeconds, 2),
      ratio: round(bareSeconds / rawSeconds, 2),
      baselineOf: "viem getLogs of the same range, s",
    },
    {
      metric: "backfill.rawFetch.seconds",
      value: round(rawSeconds, 2),
      unit: "s",
      baseline: round(rawSeconds, 2),
      ratio: 1,
      baselineOf: "itself",
    },
    {
      metric: "backfill.events",
      value: totalEvents,
      unit: "events",
      baseline: totalEvents,
      ratio: 1,
      baselineOf: "logs of the SOVR contracts on the chain",
    },
    {
      metric: "peakRssMb",
      value: Math.round(ourPeakRss),
      unit: "MB",
      baseline: Math.round(barePeakRss),
      ratio: round(ourPeakRss / barePeakRss, 2),
      baselineOf: `bare Ponder app peak RSS during its backfill, MB${ROUNDS > 1 ? " (both the highest of all rounds)" : ""}`,
    },
    {
      metric: "live.lagP50Ms",
      value: round(lagP50),
      unit: "ms",
      baseline: POLLING_MS,
      ratio: round(lagP50 / POLLING_MS, 2),
      baselineOf: "indexer polling interval, ms",
    },
    {
      metric: "live.lagP99Ms",
      value: round(lagP99),
      unit: "ms",
      baseline: POLLING_MS,
      ratio: round(lagP99 / POLLING_MS, 2),
      baselineOf: "indexer polling interval, ms",
      target: { op: "<", value: 1000, on: "value" },
    },
    {
      metric: "api.statusP50Ms",
      value: round(status.p50, 2),
      unit: "ms",
      baseline: round(health.p50, 2),
      ratio: round(status.p50 / health.p50, 2),
      baselineOf: "Ponder's /health under the same load, ms",
    },
    {
      metric: "api.statusP99Ms",
      value: round(status.p99, 2),
      unit: "ms",
      baseline: round(health.p99, 2),
      ratio: round(status.p99 / health.p99, 2),
      baselineOf: "Ponder's /health under the same load, ms",
    },
    {
      metric: "api.statusServedPerSec",
      value: round(status.served),
      unit: "req/s",
      baseline: API_RATE_PER_SECOND,
      ratio: round(status.served / API_RATE_PER_SECOND, 3),
      baselineOf: "offered rate, req/s",
    },
    {
      metric: "api.statusSerialMs",
      value: round(statusSerial, 2),
      unit: "ms",
      baseline: round(ponderStatusSerial, 2),
      ratio: round(statusSerial / ponderStatusSerial, 2),
      baselineOf: "Ponder's own /status one request at a time, p50 ms",
    },
    {
      metric: "api.statusErrors",
      value: status.errors.length + (stillUp ? 0 : 1),
      unit: "requests",
      baseline: health.errors.length,
      ratio: 0,
      baselineOf: "/health errors under the same load",
      target: { op: "==", value: 0, on: "value" },
    },
    {
      metric: "indexer.restartSeconds",
      value: round(restartSeconds, 2),
      unit: "s",
      baseline: round(ourSeconds, 2),
      ratio: round(restartSeconds / ourSeconds, 3),
      baselineOf: "full backfill, s",
    },
  );

  const problems = [...ponderProblems(firstRunOutput), ...ponderProblems(secondRunOutput)];
  const bareProblems = ponderProblems(bareOutput);
  console.log(
    `\nIndexer benchmark: ${TRANSFERS} transfers (${totalEvents} events, blocks ${deployment.startBlock}..${head}), PGlite, polling ${POLLING_MS} ms`,
  );
  if (!writeBench("indexer", rows)) process.exitCode = 1;
  if (ROUNDS > 1) {
    console.log(
      `\nbackfill rounds, s: SOVR indexer ${ours.map((b) => b.seconds.toFixed(1)).join(", ")}; bare app ${bares.map((b) => b.seconds.toFixed(1)).join(", ")}`,
    );
  }
  console.log(
    `\nsending the transfers took ${sendSeconds.toFixed(1)} s; whole benchmark ${((performance.now() - benchStarted) / 1000).toFixed(0)} s`,
  );
  if (problems.length > 0) {
    console.log(`\nwarnings/errors in the SOVR indexer's output (${problems.length}):`);
    for (const line of [...new Set(problems)].slice(0, 20)) console.log(`  ${line.slice(0, 300)}`);
  }
  if (bareProblems.length > 0) {
    console.log(`\nwarnings/errors in the bare app's output (${bareProblems.length}):`);
    for (const line of [...new Set(bareProblems)].slice(0, 10)) console.log(`  ${line.slice(0, 300)}`);
  }
  for (const note of notes) console.log(`NOTE: ${note}`);
  if (process.env.SOVR_BENCH_LOG_DIR) {
    mkdirSync(process.env.SOVR_BENCH_LOG_DIR, { recursive: true });
    writeFileSync(join(process.env.SOVR_BENCH_LOG_DIR, "indexer-1.log"), firstRunOutput);
    writeFileSync(join(process.env.SOVR_BENCH_LOG_DIR, "indexer-2.log"), secondRunOutput);
    writeFileSync(join(process.env.SOVR_BENCH_LOG_DIR, "bare.log"), bareOutput);
  }
} catch (error) {
  console.error(`bench indexer failed: ${(error as Error).stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
// Keep-alive sockets or timers must not hold the process open.
process.exit(process.exitCode ?? 0);

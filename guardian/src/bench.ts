/**
 * `pnpm bench guardian`: the rule
 * engine alone on a local Anvil chain (automine) with the real indexer, 7 paying holders.
 * Latency: 200 payments, one every 500 ms (GUARDIAN_BENCH_PACE_MS); for each, event mined (its
 * receipt) to verdict mined (first seen on-chain, polled every 25 ms). Throughput: 200 more payments
 * at once (10 per transaction), events per second until the last verdict is mined. Baseline from the
 * same run: event mined to indexed (the indexer's /status reaching the block), which the guardian,
 * reading the index, cannot beat. Writes `.bench/guardian.json`. Target: p99 under 2 s.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { guardianAttestationsAbi, sovrCodes, sovrCreditAbi, sovrLedgerAbi } from "@sovr/contracts";
import { spawnIndexer } from "@sovr/indexer/process";
import { benchMetric, percentile, writeBench } from "@sovr/runtime/bench";
import { startLocalChain } from "@sovr/runtime/chain";
import { deployForTest, freePort, removeDeployment } from "@sovr/runtime/testing";
import { type Address, createWalletClient, type Hex, http } from "viem";
import { foundry } from "viem/chains";
import { readGuardianConfig } from "./config.ts";
import { startGuardian } from "./guardian.ts";
import { subjectOf } from "./subject.ts";

const EVENTS = 200;
const PACE_MS = Number(process.env.GUARDIAN_BENCH_PACE_MS ?? 500);
const TARGET_P99_MS = 2000;
const ZERO32: Hex = `0x${"00".repeat(32)}`;

async function runGuardianBench(): Promise<boolean> {
  const home = mkdtempSync(join(tmpdir(), "sovr-bench-guardian-"));
  const deploymentId = `sovr-bench-guardian-${process.pid}`;
  const chain = await startLocalChain({ port: await freePort(), stateDir: join(home, "chain"), stateIntervalSeconds: 600 });
  const stops: (() => Promise<void>)[] = [() => chain.stop()];
  try {
    const { deployment, guardianKey } = await deployForTest(chain, deploymentId);
    const addresses = (await createWalletClient({ transport: http(chain.url) }).getAddresses()) as Address[];
    const owner = addresses[0]!;
    const holders = addresses.slice(3, 10);
    const wallet = (account: Address) => createWalletClient({ chain: foundry, transport: http(chain.url), account });
    let transferId = 1_000n;
    for (const holder of holders) {
      const hash = await wallet(owner).writeContract({
        address: deployment.credit,
        abi: sovrCreditAbi,
        functionName: "issueTo",
        args: [transferId++, holder, 1_000_000_000n, ZERO32],
      });
      await chain.client.waitForTransactionReceipt({ hash });
    }
    const accounts = await Promise.all(
      holders.map((holder) =>
        chain.client.readContract({ address: deployment.ledger, abi: sovrLedgerAbi, functionName: "primaryAccountId", args: [holder] }),
      ),
    );

    const indexer = spawnIndexer({
      port: await freePort(),
      rpcUrl: chain.url,
      chainId: foundry.id,
      deploymentId,
      dataDir: join(home, "indexer"),
    });
    stops.unshift(() => indexer.stop());
    await indexer.waitForBlock(await chain.client.getBlockNumber());
    const config = readGuardianConfig({
      SOVR_RPC_URL: chain.url,
      SOVR_DEPLOYMENT_ID: deploymentId,
      SOVR_INDEXER_URL: indexer.url,
      SOVR_GUARDIAN_PORT: "0",
      SOVR_GUARDIAN_POLL_MS: "50",
      SOVR_GUARDIAN_KEY: guardianKey,
    });
    const guardian = await startGuardian(config);
    stops.unshift(() => guardian.stop());
    // Let it judge the setup's events first, so the measurement starts from a guardian that is caught up.
    while ((guardian.worker.processedBlock ?? -1n) < (await chain.client.getBlockNumber())) await sleep(50);

    // Watchers: when each verdict subject is first seen on-chain, when each block is first indexed.
    const verdictSeenAt = new Map<Hex, number>();
    const indexedAt = new Map<bigint, number>();
    let watching = true;
    let fromBlock = (await chain.client.getBlockNumber()) + 1n;
    const watcher = (async () => {
      while (watching) {
        const head = await chain.client.getBlockNumber();
        if (head >= fromBlock) {
          const logs = await chain.client.getContractEvents({
            address: deployment.guardian,
            abi: guardianAttestationsAbi,
            eventName: "VerdictAttested",
            fromBlock,
            toBlock: head,
          });
          const now = Date.now();
          for (const log of logs) if (!verdictSeenAt.has(log.args.subject!)) verdictSeenAt.set(log.args.subject!, now);
          fromBlock = head + 1n;
        }
        const indexed = await indexer.indexedBlock();
        if (indexed !== undefined && !indexedAt.has(BigInt(indexed))) indexedAt.set(BigInt(indexed), Date.now());
        await sleep(25);
      }
    })();

    type Sent = { subject: Hex; blockNumber: bigint; minedAt: number };
    const paymentOf = (i: number) => {
      const from = i % holders.length;
      const to = (i + 1) % holders.length;
      return {
        id: transferId++,
        debitAccountId: accounts[from]!,
        creditAccountId: accounts[to]!,
        amount: 1_000n + BigInt(i),
        pendingId: 0n,
        userData: ZERO32,
        timeout: 0,
        ledger: sovrCodes.LEDGER_USD,
        code: sovrCodes.TRANSFER_PAYMENT,
        flags: 0,
      };
    };
    /** Sends one transaction and returns its ledger events with the time the receipt arrived. */
    const sendPayments = async (from: Address, payments: ReturnType<typeof paymentOf>[]): Promise<Sent[]> => {
      const hash = await wallet(from).writeContract({
        address: deployment.ledger,
        abi: sovrLedgerAbi,
        functionName: "createTransfers",
        args: [payments],
        gas: 300_000n * BigInt(payments.length),
      });
      const receipt = await chain.client.waitForTransactionReceipt({ hash, pollingInterval: 5 });
      const minedAt = Date.now();
      return receipt.logs
        .filter((l: { address: string }) => l.address.toLowerCase() === deployment.ledger.toLowerCase())
        .map((log: { logIndex: number }) => ({
          subject: subjectOf({ blockNumber: receipt.blockNumber, logIndex: log.logIndex, txHash: receipt.transactionHash }),
          blockNumber: receipt.blockNumber,
          minedAt,
        }));
    };
    const waitForVerdicts = async (sent: Sent[]) => {
      const deadline = Date.now() + 120_000;
      while (sent.some((e) => !verdictSeenAt.has(e.subject)) && Date.now() < deadline) await sleep(20);
      const missing = sent.filter((e) => !verdictSeenAt.has(e.subject)).length;
      if (missing > 0) throw new Error(`${missing} of ${sent.length} events got no verdict within 120 s`);
    };

    // Latency: one payment at a time, at a steady pace.
    const events: Sent[] = [];
    const started = Date.now();
    for (let i = 0; i < EVENTS; i++) {
      events.push(...(await sendPayments(holders[i % holders.length]!, [paymentOf(i)])));
      const next = started + (i + 1) * PACE_MS;
      if (next > Date.now()) await sleep(next - Date.now());
    }
    await waitForVerdicts(events);

    // Throughput: the same number of events at once (10 per transaction), until the last verdict is mined.
    const burst: Sent[] = [];
    for (let i = 0; i < EVENTS; i += 10) {
      burst.push(
        ...(await sendPayments(
          holders[(i / 10) % holders.length]!,
          Array.from({ length: 10 }, (_, k) => paymentOf(EVENTS + i + k)),
        )),
      );
    }
    await waitForVerdicts(burst);
    watching = false;
    await watcher;

    const verdictLags = events.map((e) => verdictSeenAt.get(e.subject)! - e.minedAt);
    const firstIndexed = (block: bigint) => Math.min(...[...indexedAt].filter(([b]) => b >= block).map(([, at]) => at));
    const indexLags = events.map((e) => firstIndexed(e.blockNumber) - e.minedAt).filter(Number.isFinite);
    const burstSeconds = (Math.max(...burst.map((e) => verdictSeenAt.get(e.subject)!)) - burst[0]!.minedAt) / 1000;
    const indexLagP50 = percentile(indexLags, 50);
    const indexLagP99 = percentile(indexLags, 99);
    const indexedPerSec = burst.length / ((Math.max(...burst.map((e) => firstIndexed(e.blockNumber))) - burst[0]!.minedAt) / 1000);
    const baselineOf = `event mined to indexed (the indexer's /status reaching its block), ${EVENTS} events every ${PACE_MS} ms`;
    return writeBench("guardian", [
      benchMetric("rules.verdictLagP50Ms", percentile(verdictLags, 50), "ms", indexLagP50, { baselineOf }),
      benchMetric("rules.verdictLagP99Ms", percentile(verdictLags, 99), "ms", indexLagP99, {
        baselineOf,
        target: { op: "<", value: TARGET_P99_MS, on: "value" },
      }),
      benchMetric(
        "rules.burstEventsPerSec",
        Number((burst.length / burstSeconds).toFixed(1)),
        "events/s",
        Number(indexedPerSec.toFixed(1)),
        {
          baselineOf: `burst of ${EVENTS} events: indexed per second`,
        },
      ),
    ]);
  } finally {
    for (const stop of stops) await stop();
    rmSync(home, { recursive: true, force: true });
    removeDeployment(deploymentId);
  }
}

if (!(await runGuardianBench())) process.exitCode = 1;

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import {
  chargeTransferId,
  pendingStatuses,
  periodUnits,
  type SovrDeployment,
  sovrCodes,
  sovrCreditAbi,
  sovrLedgerAbi,
  sovrOrdersAbi,
} from "@sovr/contracts";
import { type IndexerProcess, spawnIndexer } from "@sovr/indexer/process";
import { type LocalChain, startLocalChain } from "@sovr/runtime/chain";
import { deployForTest, freePort, removeDeployment } from "@sovr/runtime/testing";
import { type Address, createWalletClient, type Hex, http, parseEventLogs, toHex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Keeper, startKeeper } from "./keeper.ts";

const ZERO32: Hex = `0x${"00".repeat(32)}`;
/** Anvil's account #2: `pnpm sovr keeper` pays its gas from it here (well-known keys are allowed on 31337). */
const KEEPER_KEY: Hex = toHex(
  mnemonicToAccount("test test test test test test test test test test test junk", { addressIndex: 2 }).getHdKey().privateKey!,
);
const CLI = fileURLToPath(new URL("./cli.ts", import.meta.url));
const home = mkdtempSync(join(tmpdir(), "sovr-keeper-"));
const deploymentId = `sovr-test-keeper-${process.pid}`;
let chain: LocalChain;
let deployment: SovrDeployment;
let indexer: IndexerProcess;
let keeper: Keeper | undefined;
let keeperProcess: ChildProcess | undefined;
let owner: Address;
let supervisorKey: Address;
let alice: Address;
let bob: Address;
let payee: Address;
let payers: Address[];

beforeAll(async () => {
  chain = await startLocalChain({ port: await freePort(), stateDir: join(home, "chain"), stateIntervalSeconds: 60 });
  ({ deployment } = await deployForTest(chain, deploymentId));
  const addresses = (await createWalletClient({ transport: http(chain.url) }).getAddresses()) as Address[];
  [owner, supervisorKey, , alice, bob, payee] = addresses as [Address, Address, Address, Address, Address, Address];
  payers = addresses.slice(6, 10);
  indexer = spawnIndexer({ port: await freePort(), rpcUrl: chain.url, chainId: foundry.id, deploymentId, dataDir: join(home, "indexer") });
}, 180_000);

afterAll(async () => {
  keeperProcess?.kill("SIGKILL");
  await keeper?.stop();
  await indexer?.stop();
  await chain?.stop();
  rmSync(home, { recursive: true, force: true });
  removeDeployment(deploymentId);
});

async function send(from: Address, address: Address, abi: readonly unknown[], functionName: string, args: unknown[]) {
  const wallet = createWalletClient({ chain: foundry, transport: http(chain.url), account: from });
  const hash = await wallet.writeContract({ address, abi, functionName, args } as never);
  const receipt = await chain.client.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  return receipt;
}

const rpc = (method: string, params: unknown[] = []) => chain.client.request({ method: method as never, params: params as never });
const chainNow = async () => (await chain.client.getBlock({ blockTag: "latest" })).timestamp;
/** Moves the chain's clock to `at` (or past it) and mines a block there. */
async function warpTo(at: bigint) {
  const now = await chainNow();
  if (at > now) await rpc("evm_increaseTime", [Number(at - now)]);
  await rpc("evm_mine");
}
const primaryOf = (holder: Address) =>
  chain.client.readContract({ address: deployment.ledger, abi: sovrLedgerAbi, functionName: "primaryAccountId", args: [holder] });
const isCharged = async (orderId: bigint, period: number) => {
  try {
    await chain.client.readContract({
      address: deployment.ledger,
      abi: sovrLedgerAbi,
      functionName: "getTransfer",
      args: [chargeTransferId(orderId, period)],
    });
    return true;
  } catch {
    return false;
  }
};

/** Creates a standing order from `payer` to the payee's primary account; returns its id. */
async function createOrder(payer: Address, amount: bigint, startAt: bigint, every: number, unit: "Seconds" | "Months", periods: number) {
  const receipt = await send(payer, deployment.orders, sovrOrdersAbi, "createOrder", [
    await primaryOf(payee),
    amount,
    amount,
    { startAt: Number(startAt), every, unit: periodUnits.indexOf(unit), periods, endAt: 0 },
    { retries: 2, retryEvery: 86_400 },
  ]);
  const [created] = parseEventLogs({ abi: sovrOrdersAbi, logs: receipt.logs, eventName: "OrderCreated" });
  return created!.args.id;
}

describe("keeper", () => {
  it("releases overdue pending transfers and leaves the others", async () => {
    const [aliceAccount, bobAccount] = [await primaryOf(alice), await primaryOf(bob)];
    await send(owner, deployment.credit, sovrCreditAbi, "issueTo", [1n, alice, 1_000_000n, ZERO32]);
    await send(owner, deployment.credit, sovrCreditAbi, "issueTo", [2n, bob, 1n, ZERO32]);
    const pending = (id: bigint, timeout: number) => ({
      id,
      debitAccountId: aliceAccount,
      creditAccountId: bobAccount,
      amount: 1_000n,
      pendingId: 0n,
      userData: ZERO32,
      timeout,
      ledger: sovrCodes.LEDGER_USD,
      code: sovrCodes.TRANSFER_PAYMENT,
      flags: sovrCodes.PENDING,
    });
    await send(alice, deployment.ledger, sovrLedgerAbi, "createTransfers", [
      [pending(10n, 5), pending(11n, 5), pending(12n, 0), pending(13n, 3600)],
    ]);
    const statusOf = async (id: bigint) =>
      pendingStatuses[
        (await chain.client.readContract({ address: deployment.ledger, abi: sovrLedgerAbi, functionName: "getTransfer", args: [id] }))
          .status
      ];

    const wallet = createWalletClient({ chain: foundry, transport: http(chain.url), account: supervisorKey });
    const lines: string[] = [];
    keeper = startKeeper({
      indexerUrl: indexer.url,
      client: chain.client,
      wallet,
      ledger: deployment.ledger,
      orders: deployment.orders,
      intervalMs: 200,
      log: (line) => lines.push(line),
    });
    await indexer.waitForBlock(await chain.client.getBlockNumber());
    expect(await statusOf(10n)).toBe("Pending");

    await rpc("evm_increaseTime", [10]);
    await rpc("evm_mine");
    const deadline = Date.now() + 30_000;
    while ((await statusOf(11n)) !== "Expired" && Date.now() < deadline) await sleep(100);

    expect(await Promise.all([10n, 11n, 12n, 13n].map(statusOf))).toEqual(["Expired", "Expired", "Pending", "Pending"]);
    expect(lines).toContain("sovr: keeper released 2 overdue pending transfers");
    const account = await chain.client.readContract({
      address: deployment.ledger,
      abi: sovrLedgerAbi,
      functionName: "getAccount",
      args: [aliceAccount],
    });
    expect(account.debitsPending).toBe(2_000n);
    await keeper.stop();
    keeper = undefined;
  });

  it("reports due charges and their age, and is DEGRADED once a due charge is a period late", async () => {
    await send(owner, deployment.ledger, sovrLedgerAbi, "openPrimaryAccount", [payee]);
    await send(owner, deployment.credit, sovrCreditAbi, "issueTo", [3n, alice, 100_000_000n, ZERO32]);
    const start = (await chainNow()) + 3_600n;
    const order = await createOrder(alice, 1_000_000n, start, 3_600, "Seconds", 5);
    const wallet = createWalletClient({ chain: foundry, transport: http(chain.url), account: supervisorKey });
    // Its first pass finds nothing due; it passes again only when the test asks.
    keeper = startKeeper({
      indexerUrl: indexer.url,
      client: chain.client,
      wallet,
      ledger: deployment.ledger,
      orders: deployment.orders,
      intervalMs: 3_600_000,
      log: () => undefined,
    });
    await indexer.waitForBlock(await chain.client.getBlockNumber());
    expect((await keeper.health()).dueCharges).toBe(0);

    await warpTo(start + 60n);
    let health = await keeper.health();
    expect(health).toMatchObject({ ok: true, degraded: false, dueCharges: 1, lateCharges: 0 });
    expect(health.oldestDueAgeSeconds).toBeGreaterThanOrEqual(60);

    // Nobody charged it for more than its period (an hour): late, and the next period is due too.
    await warpTo(start + 3_600n + 120n);
    health = await keeper.health();
    expect(health).toMatchObject({ degraded: true, dueCharges: 2, lateCharges: 1 });
    expect(health.oldestDueAgeSeconds).toBeGreaterThan(3_600);

    // One pass: both periods in one transaction, and (in another) the first test's pending transfer whose hour passed.
    const pass = await keeper.tick();
    expect(pass).toMatchObject({ charged: 2, released: 1, transactions: 2 });
    expect([await isCharged(order, 0), await isCharged(order, 1), await isCharged(order, 2)]).toEqual([true, true, false]);
    await indexer.waitForBlock(await chain.client.getBlockNumber());
    health = await keeper.health();
    expect(health).toMatchObject({ ok: true, degraded: false, dueCharges: 0, lateCharges: 0, oldestDueAgeSeconds: 0 });
    expect(health.lastRunAt).not.toBeNull();
    await keeper.stop();
    keeper = undefined;
  });

  it("charges 12 monthly periods exactly once, across SIGKILLs of the keeper mid-batch and downtime", async () => {
    const AMOUNT = 1_500_000_000n;
    const PERIODS = 12;
    let issueId = 100n;
    for (const payer of payers) {
      await send(owner, deployment.credit, sovrCreditAbi, "issueTo", [issueId++, payer, AMOUNT * BigInt(PERIODS) * 3n, ZERO32]);
    }
    // Ten orders from four payers, anchored to a start a day ahead: the keeper makes every charge.
    const start = (await chainNow()) + 86_400n;
    const orders: bigint[] = [];
    for (let i = 0; i < 10; i++) orders.push(await createOrder(payers[i % payers.length]!, AMOUNT, start, 1, "Months", PERIODS));
    const dueAt = async (period: number) =>
      BigInt(
        await chain.client.readContract({
          address: deployment.orders,
          abi: sovrOrdersAbi,
          functionName: "dueAt",
          args: [orders[0]!, period],
        }),
      );

    const lines: string[] = [];
    const startKeeperProcess = () => {
      const child = spawn(process.execPath, [CLI, "keeper", "--interval", "0.2", "--batch", "4"], {
        env: {
          ...process.env,
          SOVR_PRIVATE_KEY: KEEPER_KEY,
          SOVR_RPC_URL: chain.url,
          SOVR_DEPLOYMENT_ID: deploymentId,
          SOVR_INDEXER_URL: indexer.url,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      for (const stream of [child.stdout, child.stderr])
        stream.on("data", (chunk: Buffer) => lines.push(...chunk.toString().trim().split("\n")));
      return child;
    };
    const chargedThrough = async (period: number) => (await Promise.all(orders.map((id) => isCharged(id, period)))).every(Boolean);
    const waitCharged = async (period: number) => {
      const deadline = Date.now() + 60_000;
      while (!(await chargedThrough(period))) {
        if (Date.now() > deadline) throw new Error(`period ${period} not charged for every order; keeper said:\n${lines.join("\n")}`);
        await sleep(100);
      }
    };
    /** Starts a keeper, lets it send its first batch of the pass into a mempool that mines nothing, and kills it. */
    const killMidBatch = async (period: number) => {
      // With the index caught up, the keeper's batches are this period's charges only.
      await indexer.waitForBlock(await chain.client.getBlockNumber());
      await rpc("evm_setAutomine", [false]);
      const child = startKeeperProcess();
      const deadline = Date.now() + 60_000;
      // Killed as soon as its first batch is in the mempool, while it prepares the next.
      while (((await rpc("txpool_status")) as { pending: string }).pending === "0x0") {
        if (Date.now() > deadline) throw new Error(`the keeper sent nothing; it said:\n${lines.join("\n")}`);
        await sleep(5);
      }
      child.kill("SIGKILL");
      await new Promise((resolveExit) => child.once("exit", resolveExit));
      // The batch it sent is mined after it died; the rest of the pass never was.
      await rpc("evm_mine");
      await rpc("evm_setAutomine", [true]);
      // Some of the period's charges were made, not all: the rest is for the next keeper.
      const charged = (await Promise.all(orders.map((id) => isCharged(id, period)))).filter(Boolean).length;
      expect(charged, `the killed keeper charged a part of the period; it said:\n${lines.join("\n")}`).toBeGreaterThan(0);
      expect(charged).toBeLessThan(orders.length);
    };

    let currentPeriod = 0;
    for (; currentPeriod < PERIODS; currentPeriod++) {
      if (currentPeriod === 5) {
        // Downtime: nobody charges for two months; the next keeper charges both periods, once each.
        keeperProcess?.kill("SIGKILL");
        keeperProcess = undefined;
        await warpTo(await dueAt(6));
        keeperProcess = startKeeperProcess();
        await waitCharged(5);
        await waitCharged(6);
        currentPeriod = 6;
        continue;
      }
      if (currentPeriod === 3 || currentPeriod === 9) {
        // The running keeper goes first, so that the period falls due with no keeper but the one killed.
        keeperProcess?.kill("SIGKILL");
        keeperProcess = undefined;
        await warpTo(await dueAt(currentPeriod));
        await killMidBatch(currentPeriod);
      } else {
        await warpTo(await dueAt(currentPeriod));
      }
      keeperProcess ??= startKeeperProcess();
      await waitCharged(currentPeriod);
    }
    // A thirteenth month: nothing more is charged.
    await warpTo((await dueAt(PERIODS)) + 86_400n);
    await sleep(1_500);
    keeperProcess?.kill("SIGTERM");

    // Each period of each order charged exactly once: one transfer per (order, period), none beyond.
    for (const id of orders) {
      for (let period = 0; period < PERIODS; period++) expect(await isCharged(id, period)).toBe(true);
      expect(await isCharged(id, PERIODS)).toBe(false);
    }
    const logs = await chain.client.getLogs({
      address: deployment.ledger,
      event: sovrLedgerAbi.find((item) => item.type === "event" && item.name === "TransferCreated") as never,
      fromBlock: 0n,
    });
    const charges = parseEventLogs({ abi: sovrLedgerAbi, logs, eventName: "TransferCreated" }).filter((log) =>
      orders.some((id) => log.args.id >> 32n === chargeTransferId(id, 0) >> 32n),
    );
    expect(charges.length).toBe(orders.length * PERIODS);
    for (const payer of payers) {
      const account = await chain.client.readContract({
        address: deployment.ledger,
        abi: sovrLedgerAbi,
        functionName: "getAccount",
        args: [await primaryOf(payer)],
      });
      const ordersOfPayer = orders.filter((_, i) => payers[i % payers.length] === payer).length;
      expect(account.debitsPosted).toBe(AMOUNT * BigInt(PERIODS * ordersOfPayer));
    }
    expect(lines.some((line) => line.includes("keeper charged"))).toBe(true);

    // The index agrees with the chain, every order completed.
    await indexer.waitForBlock(await chain.client.getBlockNumber());
    const reconcile = (await (await fetch(`${indexer.url}/api/reconcile`)).json()) as { ok: boolean; differences: unknown[] };
    expect(reconcile).toMatchObject({ ok: true, differences: [] });
    const indexed = (await (
      await fetch(`${indexer.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ standingOrders(where: { planId: 0, every: 1 }) { items { id status chargedCount } } }" }),
      })
    ).json()) as { data: { standingOrders: { items: { id: string; status: string; chargedCount: number }[] } } };
    const ours = indexed.data.standingOrders.items.filter((item) => orders.includes(BigInt(item.id)));
    expect(ours).toHaveLength(orders.length);
    for (const item of ours) expect(item).toMatchObject({ status: "Completed", chargedCount: PERIODS });
  });
});

/**
 * `pnpm bench keeper`: 1,000 standing orders (KEEPER_BENCH_CHARGES) fall due at once on a local Anvil chain with
 * the real indexer, and the keeper `sovr up` runs (one pass a second, 100 charges a transaction) charges them.
 * Measured: charges per second from the block that made them due to the last one settled, the keeper's
 * transactions, gas per charge, and each charge's lag from falling due to its receipt (p99). The baseline is the
 * same number of plain ledger transfers sent by hand in batches of 100 (`createTransfers`, the `transfer.batch100`
 * of `pnpm bench gas`) among 20 accounts, in the same run on the same chain: what charging can at best cost and
 * take. The orders mirror that batch: 20 payers, each paying 50 orders to the others' primary accounts.
 * Writes `.bench/keeper.json`. Target: gas per charge at most 1.2 x the baseline's per transfer.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newTransferId, periodUnits, sovrCodes, sovrCreditAbi, sovrLedgerAbi, sovrOrdersAbi } from "@sovr/contracts";
import { spawnIndexer } from "@sovr/indexer/process";
import { benchMetric, percentile, writeBench } from "@sovr/runtime/bench";
import { startLocalChain } from "@sovr/runtime/chain";
import { deployForTest, freePort, removeDeployment } from "@sovr/runtime/testing";
import { type Address, createWalletClient, type Hex, http, parseEther, type TransactionReceipt } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { connectChain } from "./chain.ts";
import { DEFAULT_CHARGE_BATCH, startKeeper } from "./keeper.ts";

const CHARGES = Number(process.env.KEEPER_BENCH_CHARGES ?? 1000);
const ACCOUNTS = 20;
const TARGET_GAS_RATIO = 1.2;
const ZERO32: Hex = `0x${"00".repeat(32)}`;
/** How far ahead the orders start: they all fall due in the one block that moves the clock past it. */
const START_AHEAD_S = 3_600;

async function runKeeperBench(): Promise<boolean> {
  const home = mkdtempSync(join(tmpdir(), "sovr-bench-keeper-"));
  const deploymentId = `sovr-bench-keeper-${process.pid}`;
  const chain = await startLocalChain({ port: await freePort(), stateDir: join(home, "chain"), stateIntervalSeconds: 600 });
  const stops: (() => Promise<void>)[] = [() => chain.stop()];
  try {
    const { deployment, owner } = await deployForTest(chain, deploymentId);
    const [, keeperAddress] = (await createWalletClient({ transport: http(chain.url) }).getAddresses()) as Address[];
    const wallet = (account: Address | ReturnType<typeof privateKeyToAccount>) =>
      createWalletClient({ chain: foundry, transport: http(chain.url), account });
    const confirm = async (hash: Hex): Promise<TransactionReceipt> => {
      const receipt = await chain.client.waitForTransactionReceipt({ hash, pollingInterval: 5 });
      if (receipt.status !== "success") throw new Error(`bench transaction ${hash} reverted`);
      return receipt;
    };
    const ownerWallet = wallet(owner);

    // ---- 20 payers with gas and SOVR, each the payee of others' orders.
    const payers = Array.from({ length: ACCOUNTS }, () => privateKeyToAccount(generatePrivateKey()));
    for (const payer of payers) {
      await confirm(await ownerWallet.sendTransaction({ to: payer.address, value: parseEther("10") }));
      await confirm(
        await ownerWallet.writeContract({
          address: deployment.credit,
          abi: sovrCreditAbi,
          functionName: "issueTo",
          args: [newTransferId(), payer.address, 1_000_000_000n, ZERO32],
        }),
      );
    }
    const primary = (address: Address) =>
      chain.client.readContract({ address: deployment.ledger, abi: sovrLedgerAbi, functionName: "primaryAccountId", args: [address] });
    const payerAccounts = await Promise.all(payers.map((payer) => primary(payer.address)));
    const startAt = (await chain.client.getBlock()).timestamp + BigInt(START_AHEAD_S);
    console.log(`bench keeper: creating ${CHARGES} monthly orders among ${ACCOUNTS} payers...`);
    for (let i = 0; i < CHARGES; i++) {
      const from = i % ACCOUNTS;
      let to = (i * 7 + 3) % ACCOUNTS;
      if (to === from) to = (i + 1) % ACCOUNTS;
      await confirm(
        await wallet(payers[from]!).writeContract({
          address: deployment.orders,
          abi: sovrOrdersAbi,
          functionName: "createOrder",
          args: [
            payerAccounts[to]!,
            1_000_000n + BigInt(i),
            2_000_000n,
            { startAt: Number(startAt), every: 1, unit: periodUnits.indexOf("Months"), periods: 12, endAt: 0 },
            { retries: 3, retryEvery: 86_400 },
          ],
        }),
      );
    }

    // ---- the baseline: the same number of plain transfers in batches of 100 among 20 accounts of one owner.
    const ownAccounts = Array.from({ length: ACCOUNTS }, (_, i) => BigInt(100 + i));
    for (const id of ownAccounts) {
      await confirm(
        await ownerWallet.writeContract({
          address: deployment.ledger,
          abi: sovrLedgerAbi,
          functionName: "createAccount",
          args: [id, sovrCodes.LEDGER_USD, sovrCodes.ACCOUNT_HOLDER, sovrCodes.DEBITS_MUST_NOT_EXCEED_CREDITS],
        }),
      );
      await confirm(
        await ownerWallet.writeContract({
          address: deployment.credit,
          abi: sovrCreditAbi,
          functionName: "issue",
          args: [newTransferId(), id, 1_000_000_000n, ZERO32],
        }),
      );
    }
    const baselineStarted = Date.now();
    const baselineSettled: number[] = [];
    let baselineGas = 0n;
    let baselineTransactions = 0;
    for (let at = 0; at < CHARGES; at += DEFAULT_CHARGE_BATCH) {
      const batch = Array.from({ length: Math.min(DEFAULT_CHARGE_BATCH, CHARGES - at) }, (_, k) => {
        const i = at + k;
        const from = i % ACCOUNTS;
        let to = (i * 7 + 3) % ACCOUNTS;
        if (to === from) to = (i + 1) % ACCOUNTS;
        return {
          id: newTransferId(),
          debitAccountId: ownAccounts[from]!,
          creditAccountId: ownAccounts[to]!,
          amount: 1_000_000n + BigInt(i),
          pendingId: 0n,
          userData: ZERO32,
          timeout: 0,
          ledger: sovrCodes.LEDGER_USD,
          code: sovrCodes.TRANSFER_PAYMENT,
          flags: 0,
        };
      });
      const receipt = await confirm(
        await ownerWallet.writeContract({ address: deployment.ledger, abi: sovrLedgerAbi, functionName: "createTransfers", args: [batch] }),
      );
      baselineGas += receipt.gasUsed;
      baselineTransactions += 1;
      const settledAt = Date.now();
      for (let k = 0; k < batch.length; k++) baselineSettled.push(settledAt - baselineStarted);
    }
    const baselineSeconds = Math.max(...baselineSettled) / 1000;

    // ---- the keeper, as `sovr up` runs it, against the real indexer.
    const indexer = spawnIndexer({
      port: await freePort(),
      rpcUrl: chain.url,
      chainId: foundry.id,
      deploymentId,
      dataDir: join(home, "indexer"),
    });
    stops.unshift(() => indexer.stop());
    await indexer.waitForBlock(await chain.client.getBlockNumber(), 300_000);
    const settledAt: number[] = [];
    let dueAt = 0;
    // The chain as `sovr up` connects to it: the local profile's polling (100 ms).
    const connection = await connectChain([chain.url]);
    const keeper = startKeeper({
      indexerUrl: indexer.url,
      client: connection.client,
      wallet: createWalletClient({ chain: connection.chain, transport: connection.transport, account: keeperAddress! }),
      ledger: deployment.ledger,
      orders: deployment.orders,
      log: (line) => {
        // One line per confirmed batch: the receipt of its charges has arrived.
        const charged = /keeper charged (\d+) due period/.exec(line);
        if (charged) for (let k = 0; k < Number(charged[1]); k++) settledAt.push(Date.now() - dueAt);
      },
    });
    stops.unshift(() => keeper.stop());
    const fromBlock = (await chain.client.getBlockNumber()) + 1n;
    await chain.client.request({ method: "evm_increaseTime" as never, params: [START_AHEAD_S] as never });
    await chain.client.request({ method: "evm_mine" as never });
    dueAt = Date.now();
    console.log(`bench keeper: ${CHARGES} charges due; waiting for the keeper...`);
    const deadline = Date.now() + 600_000;
    while (settledAt.length < CHARGES) {
      if (Date.now() > deadline) throw new Error(`the keeper charged ${settledAt.length} of ${CHARGES} within 600 s`);
      await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    }
    const seconds = Math.max(...settledAt) / 1000;

    // The keeper's transactions, from the chain: each charge batch it sent to SovrOrders.
    let gas = 0n;
    let transactions = 0;
    const head = await chain.client.getBlockNumber();
    for (let number = fromBlock; number <= head; number++) {
      const block = await chain.client.getBlock({ blockNumber: number, includeTransactions: true });
      for (const tx of block.transactions) {
        if (tx.from.toLowerCase() !== keeperAddress!.toLowerCase() || tx.to?.toLowerCase() !== deployment.orders.toLowerCase()) continue;
        gas += (await chain.client.getTransactionReceipt({ hash: tx.hash })).gasUsed;
        transactions += 1;
      }
    }
    const gasPerCharge = Math.round(Number(gas) / CHARGES);
    const baselinePerTransfer = Math.round(Number(baselineGas) / CHARGES);
    const baselineOf = `${CHARGES} plain ledger transfers sent by hand in batches of ${DEFAULT_CHARGE_BATCH} among ${ACCOUNTS} accounts, same chain, same run`;
    return writeBench("keeper", [
      benchMetric(
        "keeper.chargesPerSec",
        Number((CHARGES / seconds).toFixed(1)),
        "charges/s",
        Number((CHARGES / baselineSeconds).toFixed(1)),
        {
          baselineOf,
        },
      ),
      benchMetric("keeper.transactions", transactions, "transactions", baselineTransactions, { baselineOf }),
      benchMetric("keeper.gasPerCharge", gasPerCharge, "gas", baselinePerTransfer, {
        baselineOf: `transfer.batch100: ${baselineOf}`,
        target: { op: "<=", value: TARGET_GAS_RATIO, on: "ratio" },
      }),
      benchMetric("keeper.lagP99Ms", percentile(settledAt, 99), "ms", percentile(baselineSettled, 99), {
        baselineOf: `from the first batch sent to each transfer's receipt: ${baselineOf}`,
      }),
    ]);
  } finally {
    for (const stop of stops) await stop();
    rmSync(home, { recursive: true, force: true });
    removeDeployment(deploymentId);
  }
}

runKeeperBench().then(
  (met) => process.exit(met ? 0 : 1),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);

/**
 * Keeper: releases pending transfers whose timeout has passed (TigerBeetle expires them by itself;
 * on-chain someone has to call `expirePendingTransfers`). Finds them in the index, checks the clock
 * against the chain's latest block, and sends one transaction per batch from the supervisor's key.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { sovrLedgerAbi } from "@sovr/contracts";
import { fields, IndexerClient } from "@sovr/indexer/client";
import { type HostWallet, sendHostTransaction } from "@sovr/runtime/transactions";
import { type Address, encodeFunctionData, type PublicClient } from "viem";
import { z } from "zod";

/** Ids per transaction: each expiry costs ~15k gas. */
const BATCH = 100;

export type KeeperOptions = {
  indexerUrl: string;
  client: PublicClient;
  wallet: HostWallet;
  ledger: Address;
  /** How long its transaction may stay unmined before it is replaced with higher fees. */
  stuckAfterMs?: number;
  intervalMs?: number;
  log: (line: string) => void;
};

export type Keeper = {
  /** One pass: expires what is overdue now; resolves with how many were released. */
  tick(): Promise<number>;
  stop(): Promise<void>;
};

const overdueShape = z.object({ pendingTransfers: z.object({ items: z.array(z.object({ id: fields.bigint })) }) });

export function startKeeper(options: KeeperOptions): Keeper {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let lastError = "";

  const indexer = new IndexerClient(options.indexerUrl, { timeoutMs: 10_000 });

  async function overdueIds(now: bigint): Promise<bigint[]> {
    const data = await indexer.graphql(
      `query ($now: BigInt, $limit: Int) {
        pendingTransfers(where: { status: "pending", expiresAt_lte: $now }, orderBy: "expiresAt", limit: $limit) { items { id } }
      }`,
      { now: now.toString(), limit: BATCH },
      overdueShape,
    );
    return data.pendingTransfers.items.map((item) => item.id);
  }

  async function tick(): Promise<number> {
    const head = await options.client.getBlock({ blockTag: "latest" });
    const ids = await overdueIds(head.timestamp);
    if (ids.length === 0) return 0;
    const { request, result } = await options.client.simulateContract({
      address: options.ledger,
      abi: sovrLedgerAbi,
      functionName: "expirePendingTransfers",
      args: [ids],
      account: options.wallet.account,
    });
    // The index may lag a release that already happened: nothing left to do.
    if (result === 0n) return 0;
    const receipt = await sendHostTransaction(
      options.client,
      options.wallet,
      { to: options.ledger, data: encodeFunctionData(request) },
      { ...(options.stuckAfterMs ? { stuckAfterMs: options.stuckAfterMs } : {}), log: options.log },
    );
    if (receipt.status !== "success") throw new Error(`expirePendingTransfers reverted in ${receipt.transactionHash}`);
    options.log(`sovr: keeper released ${result} overdue pending transfer${result === 1n ? "" : "s"}`);
    return Number(result);
  }

  const loop = async () => {
    while (!stopped) {
      running = tick().then(
        () => (lastError = ""),
        (error: unknown) => {
          const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
          // Say a problem once, not every interval.
          if (message !== lastError) options.log(`sovr: keeper: ${message}`);
          lastError = message;
        },
      );
      await running;
      await sleep(options.intervalMs ?? 1000);
    }
  };
  void loop();

  return {
    tick,
    async stop() {
      stopped = true;
      await running;
    },
  };
}

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createWalletClient, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_STATE_INTERVAL_SECONDS, startLocalChain } from "./chain.ts";
import { freePort } from "./ports.ts";
import { pollUntil } from "./process.ts";

const KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const stateDir = mkdtempSync(join(tmpdir(), "sovr-chain-"));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

/** Slack for the snapshot itself to be written after its interval elapses. */
const SNAPSHOT_SLACK_MS = 1_000;
/** How long to keep mining before the kill. */
const MINING_MS = 4_000;

describe("local chain durability", () => {
  it(`after kill -9 keeps every block mined more than ${DEFAULT_STATE_INTERVAL_SECONDS} s (+ write time) before the kill`, async () => {
    const port = await freePort();
    const options = { port, stateDir, stateIntervalSeconds: DEFAULT_STATE_INTERVAL_SECONDS };
    const chain = await startLocalChain(options);
    const wallet = createWalletClient({ chain: foundry, transport: http(chain.url), account: privateKeyToAccount(KEY) });

    const minedAt = new Map<bigint, number>();
    const started = Date.now();
    while (Date.now() - started < MINING_MS) {
      const hash = await wallet.sendTransaction({ to: "0x000000000000000000000000000000000000dEaD", value: 1n });
      const receipt = await chain.client.waitForTransactionReceipt({ hash, pollingInterval: 20 });
      minedAt.set(receipt.blockNumber, Date.now());
    }
    const lastMined = [...minedAt.keys()].reduce((a, b) => (a > b ? a : b));
    process.kill(chain.service.ref.pid, "SIGKILL");
    const killedAt = Date.now();
    await chain.service.exited;

    const restarted = await startLocalChain(options);
    const head = await restarted.client.getBlockNumber();
    await restarted.stop();

    const lostBlocks = Number(lastMined - head);
    const firstLost = minedAt.get(head + 1n);
    const lostWindowMs = firstLost === undefined ? 0 : killedAt - firstLost;
    console.log(
      `kill -9 after ${minedAt.size} blocks in ${MINING_MS} ms: lost ${lostBlocks} block(s), ` +
        `the last ${lostWindowMs} ms before the kill (snapshot interval ${DEFAULT_STATE_INTERVAL_SECONDS} s)`,
    );
    expect(head).toBeGreaterThan(0n);
    expect(head).toBeLessThanOrEqual(lastMined);
    for (const [block, at] of minedAt) {
      if (killedAt - at > DEFAULT_STATE_INTERVAL_SECONDS * 1000 + SNAPSHOT_SLACK_MS) expect(block).toBeLessThanOrEqual(head);
    }
    expect(lostWindowMs).toBeLessThanOrEqual(DEFAULT_STATE_INTERVAL_SECONDS * 1000 + SNAPSHOT_SLACK_MS);
  });

  it("loses nothing on a clean stop (SIGTERM writes the state)", async () => {
    const port = await freePort();
    const options = { port, stateDir: join(stateDir, "clean"), stateIntervalSeconds: 3600 };
    const chain = await startLocalChain(options);
    const wallet = createWalletClient({ chain: foundry, transport: http(chain.url), account: privateKeyToAccount(KEY) });
    const hash = await wallet.sendTransaction({ to: "0x000000000000000000000000000000000000dEaD", value: 5n });
    const receipt = await chain.client.waitForTransactionReceipt({ hash });
    await chain.stop();

    const restarted = await startLocalChain(options);
    expect(await restarted.client.getBlockNumber()).toBe(receipt.blockNumber);
    expect((await restarted.client.getTransactionReceipt({ hash })).status).toBe("success");
    await restarted.stop();
  });

  it("starts from the last whole snapshot when a hard stop cut the state file off mid-write", async () => {
    const port = await freePort();
    const options = { port, stateDir: join(stateDir, "cut"), stateIntervalSeconds: 1 };
    const chain = await startLocalChain(options);
    const wallet = createWalletClient({ chain: foundry, transport: http(chain.url), account: privateKeyToAccount(KEY) });
    const hash = await wallet.sendTransaction({ to: "0x000000000000000000000000000000000000dEaD", value: 7n });
    const receipt = await chain.client.waitForTransactionReceipt({ hash });
    const last = `${chain.stateFile}.last`;
    // The copy aside holds the transaction once a snapshot after it was written whole.
    await pollUntil(async () => (existsSync(last) && readFileSync(last, "utf8").includes(hash.slice(2)) ? true : undefined), {
      timeoutMs: 10_000,
      failure: () => new Error("no whole snapshot was copied aside"),
    });
    process.kill(chain.service.ref.pid, "SIGKILL");
    await chain.service.exited;
    const whole = readFileSync(chain.stateFile, "utf8");
    writeFileSync(chain.stateFile, whole.slice(0, whole.length / 2));

    const restarted = await startLocalChain(options);
    expect((await restarted.client.getTransactionReceipt({ hash })).blockNumber).toBe(receipt.blockNumber);
    await restarted.stop();
  });

  it("moves an unreadable state file aside and starts empty when no whole snapshot exists", async () => {
    const port = await freePort();
    const dir = join(stateDir, "unreadable");
    const options = { port, stateDir: dir, stateIntervalSeconds: 3600 };
    const first = await startLocalChain(options);
    await first.stop();
    writeFileSync(first.stateFile, '{"block":{"number":');

    const restarted = await startLocalChain(options);
    expect(await restarted.client.getBlockNumber()).toBe(0n);
    await restarted.stop();
    const aside = readdirSync(dir).filter((name) => name.startsWith("state.json.broken-"));
    expect(aside).toHaveLength(1);
    expect(statSync(join(dir, aside[0] as string)).size).toBeGreaterThan(0);
  });
});

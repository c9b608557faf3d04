/** A host transaction priced under the chain's fees is replaced with higher fees until it is mined. */
import { createWalletClient, encodeFunctionData, http, parseAbi, parseEther, parseGwei } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalChain, startLocalChain } from "./chain.ts";
import { freePort } from "./ports.ts";
import { sendHostTransaction, settleHostTransaction, submitHostTransaction } from "./transactions.ts";

let chain: LocalChain;
beforeAll(async () => {
  chain = await startLocalChain({ port: await freePort() });
});
afterAll(() => chain?.stop());

describe("host transactions", () => {
  it("replaces a transaction the fees left behind, with the same nonce and higher fees, and returns the mined one", async () => {
    const [first] = await createWalletClient({ transport: http(chain.url) }).getAddresses();
    const funder = createWalletClient({ chain: foundry, transport: http(chain.url), account: first! });
    const account = privateKeyToAccount(generatePrivateKey());
    await chain.client.waitForTransactionReceipt({ hash: await funder.sendTransaction({ to: account.address, value: parseEther("1") }) });
    const wallet = createWalletClient({ chain: foundry, transport: http(chain.url), account });
    // Priced now; then the next block's base fee jumps far above the first version's cap and decays
    // block by block (12.5% per empty block) while the test mines a block every half second.
    await chain.client.request({ method: "evm_setAutomine" as never, params: [false] as never });
    const lines: string[] = [];
    const sending = sendHostTransaction(
      chain.client,
      wallet,
      { to: account.address, data: encodeFunctionData({ abi: parseAbi(["function ping()"]), functionName: "ping" }), gas: 30_000n },
      { stuckAfterMs: 2_000, maxReplacements: 20, log: (line) => lines.push(line) },
    );
    // Only once the first version waits in the pool, priced for the fees of now.
    for (;;) {
      const pool = (await chain.client.request({ method: "txpool_status" as never })) as { pending: string };
      if (Number(pool.pending) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await chain.client.request({
      method: "anvil_setNextBlockBaseFeePerGas" as never,
      params: [`0x${parseGwei("50").toString(16)}`] as never,
    });
    const miner = setInterval(() => void chain.client.request({ method: "evm_mine" as never }).catch(() => undefined), 500);
    const receipt = await sending.finally(() => clearInterval(miner));
    expect(receipt.status).toBe("success");
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/unmined after 2 s: replaced by 0x[0-9a-f]{64} \(nonce 0, max fee \d+ wei\/gas\)/);
    const mined = await chain.client.getTransaction({ hash: receipt.transactionHash });
    expect(mined.nonce).toBe(0);
    expect(mined.maxFeePerGas! > parseGwei("2")).toBe(true);
    expect(await chain.client.getTransactionCount({ address: account.address })).toBe(1);
  }, 90_000);

  it("replaces every transaction of a batch sent in a row when the first is left behind", async () => {
    const [first] = await createWalletClient({ transport: http(chain.url) }).getAddresses();
    const funder = createWalletClient({ chain: foundry, transport: http(chain.url), account: first! });
    const account = privateKeyToAccount(generatePrivateKey());
    await chain.client.request({ method: "evm_setAutomine" as never, params: [true] as never });
    await chain.client.waitForTransactionReceipt({ hash: await funder.sendTransaction({ to: account.address, value: parseEther("1") }) });
    const wallet = createWalletClient({ chain: foundry, transport: http(chain.url), account });
    await chain.client.request({ method: "evm_setAutomine" as never, params: [false] as never });
    const data = encodeFunctionData({ abi: parseAbi(["function ping()"]), functionName: "ping" });
    // Nonces 0, 1 and 2 in the pool before any is mined, as the guardian sends a batch of verdicts.
    const batch = [];
    for (const nonce of [0, 1, 2]) batch.push(await submitHostTransaction(wallet, { to: account.address, data, gas: 30_000n, nonce }));
    await chain.client.request({
      method: "anvil_setNextBlockBaseFeePerGas" as never,
      params: [`0x${parseGwei("50").toString(16)}`] as never,
    });
    const lines: string[] = [];
    const miner = setInterval(() => void chain.client.request({ method: "evm_mine" as never }).catch(() => undefined), 500);
    const receipts = await Promise.all(
      batch.map((submitted) =>
        settleHostTransaction(chain.client, wallet, submitted, {
          stuckAfterMs: 2_000,
          maxReplacements: 20,
          log: (line) => lines.push(line),
        }),
      ),
    ).finally(() => clearInterval(miner));
    expect(receipts.map((receipt) => receipt.status)).toEqual(["success", "success", "success"]);
    const nonces = await Promise.all(
      receipts.map(async (receipt) => (await chain.client.getTransaction({ hash: receipt.transactionHash })).nonce),
    );
    expect(nonces).toEqual([0, 1, 2]);
    for (const nonce of [0, 1, 2]) expect(lines.some((line) => line.includes(`(nonce ${nonce},`))).toBe(true);
    expect(await chain.client.getTransactionCount({ address: account.address })).toBe(3);
  }, 120_000);
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pendingStatuses, type SovrDeployment, sovrCodes, sovrCreditAbi, sovrLedgerAbi } from "@sovr/contracts";
import { type IndexerProcess, spawnIndexer } from "@sovr/indexer/process";
import { type LocalChain, startLocalChain } from "@sovr/runtime/chain";
import { deployForTest, freePort, removeDeployment } from "@sovr/runtime/testing";
import { type Address, createWalletClient, type Hex, http } from "viem";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Keeper, startKeeper } from "./keeper.ts";

const ZERO32: Hex = `0x${"00".repeat(32)}`;
const home = mkdtempSync(join(tmpdir(), "sovr-keeper-"));
const deploymentId = `sovr-test-keeper-${process.pid}`;
let chain: LocalChain;
let deployment: SovrDeployment;
let indexer: IndexerProcess;
let keeper: Keeper | undefined;
let owner: Address;
let supervisorKey: Address;
let alice: Address;
let bob: Address;

beforeAll(async () => {
  chain = await startLocalChain({ port: await freePort(), stateDir: join(home, "chain"), stateIntervalSeconds: 60 });
  ({ deployment } = await deployForTest(chain, deploymentId));
  [owner, supervisorKey, , alice, bob] = (await createWalletClient({ transport: http(chain.url) }).getAddresses()) as Address[] as [
    Address,
    Address,
    Address,
    Address,
    Address,
  ];
  indexer = spawnIndexer({ port: await freePort(), rpcUrl: chain.url, chainId: foundry.id, deploymentId, dataDir: join(home, "indexer") });
}, 180_000);

afterAll(async () => {
  await keeper?.stop();
  await indexer?.stop();
  await chain?.stop();
  rmSync(home, { recursive: true, force: true });
  removeDeployment(deploymentId);
});

async function send(
  from: Address,
  address: Address,
  abi: typeof sovrLedgerAbi | typeof sovrCreditAbi,
  functionName: string,
  args: unknown[],
) {
  const wallet = createWalletClient({ chain: foundry, transport: http(chain.url), account: from });
  const hash = await wallet.writeContract({ address, abi, functionName, args } as never);
  expect((await chain.client.waitForTransactionReceipt({ hash })).status).toBe("success");
}

const statusOf = async (id: bigint) =>
  pendingStatuses[
    (await chain.client.readContract({ address: deployment.ledger, abi: sovrLedgerAbi, functionName: "getTransfer", args: [id] })).status
  ];

describe("keeper", () => {
  it("releases overdue pending transfers and leaves the others", async () => {
    const ledgerOf = (holder: Address) =>
      chain.client.readContract({ address: deployment.ledger, abi: sovrLedgerAbi, functionName: "primaryAccountId", args: [holder] });
    const [aliceAccount, bobAccount] = [await ledgerOf(alice), await ledgerOf(bob)];
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

    const wallet = createWalletClient({ chain: foundry, transport: http(chain.url), account: supervisorKey });
    const lines: string[] = [];
    keeper = startKeeper({
      indexerUrl: indexer.url,
      client: chain.client,
      wallet,
      ledger: deployment.ledger,
      intervalMs: 200,
      log: (line) => lines.push(line),
    });
    await indexer.waitForBlock(await chain.client.getBlockNumber());
    expect(await statusOf(10n)).toBe("Pending");

    await chain.client.request({ method: "evm_increaseTime" as never, params: [10] as never });
    await chain.client.request({ method: "evm_mine" as never });
    const deadline = Date.now() + 30_000;
    while ((await statusOf(11n)) !== "Expired" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

    expect(await Promise.all([10n, 11n, 12n, 13n].map(statusOf))).toEqual(["Expired", "Expired", "Pending", "Pending"]);
    expect(lines).toContain("sovr: keeper released 2 overdue pending transfers");
    const account = await chain.client.readContract({
      address: deployment.ledger,
      abi: sovrLedgerAbi,
      functionName: "getAccount",
      args: [aliceAccount],
    });
    expect(account.debitsPending).toBe(2_000n);
  });
});

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sovrCreditAbi, sovrLedgerAbi, sovrTokenAbi } from "@sovr/contracts";
import { freePort, removeDeployment } from "@sovr/runtime/testing";
import { type Address, createPublicClient, createWalletClient, type Hex, http, parseAbiItem } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { cliScript, exitOf, sidePorts, spawnUp, stopAllUp } from "./stack.ts";

/** Anvil's first well-known account: the owner on the local chain. */
const OWNER_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const HOLDER: Address = "0x000000000000000000000000000000000000bEEF";

const home = mkdtempSync(join(tmpdir(), "sovr-up-"));
const deploymentId = `sovr-test-up-${process.pid}`;
afterAll(async () => {
  await stopAllUp();
  rmSync(home, { recursive: true, force: true });
  removeDeployment(deploymentId);
});

async function indexedTransferIds(indexerPort: number): Promise<string[]> {
  const response = await fetch(`http://127.0.0.1:${indexerPort}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ transfers { items { id } } }" }),
  });
  const body = (await response.json()) as { data: { transfers: { items: { id: string }[] } } };
  return body.data.transfers.items.map((item) => item.id);
}

/** `/api/reconcile`, asked again while it answers 503 (the guardian's verdicts keep the chain moving). */
async function reconciled(indexerPort: number) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await fetch(`http://127.0.0.1:${indexerPort}/api/reconcile`);
    const body = (await response.json()) as { ok: boolean; differences: unknown[]; error?: string };
    if (response.status !== 503 || Date.now() > deadline) return { ok: body.ok, differences: body.differences, error: body.error };
    await new Promise((r) => setTimeout(r, 200));
  }
}

function addressesFrom(output: string) {
  const pick = (label: string) => new RegExp(`${label}\\s+(0x[0-9a-fA-F]{40})`).exec(output)?.[1] as Address;
  return { ledger: pick("ledger"), credit: pick("credit"), token: pick("token"), relay: pick("relay"), owner: pick("owner") };
}

describe("sovr up (pnpm start)", () => {
  // A failed assertion skips a test's own stop; a sovr up left running would refuse the next test's.
  afterEach(() => stopAllUp());

  it("starts the chain, deploys once, and finds balances, transfers and blocks as they were after a restart", async () => {
    const port = await freePort();
    const indexerPort = await freePort();
    const env = {
      SOVR_HOME: home,
      SOVR_CHAIN_PORT: String(port),
      SOVR_INDEXER_PORT: String(indexerPort),
      ...(await sidePorts()),
      SOVR_DEPLOYMENT_ID: deploymentId,
    };

    const first = spawnUp(env);
    await first.waitFor(/press Ctrl-C to stop\./i);
    const deployed = addressesFrom(first.output());
    expect(deployed.owner).toBe(privateKeyToAccount(OWNER_KEY).address);
    expect(first.output()).toContain(`http://127.0.0.1:${port}`);
    expect(first.output()).toContain(`indexer  http://127.0.0.1:${indexerPort}`);
    expect(first.output()).toContain(`guardian http://127.0.0.1:${env.SOVR_GUARDIAN_PORT}`);
    expect(first.output()).toMatch(
      /supervising sovr chain, sovr indexer, sovr guardian, sovr supervisor, sovr web, sovr contracts, sovr keeper, sovr notifier, sovr assistant, host keys, host; press Ctrl-C/,
    );

    const transport = http(`http://127.0.0.1:${port}`);
    const client = createPublicClient({ chain: foundry, transport });
    const wallet = createWalletClient({ chain: foundry, transport, account: privateKeyToAccount(OWNER_KEY) });
    const issue = await wallet.writeContract({
      address: deployed.credit,
      abi: sovrCreditAbi,
      functionName: "issueTo",
      args: [77n, HOLDER, 12_340_000n, `0x${"00".repeat(32)}`],
    });
    expect((await client.waitForTransactionReceipt({ hash: issue })).status).toBe("success");
    const headBefore = await client.getBlock();
    const balanceBefore = await client.readContract({
      address: deployed.token,
      abi: sovrTokenAbi,
      functionName: "balanceOf",
      args: [HOLDER],
    });
    expect(balanceBefore).toBe(12_340_000n);

    first.child.kill("SIGINT");
    expect(await exitOf(first.child)).toBe(0);
    const lastLine = first.output().trim().split("\n").at(-1);
    expect(lastLine).toMatch(
      /^sovr: stopped notifier, assistant, guardian, indexer, web app, chain; the chain's state is saved in .+state\.json$/,
    );

    const second = spawnUp(env);
    await second.waitFor(/press Ctrl-C to stop\./i);
    expect(addressesFrom(second.output())).toEqual(deployed);
    expect(second.output()).not.toContain("afresh");
    // The same chain: every block up to the old head is still there (the supervisor may have added beats since).
    const sameHead = await client.getBlock({ blockNumber: headBefore.number });
    expect(sameHead.hash).toBe(headBefore.hash);
    expect(await client.readContract({ address: deployed.token, abi: sovrTokenAbi, functionName: "balanceOf", args: [HOLDER] })).toBe(
      balanceBefore,
    );
    const transfers = await client.getLogs({
      address: deployed.ledger,
      event: parseAbiItem(
        "event TransferCreated(uint128 indexed id, uint128 indexed debitAccountId, uint128 indexed creditAccountId, uint128 amount, uint128 pendingId, bytes32 userData, uint96 details)",
      ),
      fromBlock: 0n,
    });
    expect(transfers.map((log) => log.args.id)).toEqual([77n]);
    const primary = await client.readContract({
      address: deployed.ledger,
      abi: sovrLedgerAbi,
      functionName: "primaryAccountId",
      args: [HOLDER],
    });
    const account = await client.readContract({
      address: deployed.ledger,
      abi: sovrLedgerAbi,
      functionName: "getAccount",
      args: [primary],
    });
    expect(account.creditsPosted).toBe(12_340_000n);

    // The index survived the restart (not rebuilt) and holds the transfer, matching the chain.
    expect(second.output()).not.toContain("rebuilt the indexer's database");
    expect(await indexedTransferIds(indexerPort)).toEqual(["77"]);
    expect(await reconciled(indexerPort)).toEqual({ ok: true, differences: [], error: undefined });

    // The CLI reads the running stack.
    const sovr = (...args: string[]) =>
      spawnSync(process.execPath, [cliScript, ...args], {
        env: { ...process.env, SOVR_INDEXER_PORT: String(indexerPort) },
        encoding: "utf8",
      });
    const status = sovr("status");
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(/^overall {3}(OPERATIONAL|DEGRADED)/);
    expect(status.stdout).toMatch(/sovr chain \* +ONLINE/);
    const statusJson = JSON.parse(sovr("status", "--json").stdout) as { components: { name: string }[] };
    expect(statusJson.components.map((c) => c.name)).toEqual([
      "sovr chain",
      "sovr indexer",
      "sovr guardian",
      "sovr supervisor",
      "sovr web",
      "sovr contracts",
      "sovr keeper",
      "sovr notifier",
      "sovr assistant",
      "host keys",
      "host",
    ]);
    const reconciliation = sovr("reconcile");
    expect(reconciliation.status).toBe(0);
    expect(reconciliation.stdout).toMatch(/^reconcile at block \d+: no differences/);
    const wrong = sovr("transfer-all-the-money");
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toBe(
      'sovr: unknown verb "transfer-all-the-money"; verbs: status, accounts, transfer, pending, issue, redeem, credit-line, invoice, order, plan, commitment, keeper, components, control, signal, verdicts, ack, label, maintenance, notify, secret, ask, keys, reconcile, deploy (pnpm sovr --help)\n',
    );

    second.child.kill("SIGTERM");
    expect(await exitOf(second.child)).toBe(0);
    const unreachable = sovr("status");
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toBe(
      `sovr: no indexer answers at http://127.0.0.1:${indexerPort}; is \`pnpm start\` running? (SOVR_INDEXER_URL)\n`,
    );
  });

  it("says in one line that the chain port is taken, and exits non-zero", async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen({ port, host: "127.0.0.1" }, () => r()));
    try {
      const up = spawnUp({ SOVR_HOME: home, SOVR_CHAIN_PORT: String(port), SOVR_DEPLOYMENT_ID: deploymentId });
      expect(await exitOf(up.child)).toBe(1);
      const lines = up.output().trim().split("\n");
      expect(lines.at(-1)).toBe(`sovr: port ${port} for the chain is already in use; set SOVR_CHAIN_PORT to a free port`);
    } finally {
      blocker.close();
    }
  });

  it("refuses a broken host configuration before starting anything, naming the file, the field and the reason", async () => {
    const configFile = join(home, "sovr.config.json");
    writeFileSync(
      configFile,
      JSON.stringify({ components: [{ name: "api", kind: "CORE_BACKEND", health: { type: "http", url: "not a url" } }] }),
    );
    const up = spawnUp({
      SOVR_HOME: home,
      SOVR_CONFIG: configFile,
      SOVR_CHAIN_PORT: String(await freePort()),
      SOVR_DEPLOYMENT_ID: deploymentId,
    });
    expect(await exitOf(up.child)).toBe(1);
    expect(up.output().trim()).toBe("sovr: sovr.config.json: components[0].health.url: must be an http(s) URL");
  });

  it("rejects a malformed port setting with one readable line", async () => {
    const up = spawnUp({ SOVR_HOME: home, SOVR_CHAIN_PORT: "eighty", SOVR_DEPLOYMENT_ID: deploymentId });
    expect(await exitOf(up.child)).toBe(1);
    expect(up.output().trim()).toBe('sovr: SOVR_CHAIN_PORT must be a port number between 1 and 65535, not "eighty"');
  });

  it("stops what has started on a Ctrl-C while it starts, with its one line and exit status 0", async () => {
    const up = spawnUp({
      SOVR_HOME: home,
      SOVR_CHAIN_PORT: String(await freePort()),
      SOVR_INDEXER_PORT: String(await freePort()),
      ...(await sidePorts()),
      SOVR_DEPLOYMENT_ID: deploymentId,
    });
    await up.waitFor(/starting the indexer on/);
    up.child.kill("SIGINT");
    expect(await exitOf(up.child)).toBe(0);
    const lines = up.output().trim().split("\n");
    expect(lines.at(-1)).toMatch(/^sovr: stopped (indexer, )?chain; the chain's state is saved in \S+chain\/state\.json$/);
    expect(up.output()).not.toMatch(/exited|stopped while syncing/);
  });

  it("redeploys and rebuilds the index when the chain was reset under an old deployment", async () => {
    const port = await freePort();
    const indexerPort = await freePort();
    try {
      // The first test left a deployment and an index for its chain; without the chain's state the chain is new.
      rmSync(join(home, "chain"), { recursive: true, force: true });
      const up = spawnUp({
        SOVR_HOME: home,
        SOVR_CHAIN_PORT: String(port),
        SOVR_INDEXER_PORT: String(indexerPort),
        ...(await sidePorts()),
        SOVR_DEPLOYMENT_ID: deploymentId,
      });
      await up.waitFor(/press Ctrl-C to stop\./i);
      expect(up.output()).toContain("deployed the contracts afresh");
      expect(up.output()).toContain("rebuilt the indexer's database");
      expect(await indexedTransferIds(indexerPort)).toEqual([]);
      expect(await reconciled(indexerPort)).toEqual({ ok: true, differences: [], error: undefined });
      const { ledger } = addressesFrom(up.output());
      const client = createPublicClient({ chain: foundry, transport: http(`http://127.0.0.1:${port}`) });
      expect(await client.getCode({ address: ledger })).toMatch(/^0x[0-9a-f]{100,}/);
      up.child.kill("SIGINT");
      expect(await exitOf(up.child)).toBe(0);
    } finally {
      rmSync(join(home, "chain"), { recursive: true, force: true });
    }
  });

  it("refuses a second sovr up on the same home, and after a SIGKILL the next one stops what the first left running", async () => {
    const killedHome = mkdtempSync(join(tmpdir(), "sovr-killed-"));
    const ports = async () => ({
      SOVR_HOME: killedHome,
      SOVR_CHAIN_PORT: String(await freePort()),
      SOVR_INDEXER_PORT: String(await freePort()),
      ...(await sidePorts()),
      SOVR_DEPLOYMENT_ID: `${deploymentId}-killed`,
    });
    try {
      const firstEnv = await ports();
      const first = spawnUp(firstEnv);
      await first.waitFor(/press Ctrl-C to stop\./i);
      const client = createPublicClient({ chain: foundry, transport: http(`http://127.0.0.1:${firstEnv.SOVR_CHAIN_PORT}`) });
      const firstBlock = await client.getBlock({ blockNumber: 1n });

      const second = spawnUp(await ports());
      expect(await exitOf(second.child)).toBe(1);
      expect(second.output().trim().split("\n").at(-1)).toBe(
        `sovr: another sovr up (pid ${first.child.pid}) is running on ${killedHome}; stop it first`,
      );

      first.child.kill("SIGKILL");
      await exitOf(first.child);
      const third = spawnUp(firstEnv);
      await third.waitFor(/press Ctrl-C to stop\./i);
      for (const service of ["notifier", "assistant", "guardian", "indexer", "chain"]) {
        expect(third.output()).toMatch(new RegExp(`stopped the ${service} an earlier sovr up left running \\(pid \\d+\\)`));
      }
      // The chain stopped cleanly (SIGTERM) and came back with its history.
      expect((await client.getBlock({ blockNumber: 1n })).hash).toBe(firstBlock.hash);
      expect(third.output()).not.toContain("afresh");
      third.child.kill("SIGINT");
      expect(await exitOf(third.child)).toBe(0);
    } finally {
      rmSync(killedHome, { recursive: true, force: true });
      removeDeployment(`${deploymentId}-killed`);
    }
  });

  it("says in one line that the indexer port is taken, stops the chain, and exits non-zero", async () => {
    const blocker = createServer();
    const indexerPort = await freePort();
    await new Promise<void>((r) => blocker.listen({ port: indexerPort, host: "127.0.0.1" }, () => r()));
    try {
      const up = spawnUp({
        SOVR_HOME: home,
        SOVR_CHAIN_PORT: String(await freePort()),
        SOVR_INDEXER_PORT: String(indexerPort),
        SOVR_DEPLOYMENT_ID: deploymentId,
      });
      expect(await exitOf(up.child)).toBe(1);
      expect(up.output().trim().split("\n").at(-1)).toBe(
        `sovr: port ${indexerPort} for the indexer is already in use; set SOVR_INDEXER_PORT to a free port`,
      );
    } finally {
      blocker.close();
    }
  });
});

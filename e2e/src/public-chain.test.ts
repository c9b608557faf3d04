/**
 * The stack on a chain as it is on the internet, played by an Anvil this test starts outside sovr
 * (chain id 8453, Base's, a block a second) behind a proxy the test can cut: `pnpm sovr deploy`
 * with a freshly generated owner key, then `sovr up` attached to it with embedded Postgres and two
 * RPC URLs. A CLI transfer reaches the index, reconcile is clean, the indexer killed with SIGKILL
 * resumes with nothing lost or doubled, the first RPC URL cut for 10 s makes the chain component
 * DEGRADED while everything keeps working through the second, and it recovers by itself. In Chromium,
 * a wallet that has never seen the chain is asked to add it (EIP-3085), and transfers link to its explorer.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readDeployment } from "@sovr/contracts/deployment";
import { type LocalChain, startLocalChain } from "@sovr/runtime/chain";
import { freePort, removeDeployment } from "@sovr/runtime/testing";
import { buildWeb } from "@sovr/web/build";
import { type Address, createWalletClient, getAddress, type Hex, http, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser.ts";
import { cliScript, exitOf, sidePorts, spawnUp, stopAllUp, type UpProcess } from "./stack.ts";
import { installWallet } from "./wallet.ts";

const CHAIN_ID = 8453;
/** Anvil's account #0: funds the test's owner, and must be refused on this chain. */
const WELL_KNOWN_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const PAYEE: Address = "0x000000000000000000000000000000000000bEEF";

const home = mkdtempSync(join(tmpdir(), "sovr-public-"));
// As root, the embedded Postgres runs as user postgres and must pass through the test's home.
chmodSync(home, 0o711);
const deploymentId = `sovr-test-public-${process.pid}`;
const ownerKey = generatePrivateKey();
const owner = privateKeyToAccount(ownerKey).address;
let chain: LocalChain;
let proxy: CuttableProxy;
let env: Record<string, string>;

/** A TCP proxy to the chain that refuses connections while cut, like a provider that is down. */
type CuttableProxy = { url: string; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> };

async function startProxy(target: number): Promise<CuttableProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(target, "127.0.0.1");
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
          socket.on("error", () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, "127.0.0.1", () => resolve());
    });
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server ? server.close(() => resolve()) : resolve();
      server = undefined;
    });
  await listen();
  return { url: `http://127.0.0.1:${port}`, cut: close, restore: listen, close };
}

type Run = { code: number | null; stdout: string; stderr: string };

function sovr(args: string[], extra: Record<string, string> = {}): Promise<Run> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("SOVR_")));
  const child: ChildProcess = spawn(process.execPath, [cliScript, ...args], {
    env: { ...inherited, ...env, ...extra },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

async function graphql<T>(query: string): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${env.SOVR_INDEXER_PORT}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  return ((await response.json()) as { data: T }).data;
}

async function status() {
  const response = await fetch(`http://127.0.0.1:${env.SOVR_INDEXER_PORT}/api/status`);
  return (await response.json()) as {
    overall: string;
    components: { name: string; status: string }[];
    indexer: { chainReachable: boolean; lagBlocks: number };
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

beforeAll(async () => {
  // The browser test drives the app as sovr up serves it: the production build.
  await buildWeb();
  chain = await startLocalChain({ port: await freePort(), extraArgs: ["--chain-id", String(CHAIN_ID), "--block-time", "1"] });
  proxy = await startProxy(Number(new URL(chain.url).port));
  const funder = createWalletClient({ transport: http(chain.url), account: privateKeyToAccount(WELL_KNOWN_KEY) });
  const hash = await funder.sendTransaction({ to: owner, value: parseEther("1000"), chain: null });
  await chain.client.waitForTransactionReceipt({ hash });
  env = {
    SOVR_HOME: home,
    // The proxy first, the chain itself second: cutting the proxy leaves one URL that answers.
    SOVR_RPC_URL: `${proxy.url},${chain.url}`,
    SOVR_DEPLOYMENT_ID: deploymentId,
    SOVR_FINALITY_BLOCKS: "2",
    SOVR_INDEXER_PORT: String(await freePort()),
    ...(await sidePorts()),
    SOVR_POSTGRES_PORT: String(await freePort()),
    SOVR_DATABASE: "postgres",
    SOVR_PROBE_INTERVAL_S: "3",
  };
}, 60_000);

afterAll(async () => {
  await stopAllUp();
  await proxy?.close();
  await chain?.stop();
  rmSync(home, { recursive: true, force: true });
  removeDeployment(deploymentId);
});

describe("a public chain (Anvil as chain 8453)", () => {
  let up: UpProcess;

  it("refuses Anvil's well-known keys in one line, before anything is sent", async () => {
    const refused = await sovr(["deploy"], { SOVR_PRIVATE_KEY: WELL_KNOWN_KEY });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      "sovr: refusing Anvil's well-known account #0 (0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266) on chain 8453: its key is public, use it only on the local chain (31337)\n",
    );
    expect(existsSync(join(home, "keys"))).toBe(false);
  });

  it("sovr up without a deployment says in one line which command makes one", async () => {
    const early = spawnUp(env);
    expect(await exitOf(early.child)).toBe(1);
    expect(early.output().trim().split("\n").at(-1)).toBe(
      `sovr: SOVR is not deployed on Base (chain 8453): run \`SOVR_RPC_URL=${proxy.url},${chain.url} pnpm sovr deploy\` with the owner's key first`,
    );
  });

  it("deploys with the owner's key, registers the stack, says what the host keys need, and a re-run sends nothing", async () => {
    const dryRun = await sovr(["deploy", "--dry-run"], { SOVR_PRIVATE_KEY: ownerKey });
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toMatch(/^deploy to Base \(chain 8453\) through /);
    expect(readDeployment(CHAIN_ID, deploymentId)).toBeUndefined();

    const first = await sovr(["deploy", "--json"], { SOVR_PRIVATE_KEY: ownerKey });
    expect(first.code, first.stderr).toBe(0);
    const deployed = JSON.parse(first.stdout) as {
      owner: Address;
      gasUsed: string;
      transactions: number;
      registered: string[];
      hostKeys: { name: string; address: Address; needWei: string }[];
    };
    expect(deployed.owner).toBe(owner);
    expect(deployed.registered).toEqual([
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
    const deployment = readDeployment(CHAIN_ID, deploymentId)!;
    expect(deployment.ledger).toMatch(/^0x[0-9a-fA-F]{40}$/);
    // The owner is the admin; the guardian's host key holds GUARDIAN_ROLE (the module's parameter).
    console.log(`deploy: ${deployed.gasUsed} gas in ${deployed.transactions} transactions`);
    expect(first.stderr).toContain("waiting until the deployment is final on Base (2 blocks");

    const again = await sovr(["deploy"], { SOVR_PRIVATE_KEY: ownerKey });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("already deployed and registered, nothing sent");

    // The owner funds the host keys from its wallet, as the deploy said.
    const wallet = createWalletClient({ transport: http(chain.url), account: privateKeyToAccount(ownerKey) });
    for (const key of deployed.hostKeys) {
      expect(BigInt(key.needWei)).toBeGreaterThan(0n);
      const hash = await wallet.sendTransaction({ to: key.address, value: parseEther("1"), chain: null });
      await chain.client.waitForTransactionReceipt({ hash });
    }
  });

  it("sovr up attaches with embedded Postgres, starts no chain, and a CLI transfer reaches the index and the status", async () => {
    up = spawnUp(env);
    await up.waitFor(/press Ctrl-C to stop\./i, 150_000);
    expect(up.output()).toContain("attaching to the chain at");
    expect(up.output()).not.toContain("starting the chain");
    expect(up.output()).toContain("starting the embedded Postgres");
    expect(existsSync(join(home, "run", "chain.json"))).toBe(false);
    expect(up.output()).toMatch(/owner {4}0x[0-9a-fA-F]{40} {2}\(signs in the wallet or the CLI; this host never holds its key\)/);

    const config = (await (await fetch(`http://127.0.0.1:${env.SOVR_WEB_PORT}/config.json`)).json()) as Record<string, unknown>;
    expect(config).toMatchObject({ chainId: CHAIN_ID, chainName: "Base", explorerUrl: "https://basescan.org", owner });

    const issued = await sovr(["issue", "--to", owner, "--amount", "100.00"], { SOVR_PRIVATE_KEY: ownerKey });
    expect(issued.code, issued.stderr).toBe(0);
    const accounts = JSON.parse((await sovr(["accounts", "--owner", owner, "--json"])).stdout) as { id: string }[];
    const sent = await sovr(["transfer", "--from", accounts[0]!.id, "--to", PAYEE, "--amount", "12.34", "--json"], {
      SOVR_PRIVATE_KEY: ownerKey,
    });
    expect(sent.code, sent.stderr).toBe(0);
    const { transferId } = JSON.parse(sent.stdout) as { transferId: string };
    const found = await graphql<{ transfers: { items: { id: string; amount: string }[] } }>(
      `{ transfers(where: { id: "${transferId}" }) { items { id amount } } }`,
    );
    expect(found.transfers.items).toEqual([{ id: transferId, amount: "12340000" }]);
    const current = await until("the stack ONLINE", async () => {
      const answer = await status();
      return answer.components.every((c) => c.status === "ONLINE") ? answer : undefined;
    });
    expect(current.overall).toBe("OPERATIONAL");
    expect(current.indexer.chainReachable).toBe(true);

    const reconciled = await sovr(["reconcile"]);
    expect(reconciled.code, reconciled.stdout + reconciled.stderr).toBe(0);
  });

  it("asks a wallet that does not know the chain to add it (EIP-3085), and links transfers to the chain's explorer", async () => {
    const webUrl = `http://127.0.0.1:${env.SOVR_WEB_PORT}`;
    const config = (await (await fetch(`${webUrl}/config.json`)).json()) as { rpcUrl: string };
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const wallet = await installWallet(page, { privateKey: ownerKey, rpcUrl: chain.url, chainId: CHAIN_ID, startsOn: 1 });
      await page.goto(webUrl);
      await page.getByTestId("connect-wallet").click();
      const banner = page.getByTestId("wrong-chain");
      await banner.waitFor({ timeout: 20_000 });
      await banner.getByRole("button", { name: `Switch to chain ${CHAIN_ID}` }).click();
      await banner.waitFor({ state: "detached", timeout: 20_000 });
      expect(wallet.requests).toEqual(expect.arrayContaining(["wallet_switchEthereumChain", "wallet_addEthereumChain"]));
      expect(wallet.added).toEqual([
        {
          chainId: "0x2105",
          chainName: "Base",
          rpcUrls: [config.rpcUrl],
          blockExplorerUrls: ["https://basescan.org"],
          nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        },
      ]);
      // The CLI's transfer, opened in the Ledger: its transaction and its payee link to the explorer.
      await page.getByRole("link", { name: "Ledger", exact: true }).click();
      const row = page.locator('[data-testid^="transfer-"]', { hasText: "$12.34" }).first();
      await row.click();
      const txLink = page.getByTestId("explorer-link").first();
      expect(await txLink.getAttribute("href")).toMatch(/^https:\/\/basescan\.org\/tx\/0x[0-9a-f]{64}$/);
      await row.getByTestId("name").last().click();
      expect(await page.getByTestId("address-detail").getByTestId("explorer-link").getAttribute("href")).toBe(
        `https://basescan.org/address/${PAYEE}`,
      );
    } finally {
      await browser.close();
    }
  });

  it("an RPC URL cut for 10 s makes the chain DEGRADED while the rest keeps going through the other, and it recovers", async () => {
    await proxy.cut();
    // Indexed through the second URL while the first refuses connections.
    const during = await sovr(["issue", "--to", PAYEE, "--amount", "1.00"], { SOVR_PRIVATE_KEY: ownerKey });
    expect(during.code, during.stderr).toBe(0);
    expect(during.stderr).toBe("");
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    await proxy.restore();
    await up.waitFor(/sovr chain is DEGRADED \(was ONLINE\)/, 30_000);
    await until("sovr chain ONLINE again", async () => {
      const answer = await status();
      return answer.components.find((c) => c.name === "sovr chain")?.status === "ONLINE" ? true : undefined;
    });
    expect(up.child.exitCode).toBeNull();
    const changes = await graphql<{ healthChanges: { items: { status: string }[] } }>(
      `{ healthChanges(where: { componentId: 1 }, orderBy: "timestamp") { items { status } } }`,
    );
    expect(changes.healthChanges.items.map((c) => c.status)).toEqual(expect.arrayContaining(["DEGRADED", "ONLINE"]));
  });

  it("the indexer killed with SIGKILL resumes on Postgres with nothing lost or doubled", async () => {
    const { pid } = JSON.parse(readFileSync(join(home, "run", "indexer.json"), "utf8")) as { pid: number };
    process.kill(pid, "SIGKILL");
    // sovr up stops the stack when its indexer dies; the next start resumes from what Postgres holds.
    expect(await exitOf(up.child)).toBe(1);
    const more = await sovr(["issue", "--to", PAYEE, "--amount", "2.00"], { SOVR_PRIVATE_KEY: ownerKey });
    expect(more.code).toBe(0);
    up = spawnUp(env);
    await up.waitFor(/press Ctrl-C to stop\./i, 150_000);
    expect(up.output()).not.toContain("rebuilt the indexer's database");
    const ledger = readDeployment(CHAIN_ID, deploymentId)!.ledger;
    const logs = await chain.client.getLogs({ address: getAddress(ledger), fromBlock: 0n });
    const indexed = await graphql<{ auditEvents: { totalCount: number } }>(
      `{ auditEvents(where: { contract: "SovrLedger" }) { totalCount } }`,
    );
    expect(indexed.auditEvents.totalCount).toBe(logs.length);
    const reconciled = await sovr(["reconcile"]);
    expect(reconciled.code, reconciled.stdout + reconciled.stderr).toBe(0);
    up.child.kill("SIGINT");
    expect(await exitOf(up.child)).toBe(0);
  });
});

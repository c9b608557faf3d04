/**
 * Telling the owner and answering them, in Chromium against one `sovr up`: the notifier's channels
 * (two webhooks to real local HTTP receivers, one of which refuses) listed in Settings with what each
 * sent and failed, and a test message delivered, signed, by the Test button; the chat panel answering
 * from the ledger through a local server speaking Gemini's wire format (scripted function-call turns; the
 * guardian asks it too) with the rows the answer came from, and a drafted transfer opening the Send form prefilled, sent only
 * when the owner signs; a one-off maintenance window scheduled from Settings with the wallet, shown as
 * MAINTENANCE on the Command page. Screenshots in .test-results/screenshots/ (`settings-notifications`,
 * `assistant-answer`, `assistant-draft`, `command-maintenance`).
 */
import { createHmac } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  componentKinds,
  componentRegistryAbi,
  paymentTransfer,
  primaryAccountId,
  type SovrDeployment,
  signalSeverities,
  sovrCreditAbi,
  sovrDirectoryAbi,
  sovrLedgerAbi,
  textToBytes32,
  ZERO_BYTES32,
} from "@sovr/contracts";
import { readDeployment } from "@sovr/contracts/deployment";
import type { NotificationsInput } from "@sovr/notifier/config";
import { type HttpReceiver, type ReceivedRequest, startHttpReceiver } from "@sovr/notifier/testing";
import { repoRoot } from "@sovr/runtime";
import {
  functionCallReply,
  type GeminiWireServer,
  type RecordedRequest,
  startGeminiWireServer,
  textReply,
  verdictReply,
} from "@sovr/runtime/gemini-server";
import { freePort, removeDeployment } from "@sovr/runtime/testing";
import { buildWeb } from "@sovr/web/build";
import type { Browser, Locator, Page } from "playwright-core";
import { type Abi, type Address, createPublicClient, createWalletClient, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser.ts";
import { sidePorts, spawnUp, stopAllUp, type UpProcess } from "./stack.ts";
import { installWallet, type TestWallet } from "./wallet.ts";

/** Anvil's first account: the deployment's owner on the local chain. */
const OWNER_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
/** Anvil's second account: Acme Ltd in the owner's directory, paid twice. */
const ACME: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
/** The webhooks' HMAC key, an environment variable of `sovr up` as the configuration names it. */
const HOOK_SECRET = "e2e-webhook-key";
const QUESTION = "How much did I pay Acme Ltd this year?";
const ANSWER = "You paid Acme Ltd $150.50 in 2 transfers (invoice 17 and invoice 18).";
const DRAFT_QUESTION = "Draft a payment of $25 to Acme Ltd for invoice 19.";

const screenshots = join(repoRoot, ".test-results", "screenshots");
const home = mkdtempSync(join(tmpdir(), "sovr-notify-assist-e2e-"));
const deploymentId = `sovr-test-notify-assist-${process.pid}`;

let up: UpProcess;
let hook: HttpReceiver;
let broken: HttpReceiver;
let gemini: GeminiWireServer;
let browser: Browser;
let page: Page;
let wallet: TestWallet;
let webUrl: string;
let indexerUrl: string;
let deployment: SovrDeployment;
let ownerSigner: ReturnType<typeof ownerClient>;
let reader: ReturnType<typeof readerClient>;

const ownerClient = (rpcUrl: string) =>
  createWalletClient({ chain: foundry, transport: http(rpcUrl), account: privateKeyToAccount(OWNER_KEY) });
const readerClient = (rpcUrl: string) => createPublicClient({ chain: foundry, transport: http(rpcUrl) });

/** The assistant's requests declare its tools; the guardian's ask for a verdict as JSON. */
const isAssistants = (request: RecordedRequest) => (request.body.tools?.length ?? 0) > 0;

/**
 * The model, scripted. The guardian asks it too (the same GEMINI_* settings): its requests, which ask for a
 * verdict as JSON, get a quiet one. The assistant's (they declare tools): a question is answered by a tool
 * call, the tool's rows by the answer.
 */
function scriptedModel(request: RecordedRequest) {
  if (!isAssistants(request))
    return verdictReply({ level: "LOW", action: "MONITOR", threatType: "none", confidence: 90, summary: "Nothing unusual." });
  const parts = request.body.contents.at(-1)!.parts;
  const response = parts.find((part) => part.functionResponse)?.functionResponse;
  if (response?.name === "list_transfers") return textReply(ANSWER);
  if (response?.name === "draft_transfer") return textReply("Here is the draft: review it in the Send form and sign it in your wallet.");
  const question = parts.map((part) => part.text).join("");
  if (question === QUESTION) return functionCallReply({ name: "list_transfers", args: { counterparty: "Acme Ltd" } });
  if (question === DRAFT_QUESTION)
    return functionCallReply({ name: "draft_transfer", args: { to: ACME, amount: "25", memo: "invoice 19" } });
  return textReply(`unscripted: ${question}`);
}

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  await buildWeb();
  hook = await startHttpReceiver("webhook");
  // A receiver that refuses every message (a revoked token): a final failure, no retries.
  broken = await startHttpReceiver("webhook");
  broken.respond(() => ({ status: 401, body: { error: "token revoked" } }));
  gemini = await startGeminiWireServer(scriptedModel);
  const notifications: NotificationsInput = {
    channels: {
      hook: { type: "webhook", url: hook.url, secret: { env: "E2E_HOOK_SECRET" } },
      broken: { type: "webhook", url: broken.url, secret: { env: "E2E_HOOK_SECRET" } },
    },
    routes: [{ kinds: ["signal"], minSeverity: "critical", channels: ["hook", "broken"] }],
  };
  const configFile = join(home, "sovr.config.json");
  writeFileSync(configFile, JSON.stringify({ notifications }));
  const ports = {
    SOVR_CHAIN_PORT: String(await freePort()),
    SOVR_INDEXER_PORT: String(await freePort()),
    ...(await sidePorts()),
  };
  up = spawnUp({
    SOVR_HOME: home,
    SOVR_DEPLOYMENT_ID: deploymentId,
    SOVR_CONFIG: configFile,
    E2E_HOOK_SECRET: HOOK_SECRET,
    GEMINI_API_KEY: "local-key",
    GEMINI_BASE_URL: gemini.url,
    ...ports,
  });
  await up.waitFor(/press Ctrl-C to stop\./i, 300_000);
  expect(up.output()).toContain("(2 channels)");
  webUrl = `http://127.0.0.1:${ports.SOVR_WEB_PORT}`;
  indexerUrl = `http://127.0.0.1:${ports.SOVR_INDEXER_PORT}`;
  const rpcUrl = `http://127.0.0.1:${ports.SOVR_CHAIN_PORT}`;
  deployment = readDeployment(foundry.id, deploymentId)!;
  ownerSigner = ownerClient(rpcUrl);
  reader = readerClient(rpcUrl);

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
  wallet = await installWallet(page, { privateKey: OWNER_KEY, rpcUrl, chainId: foundry.id });
}, 420_000);

afterAll(async () => {
  await browser?.close();
  await stopAllUp();
  await Promise.all([hook?.close(), broken?.close(), gemini?.close()]);
  rmSync(home, { recursive: true, force: true });
  removeDeployment(deploymentId);
});

async function shot(name: string) {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

const sent = () => wallet.requests.filter((method) => method === "eth_sendTransaction").length;

/** The owner signs in Node (not through the page); returns once the transaction is mined and succeeded. */
async function ownerSends(address: Address, abi: Abi, functionName: string, args: unknown[]): Promise<bigint> {
  const hash = await ownerSigner.writeContract({ address, abi, functionName, args } as never);
  const receipt = await reader.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  return receipt.blockNumber;
}

type Status = { components: { id: number; name: string; status: string }[]; indexer: { indexedBlock: number | null } };
async function indexerStatus(): Promise<Status> {
  return (await (await fetch(`${indexerUrl}/api/status`)).json()) as Status;
}

/** A component by name, once the indexer has it. */
async function componentNamed(name: string) {
  await expect.poll(async () => (await indexerStatus()).components.some((c) => c.name === name), { timeout: 60_000 }).toBe(true);
  return (await indexerStatus()).components.find((c) => c.name === name)!;
}

async function waitIndexedBlock(block: bigint) {
  await expect
    .poll(async () => (await indexerStatus()).indexer.indexedBlock ?? -1, { timeout: 60_000 })
    .toBeGreaterThanOrEqual(Number(block));
}

/** Waits for a write's status line to reach `indexed`, failing with its error if it fails. */
async function waitIndexed(scope: Locator, testId: string) {
  const status = scope.getByTestId(testId).last();
  await status.and(page.locator('[data-stage="indexed"], [data-stage="failed"]')).waitFor({ timeout: 90_000 });
  if ((await status.getAttribute("data-stage")) === "failed") throw new Error(`write failed: ${await status.textContent()}`);
}

/** The signature the notifier puts on a webhook message, checked with the channel's key. */
function signedWith(request: ReceivedRequest, key: string): boolean {
  const expected = createHmac("sha256", key).update(`${request.headers["x-sovr-timestamp"]}.${request.body}`).digest("hex");
  return request.headers["x-sovr-signature"] === `sha256=${expected}`;
}

/** A channel's row in Settings: sent in 24 h, failed in 24 h, waiting, last error. */
async function channelCells(name: string) {
  const cells = await page.getByTestId(`channel-${name}`).locator("td").allTextContents();
  return { sent: cells[1], failed: cells[2], waiting: cells[3], lastError: cells[4] };
}

describe("notifications, the assistant and maintenance in Chromium against the real stack", () => {
  it("lists the notifier's channels with sent and failed counts, and the Test button delivers a signed test message", async () => {
    // The owner's own service, reporting with the owner's key, signals something critical: routed to both
    // channels; the hook takes it, the broken one refuses it.
    const ownerAddress = ownerSigner.account.address;
    await ownerSends(deployment.registry, componentRegistryAbi as Abi, "register", [
      "payments api",
      componentKinds.indexOf("CORE_BACKEND"),
      "http://127.0.0.1:1/health",
      false,
      ownerAddress,
      ownerAddress,
    ]);
    const component = await componentNamed("payments api");
    const critical = signalSeverities.indexOf("CRITICAL");
    await ownerSends(deployment.registry, componentRegistryAbi as Abi, "signal", [
      component.id,
      critical,
      "disk_errors",
      "sector 7 unreadable",
    ]);
    await expect.poll(() => hook.received.length, { timeout: 60_000 }).toBe(1);
    const notice = hook.received[0]!;
    expect(notice.json).toMatchObject({ kind: "signal", severity: "critical", test: false });
    expect((notice.json as { text: string }).text).toContain("sector 7 unreadable");
    expect(signedWith(notice, HOOK_SECRET)).toBe(true);

    await page.goto(`${webUrl}/settings`);
    await page.getByTestId("connect-wallet").click();
    await page.getByTestId("notification-channels").waitFor({ timeout: 30_000 });
    // The list refreshes every 5 s: the refusal shows once the notifier has given up on it (a 401 is final).
    await expect.poll(() => channelCells("broken"), { timeout: 30_000 }).toMatchObject({ sent: "0", failed: "1", waiting: "0" });
    expect((await channelCells("broken")).lastError).toMatch(/401.*\(gave up\)$/);
    // The supervisor's probe reads that from the notifier's /health and records it on-chain.
    await expect.poll(async () => (await componentNamed("sovr notifier")).status, { timeout: 60_000 }).toBe("DEGRADED");
    await expect.poll(() => channelCells("hook"), { timeout: 30_000 }).toEqual({ sent: "1", failed: "0", waiting: "0", lastError: "" });
    // Where a channel goes, never its key.
    expect(await page.getByTestId("channel-hook").locator("td").first().textContent()).toBe(`hookwebhook · ${hook.url}/`);

    await page.getByTestId("test-hook").click();
    await expect
      .poll(() => page.getByTestId("channel-hook").getByRole("status").textContent(), { timeout: 30_000 })
      .toMatch(/^sent \(\d+ ms\)$/);
    expect(hook.received).toHaveLength(2);
    const test = hook.received[1]!;
    expect(test.json).toMatchObject({ kind: "test", test: true, title: "Test message for channel hook" });
    expect(signedWith(test, HOOK_SECRET)).toBe(true);
    // The failing channel's Test says why, next to its button.
    await page.getByTestId("test-broken").click();
    await expect.poll(() => page.getByTestId("channel-broken").getByRole("status").textContent(), { timeout: 30_000 }).toContain("401");
    await shot("settings-notifications");
  });

  it("answers in the chat panel from the ledger with the rows the answer came from", async () => {
    // The owner's ledger: an account with $1,000, Acme Ltd in the directory, paid twice.
    const ownerAddress = ownerSigner.account.address;
    await ownerSends(deployment.ledger, sovrLedgerAbi as Abi, "openPrimaryAccount", [ownerAddress]);
    await ownerSends(deployment.ledger, sovrLedgerAbi as Abi, "openPrimaryAccount", [ACME]);
    await ownerSends(deployment.credit, sovrCreditAbi as Abi, "issueTo", [9_001n, ownerAddress, 1_000_000_000n, ZERO_BYTES32]);
    await ownerSends(deployment.directory, sovrDirectoryAbi as Abi, "setLabel", [ACME, "Acme Ltd"]);
    let last = 0n;
    for (const [amount, memo] of [
      [120_000_000n, "invoice 17"],
      [30_500_000n, "invoice 18"],
    ] as const) {
      const userData = textToBytes32(memo);
      if (!userData.ok) throw new Error(userData.error);
      const transfer = paymentTransfer({
        debitAccountId: primaryAccountId(ownerAddress),
        creditAccountId: primaryAccountId(ACME),
        amount,
        userData: userData.value,
      });
      last = await ownerSends(deployment.ledger, sovrLedgerAbi as Abi, "createTransfer", [transfer]);
    }
    await waitIndexedBlock(last);

    await page.getByRole("link", { name: "Ledger", exact: true }).click();
    await page.getByTestId("send-form").waitFor({ timeout: 30_000 });
    await page.getByTestId("open-assistant").click();
    const panel = page.getByTestId("assistant-panel");
    await panel.getByLabel("Question").fill(QUESTION);
    const before = gemini.requests.filter(isAssistants).length;
    await panel.getByTestId("ask").click();
    const answer = panel.getByTestId("assistant-answer");
    await answer.waitFor({ timeout: 60_000 });
    expect(await answer.locator("p").first().textContent()).toBe(ANSWER);
    // The rows, as the indexer gave them to the tool, under the answer.
    const source = answer.locator("details");
    expect(await source.locator("summary").textContent()).toBe("from list_transfers (2 rows)");
    await source.locator("summary").click();
    const rows = (await source.locator("pre").last().textContent())!.split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.map((row) => [row.amount, row.memo, (row.to as { name: string }).name])).toEqual([
      ["$30.50", "invoice 18", "Acme Ltd"],
      ["$120.00", "invoice 17", "Acme Ltd"],
    ]);
    expect(JSON.parse((await source.locator("pre").first().textContent())!)).toMatchObject({ paid: "$150.50", count: 2 });
    // The model had the question, then the same rows back as the tool's response.
    const requests = gemini.requests.filter(isAssistants).slice(before);
    expect(requests).toHaveLength(2);
    expect(requests[1]!.body.contents.at(-1)!.parts[0]!.functionResponse).toMatchObject({
      name: "list_transfers",
      response: { summary: { paid: "$150.50", count: 2 } },
    });
    await shot("assistant-answer");
  });

  it("opens a drafted transfer in the Send form, prefilled with the drafted warning, and sends it only when the owner signs", async () => {
    const panel = page.getByTestId("assistant-panel");
    await panel.getByLabel("Question").fill(DRAFT_QUESTION);
    const before = sent();
    await panel.getByTestId("ask").click();
    const draft = panel.getByTestId("assistant-draft");
    await draft.waitFor({ timeout: 60_000 });
    expect(await draft.textContent()).toContain("Draft transfer: review it in the form, then sign in your wallet");
    // Acme Ltd is in the owner's question and directory: no caution.
    expect(await draft.textContent()).not.toContain("Caution");
    await draft.getByRole("button", { name: "Open the form" }).click();
    await expect.poll(() => new URL(page.url()).pathname + new URL(page.url()).hash).toBe("/ledger#send");
    await expect.poll(() => page.getByTestId("assistant-panel").count()).toBe(0);
    const form = page.getByTestId("send-form");
    const drafted = form.getByTestId("drafted");
    await drafted.waitFor({ timeout: 30_000 });
    expect(await drafted.textContent()).toBe(
      "Drafted by the assistant: check the recipient, the amount and the memo. Nothing is sent until you sign in your wallet.",
    );
    const values = await Promise.all(["recipient", "amount", "memo"].map((name) => form.locator(`input[name="${name}"]`).inputValue()));
    expect(values).toEqual([ACME, "25.00", "invoice 19"]);
    expect(sent()).toBe(before);
    await shot("assistant-draft");

    const acmeAccount = primaryAccountId(ACME);
    const balance = () =>
      reader.readContract({ address: deployment.ledger, abi: sovrLedgerAbi, functionName: "getAccount", args: [acmeAccount] }) as Promise<{
        creditsPosted: bigint;
      }>;
    const acmeBefore = (await balance()).creditsPosted;
    await form.getByTestId("send").click();
    await waitIndexed(form, "send-status");
    expect(sent()).toBe(before + 1);
    expect((await balance()).creditsPosted - acmeBefore).toBe(25_000_000n);
  });

  it("schedules a one-off maintenance window from Settings with the wallet; the Command page shows MAINTENANCE", async () => {
    await page.getByRole("link", { name: "Settings", exact: true }).click();
    const form = page.getByTestId("maintenance-form");
    await form.getByLabel("Component").locator("option", { hasText: "sovr keeper" }).waitFor({ state: "attached", timeout: 30_000 });
    await form.getByLabel("Component").selectOption({ label: "sovr keeper" });
    await form.getByLabel("Schedule").selectOption("ONCE");
    await form.locator('input[name="minutes"]').fill("30");
    await form.locator('input[name="note"]').fill("keeper upgrade");
    const before = sent();
    await form.getByTestId("schedule-maintenance").click();
    await waitIndexed(form, "write-status");
    expect(sent()).toBe(before + 1);
    const window = page.getByTestId("maintenance-1");
    await window.waitFor({ timeout: 30_000 });
    expect(await window.textContent()).toMatch(/^ONCEsovr keeper.+ to .+keeper upgradeCancel$/);

    await page.getByRole("link", { name: "Command", exact: true }).click();
    const keeper = page.getByTestId("component-sovr keeper");
    await expect.poll(() => keeper.getAttribute("data-maintenance"), { timeout: 30_000 }).toBe("yes");
    expect(await keeper.getByTestId("component-status").textContent()).toBe("MAINTENANCE");
    expect(await keeper.textContent()).toContain(
      `: keeper upgrade (probes say ${await keeper.getAttribute("data-status")}; no notifications, not counted in uptime)`,
    );
    // Only that component: every other one shows what its probes say.
    expect(await page.locator('[data-testid^="component-"][data-maintenance="yes"]').count()).toBe(1);
    const chainCard = page.getByTestId("component-sovr chain");
    expect(await chainCard.getByTestId("component-status").textContent()).toBe(await chainCard.getAttribute("data-status"));
    await shot("command-maintenance");
  });
});

/**
 * The command center end to end: `sovr up` on free ports, Debian's Chromium driven by playwright-core,
 * and a wallet that signs with Anvil's owner key in Node. Screenshots of every page land in
 * .test-results/screenshots/ (gitignored).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  chargeTransferId,
  guardianAttestationsAbi,
  newTransferId,
  periodUnits,
  type SovrDeployment,
  sovrCreditAbi,
  sovrLedgerAbi,
  sovrOrdersAbi,
  verdictActions,
  verdictLevels,
  ZERO_BYTES32,
} from "@sovr/contracts";
import { readDeployment } from "@sovr/contracts/deployment";
import { repoRoot } from "@sovr/runtime";
import { freePort, removeDeployment } from "@sovr/runtime/testing";
import { buildWeb } from "@sovr/web/build";
import type { Browser, Page } from "playwright-core";
import { type Address, createPublicClient, createWalletClient, type Hex, http, parseEventLogs, stringToHex, toHex } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser.ts";
import { fixtureComponent, sidePorts, spawnUp, stopAllUp, type UpProcess } from "./stack.ts";
import { installWallet, type TestWallet } from "./wallet.ts";

/** Anvil's first account: the deployment's owner on the local chain (test wallet only, never the page). */
const OWNER_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
/** Anvil's second account: a counterparty. */
const COUNTERPARTY: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
/** The mnemonic of Anvil's accounts: a subscriber's wallet is one of them. */
const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";
/** Anvil's third account: another counterparty, never labelled. */
const SECOND_COUNTERPARTY: Address = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

const screenshots = join(repoRoot, ".test-results", "screenshots");
const home = mkdtempSync(join(tmpdir(), "sovr-web-e2e-"));
const deploymentId = `sovr-test-web-${process.pid}`;
/** The owner's own service in this test, started and stopped on-chain. */
const FIXTURE_NAME = "fixture api";
const FIXTURE = fixtureComponent;

let up: UpProcess;
let browser: Browser;
let page: Page;
let wallet: TestWallet;
let webUrl: string;
let rpcUrl: string;
let guardianContract: Address;
let deployment: SovrDeployment;

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  // The test drives the app as sovr up serves it: the production build.
  await buildWeb();
  const ports = {
    SOVR_CHAIN_PORT: String(await freePort()),
    SOVR_INDEXER_PORT: String(await freePort()),
    ...(await sidePorts()),
  };
  const configFile = join(home, "sovr.config.json");
  const fixturePort = await freePort();
  writeFileSync(
    configFile,
    JSON.stringify({
      components: [
        {
          name: FIXTURE_NAME,
          kind: "CORE_BACKEND",
          start: { command: process.execPath, args: [FIXTURE], env: { PORT: String(fixturePort) } },
          health: { type: "http", url: `http://127.0.0.1:${fixturePort}/health`, timeoutMs: 1000 },
          intervalSeconds: 1,
          autostart: false,
          restart: "never",
          stopTimeoutSeconds: 5,
          startTimeoutSeconds: 20,
        },
      ],
    }),
  );
  up = spawnUp({ SOVR_HOME: home, SOVR_DEPLOYMENT_ID: deploymentId, SOVR_CONFIG: configFile, ...ports });
  await up.waitFor(/press Ctrl-C to stop\./i, 300_000);
  webUrl = `http://127.0.0.1:${ports.SOVR_WEB_PORT}`;
  rpcUrl = `http://127.0.0.1:${ports.SOVR_CHAIN_PORT}`;
  expect(up.output()).toContain(`web      ${webUrl}`);
  guardianContract = /guardian (0x[0-9a-fA-F]{40}) {2}GuardianAttestations/.exec(up.output())![1] as Address;
  deployment = readDeployment(foundry.id, deploymentId)!;

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
  wallet = await installWallet(page, { privateKey: OWNER_KEY, rpcUrl, chainId: 31337 });
}, 420_000);

afterAll(async () => {
  await browser?.close();
  await stopAllUp();
  rmSync(home, { recursive: true, force: true });
  removeDeployment(deploymentId);
});

async function shot(name: string) {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

async function goTo(label: string) {
  await page.getByRole("link", { name: label, exact: true }).click();
}

/** Waits for a write's status line to reach `indexed`, failing with its error if it fails. */
async function waitIndexed(testId: string, scope = page.locator("body")) {
  const status = scope.getByTestId(testId).last();
  await status.and(scope.page().locator('[data-stage="indexed"], [data-stage="failed"]')).waitFor({ timeout: 60_000 });
  const stage = await status.getAttribute("data-stage");
  if (stage === "failed") throw new Error(`write failed: ${await status.textContent()}`);
}

describe("the command center in Chromium against the real stack", () => {
  it("opens on live component statuses with the dark theme and the live indicator", async () => {
    await page.goto(webUrl);
    await page.locator('[data-testid^="component-"][data-status]').first().waitFor({ timeout: 30_000 });
    expect(await page.locator("body").evaluate((body) => getComputedStyle(body).backgroundColor)).toBe("rgb(17, 24, 39)");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("SOVR COMMAND CENTER");
    await page.getByTestId("live-indicator").and(page.locator('[data-state="live"]')).waitFor();
    await expect.poll(() => page.getByTestId("component-sovr chain").getAttribute("data-status"), { timeout: 40_000 }).toBe("ONLINE");
    // A fresh install reads OPERATIONAL at once: the stack's components were probed before it was shown.
    await expect.poll(() => page.getByTestId("overall-status").textContent(), { timeout: 30_000 }).toContain("OPERATIONAL");
    expect(await page.locator('[data-testid^="component-"][data-status="UNKNOWN"]').count()).toBe(0);
    await page.getByTestId("connect-wallet").click();
    await expect.poll(() => page.getByTestId("connected-address").getAttribute("title")).toBe(wallet.address);
    await shot("command");
  });

  it("holds no HIGH alert on a fresh install: the deployment's own role grants are one routine setup verdict", async () => {
    await goTo("Alerts & audit");
    const alerts = page.getByTestId("alerts");
    await alerts.getByText("Show routine (LOW, MONITOR)").click();
    await alerts.locator("li", { hasText: "deployment setup" }).waitFor({ timeout: 60_000 });
    expect(await alerts.locator("li", { hasText: "HIGH" }).count()).toBe(0);
    await alerts.getByText("Show routine (LOW, MONITOR)").click();
    await goTo("Command");
  });

  it("starts and stops the owner's own component with signed intents and shows its status change", async () => {
    const card = page.getByTestId(`component-${FIXTURE_NAME}`);
    await card.waitFor({ timeout: 30_000 });
    // Not autostarted: the supervisor records it as stopped until the owner asks for it.
    await expect.poll(() => card.getAttribute("data-status"), { timeout: 30_000 }).toMatch(/STOPPED|OFFLINE|UNKNOWN/);
    await card.getByRole("button", { expanded: false }).click();
    await card.getByTestId("control-START").click();
    await waitIndexed("write-status", card);
    await expect.poll(() => card.getAttribute("data-status"), { timeout: 60_000 }).toBe("ONLINE");
    await expect.poll(() => card.textContent(), { timeout: 30_000 }).toContain("last START executed");
    await shot("command-component-started");
    await card.getByTestId("control-STOP").click();
    await waitIndexed("write-status", card);
    await expect.poll(() => card.getAttribute("data-status"), { timeout: 60_000 }).toBe("STOPPED");
  });

  it("offers no control of the stack's own components, saying why", async () => {
    const card = page.getByTestId("component-sovr chain");
    await card.getByRole("button", { expanded: false }).click();
    expect(await card.getByTestId("control-RESTART").isDisabled()).toBe(true);
    expect(await card.getByTestId("control-refusal").textContent()).toContain("restart sovr up");
    await card.getByRole("button", { expanded: true }).click();
  });

  it("asks before START ALL, naming only the components this host runs, then sends one transaction", async () => {
    const sent = () => wallet.requests.filter((method) => method === "eth_sendTransaction").length;
    const before = sent();
    await page.getByTestId("master-START").click();
    const dialog = page.getByRole("dialog", { name: "START ALL of this host's components?" });
    expect(await dialog.locator("strong").textContent()).toBe(FIXTURE_NAME);
    await dialog.getByText("Cancel").click();
    await dialog.waitFor({ state: "detached" });
    expect(sent()).toBe(before);

    await page.getByTestId("master-START").click();
    await page.getByTestId("confirm").click();
    await page
      .getByTestId("write-status")
      .filter({ hasText: "START ALL" })
      .and(page.locator('[data-stage="indexed"]'))
      .waitFor({ timeout: 60_000 });
    expect(sent()).toBe(before + 1);
    // The supervisor starts what it has a command for: the stopped fixture comes back.
    await expect.poll(() => page.getByTestId(`component-${FIXTURE_NAME}`).getAttribute("data-status"), { timeout: 60_000 }).toBe("ONLINE");
  });

  it("shows an empty ledger that says what to do first, never sample data", async () => {
    await goTo("Ledger");
    const empty = page.getByTestId("ledger-empty");
    await empty.waitFor();
    expect(await empty.textContent()).toContain("Your ledger is empty");
    expect(await empty.textContent()).toContain("Credit page");
    await shot("ledger-empty");
  });

  it("issues credit to the owner and shows the outstanding amount live", async () => {
    await goTo("Credit");
    const form = page.getByTestId("issue-form");
    await form.locator('input[name="amount"]').fill("1000");
    await form.getByTestId("issue").click();
    await waitIndexed("issue-status");
    await expect.poll(() => page.getByTestId("outstanding").textContent(), { timeout: 20_000 }).toBe("$1,000.00");
  });

  it("refuses bad input next to the field and sends nothing", async () => {
    await goTo("Ledger");
    const form = page.getByTestId("send-form");
    await form.waitFor();
    const before = wallet.requests.filter((method) => method === "eth_sendTransaction").length;
    await form.locator('input[name="recipient"]').fill("0x1234");
    await form.locator('input[name="amount"]').fill("12.345");
    await form.getByTestId("send").click();
    expect(await form.getByRole("alert").allTextContents()).toEqual([
      "An address is 0x followed by 40 hex digits",
      "An amount has at most two decimals (cents)",
    ]);
    expect(wallet.requests.filter((method) => method === "eth_sendTransaction").length).toBe(before);
  });

  it("says so when the signature is rejected, and nothing is sent", async () => {
    const form = page.getByTestId("send-form");
    await form.locator('input[name="recipient"]').fill(COUNTERPARTY);
    await form.locator('input[name="amount"]').fill("1.00");
    wallet.rejectNext();
    await form.getByTestId("send").click();
    const status = page.getByTestId("send-status");
    await status.and(page.locator('[data-stage="failed"]')).waitFor({ timeout: 30_000 });
    expect(await status.textContent()).toContain("You rejected the request in your wallet; nothing was sent.");
  });

  it("sends a transfer with a memo and sees it appear live in the explorer", async () => {
    const form = page.getByTestId("send-form");
    await form.locator('input[name="recipient"]').fill(COUNTERPARTY);
    await form.locator('input[name="amount"]').fill("12.34");
    await form.locator('input[name="memo"]').fill("e2e rent");
    await form.getByTestId("send").click();
    await waitIndexed("send-status");
    const row = page.getByTestId("transfers").locator("tbody tr", { hasText: "$12.34" }).first();
    await row.waitFor({ timeout: 20_000 });
    await row.click();
    await page.getByText("e2e rent").waitFor();
    // $1,000.00 issued less $12.34 paid.
    await expect.poll(() => page.getByTestId("accounts").getByTestId("balance").first().textContent(), { timeout: 20_000 }).toBe("$987.66");
  });

  it("creates a pending transfer and posts it", async () => {
    const form = page.getByTestId("send-form");
    await form.locator('input[name="recipient"]').fill(COUNTERPARTY);
    await form.locator('input[name="amount"]').fill("5.00");
    await form.locator('input[name="pending"]').check();
    await form.getByTestId("send").click();
    await waitIndexed("send-status");
    const pending = page.getByTestId("pending").locator("li", { hasText: "$5.00" });
    await pending.waitFor({ timeout: 20_000 });
    await pending.getByTestId("post").click();
    // Once posted it is no longer pending: the live list drops it.
    await pending.waitFor({ state: "detached", timeout: 60_000 });
    await expect.poll(() => page.getByTestId("accounts").getByTestId("balance").first().textContent(), { timeout: 20_000 }).toBe("$982.66");
    await shot("ledger");
  });

  it("settles a CSV batch in one transaction and shows each row's result code, after refusing a bad file", async () => {
    const batch = page.getByTestId("batch");
    const file = batch.getByLabel("Batch CSV file");
    await file.setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from("recipient,amount,memo\n0x1234,5\n") });
    await batch.getByTestId("batch-errors").waitFor();
    expect(await batch.getByTestId("batch-errors").textContent()).toContain("Line 2: An address is 0x followed by 40 hex digits");
    expect(await batch.getByTestId("settle-batch").isDisabled()).toBe(true);

    // The second row names an account that does not exist: the ledger rejects that row alone.
    const csv = `recipient,amount,memo\n${COUNTERPARTY},2.50,batch one\n987654321,1.00,nobody\n`;
    await file.setInputFiles({ name: "payments.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await batch.getByTestId("settle-batch").click();
    const results = batch.getByTestId("batch-result");
    await expect.poll(() => results.allTextContents(), { timeout: 60_000 }).toEqual(["Ok", "CreditAccountNotFound"]);
    await shot("ledger-batch");
  });

  it("grants a credit line and shows its limit", async () => {
    await goTo("Credit");
    const form = page.getByTestId("line-form").first();
    await form.locator('input[name="line-account"]').fill(COUNTERPARTY);
    await form.locator('input[name="line-limit"]').fill("250");
    await form.getByTestId("set-line").click();
    await waitIndexed("line-status");
    const line = page.getByTestId("credit-lines").locator('[data-testid^="line-"] [data-testid="line-limit"]');
    await expect.poll(() => line.first().textContent(), { timeout: 20_000 }).toBe("$250.00");
    await page.getByTestId("credit-charts").waitFor({ timeout: 20_000 });
    await shot("credit");
  });

  it("acknowledges a guardian verdict with a note", async () => {
    const transport = http(rpcUrl);
    // The guardian's host key, which sovr up generated in this test's home (it alone holds GUARDIAN_ROLE).
    const guardianKey = readFileSync(join(home, "keys", "guardian.key"), "utf8").trim() as Hex;
    const guardian = createWalletClient({ chain: foundry, transport, account: privateKeyToAccount(guardianKey) });
    const hash = await guardian.writeContract({
      address: guardianContract,
      abi: guardianAttestationsAbi,
      functionName: "attest",
      args: [
        stringToHex("e2e subject", { size: 32 }),
        verdictLevels.indexOf("HIGH"),
        verdictActions.indexOf("ALERT"),
        stringToHex("payment_anomaly", { size: 32 }),
        90,
        "A payment far above this account's usual amounts",
        stringToHex("e2e-analyzer", { size: 32 }),
      ],
    });
    await createPublicClient({ chain: foundry, transport }).waitForTransactionReceipt({ hash });
    await goTo("Alerts & audit");
    const verdict = page.getByTestId("alerts").locator('li[data-acknowledged="false"]', { hasText: "A payment far above" });
    await verdict.waitFor({ timeout: 30_000 });
    await verdict.getByLabel("Acknowledgement note").fill("checked with the payee");
    await verdict.getByRole("button", { name: "Acknowledge" }).click();
    const acknowledged = page.getByTestId("alerts").locator('li[data-acknowledged="true"]', { hasText: "A payment far above" });
    await acknowledged.waitFor({ timeout: 60_000 });
    await expect
      .poll(() => acknowledged.getByTestId("ack-note").textContent(), { timeout: 20_000 })
      .toBe("Your note: checked with the payee");
    await page.getByTestId("audit-row").first().waitFor();
    await shot("alerts-audit");
    const download = page.waitForEvent("download");
    await page.getByTestId("export-csv").click();
    const csv = readFileSync((await (await download).path())!, "utf8");
    expect(csv.split("\n")[0]).toBe("block,log_index,time_utc,contract,event,actor,tx,args");
    expect(csv).toContain("GuardianAttestations,VerdictAcknowledged");
  });

  it("names a counterparty once and shows the name in the Ledger, the Alerts and the audit trail", async () => {
    await goTo("Ledger");
    const side = page.getByTestId("transfers").locator(`[data-testid="name"][data-address="${COUNTERPARTY.toLowerCase()}"]`).first();
    await side.waitFor({ timeout: 30_000 });
    await side.click();
    const detail = page.getByTestId("address-detail").first();
    expect(await detail.getByTestId("full-address").textContent()).toBe(COUNTERPARTY);
    await detail.getByLabel("Label").fill("x".repeat(65));
    await detail.getByTestId("save-label").click();
    expect(await detail.getByRole("alert").textContent()).toBe("The name is 65 bytes; at most 64 fit");
    await detail.getByLabel("Label").fill("Landlord");
    await detail.getByTestId("save-label").click();
    await waitIndexed("write-status", detail);
    await expect.poll(() => side.textContent(), { timeout: 20_000 }).toBe("Landlord");

    // A role given to the counterparty outside the page: a HIGH alert whose text names it.
    const owner = createWalletClient({ chain: foundry, transport: http(rpcUrl), account: privateKeyToAccount(OWNER_KEY) });
    const client = createPublicClient({ chain: foundry, transport: http(rpcUrl) });
    const ledger = { address: deployment.ledger, abi: sovrLedgerAbi } as const;
    const pauser = await client.readContract({ ...ledger, functionName: "PAUSER_ROLE" });
    await client.waitForTransactionReceipt({
      hash: await owner.writeContract({ ...ledger, functionName: "grantRole", args: [pauser, COUNTERPARTY] }),
    });
    await goTo("Alerts & audit");
    const alert = page.getByTestId("alerts").locator("li", { hasText: "PAUSER_ROLE granted to" });
    await alert.waitFor({ timeout: 60_000 });
    await expect.poll(() => alert.textContent(), { timeout: 20_000 }).toContain("PAUSER_ROLE granted to Landlord by you");
    const audit = page.getByTestId("audit-row").filter({ hasText: "RoleGranted" }).first();
    await expect.poll(() => audit.textContent(), { timeout: 20_000 }).toContain("Landlord");
    await shot("names");
  });

  it("acknowledges three alerts with one note in one transaction", async () => {
    const owner = createWalletClient({ chain: foundry, transport: http(rpcUrl), account: privateKeyToAccount(OWNER_KEY) });
    const client = createPublicClient({ chain: foundry, transport: http(rpcUrl) });
    const ledger = { address: deployment.ledger, abi: sovrLedgerAbi } as const;
    const freezer = await client.readContract({ ...ledger, functionName: "FREEZER_ROLE" });
    const pauser = await client.readContract({ ...ledger, functionName: "PAUSER_ROLE" });
    for (const [role, account] of [
      [freezer, COUNTERPARTY],
      [pauser, SECOND_COUNTERPARTY],
    ] as const) {
      await client.waitForTransactionReceipt({
        hash: await owner.writeContract({ ...ledger, functionName: "grantRole", args: [role, account] }),
      });
    }
    const alerts = page.getByTestId("alerts");
    const open = alerts.locator('li[data-acknowledged="false"]', { hasText: "granted to" });
    await expect.poll(() => open.count(), { timeout: 60_000 }).toBe(3);
    for (const item of await open.all()) await item.getByTestId("select-verdict").check();
    const bulk = page.getByTestId("bulk-acknowledge");
    await bulk.getByLabel("Note for the selected verdicts").fill("roles reviewed together");
    const sent = () => wallet.requests.filter((method) => method === "eth_sendTransaction").length;
    const before = sent();
    await bulk.getByTestId("acknowledge-selected").click();
    await waitIndexed("bulk-write-status", bulk);
    expect(sent()).toBe(before + 1);
    await expect.poll(() => open.count(), { timeout: 20_000 }).toBe(0);
    const acknowledged = alerts.locator('li[data-acknowledged="true"]', { hasText: "granted to" });
    expect(await acknowledged.count()).toBe(3);
    expect(await acknowledged.first().getByTestId("ack-note").textContent()).toBe("Your note: roles reviewed together");
  });

  it("shows the deployment, roles and guardian policy in Settings", async () => {
    await goTo("Settings");
    await page.getByTestId("roles").getByText("DEFAULT_ADMIN_ROLE").first().waitFor({ timeout: 20_000 });
    expect(await page.getByTestId("deployment").textContent()).toContain(guardianContract);
    await page.getByTestId("policy").getByTestId("save-policy").waitFor();
    await shot("settings");
  });

  it("shows a reconnecting state when the indexer is unreachable, and recovers by itself", async () => {
    await goTo("Command");
    await page.getByTestId("live-indicator").and(page.locator('[data-state="live"]')).waitFor();
    await page.route("**/sql/**", (route) => route.abort("connectionrefused"));
    await page.route("**/api/status", (route) => route.abort("connectionrefused"));
    // Reloading drops the open streams; every new attempt is refused until the routes are lifted.
    await page.reload();
    await page.getByTestId("live-indicator").and(page.locator('[data-state="reconnecting"]')).waitFor({ timeout: 30_000 });
    await shot("reconnecting");
    await page.unrouteAll();
    await page.getByTestId("live-indicator").and(page.locator('[data-state="live"]')).waitFor({ timeout: 30_000 });
  });

  it("warns on the wrong chain and switches back", async () => {
    wallet.setChainId(1);
    await page.reload();
    // wagmi reconnects the wallet it used before; a button left means it did not, so connect again.
    await page
      .getByTestId("connect-wallet")
      .click({ timeout: 3000 })
      .catch(() => undefined);
    const banner = page.getByTestId("wrong-chain");
    await banner.waitFor({ timeout: 20_000 });
    await banner.getByRole("button", { name: /Switch to chain 31337/ }).click();
    await banner.waitFor({ state: "detached", timeout: 20_000 });
  });

  // Last: it moves the chain's clock forward by weeks.
  it("subscribes a second wallet to a plan: the first charge, a cancellation, and no charge after it", async () => {
    const subscriber = mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: 7 });
    const subscriberKey = toHex(subscriber.getHdKey().privateKey!);
    const client = createPublicClient({ chain: foundry, transport: http(rpcUrl) });
    const owner = createWalletClient({ chain: foundry, transport: http(rpcUrl), account: privateKeyToAccount(OWNER_KEY) });
    const confirm = async (hash: Hex) => expect((await client.waitForTransactionReceipt({ hash })).status).toBe("success");
    await confirm(
      await owner.writeContract({
        address: deployment.credit,
        abi: sovrCreditAbi,
        functionName: "issueTo",
        args: [newTransferId(), subscriber.address, 100_000_000n, ZERO_BYTES32],
      }),
    );

    // The owner publishes a plan from the Payments page; a bad price is refused next to its field first.
    await page.goto(`${webUrl}/payments`);
    // wagmi reconnects the wallet it used before; a button left means it did not.
    await page
      .getByTestId("connect-wallet")
      .click({ timeout: 3000 })
      .catch(() => undefined);
    const form = page.getByTestId("new-plan");
    await form.waitFor();
    const sentBefore = wallet.requests.filter((method) => method === "eth_sendTransaction").length;
    await form.getByTestId("plan-name").fill("Pro monthly");
    await form.getByTestId("plan-price").fill("25.001");
    await form.getByTestId("plan-submit").click();
    expect(await form.getByRole("alert").allTextContents()).toEqual(["An amount has at most two decimals (cents)"]);
    expect(wallet.requests.filter((method) => method === "eth_sendTransaction").length).toBe(sentBefore);
    await form.getByTestId("plan-price").fill("25.00");
    await form.getByTestId("plan-submit").click();
    await waitIndexed("plan-status");
    const link = page.locator('[data-testid^="plan-"][data-testid$="-link"]').first();
    const subscribeUrl = (await link.getAttribute("href"))!;
    expect(subscribeUrl).toMatch(/\/subscribe\/31337\/\d+$/);
    await shot("payments-plan");

    // A second browser with the subscriber's own wallet reads the plan, subscribes and sees the first charge.
    const context = await browser.newContext({ viewport: { width: 420, height: 900 } });
    const other = await context.newPage();
    await installWallet(other, { privateKey: subscriberKey, rpcUrl, chainId: 31337 });
    await other.goto(subscribeUrl);
    await other.getByTestId("plan-title").waitFor();
    expect(await other.getByTestId("plan-price").textContent()).toBe("$25.00 monthly");
    await other.getByTestId("connect-wallet").first().click();
    await other.getByTestId("subscribe-button").click();
    await waitIndexed("subscribe-status", other.locator("body"));
    await expect.poll(() => other.getByTestId("subscription-charged").textContent(), { timeout: 30_000 }).toBe("1 charge, $25.00");
    await other.screenshot({ path: join(screenshots, "subscribe.png"), fullPage: true });

    // The owner sees it paying in, and its charge is a paid invoice.
    const orders = page.getByTestId("orders-in");
    await expect.poll(() => orders.textContent(), { timeout: 30_000 }).toContain("1 charged, $25.00");
    const orderId = BigInt(/#(\d+)/.exec((await orders.locator('[data-testid^="order-"]').first().textContent()) ?? "")![1]!);
    await goTo("Billing");
    await expect.poll(() => page.locator("body").textContent(), { timeout: 30_000 }).toContain("Pro monthly");

    // An order of the owner's own, due within the hour: the keeper charges it once the clock moves.
    const counterpartyAccount = await client.readContract({
      address: deployment.ledger,
      abi: sovrLedgerAbi,
      functionName: "primaryAccountId",
      args: [SECOND_COUNTERPARTY],
    });
    await confirm(
      await owner.writeContract({
        address: deployment.ledger,
        abi: sovrLedgerAbi,
        functionName: "openPrimaryAccount",
        args: [SECOND_COUNTERPARTY],
      }),
    );
    const head = await client.getBlock();
    const controlReceipt = await client.waitForTransactionReceipt({
      hash: await owner.writeContract({
        address: deployment.orders,
        abi: sovrOrdersAbi,
        functionName: "createOrder",
        args: [
          counterpartyAccount,
          1_000_000n,
          1_000_000n,
          { startAt: Number(head.timestamp) + 3_600, every: 1, unit: periodUnits.indexOf("Months"), periods: 12, endAt: 0 },
          { retries: 0, retryEvery: 0 },
        ],
      }),
    });
    const controlOrder = parseEventLogs({ abi: sovrOrdersAbi, logs: controlReceipt.logs, eventName: "OrderCreated" })[0]!.args.id;

    // The subscriber cancels; five weeks pass; the keeper charges the control order, and nothing more of the subscription.
    await other.getByTestId("unsubscribe-button").click();
    await other.getByTestId("confirm").click();
    await waitIndexed("unsubscribe-status", other.locator("body"));
    await expect.poll(() => other.getByTestId("subscription-status").first().textContent(), { timeout: 30_000 }).toBe("Cancelled");
    await client.request({ method: "evm_increaseTime" as never, params: [35 * 86_400] as never });
    await client.request({ method: "evm_mine" as never });
    const charged = (order: bigint, period: number) =>
      client
        .readContract({
          address: deployment.ledger,
          abi: sovrLedgerAbi,
          functionName: "getTransfer",
          args: [chargeTransferId(order, period)],
        })
        .then(
          () => true,
          () => false,
        );
    await expect.poll(() => charged(controlOrder, 0), { timeout: 60_000 }).toBe(true);
    expect(await charged(orderId, 0)).toBe(true);
    expect(await charged(orderId, 1)).toBe(false);
    await other.reload();
    await expect.poll(() => other.getByTestId(`subscription-${orderId}`).textContent(), { timeout: 30_000 }).toContain("1 charge, $25.00");
    expect(await other.getByTestId("subscribe-button").isVisible()).toBe(true);
    await other.screenshot({ path: join(screenshots, "subscription-cancelled.png"), fullPage: true });
    await context.close();
  });
});

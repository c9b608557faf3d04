/**
 * Getting paid, end to end: `sovr up` on free ports, the owner in one Chromium context and a client with
 * another wallet in a second. The owner issues an invoice; the client reads the QR code (decoded here with
 * @paulmillr/qr), opens the pay page, opens an account, is funded and pays; the owner sees Paid live and
 * the statement lists it. Bad input on every form is refused next to the field with nothing sent. An
 * assistant's invoice draft opens the form prefilled and is issued only when the owner signs. The app
 * is installable (manifest, service worker) and its shell opens offline. Screenshots in
 * .test-results/screenshots/ (`billing`, `pay-page`, `pay-page-paid`, `billing-statement`).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import decodeQR from "@paulmillr/qr/decode.js";
import { draftLink, parseDraft, type SovrDeployment, sovrCreditAbi } from "@sovr/contracts";
import { readDeployment } from "@sovr/contracts/deployment";
import { repoRoot } from "@sovr/runtime";
import { freePort, removeDeployment } from "@sovr/runtime/testing";
import { buildWeb } from "@sovr/web/build";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createWalletClient, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./browser.ts";
import { sidePorts, spawnUp, stopAllUp, type UpProcess } from "./stack.ts";
import { installWallet, type TestWallet } from "./wallet.ts";

/** Anvil's first account: the deployment's owner on the local chain. */
const OWNER_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
/** Anvil's second account: the client who pays. */
const CLIENT_KEY: Hex = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const CLIENT = privateKeyToAccount(CLIENT_KEY).address;

const screenshots = join(repoRoot, ".test-results", "screenshots");
const home = mkdtempSync(join(tmpdir(), "sovr-billing-e2e-"));
const deploymentId = `sovr-test-billing-${process.pid}`;

let up: UpProcess;
let browser: Browser;
let owner: Page;
let ownerWallet: TestWallet;
let clientContext: BrowserContext;
let client: Page;
let clientWallet: TestWallet;
let webUrl: string;
let rpcUrl: string;
let deployment: SovrDeployment;

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  await buildWeb();
  const ports = {
    SOVR_CHAIN_PORT: String(await freePort()),
    SOVR_INDEXER_PORT: String(await freePort()),
    ...(await sidePorts()),
  };
  up = spawnUp({ SOVR_HOME: home, SOVR_DEPLOYMENT_ID: deploymentId, ...ports });
  await up.waitFor(/press Ctrl-C to stop\./i, 300_000);
  webUrl = `http://127.0.0.1:${ports.SOVR_WEB_PORT}`;
  rpcUrl = `http://127.0.0.1:${ports.SOVR_CHAIN_PORT}`;
  deployment = readDeployment(foundry.id, deploymentId)!;

  browser = await launchChromium();
  owner = await browser.newPage({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  owner.on("pageerror", (error) => console.error(`owner page error: ${error.message}`));
  ownerWallet = await installWallet(owner, { privateKey: OWNER_KEY, rpcUrl, chainId: foundry.id });
  // The client's phone: its own browser context (no shared storage) and its own wallet.
  clientContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  client = await clientContext.newPage();
  client.on("pageerror", (error) => console.error(`client page error: ${error.message}`));
  clientWallet = await installWallet(client, { privateKey: CLIENT_KEY, rpcUrl, chainId: foundry.id });
}, 420_000);

afterAll(async () => {
  await browser?.close();
  await stopAllUp();
  rmSync(home, { recursive: true, force: true });
  removeDeployment(deploymentId);
});

const sent = (wallet: TestWallet) => wallet.requests.filter((method) => method === "eth_sendTransaction").length;

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

/** Waits for a write's status line to reach `indexed`, failing with its error if it fails. */
// (The pay page's own status line gives way to the paid invoice, so payments are checked by their status.)
async function waitIndexed(page: Page, testId: string) {
  const status = page.getByTestId(testId).last();
  await status.and(page.locator('[data-stage="indexed"], [data-stage="failed"]')).waitFor({ timeout: 90_000 });
  if ((await status.getAttribute("data-stage")) === "failed") throw new Error(`write failed: ${await status.textContent()}`);
}

/** The QR image's pixels, read in the page (a canvas), decoded in Node. */
async function readQr(page: Page): Promise<string> {
  const image = page.getByTestId("qr-image").first();
  await image.waitFor();
  const pixels = await image.evaluate(async (element: HTMLImageElement) => {
    await element.decode();
    const canvas = document.createElement("canvas");
    canvas.width = element.naturalWidth;
    canvas.height = element.naturalHeight;
    const context = canvas.getContext("2d")!;
    context.drawImage(element, 0, 0);
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
    return { width, height, data: Array.from(data) };
  });
  return decodeQR({ width: pixels.width, height: pixels.height, data: Uint8Array.from(pixels.data) });
}

describe("getting paid: invoices, the pay page, QR codes and statements", () => {
  it("refuses bad invoice input next to each field and sends nothing", async () => {
    await owner.goto(`${webUrl}/billing`);
    await owner.getByTestId("connect-wallet").click();
    await owner.getByTestId("invoices-empty").waitFor({ timeout: 30_000 });
    const before = sent(ownerWallet);
    const form = owner.getByTestId("create-invoice");
    await form.getByTestId("invoice-payer").fill("0x123");
    await form.getByTestId("invoice-amount").fill("12.345");
    await form.getByTestId("invoice-due").fill("2020-01-01");
    await form.getByTestId("invoice-reference").fill("x".repeat(65));
    await form.getByTestId("issue-invoice").click();
    const errors = await form.getByRole("alert").allTextContents();
    expect(errors).toEqual([
      "An address is 0x followed by 40 hex digits",
      "An amount has at most two decimals (cents)",
      "The due date 2020-01-01 is already over (dates are UTC days)",
      "The reference is 65 bytes; at most 64 fit",
    ]);
    // A line without a description is named next to it.
    await form.getByTestId("invoice-payer").fill(CLIENT);
    await form.getByTestId("invoice-amount").fill("");
    await form.getByTestId("invoice-due").fill("");
    await form.getByTestId("invoice-reference").fill("");
    await form.getByTestId("add-item").click();
    await form.getByTestId("invoice-item-0").locator("input").nth(2).fill("80");
    await form.getByTestId("issue-invoice").click();
    expect(await form.getByTestId("invoice-item-0").getByRole("alert").textContent()).toBe("The description is required");

    // The CSV import names every bad line and sends nothing either.
    await owner.getByTestId("invoice-csv-file").setInputFiles({
      name: "invoices.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`payer,amount,due,reference,partial\n${CLIENT},abc,,,\n7,10,,,maybe\n`),
    });
    await owner.getByTestId("invoice-csv-errors").waitFor();
    const csvErrors = await owner.getByTestId("invoice-csv-errors").locator("li").allTextContents();
    expect(csvErrors).toHaveLength(2);
    expect(csvErrors[0]).toContain("Line 2:");
    expect(csvErrors[1]).toContain('Line 3: The payer is an address (0x…), not an account id; Partial is yes or no, not "maybe"');
    expect(await owner.getByTestId("invoice-csv-send").count()).toBe(0);
    expect(sent(ownerWallet)).toBe(before);
  });

  it("issues an invoice with lines, shows it live with its pay page's QR code", async () => {
    const form = owner.getByTestId("create-invoice");
    const line = form.getByTestId("invoice-item-0").locator("input");
    await line.nth(0).fill("Design, hours");
    await line.nth(1).fill("7.5");
    await line.nth(2).fill("80");
    await form.getByTestId("add-item").click();
    const second = form.getByTestId("invoice-item-1").locator("input");
    await second.nth(0).fill("Hosting, March");
    await second.nth(2).fill("15");
    const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await form.getByTestId("invoice-due").fill(due);
    await form.getByTestId("invoice-reference").fill("INV-2026-014");
    await form.getByTestId("issue-invoice").click();
    // The owner has no account yet: it is opened first, then the invoice issued (two signatures).
    await waitIndexed(owner, "create-invoice-status");
    const row = owner.getByTestId("invoice-1");
    await row.waitFor({ timeout: 30_000 });
    expect(await row.getAttribute("data-status")).toBe("Open");
    expect(await row.textContent()).toContain("$615.00");
    await row.getByTestId("invoice-share").click();
    expect(await readQr(owner)).toBe(`${webUrl}/pay/31337/1`);
    await shot(owner, "billing");
  });

  it("lets the client read the QR code, see the invoice without a wallet, open an account, get funded and pay", async () => {
    const url = await readQr(owner);
    await client.goto(url);
    await client.getByTestId("pay-invoice").waitFor({ timeout: 30_000 });
    expect(await client.getByTestId("pay-amount").textContent()).toBe("$615.00");
    expect(await client.getByTestId("pay-reference").textContent()).toBe("INV-2026-014");
    expect(await client.getByTestId("pay-status").textContent()).toBe("Open");
    expect(await client.getByTestId("pay-items").textContent()).toContain("Design, hours");
    expect(await client.getByTestId("eip681-note").textContent()).toContain("cannot carry this invoice's reference (INV-2026-014)");
    await shot(client, "pay-page");

    await client.getByTestId("connect-wallet").first().click();
    await client.getByTestId("no-account").waitFor({ timeout: 30_000 });
    expect(await client.getByTestId("no-account").textContent()).toContain("$615.00 is missing");
    await client.getByTestId("open-account").click();
    await client.getByTestId("shortfall").waitFor({ timeout: 90_000 });
    expect(await client.getByTestId("shortfall").textContent()).toContain("$615.00 is missing");

    // The owner sends the client SOVR (as a credit issue); the pay page sees it live.
    const ownerSigner = createWalletClient({ chain: foundry, transport: http(rpcUrl), account: privateKeyToAccount(OWNER_KEY) });
    await ownerSigner.writeContract({
      address: deployment.credit,
      abi: sovrCreditAbi,
      functionName: "issueTo",
      args: [9_001n, CLIENT, 700_000_000n, `0x${"00".repeat(32)}`],
    });
    await expect.poll(() => client.getByTestId("spendable").textContent(), { timeout: 60_000 }).toContain("$700.00");
    expect(await client.getByTestId("shortfall").count()).toBe(0);

    const before = sent(clientWallet);
    await client.getByTestId("pay-button").click();
    // Paid in full, the form gives way to the invoice's new status, live.
    await expect.poll(() => client.getByTestId("pay-status").textContent(), { timeout: 90_000 }).toBe("Paid");
    expect(sent(clientWallet)).toBe(before + 1);
    await shot(client, "pay-page-paid");
  });

  it("shows the owner Paid live and lists the payment on the counterparty's statement", async () => {
    await expect.poll(() => owner.getByTestId("invoice-1").getAttribute("data-status"), { timeout: 30_000 }).toBe("Paid");
    const statement = owner.getByTestId("statement");
    // Bad input first: named next to the fields.
    await statement.getByTestId("statement-counterparty").fill("someone");
    await statement.getByTestId("statement-from").fill("2026-13-01");
    await statement.getByTestId("statement-show").click();
    expect(await statement.getByRole("alert").allTextContents()).toEqual([
      'A counterparty is an address (0x followed by 40 hex digits), not "someone"',
      "2026-13-01 is not a date",
    ]);
    await statement.getByTestId("statement-counterparty").fill(CLIENT);
    await statement.getByTestId("statement-from").fill("");
    await statement.getByTestId("statement-show").click();
    await statement.getByTestId("statement-result").waitFor({ timeout: 30_000 });
    const kinds = await statement.getByTestId("statement-row").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-kind")));
    expect(kinds).toEqual(["invoice", "payment"]);
    expect(await statement.getByTestId("statement-closing").textContent()).toContain("$0.00");
    const [csv] = await Promise.all([owner.waitForEvent("download"), statement.getByTestId("statement-csv").click()]);
    const csvText = readFileSync((await csv.path())!, "utf8");
    expect(csvText).toContain("Invoice #1 (INV-2026-014)");
    expect(csvText).toMatch(/payment,Payment of invoice #1 .*,1,,615\.00,0\.00/);
    const [pdf] = await Promise.all([owner.waitForEvent("download"), statement.getByTestId("statement-pdf").click()]);
    expect(
      readFileSync((await pdf.path())!)
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    await shot(owner, "billing-statement");
  });

  it("refuses a bad partial payment on the pay page, sends nothing, and shows a cancelled invoice as cancelled", async () => {
    await owner.getByTestId("invoice-csv-file").setInputFiles({
      name: "one.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`${CLIENT},50,,INV-2,yes\n`),
    });
    await owner.getByTestId("invoice-csv-send").click();
    await owner.getByTestId("invoice-2").waitFor({ timeout: 90_000 });
    await client.goto(`${webUrl}/pay/31337/2`);
    await client.getByTestId("pay-form").waitFor({ timeout: 30_000 });
    // The wallet reconnects by itself after a reload; if it has not within a few seconds, connect it.
    const input = client.getByTestId("pay-amount-input");
    await input.waitFor({ timeout: 5_000 }).catch(() => client.getByTestId("connect-wallet").first().click());
    await input.waitFor({ timeout: 30_000 });
    const before = sent(clientWallet);
    await client.getByTestId("pay-amount-input").fill("abc");
    await client.getByTestId("pay-button").click();
    expect(await client.getByTestId("pay-form").getByRole("alert").first().textContent()).toContain("An amount is a number of dollars");
    await client.getByTestId("pay-amount-input").fill("60");
    await client.getByTestId("pay-button").click();
    expect(await client.getByTestId("pay-form").getByRole("alert").first().textContent()).toBe("At most $50.00 is still owed");
    expect(sent(clientWallet)).toBe(before);

    await owner.getByTestId("invoice-2").getByTestId("invoice-cancel").click();
    await owner.getByTestId("confirm").click();
    await expect.poll(() => owner.getByTestId("invoice-2").getAttribute("data-status"), { timeout: 60_000 }).toBe("Cancelled");
    await expect.poll(() => client.getByTestId("pay-status").textContent(), { timeout: 30_000 }).toBe("Cancelled");
    expect(await client.getByTestId("pay-button").count()).toBe(0);
  });

  it("opens an assistant's invoice draft in the form, prefilled with its caution, and issues it only when the owner signs", async () => {
    const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const draft = parseDraft({ kind: "invoice", to: CLIENT, amount: "42.5", reference: "INV-3", due, caution: "check the payer" });
    if (!draft.ok) throw new Error(draft.error);
    const before = sent(ownerWallet);
    await owner.goto(`${webUrl}${draftLink(draft.value)}`);
    const form = owner.locator("#new-invoice");
    await form.getByTestId("drafted").waitFor({ timeout: 30_000 });
    expect(await form.getAttribute("data-testid")).toBe("create-invoice");
    expect(await form.getByTestId("drafted").textContent()).toContain("Caution: check the payer");
    const values = await Promise.all(
      ["invoice-payer", "invoice-amount", "invoice-reference", "invoice-due"].map((id) => form.getByTestId(id).inputValue()),
    );
    expect(values).toEqual([CLIENT, "42.50", "INV-3", due]);
    expect(sent(ownerWallet)).toBe(before);
    // The wallet reconnects by itself after a load; if it has not within a few seconds, connect it.
    const issue = form.getByTestId("issue-invoice");
    await expect
      .poll(() => issue.isEnabled(), { timeout: 5_000 })
      .toBe(true)
      .catch(() => owner.getByTestId("connect-wallet").first().click());
    await expect.poll(() => issue.isEnabled(), { timeout: 30_000 }).toBe(true);
    await issue.click();
    await waitIndexed(owner, "create-invoice-status");
    expect(sent(ownerWallet)).toBe(before + 1);
    const row = owner.getByTestId("invoice-3");
    await row.waitFor({ timeout: 30_000 });
    expect(await row.getAttribute("data-status")).toBe("Open");
    expect(await row.textContent()).toContain("INV-3$42.50$0.00");
  });

  it("is installable and opens its shell offline", async () => {
    const manifest = (await (await fetch(`${webUrl}/manifest.webmanifest`)).json()) as { name: string; display: string; icons: unknown[] };
    expect(manifest).toMatchObject({ name: "SOVR Command Center", display: "standalone" });
    expect(manifest.icons.length).toBeGreaterThanOrEqual(2);
    const page = await clientContext.newPage();
    await page.goto(`${webUrl}/billing`);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    // A second visit, under the service worker: the deployment's config.json is kept for offline use too.
    await page.reload();
    await page.getByRole("heading", { level: 1 }).waitFor();
    await clientContext.setOffline(true);
    try {
      await page.reload();
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent(), { timeout: 20_000 }).toBe("SOVR COMMAND CENTER");
    } finally {
      await clientContext.setOffline(false);
      await page.close();
    }
  });
});

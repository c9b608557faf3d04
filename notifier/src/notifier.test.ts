/**
 * The notifier as a real process against a real Anvil chain and Ponder indexer, delivering to real
 * local receivers of all six channel kinds (HTTP receivers answering like each service, smtp-server):
 * routing and deduplication, repeats and escalation until the owner acknowledges on-chain, the
 * recovery, silence inside a maintenance window, retries and failures as Settings shows them, the
 * test button, and a SIGKILL mid-delivery: no event lost, none delivered twice on any channel.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  componentKinds,
  componentRegistryAbi,
  componentStatuses,
  guardianAttestationsAbi,
  periodUnits,
  type SovrDeployment,
  signalSeverities,
  sovrCreditAbi,
  sovrInvoicesAbi,
  sovrLedgerAbi,
  sovrMaintenanceAbi,
  sovrOrdersAbi,
  subjectOf,
  verdictActions,
  verdictLevels,
} from "@sovr/contracts";
import { type IndexerProcess, spawnIndexer } from "@sovr/indexer/process";
import { type LocalChain, startLocalChain } from "@sovr/runtime/chain";
import { deployForTest, freePort, removeDeployment } from "@sovr/runtime/testing";
import {
  type Abi,
  type Address,
  createWalletClient,
  type Hex,
  http,
  keccak256,
  parseEventLogs,
  stringToHex,
  type TransactionReceipt,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotificationsInput } from "./config.ts";
import { type ChannelReport, failingChannels } from "./notifier.ts";
import { type NotifierProcess, spawnNotifier } from "./process.ts";
import { type HttpReceiver, type ReceivedRequest, type SmtpReceiver, startHttpReceiver, startSmtpReceiver } from "./testing/receivers.ts";

const home = mkdtempSync(join(tmpdir(), "sovr-notifier-"));
const deploymentId = `sovr-test-notifier-${process.pid}`;
const allAbis = [
  ...componentRegistryAbi,
  ...guardianAttestationsAbi,
  ...sovrMaintenanceAbi,
  ...sovrLedgerAbi,
  ...sovrCreditAbi,
  ...sovrInvoicesAbi,
  ...sovrOrdersAbi,
] as Abi;

let chain: LocalChain;
let deployment: SovrDeployment;
let indexer: IndexerProcess;
let notifier: NotifierProcess;
let notifierPort: number;
let owner: Address;
let guardianKey: Hex;
let http_: Record<"hook" | "ops" | "chat" | "phone" | "tg", HttpReceiver>;
let smtp: SmtpReceiver;
/** The channel for getting paid: invoices paid and overdue, standing orders refused. */
let money: HttpReceiver;

type Channel = keyof typeof http_ | "mail";
const CHANNELS: Channel[] = ["hook", "ops", "chat", "phone", "tg", "mail"];

async function send(from: Address | Hex, address: Address, functionName: string, args: unknown[]): Promise<TransactionReceipt> {
  const account = from.length === 66 ? privateKeyToAccount(from as Hex) : (from as Address);
  const wallet = createWalletClient({ chain: foundry, transport: http(chain.url), account });
  const hash = await wallet.writeContract({ address, abi: allAbis, functionName, args, chain: foundry, account } as never);
  const receipt = await chain.client.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  return receipt;
}

/** The delivery ids a channel received (each service carries the id its own way). */
function deliveries(channel: Channel): string[] {
  if (channel === "mail") return smtp.received.map((mail) => mail.delivery);
  return http_[channel].received.map((request: ReceivedRequest) => {
    if (channel === "hook") return String(request.headers["x-sovr-delivery"]);
    const text = JSON.stringify(request.json);
    return /ref ([^)\s\\]+)\)/.exec(text)?.[1] ?? "?";
  });
}

const textsOf = (channel: Channel) =>
  channel === "mail"
    ? smtp.received.map((m) => m.raw.replace(/=\r?\n/g, "").replace(/=3D/g, "="))
    : http_[channel].received.map((r) => r.body);

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${notifier.service.output().slice(-3000)}`);
    await sleep(50);
  }
}

const notifications = (): NotificationsInput => ({
  commandCenterUrl: "https://sovr.example.test",
  channels: {
    hook: { type: "webhook", url: `${http_.hook.url}/sovr`, secret: { env: "TEST_HOOK_SECRET" } },
    ops: { type: "slack", webhookUrl: { env: "TEST_SLACK_URL" } },
    chat: { type: "discord", webhookUrl: { env: "TEST_DISCORD_URL" } },
    phone: { type: "ntfy", url: http_.phone.url, topic: "sovr" },
    tg: { type: "telegram", botToken: { env: "TEST_TG_TOKEN" }, chatId: "42", apiUrl: http_.tg.url },
    mail: { type: "email", host: "127.0.0.1", port: smtp.port, from: "sovr@example.test", to: ["owner@example.test"] },
    money: { type: "webhook", url: `${money.url}/sovr`, secret: { env: "TEST_HOOK_SECRET" } },
  },
  routes: [
    {
      kinds: ["component"],
      minSeverity: "high",
      channels: ["hook", "ops"],
      repeatMinutes: 0.04,
      escalateAfterMinutes: 0.08,
      escalateTo: ["mail"],
    },
    { kinds: ["signal"], minSeverity: "high", channels: ["hook", "ops", "chat", "phone", "tg", "mail"] },
    { kinds: ["verdict"], minSeverity: "high", channels: ["hook"] },
    { kinds: ["invoice.paid", "invoice.overdue", "order.failed"], minSeverity: "info", channels: ["money"] },
  ],
  rateLimit: { count: 1000, perMinutes: 1 },
});

function startNotifier() {
  return spawnNotifier({
    port: notifierPort,
    indexerUrl: indexer.url,
    home,
    webUrl: "http://127.0.0.1:5173",
    notifications: notifications(),
    env: {
      TEST_HOOK_SECRET: "hook-secret",
      TEST_SLACK_URL: `${http_.ops.url}/services/T/B/X`,
      TEST_DISCORD_URL: `${http_.chat.url}/api/webhooks/1/tok`,
      TEST_TG_TOKEN: "1:TOKEN",
      SOVR_NOTIFIER_POLL_MS: "50",
      SOVR_NOTIFY_TICK_MS: "200",
      SOVR_NOTIFY_RETRIES: "3",
      SOVR_NOTIFY_BACKOFF_MS: "50",
      SOVR_NOTIFY_MAX_BACKOFF_MS: "200",
      SOVR_NOTIFY_TIMEOUT_MS: "3000",
    },
  });
}

const SIGNAL_CRITICAL = signalSeverities.indexOf("CRITICAL");

beforeAll(async () => {
  chain = await startLocalChain({ port: await freePort(), stateDir: join(home, "chain"), stateIntervalSeconds: 60 });
  const test = await deployForTest(chain, deploymentId);
  deployment = test.deployment;
  owner = test.owner;
  guardianKey = test.guardianKey;
  indexer = spawnIndexer({
    port: await freePort(),
    rpcUrl: chain.url,
    chainId: foundry.id,
    deploymentId,
    dataDir: join(home, "indexer"),
    env: { SOVR_INDEXER_POLLING_MS: "100" },
  });
  http_ = {
    hook: await startHttpReceiver("webhook"),
    ops: await startHttpReceiver("slack"),
    chat: await startHttpReceiver("discord"),
    phone: await startHttpReceiver("ntfy"),
    tg: await startHttpReceiver("telegram"),
  };
  smtp = await startSmtpReceiver();
  money = await startHttpReceiver("webhook");
  // The owner's components: a critical API and a database; the owner reports for both here.
  await send(owner, deployment.registry, "register", [
    "payments api",
    componentKinds.indexOf("CORE_BACKEND"),
    "http://127.0.0.1:1/h",
    true,
    owner,
    owner,
  ]);
  await send(owner, deployment.registry, "register", [
    "db",
    componentKinds.indexOf("INFRASTRUCTURE"),
    "tcp://127.0.0.1:2",
    false,
    owner,
    owner,
  ]);
  await indexer.waitForBlock(await chain.client.getBlockNumber());
  notifierPort = await freePort();
  notifier = startNotifier();
  await notifier.waitUntilLive();
}, 180_000);

afterAll(async () => {
  await notifier?.stop();
  await indexer?.stop();
  await chain?.stop();
  await Promise.all([...Object.values(http_ ?? {}).map((r) => r.close()), smtp?.close(), money?.close()]);
  removeDeployment(deploymentId);
  rmSync(home, { recursive: true, force: true });
});

/** The subject of the first log named `eventName` in a receipt (what the guardian's verdicts name). */
function subjectIn(receipt: TransactionReceipt, eventName: string): Hex {
  const log = parseEventLogs({ abi: allAbis, logs: receipt.logs }).find((l) => l.eventName === eventName)!;
  return subjectOf({ blockNumber: receipt.blockNumber, logIndex: log.logIndex, txHash: receipt.transactionHash });
}

describe("notifier", () => {
  it("tells every routed channel once, repeats and escalates until the owner acknowledges, then tells the recovery", async () => {
    await send(owner, deployment.registry, "reportHealth", [1, componentStatuses.indexOf("ONLINE"), 5]);
    const down = await send(owner, deployment.registry, "reportHealth", [1, componentStatuses.indexOf("OFFLINE"), 0]);
    await until("the outage on hook and ops", () => http_.hook.received.length >= 1 && http_.ops.received.length >= 1);
    const first = http_.hook.received[0]!.json as { severity: string; title: string; link: string; kind: string };
    expect(first).toMatchObject({
      kind: "component",
      severity: "critical",
      title: "payments api is OFFLINE",
      link: "https://sovr.example.test/?component=1",
    });
    expect(textsOf("ops")[0]).toContain("payments api is OFFLINE");

    // The guardian's HIGH verdict on the same event: the verdict route's channel already knows.
    const subject = subjectIn(down, "HealthChanged");
    const attested = await send(guardianKey, deployment.guardian, "attest", [
      subject,
      verdictLevels.indexOf("HIGH"),
      verdictActions.indexOf("ALERT"),
      keccak256(toHex("component_offline")).slice(0, 66),
      95,
      "critical payments api (1) went ONLINE -> OFFLINE",
      keccak256(toHex("rules/2")),
    ]);
    const verdictId = parseEventLogs({ abi: allAbis, logs: attested.logs, eventName: "VerdictAttested" })[0]!.args as { verdictId: bigint };

    // Unacknowledged: repeated every 2.4 s on hook and ops, escalated to email after 4.8 s.
    await until("a repeat", () => deliveries("hook").some((id) => id.includes("#r1:")), 20_000);
    await until("the escalation to email", () => deliveries("mail").some((id) => id.includes("#e:mail")), 20_000);
    expect(deliveries("hook").filter((id) => !id.includes("#"))).toHaveLength(1);
    expect(
      (http_.hook.received.find((r) => String(r.headers["x-sovr-delivery"]).includes("#r1:"))!.json as { repeat: number }).repeat,
    ).toBe(1);

    // The owner acknowledges on-chain: repeats and escalation stop.
    await send(owner, deployment.guardian, "acknowledge", [verdictId.verdictId, "on it"]);
    await sleep(1500);
    const settled = CHANNELS.map((c) => deliveries(c).length);
    await sleep(5000);
    expect(CHANNELS.map((c) => deliveries(c).length)).toEqual(settled);
    // The verdict itself was never a second message on hook.
    expect(http_.hook.received.filter((r) => (r.json as { kind: string }).kind === "verdict")).toHaveLength(0);

    // Back online: told to every channel that heard of the outage, email included.
    await send(owner, deployment.registry, "reportHealth", [1, componentStatuses.indexOf("ONLINE"), 5]);
    for (const channel of ["hook", "ops", "mail"] as const) {
      await until(`the recovery on ${channel}`, () => textsOf(channel).some((text) => text.includes("payments api is back ONLINE")));
    }
    expect(textsOf("chat").some((text) => text.includes("back ONLINE"))).toBe(false);
  });

  it("tells the owner of an invoice paid, a charge refused, a period missed and an overdue invoice", async () => {
    const payer = privateKeyToAccount("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6").address;
    await send(owner, deployment.ledger, "openPrimaryAccount", [owner]);
    await send(owner, deployment.ledger, "openPrimaryAccount", [payer]);
    await send(owner, deployment.credit, "issueTo", [9_001n, payer, 5_000_000n, toHex(0, { size: 32 })]);
    const ownerAccount = (await chain.client.readContract({
      address: deployment.ledger,
      abi: sovrLedgerAbi,
      functionName: "primaryAccountId",
      args: [owner],
    })) as bigint;
    const messages = () =>
      money.received.map((r) => r.json as { kind: string; severity: string; title: string; text: string; link: string });

    const issued = await send(owner, deployment.invoices, "createInvoice", [
      ownerAccount,
      3_000_000n,
      payer,
      0,
      false,
      "INV-9: ignore the rules",
      [],
    ]);
    const invoiceId = (parseEventLogs({ abi: sovrInvoicesAbi, logs: issued.logs, eventName: "InvoiceIssued" })[0]!.args as { id: bigint })
      .id;
    await send(payer, deployment.invoices, "pay", [invoiceId, 3_000_000n, 1n]);
    const paid = await until("the invoice paid", () => messages().find((m) => m.kind === "invoice.paid"));
    expect(paid).toMatchObject({
      severity: "info",
      title: `Invoice ${invoiceId} paid in full`,
      text: `$3.00 from ${payer.toLowerCase()} on invoice ${invoiceId} (INV-9: ignore the rules); $3.00 received in all.`,
      link: "https://sovr.example.test/billing",
    });

    // $10.00 a month from an account holding $2.00, no retries: the first charge is refused and the period missed.
    const head = await chain.client.getBlock();
    const created = await send(payer, deployment.orders, "createOrder", [
      ownerAccount,
      10_000_000n,
      10_000_000n,
      { startAt: Number(head.timestamp) + 60, every: 1, unit: periodUnits.indexOf("Months"), periods: 3, endAt: 0 },
      { retries: 0, retryEvery: 0 },
    ]);
    const orderId = (parseEventLogs({ abi: sovrOrdersAbi, logs: created.logs, eventName: "OrderCreated" })[0]!.args as { id: bigint }).id;
    await chain.client.request({ method: "evm_increaseTime" as never, params: [120] as never });
    // Mined, so that the charge's gas is estimated with the period due.
    await chain.client.request({ method: "evm_mine" as never });
    await send(owner, deployment.orders, "chargeDue", [[{ orderId, period: 0 }]]);
    const missed = await until("the missed period", () => messages().find((m) => m.kind === "order.failed"));
    expect(missed).toMatchObject({
      severity: "high",
      title: `Standing order ${orderId}: period 0 missed`,
      text: `The ledger refused period 0 of order ${orderId} (ExceedsCredits), attempt 1; no attempts are left.`,
      link: "https://sovr.example.test/payments",
    });

    // The guardian's verdict on an overdue invoice (its subject names the invoice, not an event) is the overdue notice.
    const overdueSubject = `0xffffffffffffffff00000000${invoiceId.toString(16).padStart(40, "0")}` as Hex;
    await send(guardianKey, deployment.guardian, "attest", [
      overdueSubject,
      verdictLevels.indexOf("MEDIUM"),
      verdictActions.indexOf("ALERT"),
      stringToHex("invoice_overdue", { size: 32 }),
      95,
      `invoice ${invoiceId} is overdue by 3 days`,
      keccak256(toHex("rules/2")),
    ]);
    const overdue = await until("the overdue invoice", () => messages().find((m) => m.kind === "invoice.overdue"));
    expect(overdue).toMatchObject({ severity: "medium", link: "https://sovr.example.test/billing" });
    expect(overdue.text).toContain(`invoice ${invoiceId} is overdue by 3 days`);
    // None of it reached a channel routed for other kinds.
    expect(textsOf("hook").some((text) => text.includes("INV-9"))).toBe(false);
  });

  it("stays silent inside a maintenance window", async () => {
    const before = deliveries("hook").length;
    const now = Number((await chain.client.getBlock()).timestamp);
    await send(owner, deployment.maintenance, "scheduleOnce", [2, now, now + 3600, "disk swap"]);
    await send(owner, deployment.registry, "reportHealth", [2, componentStatuses.indexOf("OFFLINE"), 0]);
    await indexer.waitForBlock(await chain.client.getBlockNumber());
    await sleep(2000);
    expect(deliveries("hook")).toHaveLength(before);
    const metrics = await (await fetch(`${notifier.url}/metrics`)).text();
    expect(metrics).toMatch(/notifier_suppressed_total\{reason="maintenance"\} [1-9]/);
  });

  it("retries with back-off, shows failures in Settings and metrics, and tests a channel on request", async () => {
    let failures = 2;
    http_.tg.respond(() => (failures-- > 0 ? { status: 502, body: { ok: false, description: "Bad Gateway" } } : { status: 200 }));
    http_.chat.respond(() => ({ status: 404, body: { message: "Unknown Webhook", code: 10015 } }));
    const tgBefore = http_.tg.received.length;
    await send(owner, deployment.registry, "signal", [1, SIGNAL_CRITICAL, "payment_anomaly", "refunds spiking"]);
    await until("the telegram message after two 502s", () => http_.tg.received.length > tgBefore);
    type Report = { name: string; sent24h: number; failed24h: number; lastError: { error: string; final: boolean } | null };
    const channels = async () => ((await (await fetch(`${notifier.url}/api/channels`)).json()) as { channels: Report[] }).channels;
    const deadline = Date.now() + 10_000;
    let chat: Report | undefined;
    while (Date.now() < deadline) {
      chat = (await channels()).find((c) => c.name === "chat");
      if (chat?.failed24h) break;
      await sleep(100);
    }
    expect(chat).toMatchObject({ failed24h: 1, lastError: { final: true } });
    expect(chat!.lastError!.error).toContain("Discord answered 404");
    const tg = (await channels()).find((c) => c.name === "tg")!;
    expect(tg.lastError).toMatchObject({ final: false });
    expect(tg.lastError!.error).toContain("Telegram answered 502");
    const failed = ((await (await fetch(`${notifier.url}/api/failures`)).json()) as { failures: { channel: string }[] }).failures;
    expect(failed.filter((f) => f.channel === "tg")).toHaveLength(2);
    const metrics = await (await fetch(`${notifier.url}/metrics`)).text();
    expect(metrics).toMatch(/notifier_delivery_attempts_failed_total\{channel="tg"\} 2/);
    expect(metrics).toMatch(/notifier_deliveries_total\{channel="chat",outcome="failed"\} 1/);
    // The channel that gave up makes the stack component DEGRADED (the supervisor reads `degraded`).
    const health = await fetch(`${notifier.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "OK", degraded: true, failing: ["chat"] });
    http_.chat.respond(() => ({ status: 200 }));

    // The Settings button: one test message, now, and not twice within 5 s; the command center's origin only.
    const phoneBefore = http_.phone.received.length;
    const tested = await fetch(`${notifier.url}/api/channels/phone/test`, { method: "POST", headers: { origin: "http://127.0.0.1:5173" } });
    expect(tested.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:5173");
    expect(await tested.json()).toMatchObject({ ok: true });
    expect(http_.phone.received.length).toBe(phoneBefore + 1);
    expect(http_.phone.received.at(-1)!.json).toMatchObject({ title: "[INFO TEST] Test message for channel phone" });
    expect((await fetch(`${notifier.url}/api/channels/phone/test`, { method: "POST" })).status).toBe(429);
    expect(
      (await fetch(`${notifier.url}/api/channels/phone/test`, { method: "POST", headers: { origin: "https://evil.example" } })).status,
    ).toBe(403);
    expect((await fetch(`${notifier.url}/api/channels/nope/test`, { method: "POST" })).status).toBe(404);
  }, 60_000);

  it("SIGKILL mid-delivery: after the restart every event reaches every channel, none twice over HTTP", async () => {
    const before = Object.fromEntries(CHANNELS.map((c) => [c, new Set(deliveries(c))]));
    // Slow receivers, so the kill lands while requests and SMTP transactions are under way.
    for (const receiver of Object.values(http_)) receiver.respond(() => ({ status: 200, delayMs: 150 }));
    smtp.delay(150);
    const COUNT = 12;
    const receipts: TransactionReceipt[] = [];
    for (let i = 0; i < COUNT; i++) {
      // Distinct kinds: the same kind again within the dedup window would be told once.
      receipts.push(await send(owner, deployment.registry, "signal", [1, SIGNAL_CRITICAL, `disk_errors_${i}`, `sector ${i} unreadable`]));
    }
    const fresh = (c: Channel) => deliveries(c).filter((id) => !before[c]!.has(id));
    await until(
      `a few deliveries under way (${CHANNELS.map((c) => fresh(c).length).join("/")})`,
      () => CHANNELS.every((c) => fresh(c).length >= 2),
      30_000,
    );
    process.kill(notifier.service.ref.pid, "SIGKILL");
    await notifier.service.exited;
    const atKill = CHANNELS.map((c) => fresh(c).length);
    expect(atKill.some((n) => n < COUNT)).toBe(true);

    for (const receiver of Object.values(http_)) receiver.respond(() => ({ status: 200 }));
    smtp.delay(0);
    notifier = startNotifier();
    await notifier.waitUntilLive();
    for (const channel of CHANNELS) await until(`all ${COUNT} on ${channel}`, () => fresh(channel).length >= COUNT, 60_000);
    await sleep(1500);
    for (const channel of CHANNELS) {
      const ids = fresh(channel);
      expect(new Set(ids).size, `${channel}: ${ids.join(", ")}`).toBe(COUNT);
      if (channel !== "mail") expect(ids).toHaveLength(COUNT);
    }
    // SMTP has no commit point before the server's 250: a kill between that 250 and the journal's
    // record sends the message again, under the same Message-ID, by which a mailbox can tell the copy.
    const messageIds = new Map<string, Set<string>>();
    for (const mail of smtp.received.filter((m) => !before.mail!.has(m.delivery))) {
      messageIds.set(mail.delivery, (messageIds.get(mail.delivery) ?? new Set()).add(mail.messageId));
    }
    expect([...messageIds.values()].map((ids) => ids.size)).toEqual(Array(COUNT).fill(1));
    expect(new Set([...messageIds.values()].flatMap((ids) => [...ids])).size).toBe(COUNT);
    // Every signal, by its event, on every channel.
    const eventIds = new Set(
      (http_.hook.received.slice(-COUNT).map((r) => (r.json as { text: string }).text) as string[]).map((text) =>
        text.replace(/^sector (\d+).*$/, "$1"),
      ),
    );
    expect(eventIds.size).toBe(COUNT);
    console.log(
      `SIGKILL after ${atKill.join("/")} of ${COUNT} per channel (${CHANNELS.join("/")}); after the restart ${COUNT} each, none twice over HTTP, mail once per Message-ID`,
    );
  }, 120_000);
});

describe("failingChannels", () => {
  const channel = (name: string, lastSentAt: number | null, lastError: ChannelReport["lastError"]): ChannelReport => ({
    name,
    type: "webhook",
    target: "127.0.0.1",
    sent24h: 0,
    failed24h: 0,
    pending: 0,
    lastSentAt,
    lastError,
  });

  it("names a channel whose last delivery gave up, until one reaches it again", () => {
    expect(
      failingChannels([
        channel("never-sent", null, { at: 2_000, error: "HTTP 404", final: true }),
        channel("gave-up", 1_000, { at: 2_000, error: "HTTP 404", final: true }),
        channel("recovered", 3_000, { at: 2_000, error: "HTTP 404", final: true }),
        channel("retrying", 1_000, { at: 2_000, error: "HTTP 502", final: false }),
        channel("fine", 1_000, null),
      ]),
    ).toEqual(["never-sent", "gave-up"]);
  });
});

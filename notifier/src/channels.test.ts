/**
 * Every channel against a real local receiver of its kind (HTTP for webhook, Slack, Discord, ntfy and
 * Telegram; smtp-server for email): the request each service expects, chain text escaped so it pings
 * nobody, the webhook's HMAC signature, which failures are worth retrying, and the commit point.
 */
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { storeSecret } from "@sovr/runtime/secrets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeliveryError } from "./channels/http.ts";
import { type Channel, createChannel } from "./channels/index.ts";
import type { Message } from "./message.ts";
import { type HttpReceiver, type SmtpReceiver, startHttpReceiver, startSmtpReceiver } from "./testing/receivers.ts";

const home = mkdtempSync(join(tmpdir(), "sovr-channels-"));
const INJECTED = "@everyone <!channel> <https://evil.example|click> *bold* ignore previous instructions";
const message: Message = {
  deliveryId: "123-0:ops",
  noticeId: "123-0",
  kind: "component",
  severity: "critical",
  title: `payments api is OFFLINE ${INJECTED}`,
  text: `critical component went ONLINE -> OFFLINE. ${INJECTED}`,
  link: "http://127.0.0.1:5173/?component=1",
  at: 1_800_000_000,
  component: "payments api",
};

let receivers: Record<"webhook" | "slack" | "discord" | "ntfy" | "telegram", HttpReceiver>;
let smtp: SmtpReceiver;
const env = { SLACK_URL: "", DISCORD_URL: "", HOOK_SECRET: "s3cret-hmac-key", TG_TOKEN: "123:ABC" } as Record<string, string>;

beforeAll(async () => {
  receivers = {
    webhook: await startHttpReceiver("webhook"),
    slack: await startHttpReceiver("slack"),
    discord: await startHttpReceiver("discord"),
    ntfy: await startHttpReceiver("ntfy"),
    telegram: await startHttpReceiver("telegram"),
  };
  smtp = await startSmtpReceiver();
  env.SLACK_URL = `${receivers.slack.url}/services/T000/B000/XXXX`;
  storeSecret(home, "discord-hook", `${receivers.discord.url}/api/webhooks/1/token`);
});
afterAll(async () => {
  await Promise.all([...Object.values(receivers).map((r) => r.close()), smtp.close()]);
  rmSync(home, { recursive: true, force: true });
});

const channels = (): Record<string, Channel> => ({
  webhook: createChannel("hook", { type: "webhook", url: `${receivers.webhook.url}/sovr`, secret: { env: "HOOK_SECRET" } }, { home, env }),
  slack: createChannel("ops", { type: "slack", webhookUrl: { env: "SLACK_URL" } }, { home, env }),
  discord: createChannel("chat", { type: "discord", webhookUrl: { keystore: "discord-hook" } }, { home, env }),
  ntfy: createChannel("phone", { type: "ntfy", url: receivers.ntfy.url, topic: "sovr-alerts" }, { home, env }),
  telegram: createChannel(
    "tg",
    { type: "telegram", botToken: { env: "TG_TOKEN" }, chatId: "4242", apiUrl: receivers.telegram.url },
    { home, env },
  ),
  email: createChannel(
    "mail",
    { type: "email", host: "127.0.0.1", port: smtp.port, secure: false, from: "SOVR <sovr@example.com>", to: ["owner@example.com"] },
    { home, env },
  ),
});

describe("channels", () => {
  it("send what each service expects, with chain text unable to ping or link", async () => {
    const all = channels();
    let commits = 0;
    for (const channel of Object.values(all)) await channel.send(message, () => commits++);
    expect(commits).toBe(6);

    const hook = receivers.webhook.received.at(-1)!;
    const timestamp = String(hook.headers["x-sovr-timestamp"]);
    const expected = createHmac("sha256", "s3cret-hmac-key").update(`${timestamp}.${hook.body}`).digest("hex");
    expect(hook.headers["x-sovr-signature"]).toBe(`sha256=${expected}`);
    expect(hook.headers["x-sovr-delivery"]).toBe("123-0:ops");
    expect(hook.json).toMatchObject({
      id: "123-0:ops",
      event: "123-0",
      severity: "critical",
      link: message.link,
      component: "payments api",
    });

    const slack = receivers.slack.received.at(-1)!;
    expect(slack.path).toBe("/services/T000/B000/XXXX");
    const slackText = (slack.json as { text: string }).text;
    expect(slackText).not.toContain("<!channel>");
    expect(slackText).toContain("&lt;!channel&gt;");
    expect(slackText).not.toContain("<https://evil.example|click>");
    expect(slackText).toContain(`<${message.link}|Open in the command center>`);

    const discord = receivers.discord.received.at(-1)!;
    expect(discord.path).toBe("/api/webhooks/1/token?wait=true");
    expect(discord.json).toMatchObject({ allowed_mentions: { parse: [] } });
    expect((discord.json as { content: string }).content).toContain(message.link);

    expect(receivers.ntfy.received.at(-1)!.json).toMatchObject({
      topic: "sovr-alerts",
      priority: 5,
      click: message.link,
      tags: ["critical", "component"],
    });

    const telegram = receivers.telegram.received.at(-1)!;
    expect(telegram.path).toBe("/bot123:ABC/sendMessage");
    expect(telegram.json).toMatchObject({ chat_id: "4242", disable_web_page_preview: true });
    expect(telegram.json).not.toHaveProperty("parse_mode");

    const mail = smtp.received.at(-1)!;
    expect(mail.to).toEqual(["owner@example.com"]);
    expect(mail.subject).toContain("[CRITICAL] payments api is OFFLINE");
    expect(mail.delivery).toBe("123-0:ops");
    expect(mail.messageId).toBe("<123-0.ops@sovr.notifier>");
    // Quoted-printable: soft line breaks and "=3D" for "=".
    expect(mail.raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=")).toContain(message.link);
    expect(all.email!.commit).toBe("attempted");
    expect(all.slack!.commit).toBe("received");
    for (const channel of Object.values(all)) channel.close();
  });

  it("commit before the receiver has the whole request", async () => {
    const channel = channels().webhook!;
    const before = receivers.webhook.received.length;
    let receivedAtCommit = -1;
    await channel.send(message, () => {
      receivedAtCommit = receivers.webhook.received.length;
    });
    expect(receivedAtCommit).toBe(before);
    expect(receivers.webhook.received.length).toBe(before + 1);
  });

  it("say which failures are worth retrying", async () => {
    const channel = channels().slack!;
    receivers.slack.respond(() => ({ status: 500, body: "internal_error" }));
    await expect(channel.send(message, () => {})).rejects.toMatchObject({ retriable: true, status: 500 });
    receivers.slack.respond(() => ({ status: 429, body: "rate_limited", headers: { "retry-after": "2" } }));
    await expect(channel.send(message, () => {})).rejects.toMatchObject({ retriable: true, retryAfterMs: 2000 });
    receivers.slack.respond(() => ({ status: 404, body: "no_service" }));
    const refused = await channel.send(message, () => {}).catch((error: DeliveryError) => error);
    expect(refused).toBeInstanceOf(DeliveryError);
    expect(refused).toMatchObject({ retriable: false, message: "Slack answered 404: no_service" });
    receivers.slack.respond(() => ({ status: 200 }));
    const nobody = createChannel("gone", { type: "ntfy", url: "http://127.0.0.1:9", topic: "x" }, { home, env });
    await expect(nobody.send(message, () => {})).rejects.toMatchObject({ retriable: true });
  });

  it("name a missing secret in one line, never its value", () => {
    expect(() => createChannel("ops", { type: "slack", webhookUrl: { env: "NOT_SET" } }, { home, env })).toThrow(
      'channel "ops": the secret NOT_SET is not set in the environment',
    );
    expect(() => createChannel("chat", { type: "discord", webhookUrl: { keystore: "nope" } }, { home, env })).toThrow(
      'channel "chat": the keystore has no secret "nope": run `pnpm sovr secret set nope`',
    );
  });
});

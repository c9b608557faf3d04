/**
 * The six kinds of channel. Each turns a `Message` into its service's request, with chain text
 * escaped for that service's markup (no @everyone, no <!channel>, no fake links), and says what its
 * commit point means: `received` (an HTTP request complete on the wire: not sent again after a
 * restart) or `attempted` (SMTP: a message is accepted only with the server's 250, so an interrupted
 * one is sent again, under the same Message-ID).
 */
import { createHmac } from "node:crypto";
import { resolveSecret, type SecretRef } from "@sovr/runtime/secrets";
import nodemailer from "nodemailer";
import type { ChannelConfig } from "../config.ts";
import { cut, type Message, plainText, subjectOf } from "../message.ts";
import { DeliveryError, expectSuccess, postCommitted } from "./http.ts";

export type Channel = {
  name: string;
  type: ChannelConfig["type"];
  /** Where it sends, without any secret (for Settings and logs). */
  target: string;
  commit: "received" | "attempted";
  /** Sends one message; `onCommit` runs at the commit point (see above). Throws a DeliveryError. */
  send(message: Message, onCommit: () => void): Promise<void>;
  close(): void;
};

export type ChannelContext = { home: string; env: NodeJS.ProcessEnv; timeoutMs?: number };

const NTFY_PRIORITY = { info: 2, low: 2, medium: 3, high: 4, critical: 5 } as const;

/** Slack's mrkdwn: &, < and > are the only characters to escape; they also stop <!channel> and fake links. */
const slackEscape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Builds a channel; a secret that cannot be resolved fails here, in one line naming the channel. */
export function createChannel(name: string, config: ChannelConfig, context: ChannelContext): Channel {
  const secret = (ref: SecretRef) => {
    try {
      return resolveSecret(ref, context.home, context.env);
    } catch (error) {
      throw new Error(`channel "${name}": ${(error as Error).message}`);
    }
  };
  const timeoutMs = context.timeoutMs ?? 10_000;
  switch (config.type) {
    case "webhook": {
      const url = typeof config.url === "string" ? config.url : secret(config.url);
      const key = secret(config.secret);
      return {
        name,
        type: config.type,
        target: new URL(url).origin + new URL(url).pathname.slice(0, 24),
        commit: "received",
        async send(message, onCommit) {
          const timestamp = String(Math.floor(Date.now() / 1000));
          const body = JSON.stringify({
            id: message.deliveryId,
            event: message.noticeId,
            kind: message.kind,
            severity: message.severity,
            title: message.title,
            text: message.text,
            link: message.link,
            at: message.at,
            component: message.component ?? null,
            repeat: message.repeat ?? 0,
            escalated: message.escalated === true,
            test: message.test === true,
            digest: message.digest ?? [],
          });
          const signature = createHmac("sha256", key).update(`${timestamp}.${body}`).digest("hex");
          const answer = await postCommitted(
            url,
            body,
            {
              "content-type": "application/json",
              "x-sovr-delivery": message.deliveryId,
              "idempotency-key": message.deliveryId,
              "x-sovr-timestamp": timestamp,
              "x-sovr-signature": `sha256=${signature}`,
            },
            onCommit,
            timeoutMs,
          );
          expectSuccess(answer, "the webhook");
        },
        close() {},
      };
    }
    case "slack": {
      const url = secret(config.webhookUrl);
      return {
        name,
        type: config.type,
        target: `${new URL(url).host} (Slack webhook)`,
        commit: "received",
        async send(message, onCommit) {
          const text = [
            `*${slackEscape(subjectOf(message))}*`,
            slackEscape(cut(plainText(message, { link: false }), 3000)),
            `<${message.link}|Open in the command center>`,
          ].join("\n");
          const answer = await postCommitted(
            url,
            JSON.stringify({ text, unfurl_links: false, unfurl_media: false }),
            { "content-type": "application/json" },
            onCommit,
            timeoutMs,
          );
          expectSuccess(answer, "Slack");
        },
        close() {},
      };
    }
    case "discord": {
      const url = secret(config.webhookUrl);
      return {
        name,
        type: config.type,
        target: `${new URL(url).host} (Discord webhook)`,
        commit: "received",
        async send(message, onCommit) {
          const answer = await postCommitted(
            `${url}${url.includes("?") ? "&" : "?"}wait=true`,
            JSON.stringify({
              username: "SOVR",
              content: cut(`**${subjectOf(message).replace(/[*_~`|>]/g, "\\$&")}**\n${plainText(message)}`, 2000),
              // Chain text may hold @everyone or a role mention: nothing in a message pings anyone.
              allowed_mentions: { parse: [] },
            }),
            { "content-type": "application/json" },
            onCommit,
            timeoutMs,
          );
          expectSuccess(answer, "Discord");
        },
        close() {},
      };
    }
    case "ntfy": {
      const token = config.token ? secret(config.token) : undefined;
      return {
        name,
        type: config.type,
        target: `${config.url.replace(/\/+$/, "")}/${config.topic}`,
        commit: "received",
        async send(message, onCommit) {
          const answer = await postCommitted(
            config.url,
            JSON.stringify({
              topic: config.topic,
              title: cut(subjectOf(message), 250),
              message: cut(plainText(message), 4000),
              priority: NTFY_PRIORITY[message.severity],
              tags: [message.severity, message.kind],
              click: message.link,
            }),
            { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
            onCommit,
            timeoutMs,
          );
          expectSuccess(answer, "ntfy");
        },
        close() {},
      };
    }
    case "telegram": {
      const token = secret(config.botToken);
      const api = config.apiUrl.replace(/\/+$/, "");
      return {
        name,
        type: config.type,
        target: `Telegram chat ${config.chatId}`,
        commit: "received",
        async send(message, onCommit) {
          // Plain text (no parse_mode): chain text cannot become markup.
          const answer = await postCommitted(
            `${api}/bot${token}/sendMessage`,
            JSON.stringify({
              chat_id: config.chatId,
              text: cut(`${subjectOf(message)}\n${plainText(message)}`, 4000),
              disable_web_page_preview: true,
            }),
            { "content-type": "application/json" },
            onCommit,
            timeoutMs,
          );
          if (answer.status === 429) {
            const retryAfter = Number(
              (JSON.parse(answer.body || "{}") as { parameters?: { retry_after?: number } }).parameters?.retry_after,
            );
            throw new DeliveryError("Telegram answered 429 (too many requests)", {
              retriable: true,
              status: 429,
              retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
            });
          }
          // The Bot API's errors carry the token nowhere, but the URL does: name the chat, never the URL.
          expectSuccess(answer, "Telegram");
        },
        close() {},
      };
    }
    case "email": {
      const password = config.password ? secret(config.password) : undefined;
      const transport = nodemailer.createTransport({
        host: config.host,
        port: config.port,
        secure: config.secure,
        ...(config.user ? { auth: { user: config.user, pass: password ?? "" } } : {}),
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
      });
      return {
        name,
        type: config.type,
        target: `${config.to.join(", ")} via ${config.host}:${config.port}`,
        commit: "attempted",
        async send(message, onCommit) {
          onCommit();
          try {
            await transport.sendMail({
              from: config.from,
              to: config.to,
              subject: cut(subjectOf(message), 200).replace(/[\r\n]+/g, " "),
              text: plainText(message),
              // The same delivery keeps its Message-ID when it is sent again after an interruption.
              messageId: `<${message.deliveryId.replace(/[^A-Za-z0-9.-]/g, ".")}@sovr.notifier>`,
              headers: { "X-Sovr-Delivery": message.deliveryId },
            });
          } catch (error) {
            const code = (error as { responseCode?: number }).responseCode;
            const retriable = code === undefined || (code >= 400 && code < 500);
            throw new DeliveryError(`SMTP ${config.host}: ${(error as Error).message.split("\n")[0]}`, {
              retriable,
              status: code,
            });
          }
        },
        close() {
          transport.close();
        },
      };
    }
  }
}

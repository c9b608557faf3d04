/**
 * The notifier's settings: the process's own from the environment (`sovr up` sets them), the
 * `notifications` section of the host configuration as JSON in `SOVR_NOTIFICATIONS` (validated by
 * `sovr up` with the file, and again here), secrets resolved from the environment or the keystore.
 */
import { join } from "node:path";
import { env, readEnv, sovrHome, UserError } from "@sovr/runtime";
import { type NotificationsConfig, notificationsSchema } from "./config.ts";

export type NotifierSettings = {
  home: string;
  indexerUrl: string;
  port: number;
  webUrl: string;
  /** Origins allowed to call the API from a browser (the command center). */
  allowedOrigins: string[];
  pollMs: number;
  retries: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  escalationTickMs: number;
  timeoutMs: number;
  config: NotificationsConfig;
};

const spec = {
  SOVR_INDEXER_URL: env.optional(env.httpUrl("")),
  SOVR_INDEXER_PORT: env.port(42069),
  SOVR_NOTIFIER_PORT: env.wholeNumber(9466),
  SOVR_WEB_URL: env.optional(env.httpUrl("")),
  SOVR_WEB_PORT: env.port(5173),
  SOVR_NOTIFIER_POLL_MS: env.wholeNumber(100, { min: 10 }),
  SOVR_NOTIFY_RETRIES: env.wholeNumber(8),
  SOVR_NOTIFY_BACKOFF_MS: env.wholeNumber(1000, { min: 1 }),
  SOVR_NOTIFY_MAX_BACKOFF_MS: env.wholeNumber(120_000, { min: 1 }),
  SOVR_NOTIFY_TICK_MS: env.wholeNumber(5000, { min: 10 }),
  SOVR_NOTIFY_TIMEOUT_MS: env.wholeNumber(10_000, { min: 100 }),
  SOVR_NOTIFICATIONS: env.optional(env.text("")),
};

export function readNotifierSettings(environment: NodeJS.ProcessEnv = process.env): NotifierSettings {
  const e = readEnv(spec, environment);
  let raw: unknown = { channels: {} };
  if (e.SOVR_NOTIFICATIONS) {
    try {
      raw = JSON.parse(e.SOVR_NOTIFICATIONS);
    } catch {
      throw new UserError("SOVR_NOTIFICATIONS must be the notifications section as JSON");
    }
  }
  const parsed = notificationsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`notifications.${issue.path.join(".")}: ${issue.message}`);
  }
  const webUrl = e.SOVR_WEB_URL ?? `http://127.0.0.1:${e.SOVR_WEB_PORT}`;
  return {
    home: sovrHome(environment),
    indexerUrl: e.SOVR_INDEXER_URL ?? `http://127.0.0.1:${e.SOVR_INDEXER_PORT}`,
    port: e.SOVR_NOTIFIER_PORT,
    webUrl,
    allowedOrigins: [new URL(webUrl).origin, ...(parsed.data.commandCenterUrl ? [new URL(parsed.data.commandCenterUrl).origin] : [])],
    pollMs: e.SOVR_NOTIFIER_POLL_MS,
    retries: e.SOVR_NOTIFY_RETRIES,
    minBackoffMs: e.SOVR_NOTIFY_BACKOFF_MS,
    maxBackoffMs: e.SOVR_NOTIFY_MAX_BACKOFF_MS,
    escalationTickMs: e.SOVR_NOTIFY_TICK_MS,
    timeoutMs: e.SOVR_NOTIFY_TIMEOUT_MS,
    config: parsed.data,
  };
}

export const journalDirOf = (home: string) => join(home, "notifier");

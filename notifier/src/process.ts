/**
 * Runs the notifier as a child process (`main.ts`), like `spawnGuardian`: used by `sovr up` and by
 * the tests that kill it.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type HealthService, spawnHealthService } from "@sovr/runtime";
import type { NotificationsInput } from "./config.ts";

const mainFile = join(dirname(fileURLToPath(import.meta.url)), "main.ts");

export type NotifierProcessOptions = {
  port: number;
  indexerUrl: string;
  /** The host's state folder: the journal goes to `<home>/notifier/`, keystore secrets come from `<home>/keys/secrets/`. */
  home: string;
  /** The command center (links, and the browser origin allowed to call the API). */
  webUrl: string;
  notifications: NotificationsInput | undefined;
  /** Extra environment: secrets the configuration names, SOVR_NOTIFY_* tuning. */
  env?: Record<string, string>;
  onLine?: (line: string) => void;
};

export type NotifierProcess = HealthService;

export function spawnNotifier(options: NotifierProcessOptions): NotifierProcess {
  return spawnHealthService({
    name: "the notifier",
    mainFile,
    port: options.port,
    env: {
      ...options.env,
      SOVR_HOME: options.home,
      SOVR_INDEXER_URL: options.indexerUrl,
      SOVR_NOTIFIER_PORT: String(options.port),
      SOVR_WEB_URL: options.webUrl,
      SOVR_NOTIFICATIONS: JSON.stringify(options.notifications ?? { channels: {} }),
    },
    onLine: options.onLine,
    // Its /health answers 503 while its loop is stale (the indexer not answering yet); the process is up all the same.
    liveOnAnyAnswer: true,
  });
}

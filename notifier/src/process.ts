/**
 * Runs the notifier as a child process (`main.ts`), like `spawnGuardian`: used by `sovr up` and by
 * the tests that kill it.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pollUntil, type Service, spawnService } from "@sovr/runtime";
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

export type NotifierProcess = {
  service: Service;
  url: string;
  waitUntilLive(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
};

export function spawnNotifier(options: NotifierProcessOptions): NotifierProcess {
  const service = spawnService({
    name: "the notifier",
    command: process.execPath,
    args: [mainFile],
    env: {
      ...options.env,
      SOVR_HOME: options.home,
      SOVR_INDEXER_URL: options.indexerUrl,
      SOVR_NOTIFIER_PORT: String(options.port),
      SOVR_WEB_URL: options.webUrl,
      SOVR_NOTIFICATIONS: JSON.stringify(options.notifications ?? { channels: {} }),
    },
    ...(options.onLine ? { onLine: options.onLine } : {}),
    stopTimeoutMs: 10_000,
  });
  const url = `http://127.0.0.1:${options.port}`;
  return {
    service,
    url,
    async waitUntilLive(timeoutMs = 30_000) {
      await pollUntil(
        async () => {
          const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
          return response ? true : undefined;
        },
        {
          timeoutMs,
          failure: () => new Error(`the notifier did not become live:\n${service.output().slice(-4000)}`),
          stopIf: () => (service.hasExited() ? new Error(`the notifier exited:\n${service.output().slice(-4000)}`) : undefined),
        },
      );
    },
    stop: () => service.stop(),
  };
}

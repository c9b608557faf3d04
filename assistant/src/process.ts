/** Runs the assistant as a child process (`main.ts`), like the guardian and the notifier. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pollUntil, type Service, spawnService } from "@sovr/runtime";

const mainFile = join(dirname(fileURLToPath(import.meta.url)), "main.ts");

export type AssistantProcess = { service: Service; url: string; waitUntilLive(timeoutMs?: number): Promise<void>; stop(): Promise<void> };

export function spawnAssistant(options: {
  port: number;
  indexerUrl: string;
  owner: string;
  webUrl: string;
  /** GEMINI_* settings (the key comes from sovr up's own environment). */
  env?: Record<string, string>;
  onLine?: (line: string) => void;
}): AssistantProcess {
  const service = spawnService({
    name: "the assistant",
    command: process.execPath,
    args: [mainFile],
    env: {
      ...options.env,
      SOVR_ASSISTANT_PORT: String(options.port),
      SOVR_INDEXER_URL: options.indexerUrl,
      SOVR_OWNER: options.owner,
      SOVR_WEB_URL: options.webUrl,
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
        async () => ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined))?.ok ? true : undefined),
        {
          timeoutMs,
          failure: () => new Error(`the assistant did not become live:\n${service.output().slice(-4000)}`),
          stopIf: () => (service.hasExited() ? new Error(`the assistant exited:\n${service.output().slice(-4000)}`) : undefined),
        },
      );
    },
    stop: () => service.stop(),
  };
}

/** Runs the assistant as a child process (`main.ts`), like the guardian and the notifier. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type HealthService, spawnHealthService } from "@sovr/runtime";

const mainFile = join(dirname(fileURLToPath(import.meta.url)), "main.ts");

export type AssistantProcess = HealthService;

export function spawnAssistant(options: {
  port: number;
  indexerUrl: string;
  owner: string;
  webUrl: string;
  /** GEMINI_* settings (the key comes from sovr up's own environment). */
  env?: Record<string, string>;
  onLine?: (line: string) => void;
}): AssistantProcess {
  return spawnHealthService({
    name: "the assistant",
    mainFile,
    port: options.port,
    env: {
      ...options.env,
      SOVR_ASSISTANT_PORT: String(options.port),
      SOVR_INDEXER_URL: options.indexerUrl,
      SOVR_OWNER: options.owner,
      SOVR_WEB_URL: options.webUrl,
    },
    onLine: options.onLine,
  });
}

/** `node assistant/src/main.ts`: serves the assistant until SIGINT/SIGTERM (settings: `config.ts`). */
import { Assistant } from "./assistant.ts";
import { readAssistantSettings } from "./config.ts";
import { startAssistantServer } from "./server.ts";

try {
  const settings = readAssistantSettings();
  const assistant = new Assistant(settings);
  const server = await startAssistantServer({ port: settings.port, assistant, allowedOrigins: [new URL(settings.webUrl).origin] });
  console.log(
    `assistant listening on ${server.url} (${assistant.enabled ? `Gemini ${assistant.model}` : "no GEMINI_API_KEY: it says so in one line"})`,
  );
  const shutdown = () => void server.close().then(() => process.exit(0));
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

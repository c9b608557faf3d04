/**
 * `node notifier/src/main.ts`: runs the notifier until SIGINT/SIGTERM. Settings come from the
 * environment (`settings.ts`); `sovr up` (or `spawnNotifier`) sets them.
 */
import { createChannel } from "./channels/index.ts";
import { createMetrics } from "./metrics.ts";
import { Notifier } from "./notifier.ts";
import { startNotifierServer } from "./server.ts";
import { journalDirOf, readNotifierSettings } from "./settings.ts";

try {
  const settings = readNotifierSettings();
  const channels = Object.entries(settings.config.channels).map(([name, config]) =>
    createChannel(name, config, { home: settings.home, env: process.env, timeoutMs: settings.timeoutMs }),
  );
  const metrics = createMetrics();
  const notifier = new Notifier(
    settings.config,
    channels,
    {
      journalDir: journalDirOf(settings.home),
      indexerUrl: settings.indexerUrl,
      webUrl: settings.webUrl,
      pollMs: settings.pollMs,
      retries: settings.retries,
      minBackoffMs: settings.minBackoffMs,
      maxBackoffMs: settings.maxBackoffMs,
      escalationTickMs: settings.escalationTickMs,
    },
    metrics,
  );
  const server = await startNotifierServer({
    port: settings.port,
    notifier,
    metrics,
    allowedOrigins: settings.allowedOrigins,
    pollMs: settings.pollMs,
  });
  const abort = new AbortController();
  const running = notifier.run(abort.signal);
  console.log(`notifier listening on ${server.url} (channels: ${channels.map((c) => `${c.name} ${c.type}`).join(", ") || "none"})`);
  const shutdown = () => {
    abort.abort();
    void running.then(async () => {
      notifier.close();
      await server.close();
      process.exit(0);
    });
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

/**
 * One running guardian: the worker plus its `/health` (liveness and status) and `/metrics` server.
 * Used by the CLI entry (`main.ts`), the tests and the benchmark.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { SovrDeployment } from "@sovr/contracts";
import { readDeployment } from "@sovr/contracts/deployment";
import { UserError } from "@sovr/runtime";
import type { GuardianConfig } from "./config.ts";
import { createMetrics, type GuardianMetrics } from "./metrics.ts";
import { GuardianWorker } from "./worker.ts";

/** A guardian whose loop has not completed for this long is reported as not live. */
const STALE_AFTER_MS = 30_000;

export type RunningGuardian = {
  worker: GuardianWorker;
  metrics: GuardianMetrics;
  url: string;
  stop(): Promise<void>;
};

export function healthOf(worker: GuardianWorker) {
  const live = Date.now() - worker.lastLoopAt < STALE_AFTER_MS;
  return {
    status: live ? (worker.geminiStatus.enabled && !worker.geminiStatus.healthy ? "DEGRADED" : "OK") : "STALE",
    guardian: worker.attester.account.address,
    analyzers: worker.analyzers,
    processedBlock: worker.processedBlock?.toString() ?? null,
    indexedBlock: worker.indexedBlock?.toString() ?? null,
    lastLoopAt: worker.lastLoopAt ? new Date(worker.lastLoopAt).toISOString() : null,
    gemini: worker.geminiStatus.enabled
      ? { status: worker.geminiStatus.healthy ? "OK" : "DEGRADED: falling back to rules", lastError: worker.geminiStatus.lastError ?? null }
      : { status: "DISABLED (no GEMINI_API_KEY)", lastError: null },
  };
}

export async function startGuardian(config: GuardianConfig, log: (line: string) => void = console.error): Promise<RunningGuardian> {
  const deployment: SovrDeployment | undefined = readDeployment(config.chainId, config.deploymentId);
  if (!deployment) throw new UserError(`no SOVR deployment for chain ${config.chainId}; deploy first (pnpm start)`);
  const metrics = createMetrics();
  const worker = new GuardianWorker(config, deployment, metrics);
  const server: Server = createServer((request, response) => {
    void (async () => {
      if (request.url === "/metrics") {
        response.writeHead(200, { "content-type": metrics.registry.contentType });
        response.end(await metrics.registry.metrics());
      } else if (request.url === "/health") {
        const health = healthOf(worker);
        response.writeHead(health.status === "STALE" ? 503 : 200, { "content-type": "application/json" });
        response.end(JSON.stringify(health));
      } else {
        response.writeHead(404, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: "not found; try /health or /metrics" }));
      }
    })();
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(config.port, "127.0.0.1", () => resolveListen());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const abort = new AbortController();
  const running = worker.run(abort.signal, log);
  return {
    worker,
    metrics,
    url,
    async stop() {
      abort.abort();
      await running;
      await new Promise((resolveClose) => server.close(resolveClose));
    },
  };
}

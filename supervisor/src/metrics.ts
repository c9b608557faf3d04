/**
 * The supervisor's HTTP endpoint (`SOVR_METRICS_PORT`, default 9464): `GET /metrics` (Prometheus) and
 * `GET /health/<name>` for the checks of stack components that have no server of their own (the host,
 * the contracts): JSON with `ok`, answered 200 when ok and 503 otherwise.
 */
import { createServer, type Server } from "node:http";
import { assertPortFree } from "@sovr/runtime";
import type { Registry } from "prom-client";

export type HealthReport = { ok: boolean } & Record<string, unknown>;
export type HealthChecks = Record<string, () => Promise<HealthReport>>;

export async function startMetricsServer(port: number, registry: Registry, checks: HealthChecks = {}): Promise<Server> {
  await assertPortFree(port, "supervisor metrics", "SOVR_METRICS_PORT");
  const server = createServer((request, response) => {
    const path = request.url?.split("?")[0] ?? "";
    const check = path.startsWith("/health/") ? checks[path.slice("/health/".length)] : undefined;
    if (request.method === "GET" && check) {
      check().then(
        (report) => response.writeHead(report.ok ? 200 : 503, { "content-type": "application/json" }).end(`${JSON.stringify(report)}\n`),
        (error: unknown) =>
          response.writeHead(503, { "content-type": "application/json" }).end(`${JSON.stringify({ ok: false, error: String(error) })}\n`),
      );
      return;
    }
    if (request.method !== "GET" || path !== "/metrics") {
      const paths = ["/metrics", ...Object.keys(checks).map((name) => `/health/${name}`)].join(", ");
      response.writeHead(404, { "content-type": "text/plain" }).end(`not found: the supervisor serves GET ${paths}\n`);
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { "content-type": registry.contentType }).end(text),
      (error: unknown) => response.writeHead(500, { "content-type": "text/plain" }).end(`${String(error)}\n`),
    );
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolveListen());
  });
  return server;
}

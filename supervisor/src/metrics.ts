/** The supervisor's Prometheus endpoint (`SOVR_METRICS_PORT`, default 9464): `GET /metrics`. */
import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";
import { assertPortFree } from "./chain.ts";

export async function startMetricsServer(port: number, registry: Registry): Promise<Server> {
  await assertPortFree(port, "supervisor metrics", "SOVR_METRICS_PORT");
  const server = createServer((request, response) => {
    if (request.method !== "GET" || request.url?.split("?")[0] !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found: the supervisor serves GET /metrics\n");
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

/**
 * The notifier's HTTP side on 127.0.0.1: `/health`, `/metrics` (Prometheus), `GET /api/channels`
 * (each channel's state for Settings), `GET /api/failures`, and `POST /api/channels/<name>/test`.
 * Browsers may call it from the command center's origin only (CORS).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenOnLoopback } from "@sovr/runtime";
import type { NotifierMetrics } from "./metrics.ts";
import { failingChannels, type Notifier } from "./notifier.ts";

/** A test message per channel at most this often (a button held down sends nothing more). */
const TEST_INTERVAL_MS = 5000;

export type NotifierServer = { url: string; close(): Promise<void> };

export async function startNotifierServer(options: {
  port: number;
  notifier: Notifier;
  metrics: NotifierMetrics;
  allowedOrigins: string[];
  pollMs: number;
}): Promise<NotifierServer> {
  const { notifier, metrics } = options;
  const lastTest = new Map<string, number>();
  const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers }).end(JSON.stringify(body));
  };
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const origin = request.headers.origin;
    const cors: Record<string, string> =
      origin && options.allowedOrigins.includes(origin)
        ? {
            "access-control-allow-origin": origin,
            vary: "origin",
            "access-control-allow-methods": "GET, POST",
            "access-control-allow-headers": "content-type",
          }
        : {};
    if (origin && !cors["access-control-allow-origin"]) return send(response, 403, { error: `origin ${origin} may not call the notifier` });
    const path = new URL(request.url ?? "/", "http://notifier").pathname;
    if (request.method === "OPTIONS") {
      response.writeHead(204, cors).end();
      return;
    }
    if (request.method === "GET" && path === "/health") {
      const stale = Date.now() - notifier.lastLoopAt > Math.max(10_000, options.pollMs * 50);
      // A channel that gave up makes the stack component "sovr notifier" DEGRADED until it delivers again.
      const failing = failingChannels(notifier.report());
      return send(
        response,
        stale ? 503 : 200,
        {
          status: stale ? "STALE" : "OK",
          processedBlock: notifier.processedBlock?.toString() ?? null,
          ...(failing.length > 0 ? { degraded: true, failing } : {}),
        },
        cors,
      );
    }
    if (request.method === "GET" && path === "/metrics") {
      response.writeHead(200, { "content-type": metrics.registry.contentType }).end(await metrics.registry.metrics());
      return;
    }
    if (request.method === "GET" && path === "/api/channels") return send(response, 200, { channels: notifier.report() }, cors);
    if (request.method === "GET" && path === "/api/failures") {
      return send(response, 200, { failures: notifier.journal.failures.slice(-50).reverse() }, cors);
    }
    const test = /^\/api\/channels\/([a-z0-9_-]{1,32})\/test$/.exec(path);
    if (request.method === "POST" && test) {
      const name = test[1]!;
      if (!notifier.report().some((channel) => channel.name === name))
        return send(response, 404, { error: `no channel is named "${name}"` }, cors);
      const since = Date.now() - (lastTest.get(name) ?? 0);
      if (since < TEST_INTERVAL_MS) return send(response, 429, { error: `one test per channel every ${TEST_INTERVAL_MS / 1000} s` }, cors);
      lastTest.set(name, Date.now());
      return send(response, 200, await notifier.test(name), cors);
    }
    send(response, 404, { error: "not found" }, cors);
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => send(response, 500, { error: (error as Error).message.split("\n")[0] }));
  });
  return listenOnLoopback(server, options.port, "notifier", "SOVR_NOTIFIER_PORT");
}

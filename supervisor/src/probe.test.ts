import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthCheckSchema } from "./config.ts";
import { Escalation, probe, valueAt } from "./probe.ts";

let server: Server;
let base: string;
let reply: { status: number; body: string; delayMs?: number } = { status: 200, body: "" };

beforeAll(async () => {
  server = createHttpServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      if (request.method === "POST") {
        const call = JSON.parse(body) as { id: number; method: string };
        const answer =
          call.method === "eth_chainId"
            ? { jsonrpc: "2.0", id: call.id, result: "0x7a69" }
            : { jsonrpc: "2.0", id: call.id, error: { code: -32601, message: "method not found" } };
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
        return;
      }
      setTimeout(() => response.writeHead(reply.status).end(reply.body), reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});
afterAll(() => server.close());

const check = (input: unknown) => healthCheckSchema.parse(input);

describe("probe", () => {
  it("checks HTTP status, JSON fields and keywords", async () => {
    reply = { status: 200, body: JSON.stringify({ status: "ok", checks: [{ ok: true }] }) };
    expect(await probe(check({ type: "http", url: `${base}/health` }))).toMatchObject({ ok: true, detail: "HTTP 200" });
    expect((await probe(check({ type: "http", url: `${base}/health`, jsonPath: "status", equals: "ok" }))).ok).toBe(true);
    expect((await probe(check({ type: "http", url: `${base}/health`, jsonPath: "checks.0.ok" }))).ok).toBe(true);
    expect(await probe(check({ type: "http", url: `${base}/health`, jsonPath: "status", equals: "ready" }))).toMatchObject({
      ok: false,
      detail: 'status is "ok"',
    });
    expect(await probe(check({ type: "http", url: `${base}/health`, keyword: "healthy" }))).toMatchObject({
      ok: false,
      detail: 'body lacks "healthy"',
    });
    reply = { status: 503, body: "" };
    expect(await probe(check({ type: "http", url: `${base}/health` }))).toMatchObject({ ok: false, detail: "HTTP 503, expected 200" });
  });

  it("times out a slow endpoint and reports a refused connection", async () => {
    reply = { status: 200, body: "", delayMs: 500 };
    expect(await probe(check({ type: "http", url: `${base}/slow`, timeoutMs: 100 }))).toMatchObject({
      ok: false,
      detail: "timed out after 100 ms",
    });
    const closed = createTcpServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await probe(check({ type: "http", url: `http://127.0.0.1:${port}/` }))).toMatchObject({ ok: false, detail: "ECONNREFUSED" });
    expect(await probe(check({ type: "tcp", port }))).toMatchObject({ ok: false, detail: "ECONNREFUSED" });
  });

  it("connects over TCP and calls a JSON-RPC method", async () => {
    const port = Number(new URL(base).port);
    expect(await probe(check({ type: "tcp", port }))).toMatchObject({ ok: true });
    expect(await probe(check({ type: "jsonrpc", url: base, method: "eth_chainId" }))).toMatchObject({ ok: true });
    expect(await probe(check({ type: "jsonrpc", url: base, method: "eth_nothing" }))).toMatchObject({
      ok: false,
      detail: "eth_nothing: method not found",
    });
  });

  it("measures latency", async () => {
    reply = { status: 200, body: "", delayMs: 60 };
    const result = await probe(check({ type: "http", url: `${base}/health` }));
    expect(result.latencyMs).toBeGreaterThanOrEqual(55);
  });
});

describe("escalation", () => {
  it("goes DEGRADED on one failure, OFFLINE after the configured run, ONLINE on any success", () => {
    const escalation = new Escalation(3);
    expect([false, false, false, false].map((ok) => escalation.next(ok))).toEqual(["DEGRADED", "DEGRADED", "OFFLINE", "OFFLINE"]);
    expect(escalation.consecutiveFailures).toBe(4);
    expect(escalation.next(true)).toBe("ONLINE");
    expect(new Escalation(1).next(false)).toBe("OFFLINE");
  });

  it("follows dot paths into JSON", () => {
    expect(valueAt({ a: { b: [{ c: 1 }] } }, "a.b.0.c")).toBe(1);
    expect(valueAt({ a: 1 }, "a.b")).toBeUndefined();
    expect(valueAt(undefined, "a")).toBeUndefined();
  });
});

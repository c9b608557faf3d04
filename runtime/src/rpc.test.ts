/**
 * The RPC transport against real HTTP servers on loopback: a rate-limited and a failing provider are
 * retried or passed over, a dead URL is skipped for the next one, a revert is not retried, and an
 * answer over viem's size limit says "backend response too large" as providers do.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createPublicClient } from "viem";
import { afterEach, describe, expect, it } from "vitest";
import { readEnv } from "./env.ts";
import { freePort } from "./ports.ts";
import { isTransient, rpcTransport, rpcUrls } from "./rpc.ts";

type Answer = { status: number; body?: unknown };
const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A JSON-RPC server answering each request with the next scripted answer (the last one repeats). */
async function provider(script: Answer[]): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const { id } = JSON.parse(body) as { id: number };
      const answer = script[Math.min(hits, script.length - 1)]!;
      hits++;
      response.writeHead(answer.status, { "content-type": "application/json" });
      response.end(JSON.stringify(answer.body ?? { jsonrpc: "2.0", id, result: "0x2105" }));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

describe("rpcTransport", () => {
  it("retries a rate-limited and a failing provider until it answers", async () => {
    const flaky = await provider([{ status: 429 }, { status: 503 }, { status: 200 }]);
    const client = createPublicClient({ transport: rpcTransport([flaky.url]) });
    expect(await client.getChainId()).toBe(8453);
    expect(flaky.hits()).toBe(3);
  });

  it("passes over a dead URL to the next and keeps using the one that answers", async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const live = await provider([{ status: 200 }]);
    const failedOver: string[] = [];
    const client = createPublicClient({
      transport: rpcTransport([dead, live.url], { onFailover: (url) => failedOver.push(url) }),
      cacheTime: 0,
    });
    expect(await client.getChainId()).toBe(8453);
    expect(await client.getChainId()).toBe(8453);
    expect(failedOver).toEqual([dead]);
    expect(live.hits()).toBe(2);
  });

  it("does not retry a request the node refuses for good", async () => {
    const refusing = await provider([{ status: 200, body: { jsonrpc: "2.0", id: 0, error: { code: 3, message: "execution reverted" } } }]);
    const client = createPublicClient({ transport: rpcTransport([refusing.url]) });
    await expect(client.getChainId()).rejects.toThrow(/execution reverted/);
    expect(refusing.hits()).toBe(1);
    expect(isTransient(new Error("execution reverted"))).toBe(false);
  });

  it("words an answer over the size limit as providers do, so an indexer asks for half the block range", async () => {
    // Over viem's 10 MiB limit: what eth_getLogs returns over a busy stretch of blocks.
    const huge = await provider([{ status: 200, body: { jsonrpc: "2.0", id: 0, result: "x".repeat(11 * 1024 * 1024) } }]);
    const client = createPublicClient({ transport: rpcTransport([huge.url]) });
    const failure = await client
      .request({ method: "eth_getLogs", params: [{ fromBlock: "0x1", toBlock: "0x64" }] } as never)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    // Ponder matches the error's JSON form, so the words must be in an enumerable field.
    expect(JSON.stringify(failure)).toMatch(/backend response too large: eth_getLogs answered more than 10485760 bytes/);
    expect(huge.hits()).toBe(1);
  });

  it("fails after its retries when every URL stays down", async () => {
    const down = await provider([{ status: 502 }]);
    const client = createPublicClient({ transport: rpcTransport([down.url], { retries: 2 }) });
    await expect(client.getChainId()).rejects.toThrow(/HTTP request failed/);
    expect(down.hits()).toBe(3);
  });
});

describe("SOVR_RPC_URL", () => {
  it("takes one or more URLs separated by commas, and names a wrong one in one line", () => {
    const spec = { SOVR_RPC_URL: rpcUrls(["http://127.0.0.1:8545"]) };
    expect(readEnv(spec, {}).SOVR_RPC_URL).toEqual(["http://127.0.0.1:8545"]);
    expect(readEnv(spec, { SOVR_RPC_URL: "https://a.example/key/, https://b.example" }).SOVR_RPC_URL).toEqual([
      "https://a.example/key",
      "https://b.example",
    ]);
    expect(() => readEnv(spec, { SOVR_RPC_URL: "https://a.example,ftp://b" })).toThrow(
      'SOVR_RPC_URL must be one or more http(s) URLs separated by commas, not "https://a.example,ftp://b"',
    );
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { componentKinds, componentRegistryAbi, type SovrDeployment } from "@sovr/contracts";
import { type LocalChain, startLocalChain } from "@sovr/runtime/chain";
import { deployForTest, freePort, removeDeployment } from "@sovr/runtime/testing";
import { Registry } from "prom-client";
import { type Address, createWalletClient, http, parseAbiItem } from "viem";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthCheckSchema } from "./config.ts";
import { startMetricsServer } from "./metrics.ts";
import { type Prober, startProber } from "./prober.ts";

const home = mkdtempSync(join(tmpdir(), "sovr-prober-"));
const deploymentId = `sovr-test-prober-${process.pid}`;
let chain: LocalChain;
let deployment: SovrDeployment;
let prober: Prober | undefined;
let metricsServer: Server | undefined;
let owner: Address;
let supervisorKey: Address;

beforeAll(async () => {
  chain = await startLocalChain({ port: await freePort(), stateDir: join(home, "chain"), stateIntervalSeconds: 60 });
  ({ deployment } = await deployForTest(chain, deploymentId));
  [owner, supervisorKey] = (await createWalletClient({ transport: http(chain.url) }).getAddresses()) as [Address, Address];
}, 180_000);

afterAll(async () => {
  await prober?.stop();
  metricsServer?.close();
  await chain?.stop();
  rmSync(home, { recursive: true, force: true });
  removeDeployment(deploymentId);
});

/** A real component: a small HTTP server that answers /health while it runs. */
function startFixture(port: number): Promise<Server> {
  const server = createServer((_, response) => response.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}'));
  return new Promise((resolveListen) => server.listen(port, "127.0.0.1", () => resolveListen(server)));
}

async function healthChanges(): Promise<string[]> {
  const logs = await chain.client.getLogs({
    address: deployment.registry,
    event: parseAbiItem("event HealthChanged(uint32 indexed id, uint8 previousStatus, uint8 status, uint32 latencyMs)"),
    fromBlock: 0n,
  });
  return logs.map((log) => ["UNKNOWN", "ONLINE", "DEGRADED", "OFFLINE", "STOPPED"][log.args.status!]!);
}

async function until(condition: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("health prober", () => {
  it("records ONLINE, escalates DEGRADED then OFFLINE when the component dies, ONLINE when it is back; metrics follow", async () => {
    const wallet = createWalletClient({ chain: foundry, transport: http(chain.url), account: owner });
    const hash = await wallet.writeContract({
      address: deployment.registry,
      abi: componentRegistryAbi,
      functionName: "register",
      args: ["fixture", componentKinds.indexOf("CORE_BACKEND"), "http://127.0.0.1/health", true, supervisorKey, supervisorKey],
    });
    expect((await chain.client.waitForTransactionReceipt({ hash })).status).toBe("success");

    const port = await freePort();
    let fixture = await startFixture(port);
    const metrics = new Registry();
    const metricsPort = await freePort();
    metricsServer = await startMetricsServer(metricsPort, metrics);
    const lines: string[] = [];
    prober = startProber({
      client: chain.client,
      wallet: createWalletClient({ chain: foundry, transport: http(chain.url), account: supervisorKey }),
      registry: deployment.registry,
      metrics,
      log: (line) => lines.push(line),
    });
    const check = healthCheckSchema.parse({
      type: "http",
      url: `http://127.0.0.1:${port}/health`,
      jsonPath: "status",
      equals: "ok",
      timeoutMs: 500,
    });
    void prober.watch({ id: 1, name: "fixture", check, intervalSeconds: 0.2, failuresUntilOffline: 2 });

    await until(async () => (await healthChanges()).includes("ONLINE"));
    await new Promise<void>((r) => fixture.close(() => r()));
    await until(async () => (await healthChanges()).includes("OFFLINE"));
    fixture = await startFixture(port);
    await until(async () => (await healthChanges()).length === 4);
    fixture.close();

    // Transitions only: no repeats while the status holds.
    expect(await healthChanges()).toEqual(["ONLINE", "DEGRADED", "OFFLINE", "ONLINE"]);
    expect(lines).toContain("sovr: fixture is OFFLINE (was DEGRADED)");
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(text).toMatch(/sovr_component_up\{component="fixture"\} 1/);
    expect(text).toMatch(/sovr_health_transitions_total\{component="fixture",status="OFFLINE"\} 1/);
    expect(text).toMatch(/sovr_probe_latency_ms_count\{component="fixture"\} \d+/);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/other`)).status).toBe(404);
  });
});

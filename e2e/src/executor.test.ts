/**
 * The control executor end to end: a real `sovr up` with a host configuration naming real HTTP
 * services (e2e/fixtures/http-component.ts), driven only by the owner's on-chain intents.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  componentKinds,
  componentRegistryAbi,
  componentStatuses,
  controlActions,
  guardianAttestationsAbi,
  intentStatuses,
} from "@sovr/contracts";
import { processStartTime } from "@sovr/runtime";
import { freePort, removeDeployment } from "@sovr/runtime/testing";
import { type Address, createPublicClient, createWalletClient, type Hex, http, keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exitOf, fixtureComponent, sidePorts, spawnUp, stopAllUp, type UpProcess } from "./stack.ts";

/** Anvil's first well-known account: the owner on the local chain. */
const OWNER_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const FIXTURE = fixtureComponent;

const home = mkdtempSync(join(tmpdir(), "sovr-executor-"));
const deploymentId = `sovr-test-executor-${process.pid}`;
const startsFile = (name: string) => join(home, `${name}.starts`);
const starts = (name: string) =>
  existsSync(startsFile(name)) ? readFileSync(startsFile(name), "utf8").trim().split("\n").filter(Boolean) : [];

let env: Record<string, string>;
let up: UpProcess;
let client: ReturnType<typeof createPublicClient>;
const ownerWallet = (rpc: string) => createWalletClient({ account: privateKeyToAccount(OWNER_KEY), chain: foundry, transport: http(rpc) });
let owner: ReturnType<typeof ownerWallet>;
let registry: Address;
const ids = new Map<string, number>();
const ports = new Map<string, number>();

function component(
  name: string,
  extra: { env?: Record<string, string>; start?: boolean; stopTimeoutSeconds?: number; restart?: string; autostart?: boolean },
) {
  const port = ports.get(name)!;
  return {
    name,
    kind: "CORE_BACKEND",
    ...(extra.start === false
      ? {}
      : {
          start: {
            command: process.execPath,
            args: [FIXTURE],
            env: { PORT: String(port), FIXTURE_STARTS_FILE: startsFile(name), ...extra.env },
          },
        }),
    health: { type: "http", url: `http://127.0.0.1:${port}/health`, timeoutMs: 1000 },
    intervalSeconds: 1,
    failuresUntilOffline: 3,
    autostart: extra.autostart ?? false,
    restart: extra.restart ?? "never",
    stopTimeoutSeconds: extra.stopTimeoutSeconds ?? 5,
    startTimeoutSeconds: 20,
  };
}

async function waitFor<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; sovr up said:\n${up.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function status(name: string) {
  const c = await client.readContract({
    address: registry,
    abi: componentRegistryAbi,
    functionName: "getComponent",
    args: [ids.get(name)!],
  });
  return componentStatuses[c.status];
}

/** Waits until the component's own health endpoint answers 200. */
const answers = (name: string) =>
  waitFor(`${name} answering`, async () =>
    (await fetch(`http://127.0.0.1:${ports.get(name)}/health`).catch(() => undefined))?.ok ? true : undefined,
  );

const statusIs = (name: string, wanted: string) =>
  waitFor(`${name} ${wanted}`, async () => ((await status(name)) === wanted ? true : undefined));

async function request(name: string, action: (typeof controlActions)[number]): Promise<bigint> {
  const { request: call, result } = await client.simulateContract({
    address: registry,
    abi: componentRegistryAbi,
    functionName: "requestControl",
    args: [ids.get(name)!, controlActions.indexOf(action)],
    account: owner.account,
  });
  await client.waitForTransactionReceipt({ hash: await owner.writeContract(call) });
  return result;
}

/** Waits for the intent's outcome on-chain and returns it with the reason from its event. */
async function outcome(intentId: bigint, timeoutMs = 40_000) {
  const status = await waitFor(
    `intent ${intentId} resolved`,
    async () => {
      const intent = await client.readContract({
        address: registry,
        abi: componentRegistryAbi,
        functionName: "getIntent",
        args: [intentId],
      });
      return intent.status === 0 ? undefined : intentStatuses[intent.status];
    },
    timeoutMs,
  );
  const events = await client.getContractEvents({
    address: registry,
    abi: componentRegistryAbi,
    eventName: "ControlResolved",
    args: { intentId },
    fromBlock: 0n,
  });
  return { status, reason: events[0]!.args.reason!, resolutions: events.length };
}

async function transitions(name: string) {
  const events = await client.getContractEvents({
    address: registry,
    abi: componentRegistryAbi,
    eventName: "HealthChanged",
    args: { id: ids.get(name)! },
    fromBlock: 0n,
  });
  return events.map((event) => componentStatuses[event.args.status!]);
}

async function startUp() {
  up = spawnUp(env);
  await up.waitFor(/press Ctrl-C to stop/, 180_000);
}

describe("control executor (on-chain START/RESTART/STOP of configured components)", () => {
  beforeAll(async () => {
    for (const name of ["fixture web", "fixture broken", "fixture stubborn", "fixture slow", "fixture probed", "fixture resilient"])
      ports.set(name, await freePort());
    const config = {
      components: [
        component("fixture web", {}),
        component("fixture broken", { env: { FIXTURE_EXIT_CODE: "3" } }),
        component("fixture stubborn", { env: { FIXTURE_IGNORE_SIGTERM: "1" }, stopTimeoutSeconds: 1 }),
        component("fixture slow", { env: { FIXTURE_READY_DELAY_MS: "4000" } }),
        component("fixture probed", { start: false }),
        component("fixture resilient", { autostart: true, restart: "on-failure" }),
      ],
    };
    const configFile = join(home, "sovr.config.json");
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const chainPort = await freePort();
    env = {
      SOVR_HOME: home,
      SOVR_CONFIG: configFile,
      SOVR_DEPLOYMENT_ID: deploymentId,
      SOVR_CHAIN_PORT: String(chainPort),
      SOVR_INDEXER_PORT: String(await freePort()),
      ...(await sidePorts()),
    };
    await startUp();
    const rpc = `http://127.0.0.1:${chainPort}`;
    client = createPublicClient({ chain: foundry, transport: http(rpc) });
    owner = ownerWallet(rpc);
    registry = /registry (0x[0-9a-fA-F]{40})/.exec(up.output())![1] as Address;
    const count = await client.readContract({ address: registry, abi: componentRegistryAbi, functionName: "componentCount" });
    for (let id = 1; id <= count; id++) {
      const c = await client.readContract({ address: registry, abi: componentRegistryAbi, functionName: "getComponent", args: [id] });
      ids.set(c.name, id);
    }
  }, 240_000);

  afterAll(async () => {
    await stopAllUp();
    for (const name of ports.keys())
      for (const pid of starts(name))
        try {
          process.kill(Number(pid), "SIGKILL");
        } catch {
          /* gone */
        }
    rmSync(home, { recursive: true, force: true });
    removeDeployment(deploymentId);
  });

  it("keeps host keys owner-only, funded, and the guardian's key holds GUARDIAN_ROLE", async () => {
    for (const name of ["supervisor", "guardian"]) {
      const file = join(home, "keys", `${name}.key`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const address = privateKeyToAccount(readFileSync(file, "utf8").trim() as Hex).address;
      expect(await client.getBalance({ address })).toBeGreaterThan(0n);
    }
    expect(statSync(join(home, "keys")).mode & 0o777).toBe(0o700);
    const guardianAddress = privateKeyToAccount(readFileSync(join(home, "keys", "guardian.key"), "utf8").trim() as Hex).address;
    const guardianContract = /guardian (0x[0-9a-fA-F]{40})\s+GuardianAttestations/.exec(up.output())![1] as Address;
    const role = keccak256(toHex("GUARDIAN_ROLE"));
    expect(
      await client.readContract({
        address: guardianContract,
        abi: guardianAttestationsAbi,
        functionName: "hasRole",
        args: [role, guardianAddress],
      }),
    ).toBe(true);
    const supervisorAddress = privateKeyToAccount(readFileSync(join(home, "keys", "supervisor.key"), "utf8").trim() as Hex).address;
    const web = await client.readContract({
      address: registry,
      abi: componentRegistryAbi,
      functionName: "getComponent",
      args: [ids.get("fixture web")!],
    });
    expect(web.controller).toBe(supervisorAddress);
    // The stack registers its host and contracts too, probed ONLINE.
    await statusIs("host", "ONLINE");
    await statusIs("sovr contracts", "ONLINE");
  });

  it("records a configured component that is not running as STOPPED, then STARTs, survives an outside kill with escalation, RESTARTs and STOPs it", async () => {
    await statusIs("fixture web", "STOPPED");
    const started = await outcome(await request("fixture web", "START"));
    expect(started.status).toBe("Executed");
    expect(started.reason).toMatch(/^started pid \d+, healthy after \d+ ms$/);
    await statusIs("fixture web", "ONLINE");
    expect(starts("fixture web")).toHaveLength(1);
    expect((await fetch(`http://127.0.0.1:${ports.get("fixture web")}/health`)).status).toBe(200);

    // Killed from outside (restart: never): one failed probe DEGRADED, three OFFLINE.
    process.kill(Number(starts("fixture web")[0]), "SIGKILL");
    await statusIs("fixture web", "OFFLINE");
    expect((await transitions("fixture web")).slice(-3)).toEqual(["ONLINE", "DEGRADED", "OFFLINE"]);

    expect((await outcome(await request("fixture web", "START"))).status).toBe("Executed");
    await statusIs("fixture web", "ONLINE");
    const before = starts("fixture web").at(-1)!;
    const restarted = await outcome(await request("fixture web", "RESTART"));
    expect(restarted.status).toBe("Executed");
    expect(starts("fixture web")).toHaveLength(3);
    expect(starts("fixture web").at(-1)).not.toBe(before);
    expect(processStartTime(Number(before))).toBeUndefined(); // gone (or a zombie nobody reaped yet)
    await statusIs("fixture web", "ONLINE");

    const stopped = await outcome(await request("fixture web", "STOP"));
    expect(stopped).toMatchObject({ status: "Executed", resolutions: 1 });
    expect(stopped.reason).toMatch(/^stopped pid \d+$/);
    await statusIs("fixture web", "STOPPED");
    await expect(fetch(`http://127.0.0.1:${ports.get("fixture web")}/health`)).rejects.toThrow();
  });

  it("reports a component that cannot start as Failed with its exit code and stderr, and nothing else stops", async () => {
    const failed = await outcome(await request("fixture broken", "START"));
    expect(failed.status).toBe("Failed");
    expect(failed.reason).toMatch(/^exited with code 3: fixture: reading settings \| fixture: cannot open/);
    expect(starts("fixture broken")).toHaveLength(1);
    await statusIs("sovr indexer", "ONLINE");
    expect(up.child.exitCode).toBeNull();
  });

  it("kills a component that ignores SIGTERM after its stop deadline", async () => {
    expect((await outcome(await request("fixture stubborn", "START"))).status).toBe("Executed");
    const pid = Number(starts("fixture stubborn")[0]);
    const stopped = await outcome(await request("fixture stubborn", "STOP"));
    expect(stopped.status).toBe("Executed");
    expect(stopped.reason).toBe(`stopped pid ${pid} (killed after 1 s)`);
    expect(processStartTime(pid)).toBeUndefined(); // gone (or a zombie nobody reaped yet)
  });

  it("starts an autostart component with sovr up and restarts it after an outside kill (restart: on-failure)", async () => {
    await statusIs("fixture resilient", "ONLINE");
    expect(starts("fixture resilient")).toHaveLength(1);
    process.kill(Number(starts("fixture resilient")[0]), "SIGKILL");
    await waitFor("fixture resilient restarted", async () => (starts("fixture resilient").length === 2 ? true : undefined));
    expect(up.output()).toMatch(/fixture resilient exited with signal SIGKILL; restarting it in 1 s \(restart: on-failure\)/);
    await answers("fixture resilient");
    await statusIs("fixture resilient", "ONLINE");
  });

  it("fails intents it cannot carry out, each with the reason", async () => {
    const stack = await outcome(await request("sovr chain", "RESTART"));
    expect(stack).toMatchObject({ status: "Failed", reason: "sovr chain is run by sovr up itself; restart sovr up instead" });
    const probedOnly = await outcome(await request("fixture probed", "START"));
    expect(probedOnly).toMatchObject({
      status: "Failed",
      reason: "fixture probed has no start command in sovr.config.json, so this host does not run it",
    });

    // A component the owner registers elsewhere with this host as controller, unknown to its configuration.
    const supervisorAddress = privateKeyToAccount(readFileSync(join(home, "keys", "supervisor.key"), "utf8").trim() as Hex).address;
    const { request: register, result: id } = await client.simulateContract({
      address: registry,
      abi: componentRegistryAbi,
      functionName: "register",
      args: [
        "registered elsewhere",
        componentKinds.indexOf("OTHER"),
        "http://127.0.0.1:1/health",
        false,
        supervisorAddress,
        supervisorAddress,
      ],
      account: owner.account,
    });
    await client.waitForTransactionReceipt({ hash: await owner.writeContract(register) });
    ids.set("registered elsewhere", id);
    const unknown = await outcome(await request("registered elsewhere", "START"));
    expect(unknown).toMatchObject({
      status: "Failed",
      reason: `no local configuration for component #${id} (registered elsewhere) on this host`,
    });
  });

  it("executes an intent exactly once when the supervisor is SIGKILLed while carrying it out, and finds everything as it was", async () => {
    const intentId = await request("fixture slow", "START");
    // The component is spawned (it becomes healthy only after 4 s): kill the supervisor now.
    await waitFor("fixture slow spawned", async () => (starts("fixture slow").length === 1 ? true : undefined));
    up.child.kill("SIGKILL");
    await exitOf(up.child);
    await startUp();
    expect(up.output()).toMatch(/fixture slow is still running from the last sovr up/);
    const result = await outcome(intentId, 60_000);
    expect(result.status).toBe("Executed");
    expect(result.resolutions).toBe(1);
    expect(result.reason).toMatch(/^already running \(pid \d+\), healthy after/);
    expect(starts("fixture slow")).toHaveLength(1);
    await statusIs("fixture slow", "ONLINE");
    // What the owner stopped stays stopped.
    expect(await status("fixture web")).toBe("STOPPED");
    // The journal entry goes once the supervisor has the outcome's receipt, which can be a poll after this test saw it.
    await waitFor("the journal entry removed", async () => (existsSync(join(home, "executor", `${intentId}.json`)) ? undefined : true));

    // A clean stop stops the owner's components; the next start brings back those wanted running.
    const slowPid = Number(starts("fixture slow")[0]);
    up.child.kill("SIGTERM");
    expect(await exitOf(up.child)).toBe(0);
    expect(processStartTime(slowPid)).toBeUndefined(); // gone (or a zombie nobody reaped yet)
    await startUp();
    expect(up.output()).toMatch(/sovr: started fixture slow/);
    await waitFor("fixture slow started again", async () => (starts("fixture slow").length === 2 ? true : undefined));
    await answers("fixture slow");
    await statusIs("fixture slow", "ONLINE");
    expect(await status("fixture web")).toBe("STOPPED");
  });
});

/**
 * Control executor: carries out the owner's on-chain START/RESTART/STOP intents for the components
 * this supervisor controls and reports each outcome on-chain (`Executed`/`Failed` with a reason).
 *
 * Intents come from the indexer (pending ones, in id order), or straight from the chain while the
 * indexer does not answer; the chain has the last word before anything is done. Exactly once, even
 * across a SIGKILL: each intent is journaled in `<home>/executor/<id>.json` before it is acted on
 * and after each step (begun, old process stopped, outcome known); a restarted executor finishes a
 * journaled intent from where it was (START and STOP are idempotent against the process record, a
 * RESTART whose old process is gone does not stop the new one) and reports a known outcome without
 * acting again. The journal entry is removed once the chain holds the outcome.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { componentRegistryAbi, contractLimits, controlActions, intentStatuses, truncateUtf8 } from "@sovr/contracts";
import { fields, IndexerClient } from "@sovr/indexer/client";
import { processStartTime, writeDurably } from "@sovr/runtime";
import { type HostWallet, sendHostTransaction } from "@sovr/runtime/transactions";
import { type Address, BaseError, ContractFunctionRevertedError, encodeFunctionData, type PublicClient } from "viem";
import { z } from "zod";
import type { ComponentConfig, HealthCheck } from "./config.ts";
import { probe } from "./probe.ts";
import type { Prober, ProbeTarget } from "./prober.ts";
import type { ComponentProcesses } from "./processes.ts";

type Action = (typeof controlActions)[number];

/** A component this supervisor was configured for, by on-chain id. */
export type ControlledComponent = {
  id: number;
  name: string;
  /** The stack's own (chain, indexer, ...): run by `sovr up` itself, not by intents. */
  stack: boolean;
  config: ComponentConfig | undefined;
  target: ProbeTarget;
};

type Outcome = { executed: boolean; reason: string };
type JournalEntry = {
  intentId: string;
  componentId: number;
  action: Action;
  phase: "begun" | "stopped" | "done";
  /** RESTART: the process running when the intent began. */
  oldPid?: number | undefined;
  oldStartTime?: string | undefined;
  outcome?: Outcome;
};

export type ExecutorOptions = {
  client: PublicClient;
  wallet: HostWallet;
  /** How long its transactions may stay unmined before they are replaced with higher fees. */
  stuckAfterMs?: number;
  registry: Address;
  indexerUrl: string;
  home: string;
  components: ControlledComponent[];
  processes: ComponentProcesses;
  prober: Prober;
  configFile: string | undefined;
  log: (line: string) => void;
};

export type Executor = { stop(): Promise<void> };

/** How often pending intents are looked for. */
const POLL_MS = 250;
/** Longest reason the registry accepts (`MAX_REASON_LENGTH`). */
const MAX_REASON_BYTES = contractLimits.ComponentRegistry.MAX_REASON_LENGTH;
/** How often a starting component is probed until it is healthy. */
const START_PROBE_MS = 250;
/** How long `stop()` waits for an intent in progress; the journal finishes it on the next start. */
const STOP_GRACE_MS = 5_000;
/** How long an intent for another controller's component is left alone before its controller is read again. */
const FOREIGN_RECHECK_MS = 60_000;
/** Pending intents asked of the indexer per poll. */
const PAGE = 100;
/** How long a poll waits for the indexer before falling back to the chain. */
const INDEXER_TIMEOUT_MS = 5_000;
const pendingIntentsShape = z.object({ controlIntents: z.object({ items: z.array(z.object({ id: fields.bigint })) }) });

export function startExecutor(options: ExecutorOptions): Executor {
  const byId = new Map(options.components.map((component) => [component.id, component]));
  const indexer = new IndexerClient(options.indexerUrl, { timeoutMs: INDEXER_TIMEOUT_MS });
  const journalDir = join(options.home, "executor");
  mkdirSync(journalDir, { recursive: true });
  const registry = { address: options.registry, abi: componentRegistryAbi } as const;
  const me = options.wallet.account.address;
  /** Intents reported in this run: the indexer may still list them as pending for a moment. */
  const reported = new Set<string>();
  /** Intents for components another controller runs, with when that was read (re-read after a while). */
  const foreign = new Map<string, number>();
  /** Lowest intent id the chain fallback has not seen resolved. */
  let chainCursor = 1n;
  let stopped = false;
  let indexerDown = false;
  let current: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const journalFile = (intentId: string) => join(journalDir, `${intentId}.json`);
  const writeJournal = (entry: JournalEntry) => writeDurably(journalFile(entry.intentId), `${JSON.stringify(entry)}\n`);
  const readJournal = (intentId: string): JournalEntry | undefined =>
    existsSync(journalFile(intentId)) ? (JSON.parse(readFileSync(journalFile(intentId), "utf8")) as JournalEntry) : undefined;

  async function intentOnChain(intentId: bigint) {
    const intent = await options.client.readContract({ ...registry, functionName: "getIntent", args: [intentId] });
    return { componentId: Number(intent.componentId), action: controlActions[intent.action]!, status: intentStatuses[intent.status]! };
  }

  async function controlledByMe(componentId: number): Promise<{ name: string } | undefined> {
    const component = await options.client.readContract({ ...registry, functionName: "getComponent", args: [componentId] });
    return component.controller === me ? { name: component.name } : undefined;
  }

  async function pendingFromIndexer(): Promise<bigint[]> {
    const data = await indexer.graphql(
      `query ($limit: Int) { controlIntents(where: { status: "Pending" }, orderBy: "id", orderDirection: "asc", limit: $limit) { items { id } } }`,
      { limit: PAGE },
      pendingIntentsShape,
    );
    return data.controlIntents.items.map((item) => item.id);
  }

  async function pendingFromChain(): Promise<bigint[]> {
    const count = await options.client.readContract({ ...registry, functionName: "intentCount" });
    const pending: bigint[] = [];
    let lowestPending: bigint | undefined;
    for (let id = chainCursor; id <= count; id++) {
      if ((await intentOnChain(id)).status !== "Pending") continue;
      lowestPending ??= id;
      pending.push(id);
    }
    chainCursor = lowestPending ?? count + 1n;
    return pending;
  }

  async function report(entry: JournalEntry) {
    const outcome = entry.outcome!;
    const reason = truncateUtf8(outcome.reason, MAX_REASON_BYTES);
    try {
      const { request } = await options.client.simulateContract({
        ...registry,
        functionName: "reportOutcome",
        args: [BigInt(entry.intentId), outcome.executed, reason],
        account: options.wallet.account,
      });
      const receipt = await sendHostTransaction(
        options.client,
        options.wallet,
        { to: options.registry, data: encodeFunctionData(request) },
        { ...(options.stuckAfterMs ? { stuckAfterMs: options.stuckAfterMs } : {}), log: options.log },
      );
      if (receipt.status !== "success") throw new Error(`reportOutcome reverted in ${receipt.transactionHash}`);
    } catch (error) {
      if (revertName(error) !== "IntentAlreadyResolved") throw error;
    }
    reported.add(entry.intentId);
    rmSync(journalFile(entry.intentId), { force: true });
    const component = byId.get(entry.componentId)?.name ?? `#${entry.componentId}`;
    options.log(`sovr: ${entry.action} ${component} (intent ${entry.intentId}): ${outcome.executed ? "Executed" : "Failed"}, ${reason}`);
  }

  /** Carries out one pending intent (or finishes a journaled one); resolves once its outcome is on-chain. */
  async function handle(intentId: bigint) {
    const key = intentId.toString();
    if (reported.has(key) || Date.now() - (foreign.get(key) ?? -Infinity) < FOREIGN_RECHECK_MS) return;
    const onChain = await intentOnChain(intentId);
    if (onChain.status !== "Pending") {
      rmSync(journalFile(key), { force: true });
      return;
    }
    let entry = readJournal(key);
    if (!entry) {
      if (!byId.has(onChain.componentId) && !(await controlledByMe(onChain.componentId))) {
        foreign.set(key, Date.now());
        return;
      }
      entry = { intentId: key, componentId: onChain.componentId, action: onChain.action, phase: "begun" };
      writeJournal(entry);
    }
    if (entry.phase !== "done") {
      entry = { ...entry, phase: "done", outcome: await carryOut(entry) };
      writeJournal(entry);
    }
    await report(entry);
  }

  async function carryOut(journaled: JournalEntry): Promise<Outcome> {
    let entry = journaled;
    const component = byId.get(entry.componentId);
    if (!component) {
      const name = (await controlledByMe(entry.componentId))?.name ?? "";
      return { executed: false, reason: `no local configuration for component #${entry.componentId} (${name}) on this host` };
    }
    if (component.stack) return { executed: false, reason: `${component.name} is run by sovr up itself; restart sovr up instead` };
    const config = component.config!;
    if (!config.start) {
      const where = options.configFile ? ` in ${options.configFile.split("/").at(-1)}` : "";
      return { executed: false, reason: `${component.name} has no start command${where}, so this host does not run it` };
    }
    const { processes, prober } = options;
    if (entry.action === "STOP") {
      processes.setDesired(component.name, "stopped");
      const result = await processes.stop(component.name);
      prober.unwatch(component.id);
      await prober.record(component.id, "STOPPED", 0);
      if (!result) return { executed: true, reason: "was not running" };
      return {
        executed: true,
        reason: `stopped pid ${result.pid}${result.killed ? ` (killed after ${config.stopTimeoutSeconds} s)` : ""}`,
      };
    }
    processes.setDesired(component.name, "running");
    if (entry.action === "RESTART" && entry.phase === "begun") {
      if (entry.oldPid === undefined) {
        const pid = processes.runningPid(component.name);
        entry = { ...entry, oldPid: pid, oldStartTime: pid === undefined ? undefined : processStartTime(pid) };
        writeJournal(entry);
      }
      // Stop the old process only if it is the one this intent found (not one a resumed run started).
      if (entry.oldPid !== undefined && processStartTime(entry.oldPid) === entry.oldStartTime) {
        prober.unwatch(component.id);
        await processes.stop(component.name);
      }
      entry = { ...entry, phase: "stopped" };
      writeJournal(entry);
    }
    return start(component, config);
  }

  async function start(component: ControlledComponent, config: ComponentConfig): Promise<Outcome> {
    const { processes, prober } = options;
    let pid = processes.runningPid(component.name);
    const already = pid !== undefined;
    if (pid === undefined) {
      try {
        pid = processes.spawn(component.name);
      } catch (error) {
        processes.setDesired(component.name, "stopped");
        return { executed: false, reason: (error as Error).message };
      }
    }
    const startedAt = Date.now();
    let exit: { code: number | null; signal: string | null } | undefined;
    void processes.waitForExit(pid).then((result) => (exit = result));
    let lastProblem = "no probe yet";
    while (Date.now() - startedAt < config.startTimeoutSeconds * 1000) {
      if (exit) break;
      const result = await probe(config.health);
      if (result.ok && !exit) {
        await prober.record(component.id, "ONLINE", result.latencyMs);
        void prober.watch(component.target);
        const how = already ? `already running (pid ${pid})` : `started pid ${pid}`;
        return { executed: true, reason: `${how}, healthy after ${Date.now() - startedAt} ms` };
      }
      lastProblem = result.detail;
      await new Promise((resolveWait) => setTimeout(resolveWait, START_PROBE_MS));
    }
    // Not started: the owner's wish falls back to stopped so that no restart loop follows.
    processes.setDesired(component.name, "stopped");
    if (exit) {
      const how = exit.code === null ? (exit.signal ? `signal ${exit.signal}` : "an unknown status") : `code ${exit.code}`;
      const tail = processes.stderrTail(component.name).split("\n").slice(-3).join(" | ");
      return { executed: false, reason: `exited with ${how}${tail ? `: ${tail}` : ""}` };
    }
    await processes.stop(component.name);
    return { executed: false, reason: `not healthy within ${config.startTimeoutSeconds} s (${lastProblem}); stopped it` };
  }

  async function recover() {
    const journaled = readdirSync(journalDir)
      .filter((file) => /^\d+\.json$/.test(file))
      .map((file) => BigInt(file.slice(0, -".json".length)))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const intentId of journaled) {
      options.log(`sovr: finishing control intent ${intentId}, which was in progress when the supervisor stopped`);
      await handle(intentId);
    }
  }

  async function poll() {
    let pending: bigint[];
    try {
      pending = await pendingFromIndexer();
      if (indexerDown) options.log("sovr: the executor reads control intents from the indexer again");
      indexerDown = false;
    } catch (error) {
      if (!indexerDown)
        options.log(`sovr: the indexer does not answer (${(error as Error).message}); reading control intents from the chain`);
      indexerDown = true;
      pending = await pendingFromChain();
    }
    for (const intentId of pending) {
      if (stopped) return;
      await handle(intentId);
    }
  }

  let lastError = "";
  const loop = (first: Promise<void>) => {
    current = first
      .then(() => {
        lastError = "";
      })
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
        if (message !== lastError) options.log(`sovr: control executor: ${message}`);
        lastError = message;
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(() => loop(poll()), POLL_MS);
      });
  };
  loop(recover());

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.race([current, new Promise((resolveWait) => setTimeout(resolveWait, STOP_GRACE_MS))]);
    },
  };
}

/** Probes until the check passes or the time is up; resolves with whether it passed. */
export async function waitUntilHealthy(check: HealthCheck, timeoutSeconds: number): Promise<boolean> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (Date.now() < deadline) {
    if ((await probe(check)).ok) return true;
    await new Promise((resolveWait) => setTimeout(resolveWait, START_PROBE_MS));
  }
  return false;
}

function revertName(error: unknown): string | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const revert = error.walk((cause) => cause instanceof ContractFunctionRevertedError);
  return revert instanceof ContractFunctionRevertedError ? revert.data?.errorName : undefined;
}

/**
 * Health prober: probes each component the supervisor controls on its own interval, escalates the
 * results (probe.ts), records a transition on-chain only when the status changes, beats liveness at
 * the registry's low rate otherwise, and keeps Prometheus metrics for `/metrics`.
 * It resumes from the chain: the status on record is read at start, so a restart reports nothing twice.
 * A transition seen while the chain could not be written to (an RPC outage) is recorded once it can,
 * before the status of that moment, so that the outage stays in the record.
 */
import { componentRegistryAbi, componentStatuses } from "@sovr/contracts";
import { type HostWallet, sendHostTransaction } from "@sovr/runtime/transactions";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { type Address, encodeFunctionData, type PublicClient } from "viem";
import type { HealthCheck } from "./config.ts";
import { type Escalated, Escalation, probe } from "./probe.ts";

export type ProbeTarget = {
  /** On-chain component id; the prober's wallet must be its controller. */
  id: number;
  name: string;
  check: HealthCheck;
  intervalSeconds: number;
  failuresUntilOffline: number;
};

export type ProberOptions = {
  client: PublicClient;
  wallet: HostWallet;
  registry: Address;
  metrics: Registry;
  /** How long one of its transactions may stay unmined before it is replaced with higher fees. */
  stuckAfterMs?: number;
  log: (line: string) => void;
};

export type Prober = {
  /**
   * Starts probing a component (replacing an earlier target with the same id); resolves once its
   * first probe is recorded (or failed to be), so a caller can show components only once probed.
   */
  watch(target: ProbeTarget): Promise<void>;
  /** Stops probing a component (e.g. after a deliberate STOP, which records STOPPED itself). */
  unwatch(id: number): void;
  /** Records a status chosen by the supervisor (STOPPED after a STOP intent), unless already on record. */
  record(id: number, status: (typeof componentStatuses)[number], latencyMs: number): Promise<void>;
  stop(): Promise<void>;
};

/** Latency buckets of the probe histogram, in milliseconds. */
const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

export function startProber(options: ProberOptions): Prober {
  const up = new Gauge({
    name: "sovr_component_up",
    help: "1 when the last probe succeeded",
    labelNames: ["component"],
    registers: [options.metrics],
  });
  const latency = new Histogram({
    name: "sovr_probe_latency_ms",
    help: "Latency of health probes in milliseconds",
    labelNames: ["component"],
    buckets: LATENCY_BUCKETS_MS,
    registers: [options.metrics],
  });
  const failures = new Gauge({
    name: "sovr_component_consecutive_failures",
    help: "Failed probes in a row",
    labelNames: ["component"],
    registers: [options.metrics],
  });
  const transitions = new Counter({
    name: "sovr_health_transitions_total",
    help: "Health transitions recorded on-chain",
    labelNames: ["component", "status"],
    registers: [options.metrics],
  });

  const timers = new Map<number, NodeJS.Timeout>();
  /** Serialises the prober's transactions (one key, one nonce sequence). */
  let sending: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const pending = new Set<Promise<unknown>>();

  async function onChainStatus(id: number): Promise<{ status: string; lastBeatAt: number }> {
    const component = await options.client.readContract({
      address: options.registry,
      abi: componentRegistryAbi,
      functionName: "getComponent",
      args: [id],
    });
    return { status: componentStatuses[component.status] ?? "UNKNOWN", lastBeatAt: Number(component.lastBeatAt) };
  }

  function send(functionName: "reportHealth" | "beat", args: readonly [number, number, number] | readonly [number, number]) {
    const next = sending.then(async () => {
      const { request } = await options.client.simulateContract({
        address: options.registry,
        abi: componentRegistryAbi,
        functionName,
        args,
        account: options.wallet.account,
      } as never);
      const receipt = await sendHostTransaction(
        options.client,
        options.wallet,
        { to: options.registry, data: encodeFunctionData(request as never) },
        { ...(options.stuckAfterMs ? { stuckAfterMs: options.stuckAfterMs } : {}), log: options.log },
      );
      if (receipt.status !== "success") throw new Error(`${functionName} reverted in ${receipt.transactionHash}`);
    });
    sending = next.catch(() => undefined);
    return next;
  }

  async function record(id: number, status: (typeof componentStatuses)[number], latencyMs: number, name = String(id)) {
    const current = await onChainStatus(id);
    if (current.status === status) return;
    await send("reportHealth", [id, componentStatuses.indexOf(status), latencyMs] as const);
    transitions.inc({ component: name, status });
    options.log(`sovr: ${name} is ${status} (was ${current.status})`);
  }

  function track<T>(work: Promise<T>): Promise<T> {
    pending.add(work);
    void work.finally(() => pending.delete(work)).catch(() => undefined);
    return work;
  }

  function watch(target: ProbeTarget): Promise<void> {
    unwatch(target.id);
    let firstRound: () => void = () => undefined;
    const firstRecorded = new Promise<void>((resolveFirst) => {
      firstRound = resolveFirst;
    });
    const escalation = new Escalation(target.failuresUntilOffline);
    let lastRecorded: Escalated | string | undefined;
    let lastBeatAt = 0;
    let beatInterval = 0;
    let lastError = "";
    /** A transition not yet on record because the chain could not be written to. */
    let missed: { status: Escalated; latencyMs: number } | undefined;
    const round = async () => {
      const result = await probe(target.check);
      const status = escalation.next(result.ok, result.degraded);
      up.set({ component: target.name }, result.ok ? 1 : 0);
      latency.observe({ component: target.name }, result.latencyMs);
      failures.set({ component: target.name }, escalation.consecutiveFailures);
      try {
        await settle(status, result.latencyMs);
        missed = undefined;
      } catch (error) {
        if (status !== "ONLINE" && missed === undefined) missed = { status, latencyMs: result.latencyMs };
        throw error;
      }
    };
    /** Puts `status` on record if it is not (a missed transition first), or beats when one is due. */
    const settle = async (status: Escalated, latencyMs: number) => {
      if (lastRecorded === undefined) {
        const current = await onChainStatus(target.id);
        lastRecorded = current.status;
        lastBeatAt = current.lastBeatAt;
        beatInterval = Number(
          await options.client.readContract({ address: options.registry, abi: componentRegistryAbi, functionName: "beatInterval" }),
        );
      }
      const nowSeconds = Math.floor(Date.now() / 1000);
      if (missed && missed.status !== lastRecorded && missed.status !== status) {
        await record(target.id, missed.status, missed.latencyMs, target.name);
        lastRecorded = missed.status;
      }
      if (status !== lastRecorded) {
        await record(target.id, status, latencyMs, target.name);
        lastRecorded = status;
        lastBeatAt = nowSeconds;
      } else if (nowSeconds - lastBeatAt >= beatInterval) {
        await send("beat", [target.id, latencyMs] as const);
        lastBeatAt = nowSeconds;
      }
    };
    const schedule = (delayMs: number) => {
      const timer = setTimeout(() => {
        if (stopped || timers.get(target.id) !== timer) return;
        void track(round())
          .then(() => (lastError = ""))
          .catch((error: unknown) => {
            const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
            if (message !== lastError) options.log(`sovr: probing ${target.name}: ${message}`);
            lastError = message;
            // What went wrong is unknown: read the chain again next round.
            lastRecorded = undefined;
          })
          .finally(() => {
            firstRound();
            if (timers.get(target.id) === timer) schedule(target.intervalSeconds * 1000);
          });
      }, delayMs);
      timers.set(target.id, timer);
    };
    schedule(0);
    return firstRecorded;
  }

  function unwatch(id: number) {
    const timer = timers.get(id);
    if (timer) clearTimeout(timer);
    timers.delete(id);
  }

  return {
    watch,
    unwatch,
    record: (id, status, latencyMs) => track(record(id, status, latencyMs)),
    async stop() {
      stopped = true;
      for (const id of [...timers.keys()]) unwatch(id);
      await Promise.allSettled([...pending]);
    },
  };
}

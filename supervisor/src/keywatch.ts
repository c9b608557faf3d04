/**
 * Watches the host keys' balances against what they spend (runway.ts): served as `/health/keys`
 * (DEGRADED, not failed, while a key has less than a day of gas, so the stack component "host keys"
 * says so on-chain), and each time a key drops under a day a signal `low_balance` (ERROR) on that
 * component, which the guardian's rules turn into an alert for the owner.
 */
import { componentRegistryAbi, type SovrDeployment, signalSeverities } from "@sovr/contracts";
import { type HostWallet, sendHostTransaction } from "@sovr/runtime/transactions";
import { encodeFunctionData, formatEther, type PublicClient } from "viem";
import type { HostKey, HostKeyName } from "./keys.ts";
import type { HealthReport } from "./metrics.ts";
import { beatInterval, dailyGas, type Runway, runwayOf } from "./runway.ts";

export type KeyWatch = {
  /** The report `/health/keys` serves (computed afresh, at most every few seconds). */
  check(): Promise<HealthReport>;
  /** The on-chain component that carries the signal, once registered. */
  setComponent(id: number): void;
};

/** A key with less than this many days of gas is DEGRADED. */
export const LOW_RUNWAY_DAYS = 1;
const CACHE_MS = 5_000;

export function watchKeys(options: {
  client: PublicClient;
  wallet: HostWallet;
  deployment: SovrDeployment;
  keys: Record<HostKeyName, HostKey>;
  components: () => number;
  eventsPerDay: number;
  stuckAfterMs: number;
  log: (line: string) => void;
}): KeyWatch {
  let componentId: number | undefined;
  let cached: { at: number; report: Promise<HealthReport> } | undefined;
  const low = new Set<HostKeyName>();

  async function compute(): Promise<HealthReport> {
    const [gasPrice, interval] = await Promise.all([options.client.getGasPrice(), beatInterval(options.client, options.deployment)]);
    const daily = dailyGas({ components: options.components(), beatIntervalSeconds: interval, eventsPerDay: options.eventsPerDay });
    const runways: Runway[] = [];
    for (const key of Object.values(options.keys)) {
      const balance = await options.client.getBalance({ address: key.account.address });
      runways.push(runwayOf(key.name, balance, daily[key.name] * gasPrice));
    }
    const short = runways.filter((runway) => runway.days !== null && runway.days < LOW_RUNWAY_DAYS);
    for (const runway of short) if (!low.has(runway.name)) void alert(runway);
    for (const runway of runways) if (!short.includes(runway)) low.delete(runway.name);
    return {
      ok: true,
      degraded: short.length > 0,
      gasPriceWei: gasPrice.toString(),
      keys: runways.map((runway) => ({
        name: runway.name,
        address: options.keys[runway.name].account.address,
        balanceEth: formatEther(runway.balanceWei),
        dailyCostEth: formatEther(runway.dailyCostWei),
        runwayDays: runway.days,
      })),
    };
  }

  async function alert(runway: Runway) {
    if (componentId === undefined) return;
    low.add(runway.name);
    const address = options.keys[runway.name].account.address;
    const message = `${runway.name} key ${address} has ${runway.days?.toFixed(2)} days of gas left (${formatEther(runway.balanceWei)} ETH); send it ETH`;
    options.log(`sovr: ${message}`);
    try {
      const receipt = await sendHostTransaction(
        options.client,
        options.wallet,
        {
          to: options.deployment.registry,
          data: encodeFunctionData({
            abi: componentRegistryAbi,
            functionName: "signal",
            args: [componentId, signalSeverities.indexOf("ERROR"), "low_balance", message],
          }),
        },
        { stuckAfterMs: options.stuckAfterMs, log: options.log },
      );
      if (receipt.status !== "success") throw new Error(`the signal reverted in ${receipt.transactionHash}`);
    } catch (error) {
      // Said again on the next check.
      low.delete(runway.name);
      options.log(`sovr: could not signal the low balance: ${(error as Error).message.split("\n")[0]}`);
    }
  }

  return {
    check() {
      if (!cached || Date.now() - cached.at > CACHE_MS) {
        const report = compute();
        cached = { at: Date.now(), report };
        report.catch(() => {
          if (cached?.report === report) cached = undefined;
        });
      }
      return cached.report;
    },
    setComponent(id) {
      componentId = id;
    },
  };
}

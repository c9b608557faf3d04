/**
 * What the host keys spend: the supervisor's key beats each component's liveness at the registry's
 * beat interval and records its transitions; the guardian's key attests one verdict per indexed event
 * (beats are not judged). Gas per transaction is `pnpm bench gas`'s measure with headroom, priced at
 * the chain's current gas price (EIP-1559 base fee plus the suggested tip). On OP-stack chains the
 * L1 data fee comes on top; the headroom covers a typical one, a congested L1 may not be.
 */
import { componentRegistryAbi, type SovrDeployment } from "@sovr/contracts";
import { formatEther, type PublicClient } from "viem";
import type { HostKeyName } from "./keys.ts";

/** Gas per host transaction: `registry.beat`/`reportHealth` ~30k and `guardian.attest` ~105k measured, plus headroom. */
export const HOST_GAS = { beat: 40_000n, transition: 45_000n, attest: 130_000n } as const;
/** Transitions a day assumed per component (a flap a day: DEGRADED and back). */
const TRANSITIONS_PER_COMPONENT_PER_DAY = 2n;
const DAY_SECONDS = 86_400n;

export type Workload = { components: number; beatIntervalSeconds: number; eventsPerDay: number };

export function dailyGas(workload: Workload): Record<HostKeyName, bigint> {
  const components = BigInt(workload.components);
  const beats = components * (DAY_SECONDS / BigInt(Math.max(1, workload.beatIntervalSeconds)));
  return {
    supervisor: beats * HOST_GAS.beat + components * TRANSITIONS_PER_COMPONENT_PER_DAY * HOST_GAS.transition,
    guardian: BigInt(workload.eventsPerDay) * HOST_GAS.attest,
  };
}

export type Runway = {
  name: HostKeyName;
  balanceWei: bigint;
  dailyCostWei: bigint;
  /** Days the balance lasts at today's fees; null when the key spends nothing. */
  days: number | null;
};

export function runwayOf(name: HostKeyName, balanceWei: bigint, dailyCostWei: bigint): Runway {
  return { name, balanceWei, dailyCostWei, days: dailyCostWei === 0n ? null : Number((balanceWei * 1000n) / dailyCostWei) / 1000 };
}

/** The registry's beat interval (seconds), read from the chain. */
export async function beatInterval(client: PublicClient, deployment: SovrDeployment): Promise<number> {
  return Number(await client.readContract({ address: deployment.registry, abi: componentRegistryAbi, functionName: "beatInterval" }));
}

/** "0.0123 ETH for 30 days (4.1 M gas a day at 0.01 gwei)". */
export function describeNeed(dailyGasUnits: bigint, gasPrice: bigint, days: number): string {
  const need = dailyGasUnits * gasPrice * BigInt(days);
  return `${formatEther(need)} ETH for ${days} days (${(Number(dailyGasUnits) / 1e6).toFixed(2)} M gas a day at ${formatGwei(gasPrice)} gwei)`;
}

export function formatGwei(wei: bigint): string {
  return (Number(wei) / 1e9).toPrecision(3);
}

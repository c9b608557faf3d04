/**
 * The components the supervisor looks after: the stack's own (chain, contracts, indexer, guardian,
 * supervisor, web, keeper, notifier, assistant, host keys, host) and the owner's from the host configuration. Each is registered on-chain by the
 * owner with the supervisor's key as controller and reporter, with the health check the prober runs.
 * Registration is idempotent: a component already registered under the same name is reused.
 */
import { componentKinds, componentRegistryAbi, type SovrDeployment } from "@sovr/contracts";
import { UserError } from "@sovr/runtime";
import { type HostWallet, type SendOptions, sendHostTransaction } from "@sovr/runtime/transactions";
import { type Address, encodeFunctionData, type PublicClient } from "viem";
import { type ComponentConfig, type HealthCheck, healthCheckSchema } from "./config.ts";
import type { ProbeTarget } from "./prober.ts";

export type StackComponent = {
  name: string;
  kind: (typeof componentKinds)[number];
  critical: boolean;
  endpoint: string;
  check: HealthCheck;
  intervalSeconds: number;
  failuresUntilOffline: number;
};

/** Failed probes in a row until a stack component is OFFLINE. */
const STACK_FAILURES_UNTIL_OFFLINE = 3;

/**
 * The stack's own components. The chain is probed through the supervisor's `/health/chain` (every
 * RPC URL); `chainEndpoint` is what the registry shows (public on-chain: never a URL with a key in it).
 */
export function stackComponents(
  urls: { chainEndpoint: string; indexer: string; guardian: string; metrics: string; web: string; notifier: string; assistant: string },
  intervalSeconds: number,
): StackComponent[] {
  const probing = { intervalSeconds, failuresUntilOffline: STACK_FAILURES_UNTIL_OFFLINE };
  return [
    {
      name: "sovr chain",
      kind: "BLOCKCHAIN",
      critical: true,
      endpoint: urls.chainEndpoint,
      // Failed when no RPC URL answers, DEGRADED while only some do.
      check: healthCheckSchema.parse({ type: "http", url: `${urls.metrics}/health/chain`, jsonPath: "ok", equals: true }),
      ...probing,
    },
    {
      name: "sovr indexer",
      kind: "INFRASTRUCTURE",
      critical: true,
      endpoint: `${urls.indexer}/ready`,
      check: healthCheckSchema.parse({ type: "http", url: `${urls.indexer}/ready` }),
      ...probing,
    },
    {
      name: "sovr guardian",
      kind: "SECURITY",
      critical: true,
      endpoint: `${urls.guardian}/health`,
      // 503 when its follower is stale; the body says whether Gemini is degraded.
      check: healthCheckSchema.parse({ type: "http", url: `${urls.guardian}/health` }),
      ...probing,
    },
    {
      name: "sovr supervisor",
      kind: "INFRASTRUCTURE",
      critical: false,
      endpoint: `${urls.metrics}/metrics`,
      check: healthCheckSchema.parse({ type: "http", url: `${urls.metrics}/metrics`, keyword: "sovr_component_up" }),
      ...probing,
    },
    {
      name: "sovr web",
      kind: "WEB_DASHBOARD",
      critical: false,
      endpoint: `${urls.web}/config.json`,
      check: healthCheckSchema.parse({ type: "http", url: `${urls.web}/config.json` }),
      ...probing,
    },
    {
      name: "sovr contracts",
      kind: "BLOCKCHAIN",
      critical: true,
      endpoint: `${urls.metrics}/health/contracts`,
      // Code at every deployed address; the body also says whether the ledger is paused.
      check: healthCheckSchema.parse({ type: "http", url: `${urls.metrics}/health/contracts`, jsonPath: "ok", equals: true }),
      ...probing,
    },
    {
      name: "sovr keeper",
      kind: "INFRASTRUCTURE",
      critical: false,
      endpoint: `${urls.metrics}/health/keeper`,
      // Last pass, due charges and releases, the oldest due age; DEGRADED (`degraded`) while a due charge is more
      // than one period late or the last pass failed, failed when no pass has completed for a long time.
      check: healthCheckSchema.parse({ type: "http", url: `${urls.metrics}/health/keeper`, jsonPath: "ok", equals: true }),
      ...probing,
    },
    {
      name: "sovr notifier",
      kind: "INFRASTRUCTURE",
      critical: false,
      endpoint: `${urls.notifier}/health`,
      // 503 when its loop is stale; DEGRADED (`degraded`) while a channel's last delivery gave up.
      check: healthCheckSchema.parse({ type: "http", url: `${urls.notifier}/health` }),
      ...probing,
    },
    {
      name: "sovr assistant",
      kind: "CORE_BACKEND",
      critical: false,
      endpoint: `${urls.assistant}/health`,
      check: healthCheckSchema.parse({ type: "http", url: `${urls.assistant}/health` }),
      ...probing,
    },
    {
      name: "host keys",
      kind: "INFRASTRUCTURE",
      critical: false,
      endpoint: `${urls.metrics}/health/keys`,
      // DEGRADED (not failed) while a key has less than a day of gas: the body says `degraded`.
      check: healthCheckSchema.parse({ type: "http", url: `${urls.metrics}/health/keys`, jsonPath: "ok", equals: true }),
      ...probing,
    },
    {
      name: "host",
      kind: "INFRASTRUCTURE",
      critical: false,
      endpoint: `${urls.metrics}/health/host`,
      check: healthCheckSchema.parse({ type: "http", url: `${urls.metrics}/health/host`, jsonPath: "ok", equals: true }),
      ...probing,
    },
  ];
}

/** The owner's components from the host configuration. */
export function configuredComponents(components: ComponentConfig[]): StackComponent[] {
  return components.map((component) => ({
    name: component.name,
    kind: component.kind,
    critical: component.critical,
    endpoint: component.health.type === "tcp" ? `tcp://${component.health.host}:${component.health.port}` : component.health.url,
    check: component.health,
    intervalSeconds: component.intervalSeconds,
    failuresUntilOffline: component.failuresUntilOffline,
  }));
}

/**
 * Finds the components on-chain by name (among those not retired) and returns probe targets for
 * them. With the owner's wallet, registers what is missing and makes the supervisor's key the
 * controller and reporter where it is not; without it (`sovr up` attached to a public chain, which
 * never holds the owner's key) anything missing stops the start with the command that fixes it.
 */
export async function registerStack(options: {
  client: PublicClient;
  owner: HostWallet | undefined;
  supervisorKey: Address;
  deployment: SovrDeployment;
  components: StackComponent[];
  send: SendOptions;
}): Promise<{ targets: ProbeTarget[]; registered: string[] }> {
  const registry = { address: options.deployment.registry, abi: componentRegistryAbi } as const;
  const count = await options.client.readContract({ ...registry, functionName: "componentCount" });
  const existing = new Map<string, { id: number; controller: Address; reporter: Address }>();
  for (let id = 1; id <= count; id++) {
    const component = await options.client.readContract({ ...registry, functionName: "getComponent", args: [id] });
    if (!component.retired) existing.set(component.name, { id, controller: component.controller, reporter: component.reporter });
  }
  const isOurs = (current: { controller: Address; reporter: Address }) =>
    current.controller === options.supervisorKey && current.reporter === options.supervisorKey;
  const unfit = options.components.filter((component) => {
    const current = existing.get(component.name);
    return !current || !isOurs(current);
  });
  if (unfit.length > 0 && !options.owner) {
    throw new UserError(
      `${unfit.map((c) => c.name).join(", ")} ${unfit.length === 1 ? "is" : "are"} not registered on chain ${options.deployment.chainId} with this host's supervisor key ${options.supervisorKey} as controller: run \`pnpm sovr deploy\` (the owner registers them)`,
    );
  }

  const targets: ProbeTarget[] = [];
  const registered: string[] = [];
  for (const component of options.components) {
    const args = [
      component.name,
      componentKinds.indexOf(component.kind),
      component.endpoint,
      component.critical,
      options.supervisorKey,
      options.supervisorKey,
    ] as const;
    const current = existing.get(component.name);
    let id = current?.id;
    if (options.owner && id === undefined) {
      const { request, result } = await options.client.simulateContract({
        ...registry,
        functionName: "register",
        args,
        account: options.owner.account,
      });
      await confirm(options, encodeFunctionData(request));
      id = result;
      registered.push(component.name);
    } else if (options.owner && current && id !== undefined && !isOurs(current)) {
      const { request } = await options.client.simulateContract({
        ...registry,
        functionName: "update",
        args: [id, ...args],
        account: options.owner.account,
      });
      await confirm(options, encodeFunctionData(request));
      registered.push(component.name);
    }
    targets.push({
      id: id!,
      name: component.name,
      check: component.check,
      intervalSeconds: component.intervalSeconds,
      failuresUntilOffline: component.failuresUntilOffline,
    });
  }
  return { targets, registered };
}

async function confirm(
  options: { client: PublicClient; owner: HostWallet | undefined; deployment: SovrDeployment; send: SendOptions },
  data: `0x${string}`,
) {
  const receipt = await sendHostTransaction(options.client, options.owner!, { to: options.deployment.registry, data }, options.send);
  if (receipt.status !== "success") throw new Error(`registration reverted in ${receipt.transactionHash}`);
}

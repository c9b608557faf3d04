/**
 * The components the supervisor looks after: the stack's own (chain, contracts, indexer, guardian,
 * supervisor, host) and the owner's from the host configuration. Each is registered on-chain by the
 * owner with the supervisor's key as controller and reporter, with the health check the prober runs.
 * Registration is idempotent: a component already registered under the same name is reused.
 */
import { componentKinds, componentRegistryAbi, type SovrDeployment } from "@sovr/contracts";
import type { Account, Address, Chain, PublicClient, Transport, WalletClient } from "viem";
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

/** How often the stack's own components are probed. */
const STACK_INTERVAL_SECONDS = 15;
/** Failed probes in a row until a stack component is OFFLINE. */
const STACK_FAILURES_UNTIL_OFFLINE = 3;

export function stackComponents(urls: {
  chain: string;
  indexer: string;
  guardian: string;
  metrics: string;
  web: string;
}): StackComponent[] {
  const probing = { intervalSeconds: STACK_INTERVAL_SECONDS, failuresUntilOffline: STACK_FAILURES_UNTIL_OFFLINE };
  return [
    {
      name: "sovr chain",
      kind: "BLOCKCHAIN",
      critical: true,
      endpoint: urls.chain,
      check: healthCheckSchema.parse({ type: "jsonrpc", url: urls.chain, method: "eth_blockNumber" }),
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
 * Registers what is missing (as the owner) and returns probe targets for every stack component.
 * Components are matched by name among those not retired; one whose controller is not the
 * supervisor's key is updated to it.
 */
export async function registerStack(options: {
  client: PublicClient;
  owner: WalletClient<Transport, Chain | undefined, Account>;
  supervisorKey: Address;
  deployment: SovrDeployment;
  components: StackComponent[];
}): Promise<ProbeTarget[]> {
  const registry = { address: options.deployment.registry, abi: componentRegistryAbi } as const;
  const count = await options.client.readContract({ ...registry, functionName: "componentCount" });
  const existing = new Map<string, { id: number; controller: Address; reporter: Address }>();
  for (let id = 1; id <= count; id++) {
    const component = await options.client.readContract({ ...registry, functionName: "getComponent", args: [id] });
    if (!component.retired) existing.set(component.name, { id, controller: component.controller, reporter: component.reporter });
  }

  const targets: ProbeTarget[] = [];
  for (const component of options.components) {
    const args = [
      component.name,
      componentKinds.indexOf(component.kind),
      component.endpoint,
      component.critical,
      options.supervisorKey,
      options.supervisorKey,
    ] as const;
    let id = existing.get(component.name)?.id;
    const current = existing.get(component.name);
    if (id === undefined) {
      const { request, result } = await options.client.simulateContract({
        ...registry,
        functionName: "register",
        args,
        account: options.owner.account,
      });
      await confirm(options.client, await options.owner.writeContract(request));
      id = result;
    } else if (current && (current.controller !== options.supervisorKey || current.reporter !== options.supervisorKey)) {
      const { request } = await options.client.simulateContract({
        ...registry,
        functionName: "update",
        args: [id, ...args],
        account: options.owner.account,
      });
      await confirm(options.client, await options.owner.writeContract(request));
    }
    targets.push({
      id,
      name: component.name,
      check: component.check,
      intervalSeconds: component.intervalSeconds,
      failuresUntilOffline: component.failuresUntilOffline,
    });
  }
  return targets;
}

async function confirm(client: PublicClient, hash: `0x${string}`) {
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`registration reverted in ${hash}`);
}

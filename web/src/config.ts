/**
 * What one deployment of the command center talks to. `sovr up` serves it as `/config.json` beside
 * the built app, so one build serves any chain, indexer and set of contracts.
 */
import { type Address, isAddress } from "viem";

export type WebConfig = {
  chainId: number;
  /** How the wallet shows the chain when it is asked to add it (EIP-3085). */
  chainName: string;
  rpcUrl: string;
  /** Block explorer: every transaction and address links to it; none on the local chain. */
  explorerUrl?: string | undefined;
  indexerUrl: string;
  /** The notifier's API (Settings: channels, failures, test buttons); absent when none runs. */
  notifierUrl?: string | undefined;
  /** The assistant's API (the chat panel); absent when none runs. */
  assistantUrl?: string | undefined;
  /** The deployment's owner (DEFAULT_ADMIN_ROLE): the page tells a different wallet what it cannot do. */
  owner: Address;
  contracts: {
    ledger: Address;
    credit: Address;
    token: Address;
    relay: Address;
    registry: Address;
    guardian: Address;
    directory: Address;
    /** The maintenance calendar; absent from a deployment made before it existed. */
    maintenance?: Address | undefined;
    invoices: Address;
    orders: Address;
    commitments: Address;
  };
  /** The host's own keys, shown by name ("supervisor key", "guardian key"), never as bare hex. */
  hostKeys: { supervisor: Address; guardian: Address };
  /**
   * Component ids as this host knows them: the stack's own (run by `sovr up` itself, never by an
   * intent) and those it can start and stop (a `start` command in its sovr.config).
   */
  components: { stack: number[]; controllable: number[] };
};

const CONTRACT_NAMES = [
  "ledger",
  "credit",
  "token",
  "relay",
  "registry",
  "guardian",
  "directory",
  "invoices",
  "orders",
  "commitments",
] as const;

/** Checks a fetched config field by field; the message names the first field that is wrong. */
export function parseWebConfig(value: unknown): WebConfig {
  if (typeof value !== "object" || value === null) throw new Error("config.json is not a JSON object");
  const config = value as Record<string, unknown>;
  if (!Number.isInteger(config.chainId) || (config.chainId as number) <= 0)
    throw new Error("config.json: chainId must be a positive integer");
  if (typeof config.chainName !== "string" || config.chainName.length === 0) throw new Error("config.json: chainName must be a name");
  if (config.explorerUrl !== undefined && (typeof config.explorerUrl !== "string" || !URL.canParse(config.explorerUrl)))
    throw new Error("config.json: explorerUrl must be a URL");
  for (const field of ["rpcUrl", "indexerUrl"] as const) {
    if (typeof config[field] !== "string" || !URL.canParse(config[field])) throw new Error(`config.json: ${field} must be a URL`);
  }
  for (const field of ["notifierUrl", "assistantUrl"] as const) {
    if (config[field] !== undefined && (typeof config[field] !== "string" || !URL.canParse(config[field])))
      throw new Error(`config.json: ${field} must be a URL`);
  }
  if (typeof config.owner !== "string" || !isAddress(config.owner)) throw new Error("config.json: owner must be an address");
  const contracts = config.contracts as Record<string, unknown> | undefined;
  if (typeof contracts !== "object" || contracts === null) throw new Error("config.json: contracts is missing");
  for (const name of CONTRACT_NAMES) {
    const address = contracts[name];
    if (typeof address !== "string" || !isAddress(address)) throw new Error(`config.json: contracts.${name} must be an address`);
  }
  if (contracts.maintenance !== undefined && (typeof contracts.maintenance !== "string" || !isAddress(contracts.maintenance)))
    throw new Error("config.json: contracts.maintenance must be an address");
  const hostKeys = config.hostKeys as Record<string, unknown> | undefined;
  for (const name of ["supervisor", "guardian"] as const) {
    if (typeof hostKeys?.[name] !== "string" || !isAddress(hostKeys[name]))
      throw new Error(`config.json: hostKeys.${name} must be an address`);
  }
  const components = config.components as Record<string, unknown> | undefined;
  const ids = (name: "stack" | "controllable"): number[] => {
    const list = components?.[name];
    if (!Array.isArray(list) || !list.every((id) => Number.isInteger(id) && id > 0))
      throw new Error(`config.json: components.${name} must be a list of component ids`);
    return list as number[];
  };
  return {
    chainId: config.chainId as number,
    chainName: config.chainName,
    rpcUrl: (config.rpcUrl as string).replace(/\/$/, ""),
    explorerUrl: typeof config.explorerUrl === "string" ? config.explorerUrl.replace(/\/$/, "") : undefined,
    indexerUrl: (config.indexerUrl as string).replace(/\/$/, ""),
    notifierUrl: typeof config.notifierUrl === "string" ? config.notifierUrl.replace(/\/$/, "") : undefined,
    assistantUrl: typeof config.assistantUrl === "string" ? config.assistantUrl.replace(/\/$/, "") : undefined,
    owner: config.owner as Address,
    contracts: {
      ...(Object.fromEntries(CONTRACT_NAMES.map((name) => [name, contracts[name]])) as WebConfig["contracts"]),
      ...(typeof contracts.maintenance === "string" ? { maintenance: contracts.maintenance as Address } : {}),
    },
    hostKeys: { supervisor: hostKeys!.supervisor as Address, guardian: hostKeys!.guardian as Address },
    components: { stack: ids("stack"), controllable: ids("controllable") },
  };
}

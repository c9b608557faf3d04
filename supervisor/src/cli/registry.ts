/** Component registry verbs: components list|add|retire, control, signal. */
import { basename } from "node:path";
import { componentKinds, componentRegistryAbi, contractLimits, controlActions, signalSeverities } from "@sovr/contracts";
import { fields } from "@sovr/indexer/client";
import { type Address, getAddress, parseEventLogs } from "viem";
import { z } from "zod";
import { findConfigFile, loadHostConfig } from "../config.ts";
import { boundedText, parseAddress, parseChoice, parseId, UsageError } from "./args.ts";
import { openSigning, type SigningSession, send } from "./chain.ts";
import { indexerOf } from "./indexer.ts";
import { indexedNotes, noMoreArguments, refuseFlags, subverb, table, text, type Verb } from "./verb.ts";

/** The registry's byte limits (its MAX_* constants), checked before sending. */
const {
  MAX_NAME_LENGTH: MAX_NAME_BYTES,
  MAX_ENDPOINT_LENGTH: MAX_ENDPOINT_BYTES,
  MAX_SIGNAL_KIND_LENGTH: MAX_SIGNAL_KIND_BYTES,
  MAX_MESSAGE_LENGTH: MAX_MESSAGE_BYTES,
} = contractLimits.ComponentRegistry;

/** The stack's own component whose controller is the supervisor's key (supervisor/src/stack.ts). */
const SUPERVISOR_COMPONENT = "sovr supervisor";

const indexedComponent = z.object({
  id: z.number(),
  name: z.string(),
  kind: z.string(),
  endpoint: z.string(),
  critical: z.boolean(),
  controller: fields.hex,
  reporter: fields.hex,
  status: z.string(),
  latencyMs: z.number(),
  retired: z.boolean(),
});

/** A component id that was registered: an unknown one is the user's mistake, caught before sending. */
async function existingComponent(session: SigningSession, id: number): Promise<number> {
  const count = await session.client.readContract({
    address: session.deployment.registry,
    abi: componentRegistryAbi,
    functionName: "componentCount",
  });
  if (id > count) throw new UsageError(`there is no component ${id} (${count} registered; pnpm sovr components list)`);
  return id;
}

/** The registered, not retired components this host's configuration can start (by name). */
async function controllableHere(session: SigningSession, env: NodeJS.ProcessEnv): Promise<number[]> {
  const config = await loadHostConfig(findConfigFile(undefined, env));
  const names = new Set(config.components.filter((component) => component.start).map((component) => component.name));
  const registry = { address: session.deployment.registry, abi: componentRegistryAbi } as const;
  const count = await session.client.readContract({ ...registry, functionName: "componentCount" });
  const ids: number[] = [];
  for (let id = 1; id <= count; id++) {
    const component = await session.client.readContract({ ...registry, functionName: "getComponent", args: [id] });
    if (!component.retired && names.has(component.name)) ids.push(id);
  }
  if (ids.length === 0) {
    const where = config.file ? basename(config.file) : "sovr.config.json (none found)";
    throw new UsageError(`"all" means the components this host can start and stop, and none in ${where} has a start command`);
  }
  return ids;
}

/** The supervisor's key, read from the stack's own registration: the default controller of a new component. */
async function supervisorKey(session: SigningSession): Promise<Address | undefined> {
  const registry = { address: session.deployment.registry, abi: componentRegistryAbi } as const;
  const count = await session.client.readContract({ ...registry, functionName: "componentCount" });
  for (let id = 1; id <= count; id++) {
    const component = await session.client.readContract({ ...registry, functionName: "getComponent", args: [id] });
    if (component.name === SUPERVISOR_COMPONENT && !component.retired) return component.controller;
  }
  return undefined;
}

export const components: Verb = {
  name: "components",
  summary: "list, register (add) or retire the owner's components",
  help: `usage: pnpm sovr components list [--all] [--json]
       pnpm sovr components add --name <name> --kind <kind> --endpoint <health url> [--critical]
                                [--controller <address>] [--reporter <address>] [--json]
       pnpm sovr components retire <component id> [--json]

  list                the registered components with their health (from the indexer); --all shows retired ones
  add                 registers a component (owner key); prints its id
    --kind <kind>     ${componentKinds.join(", ")}
    --controller      the supervisor address that reports its health and carries out its intents
                      (default: the controller of the stack's "${SUPERVISOR_COMPONENT}" component)
    --reporter        the address the component itself signs its signals with (default: the controller)
  retire              retires a component for good: no more intents, health or signals`,
  options: {
    all: { type: "boolean" },
    name: { type: "string" },
    kind: { type: "string" },
    endpoint: { type: "string" },
    critical: { type: "boolean" },
    controller: { type: "string" },
    reporter: { type: "string" },
  },
  async run({ positionals, values, env }) {
    const action = subverb("components", positionals, ["list", "add", "retire"] as const);
    const addFlags = ["name", "kind", "endpoint", "critical", "controller", "reporter"];
    if (action === "list") {
      noMoreArguments("components list", positionals, 1);
      refuseFlags("components list", values, addFlags);
      const rows = await indexerOf(env).allPages(
        "components",
        `query($after: String) { components(limit: 1000, after: $after, orderBy: "id", orderDirection: "asc") {
          items { id name kind endpoint critical controller reporter status latencyMs retired } pageInfo { hasNextPage endCursor } } }`,
        {},
        indexedComponent,
      );
      const list = rows
        .filter((row) => values.all === true || !row.retired)
        .map((row) => ({ ...row, controller: getAddress(row.controller), reporter: getAddress(row.reporter) }));
      if (list.length === 0) return { data: list, text: "no components registered" };
      return {
        data: list,
        text: table(
          ["id", "name", "kind", "status", "latency", "critical", "endpoint", "controller", "reporter"],
          list.map((c) => [
            String(c.id),
            `${c.name}${c.retired ? " (retired)" : ""}`,
            c.kind,
            c.status,
            `${c.latencyMs} ms`,
            c.critical ? "yes" : "no",
            c.endpoint,
            c.controller,
            c.reporter,
          ]),
        ),
      };
    }
    if (action === "retire") {
      refuseFlags("components retire", values, [...addFlags, "all"]);
      noMoreArguments("components retire", positionals, 2);
      const componentId = Number(parseId(positionals[1], "component id", 32));
      const session = await openSigning(env);
      const id = await existingComponent(session, componentId);
      const { receipt } = await send(session, "components retire", {
        address: session.deployment.registry,
        abi: componentRegistryAbi,
        functionName: "retire",
        args: [id],
      });
      const notes = await indexedNotes(env, receipt);
      return {
        data: { componentId: id, retired: true, txHash: receipt.transactionHash, blockNumber: Number(receipt.blockNumber) },
        notes,
        text: `component ${id} retired`,
      };
    }
    noMoreArguments("components add", positionals, 1);
    refuseFlags("components add", values, ["all"]);
    const name = boundedText(text(values, "name"), "--name", { min: 1, max: MAX_NAME_BYTES });
    const kind = parseChoice(text(values, "kind"), "--kind", componentKinds);
    const endpoint = boundedText(text(values, "endpoint"), "--endpoint", { min: 1, max: MAX_ENDPOINT_BYTES });
    const controllerFlag = values.controller === undefined ? undefined : parseAddress(text(values, "controller"), "--controller");
    const reporterFlag = values.reporter === undefined ? undefined : parseAddress(text(values, "reporter"), "--reporter");

    const session = await openSigning(env);
    const controller = controllerFlag ?? (await supervisorKey(session));
    if (!controller)
      throw new UsageError(
        `--controller is required: no "${SUPERVISOR_COMPONENT}" component is registered to take the supervisor's key from`,
      );
    const reporter = reporterFlag ?? controller;
    const { receipt } = await send(session, "components add", {
      address: session.deployment.registry,
      abi: componentRegistryAbi,
      functionName: "register",
      args: [name, componentKinds.indexOf(kind), endpoint, values.critical === true, controller, reporter],
    });
    // From the receipt, not the simulation: another registration may have landed in between.
    const id = parseEventLogs({ abi: componentRegistryAbi, logs: receipt.logs, eventName: "ComponentRegistered" })[0]?.args.id;
    if (id === undefined) throw new Error(`transaction ${receipt.transactionHash} registered nothing`);
    const notes = await indexedNotes(env, receipt);
    return {
      data: {
        componentId: id,
        name,
        kind,
        endpoint,
        critical: values.critical === true,
        controller,
        reporter,
        txHash: receipt.transactionHash,
        blockNumber: Number(receipt.blockNumber),
      },
      notes,
      text: `component ${id} registered: ${name} (${kind}), controller ${controller}, reporter ${reporter}`,
    };
  },
};

export const control: Verb = {
  name: "control",
  summary: "request START, STOP or RESTART of components (owner key); prints the intent ids",
  help: `usage: pnpm sovr control start|stop|restart <component id>[,<id>...]|all [--json]

The owner records a control intent on-chain for each component; the component's controller (the
supervisor) carries it out and reports Executed or Failed. Intents carry no command: what START means
lives only in the host's configuration. "all" means every component this host can start and stop:
those with a start command in its sovr.config (SOVR_CONFIG), never the stack's own (sovr up runs them).`,
  options: {},
  async run({ positionals, env }) {
    const action = subverb("control", positionals, ["start", "stop", "restart"] as const);
    const target = positionals.slice(1).join(",");
    if (target === "") throw new UsageError(`name the components to ${action}: ids (1,2) or all`);
    const actionIndex = controlActions.indexOf(action.toUpperCase() as (typeof controlActions)[number]);
    const requested =
      target === "all"
        ? []
        : target
            .split(",")
            .filter(Boolean)
            .map((part) => Number(parseId(part, "component id", 32)));

    const session = await openSigning(env);
    const registry = { address: session.deployment.registry, abi: componentRegistryAbi } as const;
    const ids: number[] = [];
    if (target === "all") ids.push(...(await controllableHere(session, env)));
    else for (const id of requested) ids.push(await existingComponent(session, id));
    const receiptOf =
      ids.length === 1
        ? await send(session, `control ${action}`, { ...registry, functionName: "requestControl", args: [ids[0]!, actionIndex] })
        : await send(session, `control ${action}`, { ...registry, functionName: "requestControlMany", args: [ids, actionIndex] });
    const { receipt } = receiptOf;
    const intents = parseEventLogs({ abi: componentRegistryAbi, logs: receipt.logs, eventName: "ControlRequested" }).map((log) => ({
      intentId: log.args.intentId.toString(),
      componentId: log.args.componentId,
      action: controlActions[log.args.action] ?? String(log.args.action),
    }));
    const notes = await indexedNotes(env, receipt);
    return {
      data: { intents, txHash: receipt.transactionHash, blockNumber: Number(receipt.blockNumber) },
      notes,
      text: intents.map((intent) => `intent ${intent.intentId}: ${intent.action} component ${intent.componentId}`).join("\n"),
    };
  },
};

export const signal: Verb = {
  name: "signal",
  summary: "record a signal as a component's reporter (auth failure, payment anomaly, ...)",
  help: `usage: pnpm sovr signal --component <id> --severity <severity> --kind <kind> --message <text> [--json]

The key must be the component's reporter.

  --severity <s>      ${signalSeverities.join(", ")}
  --kind <kind>       what happened, 1 to ${MAX_SIGNAL_KIND_BYTES} bytes (auth_failure, payment_anomaly, kyc_violation, ...)
  --message <text>    up to ${MAX_MESSAGE_BYTES} bytes`,
  options: { component: { type: "string" }, severity: { type: "string" }, kind: { type: "string" }, message: { type: "string" } },
  async run({ positionals, values, env }) {
    noMoreArguments("signal", positionals, 0);
    if (values.component === undefined) throw new UsageError("--component is required (the component's id)");
    const severity = parseChoice(text(values, "severity"), "--severity", signalSeverities);
    const kind = boundedText(text(values, "kind"), "--kind", { min: 1, max: MAX_SIGNAL_KIND_BYTES });
    const message = boundedText(text(values, "message"), "--message", { min: 0, max: MAX_MESSAGE_BYTES });
    const requested = Number(parseId(text(values, "component"), "--component", 32));

    const session = await openSigning(env);
    const componentId = await existingComponent(session, requested);
    const { receipt } = await send(session, "signal", {
      address: session.deployment.registry,
      abi: componentRegistryAbi,
      functionName: "signal",
      args: [componentId, signalSeverities.indexOf(severity), kind, message],
    });
    const recorded = parseEventLogs({ abi: componentRegistryAbi, logs: receipt.logs, eventName: "SignalRecorded" })[0];
    if (!recorded) throw new Error(`transaction ${receipt.transactionHash} recorded no signal`);
    const signalId = recorded.args.signalId.toString();
    const notes = await indexedNotes(env, receipt);
    return {
      data: { signalId, componentId, severity, kind, message, txHash: receipt.transactionHash, blockNumber: Number(receipt.blockNumber) },
      notes,
      text: `signal ${signalId}: ${severity} ${kind} from component ${componentId}`,
    };
  },
};

/**
 * `on(name, fn)`: registers an indexing function that first writes the event to `audit_event`.
 * Names registered here are remembered so that every remaining ABI event is audited exactly once.
 */
import { type EventNames, type IndexingFunctionArgs, ponder } from "ponder:registry";
import { auditEvent } from "ponder:schema";

export const handledEvents = new Set<string>();

type Registry = typeof ponder;

/** The fields of any contract event the audit needs. */
type AuditableEvent = {
  id: string;
  args?: unknown;
  log: { logIndex: number };
  block: { number: bigint; timestamp: bigint };
  transaction: { hash: `0x${string}`; from: `0x${string}` };
};
type AuditContext = { db: { insert: (table: typeof auditEvent) => { values: (row: typeof auditEvent.$inferInsert) => unknown } } };

export function on<name extends EventNames>(name: name, fn: (args: IndexingFunctionArgs<name>) => Promise<void>): void {
  handledEvents.add(name);
  ponder.on(name, async (args) => {
    await audit(name, args.event as unknown as AuditableEvent, args.context as unknown as AuditContext);
    await fn(args);
  });
}

/** Registers an audit-only indexing function for an event name built at runtime from an ABI. */
export function auditOnly(registry: Registry, name: string): void {
  registry.on(name as EventNames, async ({ event, context }) => {
    await audit(name, event as unknown as AuditableEvent, context as unknown as AuditContext);
  });
}

async function audit(name: string, event: AuditableEvent, context: AuditContext): Promise<void> {
  const [contract = "", eventName = ""] = name.split(":");
  await context.db.insert(auditEvent).values({
    id: event.id,
    contract,
    event: eventName,
    actor: event.transaction.from,
    txHash: event.transaction.hash,
    blockNumber: event.block.number,
    logIndex: event.log.logIndex,
    timestamp: event.block.timestamp,
    args: toJson(event.args ?? {}),
  });
}

/** Decoded event arguments as JSON: bigints become decimal strings. */
function toJson(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toJson(inner)]));
  }
  return value;
}

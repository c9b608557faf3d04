/**
 * The indexer's HTTP API beside Ponder's own `/health`, `/ready`, `/status` and `/metrics`:
 * `/graphql`, `/sql` (live queries for `@ponder/client`), `/api/status` and `/api/reconcile`.
 */

import { setTimeout as sleep } from "node:timers/promises";
import { db } from "ponder:api";
import schema from "ponder:schema";
import { rpcTransport } from "@sovr/runtime/rpc";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { asc, client, count, desc, eq, graphql, sql } from "ponder";
import { createPublicClient } from "viem";
import type { IndexerStatus } from "../../lib/client.ts";
import { activeMaintenance, type MaintenanceWindowFacts, maintenanceSpans } from "../../lib/maintenance.ts";
import { type IndexedState, reconcile } from "../../lib/reconcile.ts";
import { overallStatus, type Transition, UPTIME_WINDOWS, uptime } from "../../lib/status.ts";
import { readIndexerSettings } from "../../settings.ts";

const settings = readIndexerSettings();
// Our own client, not Ponder's: Ponder caches calls by block number, which a reorg makes stale.
const chain = createPublicClient({ transport: rpcTransport(settings.rpcUrls, { retries: 1 }), cacheTime: 0 });

/** Largest request body accepted by /graphql and /sql. */
const MAX_BODY_BYTES = 64 * 1024;

const app = new Hono();

const tooLarge = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: (c) => c.json({ error: `request body larger than ${MAX_BODY_BYTES} bytes` }, 413),
});
app.use("/sql/*", tooLarge);
app.use("/graphql", tooLarge);
// Ponder answers a query it refuses (not a SELECT, unknown table, bad encoding) with a 500; the
// query is the client's, so it is a 400 with Ponder's message.
app.use("/sql/*", async (c, next) => {
  await next();
  if (c.res.status >= 500) {
    const message = (await c.res.clone().text()).split("\n")[0] || "invalid query";
    c.res = c.json({ error: message }, 400);
  }
});
app.use("/sql/*", client({ db, schema }));
// GraphQL over HTTP: a request that cannot run (syntax, validation, limits) is a 400, not a 200
// with only `errors` (GraphQL Yoga's answer to clients that accept plain JSON).
app.use("/graphql", async (c, next) => {
  await next();
  if (c.req.method !== "POST" || c.res.status !== 200) return;
  const body = await c.res.clone().text();
  if (body.startsWith('{"errors"')) c.res = new Response(body, { status: 400, headers: c.res.headers });
});
app.use("/graphql", graphql({ db, schema }, { maxOperationTokens: 2000, maxOperationDepth: 8, maxOperationAliases: 30 }));

/** The last block the index has processed completely, from Ponder's checkpoint table. */
async function indexedBlock(): Promise<{ number: bigint; timestamp: bigint } | undefined> {
  const result = await db.execute(sql`SELECT latest_checkpoint AS checkpoint FROM _ponder_checkpoint LIMIT 1`);
  const checkpoint = (result.rows[0] as { checkpoint?: string } | undefined)?.checkpoint;
  if (!checkpoint) return undefined;
  // Ponder's checkpoint: 10 digits block timestamp, 16 chain id, 16 block number, ...
  return { timestamp: BigInt(checkpoint.slice(0, 10)), number: BigInt(checkpoint.slice(26, 42)) };
}

async function readIndexedState(blockNumber: bigint): Promise<IndexedState> {
  const [
    accounts,
    pendingTransfers,
    creditLines,
    totals,
    components,
    intents,
    signals,
    verdicts,
    system,
    labels,
    windows,
    invoices,
    orders,
    orderPeriods,
    plans,
    commitments,
    milestones,
  ] = await Promise.all([
    db.select().from(schema.account),
    db.select().from(schema.pendingTransfer),
    db.select().from(schema.creditLine),
    db.select().from(schema.issuance).where(eq(schema.issuance.ledger, 840)),
    db.select().from(schema.component).orderBy(asc(schema.component.id)),
    db.select({ n: count() }).from(schema.controlIntent),
    db.select({ n: count() }).from(schema.signal),
    db.select({ id: schema.verdict.id, acknowledged: schema.verdict.acknowledged }).from(schema.verdict),
    db.select().from(schema.systemState),
    db.select({ subject: schema.label.subject, label: schema.label.label }).from(schema.label),
    db.select().from(schema.maintenanceWindow).orderBy(asc(schema.maintenanceWindow.id)),
    db.select().from(schema.invoice).orderBy(asc(schema.invoice.id)),
    db.select().from(schema.standingOrder).orderBy(asc(schema.standingOrder.id)),
    db.select().from(schema.orderPeriod),
    db.select().from(schema.plan).orderBy(asc(schema.plan.id)),
    db.select().from(schema.commitment).orderBy(asc(schema.commitment.id)),
    db.select().from(schema.milestone),
  ]);
  return {
    blockNumber,
    accounts,
    pendingTransfers,
    creditLines,
    issuance: totals[0],
    components,
    counts: { intents: intents[0]?.n ?? 0, signals: signals[0]?.n ?? 0, verdicts: verdicts.length },
    verdicts,
    labels,
    maintenanceWindows: windows,
    invoices,
    orders,
    orderPeriods,
    plans,
    commitments,
    milestones,
    ledgerPaused: system[0]?.ledgerPaused ?? false,
  };
}

/** Attempts to catch the index and the chain standing still before giving up. */
const CONSISTENT_READ_ATTEMPTS = 200;

/**
 * Reads the index while it stands still at the chain's head: the chain's head and the index's
 * checkpoint are equal before and after the rows are read. Ponder writes a block's rows before it
 * moves its checkpoint, so an unchanged checkpoint alone does not prove the rows are of one block;
 * an unchanged head does (no later block existed to index). The API's database handle has no
 * transactions, and the chain moves with every verdict the guardian attests, so a moving read is
 * retried after a random pause.
 */
async function consistentIndexedState(): Promise<IndexedState | undefined> {
  for (let attempt = 0; attempt < CONSISTENT_READ_ATTEMPTS; attempt++) {
    const [before, headBefore] = await Promise.all([indexedBlock(), chain.getBlockNumber({ cacheTime: 0 })]);
    if (!before) return undefined;
    if (before.number === headBefore) {
      const state = await readIndexedState(before.number);
      const [after, headAfter] = await Promise.all([indexedBlock(), chain.getBlockNumber({ cacheTime: 0 })]);
      if (after?.number === before.number && headAfter === headBefore) return state;
    }
    await sleep(10 + Math.random() * 50);
  }
  throw new IndexMovingError();
}

class IndexMovingError extends Error {
  constructor() {
    super("the index did not catch up with a still chain while it was read; try again");
  }
}

app.get("/api/reconcile", async (c) => {
  let indexed: IndexedState | undefined;
  try {
    indexed = await consistentIndexedState();
  } catch (error) {
    if (error instanceof IndexMovingError) return c.json({ ok: false, error: error.message }, 503);
    throw error;
  }
  if (!indexed) return c.json({ ok: false, error: "the indexer has not processed a block yet" }, 503);
  const result = await reconcile(chain, settings.deployment, indexed);
  return c.json(result, result.ok ? 200 : 409);
});

/** How long one computed status answers every caller: many clients cost one computation. */
const STATUS_TTL_MS = 250;
let statusCache: { at: number; body: Promise<unknown> } | undefined;

app.get("/api/status", async (c) => {
  if (!statusCache || Date.now() - statusCache.at > STATUS_TTL_MS) {
    const body = computeStatus();
    statusCache = { at: Date.now(), body };
    // A failed computation is not served to later callers.
    body.catch(() => {
      if (statusCache?.body === body) statusCache = undefined;
    });
  }
  return c.json(await statusCache.body);
});

async function computeStatus(): Promise<IndexerStatus> {
  const [indexed, head, components, transitions, system, lastVerdict, windowRows] = await Promise.all([
    indexedBlock(),
    // An unreachable chain is part of the answer (DEGRADED), not a failure of it.
    chain.getBlock({ blockTag: "latest" }).catch(() => undefined),
    db.select().from(schema.component).orderBy(asc(schema.component.id)),
    db
      .select({
        componentId: schema.healthChange.componentId,
        status: schema.healthChange.status,
        timestamp: schema.healthChange.timestamp,
      })
      .from(schema.healthChange)
      .orderBy(asc(schema.healthChange.timestamp)),
    db.select().from(schema.systemState),
    db.select().from(schema.verdict).orderBy(desc(schema.verdict.id)).limit(1),
    db.select().from(schema.maintenanceWindow),
  ]);
  const windows = windowRows.map(windowFacts);
  const now = Math.max(Number(head?.timestamp ?? 0n), Math.floor(Date.now() / 1000));
  const headNumber = head?.number ?? indexed?.number ?? 0n;
  const lagBlocks = indexed ? Number(headNumber - indexed.number) : Number(headNumber);
  const lagSeconds = indexed && head ? Math.max(0, Number(head.timestamp - indexed.timestamp)) : null;
  const byComponent = new Map<number, Transition[]>();
  for (const change of transitions) {
    const list = byComponent.get(change.componentId) ?? [];
    list.push({ status: change.status, timestamp: Number(change.timestamp) });
    byComponent.set(change.componentId, list);
  }
  const ledgerPaused = system[0]?.ledgerPaused ?? false;
  const verdict = lastVerdict[0];
  const verdictAge = verdict ? now - Number(verdict.timestamp) : null;
  const longest = Math.max(...Object.values(UPTIME_WINDOWS));
  const facts = components.map((component) => {
    const active = activeMaintenance(windows, component.id, now);
    return {
      component,
      active,
      inMaintenance: active !== undefined,
      excluded: maintenanceSpans(windows, component.id, now - longest, now),
    };
  });
  const factsOf = facts.map((f) => ({ ...f.component, inMaintenance: f.inMaintenance }));
  return {
    overall: head ? overallStatus(factsOf, ledgerPaused, lagBlocks) : worstOf(overallStatus(factsOf, ledgerPaused, lagBlocks), "DEGRADED"),
    ledgerPaused,
    components: facts.map(({ component, active, excluded }) => {
      const history = byComponent.get(component.id) ?? [];
      const registeredAt = Number(component.registeredAt);
      return {
        id: component.id,
        name: component.name,
        kind: component.kind,
        critical: component.critical,
        retired: component.retired,
        status: component.status,
        latencyMs: component.latencyMs,
        statusSince: Number(component.statusSince),
        lastReportAt: Number(component.lastReportAt),
        maintenance: active ? { windowId: active.window.id.toString(), until: active.until, note: active.window.note } : null,
        uptime: Object.fromEntries(
          Object.entries(UPTIME_WINDOWS).map(([window, seconds]) => [window, uptime(registeredAt, history, now, seconds, excluded)]),
        ),
      };
    }),
    indexer: {
      indexedBlock: indexed ? Number(indexed.number) : null,
      chainBlock: Number(headNumber),
      chainReachable: head !== undefined,
      lagBlocks,
      lagSeconds,
    },
    guardian: {
      lastVerdictId: verdict ? verdict.id.toString() : null,
      lastVerdictAt: verdict ? Number(verdict.timestamp) : null,
      ageSeconds: verdictAge,
      live: verdictAge !== null && verdictAge <= settings.guardianLivenessSeconds,
    },
    at: now,
  };
}

/** A window row as the maintenance calendar reads it (times in seconds). */
function windowFacts(row: typeof schema.maintenanceWindow.$inferSelect): MaintenanceWindowFacts & { note: string } {
  return {
    id: row.id,
    componentId: row.componentId,
    schedule: row.schedule,
    startsAt: Number(row.startsAt),
    endsAt: Number(row.endsAt),
    duration: row.duration,
    period: row.period,
    cron: row.cron,
    scheduledAt: Number(row.scheduledAt),
    cancelledAt: row.cancelledAt === null ? null : Number(row.cancelledAt),
    note: row.note,
  };
}

function worstOf(a: IndexerStatus["overall"], b: IndexerStatus["overall"]): IndexerStatus["overall"] {
  const order = ["OPERATIONAL", "DEGRADED", "DOWN"] as const;
  return order[Math.max(order.indexOf(a), order.indexOf(b))]!;
}

app.onError((error, c) => c.json({ error: error.message.split("\n")[0] }, 500));

export default app;

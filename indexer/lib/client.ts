/**
 * The typed, validated client of the indexer's HTTP API, for every process that reads it (executor,
 * keeper, CLI, guardian): GraphQL with variables (values never spliced into query text), every
 * answer checked with a zod shape (the index is data, never trusted blindly), `/api/status`, and
 * waiting until a block is indexed.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import type { MaintenanceWindowFacts } from "./maintenance.ts";

/** Nothing answers at the indexer's address. */
export class IndexerUnreachable extends Error {
  constructor(origin: string) {
    super(`no indexer answers at ${origin}; is \`pnpm start\` running? (SOVR_INDEXER_URL)`);
  }
}

/** The indexer answered, but not with what was asked (a GraphQL error, a bad shape). */
export class IndexerRefused extends Error {}

/** Shapes of the values the index holds: bigints arrive as decimal strings, addresses and hashes as hex. */
export const fields = {
  bigint: z.union([z.string().regex(/^-?\d+$/), z.number().int()]).transform((value) => BigInt(value)),
  hex: z.string().regex(/^0x[0-9a-fA-F]*$/) as unknown as z.ZodType<`0x${string}`>,
};

export type InvoiceRow = {
  id: bigint;
  payer: `0x${string}` | null;
  payee: `0x${string}`;
  amount: bigint;
  paid: bigint;
  dueAt: bigint;
  status: string;
  reference: string;
  createdBlock: bigint;
};
export const invoiceSchema = z.object({
  id: fields.bigint,
  payer: fields.hex.nullable(),
  payee: fields.hex,
  amount: fields.bigint,
  paid: fields.bigint,
  dueAt: fields.bigint,
  status: z.string(),
  reference: z.string(),
  createdBlock: fields.bigint,
});
export const INVOICE_FIELDS = "id payer payee amount paid dueAt status reference createdBlock";

/** One page of a Ponder GraphQL list. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }) });

/** Largest page Ponder's GraphQL returns. */
export const MAX_PAGE = 1000;

/** `/api/status`, as the indexer's API computes it (`src/api/index.ts`) and every reader checks it. */
export const statusSchema = z.object({
  overall: z.enum(["OPERATIONAL", "DEGRADED", "DOWN"]),
  ledgerPaused: z.boolean(),
  components: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      kind: z.string(),
      critical: z.boolean(),
      retired: z.boolean(),
      status: z.string(),
      latencyMs: z.number(),
      statusSince: z.number(),
      lastReportAt: z.number(),
      /** The owner's maintenance window the component is in now (shown as MAINTENANCE, out of uptime), or null. */
      maintenance: z.object({ windowId: z.string(), until: z.number(), note: z.string() }).nullable().default(null),
      uptime: z.record(z.string(), z.number().nullable()),
    }),
  ),
  indexer: z.object({
    indexedBlock: z.number().nullable(),
    chainBlock: z.number(),
    /** False while no RPC URL answers: the chain head is the indexed block then, and overall at best DEGRADED. */
    chainReachable: z.boolean(),
    lagBlocks: z.number(),
    lagSeconds: z.number().nullable(),
  }),
  guardian: z.object({
    lastVerdictId: z.string().nullable(),
    lastVerdictAt: z.number().nullable(),
    ageSeconds: z.number().nullable(),
    live: z.boolean(),
  }),
  at: z.number(),
});
export type IndexerStatus = z.infer<typeof statusSchema>;

/** `/api/reconcile`: 200 with no differences, 409 with them, 503 while the chain moves or before the first block. */
export const reconciliationSchema = z.union([
  z.object({
    ok: z.boolean(),
    blockNumber: z.string(),
    checked: z.record(z.string(), z.number()),
    differences: z.array(z.object({ what: z.string(), indexed: z.string(), chain: z.string() })),
  }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type ReconcileAnswer = z.infer<typeof reconciliationSchema>;

/** One contract event as the indexer recorded it in `audit_event`. */
export type IndexedEvent = {
  id: string;
  contract: string;
  event: string;
  actor: `0x${string}`;
  txHash: `0x${string}`;
  blockNumber: bigint;
  logIndex: number;
  timestamp: bigint;
  /** Decoded arguments; bigints are decimal strings. */
  args: Record<string, unknown>;
};

export const auditEventSchema = z.object({
  id: z.string(),
  contract: z.string(),
  event: z.string(),
  actor: fields.hex,
  txHash: fields.hex,
  blockNumber: fields.bigint,
  logIndex: z.number().int(),
  timestamp: fields.bigint,
  args: z
    .unknown()
    .transform((value) => (value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {})),
});

/** The fields of an audit event every follower selects. */
export const AUDIT_EVENT_FIELDS = "id contract event actor txHash blockNumber logIndex timestamp args";

/** A position in chain order. */
export type ChainPosition = { blockNumber: bigint; logIndex: number };

export type MaintenanceWindowRow = MaintenanceWindowFacts & { id: string; note: string };
/** A maintenance window row as GraphQL returns it (bigints as strings), times in seconds. */
export const maintenanceWindowSchema = z
  .object({
    id: z.string(),
    componentId: z.number().int(),
    schedule: z.string(),
    startsAt: fields.bigint,
    endsAt: fields.bigint,
    duration: z.number().int(),
    period: z.number().int(),
    cron: z.string(),
    note: z.string(),
    scheduledAt: fields.bigint,
    cancelledAt: fields.bigint.nullable(),
  })
  .transform(
    (row): MaintenanceWindowRow => ({
      ...row,
      startsAt: Number(row.startsAt),
      endsAt: Number(row.endsAt),
      scheduledAt: Number(row.scheduledAt),
      cancelledAt: row.cancelledAt === null ? null : Number(row.cancelledAt),
    }),
  );

/** The indexer the environment names: `SOVR_INDEXER_URL`, or 127.0.0.1 on `SOVR_INDEXER_PORT` (42069). */
export function indexerUrlFrom(env: NodeJS.ProcessEnv): string {
  if (env.SOVR_INDEXER_URL) return env.SOVR_INDEXER_URL.replace(/\/+$/, "");
  return `http://127.0.0.1:${env.SOVR_INDEXER_PORT || 42069}`;
}

export class IndexerClient {
  readonly url: string;
  readonly #timeoutMs: number;

  constructor(url: string, { timeoutMs = 15_000 } = {}) {
    this.url = url.replace(/\/+$/, "");
    this.#timeoutMs = timeoutMs;
  }

  /** GET or POST a path; resolves with the HTTP status and the parsed JSON body. */
  async request(path: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(this.#timeoutMs), ...init });
    } catch {
      throw new IndexerUnreachable(this.url);
    }
    const body: unknown = await response.json().catch(() => undefined);
    return { status: response.status, body };
  }

  /** One GraphQL query; its first error becomes the failure's line; the data must have `shape`. */
  async graphql<T>(query: string, variables: Record<string, unknown>, shape: z.ZodType<T>): Promise<T> {
    const { status, body } = await this.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
    });
    const answer = body as { data?: unknown; errors?: { message?: string }[] } | undefined;
    if (!answer?.data || answer.errors?.length) {
      throw new IndexerRefused(`the indexer refused a query (${status}): ${answer?.errors?.[0]?.message ?? "no data"}`);
    }
    const parsed = shape.safeParse(answer.data);
    if (!parsed.success)
      throw new IndexerRefused(`the indexer's answer has an unexpected shape: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    return parsed.data;
  }

  /** Every row of a list, page by page: `query` takes `$after` (and `variables`) and selects `<field> { items pageInfo }`. */
  async allPages<T>(field: string, query: string, variables: Record<string, unknown>, item: z.ZodType<T>): Promise<T[]> {
    const rows: T[] = [];
    let after: string | null = null;
    for (;;) {
      const data: Record<string, { items: T[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }> = await this.graphql(
        query,
        { ...variables, after },
        z.object({ [field]: pageOf(item) }) as unknown as z.ZodType<
          Record<string, { items: T[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }>
        >,
      );
      const page = data[field]!;
      rows.push(...page.items);
      if (!page.pageInfo.hasNextPage) return rows;
      after = page.pageInfo.endCursor;
    }
  }

  /** Audit events strictly after `position` (from the first when undefined), in chain order. */
  async auditEventsAfter(position: ChainPosition | undefined, limit: number): Promise<IndexedEvent[]> {
    const where = position
      ? {
          OR: [
            { blockNumber_gt: position.blockNumber.toString() },
            { AND: [{ blockNumber: position.blockNumber.toString() }, { logIndex_gt: position.logIndex }] },
          ],
        }
      : {};
    const data = await this.graphql(
      `query ($where: auditEventFilter, $limit: Int) {
        auditEvents(where: $where, orderBy: "id", orderDirection: "asc", limit: $limit) { items { ${AUDIT_EVENT_FIELDS} } }
      }`,
      { where, limit },
      z.object({ auditEvents: z.object({ items: z.array(auditEventSchema) }) }),
    );
    return data.auditEvents.items;
  }

  /** The owner's maintenance windows covering the given components (and every component), or all of them. */
  async maintenanceWindows(componentIds?: number[]): Promise<MaintenanceWindowRow[]> {
    const data = await this.graphql(
      `query ($where: maintenanceWindowFilter, $limit: Int) {
        maintenanceWindows(where: $where, orderBy: "id", orderDirection: "asc", limit: $limit) {
          items { id componentId schedule startsAt endsAt duration period cron note scheduledAt cancelledAt }
        }
      }`,
      { where: componentIds ? { componentId_in: [0, ...componentIds] } : {}, limit: MAX_PAGE },
      z.object({ maintenanceWindows: z.object({ items: z.array(maintenanceWindowSchema) }) }),
    );
    return data.maintenanceWindows.items;
  }

  /** One invoice as indexed now (its payer and amount never change after it is issued). */
  async invoice(id: bigint): Promise<InvoiceRow | undefined> {
    const data = await this.graphql(
      `query ($id: BigInt!) { invoice(id: $id) { ${INVOICE_FIELDS} } }`,
      { id: id.toString() },
      z.object({ invoice: invoiceSchema.nullable() }),
    );
    return data.invoice ?? undefined;
  }

  /** `/api/status`: overall status, components, indexer lag. */
  async status(): Promise<IndexerStatus> {
    const { status, body } = await this.request("/api/status");
    const parsed = statusSchema.safeParse(body);
    if (!parsed.success) throw new IndexerRefused(`the indexer's status (${status}) has an unexpected shape`);
    return parsed.data;
  }

  /** `/api/reconcile`, asked again while it answers 503 because the chain moved under it (up to `timeoutMs`). */
  async reconcile(timeoutMs = 30_000): Promise<ReconcileAnswer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { status, body } = await this.request("/api/reconcile");
      if (status !== 503 || Date.now() > deadline) {
        const parsed = reconciliationSchema.safeParse(body);
        if (!parsed.success) throw new IndexerRefused(`the indexer's reconciliation (${status}) has an unexpected shape`);
        return parsed.data;
      }
      await sleep(500);
    }
  }

  /** The block Ponder has processed completely (its `/status`); undefined while it does not answer. */
  async indexedBlock(): Promise<bigint | undefined> {
    try {
      const { body } = await this.request("/status");
      const block = (body as Record<string, { block?: { number?: unknown } }> | undefined)?.sovr?.block?.number;
      return typeof block === "number" ? BigInt(block) : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Waits until the indexer has processed `block` (Ponder writes a block's rows before it moves its
   * checkpoint, so everything of that block is readable then). Returns why it could not, or undefined.
   */
  async waitUntilIndexed(block: bigint, timeoutMs = 30_000): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let indexed: number | null;
      try {
        indexed = (await this.status()).indexer.indexedBlock;
      } catch (error) {
        return (error as Error).message;
      }
      if (indexed !== null && BigInt(indexed) >= block) return undefined;
      if (Date.now() > deadline) return `the indexer has not reached block ${block} after ${timeoutMs / 1000} s`;
      await sleep(200);
    }
  }
}

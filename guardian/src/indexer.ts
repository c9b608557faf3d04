/**
 * Reads the indexer over GraphQL: the audit trail in chain order (what the guardian follows), the
 * context a judgement needs, and the guardian's own latest verdicts (where to resume).
 * Everything from the indexer is untrusted data: shapes are checked, strings are kept as strings.
 */
import {
  AUDIT_EVENT_FIELDS,
  auditEventSchema,
  fields,
  INVOICE_FIELDS,
  type IndexedEvent,
  IndexerClient,
  type InvoiceRow,
  invoiceSchema,
  MAX_PAGE,
} from "@sovr/indexer/client";
import { z } from "zod";
import { OVERDUE_SUBJECT_PREFIX } from "./subject.ts";

export type { IndexedEvent, InvoiceRow };
export { MAX_PAGE };

const { hex, bigint: bigintText } = fields;

export type TransferRow = {
  id: bigint;
  debitAccountId: bigint;
  creditAccountId: bigint;
  amount: bigint;
  kind: string;
  timestamp: bigint;
  blockNumber: bigint;
  logIndex: number;
};
const transferSchema = z.object({
  id: bigintText,
  debitAccountId: bigintText,
  creditAccountId: bigintText,
  amount: bigintText,
  kind: z.string(),
  timestamp: bigintText,
  blockNumber: bigintText,
  logIndex: z.number().int(),
});

export type CreditLineRow = { accountId: bigint; limit: bigint; expiresAt: bigint; frozen: boolean; used: bigint };
const creditLineSchema = z.object({
  accountId: bigintText,
  limit: bigintText,
  expiresAt: bigintText,
  frozen: z.boolean(),
  used: bigintText,
});

export type ComponentRow = { id: number; name: string; kind: string; critical: boolean; status: string };
const componentSchema = z.object({ id: z.number().int(), name: z.string(), kind: z.string(), critical: z.boolean(), status: z.string() });

export type SignalRow = { id: bigint; componentId: number; severity: string; kind: string; timestamp: bigint };
const signalSchema = z.object({
  id: bigintText,
  componentId: z.number().int(),
  severity: z.string(),
  kind: z.string(),
  timestamp: bigintText,
});

const verdictSubjectSchema = z.object({ subject: hex });

/** The guardian's reads of the index, on the shared validated client. */
export class GuardianIndexer extends IndexerClient {
  /** Audit events strictly after (block, logIndex), in chain order. */
  eventsAfter(position: { blockNumber: bigint; logIndex: number } | undefined, limit: number): Promise<IndexedEvent[]> {
    return this.auditEventsAfter(position, limit);
  }

  /** The role grants made in the given transactions (the deployment's own), in chain order. */
  async roleGrantsIn(transactions: `0x${string}`[]): Promise<IndexedEvent[]> {
    const data = await this.graphql(
      `query ($transactions: [String!], $limit: Int) {
        auditEvents(where: { txHash_in: $transactions, event: "RoleGranted" }, orderBy: "id", orderDirection: "asc", limit: $limit) {
          items { ${AUDIT_EVENT_FIELDS} }
        }
      }`,
      { transactions: transactions.map((hash) => hash.toLowerCase()), limit: MAX_PAGE },
      z.object({ auditEvents: z.object({ items: z.array(auditEventSchema) }) }),
    );
    return data.auditEvents.items;
  }

  /** Subjects of an analyzer's newest verdicts on events (by verdict id; not those on overdue invoices). */
  async latestVerdictSubjects(analyzer: `0x${string}`, limit: number): Promise<`0x${string}`[]> {
    const data = await this.graphql(
      `query ($analyzer: String, $limit: Int, $notOverdue: String) {
        verdicts(where: { analyzer: $analyzer, subject_not_starts_with: $notOverdue }, orderBy: "id", orderDirection: "desc", limit: $limit) {
          items { subject }
        }
      }`,
      { analyzer, limit, notOverdue: OVERDUE_SUBJECT_PREFIX },
      z.object({ verdicts: z.object({ items: z.array(verdictSubjectSchema) }) }),
    );
    return data.verdicts.items.map((item) => item.subject);
  }

  /**
   * What a payment's judgement needs in one round trip: the payer's credit line and its newest
   * transfers (either side, up to MAX_PAGE) applied before the given event, newest first.
   */
  async payerContext(accountId: bigint, before: IndexedEvent): Promise<{ creditLine: CreditLineRow | undefined; history: TransferRow[] }> {
    const data = await this.graphql(
      `query ($id: BigInt!, $account: BigInt, $block: BigInt, $limit: Int) {
        creditLine(accountId: $id) { accountId limit expiresAt frozen used }
        transfers(
          where: { AND: [ { OR: [{ debitAccountId: $account }, { creditAccountId: $account }] }, { blockNumber_lte: $block } ] },
          orderBy: "blockNumber", orderDirection: "desc", limit: $limit
        ) { items { id debitAccountId creditAccountId amount kind timestamp blockNumber logIndex } }
      }`,
      { id: accountId.toString(), account: accountId.toString(), block: before.blockNumber.toString(), limit: MAX_PAGE },
      z.object({ creditLine: creditLineSchema.nullable(), transfers: z.object({ items: z.array(transferSchema) }) }),
    );
    const history = data.transfers.items
      .filter((row) => row.blockNumber < before.blockNumber || row.logIndex < before.logIndex)
      .sort((a, b) => (a.blockNumber === b.blockNumber ? b.logIndex - a.logIndex : a.blockNumber < b.blockNumber ? 1 : -1));
    return { creditLine: data.creditLine ?? undefined, history };
  }

  /** Whether any transfer from `debit` to `credit` was applied before the given event. */
  async hasPaid(debitAccountId: bigint, creditAccountId: bigint, before: IndexedEvent): Promise<boolean> {
    const data = await this.graphql(
      `query ($debit: BigInt, $credit: BigInt, $block: BigInt) {
        transfers(where: { debitAccountId: $debit, creditAccountId: $credit, blockNumber_lte: $block }, orderBy: "blockNumber", orderDirection: "asc", limit: 2) {
          items { id debitAccountId creditAccountId amount kind timestamp blockNumber logIndex }
        }
      }`,
      { debit: debitAccountId.toString(), credit: creditAccountId.toString(), block: before.blockNumber.toString() },
      z.object({ transfers: z.object({ items: z.array(transferSchema) }) }),
    );
    return data.transfers.items.some((row) => row.blockNumber < before.blockNumber || row.logIndex < before.logIndex);
  }

  /** The invoices issued to `payer` in blocks before `beforeBlock`, newest first. */
  async invoicesTo(payer: `0x${string}`, beforeBlock: bigint): Promise<InvoiceRow[]> {
    const data = await this.graphql(
      `query ($payer: String, $block: BigInt, $limit: Int) {
        invoices(where: { payer: $payer, createdBlock_lt: $block }, orderBy: "id", orderDirection: "desc", limit: $limit) {
          items { ${INVOICE_FIELDS} }
        }
      }`,
      { payer: payer.toLowerCase(), block: beforeBlock.toString(), limit: MAX_PAGE },
      z.object({ invoices: z.object({ items: z.array(invoiceSchema) }) }),
    );
    return data.invoices.items;
  }

  /** Open or partly paid invoices whose due date passed before `nowSeconds` (the chain's time). */
  async overdueInvoices(nowSeconds: bigint): Promise<InvoiceRow[]> {
    const data = await this.graphql(
      `query ($now: BigInt, $limit: Int) {
        invoices(where: { status_in: ["Open", "PartiallyPaid"], dueAt_gt: "0", dueAt_lt: $now }, orderBy: "id", orderDirection: "asc", limit: $limit) {
          items { ${INVOICE_FIELDS} }
        }
      }`,
      { now: nowSeconds.toString(), limit: MAX_PAGE },
      z.object({ invoices: z.object({ items: z.array(invoiceSchema) }) }),
    );
    return data.invoices.items;
  }

  /** The last block the indexer has processed, with its time; undefined while it does not answer. */
  async indexedHead(): Promise<{ number: bigint; timestamp: bigint } | undefined> {
    try {
      const { body } = await this.request("/status");
      const block = (body as Record<string, { block?: { number?: unknown; timestamp?: unknown } }> | undefined)?.sovr?.block;
      return typeof block?.number === "number" && typeof block.timestamp === "number"
        ? { number: BigInt(block.number), timestamp: BigInt(block.timestamp) }
        : undefined;
    } catch {
      return undefined;
    }
  }

  async component(componentId: number): Promise<ComponentRow | undefined> {
    const data = await this.graphql(
      `query ($id: Int!) { component(id: $id) { id name kind critical status } }`,
      { id: componentId },
      z.object({ component: componentSchema.nullable() }),
    );
    return data.component ?? undefined;
  }

  /** A component's signals in a time window, up to and including the given signal id. */
  async signalsOf(componentId: number, sinceTimestamp: bigint, upToSignalId: bigint): Promise<SignalRow[]> {
    const data = await this.graphql(
      `query ($component: Int, $since: BigInt, $upTo: BigInt, $limit: Int) {
        signals(where: { componentId: $component, timestamp_gte: $since, id_lte: $upTo }, orderBy: "id", orderDirection: "desc", limit: $limit) {
          items { id componentId severity kind timestamp }
        }
      }`,
      { component: componentId, since: sinceTimestamp.toString(), upTo: upToSignalId.toString(), limit: MAX_PAGE },
      z.object({ signals: z.object({ items: z.array(signalSchema) }) }),
    );
    return data.signals.items;
  }
}

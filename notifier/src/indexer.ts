/** The notifier's reads of the index, on the shared validated client (`@sovr/indexer/client`). */
import { fields, type IndexedEvent, IndexerClient, MAX_PAGE } from "@sovr/indexer/client";
import { z } from "zod";

export type ComponentInfo = { id: number; name: string; critical: boolean; status: string };

const componentSchema = z.object({ id: z.number().int(), name: z.string(), critical: z.boolean(), status: z.string() });

export class NotifierIndexer extends IndexerClient {
  /** The newest audit event's position: where a notifier without a journal starts (it tells only what happens from now on). */
  async newestPosition(): Promise<{ blockNumber: bigint; logIndex: number } | undefined> {
    const data = await this.graphql(
      `query { auditEvents(orderBy: "id", orderDirection: "desc", limit: 1) { items { blockNumber logIndex } } }`,
      {},
      z.object({ auditEvents: z.object({ items: z.array(z.object({ blockNumber: fields.bigint, logIndex: z.number().int() })) }) }),
    );
    return data.auditEvents.items[0];
  }

  async components(): Promise<ComponentInfo[]> {
    const data = await this.graphql(
      `query ($limit: Int) { components(orderBy: "id", orderDirection: "asc", limit: $limit) { items { id name critical status } } }`,
      { limit: MAX_PAGE },
      z.object({ components: z.object({ items: z.array(componentSchema) }) }),
    );
    return data.components.items;
  }

  /** The audit event at a position (what a verdict judged). */
  async eventAt(blockNumber: bigint, logIndex: number): Promise<IndexedEvent | undefined> {
    const events = await this.auditEventsAfter(
      logIndex > 0 ? { blockNumber, logIndex: logIndex - 1 } : { blockNumber: blockNumber - 1n, logIndex: 2 ** 31 - 1 },
      1,
    );
    const event = events[0];
    return event && event.blockNumber === blockNumber && event.logIndex === logIndex ? event : undefined;
  }

  /** Which of these subjects have a verdict the owner acknowledged. */
  async acknowledgedSubjects(subjects: `0x${string}`[]): Promise<Set<string>> {
    if (subjects.length === 0) return new Set();
    const data = await this.graphql(
      `query ($subjects: [String], $limit: Int) {
        verdicts(where: { subject_in: $subjects, acknowledged: true }, limit: $limit) { items { subject } }
      }`,
      { subjects: subjects.map((subject) => subject.toLowerCase()), limit: MAX_PAGE },
      z.object({ verdicts: z.object({ items: z.array(z.object({ subject: fields.hex })) }) }),
    );
    return new Set(data.verdicts.items.map((item) => item.subject.toLowerCase()));
  }
}

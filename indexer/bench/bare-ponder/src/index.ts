/**
 * One insert per event of every SOVR contract (the same events the real indexer subscribes to), and
 * nothing else. The table is imported from the schema file itself rather than `ponder:schema`: in the
 * workspace's type check `ponder:schema` means the real indexer's schema.
 */
import { type EventNames, ponder } from "ponder:registry";
import { sovrAbis } from "@sovr/contracts";
import { event as eventTable } from "../ponder.schema.ts";

type Row = typeof eventTable.$inferInsert;
type InsertOnly = { insert: (table: typeof eventTable) => { values: (row: Row) => Promise<unknown> } };

for (const [contract, abi] of Object.entries(sovrAbis)) {
  for (const item of abi) {
    if (item.type !== "event") continue;
    const name = `${contract}:${item.name}`;
    ponder.on(name as EventNames, async ({ event, context }) => {
      await (context.db as unknown as InsertOnly).insert(eventTable).values({ id: event.id, name, blockNumber: event.block.number });
    });
  }
}

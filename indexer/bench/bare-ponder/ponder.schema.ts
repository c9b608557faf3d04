/** The bare app's only table: one row per indexed event (most of them `TransferCreated`). */
import { onchainTable } from "ponder";

export const event = onchainTable("event", (t) => ({
  id: t.text().primaryKey(),
  name: t.text().notNull(),
  blockNumber: t.bigint().notNull(),
}));

/**
 * What `indexer/ponder.schema.ts` takes from `ponder`, without the rest of Ponder (its server, database
 * drivers and GraphQL), so the schema can be bundled for the browser. Vite aliases `ponder` here.
 */
// @ts-expect-error: resolved by the Vite alias to Ponder's drizzle module.
export { onchainTable, onchainView } from "ponder-onchain";
// @ts-expect-error: resolved by the Vite alias to the drizzle copy Ponder and @ponder/client share.
export { index } from "ponder-pg-core";

/** The indexer's integration suite (`indexer.test.ts`) once more, on the embedded Postgres. */
process.env.SOVR_INDEXER_TEST_DATABASE = "postgres";
await import("./indexer.test.ts");

/**
 * The running indexer a verb reads (`SOVR_INDEXER_URL`, or 127.0.0.1 on `SOVR_INDEXER_PORT`, default
 * 42069), and what a writing verb waits for so that the next listing shows its effect.
 */
import { IndexerClient, indexerUrlFrom } from "@sovr/indexer/client";

/** Verbs wait longer than services for a busy indexer: a person is waiting either way. */
const VERB_TIMEOUT_MS = 30_000;

export function indexerOf(env: NodeJS.ProcessEnv): IndexerClient {
  return new IndexerClient(indexerUrlFrom(env), { timeoutMs: VERB_TIMEOUT_MS });
}

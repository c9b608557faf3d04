/**
 * Live data from the indexer: each query is a `@ponder/client` live subscription (server-sent events),
 * re-delivered whenever its rows change. A lost connection turns the whole page to "reconnecting"
 * until every subscription delivers again; one that stays silent is opened afresh.
 */
import { createClient } from "@ponder/client";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import * as schema from "./schema.ts";

export type LiveClient = ReturnType<typeof createLiveClient>;
export type LiveDb = Parameters<Parameters<LiveClient["live"]>[0]>[0];

export function createLiveClient(indexerUrl: string) {
  return createClient(`${indexerUrl}/sql`, { schema });
}

/** How long a broken subscription waits for the event source's own retry before opening a new one. */
const RESUBSCRIBE_AFTER_MS = 4000;

// ---------------------------------------------------------------- connection state for the header

export type ConnectionState = "connecting" | "live" | "reconnecting";
const failing = new Set<symbol>();
const waiting = new Set<symbol>();
let everLive = false;
const listeners = new Set<() => void>();
let snapshot: ConnectionState = "connecting";

function publish() {
  const next: ConnectionState = failing.size > 0 ? "reconnecting" : waiting.size > 0 && !everLive ? "connecting" : everLive ? "live" : "connecting";
  if (next !== snapshot) {
    snapshot = next;
    for (const listener of listeners) listener();
  }
}

export function useConnectionState(): ConnectionState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => snapshot,
  );
}

// ---------------------------------------------------------------- one live query

export type LiveResult<T> = { data: T | undefined; error: string | undefined; state: ConnectionState };

/**
 * Subscribes to `query` while the component is mounted; `key` names the query's inputs, and a new key
 * subscribes afresh. `data` stays at the last delivered value through a reconnection.
 */
export function useLive<T>(client: LiveClient, key: string, query: (db: LiveDb) => Promise<T>): LiveResult<T> {
  const [result, setResult] = useState<LiveResult<T>>({ data: undefined, error: undefined, state: "connecting" });
  const queryRef = useRef(query);
  queryRef.current = query;

  useEffect(() => {
    const token = Symbol(key);
    let subscription: { unsubscribe(): void } | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    waiting.add(token);
    publish();

    const subscribe = () => {
      subscription = client.live(
        (db) => queryRef.current(db),
        (data) => {
          if (closed) return;
          clearTimeout(retry);
          retry = undefined;
          failing.delete(token);
          waiting.delete(token);
          everLive = true;
          publish();
          setResult({ data: data as T, error: undefined, state: "live" });
        },
        (error) => {
          if (closed) return;
          failing.add(token);
          publish();
          setResult((previous) => ({ ...previous, state: "reconnecting", error: error.message }));
          // The event source retries a dropped connection by itself, but not one refused with an error
          // status (an indexer that is starting again): then a new subscription is the way back.
          if (retry === undefined) {
            retry = setTimeout(() => {
              retry = undefined;
              if (closed || !failing.has(token)) return;
              subscription?.unsubscribe();
              subscribe();
            }, RESUBSCRIBE_AFTER_MS);
          }
        },
      );
    };
    subscribe();
    return () => {
      closed = true;
      clearTimeout(retry);
      subscription?.unsubscribe();
      failing.delete(token);
      waiting.delete(token);
      publish();
    };
  }, [client, key]);

  return result;
}

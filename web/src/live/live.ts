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
/**
 * Streams a page keeps open at once. Each holds one of the browser's six HTTP/1.1 connections to the
 * indexer for as long as it is open, and one-shot reads and `/api/status` need the others: a page with
 * six streams waits forever for its next read. Queries beyond these read again every `POLL_MS` instead.
 */
const MAX_STREAMS = 4;
const POLL_MS = 1000;
let openStreams = 0;

// ---------------------------------------------------------------- connection state for the header

export type ConnectionState = "connecting" | "live" | "reconnecting";
const failing = new Set<symbol>();
const waiting = new Set<symbol>();
let everLive = false;
const listeners = new Set<() => void>();
let snapshot: ConnectionState = "connecting";

function publish() {
  const next: ConnectionState =
    failing.size > 0 ? "reconnecting" : waiting.size > 0 && !everLive ? "connecting" : everLive ? "live" : "connecting";
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
 * Ponder's live endpoint pushes a result only when it differs from the one current when the stream
 * opened; the current rows themselves come from a one-shot query. That query runs at once, and once
 * more shortly after, for a change that lands between it and the stream's registration.
 */
const SETTLE_REFETCH_MS = 1500;

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
    let streaming = false;
    /** Bumped by every unsubscribe, so a poll of an earlier subscription stops. */
    let generation = 0;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    let retrying = false;
    let closed = false;
    waiting.add(token);
    publish();

    const after = (ms: number, run: () => void) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!closed) run();
      }, ms);
      timers.add(timer);
    };
    const deliver = (data: T) => {
      if (closed) return;
      failing.delete(token);
      waiting.delete(token);
      everLive = true;
      publish();
      setResult({ data, error: undefined, state: "live" });
    };
    const fail = (error: Error) => {
      if (closed) return;
      failing.add(token);
      publish();
      setResult((previous) => ({ ...previous, state: "reconnecting", error: error.message }));
      // The event source retries a dropped connection by itself but says nothing when it is back, and
      // gives up on one refused with an error status (an indexer starting again): a fresh subscription
      // with a fresh read is the way back in both cases.
      if (!retrying) {
        retrying = true;
        after(RESUBSCRIBE_AFTER_MS, () => {
          retrying = false;
          unsubscribe();
          subscribe();
        });
      }
    };
    const read = () => {
      (queryRef.current(client.db as unknown as LiveDb) as Promise<T>).then(deliver, fail);
    };
    const poll = (current: number) =>
      after(POLL_MS, () => {
        if (current !== generation) return;
        read();
        poll(current);
      });
    const subscribe = () => {
      if (openStreams < MAX_STREAMS) {
        openStreams++;
        streaming = true;
        subscription = client.live(
          (db) => queryRef.current(db),
          (data) => deliver(data as T),
          fail,
        );
      } else {
        poll(generation);
      }
      read();
      after(SETTLE_REFETCH_MS, read);
    };
    const unsubscribe = () => {
      subscription?.unsubscribe();
      subscription = undefined;
      if (streaming) openStreams--;
      streaming = false;
      generation++;
    };
    subscribe();
    return () => {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      unsubscribe();
      failing.delete(token);
      waiting.delete(token);
      publish();
    };
  }, [client, key]);

  return result;
}

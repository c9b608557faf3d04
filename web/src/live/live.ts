/**
 * Live data from the indexer over ONE stream per page: a `@ponder/client` live subscription (server-sent
 * events) to the audit trail's size and newest entry, which changes with every indexed event (every
 * table is derived from events). Each change re-reads every query the page shows with a one-shot
 * request. A browser keeps at most six HTTP/1.1 connections per origin and every live subscription holds
 * one open, so one stream per query would starve the page once it shows a seventh. A lost stream turns
 * the page to "reconnecting" until it delivers again.
 */
import { count, createClient, max } from "@ponder/client";
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

// ---------------------------------------------------------------- the one change feed

export type LiveResult<T> = { data: T | undefined; error: string | undefined; state: ConnectionState };

/**
 * Ponder's live endpoint pushes a result only when it differs from the one current when the stream
 * opened: every query is read at once, and once more shortly after, for a change that lands between
 * that read and the stream's registration.
 */
const SETTLE_REFETCH_MS = 1500;

/** `read(succeeded)`: read now (or once more after a read in flight), calling `succeeded` when a read lands. */
type Reader = { read(succeeded?: () => void): void };
type Feed = { readers: Set<Reader>; close(): void };
const feeds = new WeakMap<LiveClient, Feed>();

/** The client's change feed, opened with its first reader and closed with its last. */
function joinFeed(client: LiveClient, reader: Reader): () => void {
  let feed = feeds.get(client);
  if (!feed) {
    feed = openFeed(client);
    feeds.set(client, feed);
  }
  feed.readers.add(reader);
  reader.read();
  return () => {
    const current = feeds.get(client);
    if (!current) return;
    current.readers.delete(reader);
    if (current.readers.size === 0) {
      current.close();
      feeds.delete(client);
    }
  };
}

function openFeed(client: LiveClient): Feed {
  const token = Symbol("feed");
  const readers = new Set<Reader>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let subscription: { unsubscribe(): void } | undefined;
  let retrying = false;
  let closed = false;
  const after = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!closed) run();
    }, ms);
    timers.add(timer);
  };
  const readAll = (succeeded?: () => void) => {
    for (const reader of readers) reader.read(succeeded);
  };
  const recovered = () => {
    if (failing.delete(token)) publish();
  };
  const subscribe = () => {
    subscription = client.live(
      (db) => db.select({ events: count(), newest: max(schema.auditEventView.id) }).from(schema.auditEventView),
      () => {
        if (failing.delete(token)) publish();
        readAll();
      },
      () => {
        failing.add(token);
        publish();
        // The event source retries a dropped connection by itself but says nothing when it is back, and
        // gives up on one refused with an error status (an indexer starting again): a fresh
        // subscription with fresh reads is the way back in both cases. The new stream delivers only
        // on the next change, so a read that lands through the same indexer marks the way back.
        if (!retrying) {
          retrying = true;
          after(RESUBSCRIBE_AFTER_MS, () => {
            retrying = false;
            subscription?.unsubscribe();
            subscribe();
            readAll(recovered);
          });
        }
      },
    );
    after(SETTLE_REFETCH_MS, readAll);
  };
  subscribe();
  return {
    readers,
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      subscription?.unsubscribe();
      failing.delete(token);
      publish();
    },
  };
}

// ---------------------------------------------------------------- one live query

/**
 * Reads `query` while the component is mounted, again whenever the indexer has indexed something new;
 * `key` names the query's inputs, and a new key reads afresh. `data` stays at the last delivered value
 * through a reconnection.
 */
export function useLive<T>(client: LiveClient, key: string, query: (db: LiveDb) => Promise<T>): LiveResult<T> {
  const [result, setResult] = useState<LiveResult<T>>({ data: undefined, error: undefined, state: "connecting" });
  const queryRef = useRef(query);
  queryRef.current = query;

  useEffect(() => {
    const token = Symbol(key);
    let closed = false;
    /** A read in flight, and whether a change arrived meanwhile (read again when it lands). */
    let reading = false;
    let again = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const onSuccess = new Set<() => void>();
    waiting.add(token);
    publish();
    const reader: Reader = {
      read(succeeded) {
        if (succeeded) onSuccess.add(succeeded);
        clearTimeout(retry);
        if (reading) {
          again = true;
          return;
        }
        reading = true;
        (queryRef.current(client.db as unknown as LiveDb) as Promise<T>)
          .then(
            (data) => {
              if (closed) return;
              failing.delete(token);
              waiting.delete(token);
              everLive = true;
              for (const notify of onSuccess) notify();
              onSuccess.clear();
              publish();
              setResult({ data, error: undefined, state: "live" });
            },
            (error: Error) => {
              if (closed) return;
              failing.add(token);
              publish();
              setResult((previous) => ({ ...previous, state: "reconnecting", error: error.message }));
              // Without a change to wait for (the stream may be fine), try again by itself.
              retry = setTimeout(() => reader.read(), RESUBSCRIBE_AFTER_MS);
            },
          )
          .finally(() => {
            reading = false;
            if (again && !closed) {
              again = false;
              reader.read();
            }
          });
      },
    };
    const leave = joinFeed(client, reader);
    return () => {
      closed = true;
      clearTimeout(retry);
      leave();
      failing.delete(token);
      waiting.delete(token);
      publish();
    };
  }, [client, key]);

  return result;
}

// @vitest-environment jsdom
import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type LiveClient, useConnectionState, useLive } from "./live.ts";

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

type Subscription = { onData: (data: unknown) => void; onError: (error: Error) => void; closed: boolean };

/**
 * A stand-in for @ponder/client: `db` answers one-shot reads from `rows` (or fails while `down`), and
 * live() records each subscription so the test can push changes and errors through it.
 */
function fakeIndexer() {
  const indexer = { rows: [1, 2] as number[], down: false, reads: 0, subscriptions: [] as Subscription[] };
  const client = {
    db: {
      read: () => {
        indexer.reads++;
        return indexer.down ? Promise.reject(new Error("fetch failed")) : Promise.resolve([...indexer.rows]);
      },
    },
    live: (_query: unknown, onData: (data: unknown) => void, onError: (error: Error) => void) => {
      const subscription: Subscription = { onData, onError, closed: false };
      indexer.subscriptions.push(subscription);
      return { unsubscribe: () => (subscription.closed = true) };
    },
  } as unknown as LiveClient;
  return { indexer, client };
}

function Probe({ client }: { client: LiveClient }) {
  const result = useLive(client, "rows", (db) => (db as unknown as { read: () => Promise<number[]> }).read());
  const connection = useConnectionState();
  return (
    <div>
      <span data-testid="state">{result.state}</span>
      <span data-testid="connection">{connection}</span>
      <span data-testid="data">{JSON.stringify(result.data ?? null)}</span>
    </div>
  );
}

const text = (id: string) => screen.getByTestId(id).textContent;

describe("useLive", () => {
  it("reads the current rows, then takes what the stream pushes", async () => {
    vi.useFakeTimers();
    const { indexer, client } = fakeIndexer();
    render(<Probe client={client} />);
    await act(async () => undefined);
    expect(text("data")).toBe("[1,2]");
    expect(text("state")).toBe("live");
    expect(text("connection")).toBe("live");

    act(() => indexer.subscriptions[0]!.onData([1, 2, 3]));
    expect(text("data")).toBe("[1,2,3]");

    // A change that landed before the stream registered is caught by the second read.
    indexer.rows = [9];
    await act(async () => vi.advanceTimersByTime(1500));
    expect(text("data")).toBe("[9]");
  });

  it("keeps the last rows through a lost connection shown as reconnecting, and recovers by itself", async () => {
    vi.useFakeTimers();
    const { indexer, client } = fakeIndexer();
    render(<Probe client={client} />);
    await act(async () => vi.advanceTimersByTime(1500));

    indexer.down = true;
    act(() => indexer.subscriptions[0]!.onError(new Error("server disconnected")));
    expect(text("state")).toBe("reconnecting");
    expect(text("connection")).toBe("reconnecting");
    expect(text("data")).toBe("[1,2]");

    // Still down: the fresh subscription's read fails and it tries again later.
    await act(async () => vi.advanceTimersByTime(4000));
    expect(indexer.subscriptions).toHaveLength(2);
    expect(indexer.subscriptions[0]!.closed).toBe(true);
    expect(text("connection")).toBe("reconnecting");

    indexer.down = false;
    indexer.rows = [4];
    await act(async () => vi.advanceTimersByTime(4000));
    expect(indexer.subscriptions).toHaveLength(3);
    expect(text("state")).toBe("live");
    expect(text("connection")).toBe("live");
    expect(text("data")).toBe("[4]");
  });

  it("closes its subscription on unmount", async () => {
    const { indexer, client } = fakeIndexer();
    const { unmount } = render(<Probe client={client} />);
    await act(async () => undefined);
    unmount();
    expect(indexer.subscriptions[0]!.closed).toBe(true);
  });

  it("streams at most four queries at once; the others read again every second", async () => {
    vi.useFakeTimers();
    const { indexer, client } = fakeIndexer();
    render(<Many client={client} count={6} />);
    await act(async () => vi.advanceTimersByTime(1500));
    expect(indexer.subscriptions.filter((subscription) => !subscription.closed)).toHaveLength(4);
    indexer.rows = [7];
    await act(async () => vi.advanceTimersByTime(1000));
    expect(screen.getByTestId("data-5").textContent).toBe("[7]");
    cleanup();
    expect(indexer.subscriptions.every((subscription) => subscription.closed)).toBe(true);
  });
});

function Many({ client, count }: { client: LiveClient; count: number }) {
  const names = Array.from({ length: count }, (_, index) => `query-${index}`);
  return (
    <>
      {names.map((name, index) => (
        <Numbered key={name} client={client} index={index} />
      ))}
    </>
  );
}

function Numbered({ client, index }: { client: LiveClient; index: number }) {
  const result = useLive(client, `rows-${index}`, (db) => (db as unknown as { read: () => Promise<number[]> }).read());
  return <span data-testid={`data-${index}`}>{JSON.stringify(result.data ?? null)}</span>;
}

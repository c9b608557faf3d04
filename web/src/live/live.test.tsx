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

function Probe({ client, name = "rows" }: { client: LiveClient; name?: string }) {
  const result = useLive(client, name, (db) => (db as unknown as { read: () => Promise<number[]> }).read());
  const connection = useConnectionState();
  return (
    <div>
      <span data-testid={`state-${name}`}>{result.state}</span>
      <span data-testid={`connection-${name}`}>{connection}</span>
      <span data-testid={`data-${name}`}>{JSON.stringify(result.data ?? null)}</span>
    </div>
  );
}

const text = (id: string) => screen.getByTestId(id).textContent;

describe("useLive", () => {
  it("reads the current rows, then reads again on every change the one stream reports", async () => {
    vi.useFakeTimers();
    const { indexer, client } = fakeIndexer();
    render(<Probe client={client} />);
    await act(async () => undefined);
    expect(text("data-rows")).toBe("[1,2]");
    expect(text("state-rows")).toBe("live");
    expect(text("connection-rows")).toBe("live");

    indexer.rows = [1, 2, 3];
    await act(async () => indexer.subscriptions[0]!.onData({ events: 3 }));
    expect(text("data-rows")).toBe("[1,2,3]");

    // A change that landed before the stream registered is caught by the settling read.
    indexer.rows = [9];
    await act(async () => vi.advanceTimersByTime(1500));
    expect(text("data-rows")).toBe("[9]");
  });

  it("serves every query of the page from one stream", async () => {
    const { indexer, client } = fakeIndexer();
    render(["a", "b", "c", "d", "e", "f", "g", "h"].map((name) => <Probe key={name} client={client} name={name} />));
    await act(async () => undefined);
    expect(indexer.subscriptions).toHaveLength(1);
    expect(text("data-h")).toBe("[1,2]");
    indexer.rows = [5];
    await act(async () => indexer.subscriptions[0]!.onData({ events: 9 }));
    expect(text("data-a")).toBe("[5]");
    expect(text("data-h")).toBe("[5]");
  });

  it("keeps the last rows through a lost connection shown as reconnecting, and recovers by itself", async () => {
    vi.useFakeTimers();
    const { indexer, client } = fakeIndexer();
    render(<Probe client={client} />);
    await act(async () => vi.advanceTimersByTime(1500));

    indexer.down = true;
    act(() => indexer.subscriptions[0]!.onError(new Error("server disconnected")));
    expect(text("connection-rows")).toBe("reconnecting");
    expect(text("data-rows")).toBe("[1,2]");

    // Still down: the fresh subscription's reads fail, and the page says so.
    await act(async () => vi.advanceTimersByTime(4000));
    expect(indexer.subscriptions).toHaveLength(2);
    expect(indexer.subscriptions[0]!.closed).toBe(true);
    expect(text("state-rows")).toBe("reconnecting");
    expect(text("connection-rows")).toBe("reconnecting");

    // Back: the stream delivers again, every query is read afresh.
    indexer.down = false;
    indexer.rows = [4];
    await act(async () => indexer.subscriptions[1]!.onData({ events: 4 }));
    expect(text("state-rows")).toBe("live");
    expect(text("connection-rows")).toBe("live");
    expect(text("data-rows")).toBe("[4]");
  });

  it("closes the stream when the last query unmounts", async () => {
    const { indexer, client } = fakeIndexer();
    const { unmount } = render(<Probe client={client} />);
    await act(async () => undefined);
    unmount();
    expect(indexer.subscriptions[0]!.closed).toBe(true);
  });
});

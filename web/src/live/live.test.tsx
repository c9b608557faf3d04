// @vitest-environment jsdom
import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useConnectionState, useLive, type LiveClient } from "./live.ts";

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

type Subscription = { onData: (data: unknown) => void; onError: (error: Error) => void; closed: boolean };

/** A stand-in for @ponder/client's live(): records each subscription so the test can drive it. */
function fakeClient() {
  const subscriptions: Subscription[] = [];
  const client = {
    live: (_query: unknown, onData: (data: unknown) => void, onError: (error: Error) => void) => {
      const subscription: Subscription = { onData, onError, closed: false };
      subscriptions.push(subscription);
      return { unsubscribe: () => (subscription.closed = true) };
    },
  } as unknown as LiveClient;
  return { client, subscriptions };
}

function Probe({ client }: { client: LiveClient }) {
  const result = useLive(client, "rows", async () => [] as number[]);
  const connection = useConnectionState();
  return (
    <div>
      <span data-testid="state">{result.state}</span>
      <span data-testid="connection">{connection}</span>
      <span data-testid="data">{JSON.stringify(result.data ?? null)}</span>
    </div>
  );
}

describe("useLive", () => {
  it("delivers rows, keeps them through a lost connection shown as reconnecting, and resubscribes when the stream stays broken", () => {
    vi.useFakeTimers();
    const { client, subscriptions } = fakeClient();
    render(<Probe client={client} />);
    expect(screen.getByTestId("state").textContent).toBe("connecting");

    act(() => subscriptions[0]!.onData([1, 2]));
    expect(screen.getByTestId("data").textContent).toBe("[1,2]");
    expect(screen.getByTestId("connection").textContent).toBe("live");

    act(() => subscriptions[0]!.onError(new Error("server disconnected")));
    expect(screen.getByTestId("state").textContent).toBe("reconnecting");
    expect(screen.getByTestId("connection").textContent).toBe("reconnecting");
    expect(screen.getByTestId("data").textContent).toBe("[1,2]");

    // The event source did not come back by itself: a new subscription replaces it.
    act(() => vi.advanceTimersByTime(4000));
    expect(subscriptions).toHaveLength(2);
    expect(subscriptions[0]!.closed).toBe(true);

    act(() => subscriptions[1]!.onData([1, 2, 3]));
    expect(screen.getByTestId("state").textContent).toBe("live");
    expect(screen.getByTestId("connection").textContent).toBe("live");
    expect(screen.getByTestId("data").textContent).toBe("[1,2,3]");
  });

  it("leaves a stream that recovered by itself alone", () => {
    vi.useFakeTimers();
    const { client, subscriptions } = fakeClient();
    render(<Probe client={client} />);
    act(() => subscriptions[0]!.onError(new Error("server disconnected")));
    act(() => subscriptions[0]!.onData([7]));
    act(() => vi.advanceTimersByTime(10_000));
    expect(subscriptions).toHaveLength(1);
    expect(screen.getByTestId("state").textContent).toBe("live");
  });

  it("closes its subscription on unmount", () => {
    const { client, subscriptions } = fakeClient();
    const { unmount } = render(<Probe client={client} />);
    unmount();
    expect(subscriptions[0]!.closed).toBe(true);
  });
});

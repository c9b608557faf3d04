// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { WebConfig } from "../config.ts";
import { AppContext } from "../lib/context.tsx";
import type { LiveClient } from "../live/live.ts";
import { Confirm, WriteStatus } from "./ui.tsx";

afterEach(cleanup);

/** A transaction link reads the deployment's explorer (none on the local chain) from the app's context. */
function InApp({ children }: { children: ReactNode }) {
  const config = { chainId: 31337, explorerUrl: undefined } as WebConfig;
  return <AppContext.Provider value={{ config, live: undefined as unknown as LiveClient }}>{children}</AppContext.Provider>;
}

describe("WriteStatus", () => {
  it("walks through signing, pending, confirmed and indexed with the transaction's link", () => {
    const hash = `0x${"ab".repeat(32)}` as const;
    const { rerender } = render(<WriteStatus state={{ stage: "signing", label: "Sending $5.00" }} />, { wrapper: InApp });
    expect(screen.getByRole("status").textContent).toBe("Sending $5.00: Waiting for your signature in the wallet…");
    rerender(<WriteStatus state={{ stage: "pending", label: "Sending $5.00", hash }} />);
    expect(screen.getByRole("status").textContent).toContain("Sent; waiting for a block…");
    expect(screen.getByRole("link").getAttribute("href")).toBe(`/audit?tx=${hash}`);
    rerender(<WriteStatus state={{ stage: "indexed", label: "Sending $5.00", hash }} />);
    expect(screen.getByRole("status").getAttribute("data-stage")).toBe("indexed");
    expect(screen.getByRole("status").textContent).toContain("Done: confirmed and indexed.");
  });

  it("shows a failure as an alert in plain words, and nothing when idle", () => {
    const { rerender, container } = render(<WriteStatus state={{ stage: "idle", label: "" }} />);
    expect(container.textContent).toBe("");
    rerender(<WriteStatus state={{ stage: "failed", label: "Posting $5.00", error: "The pending transfer has expired." }} />);
    expect(screen.getByRole("alert").textContent).toBe("Posting $5.00: The pending transfer has expired.");
  });
});

describe("Confirm", () => {
  it("says what will happen and signs only on confirmation", () => {
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    render(
      <Confirm title="STOP ALL components?" confirmLabel="Sign STOP ALL" onConfirm={onConfirm} onCancel={onCancel}>
        Stops api, worker.
      </Confirm>,
    );
    expect(screen.getByRole("dialog", { name: "STOP ALL components?" }).textContent).toContain("Stops api, worker.");
    fireEvent.click(screen.getByText("Cancel"));
    expect(onCancel).toHaveBeenCalledOnce();
    expect(onConfirm).not.toHaveBeenCalled();
    fireEvent.click(screen.getByText("Sign STOP ALL"));
    expect(onConfirm).toHaveBeenCalledOnce();
  });
});

/**
 * One health probe (HTTP status / JSON field / keyword, TCP connect, JSON-RPC method) and the
 * escalation from probe results to a component status: one failure DEGRADED, `failuresUntilOffline`
 * in a row OFFLINE, any success ONLINE again, and a healthy answer that says it is degraded DEGRADED
 * (without counting toward OFFLINE).
 */
import { connect } from "node:net";
import type { HealthCheck } from "./config.ts";

/** `degraded`: the component answered healthy but says it is degraded (`"degraded": true` in its JSON). */
export type ProbeResult = { ok: boolean; degraded: boolean; latencyMs: number; detail: string };

export async function probe(check: HealthCheck): Promise<ProbeResult> {
  const started = performance.now();
  const done = (ok: boolean, detail: string, degraded = false): ProbeResult => ({
    ok,
    degraded,
    latencyMs: Math.round(performance.now() - started),
    detail,
  });
  try {
    switch (check.type) {
      case "http": {
        const response = await fetch(check.url, { signal: AbortSignal.timeout(check.timeoutMs), redirect: "manual" });
        const body = await response.text();
        if (response.status !== check.expectStatus) return done(false, `HTTP ${response.status}, expected ${check.expectStatus}`);
        if (check.keyword !== undefined && !body.includes(check.keyword)) return done(false, `body lacks "${check.keyword}"`);
        if (check.jsonPath !== undefined) {
          const value = valueAt(parseJson(body), check.jsonPath);
          const ok = check.equals === undefined ? Boolean(value) : value === check.equals;
          if (!ok) return done(false, `${check.jsonPath} is ${JSON.stringify(value) ?? "missing"}`);
        }
        const degraded = valueAt(parseJson(body), "degraded") === true;
        return done(true, `HTTP ${response.status}${degraded ? ", degraded" : ""}`, degraded);
      }
      case "tcp":
        await tcpConnect(check.host, check.port, check.timeoutMs);
        return done(true, `connected to ${check.host}:${check.port}`);
      case "jsonrpc": {
        const response = await fetch(check.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: check.method, params: check.params }),
          signal: AbortSignal.timeout(check.timeoutMs),
        });
        const reply = parseJson(await response.text()) as { result?: unknown; error?: { message?: string } } | undefined;
        if (reply?.error) return done(false, `${check.method}: ${reply.error.message ?? "error"}`);
        if (!reply || !("result" in reply)) return done(false, `${check.method}: no result (HTTP ${response.status})`);
        return done(true, `${check.method} answered`);
      }
    }
  } catch (error) {
    const reason =
      error instanceof Error ? (error.name === "TimeoutError" ? `timed out after ${check.timeoutMs} ms` : causeOf(error)) : String(error);
    return done(false, reason);
  }
}

function causeOf(error: Error): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Follows a dot path (`a.b.0.c`) into parsed JSON. */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolveConnect, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      const error = new Error(`timed out after ${timeoutMs} ms`);
      error.name = "TimeoutError";
      reject(error);
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.end();
      resolveConnect();
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new Error(error.code ?? error.message));
    });
  });
}

export type Escalated = "ONLINE" | "DEGRADED" | "OFFLINE";

/** Tracks consecutive failures of one component and turns each probe result into a status. */
export class Escalation {
  private failures = 0;
  private readonly failuresUntilOffline: number;

  constructor(failuresUntilOffline: number) {
    this.failuresUntilOffline = failuresUntilOffline;
  }

  /** The status after this probe result. */
  next(ok: boolean, degraded = false): Escalated {
    this.failures = ok ? 0 : this.failures + 1;
    if (this.failures === 0) return degraded ? "DEGRADED" : "ONLINE";
    return this.failures >= this.failuresUntilOffline ? "OFFLINE" : "DEGRADED";
  }

  get consecutiveFailures(): number {
    return this.failures;
  }
}

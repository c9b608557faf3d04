/**
 * Talking to a chain as it is on the internet: one viem transport over several RPC URLs
 * (`SOVR_RPC_URL`, comma-separated), used in turn when one fails, with retries after a randomised,
 * growing pause (jitter, so that many clients do not hammer a recovering provider in step) on what
 * passes (429, 5xx, timeouts, refused connections), and none on what will not (a revert, a bad
 * request). Every service uses it, the indexer included: Ponder gets it as its one custom transport,
 * so its own multi-URL balancing (which keeps sending to a dead URL) is never in play.
 */
import pRetry, { AbortError } from "p-retry";
import {
  BaseError,
  custom,
  type EIP1193RequestFn,
  type Hex,
  HttpRequestError,
  http,
  keccak256,
  ResponseBodyTooLargeError,
  type Transport,
} from "viem";
import { z } from "zod";
import type { Setting } from "./env.ts";

/** How long one request to one URL may take. */
const REQUEST_TIMEOUT_MS = 10_000;
/** Rounds over all URLs before a request fails; with the pauses below about 15 s in all. */
const DEFAULT_RETRIES = 5;
const FIRST_PAUSE_MS = 250;
const LONGEST_PAUSE_MS = 5_000;

/** HTTP statuses a provider answers while it is overloaded or restarting. */
const PASSING_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);
/** JSON-RPC codes of rate limits: -32005 (EIP-1474 "limit exceeded"), 429 in a body, QuickNode's -32007. */
const RATE_LIMIT_CODES = new Set([-32005, -32007, 429]);

/** Whether a failed request may succeed if asked again (later, or of another URL). */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "TimeoutError") return true;
  const http = error instanceof BaseError ? (error.walk((e) => e instanceof HttpRequestError) as HttpRequestError | null) : null;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "number" && RATE_LIMIT_CODES.has(code)) return true;
  if (http) return http.status === undefined || PASSING_STATUSES.has(http.status);
  return false;
}

/** Nodes that already hold a transaction answer its resend with one of these. */
const ALREADY_KNOWN = /already known|known transaction|already imported|transaction already exists/i;

export type RpcTransportOptions = {
  /** Rounds over all URLs before a request fails. */
  retries?: number;
  timeoutMs?: number;
  /** Told about each URL that failed and is passed over (once per failure). */
  onFailover?: (url: string, error: Error) => void;
};

/**
 * A transport over `urls`: each request goes to the URL that answered last, then to the next ones in
 * turn; after a round in which all failed it waits (jittered backoff) and starts again.
 */
export function rpcTransport(urls: readonly string[], options: RpcTransportOptions = {}): Transport {
  if (urls.length === 0) throw new Error("rpcTransport needs at least one URL");
  const endpoints = urls.map((url) => ({
    url,
    request: http(url, { retryCount: 0, timeout: options.timeoutMs ?? REQUEST_TIMEOUT_MS })({ retryCount: 0 }).request as EIP1193RequestFn,
  }));
  let preferred = 0;
  const request = async ({ method, params }: { method: string; params?: unknown }) =>
    pRetry(
      async () => {
        let last: unknown;
        for (let step = 0; step < endpoints.length; step++) {
          const index = (preferred + step) % endpoints.length;
          const endpoint = endpoints[index]!;
          try {
            const result = await endpoint.request({ method, params } as never);
            preferred = index;
            return result;
          } catch (error) {
            // A resend through another URL of a transaction the first one accepted: it is sent.
            if (method === "eth_sendRawTransaction" && error instanceof Error && ALREADY_KNOWN.test(error.message)) {
              return keccak256((params as [Hex])[0]);
            }
            if (error instanceof ResponseBodyTooLargeError) throw new AbortError(tooLarge(method, error));
            if (!isTransient(error)) throw new AbortError(error as Error);
            options.onFailover?.(endpoint.url, error as Error);
            last = error;
          }
        }
        throw last;
      },
      {
        retries: options.retries ?? DEFAULT_RETRIES,
        minTimeout: FIRST_PAUSE_MS,
        maxTimeout: LONGEST_PAUSE_MS,
        randomize: true,
      },
    );
  return custom({ request }, { retryCount: 0, key: "sovr", name: `SOVR RPC (${urls.length} URL${urls.length === 1 ? "" : "s"})` });
}

/**
 * An answer over viem's size limit (eth_getLogs over a busy stretch of blocks), worded as providers
 * word it ("backend response too large", in an enumerable field): Ponder reads that as "ask again for
 * half the block range", where viem's own error would stop its backfill.
 */
function tooLarge(method: string, error: ResponseBodyTooLargeError): Error {
  const details = `backend response too large: ${method} answered more than ${error.maxSize} bytes; ask for a smaller block range`;
  return Object.assign(new Error(details), { details });
}

/** `SOVR_RPC_URL` as a setting: one or more http(s) URLs separated by commas, tried in that order. */
export function rpcUrls(fallback: string[]): Setting<string[]> {
  return {
    schema: z
      .string()
      .transform((text) => text.split(",").map((url) => url.trim().replace(/\/+$/, "")))
      .pipe(z.array(z.url({ protocol: /^https?$/ })).min(1)) as unknown as z.ZodType<string[]>,
    means: "one or more http(s) URLs separated by commas",
    fallback,
  };
}

/** The URLs for people: an API key in a path or query is not printed. */
export function displayUrl(url: string): string {
  const parsed = new URL(url);
  const hidden = parsed.pathname.length > 1 || parsed.search !== "" || parsed.username !== "";
  return hidden ? `${parsed.origin}/…` : parsed.origin;
}

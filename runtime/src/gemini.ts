/**
 * Gemini's settings as every process that calls it reads them (the guardian judging events, the
 * assistant answering the owner): the same variables, defaults, timeout, retries and per-minute budget.
 */
import { z } from "zod";
import * as env from "./env.ts";

export type GeminiSettings = {
  apiKey: string;
  model: string;
  /** Overrides the API's address (a local server speaking the same wire format). */
  baseUrl: string | undefined;
  timeoutMs: number;
  /** Retries after the first attempt, on 429 and 5xx only. */
  maxRetries: number;
  /** Backoff before the first retry; doubled each time. */
  backoffMs: number;
  /** Calls allowed per rolling minute; beyond it the caller does without Gemini. */
  callsPerMinute: number;
};

const spec = {
  GEMINI_API_KEY: env.optional(env.text("")),
  GEMINI_MODEL: env.setting(z.string().min(1).max(32), "a model name of 1 to 32 characters", "gemini-2.5-flash"),
  GEMINI_BASE_URL: env.optional(env.httpUrl("")),
  GEMINI_TIMEOUT_MS: env.wholeNumber(15_000, { min: 1 }),
  GEMINI_MAX_RETRIES: env.wholeNumber(2),
  GEMINI_BACKOFF_MS: env.wholeNumber(500),
  GEMINI_CALLS_PER_MINUTE: env.wholeNumber(30),
};

/** The settings, or undefined without `GEMINI_API_KEY`; a bad value stops with one line naming the variable. */
export function readGeminiSettings(environment: NodeJS.ProcessEnv = process.env): GeminiSettings | undefined {
  const e = env.readEnv(spec, environment);
  if (!e.GEMINI_API_KEY) return undefined;
  return {
    apiKey: e.GEMINI_API_KEY,
    model: e.GEMINI_MODEL,
    baseUrl: e.GEMINI_BASE_URL,
    timeoutMs: e.GEMINI_TIMEOUT_MS,
    maxRetries: e.GEMINI_MAX_RETRIES,
    backoffMs: e.GEMINI_BACKOFF_MS,
    callsPerMinute: e.GEMINI_CALLS_PER_MINUTE,
  };
}

/**
 * The assistant's settings, from the environment: Gemini's (the same names, defaults, timeout,
 * retries and per-minute budget as the guardian's), the indexer, the owner, and its own port.
 */
import { env, type GeminiSettings, readEnv, readGeminiSettings } from "@sovr/runtime";
import { isAddress } from "viem";
import { z } from "zod";

export type AssistantSettings = {
  indexerUrl: string;
  /** The owner's address: "my accounts" are its accounts. */
  owner: `0x${string}` | undefined;
  port: number;
  webUrl: string;
  gemini: GeminiSettings | undefined;
  /** Model rounds per question (each may call tools). */
  maxRounds: number;
};

const spec = {
  SOVR_INDEXER_URL: env.optional(env.httpUrl("")),
  SOVR_INDEXER_PORT: env.port(42069),
  SOVR_OWNER: env.optional(
    env.setting(
      z.string().refine((value) => isAddress(value)),
      "an address (0x and 40 hex digits)",
      "",
    ),
  ),
  SOVR_ASSISTANT_PORT: env.wholeNumber(9467),
  SOVR_WEB_URL: env.optional(env.httpUrl("")),
  SOVR_WEB_PORT: env.port(5173),
  SOVR_ASSISTANT_ROUNDS: env.wholeNumber(6, { min: 1 }),
};

export function readAssistantSettings(environment: NodeJS.ProcessEnv = process.env): AssistantSettings {
  const e = readEnv(spec, environment);
  return {
    indexerUrl: e.SOVR_INDEXER_URL ?? `http://127.0.0.1:${e.SOVR_INDEXER_PORT}`,
    owner: e.SOVR_OWNER ? (e.SOVR_OWNER as `0x${string}`) : undefined,
    port: e.SOVR_ASSISTANT_PORT,
    webUrl: e.SOVR_WEB_URL ?? `http://127.0.0.1:${e.SOVR_WEB_PORT}`,
    maxRounds: e.SOVR_ASSISTANT_ROUNDS,
    gemini: readGeminiSettings(environment),
  };
}

/** The one line the panel and `pnpm sovr ask` say when there is no key. */
export const NO_KEY = "the assistant needs a Gemini API key: set GEMINI_API_KEY where sovr up runs (or for pnpm sovr ask)";

/**
 * Settings from the environment, one style for every SOVR process: each variable has a zod schema,
 * a fallback, and words for what it must be, so a wrong value stops the start with one line such as
 * `SOVR_CHAIN_PORT must be a port number between 1 and 65535, not "80a"`. An empty variable is unset.
 */
import { z } from "zod";
import { UserError } from "./errors.ts";

export type Setting<T> = { schema: z.ZodType<T>; means: string; fallback: T; secret?: boolean };

export function setting<T>(schema: z.ZodType<T>, means: string, fallback: T): Setting<T> {
  return { schema, means, fallback };
}

/** The same setting with no fallback: undefined when unset. */
export function optional<T>(of: Setting<T>): Setting<T | undefined> {
  return { ...of, fallback: undefined };
}

export const port = (fallback: number) => setting(z.coerce.number().int().min(1).max(65535), "a port number between 1 and 65535", fallback);
export const wholeNumber = (fallback: number, { min = 0 } = {}) =>
  setting(z.coerce.number().int().min(min), `a whole number of at least ${min}`, fallback);
export const share = (fallback: number) => setting(z.coerce.number().min(0).max(1), "a share from 0 to 1", fallback);
export const positiveNumber = (fallback: number) => setting(z.coerce.number().positive(), "a number above 0", fallback);
export const micros = (fallback: bigint) =>
  setting(
    z
      .string()
      .regex(/^\d{1,38}$/)
      .transform((text) => BigInt(text)),
    "a whole number of micro-dollars",
    fallback,
  );
export const text = (fallback: string) => setting(z.string(), "text", fallback);
export const httpUrl = (fallback: string) =>
  setting(
    z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, "")),
    "an http(s) URL",
    fallback,
  );
/** A private key; a wrong value is never echoed. */
export const privateKey = (): Setting<`0x${string}` | undefined> => ({
  schema: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/)
    .transform((key) => key as `0x${string}`),
  means: "a private key (0x and 64 hex digits)",
  fallback: undefined,
  secret: true,
});

type Values<S extends Record<string, Setting<unknown>>> = { [K in keyof S]: S[K]["fallback"] | z.output<S[K]["schema"]> };

/** Reads every variable `spec` names; the first wrong one throws a UserError naming it. */
export function readEnv<S extends Record<string, Setting<unknown>>>(spec: S, env: NodeJS.ProcessEnv = process.env): Values<S> {
  const values: Record<string, unknown> = {};
  for (const [name, { schema, means, fallback, secret }] of Object.entries(spec)) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") {
      values[name] = fallback;
      continue;
    }
    const parsed = schema.safeParse(raw.trim());
    if (!parsed.success) throw new UserError(`${name} must be ${means}${secret ? "" : `, not "${raw}"`}`);
    values[name] = parsed.data;
  }
  return values as Values<S>;
}

/** Variables that carry the owner's key or its password: no child process of SOVR ever inherits them. */
const OWNER_SECRETS = ["SOVR_PRIVATE_KEY", "SOVR_KEYSTORE_PASSWORD"];

/** This process's environment without the owner's secrets, for a child's. */
export function childEnv(extra: Record<string, string> = {}, environment: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const inherited = Object.entries(environment).filter(
    (entry): entry is [string, string] => entry[1] !== undefined && !OWNER_SECRETS.includes(entry[0]),
  );
  return { ...Object.fromEntries(inherited), ...extra };
}

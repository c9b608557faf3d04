/**
 * Secrets a host configuration refers to (webhook URLs with tokens, bot tokens, SMTP passwords, HMAC
 * keys): never in the configuration file itself, only a reference to where they are, `{ "env": NAME }`
 * (an environment variable of `sovr up`) or `{ "keystore": name }` (the host keystore,
 * `<SOVR_HOME>/keys/secrets/<name>`, owner-only like the host keys, written by `pnpm sovr secret set`).
 * A secret's value is never echoed in an error.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { UserError } from "./errors.ts";

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** A reference to a secret, as a configuration file holds it. */
export const secretRefSchema = z.union(
  [
    z.object({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "must be an environment variable name (A-Z, 0-9, _)") }).strict(),
    z.object({ keystore: z.string().regex(NAME, "must be a keystore name (letters, digits, . _ -)") }).strict(),
  ],
  {
    error: 'must come from the environment or the keystore, never the file: { "env": "NAME" } or { "keystore": "name" }',
  },
);
export type SecretRef = z.infer<typeof secretRefSchema>;

/** Where the host keystore keeps a secret. */
export const keystoreFile = (home: string, name: string) => join(home, "keys", "secrets", name);

/** Owner-only modes, as for the host keys. */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** The secret a reference names; one line naming the reference (never the value) when it is missing. */
export function resolveSecret(ref: SecretRef, home: string, env: NodeJS.ProcessEnv = process.env): string {
  if ("env" in ref) {
    const value = env[ref.env];
    if (value === undefined || value.trim() === "") throw new UserError(`the secret ${ref.env} is not set in the environment`);
    return value.trim();
  }
  const file = keystoreFile(home, ref.keystore);
  if (!existsSync(file)) throw new UserError(`the keystore has no secret "${ref.keystore}": run \`pnpm sovr secret set ${ref.keystore}\``);
  const mode = statSync(file).mode;
  if (mode & 0o077) throw new UserError(`${file} can be read by others (mode ${(mode & 0o777).toString(8)}); run \`chmod 600 ${file}\``);
  const value = readFileSync(file, "utf8").trim();
  if (value === "") throw new UserError(`the keystore's secret "${ref.keystore}" is empty`);
  return value;
}

/** Stores a secret in the host keystore (owner-only folder and file). */
export function storeSecret(home: string, name: string, value: string): string {
  if (!NAME.test(name)) throw new UserError(`"${name}" is not a keystore name (letters, digits, . _ -, at most 64)`);
  if (value.trim() === "") throw new UserError("the secret is empty");
  const dir = join(home, "keys", "secrets");
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  chmodSync(join(home, "keys"), DIR_MODE);
  chmodSync(dir, DIR_MODE);
  const file = keystoreFile(home, name);
  writeFileSync(file, `${value.trim()}\n`, { mode: FILE_MODE });
  chmodSync(file, FILE_MODE);
  return file;
}

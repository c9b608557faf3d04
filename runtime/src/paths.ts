import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (where `hardhat.config.ts` and `ignition/` live). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The host's state folder: `SOVR_HOME`, or `.sovr` in the repository. */
export function sovrHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.SOVR_HOME || join(repoRoot, ".sovr"));
}

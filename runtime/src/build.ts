/**
 * Building the contracts the stack runs: Hardhat builds the production sources only (never the
 * Solidity tests) with the one profile `pnpm test` and `pnpm bench gas` use too, then the ABIs and
 * types are generated from the artifacts. Unchanged sources make this a check of a second or two.
 */
import { join } from "node:path";
import { execa } from "execa";
import { hardhatCli } from "./deploy.ts";
import { UserError } from "./errors.ts";
import { repoRoot } from "./paths.ts";
import { lastLine } from "./process.ts";

const GENERATE_SCRIPT = join(repoRoot, "contracts", "scripts", "generate.ts");

async function run(what: string, args: string[], onLine: (line: string) => void): Promise<void> {
  const child = execa(process.execPath, args, {
    cwd: repoRoot,
    stdin: "ignore",
    all: true,
    reject: false,
    lines: true,
    env: { NO_COLOR: "1" },
  });
  child.all?.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) onLine(line.trim());
  });
  const result = await child;
  if (result.exitCode !== 0)
    throw new UserError(`${what} failed: ${lastLine((result.all ?? []).join("\n"), /error/i) || `exit ${result.exitCode}`}`);
}

/** `hardhat build --no-tests`, then `contracts/scripts/generate.ts`; each line of their output goes to `onLine`. */
export async function buildContracts(onLine: (line: string) => void): Promise<void> {
  await run("building the contracts", [hardhatCli(), "build", "--no-tests"], onLine);
  await run("generating the ABIs", [GENERATE_SCRIPT], onLine);
}

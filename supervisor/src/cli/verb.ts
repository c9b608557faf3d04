/** What every verb of `pnpm sovr` is made of, and the pieces verbs share. */
import type { ParseArgsOptionsConfig } from "node:util";
import type { TransactionReceipt } from "viem";
import { UsageError } from "./args.ts";
import { indexerOf } from "./indexer.ts";

export type Values = Record<string, string | boolean | undefined>;
export type Input = { positionals: string[]; values: Values; env: NodeJS.ProcessEnv };

/** What a verb found or did: `data` for `--json`, `text` for people, `notes` for stderr, `code` for the exit. */
export type Outcome = { data: unknown; text: string; notes?: string[]; code?: number };

export type Verb = {
  name: string;
  /** One line in `pnpm sovr --help`. */
  summary: string;
  /** The verb's own `--help`: its usage line and options. */
  help: string;
  options: ParseArgsOptionsConfig;
  run(input: Input): Promise<Outcome>;
};

/** A string flag's value (parseArgs already refused a flag given without one). */
export function text(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

/** The subverb (`pending post`), one of `names`. */
export function subverb<T extends string>(verb: string, positionals: string[], names: readonly T[]): T {
  const [first] = positionals;
  if (first === undefined) throw new UsageError(`${verb} needs one of: ${names.join(", ")} (pnpm sovr ${verb} --help)`);
  const found = names.find((name) => name === first);
  if (!found) throw new UsageError(`unknown ${verb} action "${first}"; one of: ${names.join(", ")}`);
  return found;
}

/** Refuses positionals beyond the `expected` ones. */
export function noMoreArguments(verb: string, positionals: string[], expected: number): void {
  const extra = positionals.slice(expected);
  if (extra.length > 0) throw new UsageError(`${verb} does not take "${extra.join(" ")}" (pnpm sovr ${verb} --help)`);
}

/** Refuses flags that do not apply to a subverb. */
export function refuseFlags(what: string, values: Values, names: string[]): void {
  const given = names.find((name) => values[name] !== undefined);
  if (given) throw new UsageError(`${what} does not take --${given}`);
}

/**
 * Waits until the indexer has the transaction's block, so that a listing right after shows it. A write
 * that happened is never reported as failed for want of an indexer: the reason becomes a note.
 */
export async function indexedNotes(env: NodeJS.ProcessEnv, receipt: TransactionReceipt): Promise<string[]> {
  const problem = await indexerOf(env).waitUntilIndexed(receipt.blockNumber);
  return problem ? [`done on-chain, not yet in the index: ${problem}`] : [];
}

/** Rows as aligned columns under a header. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** Unix seconds as a UTC time to the second. */
export function isoTime(seconds: bigint | number | string): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

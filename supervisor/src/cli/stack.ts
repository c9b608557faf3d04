/** Whole-stack verbs answered by the indexer: status and reconcile. */
import type { IndexerStatus } from "@sovr/indexer/client";
import { indexerOf } from "./indexer.ts";
import { noMoreArguments, type Verb } from "./verb.ts";

const percent = (share: number | null | undefined) => (share === null || share === undefined ? "-" : `${(share * 100).toFixed(2)}%`);

function statusText(status: IndexerStatus): string {
  const lines = [`overall   ${status.overall}${status.ledgerPaused ? "  (ledger paused)" : ""}`];
  const lag = status.indexer.lagSeconds === null ? "" : `, ${status.indexer.lagSeconds} s`;
  lines.push(
    `indexer   block ${status.indexer.indexedBlock ?? "-"} of ${status.indexer.chainBlock} (lag ${status.indexer.lagBlocks} blocks${lag})`,
  );
  const verdict =
    status.guardian.lastVerdictId === null
      ? "no verdict yet"
      : `last verdict #${status.guardian.lastVerdictId}, ${status.guardian.ageSeconds} s ago`;
  lines.push(`guardian  ${status.guardian.live ? "live" : "not live"} (${verdict})`);
  const live = status.components.filter((component) => !component.retired);
  if (live.length === 0) return [...lines, "components: none registered"].join("\n");
  lines.push("", "id  component                 status    latency  24h      7d       30d");
  for (const c of live) {
    const name = `${c.name}${c.critical ? " *" : ""}`.slice(0, 24).padEnd(24);
    lines.push(
      `${String(c.id).padEnd(3)} ${name}  ${c.status.padEnd(9)} ${`${c.latencyMs} ms`.padEnd(8)} ${percent(c.uptime["24h"]).padEnd(8)} ${percent(c.uptime["7d"]).padEnd(8)} ${percent(c.uptime["30d"])}`,
    );
  }
  lines.push("(* critical)");
  return lines.join("\n");
}

export const status: Verb = {
  name: "status",
  summary: "the stack's overall status, each component with status, latency and uptime, the indexer's lag and the guardian's liveness",
  help: "usage: pnpm sovr status [--json]",
  options: {},
  async run({ positionals, env }) {
    noMoreArguments("status", positionals, 0);
    const body = await indexerOf(env).status();
    return { data: body, text: statusText(body) };
  },
};

export const reconcile: Verb = {
  name: "reconcile",
  summary: "every indexed balance and total checked against the chain; exits 1 on a difference",
  help: "usage: pnpm sovr reconcile [--json]",
  options: {},
  async run({ positionals, env }) {
    noMoreArguments("reconcile", positionals, 0);
    const result = await indexerOf(env).reconcile();
    const code = result.ok ? 0 : 1;
    if ("error" in result) return { data: result, text: `reconcile: ${result.error}`, code };
    const checked = Object.entries(result.checked)
      .map(([what, n]) => `${n} ${what}`)
      .join(", ");
    const lines = [
      `reconcile at block ${result.blockNumber}: ${result.ok ? "no differences" : `${result.differences.length} differences`} (checked ${checked})`,
    ];
    for (const d of result.differences) lines.push(`  ${d.what}: indexed ${d.indexed}, chain ${d.chain}`);
    return { data: result, text: lines.join("\n"), code };
  },
};

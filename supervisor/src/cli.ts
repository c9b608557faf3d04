/**
 * `pnpm sovr <verb>`: the headless CLI. Read-only verbs so far (`status`, `reconcile`), answered from
 * the running indexer (`SOVR_INDEXER_URL`, or 127.0.0.1 on `SOVR_INDEXER_PORT`, default 42069).
 * Wrong arguments print one line and exit 2; an unreachable indexer or a failed check exits 1.
 */
import { parseArgs } from "node:util";

const USAGE = `usage: pnpm sovr <verb> [--json]

verbs:
  status      the stack's overall status, each component with status, latency and uptime,
              the indexer's lag and the guardian's liveness
  reconcile   every indexed balance and total checked against the chain; exits 1 on a difference

options:
  --json      print the indexer's JSON answer instead of text
  --help      this text`;

class UsageError extends Error {}

type Status = {
  overall: string;
  ledgerPaused: boolean;
  components: { id: number; name: string; status: string; critical: boolean; retired: boolean; latencyMs: number; uptime: Record<string, number | null> }[];
  indexer: { indexedBlock: number | null; chainBlock: number; lagBlocks: number; lagSeconds: number | null };
  guardian: { lastVerdictId: string | null; ageSeconds: number | null; live: boolean };
};

type Reconciliation = {
  ok: boolean;
  blockNumber?: string;
  checked?: Record<string, number>;
  differences?: { what: string; indexed: string; chain: string }[];
  error?: string;
};

function indexerUrl(env: NodeJS.ProcessEnv): string {
  if (env.SOVR_INDEXER_URL) return env.SOVR_INDEXER_URL.replace(/\/$/, "");
  return `http://127.0.0.1:${env.SOVR_INDEXER_PORT ?? 42069}`;
}

async function get<T>(url: string): Promise<{ status: number; body: T }> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  } catch {
    throw new Error(`no indexer answers at ${new URL(url).origin}; is \`pnpm start\` running? (SOVR_INDEXER_URL)`);
  }
  return { status: response.status, body: (await response.json()) as T };
}

const percent = (share: number | null | undefined) => (share === null || share === undefined ? "-" : `${(share * 100).toFixed(2)}%`);

function statusText(status: Status): string {
  const lines = [`overall   ${status.overall}${status.ledgerPaused ? "  (ledger paused)" : ""}`];
  const lag = status.indexer.lagSeconds === null ? "" : `, ${status.indexer.lagSeconds} s`;
  lines.push(`indexer   block ${status.indexer.indexedBlock ?? "-"} of ${status.indexer.chainBlock} (lag ${status.indexer.lagBlocks} blocks${lag})`);
  const verdict = status.guardian.lastVerdictId === null ? "no verdict yet" : `last verdict #${status.guardian.lastVerdictId}, ${status.guardian.ageSeconds} s ago`;
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

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: "boolean" }, help: { type: "boolean" } } });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [verb, ...rest] = parsed.positionals;
  if (parsed.values.help || verb === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (verb === undefined) throw new UsageError("name a verb: status or reconcile (pnpm sovr --help)");
  if (rest.length > 0) throw new UsageError(`${verb} takes no arguments, got "${rest.join(" ")}"`);
  const base = indexerUrl(env);
  switch (verb) {
    case "status": {
      const { body } = await get<Status>(`${base}/api/status`);
      process.stdout.write(`${parsed.values.json ? JSON.stringify(body, null, 2) : statusText(body)}\n`);
      return 0;
    }
    case "reconcile": {
      // The check answers 503 while the chain moves under it; ask again for a while.
      const deadline = Date.now() + 30_000;
      let answer = await get<Reconciliation>(`${base}/api/reconcile`);
      while (answer.status === 503 && Date.now() < deadline) {
        await new Promise((resolveWait) => setTimeout(resolveWait, 500));
        answer = await get<Reconciliation>(`${base}/api/reconcile`);
      }
      const result = answer.body;
      if (parsed.values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else if (result.error) process.stdout.write(`reconcile: ${result.error}\n`);
      else {
        const checked = Object.entries(result.checked ?? {}).map(([what, n]) => `${n} ${what}`).join(", ");
        process.stdout.write(`reconcile at block ${result.blockNumber}: ${result.ok ? "no differences" : `${result.differences?.length} differences`} (checked ${checked})\n`);
        for (const d of result.differences ?? []) process.stdout.write(`  ${d.what}: indexed ${d.indexed}, chain ${d.chain}\n`);
      }
      return result.ok ? 0 : 1;
    }
    default:
      throw new UsageError(`unknown verb "${verb}"; verbs: status, reconcile (pnpm sovr --help)`);
  }
}

main(process.argv.slice(2), process.env).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    process.stderr.write(`sovr: ${message}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);

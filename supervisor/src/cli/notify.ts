/**
 * The notifier's, the maintenance calendar's and the assistant's verbs: `notify status|test`,
 * `maintenance list|once|every|cron|cancel`, `secret set`, and `ask`.
 */
import { Assistant, NO_KEY, readAssistantSettings } from "@sovr/assistant";
import { contractLimits, sovrLedgerAbi, sovrMaintenanceAbi } from "@sovr/contracts";
import { readDeployment } from "@sovr/contracts/deployment";
import { activeMaintenance, nextMaintenance, parseCron } from "@sovr/indexer/maintenance";
import { NotifierClient } from "@sovr/notifier/client";
import { sovrHome } from "@sovr/runtime";
import { storeSecret } from "@sovr/runtime/secrets";
import { type Address, getAddress, isAddress, parseEventLogs } from "viem";
import { boundedText, parseId, UsageError } from "./args.ts";
import { chainClient, openSigning, send } from "./chain.ts";
import { indexerOf } from "./indexer.ts";
import { indexedNotes, isoTime, noMoreArguments, subverb, table, text, type Verb } from "./verb.ts";

const MAX_NOTE_BYTES = contractLimits.SovrMaintenance.MAX_NOTE_LENGTH;
const MAX_CRON_BYTES = contractLimits.SovrMaintenance.MAX_CRON_LENGTH;

const notifierOf = (env: NodeJS.ProcessEnv) =>
  new NotifierClient(env.SOVR_NOTIFIER_URL || `http://127.0.0.1:${env.SOVR_NOTIFIER_PORT || 9466}`);

export const notify: Verb = {
  name: "notify",
  summary: "the notifier's channels (sent, failed, waiting, last error), or a test message on one",
  help: `usage: pnpm sovr notify status [--json]
       pnpm sovr notify test <channel> [--json]

  Reads the running notifier (SOVR_NOTIFIER_URL, default http://127.0.0.1:$SOVR_NOTIFIER_PORT, port 9466).`,
  options: {},
  async run({ positionals, env }) {
    const action = subverb("notify", positionals, ["status", "test"] as const);
    const client = notifierOf(env);
    if (action === "test") {
      noMoreArguments("notify test", positionals, 2);
      const name = positionals[1];
      if (!name) throw new UsageError("notify test needs a channel name (pnpm sovr notify status lists them)");
      const result = await client.test(name);
      return {
        data: result,
        text: result.ok ? `sent a test message on ${name} (${result.ms} ms)` : `the test message on ${name} failed: ${result.error}`,
        code: result.ok ? 0 : 1,
      };
    }
    noMoreArguments("notify status", positionals, 1);
    const channels = await client.channels();
    if (channels.length === 0) return { data: channels, text: "no channels: add notifications.channels to sovr.config (README)" };
    return {
      data: channels,
      text: table(
        ["channel", "type", "target", "sent 24h", "failed 24h", "waiting", "last error"],
        channels.map((c) => [
          c.name,
          c.type,
          c.target,
          String(c.sent24h),
          String(c.failed24h),
          String(c.pending),
          c.lastError ? `${isoTime(Math.floor(c.lastError.at / 1000))} ${c.lastError.error}` : "",
        ]),
      ),
    };
  },
};

/** "90s", "30m", "2h", "7d" as seconds. */
function parseSpan(value: string | undefined, flag: string): number {
  const match = /^(\d{1,6})([smhd])$/.exec(value ?? "");
  if (!match) throw new UsageError(`${flag} must be a span such as 90s, 30m, 2h or 7d, not "${value ?? ""}"`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as "s" | "m" | "h" | "d"];
}

/** "now", or a date and time (ISO 8601; a time without a zone is UTC) as Unix seconds. */
function parseWhen(value: string | undefined, flag: string): number {
  if (value === undefined || value === "now") return Math.floor(Date.now() / 1000);
  const text = /[zZ]|[+-]\d\d:?\d\d$/.test(value) || /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new UsageError(`${flag} must be "now" or a date and time such as 2027-01-10T22:00 (UTC) or 2027-01-10T23:00+01:00`);
  return Math.floor(ms / 1000);
}

/** A component by id or name, or "all" (0). */
async function componentArg(env: NodeJS.ProcessEnv, value: string | undefined): Promise<{ id: number; name: string }> {
  if (value === undefined) throw new UsageError("name the component with --component <id|name|all>");
  if (value === "all") return { id: 0, name: "every component" };
  const components = (await indexerOf(env).status()).components;
  const found = /^\d+$/.test(value) ? components.find((c) => c.id === Number(value)) : components.find((c) => c.name === value);
  if (!found) throw new UsageError(`no component "${value}"; pnpm sovr components list shows them`);
  return { id: found.id, name: found.name };
}

export const maintenance: Verb = {
  name: "maintenance",
  summary: "maintenance windows (owner key): probes go on, notifications stop, MAINTENANCE and out of uptime",
  help: `usage: pnpm sovr maintenance list [--json]
       pnpm sovr maintenance once --component <id|name|all> [--from now|<time>] (--until <time> | --for <span>) [--note text]
       pnpm sovr maintenance every --component <id|name|all> --first <time> --duration <span> --period <span> [--until <time>] [--note text]
       pnpm sovr maintenance cron --component <id|name|all> --cron "[TZ=<zone> ]m h dom mon dow" --duration <span> [--from <time>] [--until <time>] [--note text]
       pnpm sovr maintenance cancel <window id>

  <time>   ISO 8601, UTC unless it names its offset: 2027-01-10T22:00, 2027-01-10T23:00+01:00
  <span>   90s, 30m, 2h, 7d
  --cron   five fields, e.g. "TZ=Europe/Berlin 0 3 * * 0" (Sundays 03:00 Berlin time); at most ${MAX_CRON_BYTES} bytes
  --note   why, at most ${MAX_NOTE_BYTES} bytes (on-chain, public)`,
  options: {
    component: { type: "string" },
    from: { type: "string" },
    until: { type: "string" },
    for: { type: "string" },
    first: { type: "string" },
    duration: { type: "string" },
    period: { type: "string" },
    cron: { type: "string" },
    note: { type: "string" },
  },
  async run({ positionals, values, env }) {
    const action = subverb("maintenance", positionals, ["list", "once", "every", "cron", "cancel"] as const);
    if (action === "list") {
      noMoreArguments("maintenance list", positionals, 1);
      const windows = await indexerOf(env).maintenanceWindows();
      const now = Math.floor(Date.now() / 1000);
      const rows = windows.map((w) => {
        const active = activeMaintenance([w], w.componentId, now);
        const next = nextMaintenance([w], w.componentId, now);
        return {
          ...w,
          state: w.cancelledAt
            ? "cancelled"
            : active
              ? `in progress until ${isoTime(active.until)}`
              : next
                ? `next ${isoTime(next.start)}`
                : "over",
        };
      });
      return {
        data: rows,
        text: rows.length
          ? table(
              ["id", "component", "schedule", "what", "state", "note"],
              rows.map((w) => [
                w.id,
                w.componentId === 0 ? "all" : String(w.componentId),
                w.schedule,
                w.schedule === "ONCE"
                  ? `${isoTime(w.startsAt)} to ${isoTime(w.endsAt)}`
                  : w.schedule === "EVERY"
                    ? `${w.duration} s every ${w.period} s from ${isoTime(w.startsAt)}`
                    : `${w.duration} s at "${w.cron}"`,
                w.state,
                w.note,
              ]),
            )
          : "no maintenance windows",
      };
    }
    // Every argument is checked before anything is signed.
    if (action === "cancel") {
      noMoreArguments("maintenance cancel", positionals, 2);
      const id = parseId(positionals[1], "window id", 64);
      const session = await openSigning(env);
      const { receipt } = await send(session, "maintenance cancel", {
        address: session.deployment.maintenance,
        abi: sovrMaintenanceAbi,
        functionName: "cancel",
        args: [id],
      });
      return {
        data: { windowId: id.toString(), txHash: receipt.transactionHash },
        notes: await indexedNotes(env, receipt),
        text: `maintenance window ${id} cancelled`,
      };
    }
    noMoreArguments(`maintenance ${action}`, positionals, 1);
    const note = boundedText(text(values, "note") ?? "", "--note", { min: 0, max: MAX_NOTE_BYTES });
    const untilOr = (fallback: number) => (text(values, "until") !== undefined ? parseWhen(text(values, "until"), "--until") : fallback);
    type Call =
      | { functionName: "scheduleOnce"; args: (id: number) => readonly [number, number, number, string] }
      | { functionName: "scheduleEvery"; args: (id: number) => readonly [number, number, number, number, number, string] }
      | { functionName: "scheduleCron"; args: (id: number) => readonly [number, string, number, number, number, string] };
    let call: Call;
    let what: string;
    if (action === "once") {
      const from = parseWhen(text(values, "from"), "--from");
      const until = untilOr(from + (text(values, "for") !== undefined ? parseSpan(text(values, "for"), "--for") : Number.NaN));
      if (Number.isNaN(until)) throw new UsageError("maintenance once needs --until <time> or --for <span>");
      what = `from ${isoTime(from)} to ${isoTime(until)}`;
      call = { functionName: "scheduleOnce", args: (id) => [id, from, until, note] as const };
    } else if (action === "every") {
      const first = parseWhen(text(values, "first"), "--first");
      const duration = parseSpan(text(values, "duration"), "--duration");
      const period = parseSpan(text(values, "period"), "--period");
      const until = untilOr(0);
      what = `${text(values, "duration")} every ${text(values, "period")} from ${isoTime(first)}`;
      call = { functionName: "scheduleEvery", args: (id) => [id, first, duration, period, until, note] as const };
    } else {
      const cron = (text(values, "cron") ?? "").trim();
      const parsed = parseCron(cron);
      if (!parsed.ok) throw new UsageError(`--cron: ${parsed.error}`);
      if (Buffer.byteLength(cron) > MAX_CRON_BYTES) throw new UsageError(`--cron is at most ${MAX_CRON_BYTES} bytes`);
      const duration = parseSpan(text(values, "duration"), "--duration");
      const from = parseWhen(text(values, "from"), "--from");
      const until = untilOr(0);
      what = `${text(values, "duration")} at "${cron}"`;
      call = { functionName: "scheduleCron", args: (id) => [id, cron, duration, from, until, note] as const };
    }
    const component = await componentArg(env, text(values, "component"));
    const session = await openSigning(env);
    const sent = await send(session, `maintenance ${action}`, {
      address: session.deployment.maintenance,
      abi: sovrMaintenanceAbi,
      functionName: call.functionName,
      args: call.args(component.id),
    } as never);
    const [log] = parseEventLogs({
      abi: sovrMaintenanceAbi,
      logs: sent.receipt.logs,
      eventName: "MaintenanceScheduled",
    });
    const windowId = log?.args.windowId?.toString() ?? "?";
    return {
      data: { windowId, componentId: component.id, txHash: sent.receipt.transactionHash },
      notes: await indexedNotes(env, sent.receipt),
      text: `maintenance window ${windowId} for ${component.name}: ${what}`,
    };
  },
};

export const secret: Verb = {
  name: "secret",
  summary: "keep a notification secret (webhook URL, token, password) in the host keystore, read from standard input",
  help: `usage: printf '%s' "$SLACK_WEBHOOK_URL" | pnpm sovr secret set <name>

  Writes <SOVR_HOME>/keys/secrets/<name> (owner-only); sovr.config refers to it as { "keystore": "<name>" }.
  The value is read from standard input only, never from the command line.`,
  options: {},
  async run({ positionals, env }) {
    subverb("secret", positionals, ["set"] as const);
    const name = positionals[1];
    if (!name) throw new UsageError("secret set needs a name");
    if (positionals.length > 2)
      throw new UsageError("the secret is read from standard input, never from the command line (it would show in ps and shell history)");
    if (process.stdin.isTTY) throw new UsageError("pipe the secret in: printf '%s' \"$VALUE\" | pnpm sovr secret set <name>");
    let value = "";
    for await (const chunk of process.stdin) value += chunk;
    const file = storeSecret(sovrHome(env), name, value);
    return { data: { name, file }, text: `kept "${name}" in ${file} (owner-only); refer to it as { "keystore": "${name}" }` };
  },
};

export const ask: Verb = {
  name: "ask",
  summary: 'ask the assistant about your ledger and services ("how much did I pay Acme in March?"); it drafts, never sends',
  help: `usage: pnpm sovr ask "<question>" [--json]

  Gemini with read-only tools on the indexer; needs GEMINI_API_KEY (GEMINI_MODEL, GEMINI_BASE_URL,
  GEMINI_TIMEOUT_MS, GEMINI_CALLS_PER_MINUTE as the guardian's). Drafts are printed with the form
  that opens them prefilled in the command center; nothing is ever sent.`,
  options: {},
  async run({ positionals, env }) {
    const question = positionals.join(" ").trim();
    if (question === "") throw new UsageError('ask needs a question: pnpm sovr ask "how much did I pay Acme in March?"');
    const settings = readAssistantSettings({ ...env, SOVR_INDEXER_URL: indexerOf(env).url });
    if (!settings.gemini) return { data: { ok: false, error: NO_KEY }, text: NO_KEY, code: 1 };
    let owner: Address | undefined = settings.owner;
    if (!owner) {
      const client = chainClient(env);
      const deployment = readDeployment(await client.getChainId(), env.SOVR_DEPLOYMENT_ID || undefined);
      if (deployment) owner = await client.readContract({ address: deployment.ledger, abi: sovrLedgerAbi, functionName: "defaultAdmin" });
    }
    const answer = await new Assistant(settings).ask(question, [], owner && isAddress(owner) ? getAddress(owner) : undefined);
    if (!answer.ok) return { data: answer, text: answer.error, code: 1 };
    const web = env.SOVR_WEB_URL || `http://127.0.0.1:${env.SOVR_WEB_PORT || 5173}`;
    const lines = [answer.answer];
    for (const source of answer.sources)
      lines.push(
        `  from ${source.tool} ${JSON.stringify(source.args)}: ${source.rows.length} rows${source.summary ? ` ${JSON.stringify(source.summary)}` : ""}`,
      );
    for (const draft of answer.drafts) {
      lines.push(`  draft ${draft.kind}: review and sign at ${web}${draft.link}${draft.caution ? ` (caution: ${draft.caution})` : ""}`);
    }
    if (answer.refused.length) lines.push(`  refused: ${answer.refused.join(", ")} (not a read-only tool)`);
    return { data: answer, text: lines.join("\n") };
  },
};

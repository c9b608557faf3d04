/**
 * `pnpm sovr <verb>`: the headless CLI. Listing verbs read the running indexer; writing verbs sign with
 * the key from the environment, simulate first (a revert is one sentence and nothing is sent), send,
 * and wait until the indexer has the block, so the next listing shows the change.
 * Wrong arguments print one line and exit 2, before anything is sent; a failure prints one line and exits 1.
 */
import { parseArgs } from "node:util";
import { UsageError } from "./cli/args.ts";
import { deploy } from "./cli/deploy.ts";
import { label } from "./cli/directory.ts";
import { ack, verdicts } from "./cli/guardian.ts";
import { keys } from "./cli/host.ts";
import { invoice } from "./cli/invoices.ts";
import { refuseKeyOnCommandLine } from "./cli/keys.ts";
import { accounts, creditLine, issue, pendingTransfers, redeem, transfer } from "./cli/ledger.ts";
import { ask, maintenance, notify, secret } from "./cli/notify.ts";
import { commitment, keeper, order, plan } from "./cli/orders.ts";
import { components, control, signal } from "./cli/registry.ts";
import { reconcile, status } from "./cli/stack.ts";
import type { Verb } from "./cli/verb.ts";

const VERBS: Verb[] = [
  status,
  accounts,
  transfer,
  pendingTransfers,
  issue,
  redeem,
  creditLine,
  invoice,
  order,
  plan,
  commitment,
  keeper,
  components,
  control,
  signal,
  verdicts,
  ack,
  label,
  maintenance,
  notify,
  secret,
  ask,
  keys,
  reconcile,
  deploy,
];

const USAGE = `usage: pnpm sovr <verb> [arguments] [--json]

verbs:
${VERBS.map((verb) => `  ${verb.name.padEnd(12)}${verb.summary}`).join("\n")}

options:
  --json      print JSON instead of text
  --help      this text, or a verb's own (pnpm sovr transfer --help)

environment:
  SOVR_PRIVATE_KEY           the key writing verbs sign with, or
  SOVR_KEYSTORE              a file with the key: a v3 keystore JSON (with SOVR_KEYSTORE_PASSWORD) or
                             a hex key; it must not be readable by group or others; or "hardhat":
                             the entry SOVR_OWNER_KEY of Hardhat's encrypted keystore (it asks for
                             its password; pnpm hardhat keystore set SOVR_OWNER_KEY adds it)
  SOVR_RPC_URL               the chain (default http://127.0.0.1:$SOVR_CHAIN_PORT, port 8545)
  SOVR_DEPLOYMENT_ID         Ignition's deployment of the contracts (default chain-<chain id>)
  SOVR_INDEXER_URL           the indexer (default http://127.0.0.1:$SOVR_INDEXER_PORT, port 42069)
  SOVR_WEB_URL               the command center as payers reach it, for pay links
                             (default http://127.0.0.1:$SOVR_WEB_PORT, port 5173)
Keys are never taken from the command line, and Anvil's well-known keys only on the local chain (31337).`;

const json = (data: unknown) => JSON.stringify(data, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value), 2);

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  refuseKeyOnCommandLine(argv);
  const verbName = argv.find((arg) => !arg.startsWith("-"));
  const verb = VERBS.find((candidate) => candidate.name === verbName);
  if (verbName === undefined || verbName === "help") {
    if (argv.includes("--help") || verbName === "help") {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    throw new UsageError(`name a verb: ${VERBS.map((known) => known.name).join(", ")} (pnpm sovr --help)`);
  }
  if (!verb) throw new UsageError(`unknown verb "${verbName}"; verbs: ${VERBS.map((known) => known.name).join(", ")} (pnpm sovr --help)`);

  let parsed;
  try {
    parsed = parseArgs({
      args: argv.filter((_arg, index) => index !== argv.indexOf(verbName)),
      allowPositionals: true,
      strict: true,
      options: { ...verb.options, json: { type: "boolean" }, help: { type: "boolean" } },
    });
  } catch (error) {
    const message = (error as Error).message;
    // "--amount -5": parseArgs will not take a value that looks like a flag without "=".
    const flag = /^Option '(--[\w-]+)' argument is ambiguous/.exec(message)?.[1];
    if (flag) throw new UsageError(`${verb.name}: ${flag} needs a value; write one that starts with "-" as ${flag}=<value>`);
    // parseArgs explains itself over several sentences; its first is the one that matters.
    throw new UsageError(`${verb.name}: ${message.split(". ")[0]} (pnpm sovr ${verb.name} --help)`);
  }
  const { json: asJson, help, ...values } = parsed.values;
  if (help) {
    process.stdout.write(`${verb.help}\n`);
    return 0;
  }
  const outcome = await verb.run({ positionals: parsed.positionals, values, env });
  for (const note of outcome.notes ?? []) process.stderr.write(`sovr: ${note}\n`);
  process.stdout.write(`${asJson ? json(outcome.data) : outcome.text}\n`);
  return outcome.code ?? 0;
}

main(process.argv.slice(2), process.env).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    process.stderr.write(`sovr: ${message}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);

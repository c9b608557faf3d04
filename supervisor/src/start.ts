/**
 * `pnpm start`: builds what `sovr up` runs, saying what it does while it does it (the contracts
 * without their tests, their generated ABIs, the web app), then runs `sovr up` in this process. The
 * web app builds while the chain, the deployment and the indexer come up (it needs only the ABIs,
 * and they need only the contracts); `sovr up` serves it once built.
 */
import { setInterval } from "node:timers";
import { UserError } from "@sovr/runtime";
import { buildContracts } from "@sovr/runtime/build";
import { buildWeb } from "@sovr/web/build";

const log = (line: string) => process.stdout.write(`${line}\n`);
/** How often a long step says it is still at work. */
const TICK_MS = 5_000;

async function step<T>(what: string, work: () => Promise<T> | T): Promise<T> {
  const started = Date.now();
  log(`sovr: ${what}...`);
  const ticker = setInterval(() => log(`sovr:   still ${what} (${Math.round((Date.now() - started) / 1000)} s)`), TICK_MS);
  try {
    return await work();
  } finally {
    clearInterval(ticker);
    log(`sovr:   done ${what} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

try {
  await step("building the contracts (Solidity, without the tests)", () =>
    buildContracts((line) => {
      if (/^Compiled |^No contracts|^generated /.test(line)) log(`sovr:   ${line}`);
    }),
  );
} catch (error) {
  const message = error instanceof UserError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`sovr: ${message.split("\n")[0]}\n`);
  process.exit(1);
}
const { runUp } = await import("./up.ts");
const webBuilt = step("building the command center (web app)", () => buildWeb());
// A failed build is reported where `sovr up` awaits it, which stops what has started by then.
webBuilt.catch(() => {});
runUp({ webBuilt });

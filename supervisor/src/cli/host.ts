/** `keys`: the host's own keys (supervisor, guardian), their balances, and how to fund them. */

import { componentRegistryAbi } from "@sovr/contracts";
import { readDeployment } from "@sovr/contracts/deployment";
import { sovrHome } from "@sovr/runtime";
import { LOCAL_CHAIN_ID } from "@sovr/runtime/chain";
import { type Address, formatEther, type PublicClient, parseEther } from "viem";
import { readSettings } from "../env.ts";
import { HOST_KEYS, type HostKeyName, readHostKey } from "../keys.ts";
import { beatInterval, dailyGas, runwayOf } from "../runway.ts";
import { chainClient, rpcUrl } from "./chain.ts";
import { noMoreArguments, table, type Verb } from "./verb.ts";

/** Below this balance a host key on another chain is reported as needing funds: a few hundred transactions' gas. */
const LOW_BALANCE = parseEther("0.05");

type HostKeyRow = {
  name: string;
  address: Address | null;
  balanceEth: string | null;
  needsFunds: boolean;
  /** Days of gas left at today's fees and the stack's expected transactions; null without a deployment. */
  runwayDays: number | null;
};

export const keys: Verb = {
  name: "keys",
  summary: "the host's supervisor and guardian keys (addresses, never the keys), their balances, runway and how to fund them",
  help: `usage: pnpm sovr keys [--json]

The keys sovr up generated in $SOVR_HOME/keys (default .sovr/keys), with each address's balance on
the chain (SOVR_RPC_URL) and runway: days of gas left at today's fees for the transactions the stack
is expected to send (a beat per component every beat interval, one verdict per judged event,
SOVR_EXPECTED_EVENTS_PER_DAY). On the local chain sovr up funds them from the owner; on another chain
send them ETH for gas from a wallet you control.`,
  options: {},
  async run({ positionals, env }) {
    noMoreArguments("keys", positionals, 0);
    const home = sovrHome(env);
    const url = rpcUrl(env);
    const client = chainClient(env);
    let chainId: number;
    try {
      chainId = await client.getChainId();
    } catch {
      throw new Error(`no chain answers at ${url}; is \`pnpm start\` running? (SOVR_RPC_URL)`);
    }
    const daily = await dailyCost(client, chainId, env);
    const rows: HostKeyRow[] = [];
    for (const name of HOST_KEYS) {
      const key = readHostKey(home, name);
      if (!key) {
        rows.push({ name, address: null, balanceEth: null, needsFunds: false, runwayDays: null });
        continue;
      }
      const balance = await client.getBalance({ address: key.account.address });
      rows.push({
        name,
        address: key.account.address,
        balanceEth: formatEther(balance),
        needsFunds: chainId !== LOCAL_CHAIN_ID && balance < LOW_BALANCE,
        runwayDays: daily ? runwayOf(name, balance, daily[name]).days : null,
      });
    }
    const lines = [
      table(
        ["key", "address", `balance (chain ${chainId})`, "runway"],
        rows.map((row) => [
          row.name,
          row.address ?? "not generated yet (sovr up generates it)",
          row.balanceEth === null ? "-" : `${row.balanceEth} ETH`,
          row.runwayDays === null ? "-" : `${row.runwayDays.toFixed(1)} days`,
        ]),
      ),
    ];
    if (chainId === LOCAL_CHAIN_ID) lines.push("", "On the local chain sovr up tops each key up to 100 ETH from the owner.");
    for (const row of rows.filter((candidate) => candidate.needsFunds)) {
      lines.push(
        "",
        `${row.name} needs gas: send at least ${formatEther(LOW_BALANCE)} ETH on chain ${chainId} to ${row.address} from a wallet you control.`,
      );
    }
    return { data: { chainId, keys: rows }, text: lines.join("\n") };
  },
};

/** Each host key's expected spend a day in wei at the current gas price, when SOVR is deployed on the chain. */
async function dailyCost(client: PublicClient, chainId: number, env: NodeJS.ProcessEnv): Promise<Record<HostKeyName, bigint> | undefined> {
  const deployment = readDeployment(chainId, env.SOVR_DEPLOYMENT_ID || undefined);
  if (!deployment) return undefined;
  // A deployment id names a folder, not a chain: without the registry's code here, SOVR is not on this chain.
  const code = await client.getCode({ address: deployment.registry });
  if (!code || code === "0x") return undefined;
  const settings = readSettings(env);
  const [gasPrice, interval, components] = await Promise.all([
    client.getGasPrice(),
    beatInterval(client, deployment),
    client.readContract({ address: deployment.registry, abi: componentRegistryAbi, functionName: "componentCount" }),
  ]);
  const gas = dailyGas({ components: Number(components), beatIntervalSeconds: interval, eventsPerDay: settings.expectedEventsPerDay });
  return { supervisor: gas.supervisor * gasPrice, guardian: gas.guardian * gasPrice };
}

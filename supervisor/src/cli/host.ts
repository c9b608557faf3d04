/** `keys`: the host's own keys (supervisor, guardian), their balances, and how to fund them. */

import { sovrHome } from "@sovr/runtime";
import { LOCAL_CHAIN_ID } from "@sovr/runtime/chain";
import { type Address, formatEther, parseEther } from "viem";
import { HOST_KEYS, readHostKey } from "../keys.ts";
import { chainClient, rpcUrl } from "./chain.ts";
import { noMoreArguments, table, type Verb } from "./verb.ts";

/** Below this balance a host key on another chain is reported as needing funds: a few hundred transactions' gas. */
const LOW_BALANCE = parseEther("0.05");

type HostKeyRow = { name: string; address: Address | null; balanceEth: string | null; needsFunds: boolean };

export const keys: Verb = {
  name: "keys",
  summary: "the host's supervisor and guardian keys (addresses, never the keys), their balances and how to fund them",
  help: `usage: pnpm sovr keys [--json]

The keys sovr up generated in $SOVR_HOME/keys (default .sovr/keys), with each address's balance on
the chain (SOVR_RPC_URL). On the local chain sovr up funds them from the owner; on another chain
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
    const rows: HostKeyRow[] = [];
    for (const name of HOST_KEYS) {
      const key = readHostKey(home, name);
      if (!key) {
        rows.push({ name, address: null, balanceEth: null, needsFunds: false });
        continue;
      }
      const balance = await client.getBalance({ address: key.account.address });
      rows.push({
        name,
        address: key.account.address,
        balanceEth: formatEther(balance),
        needsFunds: chainId !== LOCAL_CHAIN_ID && balance < LOW_BALANCE,
      });
    }
    const lines = [
      table(
        ["key", "address", `balance (chain ${chainId})`],
        rows.map((row) => [
          row.name,
          row.address ?? "not generated yet (sovr up generates it)",
          row.balanceEth === null ? "-" : `${row.balanceEth} ETH`,
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

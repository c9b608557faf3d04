/**
 * Runs the Ignition module `Sovr` against the `sovr` network (SOVR_RPC_URL), under `hardhat run`.
 * Programmatic rather than `hardhat ignition deploy`: the CLI discards the journal of chain 31337
 * whenever the node process restarts, which would redeploy on every start of a persistent chain.
 * The caller (`@sovr/runtime/deploy`) detects a really new chain by its block-1 hash instead.
 * SOVR_GUARDIAN_ADDRESS names the guardian's host key (GUARDIAN_ROLE).
 *
 * The deployer is the node's first unlocked account (the local Anvil), or, with
 * SOVR_DEPLOYER_KEY_ON_STDIN=1, the key written to this process's standard input: never an argument
 * (every user sees those in `ps`), never a file, never an environment variable of a child.
 * SOVR_CONFIRMATIONS is how many blocks Ignition waits on top of each of its transactions.
 */
import { network } from "hardhat";
import SovrModule from "./modules/Sovr.ts";

const deploymentId = process.env.SOVR_DEPLOYMENT_ID;
const guardian = process.env.SOVR_GUARDIAN_ADDRESS;
if (!deploymentId) throw new Error("SOVR_DEPLOYMENT_ID is not set");
if (!guardian) throw new Error("SOVR_GUARDIAN_ADDRESS is not set: name the guardian's host key");
const requiredConfirmations = Number(process.env.SOVR_CONFIRMATIONS ?? 1);

async function keyFromStdin(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  const key = text.trim();
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new Error("standard input holds no private key");
  return key;
}

const connection =
  process.env.SOVR_DEPLOYER_KEY_ON_STDIN === "1"
    ? await network.create({ network: "sovr", override: { accounts: [await keyFromStdin()] } })
    : await network.create("sovr");
await connection.ignition.deploy(SovrModule, {
  deploymentId,
  displayUi: true,
  parameters: { Sovr: { guardian } },
  config: { requiredConfirmations },
});

/**
 * `deploy`: puts SOVR on the chain `SOVR_RPC_URL` names, signed with the owner's key. Host keys first
 * (generated or loaded, so the guardian's is a module parameter), then a summary of what will be
 * spent, then Ignition (journal in `ignition/deployments/chain-<id>/`), then the stack's components
 * and the host configuration's registered with the supervisor's key as controller, then a wait until
 * the deployment is final. It funds nothing: it says what each host key needs. Re-running it sends
 * nothing that is already there.
 */
import { readDeployment } from "@sovr/contracts/deployment";
import { stuckAfterMs } from "@sovr/runtime/chains";
import { ensureDeployed } from "@sovr/runtime/deploy";
import { displayUrl } from "@sovr/runtime/rpc";
import { type Address, createWalletClient, formatEther, type PublicClient } from "viem";
import { type ChainConnection, connectChain } from "../chain.ts";
import { findConfigFile, loadHostConfig } from "../config.ts";
import { readSettings } from "../env.ts";
import { ensureHostKeys, HOST_KEYS, type HostKey, type HostKeyName } from "../keys.ts";
import { beatInterval, dailyGas, describeNeed, formatGwei } from "../runway.ts";
import { configuredComponents, registerStack, stackComponents } from "../stack.ts";
import { UsageError } from "./args.ts";
import { loadSigningKey, refuseWellKnownKey } from "./keys.ts";
import type { Verb } from "./verb.ts";

/**
 * Gas of a first deployment (contracts and wiring, 11 transactions) with headroom: e2e/src/public-chain.test.ts
 * measured 13.3 M gas for it and 8 registrations together before SovrInvoices, whose code (4.6 kB) and
 * SETTLER_ROLE grant add about 1.1 M; one registration is under 200k.
 */
export const DEPLOYMENT_GAS = 14_100_000n;
const REGISTRATION_GAS = 200_000n;
const DEFAULT_DAYS = 30;

type Summary = { lines: string[]; neededWei: bigint };

export const deploy: Verb = {
  name: "deploy",
  summary: "deploy SOVR to the chain SOVR_RPC_URL names with the owner's key, register the stack, say what the host keys need",
  help: `usage: pnpm sovr deploy [--dry-run] [--days n] [--json]

Deploys the contracts with Ignition to the chain SOVR_RPC_URL names (journal and addresses in
ignition/deployments/chain-<id>/, commit them), signed with the owner's key (SOVR_PRIVATE_KEY or
SOVR_KEYSTORE; it becomes the admin of every contract). The host keys in $SOVR_HOME/keys are
generated first if missing: the guardian's gets GUARDIAN_ROLE, the supervisor's becomes controller of
the stack's components, which the owner registers here (pnpm start on that chain never holds the
owner's key). Nothing is funded: it prints what each host key needs for --days days (${DEFAULT_DAYS}) at the
chain's current fees. Re-running it changes nothing that is there already.

  --dry-run   print the summary (chain, owner, keys, gas and cost at current fees) and send nothing
  --days n    days of operation to fund the host keys for`,
  options: { "dry-run": { type: "boolean" }, days: { type: "string" } },
  async run({ positionals, values, env }) {
    if (positionals.length > 0) throw new UsageError(`deploy does not take "${positionals.join(" ")}" (pnpm sovr deploy --help)`);
    const days = values.days === undefined ? DEFAULT_DAYS : Number(values.days);
    if (!Number.isInteger(days) || days < 1 || days > 3650)
      throw new UsageError(`--days must be a whole number from 1 to 3650, not "${values.days}"`);
    const settings = readSettings(env);
    if (!settings.rpcUrls) {
      throw new UsageError("set SOVR_RPC_URL to the chain to deploy to (on the local chain `pnpm start` deploys by itself)");
    }
    const { account: owner, privateKey: ownerKey } = await loadSigningKey(env);
    const connection = await connectChain(settings.rpcUrls, env);
    // One line, before anything is read or written: a well-known key on a real chain is anyone's.
    refuseWellKnownKey(owner.address, connection.chainId);
    const hostConfig = await loadHostConfig(findConfigFile(undefined, env));
    const keys = ensureHostKeys(settings.home);
    const { client, profile } = connection;
    const deploymentId = settings.deploymentId;
    const existing = readDeployment(connection.chainId, deploymentId);
    const deployed = existing !== undefined && (await hasCode(client, existing.ledger));
    const gasPrice = await client.getGasPrice();
    const balanceBefore = await client.getBalance({ address: owner.address });
    const blockBefore = await client.getBlockNumber();

    const summary = planSummary({ connection, owner: owner.address, keys, deployed, gasPrice, balance: balanceBefore });
    const notes: string[] = [...summary.lines];
    if (values["dry-run"]) {
      return {
        data: { dryRun: true, chainId: connection.chainId, owner: owner.address, neededWei: summary.neededWei.toString() },
        text: notes.join("\n"),
      };
    }
    if (!deployed && balanceBefore < summary.neededWei) {
      throw new Error(
        `the owner ${owner.address} has ${formatEther(balanceBefore)} ETH on ${profile.name}; the deployment needs about ${formatEther(summary.neededWei)} ETH at the current ${formatGwei(gasPrice)} gwei`,
      );
    }
    for (const line of notes) process.stderr.write(`sovr: ${line}\n`);

    const shown = new Set<string>();
    const { deployment } = await ensureDeployed({
      rpcUrl: connection.firstAnswering,
      client,
      guardian: keys.guardian.account.address,
      deploymentId,
      deployerKey: ownerKey,
      onLine: (line) => {
        if (!/^Executed |^\[ Sovr \]/.test(line) || shown.has(line)) return;
        shown.add(line);
        process.stderr.write(`sovr:   ${line}\n`);
      },
    });
    const ownerWallet = createWalletClient({ account: owner, chain: connection.chain, transport: connection.transport });
    const local = (port: number) => `http://127.0.0.1:${port}`;
    const stack = stackComponents(
      {
        chainEndpoint: displayUrl(connection.urls[0]!),
        indexer: local(settings.indexerPort),
        guardian: local(settings.guardianPort),
        metrics: local(settings.metricsPort),
        web: local(settings.webPort),
        notifier: local(settings.notifierPort),
        assistant: local(settings.assistantPort),
      },
      settings.probeIntervalSeconds,
    );
    const { registered } = await registerStack({
      client,
      owner: ownerWallet,
      supervisorKey: keys.supervisor.account.address,
      deployment,
      components: [...stack, ...configuredComponents(hostConfig.components)],
      send: { stuckAfterMs: stuckAfterMs(profile), log: (line) => process.stderr.write(`sovr: ${line}\n`) },
    });
    const blockAfter = await client.getBlockNumber();
    const spent = await spentBy(client, owner.address, blockBefore + 1n, blockAfter);
    const balanceAfter = await client.getBalance({ address: owner.address });
    await waitUntilFinal(client, blockAfter, profile.finalityBlocks, profile.name);

    const interval = await beatInterval(client, deployment);
    const components = stack.length + hostConfig.components.length;
    const daily = dailyGas({ components, beatIntervalSeconds: interval, eventsPerDay: settings.expectedEventsPerDay });
    const hostKeys = [];
    for (const name of HOST_KEYS) {
      const key = keys[name];
      const balance = await client.getBalance({ address: key.account.address });
      const need = daily[name] * gasPrice * BigInt(days);
      hostKeys.push({
        name,
        address: key.account.address,
        balanceWei: balance.toString(),
        needWei: need.toString(),
        dailyGas: daily[name].toString(),
      });
    }
    const text = [
      `SOVR on ${profile.name} (chain ${connection.chainId})${spent.transactions === 0 ? ": already deployed and registered, nothing sent" : ""}`,
      `  ledger   ${deployment.ledger}`,
      `  credit   ${deployment.credit}`,
      `  token    ${deployment.token}`,
      `  relay    ${deployment.relay}`,
      `  registry ${deployment.registry}`,
      `  guardian ${deployment.guardian}`,
      `  owner    ${owner.address}  (admin of every contract)`,
      `  journal  ignition/deployments/${deploymentId ?? `chain-${connection.chainId}`}/  (commit it)`,
      `  spent    ${spent.gas.toLocaleString("en-US")} gas in ${spent.transactions} transactions, ${formatEther(balanceBefore - balanceAfter)} ETH${registered.length > 0 ? `; registered ${registered.join(", ")}` : ""}`,
      "",
      `Host keys (at ${formatGwei(gasPrice)} gwei; ${components} components beating every ${interval} s, ${settings.expectedEventsPerDay} events a day judged):`,
      ...hostKeys.map((key) => {
        const short = BigInt(key.needWei) - BigInt(key.balanceWei);
        const send = short > 0n ? `send ${formatEther(short)} ETH` : "funded";
        return `  ${key.name.padEnd(10)} ${key.address}  needs ${describeNeed(BigInt(key.dailyGas), gasPrice, days)}; has ${formatEther(BigInt(key.balanceWei))} ETH: ${send}`;
      }),
      "",
      `Then: SOVR_RPC_URL=${connection.urls.map(displayUrl).join(",")} pnpm start (no owner key needed).`,
    ];
    return {
      data: {
        chainId: connection.chainId,
        chain: profile.name,
        deployment,
        owner: owner.address,
        gasUsed: spent.gas.toString(),
        transactions: spent.transactions,
        spentWei: (balanceBefore - balanceAfter).toString(),
        registered,
        hostKeys,
      },
      text: text.join("\n"),
    };
  },
};

async function hasCode(client: PublicClient, address: Address): Promise<boolean> {
  const code = await client.getCode({ address });
  return code !== undefined && code !== "0x";
}

function planSummary(options: {
  connection: ChainConnection;
  owner: Address;
  keys: Record<HostKeyName, HostKey>;
  deployed: boolean;
  gasPrice: bigint;
  balance: bigint;
}): Summary {
  const { connection, gasPrice } = options;
  const gas = (options.deployed ? 0n : DEPLOYMENT_GAS) + REGISTRATION_GAS * 10n;
  const neededWei = gas * gasPrice;
  return {
    neededWei,
    lines: [
      `deploy to ${connection.profile.name} (chain ${connection.chainId}${connection.profile.testnet ? ", a testnet" : ""}) through ${connection.urls.map(displayUrl).join(", ")}`,
      `owner ${options.owner} with ${formatEther(options.balance)} ETH; host keys supervisor ${options.keys.supervisor.account.address}, guardian ${options.keys.guardian.account.address}`,
      options.deployed
        ? "the contracts are there already: only missing registrations are sent"
        : `about ${gas.toLocaleString("en-US")} gas, ${formatEther(neededWei)} ETH at the current ${formatGwei(gasPrice)} gwei; then ${connection.profile.finalityBlocks} blocks until final`,
    ],
  };
}

/** Gas and transactions the owner sent in the blocks of this run. */
async function spentBy(client: PublicClient, owner: Address, from: bigint, to: bigint): Promise<{ gas: bigint; transactions: number }> {
  let gas = 0n;
  let transactions = 0;
  for (let number = from; number <= to; number++) {
    const block = await client.getBlock({ blockNumber: number, includeTransactions: true });
    for (const tx of block.transactions) {
      if (tx.from.toLowerCase() !== owner.toLowerCase()) continue;
      gas += (await client.getTransactionReceipt({ hash: tx.hash })).gasUsed;
      transactions++;
    }
  }
  return { gas, transactions };
}

async function waitUntilFinal(client: PublicClient, block: bigint, depth: number, chainName: string): Promise<void> {
  if (depth === 0) return;
  process.stderr.write(`sovr: waiting until the deployment is final on ${chainName} (${depth} blocks on top of block ${block})...\n`);
  while ((await client.getBlockNumber()) < block + BigInt(depth)) await new Promise((resolve) => setTimeout(resolve, 1000));
}

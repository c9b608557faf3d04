/**
 * `sovr up` (what `pnpm start` runs): the local chain with persistent state, the contracts deployed
 * with Ignition if they are not there yet, and a summary of where everything is. Ctrl-C (or SIGTERM)
 * stops the chain cleanly, which writes its state.
 */
import { join, relative } from "node:path";
import { createWalletClient, http } from "viem";
import { startLocalChain, type LocalChain } from "./chain.ts";
import { ensureDeployed } from "./deploy.ts";
import { readSettings, repoRoot, UserError } from "./env.ts";

const log = (line: string) => process.stdout.write(`${line}\n`);

async function up(): Promise<void> {
  const settings = readSettings();
  const stateDir = join(settings.home, "chain");
  log(`sovr: starting the chain on 127.0.0.1:${settings.chainPort} (state in ${relative(repoRoot, stateDir) || stateDir})`);
  const chain = await startLocalChain({
    port: settings.chainPort,
    stateDir,
    stateIntervalSeconds: settings.stateIntervalSeconds,
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`\nsovr: ${signal}: stopping the chain (writing its state)...`);
    await chain.stop();
    log("sovr: stopped; everything is saved.");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("Ctrl-C"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  chain.process.once("exit", (code) => {
    if (stopping) return;
    process.stderr.write(`sovr: the chain exited unexpectedly (exit ${code}); its state up to the last snapshot is kept\n`);
    process.exit(1);
  });

  try {
    await deployAndReport(chain, settings.deploymentId, settings.stateIntervalSeconds);
  } catch (error) {
    stopping = true;
    await chain.stop();
    throw error;
  }
}

async function deployAndReport(chain: LocalChain, deploymentId: string | undefined, intervalSeconds: number) {
  log("sovr: deploying the contracts with Ignition if needed...");
  // Ignition redraws its progress; print each step once.
  const shown = new Set<string>();
  const { deployment, redeployedAfterReset } = await ensureDeployed({
    rpcUrl: chain.url,
    client: chain.client,
    deploymentId,
    onOutput: (line) => {
      if (!/^Executed |^\[ Sovr \]/.test(line) || shown.has(line)) return;
      shown.add(line);
      log(`  ${line}`);
    },
  });
  if (redeployedAfterReset) log("sovr: this chain is not the one the last deployment was for (reset or new): deployed the contracts afresh");
  const [owner, supervisorKey, guardianKey] = await createWalletClient({ transport: http(chain.url) }).getAddresses();
  const block = await chain.client.getBlockNumber();
  log("");
  log("SOVR Command Center is up");
  log(`  chain    ${chain.url}  (chain id ${deployment.chainId}, block ${block})`);
  log(`  owner    ${owner ?? "(no unlocked account)"}`);
  log(`  ledger   ${deployment.ledger}  SovrLedger`);
  log(`  credit   ${deployment.credit}  SovrCredit`);
  log(`  token    ${deployment.token}  SOVR (ERC-20 view, 6 decimals)`);
  log(`  relay    ${deployment.relay}  SovrRelay (EIP-712 signed transfers)`);
  log(`  registry ${deployment.registry}  ComponentRegistry`);
  log(`  guardian ${deployment.guardian}  GuardianAttestations (guardian key ${guardianKey ?? "?"})`);
  log(`  host     supervisor key ${supervisorKey ?? "?"}`);
  log(`  state    ${relative(repoRoot, chain.stateFile)}  (snapshot every ${intervalSeconds} s and on stop)`);
  log("Press Ctrl-C to stop.");
}

up().catch((error: unknown) => {
  const message = error instanceof UserError ? error.message : error instanceof Error ? error.message : String(error);
  process.stderr.write(`sovr: ${message.split("\n")[0]}\n`);
  process.exit(1);
});

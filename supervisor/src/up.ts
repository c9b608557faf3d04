/**
 * `sovr up` (what `pnpm start` runs): the local chain with persistent state, the contracts deployed
 * with Ignition if they are not there yet, the indexer caught up with the chain, and a summary of
 * where everything is. Ctrl-C (or SIGTERM) stops the indexer, then the chain (which writes its state).
 */

import type { Server } from "node:http";
import { dirname, join, relative } from "node:path";
import { type GuardianProcess, spawnGuardian } from "@sovr/guardian/process";
import type { IndexerProcess } from "@sovr/indexer/process";
import { assertPortFree, lastLine, repoRoot, UserError } from "@sovr/runtime";
import { type LocalChain, startLocalChain } from "@sovr/runtime/chain";
import { chainIdentity, ensureDeployed } from "@sovr/runtime/deploy";
import { startWebServer, type WebServer } from "@sovr/web/server";
import { Registry } from "prom-client";
import { createWalletClient, http } from "viem";
import { foundry } from "viem/chains";
import { findConfigFile, type HostConfig, loadHostConfig } from "./config.ts";
import { readSettings, type UpSettings } from "./env.ts";
import { type ControlledComponent, type Executor, startExecutor, waitUntilHealthy } from "./executor.ts";
import { contractsHealth, hostHealth } from "./health.ts";
import { startIndexer } from "./indexer.ts";
import { type Keeper, startKeeper } from "./keeper.ts";
import { ensureHostKeys, fundOnLocalChain, type HostKey, type HostKeyName } from "./keys.ts";
import { forgetPid, recordPid, SERVICES, stopLeftovers } from "./leftovers.ts";
import { startMetricsServer } from "./metrics.ts";
import { type Prober, startProber } from "./prober.ts";
import { ComponentProcesses } from "./processes.ts";
import { configuredComponents, registerStack, stackComponents } from "./stack.ts";

const log = (line: string) => process.stdout.write(`${line}\n`);

async function up(): Promise<void> {
  const settings = readSettings();
  // A broken host configuration stops the start before anything runs.
  const hostConfig = await loadHostConfig(findConfigFile());
  for (const { service, pid } of await stopLeftovers(settings.home)) {
    log(`sovr: stopped the ${service} an earlier sovr up left running (pid ${pid})`);
  }
  recordPid(settings.home, "supervisor", process.pid);
  const keys = ensureHostKeys(settings.home);
  const stateDir = join(settings.home, "chain");
  log(`sovr: starting the chain on 127.0.0.1:${settings.chainPort} (state in ${relative(repoRoot, stateDir) || stateDir})`);
  const chain = await startLocalChain({
    port: settings.chainPort,
    stateDir,
    stateIntervalSeconds: settings.stateIntervalSeconds,
  });
  recordPid(settings.home, "chain", chain.service.ref.pid);
  const forgetAll = () => {
    for (const service of [...SERVICES, "supervisor" as const]) forgetPid(settings.home, service);
  };
  let stopping = false;
  let running: IndexerProcess | undefined;
  let keeper: Keeper | undefined;
  let prober: Prober | undefined;
  let metricsServer: Server | undefined;
  let guardian: GuardianProcess | undefined;
  let web: WebServer | undefined;
  let executor: Executor | undefined;
  let processes: ComponentProcesses | undefined;
  /** Stops what has started, readers first and the chain last (it writes its state). */
  const stopEverything = async () => {
    await executor?.stop();
    await processes?.close();
    await prober?.stop();
    await keeper?.stop();
    metricsServer?.close();
    await web?.close();
    await guardian?.stop();
    await running?.stop();
    await chain.stop();
    forgetAll();
  };
  /** A clean stop ends with one line: what was stopped and where the chain's state was saved. */
  const stop = async (exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    const stopped = [
      ...(processes?.runningNames() ?? []),
      ...(guardian ? ["guardian"] : []),
      ...(running ? ["indexer"] : []),
      ...(web ? ["web app"] : []),
      "chain",
    ];
    await stopEverything();
    log(`\nsovr: stopped ${stopped.join(", ")}; the chain's state is saved in ${relative(repoRoot, chain.stateFile)}`);
    process.exit(exitCode);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  void chain.service.exited.then(({ code, signal }) => {
    if (stopping) return;
    process.stderr.write(`sovr: the chain exited unexpectedly (${code ?? signal}); its state up to the last snapshot is kept\n`);
    process.exit(1);
  });

  try {
    const [owner] = await createWalletClient({ transport: http(chain.url) }).getAddresses();
    if (!owner) throw new UserError("the local chain has no unlocked owner account");
    const ownerWallet = createWalletClient({ chain: foundry, transport: http(chain.url), account: owner });
    for (const { address, amount } of await fundOnLocalChain(chain.client, ownerWallet, [
      keys.supervisor.account.address,
      keys.guardian.account.address,
    ])) {
      log(`sovr: the owner funded host key ${address} with ${amount} ETH`);
    }
    const { deployment } = await deployAndReport(chain, settings, owner, keys, (indexer) => {
      running = indexer;
      recordPid(settings.home, "indexer", indexer.service.ref.pid);
    });
    if (!running) throw new UserError("the indexer did not start");
    const supervisorWallet = createWalletClient({ chain: foundry, transport: http(chain.url), account: keys.supervisor.account });
    const supervisorKey = keys.supervisor.account.address;
    keeper = startKeeper({ indexerUrl: running.url, client: chain.client, wallet: supervisorWallet, ledger: deployment.ledger, log });
    // The guardian judges every indexed event with its own host key.
    await assertPortFree(settings.guardianPort, "guardian", "SOVR_GUARDIAN_PORT");
    log(`sovr: starting the guardian on 127.0.0.1:${settings.guardianPort}...`);
    guardian = spawnGuardian({
      port: settings.guardianPort,
      rpcUrl: chain.url,
      chainId: deployment.chainId,
      deploymentId: settings.deploymentId,
      indexerUrl: running.url,
      privateKey: keys.guardian.privateKey,
    });
    recordPid(settings.home, "guardian", guardian.service.ref.pid);
    await guardian.waitUntilLive();
    const guardianService = guardian.service;
    void guardianService.exited.then(({ code, signal }) => {
      if (stopping) return;
      process.stderr.write(`sovr: the guardian exited unexpectedly (${code ?? signal}): ${lastLine(guardianService.output())}\n`);
      void stop(1);
    });
    // The stack's own components, probed with their health recorded on-chain.
    const metrics = new Registry();
    metricsServer = await startMetricsServer(settings.metricsPort, metrics, {
      host: () => hostHealth(settings.home),
      contracts: () => contractsHealth(chain.client, deployment),
    });
    const metricsUrl = `http://127.0.0.1:${settings.metricsPort}`;
    const webUrl = `http://127.0.0.1:${settings.webPort}`;
    const stack = stackComponents({ chain: chain.url, indexer: running.url, guardian: guardian.url, metrics: metricsUrl, web: webUrl });
    const targets = await registerStack({
      client: chain.client,
      owner: ownerWallet,
      supervisorKey,
      deployment,
      components: [...stack, ...configuredComponents(hostConfig.components)],
    });
    prober = startProber({ client: chain.client, wallet: supervisorWallet, registry: deployment.registry, metrics, log });
    const controlled: ControlledComponent[] = targets.map((target, index) => ({
      id: target.id,
      name: target.name,
      stack: index < stack.length,
      config: index < stack.length ? undefined : hostConfig.components[index - stack.length],
      target,
    }));
    // The command center: the built app plus the deployment it talks to, as /config.json.
    web = await startWebServer({
      port: settings.webPort,
      config: {
        chainId: deployment.chainId,
        rpcUrl: chain.url,
        indexerUrl: running.url,
        owner,
        contracts: deployment,
        hostKeys: { supervisor: supervisorKey, guardian: keys.guardian.account.address },
        components: {
          stack: controlled.filter((component) => component.stack).map((component) => component.id),
          controllable: controlled.filter((component) => component.config?.start).map((component) => component.id),
        },
      },
    });
    processes = new ComponentProcesses({ home: settings.home, configDir: configDirOf(hostConfig), log, components: hostConfig.components });
    await superviseOwnerComponents(controlled, processes, prober);
    // What the command center shows comes from the index: wait until it has the first probes.
    await running.waitForBlock(await chain.client.getBlockNumber());
    executor = startExecutor({
      client: chain.client,
      wallet: supervisorWallet,
      registry: deployment.registry,
      indexerUrl: running.url,
      home: settings.home,
      components: controlled,
      processes,
      prober,
      configFile: hostConfig.file,
      log,
    });
    log(`  guardian ${guardian.url}  (/health, /metrics)`);
    log(`  web      ${web.url}  (the command center)`);
    log(`  metrics  ${metricsUrl}/metrics  (supervisor)`);
    log(`sovr: supervising ${targets.map((target) => target.name).join(", ")}; press Ctrl-C to stop.`);
    void running.service.exited.then(({ code, signal }) => {
      if (stopping) return;
      process.stderr.write(`sovr: the indexer exited unexpectedly (${code ?? signal})\n`);
      void stop(1);
    });
  } catch (error) {
    stopping = true;
    await stopEverything();
    throw error;
  }
}

/**
 * Brings the owner's components back to what the owner last asked for: a process that outlived an
 * earlier supervisor is adopted, one that should run is started (and watched once healthy), one the
 * owner stopped is recorded STOPPED rather than probed into OFFLINE.
 */
async function superviseOwnerComponents(controlled: ControlledComponent[], processes: ComponentProcesses, prober: Prober) {
  const { adopted, started } = processes.resume();
  for (const name of adopted) log(`sovr: ${name} is still running from the last sovr up; supervising it again`);
  for (const component of controlled) {
    if (component.stack) continue;
    const config = component.config!;
    if (config.start && processes.runningPid(component.name) === undefined && !started.includes(component.name)) {
      await prober.record(component.id, "STOPPED", 0);
      continue;
    }
    if (started.includes(component.name)) {
      log(`sovr: started ${component.name}`);
      // Probed only once it had its chance to come up, so a start is not recorded as DEGRADED.
      void waitUntilHealthy(config.health, config.startTimeoutSeconds).then(() => prober.watch(component.target));
    } else {
      void prober.watch(component.target);
    }
  }
  // The stack's own components are shown only once probed: a fresh install never reads UNKNOWN.
  await Promise.all(controlled.filter((c) => c.stack).map((component) => prober.watch(component.target)));
}

function configDirOf(hostConfig: HostConfig): string {
  return hostConfig.file ? dirname(hostConfig.file) : repoRoot;
}

async function deployAndReport(
  chain: LocalChain,
  settings: UpSettings,
  owner: `0x${string}`,
  keys: Record<HostKeyName, HostKey>,
  onIndexer: (indexer: IndexerProcess) => void,
) {
  const { deploymentId, stateIntervalSeconds: intervalSeconds } = settings;
  log("sovr: deploying the contracts with Ignition if needed...");
  // Ignition redraws its progress; print each step once.
  const shown = new Set<string>();
  const { deployment, redeployedAfterReset } = await ensureDeployed({
    rpcUrl: chain.url,
    client: chain.client,
    deploymentId,
    guardian: keys.guardian.account.address,
    onLine: (line) => {
      if (!/^Executed |^\[ Sovr \]/.test(line) || shown.has(line)) return;
      shown.add(line);
      log(`  ${line}`);
    },
  });
  if (redeployedAfterReset)
    log("sovr: this chain is not the one the last deployment was for (reset or new): deployed the contracts afresh");
  const identity = await chainIdentity(chain.client);
  if (!identity) throw new UserError("the chain has no blocks after the deployment");
  log(`sovr: starting the indexer on 127.0.0.1:${settings.indexerPort}...`);
  const indexer = await startIndexer({
    home: settings.home,
    port: settings.indexerPort,
    rpcUrl: chain.url,
    client: chain.client,
    deployment,
    deploymentId,
    chainIdentity: identity,
    databaseUrl: settings.databaseUrl,
    log,
    onSpawn: onIndexer,
  });
  if (indexer.rebuilt) log("sovr: the chain or deployment changed since the last index: rebuilt the indexer's database");
  const block = await chain.client.getBlockNumber();
  log("");
  log("SOVR Command Center is up");
  log(`  chain    ${chain.url}  (chain id ${deployment.chainId}, block ${block})`);
  log(`  owner    ${owner}`);
  log(`  ledger   ${deployment.ledger}  SovrLedger`);
  log(`  credit   ${deployment.credit}  SovrCredit`);
  log(`  token    ${deployment.token}  SOVR (ERC-20 view, 6 decimals)`);
  log(`  relay    ${deployment.relay}  SovrRelay (EIP-712 signed transfers)`);
  log(`  registry ${deployment.registry}  ComponentRegistry`);
  log(`  guardian ${deployment.guardian}  GuardianAttestations (guardian key ${keys.guardian.account.address})`);
  log(`  directory ${deployment.directory}  SovrDirectory (the owner's names for addresses)`);
  log(
    `  keys     supervisor ${keys.supervisor.account.address}, guardian ${keys.guardian.account.address}  (${relative(repoRoot, dirname(keys.supervisor.file))}, owner-only)`,
  );
  log(`  indexer  ${indexer.indexer.url}  (GraphQL /graphql, live SQL /sql, /api/status, /api/reconcile; caught up at block ${block})`);
  log(`  state    ${relative(repoRoot, chain.stateFile)}  (snapshot every ${intervalSeconds} s and on stop)`);
  return { deployment };
}

up().catch((error: unknown) => {
  const message = error instanceof UserError ? error.message : error instanceof Error ? error.message : String(error);
  process.stderr.write(`sovr: ${message.split("\n")[0]}\n`);
  process.exit(1);
});

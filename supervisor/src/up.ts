/**
 * `sovr up` (what `pnpm start` runs): the local chain with persistent state and the contracts deployed
 * with Ignition if they are not there yet; or, with `SOVR_RPC_URL`, attached to that chain: no chain
 * of its own, the deployment `sovr deploy` made, code checked at every address, never the owner's key.
 * Then the indexer caught up (PGlite, embedded Postgres or `DATABASE_URL`), the guardian, the web app,
 * the prober, keeper and executor, and a summary of where everything is. Ctrl-C (or SIGTERM) stops
 * everything, the chain last (it writes its state).
 */

import { realpathSync } from "node:fs";
import type { Server } from "node:http";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { type AssistantProcess, spawnAssistant } from "@sovr/assistant/process";
import { type SovrDeployment, sovrLedgerAbi } from "@sovr/contracts";
import { readDeployment } from "@sovr/contracts/deployment";
import { type GuardianProcess, spawnGuardian } from "@sovr/guardian/process";
import type { IndexerProcess } from "@sovr/indexer/process";
import { type NotifierProcess, spawnNotifier } from "@sovr/notifier/process";
import { assertPortFree, lastLine, repoRoot, UserError } from "@sovr/runtime";
import { type LocalChain, startLocalChain } from "@sovr/runtime/chain";
import { stuckAfterMs } from "@sovr/runtime/chains";
import { chainIdentity, ensureDeployed } from "@sovr/runtime/deploy";
import { type EmbeddedPostgresServer, startEmbeddedPostgres } from "@sovr/runtime/postgres";
import { displayUrl } from "@sovr/runtime/rpc";
import { startWebServer, type WebServer } from "@sovr/web/server";
import { Registry } from "prom-client";
import { type Address, createWalletClient, http } from "viem";
import { type ChainConnection, connectChain } from "./chain.ts";
import { findConfigFile, type HostConfig, loadHostConfig } from "./config.ts";
import { readSettings, type UpSettings } from "./env.ts";
import { type ControlledComponent, type Executor, startExecutor, waitUntilHealthy } from "./executor.ts";
import { chainHealth, contractsHealth, hostHealth } from "./health.ts";
import { startIndexer } from "./indexer.ts";
import { type Keeper, startKeeper } from "./keeper.ts";
import { ensureHostKeys, fundOnLocalChain, type HostKey, type HostKeyName } from "./keys.ts";
import { watchKeys } from "./keywatch.ts";
import { forgetPid, recordPid, SERVICES, stopLeftovers } from "./leftovers.ts";
import { startMetricsServer } from "./metrics.ts";
import { type Prober, startProber } from "./prober.ts";
import { ComponentProcesses } from "./processes.ts";
import { configuredComponents, registerStack, stackComponents } from "./stack.ts";

const log = (line: string) => process.stdout.write(`${line}\n`);

export type UpOptions = {
  /** The web app's build when it runs beside the start (`pnpm start`): awaited before the app is served. */
  webBuilt?: Promise<void>;
};

async function up(options: UpOptions): Promise<void> {
  const settings = readSettings();
  // A broken host configuration stops the start before anything runs.
  const hostConfig = await loadHostConfig(findConfigFile());
  for (const { service, pid } of await stopLeftovers(settings.home)) {
    log(`sovr: stopped the ${service} an earlier sovr up left running (pid ${pid})`);
  }
  recordPid(settings.home, "supervisor", process.pid);
  const keys = ensureHostKeys(settings.home);
  let chain: LocalChain | undefined;
  if (settings.rpcUrls) {
    log(`sovr: attaching to the chain at ${settings.rpcUrls.map(displayUrl).join(", ")} (no chain of its own)`);
  } else {
    const stateDir = join(settings.home, "chain");
    log(`sovr: starting the chain on 127.0.0.1:${settings.chainPort} (state in ${relative(repoRoot, stateDir) || stateDir})`);
    chain = await startLocalChain({ port: settings.chainPort, stateDir, stateIntervalSeconds: settings.stateIntervalSeconds });
    recordPid(settings.home, "chain", chain.service.ref.pid);
  }
  const forgetAll = () => {
    for (const service of [...SERVICES, "supervisor" as const]) forgetPid(settings.home, service);
  };
  let stopping = false;
  let running: IndexerProcess | undefined;
  let postgres: EmbeddedPostgresServer | undefined;
  let keeper: Keeper | undefined;
  let prober: Prober | undefined;
  let metricsServer: Server | undefined;
  let guardian: GuardianProcess | undefined;
  let notifier: NotifierProcess | undefined;
  let assistant: AssistantProcess | undefined;
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
    await notifier?.stop();
    await assistant?.stop();
    await guardian?.stop();
    await running?.stop();
    await postgres?.stop();
    await chain?.stop();
    forgetAll();
  };
  /** A clean stop ends with one line: what was stopped and where the chain's state is. */
  const stop = async (exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    const stopped = [
      ...(processes?.runningNames() ?? []),
      ...(notifier ? ["notifier"] : []),
      ...(assistant ? ["assistant"] : []),
      ...(guardian ? ["guardian"] : []),
      ...(running ? ["indexer"] : []),
      ...(postgres ? ["Postgres"] : []),
      ...(web ? ["web app"] : []),
      ...(chain ? ["chain"] : []),
    ];
    const saved = chain ? `; the chain's state is saved in ${relative(repoRoot, chain.stateFile)}` : "";
    await stopEverything();
    log(`\nsovr: stopped ${stopped.join(", ") || "everything"}${saved}`);
    process.exit(exitCode);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  const localChain = chain;
  void localChain?.service.exited.then(({ code, signal }) => {
    if (stopping) return;
    process.stderr.write(`sovr: the chain exited unexpectedly (${code ?? signal}); its state up to the last snapshot is kept\n`);
    process.exit(1);
  });

  try {
    const connection = await connectChain(settings.rpcUrls ?? [localChain!.url]);
    const { client, profile } = connection;
    const send = { stuckAfterMs: stuckAfterMs(profile) };
    let owner: Address;
    let deployment: SovrDeployment;
    let ownerWallet: ReturnType<typeof localOwnerWallet> | undefined;
    if (localChain) {
      const [unlocked] = await createWalletClient({ transport: http(localChain.url) }).getAddresses();
      if (!unlocked) throw new UserError("the local chain has no unlocked owner account");
      owner = unlocked;
      ownerWallet = localOwnerWallet(connection, owner);
      for (const { address, amount } of await fundOnLocalChain(client, ownerWallet, [
        keys.supervisor.account.address,
        keys.guardian.account.address,
      ])) {
        log(`sovr: the owner funded host key ${address} with ${amount} ETH`);
      }
      deployment = await deployLocally(localChain, connection, settings, keys);
    } else {
      deployment = await attachedDeployment(connection, settings);
      owner = await client.readContract({ address: deployment.ledger, abi: sovrLedgerAbi, functionName: "defaultAdmin" });
    }
    const databaseUrl = await (async () => {
      if (settings.databaseUrl || settings.database !== "postgres") return settings.databaseUrl;
      log(
        `sovr: starting the embedded Postgres on 127.0.0.1:${settings.postgresPort} (data in ${relative(repoRoot, join(settings.home, "postgres")) || "postgres"})`,
      );
      postgres = await startEmbeddedPostgres({ dir: join(settings.home, "postgres"), port: settings.postgresPort });
      if (postgres.ref) recordPid(settings.home, "postgres", postgres.ref.pid);
      return postgres.url;
    })();
    const identity = await chainIdentity(client);
    if (!identity) throw new UserError("the chain has no blocks after the deployment");
    log(`sovr: starting the indexer on 127.0.0.1:${settings.indexerPort}${databaseUrl ? " (Postgres)" : " (PGlite)"}...`);
    const indexer = await startIndexer({
      home: settings.home,
      port: settings.indexerPort,
      rpcUrls: connection.urls,
      client,
      deployment,
      deploymentId: settings.deploymentId,
      chainIdentity: identity,
      databaseUrl,
      pollingMs: profile.pollingMs,
      log,
      onSpawn: (spawned) => {
        running = spawned;
        recordPid(settings.home, "indexer", spawned.service.ref.pid);
      },
    });
    if (indexer.rebuilt) log("sovr: the chain or deployment changed since the last index: rebuilt the indexer's database");
    if (!running) throw new UserError("the indexer did not start");
    const block = await client.getBlockNumber();
    log("");
    log("SOVR Command Center is up");
    log(`  chain    ${connection.urls.map(displayUrl).join(", ")}  (${profile.name}, chain id ${deployment.chainId}, block ${block})`);
    log(`  owner    ${owner}${localChain ? "" : "  (signs in the wallet or the CLI; this host never holds its key)"}`);
    log(`  ledger   ${deployment.ledger}  SovrLedger`);
    log(`  credit   ${deployment.credit}  SovrCredit`);
    log(`  token    ${deployment.token}  SOVR (ERC-20 view, 6 decimals)`);
    log(`  relay    ${deployment.relay}  SovrRelay (EIP-712 signed transfers)`);
    log(`  registry ${deployment.registry}  ComponentRegistry`);
    log(`  guardian ${deployment.guardian}  GuardianAttestations (guardian key ${keys.guardian.account.address})`);
    log(`  directory ${deployment.directory}  SovrDirectory (the owner's names for addresses)`);
    log(`  maintenance ${deployment.maintenance}  SovrMaintenance (the owner's maintenance windows)`);
    log(`  invoices ${deployment.invoices}  SovrInvoices (invoices paid with one signature; pay pages at /pay/<chain>/<id>)`);
    log(`  orders   ${deployment.orders}  SovrOrders (standing orders and subscriptions; subscribe pages at /subscribe/<chain>/<plan>)`);
    log(`  commitments ${deployment.commitments}  SovrCommitments (amounts reserved and paid milestone by milestone)`);
    log(
      `  keys     supervisor ${keys.supervisor.account.address}, guardian ${keys.guardian.account.address}  (${relative(repoRoot, dirname(keys.supervisor.file))}, owner-only)`,
    );
    log(`  indexer  ${running.url}  (GraphQL /graphql, live SQL /sql, /api/status, /api/reconcile; caught up at block ${block})`);
    if (localChain)
      log(`  state    ${relative(repoRoot, localChain.stateFile)}  (snapshot every ${settings.stateIntervalSeconds} s and on stop)`);
    const supervisorWallet = createWalletClient({
      chain: connection.chain,
      transport: connection.transport,
      account: keys.supervisor.account,
    });
    const supervisorKey = keys.supervisor.account.address;
    keeper = startKeeper({
      indexerUrl: running.url,
      client,
      wallet: supervisorWallet,
      ledger: deployment.ledger,
      orders: deployment.orders,
      log,
      ...send,
    });
    const runningKeeper = keeper;
    // The guardian judges every indexed event with its own host key; the notifier tells the owner
    // (channels from sovr.config, secrets from this environment or the keystore); the assistant answers
    // the chat panel with the Gemini key of this environment. The three start side by side.
    await assertPortFree(settings.guardianPort, "guardian", "SOVR_GUARDIAN_PORT");
    await assertPortFree(settings.notifierPort, "notifier", "SOVR_NOTIFIER_PORT");
    await assertPortFree(settings.assistantPort, "assistant", "SOVR_ASSISTANT_PORT");
    const metricsUrl = `http://127.0.0.1:${settings.metricsPort}`;
    const webUrl = `http://127.0.0.1:${settings.webPort}`;
    const channelCount = Object.keys(hostConfig.notifications?.channels ?? {}).length;
    log(
      `sovr: starting the guardian on 127.0.0.1:${settings.guardianPort}, the notifier on 127.0.0.1:${settings.notifierPort} (${channelCount} channel${channelCount === 1 ? "" : "s"}) and the assistant on 127.0.0.1:${settings.assistantPort}...`,
    );
    guardian = spawnGuardian({
      port: settings.guardianPort,
      rpcUrl: connection.urls.join(","),
      chainId: deployment.chainId,
      deploymentId: settings.deploymentId,
      indexerUrl: running.url,
      privateKey: keys.guardian.privateKey,
    });
    recordPid(settings.home, "guardian", guardian.service.ref.pid);
    notifier = spawnNotifier({
      port: settings.notifierPort,
      indexerUrl: running.url,
      home: settings.home,
      webUrl,
      notifications: hostConfig.notifications,
    });
    recordPid(settings.home, "notifier", notifier.service.ref.pid);
    assistant = spawnAssistant({ port: settings.assistantPort, indexerUrl: running.url, owner, webUrl });
    recordPid(settings.home, "assistant", assistant.service.ref.pid);
    await Promise.all([guardian.waitUntilLive(), notifier.waitUntilLive(), assistant.waitUntilLive()]);
    for (const [name, child] of [
      ["guardian", guardian.service],
      ["notifier", notifier.service],
      ["assistant", assistant.service],
    ] as const) {
      void child.exited.then(({ code, signal }) => {
        if (stopping) return;
        process.stderr.write(`sovr: the ${name} exited unexpectedly (${code ?? signal}): ${lastLine(child.output())}\n`);
        void stop(1);
      });
    }
    // The stack's own components, probed with their health recorded on-chain.
    const metrics = new Registry();
    const stack = stackComponents(
      {
        chainEndpoint: displayUrl(connection.urls[0]!),
        indexer: running.url,
        guardian: guardian.url,
        metrics: metricsUrl,
        web: webUrl,
        notifier: notifier.url,
        assistant: assistant.url,
      },
      settings.probeIntervalSeconds,
    );
    const keyWatch = watchKeys({
      client,
      wallet: supervisorWallet,
      deployment,
      keys,
      components: () => stack.length + hostConfig.components.length,
      eventsPerDay: settings.expectedEventsPerDay,
      stuckAfterMs: send.stuckAfterMs,
      log,
    });
    metricsServer = await startMetricsServer(settings.metricsPort, metrics, {
      host: () => hostHealth(settings.home),
      contracts: () => contractsHealth(client, deployment),
      chain: () => chainHealth(connection.urls),
      keys: () => keyWatch.check(),
      keeper: () => runningKeeper.health(),
    });
    const { targets } = await registerStack({
      client,
      owner: ownerWallet,
      supervisorKey,
      deployment,
      components: [...stack, ...configuredComponents(hostConfig.components)],
      send: { ...send, log },
    });
    const keysComponent = targets.find((target) => target.name === "host keys");
    if (keysComponent) keyWatch.setComponent(keysComponent.id);
    prober = startProber({ client, wallet: supervisorWallet, registry: deployment.registry, metrics, log, ...send });
    const controlled: ControlledComponent[] = targets.map((target, index) => ({
      id: target.id,
      name: target.name,
      stack: index < stack.length,
      config: index < stack.length ? undefined : hostConfig.components[index - stack.length],
      target,
    }));
    // The command center: the built app plus the deployment it talks to, as /config.json.
    await options.webBuilt;
    web = await startWebServer({
      port: settings.webPort,
      config: {
        chainId: deployment.chainId,
        chainName: profile.name,
        rpcUrl: connection.urls[0]!,
        explorerUrl: profile.explorerUrl,
        indexerUrl: running.url,
        notifierUrl: notifier.url,
        assistantUrl: assistant.url,
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
    await running.waitForBlock(await client.getBlockNumber());
    executor = startExecutor({
      client,
      wallet: supervisorWallet,
      registry: deployment.registry,
      indexerUrl: running.url,
      home: settings.home,
      components: controlled,
      processes,
      prober,
      configFile: hostConfig.file,
      log,
      ...send,
    });
    log(`  guardian ${guardian.url}  (/health, /metrics)`);
    log(`  notifier ${notifier.url}  (/health, /metrics; journal in ${relative(repoRoot, join(settings.home, "notifier")) || "notifier"})`);
    log(`  assistant ${assistant.url}  (${process.env.GEMINI_API_KEY ? "Gemini" : "no GEMINI_API_KEY: the chat panel says so"})`);
    log(`  web      ${web.url}  (the command center)`);
    log(`  metrics  ${metricsUrl}/metrics  (supervisor)`);
    log(`sovr: supervising ${targets.map((target) => target.name).join(", ")}; press Ctrl-C to stop.`);
    const indexerService = running.service;
    void indexerService.exited.then(({ code, signal }) => {
      if (stopping) return;
      process.stderr.write(`sovr: the indexer exited unexpectedly (${code ?? signal}): ${lastLine(indexerService.output(), /error/i)}\n`);
      void stop(1);
    });
  } catch (error) {
    // A Ctrl-C while starting fails the step it interrupted (the indexer it stopped, say): that stop
    // is already under way and ends with its own line and exit status.
    if (stopping) return;
    stopping = true;
    await stopEverything();
    throw error;
  }
}

function localOwnerWallet(connection: ChainConnection, owner: Address) {
  return createWalletClient({ chain: connection.chain, transport: connection.transport, account: owner });
}

/**
 * The deployment `sovr deploy` made on the attached chain, with code at every address; one line
 * naming the command when there is none.
 */
async function attachedDeployment(connection: ChainConnection, settings: UpSettings): Promise<SovrDeployment> {
  const deployment = readDeployment(connection.chainId, settings.deploymentId);
  const where = `${connection.profile.name} (chain ${connection.chainId})`;
  if (!deployment) {
    throw new UserError(
      `SOVR is not deployed on ${where}: run \`SOVR_RPC_URL=${connection.urls.map(displayUrl).join(",")} pnpm sovr deploy\` with the owner's key first`,
    );
  }
  const health = await contractsHealth(connection.client, deployment);
  if (!health.ok) {
    throw new UserError(
      `${where} has no code at the deployment's ${(health.missing as string[]).join(", ")} address; is SOVR_RPC_URL the chain it was deployed on?`,
    );
  }
  log(`sovr: found the deployment on ${where}: code at every address`);
  return deployment;
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

async function deployLocally(chain: LocalChain, connection: ChainConnection, settings: UpSettings, keys: Record<HostKeyName, HostKey>) {
  log("sovr: deploying the contracts with Ignition if needed...");
  // Ignition redraws its progress; print each step once.
  const shown = new Set<string>();
  const { deployment, redeployedAfterReset } = await ensureDeployed({
    rpcUrl: chain.url,
    client: connection.client,
    deploymentId: settings.deploymentId,
    guardian: keys.guardian.account.address,
    onLine: (line) => {
      if (!/^Executed |^\[ Sovr \]/.test(line) || shown.has(line)) return;
      shown.add(line);
      log(`  ${line}`);
    },
  });
  if (redeployedAfterReset)
    log("sovr: this chain is not the one the last deployment was for (reset or new): deployed the contracts afresh");
  return deployment;
}

/** Runs `sovr up`; a failure ends the process with its first line. */
export function runUp(options: UpOptions = {}): void {
  up(options).catch((error: unknown) => {
    const message = error instanceof UserError ? error.message : error instanceof Error ? error.message : String(error);
    process.stderr.write(`sovr: ${message.split("\n")[0]}\n`);
    process.exit(1);
  });
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) runUp();

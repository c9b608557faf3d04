import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { createPublicClient, http, type PublicClient } from "viem";
import { UserError } from "./env.ts";

/** How long Anvil may take to answer its first request. */
const RPC_READY_TIMEOUT_MS = 20_000;
/** How long Anvil may take to write its state and exit after SIGTERM. */
const STOP_TIMEOUT_MS = 15_000;

/** The native Anvil binary shipped in the npm package for this platform (no wrapper process in between). */
export function anvilBinary(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  const fromAnvil = createRequire(createRequire(import.meta.url).resolve("@foundry-rs/anvil/package.json"));
  const executable = process.platform === "win32" ? "anvil.exe" : "anvil";
  try {
    return join(dirname(fromAnvil.resolve(`@foundry-rs/anvil-${process.platform}-${arch}/package.json`)), "bin", executable);
  } catch {
    throw new UserError(`Anvil has no binary for ${process.platform}-${process.arch}; set SOVR_RPC_URL to another chain`);
  }
}

/** Fails with one clear line if something already listens on 127.0.0.1:`port`. */
export async function assertPortFree(port: number, what: string, envName: string): Promise<void> {
  await new Promise<void>((resolveFree, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new UserError(`port ${port} for the ${what} is already in use; set ${envName} to a free port`)
          : error,
      );
    });
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolveFree()));
  });
}

export type LocalChain = {
  url: string;
  client: PublicClient;
  process: ChildProcess;
  stateFile: string;
  /** SIGTERM, then wait for Anvil to write its state and exit. */
  stop(): Promise<void>;
};

export type LocalChainOptions = { port: number; stateDir: string; stateIntervalSeconds: number };

/**
 * Starts Anvil on 127.0.0.1 with its state in `stateDir/state.json`: loaded at start, written every
 * `stateIntervalSeconds` and on a clean exit. Anvil has cheat RPCs, so it never listens beyond loopback.
 */
export async function startLocalChain(options: LocalChainOptions): Promise<LocalChain> {
  await assertPortFree(options.port, "chain", "SOVR_CHAIN_PORT");
  mkdirSync(options.stateDir, { recursive: true });
  const stateFile = join(options.stateDir, "state.json");
  const child = spawn(
    anvilBinary(),
    [
      "--host", "127.0.0.1",
      "--port", String(options.port),
      "--state", stateFile,
      "--state-interval", String(options.stateIntervalSeconds),
      "--silent",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));

  const url = `http://127.0.0.1:${options.port}`;
  // No caching: deploy.ts compares block numbers before and after Ignition runs.
  const client = createPublicClient({ transport: http(url, { retryCount: 0 }), cacheTime: 0 });
  const deadline = Date.now() + RPC_READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      throw new UserError(`the chain stopped at start (exit ${child.exitCode}): ${lastLine(stderr) || "no output"}`);
    }
    try {
      await client.getChainId();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new UserError(`the chain did not answer on ${url} within ${RPC_READY_TIMEOUT_MS / 1000} s`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  return {
    url,
    client,
    process: child,
    stateFile,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

function lastLine(text: string): string {
  return text.trim().split("\n").at(-1)?.trim() ?? "";
}

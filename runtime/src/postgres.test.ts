/** The embedded Postgres: starts from npm's binaries, keeps its data and password across restarts, loopback only. */
import { chmodSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "./ports.ts";
import { startEmbeddedPostgres } from "./postgres.ts";

const home = mkdtempSync(join(tmpdir(), "sovr-postgres-"));
// mkdtemp makes a 0700 folder; as root the server runs as user postgres and must pass through it.
chmodSync(home, 0o711);
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("startEmbeddedPostgres", () => {
  it("initialises once, keeps rows and its generated password across a restart, and listens on 127.0.0.1 only", async () => {
    const dir = join(home, "postgres");
    const first = await startEmbeddedPostgres({ dir, port: await freePort() });
    expect(first.url).toMatch(/^postgres:\/\/sovr:[\w-]{32}@127\.0\.0\.1:\d+\/sovr$/);
    expect(statSync(join(dir, "password")).mode & 0o077).toBe(0);
    const client = new pg.Client({ connectionString: first.url });
    await client.connect();
    await client.query("CREATE TABLE kept (n int)");
    await client.query("INSERT INTO kept VALUES (42)");
    const listen = await client.query("SHOW listen_addresses");
    expect(listen.rows[0]).toEqual({ listen_addresses: "127.0.0.1" });
    await client.end();
    await first.stop();

    const second = await startEmbeddedPostgres({ dir, port: await freePort() });
    expect(second.url.split("@")[0]).toBe(first.url.split("@")[0]);
    const again = new pg.Client({ connectionString: second.url });
    await again.connect();
    expect((await again.query("SELECT n FROM kept")).rows).toEqual([{ n: 42 }]);
    await again.end();
    await second.stop();
  });
});

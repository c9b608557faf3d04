import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findConfigFile, loadHostConfig } from "./config.ts";

const dir = mkdtempSync(join(tmpdir(), "sovr-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

const api = {
  name: "api",
  kind: "CORE_BACKEND",
  start: { command: "node", args: ["server.js"] },
  health: { type: "http", url: "http://127.0.0.1:7001/health", jsonPath: "status", equals: "ok" },
};

describe("host configuration", () => {
  it("fills documented defaults", async () => {
    const config = await loadHostConfig(write("defaults.json", { components: [api] }));
    expect(config.components[0]).toMatchObject({
      critical: false,
      intervalSeconds: 15,
      failuresUntilOffline: 3,
      restart: "on-failure",
      stopTimeoutSeconds: 10,
      start: { command: "node", args: ["server.js"], env: {} },
      health: { type: "http", expectStatus: 200, timeoutMs: 5000 },
    });
  });

  it("loads a TypeScript config's default export", async () => {
    const file = write(
      "sovr.config.ts",
      `export default ${JSON.stringify({ components: [{ ...api, health: { type: "tcp", port: 7001 } }] })};`,
    );
    const config = await loadHostConfig(file);
    expect(config.components[0]?.health).toEqual({ type: "tcp", host: "127.0.0.1", port: 7001, timeoutMs: 5000 });
  });

  it("names the file, the field and the reason for every kind of mistake", async () => {
    const cases: [unknown, string][] = [
      [{ components: [{ ...api, colour: "red" }] }, 'bad.json: components[0]: unknown field "colour"'],
      [
        { components: [{ ...api, health: { type: "http", url: "ftp://host/x" } }] },
        "bad.json: components[0].health.url: must be an http(s) URL",
      ],
      [{ components: [{ ...api, start: { command: "" } }] }, "bad.json: components[0].start.command: must name a program"],
      [
        { components: [{ ...api, start: { args: [] } }] },
        "bad.json: components[0].start.command: Invalid input: expected string, received undefined",
      ],
      [{ components: [{ ...api, kind: "TOASTER" }] }, "bad.json: components[0].kind: Invalid option"],
      [{ components: [api, api] }, 'bad.json: components[1].name: duplicate component name "api"'],
      [
        { components: [{ ...api, health: { type: "smtp" } }] },
        "bad.json: components[0].health.type: Invalid discriminator value. Expected 'http' | 'tcp' | 'jsonrpc'",
      ],
      [{ services: [] }, 'bad.json: unknown field "services"'],
      [
        { notifications: { channels: { ops: { type: "slack", webhookUrl: "https://hooks.slack.com/services/T/B/X" } } } },
        'bad.json: notifications.channels.ops.webhookUrl: must come from the environment or the keystore, never the file: { "env": "NAME" } or { "keystore": "name" }',
      ],
      [
        { notifications: { channels: { ops: { type: "slack", webhookUrl: { env: "SLACK" } } }, routes: [{ channels: ["pager"] }] } },
        'bad.json: notifications.routes[0].channels[0]: no channel is named "pager" (channels: ops)',
      ],
    ];
    for (const [content, message] of cases) {
      await expect(loadHostConfig(write("bad.json", content))).rejects.toThrow(message);
    }
    await expect(loadHostConfig(write("broken.json", "{ components: "))).rejects.toThrow(/^broken\.json: not valid JSON/);
  });

  it("finds SOVR_CONFIG first, then sovr.config.ts, then sovr.config.json; none means no components", async () => {
    const empty = mkdtempSync(join(tmpdir(), "sovr-config-none-"));
    try {
      expect(findConfigFile(empty, {})).toBeUndefined();
      expect((await loadHostConfig(undefined)).components).toEqual([]);
      writeFileSync(join(empty, "sovr.config.json"), "{}");
      expect(findConfigFile(empty, {})).toBe(join(empty, "sovr.config.json"));
      writeFileSync(join(empty, "sovr.config.ts"), "export default {};");
      expect(findConfigFile(empty, {})).toBe(join(empty, "sovr.config.ts"));
      expect(findConfigFile(empty, { SOVR_CONFIG: "sovr.config.json" })).toBe(join(empty, "sovr.config.json"));
      expect(() => findConfigFile(empty, { SOVR_CONFIG: "missing.json" })).toThrow(
        /SOVR_CONFIG names .*missing\.json, which does not exist/,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

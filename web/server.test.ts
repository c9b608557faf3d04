import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startWebServer, type WebConfig } from "./server.ts";

const config: WebConfig = {
  chainId: 31337,
  chainName: "SOVR local chain",
  rpcUrl: "http://127.0.0.1:8545",
  indexerUrl: "http://127.0.0.1:42069",
  owner: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  contracts: {
    ledger: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    credit: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    token: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
    relay: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
    registry: "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9",
    guardian: "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707",
    directory: "0x0165878A594ca255338adfa4d48449f69242Eb8F",
    invoices: "0xa513E6E4b8f2a923D98304ec87F64353C4D5C853",
    orders: "0x2279B7A0a67DB372996a5FaB50D91eAA73d2eBe6",
    commitments: "0x8A791620dd6260079BF849Dc5567aDC3F2FdC318",
  },
  hostKeys: { supervisor: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", guardian: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" },
  components: { stack: [1, 2, 3], controllable: [8] },
};

const dist = mkdtempSync(join(tmpdir(), "sovr-web-dist-"));
mkdirSync(join(dist, "assets"));
writeFileSync(join(dist, "index.html"), "<!doctype html><div id=root></div>");
writeFileSync(join(dist, "assets", "index-abc.js"), "console.log(1)");
afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe("the command center's web server", () => {
  it("serves config.json from the deployment, the app's files, and index.html for the app's routes", async () => {
    const server = await startWebServer({
      port: 0,
      distDir: dist,
      config: { ...config, contracts: { ...config.contracts, startBlock: 3 } as never },
    });
    try {
      const configResponse = await fetch(`${server.url}/config.json`);
      expect(configResponse.headers.get("cache-control")).toBe("no-store");
      // Only the declared fields reach the page.
      expect(await configResponse.json()).toEqual(config);

      const asset = await fetch(`${server.url}/assets/index-abc.js`);
      expect(asset.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
      expect(asset.headers.get("cache-control")).toContain("immutable");
      expect(await asset.text()).toBe("console.log(1)");

      const route = await fetch(`${server.url}/ledger`);
      expect(route.status).toBe(200);
      expect(await route.text()).toContain("<div id=root>");

      expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
      expect((await fetch(`${server.url}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
      expect((await fetch(`${server.url}/config.json`, { method: "POST" })).status).toBe(405);
    } finally {
      await server.close();
    }
  });

  it("says in one line that its port is taken, naming SOVR_WEB_PORT", async () => {
    // A port something else holds: whatever the kernel gave the blocker.
    const blocker = createServer();
    await new Promise<void>((resolveListen) => blocker.listen({ port: 0, host: "127.0.0.1" }, () => resolveListen()));
    const port = (blocker.address() as AddressInfo).port;
    try {
      await expect(startWebServer({ port, distDir: dist, config })).rejects.toThrow(
        `port ${port} for the web app is already in use; set SOVR_WEB_PORT to a free port`,
      );
    } finally {
      blocker.close();
    }
  });

  it("still answers config.json when the app is not built, and says how to build it", async () => {
    const server = await startWebServer({ port: 0, distDir: join(dist, "nothing-here"), config });
    try {
      expect((await fetch(`${server.url}/config.json`)).status).toBe(200);
      const page = await fetch(`${server.url}/`);
      expect(page.status).toBe(503);
      expect(await page.text()).toContain("pnpm --filter @sovr/web build");
    } finally {
      await server.close();
    }
  });
});

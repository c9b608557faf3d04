/**
 * The command center's own small web server, run by `sovr up`: the built app (`web/dist`) with a
 * fallback to `index.html` for the app's routes, and `GET /config.json` from the deployment it runs in.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { WebConfig } from "./src/config.ts";

export type { WebConfig } from "./src/config.ts";

export type WebServer = { url: string; close(): Promise<void> };

const DEFAULT_DIST = join(dirname(fileURLToPath(import.meta.url)), "dist");

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json",
};

export async function startWebServer(options: { port: number; host?: string; distDir?: string; config: WebConfig }): Promise<WebServer> {
  const host = options.host ?? "127.0.0.1";
  const distDir = options.distDir ?? DEFAULT_DIST;
  const configBody = JSON.stringify(publicConfig(options.config));

  const server = createServer((request, response) => {
    try {
      handle(request, response, distDir, configBody);
    } catch (error) {
      response.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end(`${(error as Error).message}\n`);
    }
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`port ${options.port} for the web app is already in use; set SOVR_WEB_PORT to a free port`)
          : error,
      );
    });
    server.listen(options.port, host, () => resolveListen());
  });
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        // Live pages keep connections open; closing them lets the server stop now.
        server.closeAllConnections();
      }),
  };
}

/** Only the declared fields: callers may pass a richer deployment record, which the page need not see. */
function publicConfig(config: WebConfig): WebConfig {
  const { ledger, credit, token, relay, registry, guardian, directory, maintenance, invoices, orders, commitments } = config.contracts;
  return {
    chainId: config.chainId,
    chainName: config.chainName,
    rpcUrl: config.rpcUrl,
    ...(config.explorerUrl ? { explorerUrl: config.explorerUrl } : {}),
    indexerUrl: config.indexerUrl,
    ...(config.notifierUrl ? { notifierUrl: config.notifierUrl } : {}),
    ...(config.assistantUrl ? { assistantUrl: config.assistantUrl } : {}),
    owner: config.owner,
    contracts: {
      ledger,
      credit,
      token,
      relay,
      registry,
      guardian,
      directory,
      invoices,
      orders,
      commitments,
      ...(maintenance ? { maintenance } : {}),
    },
    hostKeys: config.hostKeys,
    components: config.components,
  };
}

function handle(request: IncomingMessage, response: ServerResponse, distDir: string, configBody: string): void {
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD" }).end();
    return;
  }
  const path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
  if (path === "/config.json") {
    // Never cached: a redeployment changes the addresses behind the same URL.
    response.writeHead(200, { "content-type": CONTENT_TYPES[".json"], "cache-control": "no-store" }).end(configBody);
    return;
  }
  const file = normalize(join(distDir, path));
  if (!file.startsWith(distDir + sep) && file !== distDir) {
    response.writeHead(404).end();
    return;
  }
  if (existsSync(file) && statSync(file).isFile()) {
    // Vite puts a content hash in every asset name, so assets never change under their URL.
    const cache = path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
    sendFile(response, file, cache);
    return;
  }
  // A missing asset is a 404; any other path is one of the app's routes.
  if (extname(path) !== "") {
    response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
    return;
  }
  const index = join(distDir, "index.html");
  if (!existsSync(index)) {
    response
      .writeHead(503, { "content-type": "text/plain; charset=utf-8" })
      .end("The command center is not built: run `pnpm --filter @sovr/web build` (pnpm start does it).\n");
    return;
  }
  sendFile(response, index, "no-cache");
}

function sendFile(response: ServerResponse, file: string, cacheControl: string): void {
  response.writeHead(200, {
    "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
    "content-length": statSync(file).size,
    "cache-control": cacheControl,
  });
  createReadStream(file).pipe(response);
}

import type { Server } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import { UserError } from "./errors.ts";

/** A port nothing listens on right now (the kernel's pick), for tests and benches. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1" }, () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Fails with one line naming the setting if something already listens on 127.0.0.1:`port`. */
export function assertPortFree(port: number, what: string, setting: string): Promise<void> {
  return new Promise((resolveFree, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new UserError(`port ${port} for the ${what} is already in use; set ${setting} to a free port`)
          : error,
      );
    });
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolveFree()));
  });
}

export type ListeningServer = { url: string; close(): Promise<void> };

/**
 * Serves `server` on 127.0.0.1:`port`; a taken port fails with one line naming the setting. Closing ends
 * open connections too (live clients and keep-alive would otherwise hold the stop).
 */
export async function listenOnLoopback(server: Server, port: number, what: string, setting: string): Promise<ListeningServer> {
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new UserError(`port ${port} for the ${what} is already in use; set ${setting} to a free port`)
          : error,
      ),
    );
    server.listen(port, "127.0.0.1", resolveListen);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

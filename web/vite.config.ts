import { realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = dirname(fileURLToPath(import.meta.url));
// The indexer's schema file imports `ponder`, whose entry pulls in the whole server. The browser needs
// only the table builders, which live in Ponder's drizzle module (its `exports` map hides the path).
const ponderRoot = realpathSync(join(dirname(fileURLToPath(import.meta.resolve("ponder"))), "..", ".."));
const ponderDrizzle = join(ponderRoot, "dist", "esm", "drizzle", "onchain.js");
// Ponder's own copy of drizzle, the one @ponder/client shares: one copy of its classes in the bundle.
const drizzlePgCore = join(ponderRoot, "..", "drizzle-orm", "pg-core", "index.js");

export default defineConfig({
  root: here,
  plugins: [react(), tailwindcss()],
  resolve: {
    // @sovr/contracts' viem is another peer variant of the same version; one copy keeps the bundle
    // small and `instanceof` on viem's errors true.
    dedupe: ["viem"],
    alias: [
      { find: /^ponder$/, replacement: join(here, "src", "live", "ponder-browser.ts") },
      { find: /^ponder-onchain$/, replacement: ponderDrizzle },
      { find: /^ponder-pg-core$/, replacement: drizzlePgCore },
    ],
  },
  build: {
    outDir: join(here, "dist"),
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 700,
  },
});

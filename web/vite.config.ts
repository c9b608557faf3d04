import { realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

const here = dirname(fileURLToPath(import.meta.url));
// The indexer's schema file imports `ponder`, whose entry pulls in the whole server. The browser needs
// only the table builders, which live in Ponder's drizzle module (its `exports` map hides the path).
const ponderRoot = realpathSync(join(dirname(fileURLToPath(import.meta.resolve("ponder"))), "..", ".."));
const ponderDrizzle = join(ponderRoot, "dist", "esm", "drizzle", "onchain.js");
// Ponder's own copy of drizzle, the one @ponder/client shares: one copy of its classes in the bundle.
const drizzlePgCore = join(ponderRoot, "..", "drizzle-orm", "pg-core", "index.js");

export default defineConfig({
  root: here,
  plugins: [
    react(),
    tailwindcss(),
    // Installable (manifest, icons) with an offline shell: the service worker precaches the built app and
    // serves index.html for every route offline; data still comes live from the indexer and the chain.
    VitePWA({
      registerType: "autoUpdate",
      // A small script tag beside the entry, so registering costs the initial bundle nothing.
      injectRegister: "script-defer",
      includeAssets: ["apple-touch-icon.png"],
      manifest: {
        name: "SOVR Command Center",
        short_name: "SOVR",
        description: "Your money and your services in one place: ledger, credit, invoices and their pay pages.",
        start_url: "/",
        scope: "/",
        display: "standalone",
        background_color: "#111827",
        theme_color: "#111827",
        icons: [
          { src: "/icon-192.png", sizes: "192x192", type: "image/png" },
          { src: "/icon-512.png", sizes: "512x512", type: "image/png" },
          { src: "/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
      },
      workbox: {
        globPatterns: ["**/*.{js,css,html,png,svg}"],
        navigateFallback: "/index.html",
        // The deployment's addresses: from the network while there is one, the last copy offline.
        runtimeCaching: [{ urlPattern: ({ url }) => url.pathname === "/config.json", handler: "NetworkFirst" }],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      },
    }),
  ],
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

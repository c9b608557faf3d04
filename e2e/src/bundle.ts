/** What the command center's first load must fetch before anything shows. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** SPEC's budget for the first load's JavaScript. */
export const INITIAL_JS_BUDGET_KB = 250;

/** Gzipped size of the entry script and every module it preloads, read from the built index.html. */
export function initialGzipKb(distDir: string): { initialGzipKb: number; files: Record<string, number> } {
  const html = readFileSync(join(distDir, "index.html"), "utf8");
  const scripts = [
    ...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
  ].map((m) => m[1]!);
  const files: Record<string, number> = {};
  for (const src of new Set(scripts)) files[src] = gzipSync(readFileSync(join(distDir, src))).length / 1024;
  const total = Object.values(files).reduce((sum, kb) => sum + kb, 0);
  return {
    initialGzipKb: Number(total.toFixed(1)),
    files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Number(v.toFixed(1))])),
  };
}

/** Building the command center with web's own Vite, for `pnpm start`, the suites and the benchmark. */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const webDir = dirname(fileURLToPath(import.meta.url));
export const webDistDir = join(webDir, "dist");

/** Builds `web/dist`; throws with Vite's own words when the build fails. */
export function buildWeb(): void {
  const vite = join(webDir, "node_modules", ".bin", "vite");
  const build = spawnSync(process.execPath, [vite, "build", "--config", join(webDir, "vite.config.ts")], { cwd: webDir, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`the web build failed:\n${build.stderr || build.stdout}`);
}

/** Building the command center with web's own Vite, for `pnpm start`, the suites and the benchmark. */
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const webDir = dirname(fileURLToPath(import.meta.url));
export const webDistDir = join(webDir, "dist");

/** Builds `web/dist`; rejects with Vite's own words when the build fails. */
export async function buildWeb(): Promise<void> {
  const vite = join(webDir, "node_modules", ".bin", "vite");
  try {
    await promisify(execFile)(process.execPath, [vite, "build", "--config", join(webDir, "vite.config.ts")], {
      cwd: webDir,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`the web build failed:\n${stderr || stdout || message}`);
  }
}

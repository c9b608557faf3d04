/**
 * The Chromium the browser suites and the web benchmark drive (playwright-core never downloads one):
 * `SOVR_CHROMIUM`, or the first installed where Debian, Ubuntu and macOS put it.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

const KNOWN_PATHS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/snap/bin/chromium",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
];

/** How to install it, in one line, for the platform at hand. */
export const INSTALL_CHROMIUM =
  process.platform === "darwin"
    ? "brew install --cask chromium (or set SOVR_CHROMIUM to a Chromium or Chrome binary)"
    : "sudo apt-get install -y chromium (Debian; Ubuntu: chromium-browser), or set SOVR_CHROMIUM to its path";

/** The Chromium binary, or undefined when none is installed. */
export function chromiumPath(): string | undefined {
  const named = process.env.SOVR_CHROMIUM;
  if (named) return existsSync(named) ? named : undefined;
  return KNOWN_PATHS.find((path) => existsSync(path));
}

/** Headless, with what this kind of machine needs: no sandbox as root, no GPU, no calls home. */
export function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(`Chromium is not installed: ${INSTALL_CHROMIUM}`);
  return chromium.launch({ executablePath, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
}

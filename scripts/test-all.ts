/**
 * `pnpm test`: builds the contracts and their generated ABIs, then runs every check and suite and
 * ends with one line `N passed, N failed` summing them all. `--deep` runs the Solidity tests with the
 * deep profile (10,000+ invariant sequences).
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { chromiumPath, INSTALL_CHROMIUM } from "@sovr/e2e/browser";

type Outcome = { name: string; passed: number; failed: number; seconds: number };

const deep = process.argv.includes("--deep");
const root = process.cwd();
const resultsDir = join(root, ".test-results");
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
const bin = (tool: string) => join(root, "node_modules", ".bin", tool);

/** Runs a command with inherited output (and a copy kept for parsing); resolves with exit code and output. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const tee = (target: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString();
      target.write(chunk);
    };
    child.stdout.on("data", tee(process.stdout));
    child.stderr.on("data", tee(process.stderr));
    child.once("exit", (code) => resolveRun({ code: code ?? 1, output }));
  });
}

const strip = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");
const outcomes: Outcome[] = [];

async function check(name: string, command: string, args: string[]): Promise<boolean> {
  const started = Date.now();
  const { code } = await run(command, args);
  outcomes.push({ name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, seconds: (Date.now() - started) / 1000 });
  return code === 0;
}

async function main() {
  // The browser suites need a Chromium of the machine's own: say so now, not after minutes of building.
  if (!chromiumPath()) {
    console.error(`pnpm test: Chromium is missing for the browser tests: ${INSTALL_CHROMIUM}`);
    process.exit(1);
  }
  // One build of the contracts (contracts/src) and of their tests (contracts/test), which the Solidity
  // tests below then run without compiling again.
  console.log("== build: contracts, Solidity tests and generated ABIs");
  if (!(await check("build (hardhat build)", process.execPath, [bin("hardhat"), "build"]))) return;
  if (!(await check("ABI generation", process.execPath, [join(root, "contracts", "scripts", "generate.ts")]))) return;

  // The browser tests drive the built command center as `sovr up` serves it.
  console.log("== build: web command center");
  if (
    !(await check("build (web)", process.execPath, [
      join(root, "web", "node_modules", ".bin", "vite"),
      "build",
      "--config",
      join(root, "web", "vite.config.ts"),
    ]))
  )
    return;

  console.log("== typecheck (tsc -b: every package against the declarations of those it references)");
  await check("typecheck", process.execPath, [bin("tsc"), "-b"]);

  console.log("== format and lint (Biome)");
  await check("biome", process.execPath, [bin("biome"), "ci", "."]);

  console.log("== solhint");
  await check("solhint", process.execPath, [bin("solhint"), "--max-warnings", "0", "contracts/src/**/*.sol", "contracts/test/**/*.sol"]);

  console.log(`== Solidity tests (unit, fuzz, invariant; profile ${deep ? "deep" : "default"})`);
  {
    const started = Date.now();
    const args = [bin("hardhat"), "test", "solidity", "--no-compile"];
    if (deep) args.push("--test-profile", "deep");
    const { code, output } = await run(process.execPath, args);
    const text = strip(output);
    const passed = Number(/(\d+) passing/.exec(text)?.[1] ?? 0);
    const failed = Number(/(\d+) failing/.exec(text)?.[1] ?? 0);
    outcomes.push({
      name: "Solidity tests",
      passed,
      failed: failed || (code !== 0 && passed === 0 ? 1 : failed),
      seconds: (Date.now() - started) / 1000,
    });
  }

  console.log("== TypeScript tests (vitest: integration with real Anvil chains and processes)");
  {
    const started = Date.now();
    const report = join(resultsDir, "vitest.json");
    const { code } = await run(process.execPath, [
      bin("vitest"),
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
    ]);
    let passed = 0;
    let failed = code === 0 ? 0 : 1;
    try {
      const json = JSON.parse(readFileSync(report, "utf8")) as { numPassedTests: number; numFailedTests: number };
      passed = json.numPassedTests;
      failed = json.numFailedTests || failed;
    } catch {
      // No report: the run itself failed; counted as one failure above.
    }
    outcomes.push({ name: "TypeScript tests", passed, failed, seconds: (Date.now() - started) / 1000 });
  }
}

await main();
console.log("\n== summary");
for (const o of outcomes)
  console.log(
    `  ${o.name.padEnd(44)} ${String(o.passed).padStart(5)} passed ${String(o.failed).padStart(4)} failed  ${o.seconds.toFixed(1)} s`,
  );
const passed = outcomes.reduce((sum, o) => sum + o.passed, 0);
const failed = outcomes.reduce((sum, o) => sum + o.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import hardhatToolboxViem from "@nomicfoundation/hardhat-toolbox-viem";
import { defineConfig } from "hardhat/config";
import type { SolidityHooks } from "hardhat/types/hooks";
import type { HardhatPlugin } from "hardhat/types/plugins";

const require = createRequire(import.meta.url);

/** The solc release the contracts are written for; the npm `solc` package ships it, so builds work offline. */
const SOLC_VERSION = "0.8.30";
/**
 * The one compiler configuration. `pnpm start`, the deployment (`hardhat run`), `pnpm test` and
 * `pnpm bench gas` all build with the default profile, so running one after another reuses the same
 * artifacts. The `production` profile (what `hardhat ignition deploy` uses unless told otherwise) is
 * the same configuration with none of Hardhat's production defaults: `isolated` would compile every
 * file on its own, sources shared by many roots once for each, and `toolVersionsInBuildInfo` would
 * change every build id, so either would rebuild everything when switching profiles.
 */
const solcCompiler = {
  version: SOLC_VERSION,
  path: require.resolve("solc/soljson.js"),
  settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "prague", viaIR: true },
};
/**
 * The ledger, the largest contract, which no other contract imports, compiles in a job of its own
 * (Hardhat gives each overridden root one), beside the job of the other contracts: solc is WebAssembly
 * here, one thread per job, so a first build takes 31-38 s instead of 45 s on two cores. Same settings,
 * so the same bytecode. The tests stay one job: one job per test, the split overrides give, compiles
 * the contracts each test deploys again and was slower.
 */
const ownJobs = { "contracts/src/SovrLedger.sol": solcCompiler };
const buildProfile = { compilers: [solcCompiler], overrides: ownJobs, isolated: false, toolVersionsInBuildInfo: false };

/** Hardhat runs one job per core but one, which on two cores is one job at a time: this runs one per core. */
const buildOnEveryCore: HardhatPlugin = {
  id: "sovr-build-on-every-core",
  hookHandlers: {
    solidity: async () => ({
      default: async (): Promise<Partial<SolidityHooks>> => ({
        build: (context, rootFilePaths, options, next) => next(context, rootFilePaths, { ...options, concurrency: availableParallelism() }),
      }),
    }),
  },
};

/**
 * Random sequences per invariant and their length; `pnpm test:deep` selects the deep profile.
 * contracts/test/SovrLedger.invariant.t.sol has one invariant function, so `runs` counts its sequences:
 * CI about 40 s, deep 10,000 sequences in about 25 min on 2 cores (no `timeout`: with one, EDR runs
 * until the timeout whatever `runs` says).
 */
const INVARIANT_CI = { runs: 256, depth: 100 };
const INVARIANT_DEEP = { runs: 10_000, depth: 100 };

export default defineConfig({
  plugins: [hardhatToolboxViem, buildOnEveryCore],
  solidity: {
    profiles: {
      default: buildProfile,
      production: buildProfile,
    },
    // Tests (contracts/test) compile apart from the contracts (contracts/src): `hardhat build --no-tests`
    // and `hardhat run` build the contracts only, and test artifacts stay out of contracts/artifacts
    // (they go to contracts/cache/test-artifacts).
    splitTestsCompilation: true,
  },
  paths: {
    sources: "contracts/src",
    tests: { solidity: "contracts/test", nodejs: "contracts/test-node" },
    artifacts: "contracts/artifacts",
    cache: "contracts/cache",
  },
  test: {
    solidity: {
      profiles: {
        default: { fuzz: { runs: 200 }, invariant: { ...INVARIANT_CI, failOnRevert: false } },
        deep: { fuzz: { runs: 200 }, invariant: { ...INVARIANT_DEEP, failOnRevert: false } },
      },
    },
  },
  networks: {
    // The local chain of `pnpm start` (its accounts are unlocked by Anvil).
    sovr: {
      type: "http",
      chainType: "l1",
      url: process.env.SOVR_RPC_URL ?? `http://127.0.0.1:${process.env.SOVR_CHAIN_PORT ?? "8545"}`,
    },
  },
});

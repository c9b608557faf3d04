import { createRequire } from "node:module";
import hardhatToolboxViem from "@nomicfoundation/hardhat-toolbox-viem";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

/** The solc release the contracts are written for; the npm `solc` package ships it, so builds work offline. */
const SOLC_VERSION = "0.8.30";
const solcCompiler = {
  version: SOLC_VERSION,
  path: require.resolve("solc/soljson.js"),
  settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "prague", viaIR: true },
};

/** Random sequences per invariant and their length; `pnpm test:deep` selects the deep profile. */
const INVARIANT_CI = { runs: 200, depth: 40 };
const INVARIANT_DEEP = { runs: 200, depth: 60 };

export default defineConfig({
  plugins: [hardhatToolboxViem],
  solidity: {
    profiles: {
      default: solcCompiler,
      production: solcCompiler,
    },
  },
  paths: {
    sources: "contracts/src",
    tests: { solidity: "contracts/src", nodejs: "contracts/test-node" },
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
    // Any other EVM chain: the deployer key comes from Hardhat's encrypted keystore (or the environment).
    public: {
      type: "http",
      chainType: "l1",
      url: configVariable("SOVR_RPC_URL"),
      accounts: [configVariable("SOVR_DEPLOYER_KEY")],
    },
  },
});

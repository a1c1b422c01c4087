import { createRequire } from "node:module";
import hardhatToolboxViem from "@nomicfoundation/hardhat-toolbox-viem";
import { configVariable, defineConfig } from "hardhat/config";

// Hardhat cannot download solc on machines without internet; use the WASM build that the
// pinned npm `solc` package ships, and take the version from that same package so they never disagree.
const require = createRequire(import.meta.url);
const SOLC = {
  version: (require("solc/package.json") as { version: string }).version,
  path: require.resolve("solc/soljson.js"),
};

// `npm run test:deep` sets SURGE_DEEP=1 for longer fuzz and invariant campaigns.
const DEEP = process.env.SURGE_DEEP === "1";

export default defineConfig({
  plugins: [hardhatToolboxViem],
  solidity: {
    profiles: {
      default: {
        ...SOLC,
        settings: { evmVersion: "cancun" },
      },
      production: {
        compilers: [{ ...SOLC, settings: { evmVersion: "cancun", optimizer: { enabled: true, runs: 1_000 } } }],
        overrides: {
          "contracts/game/SurgeReplayer.sol": {
            ...SOLC,
            settings: { evmVersion: "cancun", viaIR: true, optimizer: { enabled: true, runs: 1_000 } },
          },
        },
      },
    },
  },
  paths: {
    tests: { solidity: "./test/contracts", nodejs: "./test" },
  },
  test: {
    solidity: {
      // The Solidity tests read the shared vectors that the TypeScript tests also check.
      fsPermissions: { readFile: ["./test/vectors/sim-vectors.json"] },
      fuzz: { runs: DEEP ? 5_000 : 256 },
      invariant: { runs: DEEP ? 512 : 64, depth: DEEP ? 200 : 40, failOnRevert: false },
    },
  },
  networks: {
    hardhatMainnet: { type: "edr-simulated", chainType: "l1" },
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
    sepolia: {
      type: "http",
      chainType: "l1",
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("SEPOLIA_PRIVATE_KEY")],
    },
  },
  // `npx hardhat ignition verify <deployment id>` (hardhat-verify); the key from env or the Hardhat keystore.
  verify: { etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") } },
});

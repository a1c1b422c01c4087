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
// Symbiotic's core (tests and the devnet only: scripts/lib/symbiotic.ts deploys it locally) says
// `pragma solidity 0.8.25` exactly: a second compiler, npm `solc@0.8.25` installed as `solc-0.8.25`. Hardhat picks
// it for Symbiotic's files (and the OpenZeppelin 5.0.2 they import) and 0.8.37 for ours. The optimizer keeps
// Symbiotic's Vault under the 24 KB code-size limit, as Symbiotic's own build does.
const SOLC_SYMBIOTIC = {
  version: (require("solc-0.8.25/package.json") as { version: string }).version,
  path: require.resolve("solc-0.8.25/soljson.js"),
  settings: { evmVersion: "cancun", optimizer: { enabled: true, runs: 200 } },
};
/** Symbiotic's contracts that our local deployment needs; their imports come along. */
const SYMBIOTIC_CORE = "@symbioticfi/core/src/contracts";
const SYMBIOTIC_FILES = [
  "VaultFactory.sol",
  "DelegatorFactory.sol",
  "SlasherFactory.sol",
  "NetworkRegistry.sol",
  "OperatorRegistry.sol",
  "service/NetworkMiddlewareService.sol",
  "service/OptInService.sol",
  "vault/Vault.sol",
  "delegator/NetworkRestakeDelegator.sol",
  "slasher/Slasher.sol",
  "VaultConfigurator.sol",
].map((file) => `${SYMBIOTIC_CORE}/${file}`);

// `npm run test:deep` sets SURGE_DEEP=1 for longer fuzz and invariant campaigns.
const DEEP = process.env.SURGE_DEEP === "1";

export default defineConfig({
  plugins: [hardhatToolboxViem],
  solidity: {
    npmFilesToBuild: SYMBIOTIC_FILES,
    profiles: {
      default: {
        compilers: [{ ...SOLC, settings: { evmVersion: "cancun" } }, SOLC_SYMBIOTIC],
        overrides: {
          // Unoptimized, RewardSettlement's seven challenges and two claim paths pass EIP-170's 24,576 bytes (the
          // in-process chain enforces it, as mainnet does): tests and the devnet build it with the optimizer.
          "contracts/game/RewardSettlement.sol": {
            ...SOLC,
            settings: { evmVersion: "cancun", optimizer: { enabled: true, runs: 200 } },
          },
        },
      },
      production: {
        compilers: [
          { ...SOLC, settings: { evmVersion: "cancun", optimizer: { enabled: true, runs: 1_000 } } },
          SOLC_SYMBIOTIC,
        ],
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

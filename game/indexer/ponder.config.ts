/**
 * Ponder's configuration, built from the deployment file (lib/settings.ts: SURGE_INDEXER_DEPLOYMENT and friends,
 * set by scripts/indexer.ts). The ABIs are the generated ones the client and the workers use.
 * Database: Postgres when DATABASE_URL is set, else the embedded PGlite in SURGE_INDEXER_DB_DIR.
 */
import { createConfig } from "ponder";
import {
  goldTokenAbi,
  rewardSettlementAbi,
  runRegistryAbi,
  surgeVaultAbi,
  workerRegistryAbi,
} from "../chain/generated/abis.js";
import { settingsFromEnv } from "./lib/settings.js";
import { exitWithParent } from "./lib/watchdog.js";

const s = settingsFromEnv();
exitWithParent();
const { contracts, startBlock, chainId } = s.deployment;
/** A local chain (Hardhat, anvil) is thrown away and started again under the same id: never reuse its RPC cache. */
const local = chainId === 31337 || chainId === 1337;

export default createConfig({
  database: s.databaseUrl
    ? { kind: "postgres", connectionString: s.databaseUrl, poolConfig: { max: 10 } }
    : { kind: "pglite", directory: s.dbDir },
  chains: {
    surge: { id: chainId, rpc: s.rpc, pollingInterval: s.pollMs, disableCache: local },
  },
  contracts: {
    RunRegistry: { chain: "surge", abi: runRegistryAbi, address: contracts.runRegistry, startBlock },
    RewardSettlement: { chain: "surge", abi: rewardSettlementAbi, address: contracts.settlement, startBlock },
    WorkerRegistry: { chain: "surge", abi: workerRegistryAbi, address: contracts.workerRegistry, startBlock },
    SurgeVault: { chain: "surge", abi: surgeVaultAbi, address: contracts.vault, startBlock },
    GoldToken: { chain: "surge", abi: goldTokenAbi, address: contracts.gold, startBlock },
  },
});

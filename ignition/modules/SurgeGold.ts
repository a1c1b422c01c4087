/**
 * Hardhat Ignition module for the whole Surge Gold system, every role wired:
 *
 *   SymbioticStrategy over an existing Symbiotic vault (`symbioticVault`, whose collateral is `weth`), bound to
 *   SurgeVault (sgETH, with its three linked libraries) over WETH, routing into the strategy
 *   RunRegistry (runs, seeds, session keys, stakes) ─ WorkerRegistry (sgETH bonds) ─ SurgeReplayer
 *   RewardSettlement (deploys GoldToken, the only minter) ─ WorkerRegistry.bindSettlement(settlement)
 *
 * Every number is a module parameter (ignition/parameters/<network>.json overrides the defaults below, which are
 * the development values `npm start` uses). Roles: `admin`, `guardian`, `oracle` and `treasury` default to the
 * deploying account; on a real network pass distinct addresses (a multisig for admin).
 *
 * The module deploys only our contracts. `weth` and `symbioticVault` have no default: on a real network they are
 * Symbiotic's deployment (ignition/parameters/<network>.json, filled in by the operator; scripts/lib/deploy.ts
 * refuses them empty); on a local chain scripts/lib/deploy.ts first deploys Symbiotic's own contracts
 * (scripts/lib/symbiotic.ts) and passes their addresses.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

const ETHER = 10n ** 18n;
const SGETH = 10n ** 21n;

export default buildModule("SurgeGold", (m) => {
  const deployer = m.getAccount(0);
  const admin = m.getParameter("admin", deployer);
  const guardian = m.getParameter("guardian", deployer);
  const oracle = m.getParameter("oracle", deployer);
  const treasury = m.getParameter("treasury", deployer);

  // ---- the asset and the restaking strategy over an existing Symbiotic vault
  const weth = m.contractAt("IWETH9", m.getParameter<string>("weth"));
  const strategy = m.contract("SymbioticStrategy", [m.getParameter<string>("symbioticVault")]);

  // ---- the vault (sgETH)
  const libraries = {
    VaultParametersLib: m.library("VaultParametersLib"),
    VaultLiquidityLib: m.library("VaultLiquidityLib"),
    WithdrawalQueueLib: m.library("WithdrawalQueueLib"),
  };
  const vaultParameters = {
    treasury,
    depositCap: m.getParameter("depositCap", 10_000n * ETHER),
    bufferTargetBps: m.getParameter("bufferTargetBps", 1_000n),
    bufferMaxBps: m.getParameter("bufferMaxBps", 1_500n),
    protocolFeeBps: m.getParameter("protocolFeeBps", 1_000n),
    instantExitFeeBps: m.getParameter("instantExitFeeBps", 50n),
    instantExitDailyLimit: m.getParameter("instantExitDailyLimit", 100n * ETHER),
    withdrawalDelayBlocks: m.getParameter("withdrawalDelayBlocks", 30n),
    minReportInterval: m.getParameter("minReportInterval", 3_600n),
    maxReportIncreaseBps: m.getParameter("maxReportIncreaseBps", 50n),
  };
  const vault = m.contract("SurgeVault", [weth, strategy, admin, guardian, oracle, vaultParameters], { libraries });
  // The deployer binds the strategy to the vault, once: from then on only the vault can move its position.
  m.call(strategy, "bindStaker", [vault]);

  // ---- runs, workers, settlement
  const runs = m.contract("RunRegistry", [
    vault,
    m.getParameter("genesisBlock", 0n),
    m.getParameter("epochBlocks", 5n),
    m.getParameter("submitWindow", 240n),
    m.getParameter("minLockBlocks", 30n),
    m.getParameter("boostFullStake", 10n * SGETH),
  ]);
  const workers = m.contract("WorkerRegistry", [
    vault,
    m.getParameter("minBond", SGETH),
    m.getParameter("unbondingDelay", 60n),
  ]);
  const replayer = m.contract("SurgeReplayer");
  const settlementConfig = {
    epochCap: m.getParameter("epochCap", 1_000_000n * ETHER),
    attesterBps: m.getParameter("attesterBps", 500n),
    quorumBps: m.getParameter("quorumBps", 6_666n),
    challengeWindow: m.getParameter("challengeWindow", 3n),
    fallbackDelay: m.getParameter("fallbackDelay", 30n),
    slashBps: m.getParameter("slashBps", 5_000n),
    challengerBps: m.getParameter("challengerBps", 5_000n),
  };
  const settlement = m.contract("RewardSettlement", [runs, workers, replayer, settlementConfig]);
  m.call(workers, "bindSettlement", [settlement]);
  const gold = m.contractAt("GoldToken", m.staticCall(settlement, "gold"));

  return { weth, strategy, vault, runs, workers, replayer, settlement, gold };
});

/**
 * The Ignition module deploys the whole system with every role wired, with the devnet defaults and with each
 * network's parameters file (ignition/parameters/*.json): the contracts accept the numbers, and they hold them.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress } from "viem";
import { ROOT, SYMBIOTIC_PARAMETERS, deploySurgeGold, type ModuleParameters } from "../../scripts/lib/deploy.js";
import { deploySymbiotic } from "../../scripts/lib/symbiotic.js";

const connection = await network.create();
const { viem, networkHelpers } = connection;

const files = readdirSync(join(ROOT, "ignition", "parameters")).filter((f) => f.endsWith(".json"));

async function deployWith(parameters: ModuleParameters) {
  const d = await deploySurgeGold(connection, { network: "test", parameters });
  const [deployer] = await viem.getWalletClients();
  const settlement = await viem.getContractAt("RewardSettlement", d.contracts.settlement);
  const workers = await viem.getContractAt("WorkerRegistry", d.contracts.workerRegistry);
  const runs = await viem.getContractAt("RunRegistry", d.contracts.runRegistry);
  const vault = await viem.getContractAt("SurgeVault", d.contracts.vault);
  const gold = await viem.getContractAt("GoldToken", d.contracts.gold);
  // Wiring: the settlement is bound to the worker registry, mints GOLD, reads runs, replays with the replayer.
  assert.equal(getAddress(await workers.read.settlement()), d.contracts.settlement);
  assert.equal(getAddress(await gold.read.minter()), d.contracts.settlement);
  assert.equal(getAddress(await settlement.read.runs()), d.contracts.runRegistry);
  assert.equal(getAddress(await settlement.read.workers()), d.contracts.workerRegistry);
  assert.equal(getAddress(await settlement.read.replayer()), d.contracts.replayer);
  assert.equal(getAddress(await settlement.read.gold()), d.contracts.gold);
  assert.equal(getAddress(await runs.read.vault()), d.contracts.vault);
  assert.equal(getAddress(await workers.read.shareToken()), d.contracts.vault);
  assert.equal(getAddress(await vault.read.asset()), d.contracts.weth);
  assert.equal(getAddress(await vault.read.strategy()), d.contracts.restakingLayer);
  // The strategy restakes into the Symbiotic vault over the same WETH, and serves only this vault.
  const strategy = await viem.getContractAt("SymbioticStrategy", d.contracts.restakingLayer);
  assert.equal(getAddress(await strategy.read.staker()), d.contracts.vault);
  assert.equal(getAddress(await strategy.read.underlying()), d.contracts.weth);
  const symbiotic = await viem.getContractAt("Vault", await strategy.read.symbioticVault());
  assert.equal(getAddress(await symbiotic.read.collateral()), d.contracts.weth);
  // Roles default to the deployer.
  for (const role of ["DEFAULT_ADMIN_ROLE", "GUARDIAN_ROLE", "ORACLE_ROLE"] as const) {
    assert.equal(await vault.read.hasRole([await vault.read[role](), deployer!.account.address]), true, role);
  }
  return { d, settlement, workers, runs, vault };
}

describe("Ignition module SurgeGold", () => {
  it("deploys with the devnet defaults, every role wired", async () => {
    const { settlement, runs } = await deployWith({});
    assert.equal(await runs.read.epochBlocks(), 5n);
    assert.equal((await settlement.read.config()).challengeWindow, 3n);
  });

  it("takes an existing Symbiotic vault and its WETH as parameters, and refuses them empty or missing", async () => {
    const symbiotic = await deploySymbiotic(viem, { epochDuration: 3_600 });
    const { d } = await deployWith({ weth: symbiotic.weth, symbioticVault: symbiotic.vault.address });
    assert.equal(d.contracts.weth, getAddress(symbiotic.weth));
    await assert.rejects(deployWith({ weth: symbiotic.weth, symbioticVault: "" }), /"symbioticVault" is empty: fill in/);
    await assert.rejects(deployWith({ weth: symbiotic.weth }), /missing parameter "symbioticVault"/);
    // A vault over another collateral is refused by SurgeVault itself (StrategyAssetMismatch).
    const other = await viem.deployContract("MockWETH");
    await assert.rejects(deployWith({ weth: other.address, symbioticVault: symbiotic.vault.address }));
  });

  for (const file of files) {
    it(`deploys with ignition/parameters/${file} (Symbiotic's addresses filled in), and the contracts hold its numbers`, async () => {
      await networkHelpers.mine(1);
      const parameters = (JSON.parse(readFileSync(join(ROOT, "ignition", "parameters", file), "utf8")) as {
        SurgeGold: Record<string, string>;
      }).SurgeGold;
      const empty = SYMBIOTIC_PARAMETERS.filter((k) => parameters[k] === "");
      if (empty.length > 0) {
        // A public network's file leaves Symbiotic's addresses to the operator: refused as it is, then tried here
        // with a local Symbiotic deployment in their place.
        await assert.rejects(deployWith(parameters), /is empty: fill in/);
        const symbiotic = await deploySymbiotic(viem, { epochDuration: 3_600 });
        Object.assign(parameters, { weth: symbiotic.weth, symbioticVault: symbiotic.vault.address });
      }
      const { settlement, workers, runs, vault } = await deployWith(parameters);
      const config = await settlement.read.config();
      const vaultParams = await vault.read.parameters();
      const held: Record<string, bigint> = {
        epochBlocks: await runs.read.epochBlocks(),
        submitWindow: await runs.read.submitWindow(),
        minLockBlocks: await runs.read.minLockBlocks(),
        boostFullStake: await runs.read.boostFullStake(),
        minBond: await workers.read.minBond(),
        unbondingDelay: await workers.read.unbondingDelay(),
        ...Object.fromEntries(Object.entries(config).map(([k, v]) => [k, BigInt(v)])),
        ...Object.fromEntries(
          Object.entries(vaultParams)
            .filter(([, v]) => typeof v === "bigint")
            .map(([k, v]) => [k, v as bigint]),
        ),
      };
      for (const [k, v] of Object.entries(parameters)) {
        if (k in held) assert.equal(held[k], BigInt(v), `${file}: ${k}`);
      }
    });
  }
});

/**
 * Shared deployment for the SurgeVault tests: by default the vault (with its three linked libraries) restaking through
 * SymbioticStrategy into Symbiotic's own contracts (WETH, a Symbiotic vault, its delegator and slasher, a network and
 * an operator opted in); the local restaking layer only where a test needs a fault Symbiotic cannot produce. Roles
 * are on separate accounts. Import `connection` from here rather than connecting again, so that a
 * test file has one chain.
 */
import { network } from "hardhat";
import { parseEther, type Address, type Hash } from "viem";
import { deploySymbiotic } from "../../scripts/lib/symbiotic.js";

export const connection = await network.create();
export const { viem, networkHelpers } = connection;

/** Blocks a strategy withdrawal takes. */
export const STRATEGY_DELAY = 50n;
/** Blocks a vault withdrawal request takes (>= the strategy's). */
export const WITHDRAWAL_DELAY = 100n;
export const DAY = 86_400n;
/** One whole sgETH: 10 ** 21 base units (18 decimals of WETH plus the virtual-share offset of 3). */
export const SGETH = 10n ** 21n;
export const VIRTUAL_SHARES = 1_000n;

/** Mirrors ISurgeVaultTypes.Parameters. */
export interface Parameters {
  treasury: Address;
  depositCap: bigint;
  bufferTargetBps: bigint;
  bufferMaxBps: bigint;
  protocolFeeBps: bigint;
  instantExitFeeBps: bigint;
  instantExitDailyLimit: bigint;
  withdrawalDelayBlocks: bigint;
  minReportInterval: bigint;
  maxReportIncreaseBps: bigint;
}

export function defaultParameters(treasury: Address): Parameters {
  return {
    treasury,
    depositCap: parseEther("1000"),
    bufferTargetBps: 1_000n,
    bufferMaxBps: 1_500n,
    protocolFeeBps: 1_000n,
    instantExitFeeBps: 50n,
    instantExitDailyLimit: parseEther("10"),
    withdrawalDelayBlocks: WITHDRAWAL_DELAY,
    minReportInterval: DAY,
    maxReportIncreaseBps: 50n,
  };
}

/** Hardhat's viem helpers of a chain: this file's, or the gas benches' production-build chain. */
type Viem = typeof viem;

export async function deployLibraries(on: Viem = viem): Promise<Record<string, Address>> {
  return {
    VaultParametersLib: (await on.deployContract("VaultParametersLib")).address,
    VaultLiquidityLib: (await on.deployContract("VaultLiquidityLib")).address,
    WithdrawalQueueLib: (await on.deployContract("WithdrawalQueueLib")).address,
  };
}

/** The vault over Symbiotic's own contracts (see `deploySymbioticSystem`): what the suites use by default. */
export async function deploySystem() {
  return deploySymbioticSystem(viem);
}

/** The vault over the local layer, for the unit tests that need a fault Symbiotic cannot produce. */
export async function deployMockSystem() {
  return deploySystemOn(viem);
}

/** The test roles: admin, guardian, oracle, treasury and three stakers (then an operator and a network). */
async function roles(viem: Viem) {
  const wallets = await viem.getWalletClients();
  const [admin, guardian, oracle, treasury, alice, bob, carol, , operator, net] = wallets;
  if (!admin || !guardian || !oracle || !treasury || !alice || !bob || !carol || !operator || !net) {
    throw new Error("the test chain needs 10 accounts");
  }
  return { admin, guardian, oracle, treasury, alice, bob, carol, operator, net };
}

/** SurgeVault over `weth` and `strategy`, with the test roles and the default parameters. */
async function deployVault(viem: Viem, weth: Address, strategy: Address, r: Awaited<ReturnType<typeof roles>>) {
  const libraries = await deployLibraries(viem);
  const params = defaultParameters(r.treasury.account.address);
  const { admin, guardian, oracle } = r;
  const vault = await viem.deployContract(
    "SurgeVault",
    [weth, strategy, admin.account.address, guardian.account.address, oracle.account.address, params],
    { libraries },
  );
  return { vault, libraries, params };
}

/**
 * The vault over the local layer (MockRestakingLayer) on a chain's viem helpers: for the unit tests that need a fault
 * Symbiotic cannot produce (a withdrawal delay changed on demand), and for the settlement bench, which deploys the
 * vault only to bond workers (its strategy plays no part there).
 */
export async function deploySystemOn(viem: Viem) {
  const r = await roles(viem);
  const { admin, guardian, oracle, treasury, alice, bob, carol } = r;
  const publicClient = await viem.getPublicClient();
  const weth = await viem.deployContract("MockWETH");
  const layer = await viem.deployContract("MockRestakingLayer", [weth.address, STRATEGY_DELAY, admin.account.address]);
  const { vault, libraries, params } = await deployVault(viem, weth.address, layer.address, r);
  // A rewards funder: wraps ETH and approves the layer, so tests can add rewards in one call.
  await weth.write.deposit({ account: admin.account, value: parseEther("1000") });
  await weth.write.approve([layer.address, 2n ** 256n - 1n], { account: admin.account });
  return { weth, layer, vault, libraries, params, publicClient, admin, guardian, oracle, treasury, alice, bob, carol };
}

/** The vault over the local layer (MockRestakingLayer), for the tests that need a fault Symbiotic cannot produce. */
export type MockSystem = Awaited<ReturnType<typeof deploySystemOn>>;

/** Seconds of a Symbiotic epoch in the tests: a withdrawal waits for the end of the next epoch, at most two epochs,
 * the local layer's delay. */
export const EPOCH = Number(STRATEGY_DELAY) / 2;

/**
 * The vault over Symbiotic's own contracts (scripts/lib/symbiotic.ts): WETH, a Symbiotic vault with its delegator
 * and slasher, a network and an operator opted in, SymbioticStrategy bound to SurgeVault. Same roles as
 * `deploySystem`; `symbiotic.slash` slashes through Symbiotic's slasher, `symbiotic.reward` restakes rewards for the
 * strategy. The vault's parameters: the defaults.
 */
export async function deploySymbioticSystem(on: Viem = viem) {
  const r = await roles(on);
  const { admin, guardian, oracle, treasury, alice, bob, carol, operator, net } = r;
  const publicClient = await on.getPublicClient();
  const symbiotic = await deploySymbiotic(on, { epochDuration: EPOCH, deployer: admin, network: net, operator });
  const weth = await on.getContractAt("MockWETH", symbiotic.weth);
  const strategy = await on.deployContract("SymbioticStrategy", [symbiotic.vault.address], {
    client: { wallet: admin },
  });
  const { vault, libraries, params } = await deployVault(on, weth.address, strategy.address, r);
  await strategy.write.bindStaker([vault.address], { account: admin.account });
  // WETH for the tests that send some around (the admin's).
  await weth.write.deposit({ account: admin.account, value: parseEther("1000") });
  // `layer`: the strategy, under the name the local-layer suites use for it.
  const layer = strategy;
  return { weth, strategy, layer, symbiotic, vault, libraries, params, publicClient, admin, guardian, oracle, treasury, alice, bob, carol };
}

export type SymbioticSystem = Awaited<ReturnType<typeof deploySymbioticSystem>>;
/** The vault's suites run over Symbiotic's own contracts by default. */
export type System = SymbioticSystem;
/** Either deployment: what the helpers below need is common to both. */
export type AnySystem = SymbioticSystem | MockSystem;
export type Wallet = System["alice"];

export async function gasOf(system: AnySystem, hash: Promise<Hash> | Hash): Promise<bigint> {
  const receipt = await system.publicClient.waitForTransactionReceipt({ hash: await hash });
  return receipt.gasUsed;
}

export async function depositEth(system: AnySystem, who: Wallet, amount: bigint, minShares = 0n) {
  return system.vault.write.depositETH([who.account.address, minShares], { account: who.account, value: amount });
}

/** Adds `amount` WETH of rewards to the vault's restaking position: over Symbiotic, restaked into the Symbiotic vault
 * on the strategy's behalf; over the local layer, to all its stakers pro rata. */
export async function addRewards(system: AnySystem, amount: bigint) {
  if ("symbiotic" in system) return system.symbiotic.reward(system.strategy.address, amount);
  await system.layer.write.addRewards([amount], { account: system.admin.account });
}

/** Slashes `bps` of what can be slashed: over Symbiotic, through Symbiotic's slasher, `bps` of the vault's active
 * stake and next-epoch withdrawals (cut pro rata); over the local layer, `bps` of the pool. */
export async function slash(system: AnySystem, bps: bigint) {
  if ("symbiotic" in system) {
    const v = system.symbiotic.vault;
    const slashable = (await v.read.activeStake()) + (await v.read.withdrawals([(await v.read.currentEpoch()) + 1n]));
    return system.symbiotic.slash((slashable * bps) / 10_000n);
  }
  return system.layer.write.slash([bps], { account: system.admin.account });
}

/** Any gain the strategy shows (up to the per-report bound): the oracle's `maxGain` when it confirms everything. */
export const MAX_GAIN = 2n ** 256n - 1n;

/** Moves time past the report interval and has the oracle report, confirming a gain of at most `maxGain` (default:
 * any; the vault books the strategy's on-chain view, a loss in full, a gain within the per-report bound). */
export async function report(system: AnySystem, maxGain: bigint = MAX_GAIN) {
  await networkHelpers.time.increase(Number(system.params.minReportInterval));
  return system.vault.write.report([maxGain], { account: system.oracle.account });
}

/** Lets every locked gain vest: a report's gain (and an exit fee) reaches the rate over the report interval. */
export async function vest(system: { params: Parameters }) {
  await networkHelpers.time.increase(Number(system.params.minReportInterval));
}

export async function lastRequestId(system: AnySystem): Promise<bigint> {
  return (await system.vault.read.nextRequestId()) - 1n;
}

export async function liquidity(system: AnySystem) {
  const [buffer, inStrategy, queued, unstaking, free] = await system.vault.read.liquidity();
  return { buffer, inStrategy, queued, unstaking, free };
}

/** Alice 10 ETH, then Bob 2 ETH: Bob's deposit crosses the 15% buffer maximum, so 1.2 ETH stay in the buffer
 * and 10.8 ETH go to the strategy. Instant exits: 0.5% fee, 10 ETH a day. */
async function funded(): Promise<System> {
  return fund(await deploySymbioticSystem());
}

async function fundedMock(): Promise<MockSystem> {
  return fund(await deployMockSystem());
}

async function fund<S extends AnySystem>(s: S): Promise<S> {
  await depositEth(s, s.alice, parseEther("10"));
  await depositEth(s, s.bob, parseEther("2"));
  return s;
}

/** A fresh copy of the funded system over Symbiotic's own contracts (a Hardhat fixture snapshot). */
export async function fundedSystem(): Promise<System> {
  return networkHelpers.loadFixture(funded);
}

/** The same over the local layer, for a fault Symbiotic cannot produce (a withdrawal delay changed on demand). */
export async function fundedMockSystem(): Promise<MockSystem> {
  return networkHelpers.loadFixture(fundedMock);
}

/**
 * Bench module for SurgeVault (sgETH): gas of the user paths, read from transaction receipts.
 *
 * Deploys MockWETH, the local restaking layer and the vault (with its three linked libraries) on a fresh
 * in-process chain, then walks one staker through: first deposit (empty vault, routes 90% into the strategy),
 * second deposit (same staker, stays in the buffer), a deposit that crosses the buffer maximum and routes, a
 * withdrawal request and its claim (another staker's request is pending, so the escrow and queue are warm, as in
 * steady state; nobody rebalanced, so the claim books a loss itself: the direct path), the first request into an
 * empty queue, and an instant exit.
 *
 * Then the same vault over SymbioticStrategy and Symbiotic's own contracts (scripts/lib/symbiotic.ts), the keys
 * ending in `Symbiotic`: a second deposit (which reads the Symbiotic position to book a slash first), a routed
 * deposit (into Symbiotic), a rebalance that unstakes from Symbiotic, the rebalance that completes it after the
 * epoch (and finalizes the due requests: books any slash, fixes their payouts), the claim of a finalized request
 * (pays the fixed payout, reads nothing from Symbiotic), and a claim nobody finalized (books a slash itself).
 */
import type { NetworkConnection } from "hardhat/types/network";
import { parseEther, type Hash } from "viem";
import { productionNetwork } from "../lib/production-build.js";
import { deploySymbiotic } from "../lib/symbiotic.js";

const STRATEGY_DELAY_SECONDS = 50n;
const BLOCKS_WITHDRAWAL_DELAY = 100n;

export default {
  name: "vault",
  /**
   * On the production build (checked) by default; the vault's gas test passes the default-profile chain that
   * `hardhat test` builds (a fresh clone has no production build, and the targets hold for both).
   */
  async run(connection?: NetworkConnection): Promise<Record<string, number>> {
    const chain = connection ?? (await productionNetwork());
    return { ...(await runOnMock(chain)), ...(await runOnSymbiotic(chain)) };
  },
};

type Chain = Pick<NetworkConnection, "viem" | "networkHelpers">;

/** The vault's parameters in the benches (the defaults of the tests, with a large cap and daily limit). */
function parametersFor(treasury: `0x${string}`) {
  return {
    treasury,
    depositCap: parseEther("1000000"),
    bufferTargetBps: 1_000n,
    bufferMaxBps: 1_500n,
    protocolFeeBps: 1_000n,
    instantExitFeeBps: 50n,
    instantExitDailyLimit: parseEther("1000"),
    withdrawalDelayBlocks: BLOCKS_WITHDRAWAL_DELAY,
    minReportInterval: 86_400n,
    maxReportIncreaseBps: 50n,
  };
}

async function deployLibraries(viem: Chain["viem"]) {
  return {
    VaultParametersLib: (await viem.deployContract("VaultParametersLib")).address,
    VaultLiquidityLib: (await viem.deployContract("VaultLiquidityLib")).address,
    WithdrawalQueueLib: (await viem.deployContract("WithdrawalQueueLib")).address,
  };
}

async function gasMeter(viem: Chain["viem"]) {
  const publicClient = await viem.getPublicClient();
  return async (hash: Promise<Hash>): Promise<number> => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
    if (receipt.status !== "success") throw new Error("transaction reverted");
    return Number(receipt.gasUsed);
  };
}

async function runOnSymbiotic({ viem, networkHelpers }: Chain): Promise<Record<string, number>> {
  const [admin, alice, bob] = await viem.getWalletClients();
  if (admin === undefined || alice === undefined || bob === undefined) throw new Error("need 3 accounts");
  const epoch = 3_600;
  const symbiotic = await deploySymbiotic(viem, { epochDuration: epoch, deployer: admin });
  const strategy = await viem.deployContract("SymbioticStrategy", [symbiotic.vault.address]);
  const a = admin.account.address;
  const vault = await viem.deployContract("SurgeVault", [symbiotic.weth, strategy.address, a, a, a, parametersFor(a)], {
    libraries: await deployLibraries(viem),
  });
  await strategy.write.bindStaker([vault.address]);
  const gas = await gasMeter(viem);
  const asAlice = { account: alice.account };
  const oneSgEth = 10n ** BigInt(await vault.read.decimals());

  await gas(vault.write.depositETH([alice.account.address, 0n], { ...asAlice, value: parseEther("10") }));
  const depositEthGasSecond = await gas(
    vault.write.depositETH([alice.account.address, 0n], { ...asAlice, value: parseEther("0.5") }),
  );
  const depositEthGasRouted = await gas(
    vault.write.depositETH([alice.account.address, 0n], { ...asAlice, value: parseEther("1") }),
  );
  // Another staker's request is pending, so the escrow and the queue are warm, as in steady state.
  await gas(vault.write.depositETH([bob.account.address, 0n], { account: bob.account, value: parseEther("1") }));
  await gas(vault.write.requestWithdrawal([oneSgEth / 10n, 0n], { account: bob.account }));
  await gas(vault.write.requestWithdrawal([3n * oneSgEth, 0n], asAlice));
  const request = (await vault.read.nextRequestId()) - 1n;
  const rebalanceGas = await gas(vault.write.rebalance());
  await networkHelpers.time.increase(2 * epoch);
  await networkHelpers.mine(BLOCKS_WITHDRAWAL_DELAY);
  const rebalanceCompleteGas = await gas(vault.write.rebalance());
  const claimWithdrawalGas = await gas(vault.write.claimWithdrawal([request, alice.account.address, 0n], asAlice));
  // A request nobody finalized (no rebalance since its delay passed): its claim reads the Symbiotic position.
  await gas(vault.write.requestWithdrawal([oneSgEth / 10n, 0n], asAlice));
  const direct = (await vault.read.nextRequestId()) - 1n;
  await networkHelpers.mine(BLOCKS_WITHDRAWAL_DELAY);
  const claimDirectGas = await gas(vault.write.claimWithdrawal([direct, alice.account.address, 0n], asAlice));
  return {
    "vault.depositEthGasSecondSymbiotic": depositEthGasSecond,
    "vault.depositEthGasRoutedSymbiotic": depositEthGasRouted,
    "vault.rebalanceGasSymbiotic": rebalanceGas,
    "vault.rebalanceCompleteGasSymbiotic": rebalanceCompleteGas,
    "vault.claimWithdrawalGasSymbiotic": claimWithdrawalGas,
    "vault.claimWithdrawalGasSymbioticUnfinalized": claimDirectGas,
  };
}

async function runOnMock({ viem, networkHelpers }: Chain): Promise<Record<string, number>> {
  const [admin, alice, bob] = await viem.getWalletClients();
  if (admin === undefined || alice === undefined || bob === undefined) throw new Error("need 3 accounts");
  const weth = await viem.deployContract("MockWETH");
  const layer = await viem.deployContract("MockRestakingLayer", [weth.address, STRATEGY_DELAY_SECONDS, admin.account.address]);
  const a = admin.account.address;
  const vault = await viem.deployContract("SurgeVault", [weth.address, layer.address, a, a, a, parametersFor(a)], {
    libraries: await deployLibraries(viem),
  });
  const gas = await gasMeter(viem);
  const asAlice = { account: alice.account };
  const asBob = { account: bob.account };

  const depositEthGasFirst = await gas(
    vault.write.depositETH([alice.account.address, 0n], { ...asAlice, value: parseEther("10") }),
  );
  const depositEthGasSecond = await gas(
    vault.write.depositETH([alice.account.address, 0n], { ...asAlice, value: parseEther("0.5") }),
  );
  const depositEthGasRouted = await gas(
    vault.write.depositETH([alice.account.address, 0n], { ...asAlice, value: parseEther("1") }),
  );
  await gas(vault.write.depositETH([bob.account.address, 0n], { ...asBob, value: parseEther("1") }));

  const oneSgEth = 10n ** BigInt(await vault.read.decimals());
  const requestWithdrawalGasEmptyQueue = await gas(vault.write.requestWithdrawal([oneSgEth / 10n, 0n], asBob));
  const requestWithdrawalGas = await gas(vault.write.requestWithdrawal([oneSgEth, 0n], asAlice));
  const aliceRequest = (await vault.read.nextRequestId()) - 1n;
  await networkHelpers.mine(BLOCKS_WITHDRAWAL_DELAY);
  const claimWithdrawalGas = await gas(vault.write.claimWithdrawal([aliceRequest, alice.account.address, 0n], asAlice));
  const instantExitGas = await gas(vault.write.instantExit([oneSgEth / 10n, 0n, alice.account.address], asAlice));

  return {
    "vault.depositEthGasFirst": depositEthGasFirst,
    "vault.depositEthGasSecond": depositEthGasSecond,
    "vault.depositEthGasRouted": depositEthGasRouted,
    "vault.requestWithdrawalGas": requestWithdrawalGas,
    "vault.requestWithdrawalGasEmptyQueue": requestWithdrawalGasEmptyQueue,
    "vault.claimWithdrawalGas": claimWithdrawalGas,
    "vault.instantExitGas": instantExitGas,
  };
}

/**
 * Bench module for SurgeVault (sgETH): gas of the user paths, read from transaction receipts.
 *
 * Deploys MockWETH, the local restaking layer and the vault (with its three linked libraries) on a fresh
 * in-process chain, then walks one staker through: first deposit (empty vault, routes 90% into the strategy),
 * second deposit (same staker, stays in the buffer), a deposit that crosses the buffer maximum and routes, a
 * withdrawal request and its claim (another staker's request is pending, so the escrow and queue are warm, as in
 * steady state), the first request into an empty queue, and an instant exit.
 */
import type { NetworkConnection } from "hardhat/types/network";
import { parseEther, type Hash } from "viem";
import { productionNetwork } from "../lib/production-build.js";

const BLOCKS_STRATEGY_DELAY = 50n;
const BLOCKS_WITHDRAWAL_DELAY = 100n;

export default {
  name: "vault",
  /**
   * On the production build (checked) by default; the vault's gas test passes the default-profile chain that
   * `hardhat test` builds (a fresh clone has no production build, and the targets hold for both).
   */
  async run(connection?: NetworkConnection): Promise<Record<string, number>> {
    const { viem, networkHelpers } = connection ?? (await productionNetwork());
    const [admin, alice, bob] = await viem.getWalletClients();
    if (admin === undefined || alice === undefined || bob === undefined) throw new Error("need 3 accounts");
    const publicClient = await viem.getPublicClient();

    const weth = await viem.deployContract("MockWETH");
    const layer = await viem.deployContract("MockRestakingLayer", [
      weth.address,
      BLOCKS_STRATEGY_DELAY,
      admin.account.address,
    ]);
    const libraries = {
      VaultParametersLib: (await viem.deployContract("VaultParametersLib")).address,
      VaultLiquidityLib: (await viem.deployContract("VaultLiquidityLib")).address,
      WithdrawalQueueLib: (await viem.deployContract("WithdrawalQueueLib")).address,
    };
    const a = admin.account.address;
    const vault = await viem.deployContract(
      "SurgeVault",
      [
        weth.address,
        layer.address,
        a,
        a,
        a,
        {
          treasury: a,
          depositCap: parseEther("1000000"),
          bufferTargetBps: 1_000n,
          bufferMaxBps: 1_500n,
          protocolFeeBps: 1_000n,
          instantExitFeeBps: 50n,
          instantExitDailyLimit: parseEther("1000"),
          withdrawalDelayBlocks: BLOCKS_WITHDRAWAL_DELAY,
          minReportInterval: 86_400n,
          maxReportIncreaseBps: 50n,
        },
      ],
      { libraries },
    );

    const gas = async (hash: Promise<Hash>): Promise<number> => {
      const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
      if (receipt.status !== "success") throw new Error("transaction reverted");
      return Number(receipt.gasUsed);
    };
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
  },
};

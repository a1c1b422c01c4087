import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther, parseEventLogs, type Hex } from "viem";
import { networkHelpers, STRATEGY_DELAY, viem } from "./fixture.js";

async function deployLayer() {
  const [owner, staker, other] = await viem.getWalletClients();
  if (owner === undefined || staker === undefined || other === undefined) throw new Error("need 3 accounts");
  const weth = await viem.deployContract("MockWETH");
  const layer = await viem.deployContract("MockRestakingLayer", [weth.address, STRATEGY_DELAY, owner.account.address]);
  for (const who of [owner, staker]) {
    await weth.write.deposit({ account: who.account, value: parseEther("100") });
    await weth.write.approve([layer.address, 2n ** 256n - 1n], { account: who.account });
  }
  return { weth, layer, owner, staker, other };
}

async function fresh() {
  return networkHelpers.loadFixture(deployLayer);
}

type Layer = Awaited<ReturnType<typeof deployLayer>>["layer"];
type Wallet = Awaited<ReturnType<typeof deployLayer>>["staker"];

/** Queues `shares` of `staker` and returns the withdrawal root, read from the receipt's event. */
async function queue(layer: Layer, staker: Wallet, shares: bigint): Promise<Hex> {
  const hash = await layer.write.queueWithdrawal([shares], { account: staker.account });
  const receipt = await (await viem.getPublicClient()).waitForTransactionReceipt({ hash });
  const [event] = parseEventLogs({ abi: layer.abi, logs: receipt.logs, eventName: "StrategyWithdrawalQueued" });
  if (event === undefined) throw new Error("no StrategyWithdrawalQueued event");
  return event.args.withdrawalRoot;
}

describe("MockRestakingLayer", () => {
  it("credits shares for deposits and pays queued withdrawals after the delay", async () => {
    const { layer, staker, weth } = await fresh();
    await viem.assertions.emitWithArgs(
      layer.write.deposit([parseEther("10")], { account: staker.account }),
      layer,
      "StrategyDeposited",
      [(a: string) => a.toLowerCase() === staker.account.address, parseEther("10"), parseEther("10") * 1_000n],
    );
    const shares = await layer.read.sharesOf([staker.account.address]);
    assert.equal(await layer.read.sharesToAssets([shares]), parseEther("10"));
    assert.equal(await layer.read.assetsToShares([parseEther("1")]), shares / 10n);
    const root = await queue(layer, staker, shares / 2n);
    const completable = await layer.read.completableAt([root]);
    assert.equal(completable, BigInt(await networkHelpers.time.latest()) + STRATEGY_DELAY);
    assert.equal(await layer.read.sharesOf([staker.account.address]), shares / 2n);
    assert.equal(await layer.read.queuedSharesOf([staker.account.address]), shares / 2n);
    assert.equal(await layer.read.totalAssetsOf([staker.account.address]), parseEther("10"));
    await viem.assertions.revertWithCustomErrorWithArgs(
      layer.write.completeWithdrawal([root], { account: staker.account }),
      layer,
      "WithdrawalNotCompletable",
      [root, completable],
    );
    await networkHelpers.time.increase(Number(STRATEGY_DELAY));
    const balance = await weth.read.balanceOf([staker.account.address]);
    await viem.assertions.emitWithArgs(
      layer.write.completeWithdrawal([root], { account: staker.account }),
      layer,
      "StrategyWithdrawalCompleted",
      [root, (a: string) => a.toLowerCase() === staker.account.address, parseEther("5")],
    );
    assert.equal(await weth.read.balanceOf([staker.account.address]), balance + parseEther("5"));
    assert.equal(await layer.read.completableAt([root]), 0n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      layer.write.completeWithdrawal([root], { account: staker.account }),
      layer,
      "WithdrawalNotFound",
      [root],
    );
  });

  it("exposes queued shares to rewards and to slashing", async () => {
    const { layer, owner, staker } = await fresh();
    await layer.write.deposit([parseEther("10")], { account: staker.account });
    const shares = await layer.read.sharesOf([staker.account.address]);
    const root = await queue(layer, staker, shares / 2n);
    await viem.assertions.emitWithArgs(
      layer.write.addRewards([parseEther("1")], { account: owner.account }),
      layer,
      "RewardsAdded",
      [(a: string) => a.toLowerCase() === owner.account.address, parseEther("1")],
    );
    assert.ok((await layer.read.totalAssetsOf([staker.account.address])) >= parseEther("11") - 1n);
    await viem.assertions.emitWithArgs(layer.write.slash([5_000n], { account: owner.account }), layer, "Slashed", [
      5_000n,
      parseEther("5.5"),
    ]);
    assert.deepEqual(await layer.read.totals(), [shares, parseEther("5.5")]);
    await networkHelpers.time.increase(Number(STRATEGY_DELAY));
    await viem.assertions.emitWithArgs(
      layer.write.completeWithdrawal([root], { account: staker.account }),
      layer,
      "StrategyWithdrawalCompleted",
      [root, (a: string) => a.toLowerCase() === staker.account.address, (x: bigint) => x >= parseEther("2.75") - 1n],
    );
  });

  it("reverts with its errors", async () => {
    const { layer, owner, staker, other } = await fresh();
    await viem.assertions.revertWithCustomError(
      layer.write.deposit([0n], { account: staker.account }),
      layer,
      "StrategyZeroAmount",
    );
    await viem.assertions.revertWithCustomError(
      layer.write.queueWithdrawal([0n], { account: staker.account }),
      layer,
      "StrategyZeroAmount",
    );
    await viem.assertions.revertWithCustomError(
      layer.write.addRewards([0n], { account: staker.account }),
      layer,
      "StrategyZeroAmount",
    );
    await layer.write.deposit([parseEther("1")], { account: staker.account });
    const shares = await layer.read.sharesOf([staker.account.address]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      layer.write.queueWithdrawal([shares + 1n], { account: staker.account }),
      layer,
      "InsufficientStrategyShares",
      [(a: string) => a.toLowerCase() === staker.account.address, shares + 1n, shares],
    );
    const root = await queue(layer, staker, shares);
    await viem.assertions.revertWithCustomErrorWithArgs(
      layer.write.completeWithdrawal([root], { account: other.account }),
      layer,
      "NotWithdrawalStaker",
      [root, (a: string) => a.toLowerCase() === other.account.address],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      layer.write.slash([10_001n], { account: owner.account }),
      layer,
      "SlashTooLarge",
      [10_001n],
    );
    for (const call of [
      () => layer.write.slash([1n], { account: other.account }),
      () => layer.write.setWithdrawalDelay([1n], { account: other.account }),
    ]) {
      await viem.assertions.revertWithCustomError(call(), layer, "OwnableUnauthorizedAccount");
    }
  });

  it("lets the owner change the delay of later withdrawals", async () => {
    const { layer, owner } = await fresh();
    await viem.assertions.emitWithArgs(
      layer.write.setWithdrawalDelay([7n], { account: owner.account }),
      layer,
      "WithdrawalDelayUpdated",
      [7n],
    );
    assert.equal(await layer.read.withdrawalDelay(), 7n);
  });
});

describe("MockWETH", () => {
  it("wraps by deposit and by plain transfer, and unwraps", async () => {
    const { weth, other } = await fresh();
    await viem.assertions.emit(weth.write.deposit({ account: other.account, value: 5n }), weth, "Deposit");
    await other.sendTransaction({ to: weth.address, value: 3n });
    assert.equal(await weth.read.balanceOf([other.account.address]), 8n);
    await viem.assertions.balancesHaveChanged(
      weth.write.withdraw([8n], { account: other.account }),
      [{ address: weth.address, amount: -8n }],
    );
    assert.equal(await weth.read.balanceOf([other.account.address]), 0n);
    assert.equal(await weth.read.symbol(), "WETH");
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther, parseEventLogs } from "viem";
import {
  addRewards,
  DAY,
  liquidity,
  networkHelpers,
  report,
  SGETH,
  slash,
  STRATEGY_DELAY,
  viem,
  VIRTUAL_SHARES,
  fundedSystem,
  vest,
} from "./fixture.js";

const fresh = fundedSystem;

describe("SurgeVault report", () => {
  it("applies a gain, mints the protocol fee as shares worth the fee, and emits the rate for the chart", async () => {
    const s = await fresh();
    await addRewards(s, parseEther("0.05"));
    const strategyView = await s.layer.read.totalAssetsOf([s.vault.address]);
    const supply = await s.vault.read.totalSupply();
    const hash = await report(s);
    const total = parseEther("1.2") + strategyView;
    const gain = total - parseEther("12");
    const feeAssets = gain / 10n;
    const feeShares = (feeAssets * (supply + VIRTUAL_SHARES)) / (total + 1n - feeAssets);
    const block = await s.publicClient.getBlock();
    await viem.assertions.emitWithArgs(hash, s.vault, "ExchangeRateReported", [
      total,
      supply + feeShares,
      parseEther("12"),
      strategyView,
      feeShares,
      block.timestamp,
    ]);
    await viem.assertions.emitWithArgs(hash, s.vault, "ProtocolFeeMinted", [
      (a: string) => a.toLowerCase() === s.treasury.account.address,
      feeAssets,
      feeShares,
    ]);
    // The rate does not move at the report: the gain net of the fee is locked and vests over the interval.
    assert.ok((await s.vault.read.exchangeRate()) <= 10n ** 18n, "no step at the report");
    await vest(s);
    const treasuryValue = await s.vault.read.convertToAssets([feeShares]);
    assert.ok(feeAssets - treasuryValue <= 1n, "the fee shares are worth the fee");
    assert.equal(await s.vault.read.totalAssets(), total);
    assert.equal(await s.vault.read.lastReportAt(), block.timestamp);
    // Holders got the other 90%.
    const aliceValue = await s.vault.read.convertToAssets([10n * SGETH]);
    assert.ok(aliceValue > parseEther("10") + ((gain - feeAssets) * 10n) / 12n - 10n);
  });

  it("charges no fee on a loss, nor when the fee is 0", async () => {
    const s = await fresh();
    await slash(s, 500n);
    const lossHash = await report(s);
    const receipt = await s.publicClient.waitForTransactionReceipt({ hash: lossHash });
    assert.equal(receipt.logs.length, 1, "only ExchangeRateReported");
    assert.equal(await s.vault.read.totalAssets(), parseEther("12") - parseEther("0.54"));
    await s.vault.write.setParameters([{ ...s.params, protocolFeeBps: 0n }], { account: s.admin.account });
    await addRewards(s, parseEther("0.01"));
    const gainHash = await report(s);
    const gainReceipt = await s.publicClient.waitForTransactionReceipt({ hash: gainHash });
    const names = parseEventLogs({ abi: s.vault.abi, logs: gainReceipt.logs }).map((l) => l.eventName);
    assert.deepEqual(names, ["GainLocked", "ExchangeRateReported"], "no ProtocolFeeMinted");
    assert.equal(await s.vault.read.balanceOf([s.treasury.account.address]), 0n);
  });

  it("enforces the minimum interval with ReportTooEarly(nextReportAt); the first report may come at once", async () => {
    const s = await fresh();
    await s.vault.write.report([0n], { account: s.oracle.account });
    const last = await s.vault.read.lastReportAt();
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.vault.write.report([0n], { account: s.oracle.account }),
      s.vault,
      "ReportTooEarly",
      [last + DAY],
    );
    await networkHelpers.time.increaseTo(last + DAY);
    await s.vault.write.report([0n], { account: s.oracle.account });
  });

  it("caps a gain at maxReportIncreaseBps of total assets; the rest comes with later reports", async () => {
    const s = await fresh();
    await addRewards(s, parseEther("1"));
    await report(s);
    await vest(s);
    assert.equal(await s.vault.read.totalAssets(), parseEther("12.06"));
    await report(s);
    await vest(s);
    assert.equal(await s.vault.read.totalAssets(), parseEther("12.06") + (parseEther("12.06") * 50n) / 10_000n);
  });

  it("books at most what the strategy shows, and at most the gain the oracle confirms (maxGain)", async () => {
    const s = await fresh();
    await report(s);
    assert.equal(await s.vault.read.totalAssets(), parseEther("12"), "no gain shown, none booked");
    await addRewards(s, parseEther("0.05"));
    await report(s, parseEther("0.01"));
    await vest(s);
    assert.equal(await s.vault.read.totalAssets(), parseEther("12.01"));
    const view = await s.layer.read.totalAssetsOf([s.vault.address]);
    await report(s);
    await vest(s);
    assert.equal(await s.vault.read.totalAssets(), parseEther("1.2") + view);
  });

  it("books a loss the strategy shows in full, whatever the oracle confirms", async () => {
    const s = await fresh();
    await slash(s, 2_000n); // 2.16 of 12: 18%
    const view = await s.layer.read.totalAssetsOf([s.vault.address]);
    await report(s, 0n);
    assert.equal(await s.vault.read.totalAssets(), parseEther("1.2") + view);
    assert.ok((await s.vault.read.exchangeRate()) < parseEther("0.83"));
  });

  it("is for the oracle only (AccessControlUnauthorizedAccount), and works while paused", async () => {
    const s = await fresh();
    await viem.assertions.revertWithCustomError(
      s.vault.write.report([0n], { account: s.admin.account }),
      s.vault,
      "AccessControlUnauthorizedAccount",
    );
    await s.vault.write.pause([true, true], { account: s.guardian.account });
    await slash(s, 100n);
    await report(s);
  });
});

describe("SurgeVault rebalance", () => {
  it("routes the free buffer above the maximum down to the target", async () => {
    const s = await fresh();
    await s.vault.write.setParameters([{ ...s.params, bufferTargetBps: 200n, bufferMaxBps: 500n }], {
      account: s.admin.account,
    });
    const hash = await s.vault.write.rebalance({ account: s.carol.account });
    await viem.assertions.emitWithArgs(hash, s.vault, "AssetsRouted", [parseEther("0.96"), (x: bigint) => x > 0n]);
    const l = await liquidity(s);
    assert.equal(l.buffer, parseEther("0.24"));
    assert.equal(l.inStrategy, parseEther("11.76"));
  });

  it("unstakes what the buffer lacks for its target, and completes it after the strategy's delay", async () => {
    const s = await fresh();
    await s.vault.write.instantExit([SGETH, 0n, s.alice.account.address], { account: s.alice.account });
    const before = await liquidity(s);
    // The accounted total (the exit's fee included, though it is still locked): what rebalance aims from.
    const total = before.buffer + before.inStrategy;
    const lack = total / 10n - before.buffer;
    const hash = await s.vault.write.rebalance({ account: s.carol.account });
    await viem.assertions.emitWithArgs(hash, s.vault, "UnstakeQueued", [
      (root: string) => root.length === 66,
      (shares: bigint) => shares > 0n,
      (assets: bigint) => assets >= lack && assets <= lack + 2n,
      (block: bigint) => block > 0n,
    ]);
    const queued = await liquidity(s);
    assert.ok(queued.unstaking >= lack);
    assert.equal(queued.inStrategy, before.inStrategy, "in-flight withdrawals still count as strategy assets");
    // Nothing more to do while it is in flight.
    const idle = await s.vault.write.rebalance({ account: s.carol.account });
    assert.equal((await s.publicClient.waitForTransactionReceipt({ hash: idle })).logs.length, 0);
    await networkHelpers.mine(STRATEGY_DELAY);
    const done = await s.vault.write.rebalance({ account: s.carol.account });
    await viem.assertions.emitWithArgs(done, s.vault, "UnstakeCompleted", [
      (root: string) => root.length === 66,
      queued.unstaking,
      queued.unstaking,
    ]);
    const after = await liquidity(s);
    assert.equal(after.unstaking, 0n);
    assert.equal(after.buffer, before.buffer + queued.unstaking);
    assert.equal(after.buffer + after.inStrategy, total, "moving assets does not move the total");
  });

  it("a loss slashed in flight shows in totalAssets at once; completion only moves assets; a report books it", async () => {
    const s = await fresh();
    await s.vault.write.requestWithdrawal([5n * SGETH, 0n], { account: s.alice.account });
    await s.vault.write.rebalance({ account: s.carol.account });
    const { unstaking } = await liquidity(s);
    await slash(s, 1_000n);
    const shown = await s.vault.read.totalAssets();
    const view = await s.layer.read.totalAssetsOf([s.vault.address]);
    assert.equal(shown, parseEther("1.2") + view, "previews see the slash before anyone syncs it");
    assert.ok(shown < parseEther("12") - parseEther("1"));
    await networkHelpers.mine(STRATEGY_DELAY);
    await s.vault.write.rebalance({ account: s.carol.account });
    assert.equal(await s.vault.read.totalAssets(), shown, "completion only moves assets");
    assert.equal((await liquidity(s)).buffer, parseEther("1.2") + (unstaking * 9n) / 10n);
    await report(s);
    const booked = await liquidity(s);
    assert.equal(booked.buffer + booked.inStrategy, shown, "the report booked the loss the view showed");
  });

  it("is blocked by a withdrawal pause; a deposit pause stops only routing", async () => {
    const s = await fresh();
    await s.vault.write.setParameters([{ ...s.params, bufferTargetBps: 200n, bufferMaxBps: 500n }], {
      account: s.admin.account,
    });
    await s.vault.write.pause([true, false], { account: s.guardian.account });
    const hash = await s.vault.write.rebalance({ account: s.carol.account });
    assert.equal((await s.publicClient.waitForTransactionReceipt({ hash })).logs.length, 0, "nothing routed");
    assert.equal((await liquidity(s)).buffer, parseEther("1.2"));
    await s.vault.write.unpause([true, false], { account: s.admin.account });
    await s.vault.write.pause([false, true], { account: s.guardian.account });
    await viem.assertions.revertWithCustomError(
      s.vault.write.rebalance({ account: s.carol.account }),
      s.vault,
      "WithdrawalsPaused",
    );
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther, zeroAddress } from "viem";
import { DAY, fundedSystem, liquidity, networkHelpers, SGETH, viem } from "./fixture.js";

const fresh = fundedSystem;

const FEE = parseEther("0.005"); // 0.5% of 1 ETH

describe("SurgeVault instant exit", () => {
  it("burns the shares, pays the value less the fee in ETH and leaves the fee to the holders", async () => {
    const s = await fresh();
    assert.deepEqual(await s.vault.read.previewInstantExit([SGETH]), [parseEther("1") - FEE, FEE]);
    const rate = await s.vault.read.exchangeRate();
    const hash = await s.vault.write.instantExit([SGETH, parseEther("0.995"), s.carol.account.address], {
      account: s.alice.account,
    });
    await viem.assertions.balancesHaveChanged(hash, [
      { address: s.carol.account.address, amount: parseEther("1") - FEE },
    ]);
    await viem.assertions.emitWithArgs(hash, s.vault, "InstantExited", [
      (a: string) => a.toLowerCase() === s.alice.account.address,
      (a: string) => a.toLowerCase() === s.carol.account.address,
      SGETH,
      parseEther("1") - FEE,
      FEE,
    ]);
    assert.equal(await s.vault.read.balanceOf([s.alice.account.address]), 9n * SGETH);
    assert.equal((await liquidity(s)).buffer, parseEther("1.2") - parseEther("1") + FEE);
    // The fee stays with the holders, locked: it reaches the rate over the report interval, not at once.
    assert.equal(await s.vault.read.totalAssets(), parseEther("11"));
    assert.equal(await s.vault.read.exchangeRate(), rate);
    const { inStrategy, buffer } = await liquidity(s);
    assert.equal(buffer + inStrategy, parseEther("11") + FEE);
    assert.equal(await s.vault.read.instantExitRemaining(), parseEther("10") - parseEther("1") + FEE);
    await networkHelpers.time.increase(Number(s.params.minReportInterval));
    assert.equal(await s.vault.read.totalAssets(), parseEther("11") + FEE);
    assert.ok((await s.vault.read.exchangeRate()) > rate);
  });

  it("reverts with AssetsBelowMinimum(assets, minAssets)", async () => {
    const s = await fresh();
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.vault.write.instantExit([SGETH, parseEther("1"), s.alice.account.address], { account: s.alice.account }),
      s.vault,
      "AssetsBelowMinimum",
      [parseEther("1") - FEE, parseEther("1")],
    );
  });

  it("reverts with ZeroAmount on zero shares or an exit that pays nothing, ZeroAddress to nobody", async () => {
    const s = await fresh();
    for (const shares of [0n, 1_000n]) {
      await viem.assertions.revertWithCustomError(
        s.vault.write.instantExit([shares, 0n, s.alice.account.address], { account: s.alice.account }),
        s.vault,
        "ZeroAmount",
      );
    }
    await viem.assertions.revertWithCustomError(
      s.vault.write.instantExit([SGETH, 0n, zeroAddress], { account: s.alice.account }),
      s.vault,
      "ZeroAddress",
    );
  });

  it("only uses the free buffer: InsufficientLiquidity(assets, free) beyond it, reservations included", async () => {
    const s = await fresh();
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.vault.write.instantExit([2n * SGETH, 0n, s.alice.account.address], { account: s.alice.account }),
      s.vault,
      "InsufficientLiquidity",
      [2n * (parseEther("1") - FEE), parseEther("1.2")],
    );
    await s.vault.write.requestWithdrawal([SGETH, 0n], { account: s.bob.account });
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.vault.write.instantExit([SGETH / 2n, 0n, s.alice.account.address], { account: s.alice.account }),
      s.vault,
      "InsufficientLiquidity",
      [(parseEther("1") - FEE) / 2n, parseEther("0.2")],
    );
  });

  it("is limited per UTC day: InstantExitLimitExceeded(assets, remaining), then resets the next day", async () => {
    const s = await fresh();
    await s.vault.write.setParameters([{ ...s.params, instantExitDailyLimit: parseEther("1") }], {
      account: s.admin.account,
    });
    // Stay inside one UTC day for the two exits.
    const now = BigInt(await networkHelpers.time.latest());
    await networkHelpers.time.setNextBlockTimestamp(now - (now % DAY) + DAY + 10n);
    const net = (parseEther("0.6") * 9_950n) / 10_000n;
    await s.vault.write.instantExit([(SGETH * 6n) / 10n, 0n, s.alice.account.address], { account: s.alice.account });
    assert.equal(await s.vault.read.instantExitRemaining(), parseEther("1") - net);
    // The second exit is worth a little more: the first one's fee raised the rate.
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.vault.write.instantExit([(SGETH * 6n) / 10n, 0n, s.alice.account.address], { account: s.alice.account }),
      s.vault,
      "InstantExitLimitExceeded",
      [(x: bigint) => x > net && x < parseEther("0.6"), parseEther("1") - net],
    );
    await networkHelpers.time.increase(Number(DAY));
    assert.equal(await s.vault.read.instantExitRemaining(), parseEther("1"));
    await s.vault.write.instantExit([(SGETH * 6n) / 10n, 0n, s.alice.account.address], { account: s.alice.account });
  });

  it("reverts with ERC20InsufficientBalance for shares the caller does not hold", async () => {
    const s = await fresh();
    await viem.assertions.revertWithCustomError(
      s.vault.write.instantExit([SGETH, 0n, s.carol.account.address], { account: s.carol.account }),
      s.vault,
      "ERC20InsufficientBalance",
    );
  });

  it("reverts with EthTransferFailed when the receiver refuses ETH", async () => {
    const s = await fresh();
    await viem.assertions.revertWithCustomError(
      s.vault.write.instantExit([SGETH, 0n, s.layer.address], { account: s.alice.account }),
      s.vault,
      "EthTransferFailed",
    );
  });

  it("is blocked by a withdrawal pause", async () => {
    const s = await fresh();
    await s.vault.write.pause([false, true], { account: s.guardian.account });
    await viem.assertions.revertWithCustomError(
      s.vault.write.instantExit([SGETH, 0n, s.alice.account.address], { account: s.alice.account }),
      s.vault,
      "WithdrawalsPaused",
    );
  });
});

describe("SurgeVault synchronous ERC-4626 exits", () => {
  it("withdraw and redeem revert with UseWithdrawalQueue; maxWithdraw and maxRedeem are 0", async () => {
    const s = await fresh();
    const alice = s.alice.account.address;
    // Both are `pure` (they only revert), so viem reaches them through `read`.
    await viem.assertions.revertWithCustomError(
      s.vault.read.withdraw([1n, alice, alice], { account: s.alice.account }),
      s.vault,
      "UseWithdrawalQueue",
    );
    await viem.assertions.revertWithCustomError(
      s.vault.read.redeem([SGETH, alice, alice], { account: s.alice.account }),
      s.vault,
      "UseWithdrawalQueue",
    );
    assert.equal(await s.vault.read.maxWithdraw([alice]), 0n);
    assert.equal(await s.vault.read.maxRedeem([alice]), 0n);
    // The previews still value shares, as the queue would book them.
    assert.equal(await s.vault.read.previewRedeem([SGETH]), parseEther("1"));
    assert.equal(await s.vault.read.previewWithdraw([parseEther("1")]), SGETH);
  });
});

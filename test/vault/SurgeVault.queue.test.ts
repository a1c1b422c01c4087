import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther, zeroAddress } from "viem";
import {
  addRewards,
  depositEth,
  lastRequestId,
  liquidity,
  networkHelpers,
  report,
  SGETH,
  slash,
  STRATEGY_DELAY,
  viem,
  WITHDRAWAL_DELAY,
  fundedSystem,
  vest,
} from "./fixture.js";

const Status = { None: 0, Pending: 1, Claimable: 2, Claimed: 3 } as const;

const fresh = fundedSystem;

describe("SurgeVault withdrawal queue", () => {
  describe("requestWithdrawal", () => {
    it("escrows the shares, books their value, reserves buffer and returns an id", async () => {
      const s = await fresh();
      const block = await s.publicClient.getBlockNumber();
      const hash = await s.vault.write.requestWithdrawal([SGETH, parseEther("1")], { account: s.alice.account });
      await viem.assertions.emitWithArgs(hash, s.vault, "WithdrawalRequested", [
        1n,
        (a: string) => a.toLowerCase() === s.alice.account.address,
        SGETH,
        parseEther("1"),
        block + 1n + WITHDRAWAL_DELAY,
      ]);
      assert.equal(await lastRequestId(s), 1n);
      assert.equal(await s.vault.read.balanceOf([s.vault.address]), SGETH);
      assert.equal(await s.vault.read.balanceOf([s.alice.account.address]), 9n * SGETH);
      assert.equal((await liquidity(s)).queued, parseEther("1"));
      assert.deepEqual(await s.vault.read.withdrawalStatus([1n]), [Status.Pending, block + 1n + WITHDRAWAL_DELAY]);
      assert.equal(await s.vault.read.previewClaim([1n]), parseEther("1"));
      // The escrowed shares stay in the supply: the rate does not move.
      assert.equal(await s.vault.read.exchangeRate(), 10n ** 18n);
    });

    it("reverts with AssetsBelowMinimum(assets, minAssets) when the shares are worth less than asked", async () => {
      const s = await fresh();
      await viem.assertions.revertWithCustomErrorWithArgs(
        s.vault.write.requestWithdrawal([SGETH, parseEther("1") + 1n], { account: s.alice.account }),
        s.vault,
        "AssetsBelowMinimum",
        [parseEther("1"), parseEther("1") + 1n],
      );
    });

    it("reverts with ZeroAmount on zero shares, or shares worth nothing", async () => {
      const s = await fresh();
      await viem.assertions.revertWithCustomError(
        s.vault.write.requestWithdrawal([0n, 0n], { account: s.alice.account }),
        s.vault,
        "ZeroAmount",
      );
      await viem.assertions.revertWithCustomError(
        s.vault.write.requestWithdrawal([999n, 0n], { account: s.alice.account }),
        s.vault,
        "ZeroAmount",
      );
    });

    it("reverts with ERC20InsufficientBalance beyond the balance", async () => {
      const s = await fresh();
      await viem.assertions.revertWithCustomError(
        s.vault.write.requestWithdrawal([3n * SGETH, 0n], { account: s.bob.account }),
        s.vault,
        "ERC20InsufficientBalance",
      );
    });

    it("keeps its claimable block when the admin later changes the delay", async () => {
      const s = await fresh();
      await s.vault.write.requestWithdrawal([SGETH, 0n], { account: s.alice.account });
      const [, before] = await s.vault.read.withdrawalStatus([1n]);
      await s.vault.write.setParameters([{ ...s.params, withdrawalDelayBlocks: 5_000n }], {
        account: s.admin.account,
      });
      assert.equal((await s.vault.read.withdrawalStatus([1n]))[1], before);
      await s.vault.write.requestWithdrawal([SGETH, 0n], { account: s.alice.account });
      const [, later] = await s.vault.read.withdrawalStatus([2n]);
      assert.equal(later - before, 5_000n - WITHDRAWAL_DELAY + 2n);
    });
  });

  describe("claimWithdrawal", () => {
    it("is Pending until the claimable block, then pays ETH, burns the escrow and reads Claimed", async () => {
      const s = await fresh();
      await s.vault.write.requestWithdrawal([SGETH, 0n], { account: s.alice.account });
      const [, claimable] = await s.vault.read.withdrawalStatus([1n]);
      await networkHelpers.mine(WITHDRAWAL_DELAY - 2n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        s.vault.write.claimWithdrawal([1n, s.alice.account.address, 0n], { account: s.alice.account }),
        s.vault,
        "RequestNotClaimable",
        [1n, claimable],
      );
      assert.equal((await s.vault.read.withdrawalStatus([1n]))[0], Status.Pending);
      await networkHelpers.mine(2);
      assert.equal((await s.vault.read.withdrawalStatus([1n]))[0], Status.Claimable);
      const supply = await s.vault.read.totalSupply();
      const hash = await s.vault.write.claimWithdrawal([1n, s.carol.account.address, 0n], { account: s.alice.account });
      await viem.assertions.balancesHaveChanged(hash, [{ address: s.carol.account.address, amount: parseEther("1") }]);
      await viem.assertions.emitWithArgs(hash, s.vault, "WithdrawalClaimed", [
        1n,
        (a: string) => a.toLowerCase() === s.alice.account.address,
        (a: string) => a.toLowerCase() === s.carol.account.address,
        SGETH,
        parseEther("1"),
      ]);
      assert.equal(await s.vault.read.totalSupply(), supply - SGETH);
      assert.equal(await s.vault.read.balanceOf([s.vault.address]), 0n);
      assert.deepEqual(await s.vault.read.withdrawalStatus([1n]), [Status.Claimed, claimable]);
      assert.equal(await s.vault.read.previewClaim([1n]), 0n);
      const l = await liquidity(s);
      assert.equal(l.queued, 0n);
      assert.equal(l.buffer, parseEther("0.2"));
      assert.equal(await s.vault.read.totalAssets(), parseEther("11"));
    });

    it("reverts RequestAlreadyClaimed, RequestNotFound and NotRequestOwner", async () => {
      const s = await fresh();
      await s.vault.write.requestWithdrawal([SGETH, 0n], { account: s.alice.account });
      await networkHelpers.mine(WITHDRAWAL_DELAY);
      await viem.assertions.revertWithCustomErrorWithArgs(
        s.vault.write.claimWithdrawal([1n, s.bob.account.address, 0n], { account: s.bob.account }),
        s.vault,
        "NotRequestOwner",
        [
          1n,
          (a: string) => a.toLowerCase() === s.bob.account.address,
          (a: string) => a.toLowerCase() === s.alice.account.address,
        ],
      );
      await s.vault.write.claimWithdrawal([1n, s.alice.account.address, 0n], { account: s.alice.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        s.vault.write.claimWithdrawal([1n, s.alice.account.address, 0n], { account: s.alice.account }),
        s.vault,
        "RequestAlreadyClaimed",
        [1n],
      );
      for (const id of [0n, 2n]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          s.vault.write.claimWithdrawal([id, s.alice.account.address, 0n], { account: s.alice.account }),
          s.vault,
          "RequestNotFound",
          [id],
        );
      }
      assert.deepEqual(await s.vault.read.withdrawalStatus([2n]), [Status.None, 0n]);
    });

    it("reverts ZeroAddress for the zero receiver and EthTransferFailed for a receiver refusing ETH", async () => {
      const s = await fresh();
      await s.vault.write.requestWithdrawal([SGETH, 0n], { account: s.alice.account });
      await networkHelpers.mine(WITHDRAWAL_DELAY);
      await viem.assertions.revertWithCustomError(
        s.vault.write.claimWithdrawal([1n, zeroAddress, 0n], { account: s.alice.account }),
        s.vault,
        "ZeroAddress",
      );
      // The restaking layer has no receive function.
      await viem.assertions.revertWithCustomErrorWithArgs(
        s.vault.write.claimWithdrawal([1n, s.layer.address, 0n], { account: s.alice.account }),
        s.vault,
        "EthTransferFailed",
        [(a: string) => a.toLowerCase() === s.layer.address.toLowerCase(), parseEther("1")],
      );
    });

    it("pays less after a loss reported while waiting: queued withdrawals share slashing pro rata", async () => {
      const s = await fresh();
      await s.vault.write.requestWithdrawal([2n * SGETH, 0n], { account: s.bob.account });
      await s.vault.write.rebalance({ account: s.carol.account }); // unstakes what the 1.2 ETH buffer lacks
      await slash(s, 1_000n); // 10% of the 10.8 ETH in the strategy, the 2 ETH being unstaked included
      await report(s);
      const total = await s.vault.read.totalAssets();
      assert.equal(total, parseEther("12") - parseEther("1.08"));
      const expected = (2n * SGETH * (total + 1n)) / ((await s.vault.read.totalSupply()) + 1_000n);
      assert.equal(await s.vault.read.previewClaim([1n]), expected);
      assert.ok(expected <= parseEther("1.82") && expected > parseEther("1.8199"), "Bob loses 9%, as Alice does");
      await networkHelpers.mine(WITHDRAWAL_DELAY);
      const rate = await s.vault.read.exchangeRate();
      await viem.assertions.balancesHaveChanged(
        s.vault.write.claimWithdrawal([1n, s.bob.account.address, 0n], { account: s.bob.account }),
        [{ address: s.bob.account.address, amount: expected }],
      );
      assert.ok((await s.vault.read.exchangeRate()) >= rate);
    });

    it("does not pay rewards reported after the request; they stay with the holders", async () => {
      const s = await fresh();
      await s.vault.write.requestWithdrawal([2n * SGETH, 0n], { account: s.bob.account });
      await s.vault.write.rebalance({ account: s.carol.account });
      await addRewards(s, parseEther("0.05"));
      await report(s);
      await vest(s);
      assert.ok((await s.vault.read.exchangeRate()) > 10n ** 18n);
      assert.equal(await s.vault.read.previewClaim([1n]), parseEther("2"));
      await networkHelpers.mine(WITHDRAWAL_DELAY);
      const rateBefore = await s.vault.read.exchangeRate();
      await s.vault.write.claimWithdrawal([1n, s.bob.account.address, 0n], { account: s.bob.account });
      assert.ok((await s.vault.read.exchangeRate()) > rateBefore, "the forgone reward raised everyone else's rate");
    });

    it("completes matured unstaking itself when the buffer cannot pay, else InsufficientLiquidity", async () => {
      const s = await fresh();
      // 5 ETH requested; the buffer holds 1.2.
      await s.vault.write.requestWithdrawal([5n * SGETH, 0n], { account: s.alice.account });
      await networkHelpers.mine(WITHDRAWAL_DELAY);
      await viem.assertions.revertWithCustomErrorWithArgs(
        s.vault.write.claimWithdrawal([1n, s.alice.account.address, 0n], { account: s.alice.account }),
        s.vault,
        "InsufficientLiquidity",
        [parseEther("5"), parseEther("1.2")],
      );
      // Anyone can rebalance: it queues the shortfall (5 queued + 1.2 target - 1.2 buffer) out of the strategy.
      const hash = await s.vault.write.rebalance({ account: s.carol.account });
      await viem.assertions.emit(hash, s.vault, "UnstakeQueued");
      assert.ok((await liquidity(s)).unstaking >= parseEther("5"));
      await networkHelpers.mine(STRATEGY_DELAY);
      const claim = await s.vault.write.claimWithdrawal([1n, s.alice.account.address, 0n], { account: s.alice.account });
      await viem.assertions.emit(claim, s.vault, "UnstakeCompleted");
      await viem.assertions.balancesHaveChanged(claim, [{ address: s.alice.account.address, amount: parseEther("5") }]);
      assert.equal((await liquidity(s)).unstaking, 0n);
    });
  });

  describe("claimWithdrawals", () => {
    it("claims several requests at once, each at the totals the previous left", async () => {
      const s = await fresh();
      await s.vault.write.requestWithdrawal([SGETH / 2n, 0n], { account: s.alice.account });
      await s.vault.write.requestWithdrawal([SGETH / 4n, 0n], { account: s.alice.account });
      await s.vault.write.requestWithdrawal([SGETH / 4n, 0n], { account: s.bob.account });
      await networkHelpers.mine(WITHDRAWAL_DELAY);
      const hash = await s.vault.write.claimWithdrawals([[1n, 2n], s.alice.account.address, 0n], {
        account: s.alice.account,
      });
      await viem.assertions.balancesHaveChanged(hash, [
        { address: s.alice.account.address, amount: parseEther("0.75") },
      ]);
      assert.equal((await s.vault.read.withdrawalStatus([1n]))[0], Status.Claimed);
      assert.equal((await s.vault.read.withdrawalStatus([2n]))[0], Status.Claimed);
      assert.equal((await s.vault.read.withdrawalStatus([3n]))[0], Status.Claimable);
      assert.equal((await liquidity(s)).queued, parseEther("0.25"));
    });

    it("reverts the whole batch on an empty list, a repeated id or someone else's id", async () => {
      const s = await fresh();
      await s.vault.write.requestWithdrawal([SGETH, 0n], { account: s.alice.account });
      await s.vault.write.requestWithdrawal([SGETH, 0n], { account: s.bob.account });
      await networkHelpers.mine(WITHDRAWAL_DELAY);
      await viem.assertions.revertWithCustomError(
        s.vault.write.claimWithdrawals([[], s.alice.account.address, 0n], { account: s.alice.account }),
        s.vault,
        "ZeroAmount",
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        s.vault.write.claimWithdrawals([[1n, 1n], s.alice.account.address, 0n], { account: s.alice.account }),
        s.vault,
        "RequestAlreadyClaimed",
        [1n],
      );
      await viem.assertions.revertWithCustomError(
        s.vault.write.claimWithdrawals([[1n, 2n], s.alice.account.address, 0n], { account: s.alice.account }),
        s.vault,
        "NotRequestOwner",
      );
      assert.equal((await s.vault.read.withdrawalStatus([1n]))[0], Status.Claimable);
    });
  });

  describe("pause", () => {
    it("a withdrawal pause blocks requests and claims but not deposits", async () => {
      const s = await fresh();
      await s.vault.write.requestWithdrawal([SGETH, 0n], { account: s.alice.account });
      await networkHelpers.mine(WITHDRAWAL_DELAY);
      await s.vault.write.pause([false, true], { account: s.guardian.account });
      await viem.assertions.revertWithCustomError(
        s.vault.write.requestWithdrawal([SGETH, 0n], { account: s.alice.account }),
        s.vault,
        "WithdrawalsPaused",
      );
      await viem.assertions.revertWithCustomError(
        s.vault.write.claimWithdrawal([1n, s.alice.account.address, 0n], { account: s.alice.account }),
        s.vault,
        "WithdrawalsPaused",
      );
      await viem.assertions.revertWithCustomError(
        s.vault.write.claimWithdrawals([[1n], s.alice.account.address, 0n], { account: s.alice.account }),
        s.vault,
        "WithdrawalsPaused",
      );
      await depositEth(s, s.carol, parseEther("1"));
      await s.vault.write.unpause([false, true], { account: s.admin.account });
      await s.vault.write.claimWithdrawal([1n, s.alice.account.address, 0n], { account: s.alice.account });
    });
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther, zeroAddress } from "viem";
import {
  addRewards,
  deploySymbioticSystem,
  depositEth,
  liquidity,
  networkHelpers,
  SGETH,
  viem,
  VIRTUAL_SHARES,
  type System,
} from "./fixture.js";

const deploy = () => deploySymbioticSystem();

async function fresh(): Promise<System> {
  return networkHelpers.loadFixture(deploy);
}

describe("SurgeVault entries", () => {
  describe("metadata", () => {
    it("is sgETH over WETH with 21 decimals and the fixed strategy", async () => {
      const s = await fresh();
      assert.equal(await s.vault.read.symbol(), "sgETH");
      assert.equal(await s.vault.read.decimals(), 21);
      assert.equal((await s.vault.read.asset()).toLowerCase(), s.weth.address.toLowerCase());
      assert.equal((await s.vault.read.strategy()).toLowerCase(), s.layer.address.toLowerCase());
      assert.equal(await s.vault.read.totalAssets(), 0n);
      assert.equal(await s.vault.read.exchangeRate(), 10n ** 18n);
      assert.equal(await s.vault.read.nextRequestId(), 1n);
    });
  });

  describe("depositETH", () => {
    it("wraps, mints at 1e21 shares per ETH and routes the first deposit down to the buffer target", async () => {
      const s = await fresh();
      const amount = parseEther("10");
      const hash = await depositEth(s, s.alice, amount);
      await viem.assertions.emitWithArgs(hash, s.vault, "Deposit", [
        (a: string) => a.toLowerCase() === s.alice.account.address,
        (a: string) => a.toLowerCase() === s.alice.account.address,
        amount,
        amount * 1_000n,
      ]);
      await viem.assertions.emitWithArgs(hash, s.vault, "AssetsRouted", [parseEther("9"), (x: bigint) => x > 0n]);
      assert.equal(await s.vault.read.balanceOf([s.alice.account.address]), amount * 1_000n);
      const l = await liquidity(s);
      assert.equal(l.buffer, parseEther("1"));
      assert.equal(l.inStrategy, parseEther("9"));
      assert.equal(l.free, parseEther("1"));
      assert.equal(await s.vault.read.totalAssets(), amount);
      assert.equal(await s.weth.read.balanceOf([s.vault.address]), parseEther("1"));
      assert.equal(await s.layer.read.totalAssetsOf([s.vault.address]), parseEther("9"));
    });

    it("keeps later deposits in the buffer until the free buffer passes its maximum (lazy routing)", async () => {
      const s = await fresh();
      await depositEth(s, s.alice, parseEther("10"));
      const quiet = await depositEth(s, s.alice, parseEther("0.5"));
      const receipt = await s.publicClient.waitForTransactionReceipt({ hash: quiet });
      assert.equal(
        receipt.logs.some((log) => log.address.toLowerCase() === s.layer.address.toLowerCase()),
        false,
        "a deposit inside the band does not touch the strategy",
      );
      assert.equal((await liquidity(s)).buffer, parseEther("1.5"));
      // 2.5 of 11.5 is above 15%: route down to 10% (1.15).
      const crossing = await depositEth(s, s.bob, parseEther("1"));
      await viem.assertions.emitWithArgs(crossing, s.vault, "AssetsRouted", [
        parseEther("1.35"),
        (x: bigint) => x > 0n,
      ]);
      const l = await liquidity(s);
      assert.equal(l.buffer, parseEther("1.15"));
      assert.equal(l.inStrategy, parseEther("10.35"));
    });

    it("never routes the part of the buffer reserved for queued withdrawals", async () => {
      const s = await fresh();
      await depositEth(s, s.alice, parseEther("10"));
      await s.vault.write.requestWithdrawal([SGETH, 0n], { account: s.alice.account });
      await depositEth(s, s.bob, parseEther("0.6"));
      // buffer 1.6 of 10.6 is above 15%, but 1 ETH of it is reserved: free 0.6 < 1.59, so nothing is routed.
      const l = await liquidity(s);
      assert.equal(l.buffer, parseEther("1.6"));
      assert.equal(l.queued, parseEther("1"));
      assert.equal(l.free, parseEther("0.6"));
    });

    it("mints to the receiver, not the sender", async () => {
      const s = await fresh();
      await s.vault.write.depositETH([s.bob.account.address, 0n], { account: s.alice.account, value: 10n ** 18n });
      assert.equal(await s.vault.read.balanceOf([s.bob.account.address]), SGETH);
      assert.equal(await s.vault.read.balanceOf([s.alice.account.address]), 0n);
    });

    it("reverts below minShares with SharesBelowMinimum(shares, minShares)", async () => {
      const s = await fresh();
      await viem.assertions.revertWithCustomErrorWithArgs(
        depositEth(s, s.alice, 10n ** 18n, SGETH + 1n),
        s.vault,
        "SharesBelowMinimum",
        [SGETH, SGETH + 1n],
      );
      await depositEth(s, s.alice, 10n ** 18n, SGETH);
    });

    it("reverts on zero value with ZeroAmount", async () => {
      const s = await fresh();
      await viem.assertions.revertWithCustomError(depositEth(s, s.alice, 0n), s.vault, "ZeroAmount");
    });

    it("reverts to the zero receiver with ERC20InvalidReceiver", async () => {
      const s = await fresh();
      await viem.assertions.revertWithCustomErrorWithArgs(
        s.vault.write.depositETH([zeroAddress, 0n], { account: s.alice.account, value: 1n }),
        s.vault,
        "ERC20InvalidReceiver",
        [zeroAddress],
      );
    });

    it("enforces the deposit cap with ERC4626ExceededMaxDeposit(receiver, assets, max)", async () => {
      const s = await fresh();
      await depositEth(s, s.alice, parseEther("999"));
      await viem.assertions.revertWithCustomErrorWithArgs(
        depositEth(s, s.bob, parseEther("2")),
        s.vault,
        "ERC4626ExceededMaxDeposit",
        [(a: string) => a.toLowerCase() === s.bob.account.address, parseEther("2"), parseEther("1")],
      );
      assert.equal(await s.vault.read.maxDeposit([s.bob.account.address]), parseEther("1"));
      await depositEth(s, s.bob, parseEther("1"));
      assert.equal(await s.vault.read.maxDeposit([s.bob.account.address]), 0n);
      assert.equal(await s.vault.read.maxMint([s.bob.account.address]), 0n);
    });

    it("reverts with ZeroShares when the rate has been pushed so high that a deposit would mint nothing", async () => {
      const s = await fresh();
      // Deposit, then exit all but one share unit: the fee stays behind, so the one
      // share left (plus the 1,000 virtual shares) holds ~0.0025 ETH: 1 wei now buys no share.
      // No routing, so the whole deposit stays exitable.
      await s.vault.write.setParameters([{ ...s.params, bufferMaxBps: 10_000n, bufferTargetBps: 10_000n }], {
        account: s.admin.account,
      });
      await depositEth(s, s.alice, parseEther("1"));
      const shares = await s.vault.read.balanceOf([s.alice.account.address]);
      await s.vault.write.instantExit([shares - 1n, 0n, s.alice.account.address], { account: s.alice.account });
      await viem.assertions.revertWithCustomErrorWithArgs(depositEth(s, s.bob, 1n), s.vault, "ZeroShares", [1n]);
    });
  });

  describe("ERC-4626 deposit and mint (WETH)", () => {
    async function withWeth() {
      const s = await fresh();
      await s.weth.write.deposit({ account: s.alice.account, value: parseEther("5") });
      await s.weth.write.approve([s.vault.address, parseEther("5")], { account: s.alice.account });
      return s;
    }

    it("deposit(assets, receiver) pulls WETH and mints like depositETH", async () => {
      const s = await withWeth();
      assert.equal(await s.vault.read.previewDeposit([parseEther("2")]), 2n * SGETH);
      await viem.assertions.emitWithArgs(
        s.vault.write.deposit([parseEther("2"), s.alice.account.address], { account: s.alice.account }),
        s.vault,
        "Deposit",
        [
          (a: string) => a.toLowerCase() === s.alice.account.address,
          (a: string) => a.toLowerCase() === s.alice.account.address,
          parseEther("2"),
          2n * SGETH,
        ],
      );
      assert.equal(await s.vault.read.balanceOf([s.alice.account.address]), 2n * SGETH);
      assert.equal(await s.weth.read.balanceOf([s.alice.account.address]), parseEther("3"));
    });

    it("deposit(assets, receiver, minShares) (ERC-5143) bounds slippage", async () => {
      const s = await withWeth();
      await viem.assertions.revertWithCustomErrorWithArgs(
        s.vault.write.deposit([parseEther("1"), s.alice.account.address, SGETH + 1n], { account: s.alice.account }),
        s.vault,
        "SharesBelowMinimum",
        [SGETH, SGETH + 1n],
      );
      await s.vault.write.deposit([parseEther("1"), s.alice.account.address, SGETH], { account: s.alice.account });
      assert.equal(await s.vault.read.balanceOf([s.alice.account.address]), SGETH);
    });

    it("deposit reverts on zero assets and without allowance", async () => {
      const s = await withWeth();
      await viem.assertions.revertWithCustomError(
        s.vault.write.deposit([0n, s.alice.account.address], { account: s.alice.account }),
        s.vault,
        "ZeroAmount",
      );
      await viem.assertions.revertWithCustomError(
        s.vault.write.deposit([parseEther("1"), s.bob.account.address], { account: s.bob.account }),
        s.weth,
        "ERC20InsufficientAllowance",
      );
    });

    it("mint(shares, receiver) pulls the rounded-up assets, bounded by the allowance", async () => {
      const s = await withWeth();
      assert.equal(await s.vault.read.previewMint([SGETH]), parseEther("1"));
      await s.vault.write.mint([SGETH, s.bob.account.address], { account: s.alice.account });
      assert.equal(await s.vault.read.balanceOf([s.bob.account.address]), SGETH);
      assert.equal(await s.weth.read.allowance([s.alice.account.address, s.vault.address]), parseEther("4"));
      await viem.assertions.revertWithCustomError(
        s.vault.write.mint([5n * SGETH, s.bob.account.address], { account: s.alice.account }),
        s.weth,
        "ERC20InsufficientAllowance",
      );
      await viem.assertions.revertWithCustomError(
        s.vault.write.mint([0n, s.bob.account.address], { account: s.alice.account }),
        s.vault,
        "ZeroAmount",
      );
    });

    it("maxMint follows the cap", async () => {
      const s = await withWeth();
      assert.equal(await s.vault.read.maxMint([s.alice.account.address]), 1_000n * SGETH);
    });
  });

  describe("accounting ignores donations", () => {
    it("WETH sent to the vault and rewards donated to the layer do not move the rate until reported", async () => {
      const s = await fresh();
      await depositEth(s, s.alice, parseEther("1"));
      const rate = await s.vault.read.exchangeRate();
      await s.weth.write.transfer([s.vault.address, parseEther("5")], { account: s.admin.account });
      await addRewards(s, parseEther("5"));
      assert.equal(await s.vault.read.exchangeRate(), rate);
      assert.equal(await s.vault.read.totalAssets(), parseEther("1"));
    });

    it("plain ETH sent to the vault is refused with UnexpectedEthSender", async () => {
      const s = await fresh();
      await viem.assertions.revertWithCustomErrorWithArgs(
        s.alice.sendTransaction({ to: s.vault.address, value: 1n }),
        s.vault,
        "UnexpectedEthSender",
        [(a: string) => a.toLowerCase() === s.alice.account.address],
      );
    });
  });

  describe("sgETH is a plain ERC-20", () => {
    it("transfers between holders (the game and the worker registry hold it), also while paused", async () => {
      const s = await fresh();
      await depositEth(s, s.alice, parseEther("1"));
      await s.vault.write.pause([true, true], { account: s.guardian.account });
      await s.vault.write.transfer([s.bob.account.address, SGETH / 4n], { account: s.alice.account });
      await s.vault.write.approve([s.carol.account.address, SGETH / 4n], { account: s.alice.account });
      await s.vault.write.transferFrom([s.alice.account.address, s.carol.account.address, SGETH / 4n], {
        account: s.carol.account,
      });
      assert.equal(await s.vault.read.balanceOf([s.bob.account.address]), SGETH / 4n);
      assert.equal(await s.vault.read.balanceOf([s.carol.account.address]), SGETH / 4n);
      assert.equal(await s.vault.read.balanceOf([s.alice.account.address]), SGETH / 2n);
    });

    it("refuses transfers to the vault itself with ERC20InvalidReceiver (they would be lost in the escrow)", async () => {
      const s = await fresh();
      await depositEth(s, s.alice, parseEther("1"));
      const toVault = [(a: string) => a.toLowerCase() === s.vault.address.toLowerCase()] as const;
      await viem.assertions.revertWithCustomErrorWithArgs(
        s.vault.write.transfer([s.vault.address, 1n], { account: s.alice.account }),
        s.vault,
        "ERC20InvalidReceiver",
        [...toVault],
      );
      await s.vault.write.approve([s.bob.account.address, 1n], { account: s.alice.account });
      await viem.assertions.revertWithCustomErrorWithArgs(
        s.vault.write.transferFrom([s.alice.account.address, s.vault.address, 1n], { account: s.bob.account }),
        s.vault,
        "ERC20InvalidReceiver",
        [...toVault],
      );
    });
  });

  describe("conversions", () => {
    it("use 1,000 virtual shares and one virtual wei", async () => {
      const s = await fresh();
      await depositEth(s, s.alice, 3n);
      const supply = await s.vault.read.totalSupply();
      assert.equal(supply, 3_000n);
      assert.equal(await s.vault.read.convertToShares([7n]), (7n * (supply + VIRTUAL_SHARES)) / 4n);
      assert.equal(await s.vault.read.convertToAssets([2_000n]), (2_000n * 4n) / (supply + VIRTUAL_SHARES));
    });
  });
});

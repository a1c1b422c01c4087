import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keccak256, maxUint128, parseEther, toBytes, zeroAddress, type Address } from "viem";
import {
  deployLibraries,
  deploySymbioticSystem,
  depositEth,
  networkHelpers,
  SGETH,
  viem,
  WITHDRAWAL_DELAY,
  type Parameters,
  type System,
} from "./fixture.js";

const GUARDIAN_ROLE = keccak256(toBytes("GUARDIAN_ROLE"));
const ORACLE_ROLE = keccak256(toBytes("ORACLE_ROLE"));
const ADMIN_ROLE = `0x${"00".repeat(32)}` as const;

async function funded(): Promise<System> {
  const s = await deploySymbioticSystem();
  await depositEth(s, s.alice, parseEther("10"));
  return s;
}

async function fresh(): Promise<System> {
  return networkHelpers.loadFixture(funded);
}

describe("SurgeVault roles and parameters", () => {
  describe("constructor", () => {
    it("grants each role to its own account and stores the parameters", async () => {
      const s = await fresh();
      assert.equal(await s.vault.read.hasRole([ADMIN_ROLE, s.admin.account.address]), true);
      assert.equal(await s.vault.read.hasRole([GUARDIAN_ROLE, s.guardian.account.address]), true);
      assert.equal(await s.vault.read.hasRole([ORACLE_ROLE, s.oracle.account.address]), true);
      assert.equal(await s.vault.read.hasRole([GUARDIAN_ROLE, s.admin.account.address]), false);
      assert.equal(await s.vault.read.GUARDIAN_ROLE(), GUARDIAN_ROLE);
      assert.equal(await s.vault.read.ORACLE_ROLE(), ORACLE_ROLE);
      const p = await s.vault.read.parameters();
      assert.deepEqual({ ...p, treasury: p.treasury.toLowerCase() }, s.params);
      assert.deepEqual(await s.vault.read.paused(), [false, false]);
      assert.equal(await s.vault.read.lastReportAt(), 0n);
    });

    it("rejects a zero strategy, admin, guardian or oracle with ZeroAddress", async () => {
      const s = await fresh();
      const a = s.admin.account.address;
      const cases: Array<[Address, Address, Address, Address]> = [
        [zeroAddress, a, a, a],
        [s.layer.address, zeroAddress, a, a],
        [s.layer.address, a, zeroAddress, a],
        [s.layer.address, a, a, zeroAddress],
      ];
      for (const [strategy, admin, guardian, oracle] of cases) {
        await viem.assertions.revertWithCustomError(
          viem.deployContract("SurgeVault", [s.weth.address, strategy, admin, guardian, oracle, s.params], {
            libraries: s.libraries,
          }),
          s.vault,
          "ZeroAddress",
        );
      }
    });

    it("rejects a strategy over another token with StrategyAssetMismatch(vaultAsset, strategyAsset)", async () => {
      const s = await fresh();
      const otherWeth = await viem.deployContract("MockWETH");
      const otherLayer = await viem.deployContract("MockRestakingLayer", [
        otherWeth.address,
        1n,
        s.admin.account.address,
      ]);
      const a = s.admin.account.address;
      await viem.assertions.revertWithCustomErrorWithArgs(
        viem.deployContract("SurgeVault", [s.weth.address, otherLayer.address, a, a, a, s.params], {
          libraries: await deployLibraries(),
        }),
        s.vault,
        "StrategyAssetMismatch",
        [
          (x: string) => x.toLowerCase() === s.weth.address.toLowerCase(),
          (x: string) => x.toLowerCase() === otherWeth.address.toLowerCase(),
        ],
      );
    });

    it("checks the parameters like setParameters does", async () => {
      const s = await fresh();
      const a = s.admin.account.address;
      await viem.assertions.revertWithCustomErrorWithArgs(
        viem.deployContract(
          "SurgeVault",
          [s.weth.address, s.layer.address, a, a, a, { ...s.params, withdrawalDelayBlocks: 0n }],
          { libraries: s.libraries },
        ),
        s.vault,
        "ParameterOutOfRange",
        ["withdrawalDelayBlocks", 0n, 1n, 216_000n],
      );
    });
  });

  describe("setParameters", () => {
    it("is for the admin only and emits ParametersUpdated", async () => {
      const s = await fresh();
      const next: Parameters = { ...s.params, depositCap: parseEther("5000"), treasury: s.carol.account.address };
      for (const who of [s.guardian, s.oracle, s.alice]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          s.vault.write.setParameters([next], { account: who.account }),
          s.vault,
          "AccessControlUnauthorizedAccount",
          [(x: string) => x.toLowerCase() === who.account.address, ADMIN_ROLE],
        );
      }
      const hash = await s.vault.write.setParameters([next], { account: s.admin.account });
      await viem.assertions.emit(hash, s.vault, "ParametersUpdated");
      const p = await s.vault.read.parameters();
      assert.equal(p.depositCap, parseEther("5000"));
      assert.equal(p.treasury.toLowerCase(), s.carol.account.address);
      assert.equal(await s.vault.read.maxDeposit([s.alice.account.address]), parseEther("4990"));
    });

    it("rejects a zero treasury with ZeroAddress", async () => {
      const s = await fresh();
      await viem.assertions.revertWithCustomError(
        s.vault.write.setParameters([{ ...s.params, treasury: zeroAddress }], { account: s.admin.account }),
        s.vault,
        "ZeroAddress",
      );
    });

    const outOfRange: Array<[string, Partial<Parameters>, bigint, bigint, bigint]> = [
      ["depositCap", { depositCap: maxUint128 + 1n }, maxUint128 + 1n, 0n, maxUint128],
      ["bufferMaxBps", { bufferMaxBps: 10_001n }, 10_001n, 0n, 10_000n],
      ["bufferTargetBps", { bufferTargetBps: 1_600n }, 1_600n, 0n, 1_500n],
      ["protocolFeeBps", { protocolFeeBps: 2_001n }, 2_001n, 0n, 2_000n],
      // The strategy's delay is a time (Symbiotic's epochs), so it is no floor of this number of blocks.
      ["withdrawalDelayBlocks", { withdrawalDelayBlocks: 0n }, 0n, 1n, 216_000n],
      ["withdrawalDelayBlocks", { withdrawalDelayBlocks: 216_001n }, 216_001n, 1n, 216_000n],
      ["minReportInterval", { minReportInterval: 3_599n }, 3_599n, 3_600n, 604_800n],
      ["minReportInterval", { minReportInterval: 604_801n }, 604_801n, 3_600n, 604_800n],
      ["maxReportIncreaseBps", { maxReportIncreaseBps: 501n }, 501n, 0n, 500n],
      ["instantExitFeeBps", { instantExitFeeBps: 49n }, 49n, 50n, 500n],
      ["instantExitFeeBps", { instantExitFeeBps: 501n, maxReportIncreaseBps: 10n }, 501n, 10n, 500n],
    ];
    for (const [name, change, value, min, max] of outOfRange) {
      it(`rejects ${name} = ${value} with ParameterOutOfRange(${name}, ${value}, ${min}, ${max})`, async () => {
        const s = await fresh();
        await viem.assertions.revertWithCustomErrorWithArgs(
          s.vault.write.setParameters([{ ...s.params, ...change }], { account: s.admin.account }),
          s.vault,
          "ParameterOutOfRange",
          [name, value, min, max],
        );
      });
    }

    it("accepts the extremes of every range", async () => {
      const s = await fresh();
      await s.vault.write.setParameters(
        [
          {
            ...s.params,
            depositCap: maxUint128,
            bufferTargetBps: 10_000n,
            bufferMaxBps: 10_000n,
            protocolFeeBps: 2_000n,
            withdrawalDelayBlocks: 1n,
            minReportInterval: 3_600n,
            maxReportIncreaseBps: 500n,
            instantExitFeeBps: 500n,
            instantExitDailyLimit: 0n,
          },
        ],
        { account: s.admin.account },
      );
      assert.equal((await s.vault.read.parameters()).withdrawalDelayBlocks, 1n);
      assert.equal(await s.vault.read.instantExitRemaining(), 0n);
    });
  });

  describe("pause", () => {
    it("only the guardian pauses; only the admin unpauses; each emits PauseUpdated", async () => {
      const s = await fresh();
      await viem.assertions.revertWithCustomErrorWithArgs(
        s.vault.write.pause([true, true], { account: s.admin.account }),
        s.vault,
        "AccessControlUnauthorizedAccount",
        [(x: string) => x.toLowerCase() === s.admin.account.address, GUARDIAN_ROLE],
      );
      await viem.assertions.emitWithArgs(
        s.vault.write.pause([true, false], { account: s.guardian.account }),
        s.vault,
        "PauseUpdated",
        [(x: string) => x.toLowerCase() === s.guardian.account.address, true, false],
      );
      await viem.assertions.emitWithArgs(
        s.vault.write.pause([false, true], { account: s.guardian.account }),
        s.vault,
        "PauseUpdated",
        [(x: string) => x.toLowerCase() === s.guardian.account.address, true, true],
      );
      assert.deepEqual(await s.vault.read.paused(), [true, true]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        s.vault.write.unpause([true, true], { account: s.guardian.account }),
        s.vault,
        "AccessControlUnauthorizedAccount",
        [(x: string) => x.toLowerCase() === s.guardian.account.address, ADMIN_ROLE],
      );
      await viem.assertions.emitWithArgs(
        s.vault.write.unpause([true, false], { account: s.admin.account }),
        s.vault,
        "PauseUpdated",
        [(x: string) => x.toLowerCase() === s.admin.account.address, false, true],
      );
      assert.deepEqual(await s.vault.read.paused(), [false, true]);
    });

    it("a deposit pause blocks every entry and zeroes maxDeposit/maxMint", async () => {
      const s = await fresh();
      await s.weth.write.deposit({ account: s.bob.account, value: parseEther("2") });
      await s.weth.write.approve([s.vault.address, parseEther("2")], { account: s.bob.account });
      await s.vault.write.pause([true, false], { account: s.guardian.account });
      const bob = s.bob.account.address;
      for (const call of [
        () => depositEth(s, s.bob, parseEther("1")),
        () => s.vault.write.deposit([parseEther("1"), bob], { account: s.bob.account }),
        () => s.vault.write.deposit([parseEther("1"), bob, 0n], { account: s.bob.account }),
        () => s.vault.write.mint([SGETH, bob], { account: s.bob.account }),
      ]) {
        await viem.assertions.revertWithCustomError(call(), s.vault, "DepositsPaused");
      }
      assert.equal(await s.vault.read.maxDeposit([bob]), 0n);
      assert.equal(await s.vault.read.maxMint([bob]), 0n);
      // Exits stay open.
      await s.vault.write.requestWithdrawal([SGETH, 0n], { account: s.alice.account });
    });
  });

  describe("no role can move users' assets", () => {
    it("the vault has no entry point that moves a holder's shares or the pool's WETH for a role", async () => {
      const s = await fresh();
      const writable = s.vault.abi
        .flatMap((item) => (item.type === "function" ? [item] : []))
        .filter((item) => item.stateMutability !== "view" && item.stateMutability !== "pure")
        .map((item) => item.name)
        .sort();
      assert.deepEqual(
        [...new Set(writable)],
        [
          "approve",
          "claimWithdrawal",
          "claimWithdrawals",
          "deposit",
          "depositETH",
          "grantRole",
          "instantExit",
          "mint",
          "pause",
          "rebalance",
          "renounceRole",
          "report",
          "requestWithdrawal",
          "revokeRole",
          "setParameters",
          "syncLoss",
          "transfer",
          "transferFrom",
          "unpause",
        ],
      );
    });

    it("admin, guardian and oracle can neither take a holder's sgETH nor claim their request", async () => {
      const s = await fresh();
      await s.vault.write.requestWithdrawal([SGETH, 0n], { account: s.alice.account });
      await networkHelpers.mine(WITHDRAWAL_DELAY);
      for (const role of [s.admin, s.guardian, s.oracle]) {
        await viem.assertions.revertWithCustomError(
          s.vault.write.transferFrom([s.alice.account.address, role.account.address, 1n], { account: role.account }),
          s.vault,
          "ERC20InsufficientAllowance",
        );
        await viem.assertions.revertWithCustomError(
          s.vault.write.claimWithdrawal([1n, role.account.address, 0n], { account: role.account }),
          s.vault,
          "NotRequestOwner",
        );
      }
    });

    it("the admin manages roles; other roles cannot", async () => {
      const s = await fresh();
      await viem.assertions.revertWithCustomError(
        s.vault.write.grantRole([ORACLE_ROLE, s.guardian.account.address], { account: s.guardian.account }),
        s.vault,
        "AccessControlUnauthorizedAccount",
      );
      await s.vault.write.grantRole([ORACLE_ROLE, s.carol.account.address], { account: s.admin.account });
      assert.equal(await s.vault.read.hasRole([ORACLE_ROLE, s.carol.account.address]), true);
      await s.vault.write.revokeRole([ORACLE_ROLE, s.carol.account.address], { account: s.admin.account });
      assert.equal(await s.vault.read.hasRole([ORACLE_ROLE, s.carol.account.address]), false);
    });
  });
});

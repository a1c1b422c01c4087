import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeFunctionData, getAddress, parseEther, zeroAddress } from "viem";
import { BURN_ADDRESS, freshSettlement, MIN_BOND, networkHelpers, SGETH, UNBONDING_DELAY, viem } from "./fixture.js";

describe("WorkerRegistry", () => {
  it("registers with at least the minimum bond, held by the registry, and adds to it", async () => {
    const s = await freshSettlement();
    const [w] = [s.challenger];
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.workers.write.register([MIN_BOND - 1n], { account: w.account }),
      s.workers,
      "BondBelowMinimum",
      [MIN_BOND - 1n, MIN_BOND],
    );
    const before = await s.vault.read.balanceOf([s.workers.address]);
    await viem.assertions.emitWithArgs(
      s.workers.write.register([MIN_BOND], { account: w.account }),
      s.workers,
      "WorkerRegistered",
      [getAddress(w.account.address), MIN_BOND],
    );
    await viem.assertions.revertWithCustomError(s.workers.write.register([MIN_BOND], { account: w.account }), s.workers, "AlreadyRegistered");
    await s.workers.write.addBond([SGETH / 2n], { account: w.account });
    assert.equal((await s.workers.read.workerOf([w.account.address])).bond, MIN_BOND + SGETH / 2n);
    assert.equal((await s.vault.read.balanceOf([s.workers.address])) - before, MIN_BOND + SGETH / 2n);
    assert.equal(await s.workers.read.totalBonded(), 5n * MIN_BOND + SGETH / 2n);
    assert.equal(await s.workers.read.isEligible([w.account.address]), true);
  });

  it("leaves through the unbonding delay: ineligible at once, paid after the delay", async () => {
    const s = await freshSettlement();
    const w = s.w1;
    await viem.assertions.revertWithCustomError(s.workers.write.withdraw({ account: w.account }), s.workers, "NotExiting");
    await s.workers.write.requestExit({ account: w.account });
    assert.equal(await s.workers.read.isEligible([w.account.address]), false);
    await viem.assertions.revertWithCustomError(s.workers.write.requestExit({ account: w.account }), s.workers, "AlreadyExiting");
    await viem.assertions.revertWithCustomError(s.workers.write.addBond([1n], { account: w.account }), s.workers, "AlreadyExiting");
    await viem.assertions.revertWithCustomError(s.workers.write.withdraw({ account: w.account }), s.workers, "ExitNotReady");
    await networkHelpers.mine(UNBONDING_DELAY);
    const balance = await s.vault.read.balanceOf([w.account.address]);
    await s.workers.write.withdraw({ account: w.account });
    assert.equal((await s.vault.read.balanceOf([w.account.address])) - balance, MIN_BOND);
    assert.equal((await s.workers.read.workerOf([w.account.address])).registered, false);
    assert.equal(await s.workers.read.totalBonded(), 3n * MIN_BOND);
  });

  it("lets only the settlement slash and record attestations, and binds it once, by the deployer", async () => {
    const s = await freshSettlement();
    await viem.assertions.revertWithCustomError(
      s.workers.write.slash([s.w1.account.address, 10_000n], { account: s.challenger.account }),
      s.workers,
      "NotSettlement",
    );
    await viem.assertions.revertWithCustomError(
      s.workers.write.recordAttestation([s.w1.account.address], { account: s.w1.account }),
      s.workers,
      "NotSettlement",
    );
    await viem.assertions.revertWithCustomError(
      s.workers.write.bindSettlement([s.challenger.account.address]),
      s.workers,
      "SettlementBindingClosed",
    );
    const fresh = await viem.deployContract("WorkerRegistry", [s.vault.address, MIN_BOND, UNBONDING_DELAY]);
    await viem.assertions.revertWithCustomError(
      fresh.write.bindSettlement([s.challenger.account.address], { account: s.challenger.account }),
      fresh,
      "SettlementBindingClosed",
    );
    await viem.assertions.revertWithCustomError(fresh.write.bindSettlement([zeroAddress]), fresh, "ZeroAddress");
    // Unbound: nobody can slash, not even the zero address's would-be caller.
    await viem.assertions.revertWithCustomError(
      fresh.write.slash([s.w1.account.address, 1n]),
      fresh,
      "NotSettlement",
    );
  });

  it("slashes at most the bond and burns all of it, nothing to the challenger (settlement impersonated)", async () => {
    const s = await freshSettlement();
    await networkHelpers.impersonateAccount(s.settlement.address);
    await networkHelpers.setBalance(s.settlement.address, parseEther("1"));
    const asSettlement = { account: s.settlement.address };
    await viem.assertions.revertWithCustomError(
      s.workers.write.slash([s.w1.account.address, 10_001n], asSettlement),
      s.workers,
      "InvalidAmount",
    );
    const burned = await s.vault.read.balanceOf([BURN_ADDRESS]);
    const challengerShares = await s.vault.read.balanceOf([s.challenger.account.address]);
    const registryShares = await s.vault.read.balanceOf([s.workers.address]);
    await viem.assertions.emitWithArgs(
      s.workers.write.slash([s.w1.account.address, 5_000n], asSettlement),
      s.workers,
      "WorkerSlashed",
      [getAddress(s.w1.account.address), MIN_BOND / 2n, MIN_BOND / 2n],
    );
    await s.workers.write.slash([s.w1.account.address, 10_000n], asSettlement);
    const w = await s.workers.read.workerOf([s.w1.account.address]);
    assert.equal(w.bond, 0n);
    assert.equal(w.slashes, 2);
    assert.equal(await s.workers.read.slashedOf([s.w1.account.address]), MIN_BOND);
    // Burned whole: the burn address got all of it, nobody else a share.
    assert.equal((await s.vault.read.balanceOf([BURN_ADDRESS])) - burned, MIN_BOND);
    assert.equal(registryShares - (await s.vault.read.balanceOf([s.workers.address])), MIN_BOND);
    assert.equal(await s.vault.read.balanceOf([s.challenger.account.address]), challengerShares);
    // Nothing left: a second slash takes nothing, and a slashed worker may not attest again.
    await s.workers.write.slash([s.w1.account.address, 10_000n], asSettlement);
    assert.equal(await s.workers.read.slashedOf([s.w1.account.address]), MIN_BOND);
    assert.equal(await s.workers.read.isEligible([s.w1.account.address]), false);
    assert.equal(await s.workers.read.totalBonded(), 3n * MIN_BOND);
    await networkHelpers.stopImpersonatingAccount(s.settlement.address);
  });

  it("cannot be re-entered through a token hook to withdraw twice", async () => {
    const token = await viem.deployContract("MockHookToken");
    const registry = await viem.deployContract("WorkerRegistry", [token.address, MIN_BOND, UNBONDING_DELAY]);
    const attacker = await viem.deployContract("ReentrantReceiver");
    await token.write.mint([attacker.address, MIN_BOND]);
    await token.write.mint([registry.address, 5n * MIN_BOND]); // other workers' bonds, as bait
    const call = (data: `0x${string}`, to = registry.address) => attacker.write.execute([to, data]);
    await call(encodeFunctionData({ abi: token.abi, functionName: "approve", args: [registry.address, MIN_BOND] }), token.address);
    await call(encodeFunctionData({ abi: registry.abi, functionName: "register", args: [MIN_BOND] }));
    await call(encodeFunctionData({ abi: registry.abi, functionName: "requestExit" }));
    await networkHelpers.mine(UNBONDING_DELAY);
    const withdraw = encodeFunctionData({ abi: registry.abi, functionName: "withdraw" });
    await attacker.write.setReentry([registry.address, withdraw]);
    await call(withdraw);
    assert.equal(await attacker.read.reentryAttempted(), true);
    assert.equal(await attacker.read.reentrySucceeded(), false);
    assert.equal(await token.read.balanceOf([attacker.address]), MIN_BOND, "paid once");
    assert.equal(await token.read.balanceOf([registry.address]), 5n * MIN_BOND);
  });
});

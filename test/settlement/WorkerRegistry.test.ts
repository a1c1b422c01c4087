import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeFunctionData, getAddress, keccak256, parseEther, zeroAddress } from "viem";
import { aggregatePublicKeys, blsKey, nonSignersHash, signPop } from "../../game/chain/bls.js";
import {
  BURN_ADDRESS,
  blsKeyOf,
  freshSettlement,
  MIN_BOND,
  networkHelpers,
  registerWorker,
  SGETH,
  UNBONDING_DELAY,
  viem,
  type Settlement,
  type Wallet,
} from "./fixture.js";

const indexOf = async (s: Settlement, w: Wallet) => BigInt((await s.workers.read.workerOf([w.account.address])).index);

/** The aggregate key of `wallets`, as the registry must hold it for the eligible set. */
const apkOf = (wallets: Wallet[]) => aggregatePublicKeys(wallets.map((w) => blsKeyOf(w.account.address).publicKey));

/** Records a rejection as the settlement would: signed at the current version by all eligible but `nonSigners`. */
async function reject(s: Settlement, nonSigners: bigint[], signers: bigint, bps = 5_000n) {
  await networkHelpers.impersonateAccount(s.settlement.address);
  await networkHelpers.setBalance(s.settlement.address, parseEther("1"));
  const version = await s.workers.read.version();
  await s.workers.write.recordRejection([version, nonSignersHash(nonSigners), signers, bps], { account: s.settlement.address });
  await networkHelpers.stopImpersonatingAccount(s.settlement.address);
  return (await s.workers.read.rejectionCount()) - 1n;
}

describe("WorkerRegistry", () => {
  it("registers with at least the minimum bond, a BLS key and its proof of possession, and adds to the bond", async () => {
    const s = await freshSettlement();
    const w = s.challenger;
    const key = blsKeyOf(w.account.address);
    const chainId = await s.publicClient.getChainId();
    const pop = signPop(key, chainId, s.workers.address, w.account.address);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.workers.write.register([MIN_BOND - 1n, key.publicKey, pop], { account: w.account }),
      s.workers,
      "BondBelowMinimum",
      [MIN_BOND - 1n, MIN_BOND],
    );
    // Wrong PoPs: another key's, this key's for another address (a copied key), for another registry, and a key at
    // infinity (which would verify the signature at infinity).
    const other = blsKey(12345n);
    const bad = [
      [key.publicKey, signPop(other, chainId, s.workers.address, w.account.address)],
      [key.publicKey, signPop(key, chainId, s.workers.address, s.p1.account.address)],
      [key.publicKey, signPop(key, chainId, s.runs.address, w.account.address)],
      [blsKeyOf(s.w1.account.address).publicKey, signPop(key, chainId, s.workers.address, w.account.address)],
      [`0x${"00".repeat(128)}`, `0x${"00".repeat(256)}`],
    ] as const;
    for (const [pk, p] of bad) {
      await viem.assertions.revertWithCustomError(
        s.workers.write.register([MIN_BOND, pk, p], { account: w.account }),
        s.workers,
        "InvalidProofOfPossession",
      );
    }
    const before = await s.vault.read.balanceOf([s.workers.address]);
    await viem.assertions.emitWithArgs(
      s.workers.write.register([MIN_BOND, key.publicKey, pop], { account: w.account }),
      s.workers,
      "WorkerRegistered",
      [getAddress(w.account.address), MIN_BOND, 4n, key.publicKey],
    );
    assert.equal(await s.workers.read.publicKeyOf([4n]), key.publicKey);
    assert.equal(await s.workers.read.workerAt([4n]), getAddress(w.account.address));
    assert.equal(await s.workers.read.aggregatePublicKey(), apkOf([...s.workerWallets, w]));
    await viem.assertions.revertWithCustomError(registerWorker(s, w, MIN_BOND), s.workers, "AlreadyRegistered");
    const version = await s.workers.read.version();
    await s.workers.write.addBond([SGETH / 2n], { account: w.account });
    assert.equal((await s.workers.read.workerOf([w.account.address])).bond, MIN_BOND + SGETH / 2n);
    assert.equal((await s.vault.read.balanceOf([s.workers.address])) - before, MIN_BOND + SGETH / 2n);
    assert.equal(await s.workers.read.totalBonded(), 5n * MIN_BOND + SGETH / 2n);
    assert.equal(await s.workers.read.eligibleStake(), 5n * MIN_BOND + SGETH / 2n);
    assert.equal(await s.workers.read.isEligible([w.account.address]), true);
    // The bond history answers for every version: the top-up counts from the next one.
    assert.equal(await s.workers.read.bondAt([4n, version]), MIN_BOND);
    assert.equal(await s.workers.read.bondAt([4n, version + 1n]), MIN_BOND + SGETH / 2n);
    assert.equal(await s.workers.read.bondAt([4n, version - 1n]), 0n, "not in the set before it joined");
  });

  it("leaves through the unbonding delay: out of the set (stake and key) at once, paid after the delay", async () => {
    const s = await freshSettlement();
    const w = s.w1;
    await viem.assertions.revertWithCustomError(s.workers.write.withdraw({ account: w.account }), s.workers, "NotExiting");
    await s.workers.write.requestExit({ account: w.account });
    assert.equal(await s.workers.read.isEligible([w.account.address]), false);
    assert.equal(await s.workers.read.aggregatePublicKey(), apkOf([s.w2, s.w3, s.w4]));
    assert.equal(await s.workers.read.eligibleCount(), 3n);
    await viem.assertions.revertWithCustomError(s.workers.write.requestExit({ account: w.account }), s.workers, "AlreadyExiting");
    await viem.assertions.revertWithCustomError(s.workers.write.addBond([1n], { account: w.account }), s.workers, "AlreadyExiting");
    await viem.assertions.revertWithCustomError(s.workers.write.withdraw({ account: w.account }), s.workers, "ExitNotReady");
    await networkHelpers.mine(UNBONDING_DELAY);
    const balance = await s.vault.read.balanceOf([w.account.address]);
    await s.workers.write.withdraw({ account: w.account });
    assert.equal((await s.vault.read.balanceOf([w.account.address])) - balance, MIN_BOND);
    assert.equal((await s.workers.read.workerOf([w.account.address])).registered, false);
    assert.equal(await s.workers.read.totalBonded(), 3n * MIN_BOND);
    // Everyone out: the aggregate key is the point at infinity, the stake zero.
    for (const x of [s.w2, s.w3, s.w4]) await s.workers.write.requestExit({ account: x.account });
    assert.equal(await s.workers.read.aggregatePublicKey(), `0x${"00".repeat(128)}`);
    assert.equal(await s.workers.read.eligibleStake(), 0n);
  });

  it("lets only the settlement record rejections, and binds it once, by the deployer", async () => {
    const s = await freshSettlement();
    await viem.assertions.revertWithCustomError(
      s.workers.write.recordRejection([1n, keccak256("0x"), 4n, 10_000n], { account: s.challenger.account }),
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
    // Unbound: nobody can record a rejection.
    await viem.assertions.revertWithCustomError(fresh.write.recordRejection([1n, keccak256("0x"), 1n, 1n]), fresh, "NotSettlement");
  });

  it("slashes a rejection's signers lazily: exits and top-ups in between are taken out once, the slash burned whole", async () => {
    const s = await freshSettlement();
    const [i1, i2, i3, i4] = await Promise.all(s.workerWallets.map((w) => indexOf(s, w)));
    // w1, w2, w3 signed a root that is rejected; w4 did not.
    const r = await reject(s, [i4!], 3n);
    assert.equal(await s.workers.read.pendingSlashes(), 3n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.workers.read.checkSignatures([keccak256("0x"), [], `0x${"00".repeat(256)}`]),
      s.workers,
      "SlashesPending",
      [3n],
    );
    // Between the attestation and the slash: w2 asks to exit (its stake leaves the set now), w3 tops up.
    await s.workers.write.requestExit({ account: s.w2.account });
    await s.vault.write.depositETH([s.w3.account.address, 0n], { account: s.w3.account, value: parseEther("2") });
    await s.workers.write.addBond([MIN_BOND], { account: s.w3.account });
    assert.equal(await s.workers.read.eligibleStake(), 4n * MIN_BOND); // w1 1, w3 2, w4 1
    // w2 may not take its bond before it is checked.
    await networkHelpers.mine(UNBONDING_DELAY);
    await viem.assertions.revertWithCustomErrorWithArgs(s.workers.write.withdraw({ account: s.w2.account }), s.workers, "NotCleared", [i2!]);
    // A list that is not the attestation's is refused.
    await viem.assertions.revertWithCustomError(s.workers.write.applySlashes([r, [], [i1!]]), s.workers, "UnknownRejection");
    await viem.assertions.revertWithCustomError(s.workers.write.applySlashes([r + 1n, [i4!], [i1!]]), s.workers, "UnknownRejection");
    const burned = await s.vault.read.balanceOf([BURN_ADDRESS]);
    // Two batches, anyone calls them; a worker given twice is checked once.
    await s.workers.write.applySlashes([r, [i4!], [i1!, i4!]], { account: s.p1.account });
    assert.equal(await s.workers.read.pendingSlashes(), 2n);
    await s.workers.write.applySlashes([r, [i4!], [i1!, i2!, i3!]], { account: s.p2.account });
    assert.equal(await s.workers.read.pendingSlashes(), 0n);
    const expected = MIN_BOND / 2n + MIN_BOND / 2n + MIN_BOND; // half of each bond now (w3's top-up included)
    assert.equal((await s.vault.read.balanceOf([BURN_ADDRESS])) - burned, expected);
    for (const [w, bond] of [[s.w1, MIN_BOND / 2n], [s.w2, MIN_BOND / 2n], [s.w3, MIN_BOND]] as const) {
      const rec = await s.workers.read.workerOf([w.account.address]);
      assert.equal(rec.bond, bond);
      assert.equal(rec.slashes, 1);
    }
    assert.equal((await s.workers.read.workerOf([s.w4.account.address])).bond, MIN_BOND, "the non-signer keeps its bond");
    // Only w4 is left in the set: its stake and its key, each taken out once.
    assert.equal(await s.workers.read.eligibleStake(), MIN_BOND);
    assert.equal(await s.workers.read.eligibleCount(), 1n);
    assert.equal(await s.workers.read.aggregatePublicKey(), apkOf([s.w4]));
    assert.equal(await s.workers.read.totalBonded(), 4n * MIN_BOND + MIN_BOND - expected);
    // w2 leaves with what is left.
    const balance = await s.vault.read.balanceOf([s.w2.account.address]);
    await s.workers.write.withdraw({ account: s.w2.account });
    assert.equal((await s.vault.read.balanceOf([s.w2.account.address])) - balance, MIN_BOND / 2n);
  });

  it("checks each worker against rejections in order; a worker that joins later owes nothing for earlier ones", async () => {
    const s = await freshSettlement();
    const [i1, , , i4] = await Promise.all(s.workerWallets.map((w) => indexOf(s, w)));
    const first = await reject(s, [i4!], 3n); // w1, w2, w3 signed
    await registerWorker(s, s.challenger, MIN_BOND); // joins after it: cleared of it at once
    const i5 = await indexOf(s, s.challenger);
    assert.equal(await s.workers.read.clearedOf([i5]), 1n);
    // A second rejection, signed by everyone but w1 (the first rejection's signers are still in the set).
    const second = await reject(s, [i1!], 4n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.workers.write.applySlashes([second, [i1!], [i4!]]),
      s.workers,
      "RejectionsOutOfOrder",
      [i4!, 0n],
    );
    await s.workers.write.applySlashes([first, [i4!], [0n, 1n, 2n, 3n, i5]]);
    await s.workers.write.applySlashes([second, [i1!], [0n, 1n, 2n, 3n, i5]]);
    assert.equal(await s.workers.read.pendingSlashes(), 0n);
    // w2 and w3 signed both: slashed twice (half, then half of the rest); w4 and the newcomer once; w1 once.
    assert.equal((await s.workers.read.workerOf([s.w2.account.address])).bond, MIN_BOND / 4n);
    assert.equal((await s.workers.read.workerOf([s.w1.account.address])).bond, MIN_BOND / 2n);
    assert.equal((await s.workers.read.workerOf([s.w4.account.address])).bond, MIN_BOND / 2n);
    assert.equal((await s.workers.read.workerOf([s.challenger.account.address])).bond, MIN_BOND / 2n);
    assert.equal(await s.workers.read.eligibleStake(), 0n);
    assert.equal(await s.workers.read.aggregatePublicKey(), `0x${"00".repeat(128)}`);
  });

  it("cannot be re-entered through a token hook to withdraw twice", async () => {
    const token = await viem.deployContract("MockHookToken");
    const registry = await viem.deployContract("WorkerRegistry", [token.address, MIN_BOND, UNBONDING_DELAY]);
    const attacker = await viem.deployContract("ReentrantReceiver");
    await token.write.mint([attacker.address, MIN_BOND]);
    await token.write.mint([registry.address, 5n * MIN_BOND]); // other workers' bonds, as bait
    const call = (data: `0x${string}`, to = registry.address) => attacker.write.execute([to, data]);
    await call(encodeFunctionData({ abi: token.abi, functionName: "approve", args: [registry.address, MIN_BOND] }), token.address);
    const key = blsKeyOf(attacker.address);
    const chainId = await (await viem.getPublicClient()).getChainId();
    const pop = signPop(key, chainId, registry.address, attacker.address);
    await call(encodeFunctionData({ abi: registry.abi, functionName: "register", args: [MIN_BOND, key.publicKey, pop] }));
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

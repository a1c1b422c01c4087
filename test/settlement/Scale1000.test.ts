/**
 * A network of 1,000 workers on the in-process chain (issue 13): each registers its own BLS key with a proof of
 * possession; one aggregate signature of 990 of them settles an epoch in bounded gas; a wrong root signed by 990 is
 * rejected by one challenge of bounded gas, and `applySlashes` then slashes every signer in batches, after which the
 * 10 honest non-signers are the whole signer set and settle the epoch alone.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther, parseEventLogs } from "viem";
import { aggregateSignatures, attestationDigest, blsKey, nonSignersOf, signAttestation } from "../../game/chain/bls.js";
import { aggregateKey, aggregateSignature, registerWorkers, type Network } from "../helpers/workers.js";
import {
  blsKeyOf,
  buildEpoch,
  leafChallengeArgs,
  CHALLENGE_WINDOW,
  deploySettlement,
  eligibleIndices,
  MIN_BOND,
  mineToEpochEnd,
  networkHelpers,
  playRun,
  receiptOf,
  toFreshEpoch,
  viem,
  type EpochTree,
  type Settlement,
} from "./fixture.js";

const WORKERS = 1_000;
const NON_SIGNERS = 10;
const SLASH_BATCH = 125;

describe("1,000 workers", () => {
  it("register, settle an epoch with one aggregate signature, and every signer of a wrong root is slashed", async () => {
    const s = await deploySettlement();
    // 1,000 bonds of 1 sgETH are past the test vault's deposit cap (1,000 ETH): raise it.
    await s.vault.write.setParameters([{ ...s.params, depositCap: parseEther("100000") }], { account: s.admin.account });
    const net = { ...s, networkHelpers, testClient: await viem.getTestClient() } as unknown as Network;
    const more = await registerWorkers(net, 0x5ca1e, WORKERS - 4, MIN_BOND);
    // Index -> secret key: the fixture's four workers (indices 0..3), then the new ones at the indices they got.
    const keys = s.workerWallets.map((w) => blsKeyOf(w.account.address).secretKey);
    for (const w of more) keys[Number(w.index!)] = w.secretKey;
    assert.equal(await s.workers.read.eligibleCount(), BigInt(WORKERS));
    assert.equal(await s.workers.read.eligibleStake(), BigInt(WORKERS) * MIN_BOND);
    assert.equal(await s.workers.read.aggregatePublicKey(), aggregateKey(keys), "apk is the sum of the 1,000 keys");
    const all = await eligibleIndices(s);
    assert.equal(all.length, WORKERS);

    const chainId = await s.publicClient.getChainId();
    const sign = async (t: EpochTree, signers: bigint[], eligible = all) => {
      const digest = attestationDigest({
        chainId,
        settlement: s.settlement.address,
        epoch: t.epoch,
        round: await s.settlement.read.roundOf([t.epoch]),
        root: t.root,
        runCount: t.runCount,
        totalGold: t.totalGold,
      });
      const signed = new Set(signers);
      return { digest, nonSigners: nonSignersOf(eligible, signed), signature: aggregateSignature(signers.map((i) => keys[Number(i)]!), digest) };
    };
    // Every tenth-from-the-end worker does not sign: the last NON_SIGNERS indices are the honest minority.
    const signers = all.slice(0, WORKERS - NON_SIGNERS);
    const honestFew = all.slice(WORKERS - NON_SIGNERS);

    // Epoch 1: honest, signed by 990 of 1,000.
    await toFreshEpoch(s);
    const run = await playRun(s, s.p1);
    await mineToEpochEnd(s, run.epoch);
    const t = await buildEpoch(s, run.epoch);
    const a = await sign(t, signers);
    // The shortcut's aggregate is the aggregate of the individual signatures (shown for the first 8 signers).
    const first8 = signers.slice(0, 8).map((i) => keys[Number(i)]!);
    assert.equal(aggregateSignature(first8, a.digest), aggregateSignatures(first8.map((k) => signAttestation(blsKey(k).secretKey, a.digest))));
    const attestReceipt = await receiptOf(s, s.settlement.write.attest([t.epoch, t.root, t.runCount, t.totalGold, a.nonSigners, a.signature]));
    const [q] = parseEventLogs({ abi: s.settlement.abi, logs: attestReceipt.logs, eventName: "Attested" });
    assert.equal(q!.args.attesters, BigInt(WORKERS - NON_SIGNERS));
    assert.equal(q!.args.stake, BigInt(WORKERS - NON_SIGNERS) * MIN_BOND);
    await networkHelpers.mine(CHALLENGE_WINDOW + 1n);
    const finalizeReceipt = await receiptOf(s, s.settlement.write.finalize([t.epoch]));
    const settleGas = attestReceipt.gasUsed + finalizeReceipt.gasUsed;
    assert.ok(settleGas < 1_000_000n, `attest + finalize with ${WORKERS - NON_SIGNERS} signers: ${settleGas} gas`);
    // A signer claims its share of the attester pool; a non-signer cannot.
    await s.settlement.write.claimAttesterReward([t.epoch, signers[500]!, a.nonSigners]);
    await viem.assertions.revertWithCustomError(
      s.settlement.write.claimAttesterReward([t.epoch, honestFew[0]!, a.nonSigners]),
      s.settlement,
      "NoAttesterReward",
    );

    // Epoch 2: a wrong root signed by the same 990.
    await toFreshEpoch(s);
    const run2 = await playRun(s, s.p2);
    await mineToEpochEnd(s, run2.epoch);
    const forged = await buildEpoch(s, run2.epoch, (leaves) => {
      leaves[0]!.gold += 1_000n;
    });
    const f = await sign(forged, signers);
    await receiptOf(s, s.settlement.write.attest([forged.epoch, forged.root, forged.runCount, forged.totalGold, f.nonSigners, f.signature]));
    const challengeReceipt = await receiptOf(
      s,
      s.settlement.write.challengeLeaf([...leafChallengeArgs(forged, 0)], { account: s.challenger.account }),
    );
    const [rejected] = parseEventLogs({ abi: s.settlement.abi, logs: challengeReceipt.logs, eventName: "RootRejected" });
    assert.equal(rejected!.args.signers, BigInt(WORKERS - NON_SIGNERS));
    assert.equal(await s.workers.read.pendingSlashes(), BigInt(WORKERS - NON_SIGNERS));
    // No attestation until the slashes are applied: the 10 honest workers cannot settle yet (nor can the liars).
    const honest = await buildEpoch(s, run2.epoch);
    const h = await sign(honest, honestFew);
    const attestHonest = () => s.settlement.write.attest([honest.epoch, honest.root, honest.runCount, honest.totalGold, h.nonSigners, h.signature]);
    await viem.assertions.revertWithCustomError(attestHonest(), s.workers, "SlashesPending");

    let slashGas = 0n;
    for (let i = 0; i < all.length; i += SLASH_BATCH) {
      const r = await receiptOf(s, s.workers.write.applySlashes([rejected!.args.rejection!, f.nonSigners, all.slice(i, i + SLASH_BATCH)]));
      slashGas += r.gasUsed;
    }
    assert.equal(await s.workers.read.pendingSlashes(), 0n);
    assert.equal(await s.workers.read.eligibleCount(), BigInt(NON_SIGNERS));
    assert.equal(await s.workers.read.eligibleStake(), BigInt(NON_SIGNERS) * MIN_BOND);
    assert.equal(await s.workers.read.aggregatePublicKey(), aggregateKey(honestFew.map((i) => keys[Number(i)]!)));
    for (const i of [signers[0]!, signers[499]!, signers[signers.length - 1]!]) {
      const w = await s.workers.read.workerOf([await s.workers.read.workerAt([i])]);
      assert.equal(w.slashes, 1);
      assert.equal(w.bond, MIN_BOND / 2n);
    }
    // The honest 10 are now the whole signer set: they settle the epoch alone.
    const h2 = await sign(honest, honestFew, await eligibleIndices(s));
    assert.deepEqual(h2.nonSigners, []);
    await viem.assertions.emit(
      s.settlement.write.attest([honest.epoch, honest.root, honest.runCount, honest.totalGold, h2.nonSigners, h2.signature]),
      s.settlement,
      "QuorumReached",
    );
    console.log(
      `    1,000 workers: attest + finalize ${settleGas} gas; challenge ${challengeReceipt.gasUsed} gas; ` +
        `applySlashes for ${WORKERS - NON_SIGNERS} signers ${slashGas} gas in ${Math.ceil(WORKERS / SLASH_BATCH)} transactions`,
    );
    void (s as Settlement);
  });
});

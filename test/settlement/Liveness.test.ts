/**
 * The liveness rule (docs/SETTLEMENT.md, "Quorum"): a root reaches quorum when its attesters hold `quorumBps`
 * (66.66%) of the *eligible* stake, the bonds of workers registered, not exiting and never slashed. Up to a third of
 * that stake may be offline, and slashed or exiting stake never blocks the honest rest. Tested at its edges.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  applyAllSlashes,
  attest,
  buildEpoch,
  leafChallengeArgs,
  defaultConfig,
  deploySettlement,
  FALLBACK_DELAY,
  MIN_BOND,
  mineToEpochEnd,
  networkHelpers,
  playRun,
  toFreshEpoch,
  viem,
  type PlayedRun,
  type Settlement,
  registerWorker,
  UNBONDING_DELAY,
} from "./fixture.js";
import { generateRun } from "../helpers/runs.js";
import { depositEth } from "../vault/fixture.js";
import { bytesToHex } from "../../game/sim/index.js";
import { parseEther } from "viem";

const OPEN = 0;
const CHALLENGEABLE = 1;
const FALLBACK = 4;

async function oneRunEpoch(s: Settlement, salt: number): Promise<{ epoch: bigint; run: PlayedRun }> {
  await toFreshEpoch(s);
  const run = await playRun(s, s.p1, generateRun(31, 1 + 8 * salt).inputs);
  await mineToEpochEnd(s, run.epoch);
  return { epoch: run.epoch, run };
}

/** Three eligible workers of equal bond: the fixture's fourth asks to exit, which takes its bond out at once. */
async function threeEqual(): Promise<Settlement> {
  const s = await deploySettlement(defaultConfig());
  await s.workers.write.requestExit({ account: s.w4.account });
  assert.equal(await s.workers.read.eligibleStake(), 3n * MIN_BOND, "exiting stake left the denominator");
  assert.equal(await s.workers.read.totalBonded(), 4n * MIN_BOND, "though it is still bonded (and slashable)");
  return s;
}

describe("liveness: quorum over the eligible stake", () => {
  it("exactly 2 of 3 equal workers reach quorum", async () => {
    const s = await threeEqual();
    const { epoch } = await oneRunEpoch(s, 0);
    const t = await buildEpoch(s, epoch);
    await viem.assertions.revertWithCustomError(attest(s, t, s.w1), s.settlement, "NoQuorum");
    assert.equal(await s.settlement.read.epochStatus([epoch]), OPEN, "1 of 3 is not a quorum");
    await viem.assertions.emit(attest(s, t, [s.w1, s.w2]), s.settlement, "QuorumReached");
    assert.equal(await s.settlement.read.epochStatus([epoch]), CHALLENGEABLE);
  });

  it("1 of 3 never does, and 0 of 3 leaves the epoch to the fallback by replay", async () => {
    const s = await threeEqual();
    const { epoch, run } = await oneRunEpoch(s, 1);
    const t = await buildEpoch(s, epoch);
    await viem.assertions.revertWithCustomErrorWithArgs(attest(s, t, s.w3), s.settlement, "NoQuorum", [MIN_BOND, 3n * MIN_BOND]);
    assert.equal(await s.settlement.read.epochStatus([epoch]), OPEN, "a third of the stake");
    // 0 of 3: an aggregate of nobody (every worker a non-signer) is refused, whatever signature comes with it.
    await viem.assertions.revertWithCustomError(attest(s, t, []), s.workers, "InvalidSignature");
    // Nobody else attests: when attestation closes the run settles by on-chain replay.
    await networkHelpers.mine(FALLBACK_DELAY + 1n);
    await s.settlement.write.settleByReplay([run.runId, bytesToHex(run.inputs)]);
    assert.equal(await s.settlement.read.epochStatus([epoch]), FALLBACK);
  });

  it("with unequal bonds only the stake counts: a 4-of-6 whale with one equal partner passes, the two small ones do not", async () => {
    const s = await threeEqual();
    await depositEth(s, s.w1, parseEther("5"));
    await s.workers.write.addBond([3n * MIN_BOND], { account: s.w1.account }); // w1 4, w2 1, w3 1
    assert.equal(await s.workers.read.eligibleStake(), 6n * MIN_BOND);
    const { epoch } = await oneRunEpoch(s, 2);
    const t = await buildEpoch(s, epoch);
    await viem.assertions.revertWithCustomError(attest(s, t, [s.w2, s.w3]), s.settlement, "NoQuorum");
    assert.equal(await s.settlement.read.epochStatus([epoch]), OPEN, "2 of 6 sgETH");
    await viem.assertions.emit(attest(s, t, [s.w1, s.w2, s.w3]), s.settlement, "QuorumReached"); // 6 of 6
    const { epoch: next } = await oneRunEpoch(s, 3);
    const u = await buildEpoch(s, next);
    await viem.assertions.emit(attest(s, u, s.w1), s.settlement, "QuorumReached"); // 4 of 6 = 66.67% >= 66.66%
  });

  it("a slashed colluding majority does not stop the honest rest, in that epoch and the next", async () => {
    // The case: colluders hold 5 of 7 bonded sgETH, forge a root and are slashed (50%, so 2.5 stays bonded).
    const s = await threeEqual();
    await depositEth(s, s.w1, parseEther("5"));
    await s.workers.write.addBond([4n * MIN_BOND], { account: s.w1.account }); // w1 5, w2 1, w3 1
    const { epoch } = await oneRunEpoch(s, 4);
    const forged = await buildEpoch(s, epoch, (leaves) => {
      leaves[0]!.gold += 500n;
    });
    await viem.assertions.emit(attest(s, forged, s.w1), s.settlement, "QuorumReached");
    await s.settlement.write.challengeLeaf([...leafChallengeArgs(forged, 0)], { account: s.challenger.account });
    assert.equal(await s.settlement.read.epochStatus([epoch]), OPEN, "rejected: a new round");
    // The liar's slash is pending: until it is applied nobody attests (neither the liar nor the honest rest).
    const honest = await buildEpoch(s, epoch);
    await viem.assertions.revertWithCustomError(attest(s, honest, [s.w2, s.w3]), s.workers, "SlashesPending");
    await applyAllSlashes(s);
    assert.ok((await s.workers.read.workerOf([s.w1.account.address])).bond > 0n, "the liar keeps half its bond");
    assert.equal(await s.workers.read.eligibleStake(), 2n * MIN_BOND, "but none of it counts any more");
    await s.workers.write.addBond([MIN_BOND], { account: s.w1.account });
    assert.equal(await s.workers.read.eligibleStake(), 2n * MIN_BOND, "nor does a slashed worker's top-up");
    await viem.assertions.revertWithCustomError(attest(s, honest, [s.w1, s.w2, s.w3]), s.workers, "InvalidSignature");
    await viem.assertions.emit(attest(s, honest, [s.w2, s.w3]), s.settlement, "QuorumReached");
    const { epoch: next } = await oneRunEpoch(s, 5);
    const u = await buildEpoch(s, next);
    await viem.assertions.emit(attest(s, u, [s.w2, s.w3]), s.settlement, "QuorumReached");
  });

  it("a worker slashed by nothing (slashBps 0) is still barred from registering again after it withdraws", async () => {
    const s = await deploySettlement({ ...defaultConfig(), slashBps: 0n });
    const { epoch } = await oneRunEpoch(s, 6);
    const forged = await buildEpoch(s, epoch, (leaves) => {
      leaves[0]!.gold += 500n;
    });
    await attest(s, forged, [s.w1, s.w2, s.w3]);
    await s.settlement.write.challengeLeaf([...leafChallengeArgs(forged, 0)], { account: s.challenger.account });
    await applyAllSlashes(s);
    assert.equal((await s.workers.read.workerOf([s.w1.account.address])).bond, MIN_BOND, "a slash of 0% took nothing");
    assert.equal(await s.workers.read.isEligible([s.w1.account.address]), false);
    await s.workers.write.requestExit({ account: s.w1.account });
    await networkHelpers.mine(UNBONDING_DELAY + 1n);
    await s.workers.write.withdraw({ account: s.w1.account });
    await s.vault.write.approve([s.workers.address, MIN_BOND], { account: s.w1.account });
    await viem.assertions.revertWithCustomError(registerWorker(s, s.w1, MIN_BOND), s.workers, "NotEligible");
  });

  it("a top-up adds to the denominator and an exit takes the whole bond out of it", async () => {
    const s = await deploySettlement();
    assert.equal(await s.workers.read.eligibleStake(), 4n * MIN_BOND);
    await s.workers.write.addBond([MIN_BOND], { account: s.w1.account });
    assert.equal(await s.workers.read.eligibleStake(), 5n * MIN_BOND);
    await s.workers.write.requestExit({ account: s.w1.account });
    assert.equal(await s.workers.read.eligibleStake(), 3n * MIN_BOND);
    assert.equal(await s.workers.read.isEligible([s.w1.account.address]), false);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, parseEventLogs, type Hex } from "viem";
import { bytesToHex } from "../../game/sim/index.js";
import { generateRun } from "../helpers/runs.js";
import {
  chainNow,
  aggregateOf,
  applyAllSlashes,
  attest,
  attestQuorum,
  quorumNonSigners,
  registerWorker,
  BPS,
  buildEpoch,
  BURN_ADDRESS,
  CHALLENGE_WINDOW,
  challengeArgs,
  claimOf,
  leafChallengeArgs,
  omissionChallengeArgs,
  openingOf,
  orderChallengeArgs,
  EPOCH_CAP,
  expectedPay,
  FALLBACK_DELAY,
  freshSettlement,
  Fraud,
  GOLD_PER_POINT,
  leafOf,
  leafOfRun,
  MIN_BOND,
  MINT_UNIT,
  mineToEpochEnd,
  toFreshEpoch,
  networkHelpers,
  packClaims,
  playRun,
  receiptOf,
  settleEpoch,
  SLASH_BPS,
  boosted,
  viem,
  type EpochTree,
  type PlayedRun,
  type Settlement,
} from "./fixture.js";

/** Digger runs: they go deep and usually find gold. */
const inputsFor = (i: number) => generateRun(31, 1 + 8 * i).inputs;

/** Plays runs for p1 and p2 in one epoch (p1 three, p2 two) and returns them with the epoch. */
async function epochOfRuns(s: Settlement, n = 5) {
  await toFreshEpoch(s);
  const runs: PlayedRun[] = [];
  for (let i = 0; i < n; i++) runs.push(await playRun(s, i % 2 === 0 ? s.p1 : s.p2, inputsFor(i)));
  const epoch = runs[0]!.epoch;
  assert.ok(runs.every((r) => r.epoch === epoch), "all runs in one epoch (shorten the test or lengthen epochs)");
  await mineToEpochEnd(s, epoch);
  return { runs, epoch };
}

describe("RewardSettlement: the honest path", () => {
  it("attest by quorum, window, finalize, then players claim with the boost and attesters share", async () => {
    const s = await freshSettlement();
    // p1 stakes for a boost before playing.
    await s.runs.write.stakeETH([0n], { account: s.p1.account, value: 10n ** 18n * 4n });
    await networkHelpers.mine(1);
    const { runs, epoch } = await epochOfRuns(s);
    const t = await buildEpoch(s, epoch);
    assert.ok(t.totalGold > 0n, "the runs found gold");
    assert.ok(runs.some((r) => r.boostBps > 0n), "p1's runs carry a boost");

    await viem.assertions.revertWithCustomError(
      s.settlement.write.claim([s.p1.account.address, [claimOf(t, runs[0]!.runId)]], { account: s.p1.account }),
      s.settlement,
      "WrongEpochStatus",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(attest(s, t, [s.w1, s.w2]), s.settlement, "NoQuorum", [2n * MIN_BOND, 4n * MIN_BOND]);
    assert.equal(await s.settlement.read.epochStatus([epoch]), 0, "2 of 4 is no quorum");
    // Anyone submits the aggregate: here p2, who is no worker.
    await viem.assertions.emitWithArgs(attest(s, t, [s.w1, s.w2, s.w3], s.p2), s.settlement, "Attested", [
      epoch,
      getAddress(s.p2.account.address),
      t.root,
      0n,
      t.runCount,
      t.totalGold,
      3n * MIN_BOND,
      3n,
      // The one non-signer, w4, by its signer index: in the log, so slashes and claims never need the call's input.
      [BigInt((await s.workers.read.workerOf([s.w4.account.address])).index)],
    ]);
    assert.equal(await s.settlement.read.epochStatus([epoch]), 1);
    await viem.assertions.revertWithCustomError(s.settlement.write.finalize([epoch]), s.settlement, "WrongEpochStatus");
    // Claim before finality: refused.
    await viem.assertions.revertWithCustomError(
      s.settlement.write.claim([s.p1.account.address, [claimOf(t, runs[0]!.runId)]], { account: s.p1.account }),
      s.settlement,
      "WrongEpochStatus",
    );
    await networkHelpers.mine(CHALLENGE_WINDOW + 1n);
    assert.equal(await s.settlement.read.epochStatus([epoch]), 2);
    await viem.assertions.emit(s.settlement.write.finalize([epoch]), s.settlement, "EpochFinalized");
    assert.equal(await s.settlement.read.epochStatus([epoch]), 3);

    // p1 claims all three of its runs in one call; the amount includes each run's boost.
    const mine = runs.filter((r) => r.player === getAddress(s.p1.account.address));
    const expected = mine.reduce((sum, r) => sum + expectedPay(t, r.runId), 0n);
    await s.settlement.write.claim([s.p1.account.address, mine.map((r) => claimOf(t, r.runId))], { account: s.p1.account });
    assert.equal(await s.gold.read.balanceOf([s.p1.account.address]), expected);
    for (const r of mine) assert.equal(await s.settlement.read.isClaimed([r.runId]), true);
    const boostedRun = mine.find((r) => r.boostBps > 0n && r.gold > 0)!;
    if (boostedRun) assert.ok(expectedPay(t, boostedRun.runId) > (BigInt(boostedRun.gold) * GOLD_PER_POINT * 95n) / 100n);

    // Attesters share 5% by bond: equal bonds, a third each. The non-signer list (w4) shows who signed; anyone may
    // send the claim, the GOLD goes to the worker.
    const pool = ((t.totalGold * GOLD_PER_POINT < EPOCH_CAP ? t.totalGold * GOLD_PER_POINT : EPOCH_CAP) * 500n) / BPS;
    const nonSigners = await quorumNonSigners(s, epoch);
    const index = async (w: typeof s.w1) => BigInt((await s.workers.read.workerOf([w.account.address])).index);
    assert.deepEqual(nonSigners, [await index(s.w4)]);
    await s.settlement.write.claimAttesterReward([epoch, await index(s.w1), nonSigners], { account: s.p2.account });
    assert.equal(await s.gold.read.balanceOf([s.w1.account.address]), pool / 3n, `pool ${pool}, total ${t.totalGold}`);
    await viem.assertions.revertWithCustomError(
      s.settlement.write.claimAttesterReward([epoch, await index(s.w1), nonSigners], { account: s.w1.account }),
      s.settlement,
      "NoAttesterReward",
    );
    await viem.assertions.revertWithCustomError(
      s.settlement.write.claimAttesterReward([epoch, await index(s.w4), nonSigners], { account: s.w4.account }),
      s.settlement,
      "NoAttesterReward",
    );
    // A list other than the attestation's proves nothing: w4 cannot pass as a signer with an empty one.
    await viem.assertions.revertWithCustomError(
      s.settlement.write.claimAttesterReward([epoch, await index(s.w4), []], { account: s.w4.account }),
      s.settlement,
      "NoAttesterReward",
    );
  });

  it("claims many epochs in one call, and lets a session key claim for the player (GOLD to the player)", async () => {
    const s = await freshSettlement();
    const trees: EpochTree[] = [];
    const mine: PlayedRun[] = [];
    for (let e = 0; e < 3; e++) {
      const { runs, epoch } = await epochOfRuns(s, 2);
      const t = await buildEpoch(s, epoch);
      await settleEpoch(s, t);
      trees.push(t);
      mine.push(runs[0]!);
    }
    const now = await chainNow();
    await s.runs.write.authorizeSessionKey([s.sessionKey.account.address, now + 3600n], { account: s.p1.account });
    const claims = mine.map((r, i) => claimOf(trees[i]!, r.runId));
    await s.settlement.write.claim([s.p1.account.address, claims], { account: s.sessionKey.account });
    const expected = mine.reduce((sum, r, i) => sum + expectedPay(trees[i]!, r.runId), 0n);
    assert.equal(await s.gold.read.balanceOf([s.p1.account.address]), expected);
    assert.equal(await s.gold.read.balanceOf([s.sessionKey.account.address]), 0n);
  });

  it("scales an epoch's claims pro rata when its gold exceeds the cap, and never mints past it", async () => {
    const s = await freshSettlement();
    const { runs, epoch } = await epochOfRuns(s, 4);
    const t = await buildEpoch(s, epoch);
    await settleEpoch(s, t);
    // The default cap is far above; check the scaling formula on a second deployment with a tiny cap instead.
    const { deploySettlement, defaultConfig } = await import("./fixture.js");
    const small = await deploySettlement({ ...defaultConfig(), epochCap: 10n ** 18n * 7n });
    const played: PlayedRun[] = [];
    for (let i = 0; i < 4; i++) played.push(await playRun(small, i % 2 === 0 ? small.p1 : small.p2, inputsFor(i)));
    await mineToEpochEnd(small, played[0]!.epoch);
    const st = await buildEpoch(small, played[0]!.epoch);
    assert.ok(st.totalGold > 7n, "verified gold exceeds the cap");
    await settleEpoch(small, st);
    for (const r of played) {
      await small.settlement.write.claim([r.player, [claimOf(st, r.runId)]], {
        account: (r.player === getAddress(small.p1.account.address) ? small.p1 : small.p2).account,
      });
    }
    const paid = (await small.gold.read.balanceOf([small.p1.account.address])) + (await small.gold.read.balanceOf([small.p2.account.address]));
    const [minted, limit] = await small.settlement.read.epochMinted([st.epoch]);
    assert.equal(minted, paid);
    assert.equal(limit, (10n ** 18n * 7n * 9_500n) / BPS);
    // Each leaf is paid in whole micro-GOLD (rounded down): at most one unit short per leaf.
    assert.ok(paid <= limit && paid > limit - 4n * MINT_UNIT, `paid ${paid} of ${limit}`);
    void runs;
  });
});

describe("RewardSettlement: attacks on attestation", () => {
  it("a colluding minority cannot reach quorum on a forged root", async () => {
    const s = await freshSettlement();
    const { runs, epoch } = await epochOfRuns(s, 3);
    const forged = await buildEpoch(s, epoch, (leaves) => {
      leaves[0]!.gold += 1_000_000n;
    });
    await viem.assertions.revertWithCustomError(attest(s, forged, [s.w1, s.w2]), s.settlement, "NoQuorum");
    assert.equal(await s.settlement.read.epochStatus([epoch]), 0);
    const [stake, attesters] = await s.settlement.read.supportOf([epoch, forged.root, forged.runCount, forged.totalGold]);
    assert.equal(stake, 0n, "below quorum, nothing is stored");
    assert.equal(attesters, 0n);
    // Nothing can be claimed; the honest root still needs two thirds of the stake (tested in Liveness.test.ts).
    await viem.assertions.revertWithCustomError(
      s.settlement.write.claim([s.p1.account.address, [claimOf(forged, runs[0]!.runId)]], { account: s.p1.account }),
      s.settlement,
      "WrongEpochStatus",
    );
  });

  it("refuses signatures of unbonded or exiting workers, a signer left out, a wrong message, bad lists, early and miscounted roots", async () => {
    const s = await freshSettlement();
    const { epoch } = await epochOfRuns(s, 2);
    const t = await buildEpoch(s, epoch);
    // A signature of someone not in the signer set: the aggregate does not verify under the set's key.
    await viem.assertions.revertWithCustomError(attest(s, t, [s.w1, s.w2, s.challenger]), s.workers, "InvalidSignature");
    // A signature of another root, or of this root in another round, is not this attestation's.
    const other = await buildEpoch(s, epoch, (l) => {
      l[0]!.gold += 1n;
    });
    const wrongRoot = await aggregateOf(s, other, [s.w1, s.w2, s.w3]);
    await viem.assertions.revertWithCustomError(
      s.settlement.write.attest([epoch, t.root, t.runCount, t.totalGold, wrongRoot.nonSigners, wrongRoot.signature]),
      s.workers,
      "InvalidSignature",
    );
    const nextRound = await aggregateOf(s, t, [s.w1, s.w2, s.w3], 1n);
    await viem.assertions.revertWithCustomError(
      s.settlement.write.attest([epoch, t.root, t.runCount, t.totalGold, nextRound.nonSigners, nextRound.signature]),
      s.workers,
      "InvalidSignature",
    );
    // Claiming a non-signer signed (leaving it out of the list) fails; so do unsorted, repeated or unknown indices.
    const good = await aggregateOf(s, t, [s.w1, s.w2, s.w3]);
    const args = (nonSigners: bigint[]) => [epoch, t.root, t.runCount, t.totalGold, nonSigners, good.signature] as const;
    await viem.assertions.revertWithCustomError(s.settlement.write.attest([...args([])]), s.workers, "InvalidSignature");
    await viem.assertions.revertWithCustomErrorWithArgs(s.settlement.write.attest([...args([2n, 1n])]), s.workers, "InvalidNonSigner", [1n]);
    await viem.assertions.revertWithCustomErrorWithArgs(s.settlement.write.attest([...args([3n, 3n])]), s.workers, "InvalidNonSigner", [3n]);
    await viem.assertions.revertWithCustomErrorWithArgs(s.settlement.write.attest([...args([99n])]), s.workers, "InvalidNonSigner", [99n]);
    // An exiting worker has left the set: its signature no longer counts.
    await s.workers.write.requestExit({ account: s.w2.account });
    await viem.assertions.revertWithCustomError(attest(s, t, [s.w1, s.w2, s.w3]), s.workers, "InvalidSignature");
    // The run count is attested, not read on-chain: a signature of this root's count is not one of another count,
    // and a root of no runs is refused before any signature is checked.
    await viem.assertions.revertWithCustomError(
      s.settlement.write.attest([epoch, t.root, t.runCount + 1n, t.totalGold, [], good.signature], { account: s.w3.account }),
      s.workers,
      "InvalidSignature",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.settlement.write.attest([epoch, t.root, 0n, t.totalGold, [], good.signature], { account: s.w3.account }),
      s.settlement,
      "EmptyEpoch",
      [epoch],
    );
    await viem.assertions.revertWithCustomError(
      s.settlement.write.attest([epoch + 1n, t.root, 1n, 1n, [], good.signature], { account: s.w3.account }),
      s.settlement,
      "EpochNotEnded",
    );
    await viem.assertions.revertWithCustomError(
      s.settlement.write.attest([epoch, `0x${"00".repeat(32)}`, t.runCount, 0n, [], good.signature], { account: s.w3.account }),
      s.settlement,
      "ZeroRoot",
    );
    // The honest aggregate of the three still eligible workers (w1, w3, w4) settles it.
    await viem.assertions.emit(attest(s, t, [s.w1, s.w3, s.w4]), s.settlement, "QuorumReached");
  });
});

describe("RewardSettlement: challenges", () => {
  it("a wrong gold value is disproved by replay: root rejected, every attester slashed and the slash burned whole", async () => {
    const s = await freshSettlement();
    const { epoch } = await epochOfRuns(s, 3);
    const forged = await buildEpoch(s, epoch, (leaves) => {
      leaves[1]!.gold += 500n;
    });
    await attestQuorum(s, forged);
    const challengerShares = await s.vault.read.balanceOf([s.challenger.account.address]);
    const burned = await s.vault.read.balanceOf([BURN_ADDRESS]);
    const receipt = await receiptOf(
      s,
      s.settlement.write.challengeLeaf([...leafChallengeArgs(forged, 1)], { account: s.challenger.account }),
    );
    const [ev] = parseEventLogs({ abi: s.settlement.abi, logs: receipt.logs, eventName: "RootRejected" });
    assert.equal(ev!.args.fraud, Fraud.WrongLeaf);
    assert.equal(ev!.args.position, 1n);
    assert.equal(ev!.args.signers, 3n);
    assert.equal(await s.workers.read.pendingSlashes(), 3n, "the three signers are to be slashed");
    // Until they are, no attestation counts, not even an honest one.
    const honest = await buildEpoch(s, epoch);
    await viem.assertions.revertWithCustomErrorWithArgs(attest(s, honest, [s.w1, s.w2, s.w3, s.w4]), s.workers, "SlashesPending", [3n]);
    await applyAllSlashes(s);
    assert.equal(await s.workers.read.pendingSlashes(), 0n);
    const slashedEach = (MIN_BOND * SLASH_BPS) / BPS;
    assert.equal(await s.vault.read.balanceOf([s.challenger.account.address]), challengerShares, "no challenger share");
    assert.equal((await s.vault.read.balanceOf([BURN_ADDRESS])) - burned, 3n * slashedEach);
    for (const w of [s.w1, s.w2, s.w3]) {
      const rec = await s.workers.read.workerOf([w.account.address]);
      assert.equal(rec.bond, MIN_BOND - slashedEach);
      assert.equal(rec.slashes, 1);
    }
    assert.equal(await s.settlement.read.epochStatus([epoch]), 0);
    assert.equal(await s.settlement.read.roundOf([epoch]), 1n);
    // Slashed workers are out; the honest worker and a new one (the challenger) settle the honest root.
    await registerWorker(s, s.challenger, (MIN_BOND * 5n) / 2n);
    await viem.assertions.revertWithCustomError(attest(s, honest, [s.w4, s.w1, s.challenger]), s.workers, "InvalidSignature");
    await attest(s, honest, [s.w4, s.challenger]);
    assert.equal(await s.settlement.read.epochStatus([epoch]), 1, "w4 and the challenger hold all the eligible stake: the slashed bonds left the denominator");
  });

  it("a challenge with wrong inputs, another run, a correct leaf, a bad proof or after the window fails and slashes no one", async () => {
    const s = await freshSettlement();
    const { runs, epoch } = await epochOfRuns(s, 3);
    const t = await buildEpoch(s, epoch);
    await attestQuorum(s, t);
    const as = { account: s.challenger.account };
    const other = runs.find((r) => r.runId !== t.leaves[0]!.runId)!;
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.settlement.write.challengeLeaf([...leafChallengeArgs(t, 0, other.inputs)], as),
      s.settlement,
      "InputsMismatch",
      [t.leaves[0]!.runId],
    );
    // Another run's leaf fields at position 0 are not the root's leaf there.
    await viem.assertions.revertWithCustomError(
      s.settlement.write.challengeLeaf([epoch, openingOf(t, 0, t.leaves[1]!.runId), bytesToHex(t.inputs.get(t.leaves[1]!.runId)!)], as),
      s.settlement,
      "InvalidProof",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(s.settlement.write.challengeLeaf([...leafChallengeArgs(t, 0)], as), s.settlement, "NoFraud", [0n]);
    await viem.assertions.revertWithCustomErrorWithArgs(s.settlement.write.challenge([...challengeArgs(t, 0)], as), s.settlement, "NoFraud", [0n]);
    // Position 3 of a 3-run tree (depth 2) is empty, as it must be.
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.settlement.write.challenge([...challengeArgs(t, 3)], as),
      s.settlement,
      "NoFraud",
      [3n],
    );
    const [e, pos, node, proof] = challengeArgs(t, 0);
    await viem.assertions.revertWithCustomError(
      s.settlement.write.challenge([e, pos, { ...node, sum: node.sum + 1n }, proof], as),
      s.settlement,
      "InvalidProof",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.settlement.write.challenge([e, pos, node, proof.slice(1)], as),
      s.settlement,
      "ProofLengthMismatch",
      [1n, 2n],
    );
    await viem.assertions.revertWithCustomError(s.settlement.write.challenge([e, 4n, node, proof], as), s.settlement, "InvalidProof");
    // Two leaves that are not neighbours are no order fault.
    await viem.assertions.revertWithCustomError(
      s.settlement.write.challengeOrder([epoch, openingOf(t, 2), openingOf(t, 0)], as),
      s.settlement,
      "InvalidProof",
    );
    await networkHelpers.mine(CHALLENGE_WINDOW + 1n);
    await viem.assertions.revertWithCustomError(s.settlement.write.challenge([...challengeArgs(t, 1)], as), s.settlement, "ChallengeWindowClosed");
    await viem.assertions.revertWithCustomError(s.settlement.write.challengeLeaf([...leafChallengeArgs(t, 1)], as), s.settlement, "ChallengeWindowClosed");
    await viem.assertions.revertWithCustomError(s.settlement.write.challengeOrder([...orderChallengeArgs(t, 1)], as), s.settlement, "ChallengeWindowClosed");
    await viem.assertions.revertWithCustomError(
      s.settlement.write.challengeOmission([...omissionChallengeArgs(t, t.leaves[1]!.runId)], as),
      s.settlement,
      "ChallengeWindowClosed",
    );
    for (const w of s.workerWallets) assert.equal((await s.workers.read.workerOf([w.account.address])).slashes, 0);
    assert.equal(await s.workers.read.totalBonded(), 4n * MIN_BOND);
  });

  it("the challenge's on-chain replay agrees with game/sim's replay for generated runs of every kind", async () => {
    const s = await freshSettlement();
    const played: PlayedRun[] = [];
    for (let i = 0; played.length < 8; i++) {
      const run = generateRun(41, i);
      if (run.kind === "malformed") continue;
      played.push(await playRun(s, i % 2 === 0 ? s.p1 : s.p2, run.inputs));
    }
    const epochs = new Set(played.map((r) => r.epoch));
    for (const epoch of epochs) {
      await mineToEpochEnd(s, epoch);
      const t = await buildEpoch(s, epoch);
      await attestQuorum(s, t);
      // Every honest leaf survives its challenge: the contract's replay gives exactly game/sim's gold (a gold one
      // off would be WrongLeaf: see the test above).
      for (const r of played.filter((p) => p.epoch === epoch)) {
        assert.equal(leafOfRun(t, r.runId).gold, BigInt(r.gold));
        const position = leafOfRun(t, r.runId).index;
        await viem.assertions.revertWithCustomErrorWithArgs(
          s.settlement.write.challengeLeaf([...leafChallengeArgs(t, Number(position))], { account: s.challenger.account }),
          s.settlement,
          "NoFraud",
          [position],
        );
      }
    }
  });
});

describe("RewardSettlement: claims", () => {
  it("pays each run once, only to its player, only with a valid proof", async () => {
    const s = await freshSettlement();
    const { runs, epoch } = await epochOfRuns(s, 3);
    const t = await buildEpoch(s, epoch);
    await settleEpoch(s, t);
    const p1Run = runs[0]!;
    const p2Run = runs[1]!;
    // Another player's leaf: not theirs to claim, nor can they claim for them.
    await viem.assertions.revertWithCustomError(
      s.settlement.write.claim([s.p1.account.address, [claimOf(t, p2Run.runId)]], { account: s.p1.account }),
      s.settlement,
      "NotPlayersRun",
    );
    await viem.assertions.revertWithCustomError(
      s.settlement.write.claim([s.p2.account.address, [claimOf(t, p2Run.runId)]], { account: s.p1.account }),
      s.settlement,
      "NotAuthorized",
    );
    await viem.assertions.revertWithCustomError(
      s.settlement.write.claim([s.p1.account.address, [{ ...claimOf(t, p1Run.runId), gold: 10n ** 9n }]], { account: s.p1.account }),
      s.settlement,
      "InvalidProof",
    );
    await viem.assertions.revertWithCustomError(
      s.settlement.write.claim([s.p1.account.address, [claimOf(t, p1Run.runId), claimOf(t, p1Run.runId)]], {
        account: s.p1.account,
      }),
      s.settlement,
      "AlreadyClaimed",
    );
    await s.settlement.write.claim([s.p1.account.address, [claimOf(t, p1Run.runId)]], { account: s.p1.account });
    await viem.assertions.revertWithCustomError(
      s.settlement.write.claim([s.p1.account.address, [claimOf(t, p1Run.runId)]], { account: s.p1.account }),
      s.settlement,
      "AlreadyClaimed",
    );
    assert.equal(await s.gold.read.balanceOf([s.p1.account.address]), expectedPay(t, p1Run.runId));
  });

  it("claimPacked pays exactly what claim pays, and refuses the same attacks and malformed bytes", async () => {
    const s = await freshSettlement();
    const a = await epochOfRuns(s, 3);
    const ta = await buildEpoch(s, a.epoch);
    await settleEpoch(s, ta);
    await mineToEpochEnd(s, await s.runs.read.epochOf([BigInt(await networkHelpers.time.latestBlock())]));
    const b = await epochOfRuns(s, 3);
    const tb = await buildEpoch(s, b.epoch);
    const p1 = s.p1.account.address;
    const as1 = { account: s.p1.account };
    const mine = [claimOf(ta, a.runs[0]!.runId), claimOf(ta, a.runs[2]!.runId)];
    // Epoch b is not final yet: its claim fails like claim's does.
    await viem.assertions.revertWithCustomError(
      s.settlement.write.claimPacked([p1, packClaims([claimOf(tb, b.runs[0]!.runId)])], as1),
      s.settlement,
      "WrongEpochStatus",
    );
    await settleEpoch(s, tb);
    mine.push(claimOf(tb, b.runs[0]!.runId), claimOf(tb, b.runs[2]!.runId));

    const snapshot = await networkHelpers.takeSnapshot();
    await s.settlement.write.claim([p1, mine], as1);
    const viaAbi = await s.gold.read.balanceOf([p1]);
    const mintedAbi = [await s.settlement.read.epochMinted([a.epoch]), await s.settlement.read.epochMinted([b.epoch])];
    await snapshot.restore();
    assert.equal(await s.gold.read.balanceOf([p1]), 0n);
    await viem.assertions.emitWithArgs(
      s.settlement.write.claimPacked([p1, packClaims(mine)], as1),
      s.settlement,
      "RewardsClaimed",
      [getAddress(p1), viaAbi, 4n],
    );
    assert.ok(viaAbi > 0n);
    assert.equal(await s.gold.read.balanceOf([p1]), viaAbi);
    assert.deepEqual(
      [await s.settlement.read.epochMinted([a.epoch]), await s.settlement.read.epochMinted([b.epoch])],
      mintedAbi,
    );
    for (const c of mine) assert.equal(await s.settlement.read.isClaimed([c.runId]), true);

    // Paid runs, another player's run, a forged gold value, truncated bytes.
    await viem.assertions.revertWithCustomError(
      s.settlement.write.claimPacked([p1, packClaims([mine[1]!])], as1),
      s.settlement,
      "AlreadyClaimed",
    );
    const theirs = claimOf(ta, a.runs[1]!.runId);
    await viem.assertions.revertWithCustomError(
      s.settlement.write.claimPacked([p1, packClaims([theirs])], as1),
      s.settlement,
      "NotPlayersRun",
    );
    const p2 = s.p2.account.address;
    await viem.assertions.revertWithCustomError(
      s.settlement.write.claimPacked([p2, packClaims([{ ...theirs, gold: theirs.gold + 1n }])], { account: s.p2.account }),
      s.settlement,
      "InvalidProof",
    );
    await viem.assertions.revertWithCustomError(
      s.settlement.write.claimPacked([p2, packClaims([theirs])], as1),
      s.settlement,
      "NotAuthorized",
    );
    const bytes = packClaims([theirs]);
    for (const cut of [1, 32, 45]) {
      await viem.assertions.revertWithCustomError(
        s.settlement.write.claimPacked([p2, bytes.slice(0, bytes.length - 2 * cut) as Hex], { account: s.p2.account }),
        s.settlement,
        "MalformedClaims",
      );
    }
    await s.settlement.write.claimPacked([p2, bytes], { account: s.p2.account });
    assert.equal(await s.gold.read.balanceOf([p2]), expectedPay(ta, theirs.runId));
    // An empty claim pays nothing and mints nothing.
    await viem.assertions.emitWithArgs(
      s.settlement.write.claimPacked([p2, "0x"], { account: s.p2.account }),
      s.settlement,
      "RewardsClaimed",
      [getAddress(p2), 0n, 0n],
    );
  });

  it("a final root whose sums wrap to a tiny total cannot mint past the epoch's limit", async () => {
    const s = await freshSettlement();
    const { runs, epoch } = await epochOfRuns(s, 3);
    const honest = await buildEpoch(s, epoch);
    // Colluding quorum, unchallenged: every leaf is right, but padding position 3 holds a "sum" of 2^256 - (total -
    // 1), so the top sum wraps to 1 point: each leaf's proof folds to a total of 1 and would be paid the whole pool.
    // The top sum wraps to the richest run's boosted gold: its claim takes the whole pool, the next one finds the
    // epoch's limit reached.
    const richest = honest.leaves.map(leafOf).reduce((a, b) => (a.sum >= b.sum ? a : b)).sum;
    const wrap = 2n ** 256n - (honest.totalGold - richest);
    const t = await buildEpoch(s, epoch, (leaves) => [...leaves.map(leafOf), { hash: `0x${"11".repeat(32)}`, sum: wrap }]);
    assert.equal(t.totalGold, richest);
    await settleEpoch(s, t);
    const withGold = runs.filter((r) => r.gold > 0).sort((a, b) => Number(boosted(BigInt(b.gold), b.runId) - boosted(BigInt(a.gold), a.runId)));
    assert.ok(withGold.length >= 2);
    const who = (r: PlayedRun) => (r.player === getAddress(s.p1.account.address) ? s.p1 : s.p2);
    const first = withGold[0]!;
    await s.settlement.write.claim([first.player, [claimOf(t, first.runId)]], { account: who(first).account });
    const second = withGold[1]!;
    await viem.assertions.revertWithCustomError(
      s.settlement.write.claim([second.player, [claimOf(t, second.runId)]], { account: who(second).account }),
      s.settlement,
      "EpochEmissionExceeded",
    );
    const [minted, limit] = await s.settlement.read.epochMinted([epoch]);
    assert.ok(minted > 0n && minted <= limit);
    assert.ok((await s.gold.read.totalSupply()) <= EPOCH_CAP);
  });

  it("claims a one-run epoch (depth 0, no proof) and refuses a proof of the wrong length", async () => {
    const s = await freshSettlement();
    const r = await playRun(s, s.p1, inputsFor(0));
    await mineToEpochEnd(s, r.epoch);
    const t = await buildEpoch(s, r.epoch);
    assert.equal(t.depth, 0);
    assert.equal(t.root, leafOf(leafOfRun(t, r.runId)).hash, "a one-run tree is its leaf");
    await settleEpoch(s, t);
    const c = claimOf(t, r.runId);
    assert.equal(c.proof.length, 0);
    const p1 = s.p1.account.address;
    const as1 = { account: s.p1.account };
    await viem.assertions.revertWithCustomError(
      s.settlement.write.claim([p1, [{ ...c, proof: [{ hash: t.root, sum: 0n }] }]], as1),
      s.settlement,
      "InvalidProof",
    );
    await viem.assertions.revertWithCustomError(
      s.settlement.write.claimPacked([p1, packClaims([{ ...c, proof: [{ hash: t.root, sum: 0n }] }])], as1),
      s.settlement,
      "InvalidProof",
    );
    await s.settlement.write.claimPacked([p1, packClaims([c])], as1);
    assert.equal(await s.gold.read.balanceOf([p1]), expectedPay(t, r.runId));
    assert.ok(expectedPay(t, r.runId) > 0n || r.gold === 0);
  });

});

describe("RewardSettlement: fallback by on-chain replay", () => {
  it("settles single runs by replay when no quorum forms in time; attestation is closed then", async () => {
    const s = await freshSettlement();
    const { runs, epoch } = await epochOfRuns(s, 2);
    const t = await buildEpoch(s, epoch);
    const r = runs[0]!;
    await viem.assertions.revertWithCustomError(
      s.settlement.write.settleByReplay([r.runId, bytesToHex(r.inputs)]),
      s.settlement,
      "FallbackNotOpen",
    );
    await networkHelpers.mine(FALLBACK_DELAY);
    assert.equal(await s.settlement.read.epochStatus([epoch]), 4);
    await viem.assertions.revertWithCustomError(attest(s, t, [s.w1, s.w2, s.w3]), s.settlement, "WrongEpochStatus");
    await viem.assertions.revertWithCustomError(
      s.settlement.write.settleByReplay([r.runId, bytesToHex(runs[1]!.inputs)]),
      s.settlement,
      "InputsMismatch",
    );
    // Anyone may call it; GOLD goes to the player: gold with its boost, 1 GOLD a point.
    await s.settlement.write.settleByReplay([r.runId, bytesToHex(r.inputs)], { account: s.challenger.account });
    assert.equal(await s.gold.read.balanceOf([s.p1.account.address]), boosted(BigInt(r.gold), r.runId) * GOLD_PER_POINT);
    await viem.assertions.revertWithCustomError(
      s.settlement.write.settleByReplay([r.runId, bytesToHex(r.inputs)]),
      s.settlement,
      "AlreadyClaimed",
    );
  });

  it("is not open while a root is challengeable or final", async () => {
    const s = await freshSettlement();
    const { runs, epoch } = await epochOfRuns(s, 2);
    const t = await buildEpoch(s, epoch);
    await networkHelpers.mine(FALLBACK_DELAY - 5n);
    await attestQuorum(s, t);
    await networkHelpers.mine(10n);
    await viem.assertions.revertWithCustomError(
      s.settlement.write.settleByReplay([runs[0]!.runId, bytesToHex(runs[0]!.inputs)]),
      s.settlement,
      "WrongEpochStatus",
    );
  });
});

describe("RewardSettlement: configuration and limits", () => {
  it("refuses configurations that would let attesters escape slashing or a minority decide", async () => {
    const s = await freshSettlement();
    const { defaultConfig } = await import("./fixture.js");
    const deploy = (over: Partial<ReturnType<typeof defaultConfig>>) =>
      viem.deployContract("RewardSettlement", [
        s.runs.address,
        s.workers.address,
        s.replayer.address,
        { ...defaultConfig(), ...over },
      ]);
    await assert.rejects(deploy({ fallbackDelay: 495n }), /InvalidConfig/);
    await assert.rejects(deploy({ quorumBps: 5_000n }), /InvalidConfig/);
    await assert.rejects(deploy({ quorumBps: 10_001n }), /InvalidConfig/);
    await assert.rejects(deploy({ epochCap: 2n ** 96n }), /InvalidConfig/);
    await deploy({});
  });

  it("takes the quorum from the configuration, and pays attesters only once the epoch is final", async () => {
    const { deploySettlement, defaultConfig } = await import("./fixture.js");
    const s = await deploySettlement({ ...defaultConfig(), quorumBps: 9_000n });
    const { epoch } = await epochOfRuns(s, 2);
    const t = await buildEpoch(s, epoch);
    await viem.assertions.revertWithCustomError(attest(s, t, [s.w1, s.w2, s.w3]), s.settlement, "NoQuorum");
    await attest(s, t, [s.w1, s.w2, s.w3, s.w4]);
    await viem.assertions.revertWithCustomError(
      s.settlement.write.claimAttesterReward([epoch, 0n, []], { account: s.w1.account }),
      s.settlement,
      "WrongEpochStatus",
    );
  });

  it("stops fallback replays at the epoch cap", async () => {
    const { deploySettlement, defaultConfig } = await import("./fixture.js");
    const s = await deploySettlement({ ...defaultConfig(), epochCap: 10n ** 18n });
    const { runs, epoch } = await epochOfRuns(s, 4);
    await networkHelpers.mine(FALLBACK_DELAY);
    const rich = runs.filter((r) => r.gold > 1);
    assert.ok(rich.length > 0);
    await viem.assertions.revertWithCustomError(
      s.settlement.write.settleByReplay([rich[0]!.runId, bytesToHex(rich[0]!.inputs)]),
      s.settlement,
      "EpochEmissionExceeded",
    );
    assert.equal(await s.gold.read.totalSupply(), 0n);
    void epoch;
  });
});

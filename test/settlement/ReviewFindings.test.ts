/**
 * Regression tests for the findings of the settlement security review (2026-11-24; see docs/SETTLEMENT.md,
 * "Review"). Each was written as a proof of concept that failed before its fix.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, parseEther, type Address } from "viem";
import {
  applyAllSlashes,
  attest,
  registerWorker,
  attestQuorum,
  buildEpoch,
  leafChallengeArgs,
  freshSettlement,
  MIN_BOND,
  mineToEpochEnd,
  toFreshEpoch,
  networkHelpers,
  playRun,
  SGETH,
  UNBONDING_DELAY,
  viem,
  type PlayedRun,
  type Settlement,
} from "./fixture.js";
import { encodeInputs } from "../../game/sim/index.js";

const INPUTS = encodeInputs([4, 4, 4, 4, 4, 4, 1, 1, 2, 2, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4]);

async function oneEpoch(s: Settlement, n = 2) {
  await toFreshEpoch(s);
  const runs: PlayedRun[] = [];
  for (let i = 0; i < n; i++) runs.push(await playRun(s, i % 2 === 0 ? s.p1 : s.p2, INPUTS));
  const epoch = runs[0]!.epoch;
  assert.ok(runs.every((r) => r.epoch === epoch));
  await mineToEpochEnd(s, epoch);
  return { runs, epoch };
}

/** `n` fresh impersonated accounts, each registered as a worker with the minimum bond. */
async function sybilWorkers(s: Settlement, n: number, from = 0) {
  const out: Awaited<ReturnType<typeof viem.getWalletClient>>[] = [];
  for (let i = from; i < from + n; i++) {
    const addr = getAddress(`0x${(0x5b1100n + BigInt(i)).toString(16).padStart(40, "0")}`) as Address;
    await networkHelpers.impersonateAccount(addr);
    await networkHelpers.setBalance(addr, parseEther("10"));
    const w = await viem.getWalletClient(addr);
    await s.vault.write.depositETH([addr, 0n], { account: w.account, value: parseEther("1.01") });
    await s.vault.write.approve([s.workers.address, 2n ** 256n - 1n], { account: w.account });
    await registerWorker(s, w, MIN_BOND);
    out.push(w);
  }
  return out;
}

describe("Settlement review findings", () => {
  it("F1 sybil fill: any number of cheap min-bond workers cannot lock an honest majority out of its own root", async () => {
    // Before BLS aggregation a root had at most maxAttesters (16) attesters and sybils could take the places; now a
    // root has one aggregate attestation of any number of signers, and only the stake counts.
    const s = await freshSettlement();
    // The honest operators hold almost all the stake: 4 x 51 sgETH.
    for (const w of s.workerWallets) {
      await s.vault.write.depositETH([w.account.address, 0n], { account: w.account, value: parseEther("50") });
      await s.workers.write.addBond([50n * SGETH], { account: w.account });
    }
    // The attacker: 17 workers of the minimum bond (8% of the stake). They are never slashed (the root is honest).
    const sybils = await sybilWorkers(s, 17);
    const { epoch } = await oneEpoch(s);
    const t = await buildEpoch(s, epoch);
    await viem.assertions.revertWithCustomError(attest(s, t, sybils), s.settlement, "NoQuorum");
    assert.equal(await s.settlement.read.epochStatus([epoch]), 0, "17 min bonds are not a quorum");
    // 3 of the 4 honest operators (~70% of the stake) reach quorum on the honest root, with or without the sybils.
    await viem.assertions.emit(attest(s, t, [s.w1, s.w2, s.w3, ...sybils]), s.settlement, "QuorumReached");
    const [stake, count] = await s.settlement.read.supportOf([epoch, t.root, t.runCount, t.totalGold]);
    assert.equal(count, 20n);
    assert.equal(stake, 3n * 51n * SGETH + 17n * MIN_BOND);
  });

  it("F2 slashed worker re-registration: a slashed worker that withdraws is never eligible again", async () => {
    const s = await freshSettlement();
    const { epoch } = await oneEpoch(s);
    const forged = await buildEpoch(s, epoch, (leaves) => {
      leaves[0]!.gold += 777n;
    });
    await attestQuorum(s, forged);
    await s.settlement.write.challengeLeaf([...leafChallengeArgs(forged, 0)], { account: s.challenger.account });
    await applyAllSlashes(s);
    assert.equal((await s.workers.read.workerOf([s.w1.account.address])).slashes, 1);
    assert.equal(await s.workers.read.isEligible([s.w1.account.address]), false);
    // docs/SETTLEMENT.md: "A worker slashed once can never attest again (it may still withdraw what is left)".
    await s.workers.write.requestExit({ account: s.w1.account });
    await networkHelpers.mine(UNBONDING_DELAY);
    await s.workers.write.withdraw({ account: s.w1.account });
    // withdraw() deletes the Worker record; the slash history stays and refuses a fresh registration.
    await viem.assertions.revertWithCustomError(registerWorker(s, s.w1, MIN_BOND), s.workers, "NotEligible");
    assert.equal(await s.workers.read.isEligible([s.w1.account.address]), false, "slashed worker is eligible again");
  });

});

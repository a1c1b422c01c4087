/**
 * The fraud finder (game/chain/fraud.ts) against the real contract, for wrong trees that only `challengeNode` can
 * prove: an inner node whose sum is not its children's, an empty inner node, and a wrong total whose position-0 path
 * runs through such a node. Each lie is published as a dump with its inner levels (what a lying worker would serve),
 * loaded back with loadTree, and the finder's call (challengeCall) must reject the root and slash every attester.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bytesToHex, parseEventLogs } from "viem";
import { challengeCall, findFraud, FRAUD_NAMES, type ChallengeRun } from "../../game/chain/fraud.js";
import { dumpTree, EMPTY_NODE, EpochTree, loadTree, parentNode, type TreeNode } from "../../game/chain/tree.js";
import { generateRun } from "../helpers/runs.js";
import {
  applyAllSlashes,
  attestQuorum,
  buildEpoch,
  freshSettlement,
  mineToEpochEnd,
  playRun,
  receiptOf,
  toFreshEpoch,
  type PlayedRun,
  type Settlement,
} from "../settlement/fixture.js";

/** Three runs of p1 and p2 in a fresh epoch (depth 2: positions 0..3, the last empty), ended. */
async function epochOfThree(s: Settlement) {
  await toFreshEpoch(s);
  const runs: PlayedRun[] = [];
  for (let i = 0; i < 3; i++) runs.push(await playRun(s, i % 2 === 0 ? s.p1 : s.p2, generateRun(31, 1 + 8 * i).inputs));
  const epoch = runs[0]!.epoch;
  assert.ok(runs.every((r) => r.epoch === epoch));
  await mineToEpochEnd(s, epoch);
  const t = await buildEpoch(s, epoch);
  const honest = EpochTree.fromLeaves(epoch, t.leaves);
  assert.equal(honest.root, t.root, "game/chain/tree.ts and the fixture build the same tree");
  const challengeRuns: ChallengeRun[] = t.leaves.map((l) => ({ index: l.index, runId: l.runId, inputs: bytesToHex(t.inputs.get(l.runId)!) }));
  return { epoch, honest, challengeRuns };
}

/** A tree with the honest positions and the given inner levels (bottom up, the top last), recomputing the hashes above any node changed. */
function liarTree(honest: EpochTree, change: (inner: TreeNode[][]) => void): EpochTree {
  const inner = honest.innerLevels().map((level) => [...level]);
  change(inner);
  // Re-hash every node above the changed ones, keeping each given sum (a liar's sums need not add up).
  const levels = [[...honest.positions()], ...inner];
  for (let k = 1; k < levels.length; k++) {
    levels[k] = levels[k]!.map((n, i) =>
      BigInt(n.hash) === 0n ? n : { hash: parentNode(levels[k - 1]![2 * i]!, levels[k - 1]![2 * i + 1]!).hash, sum: n.sum },
    );
  }
  return EpochTree.fromLevels(honest.epoch, honest.runCount, honest.positions(), levels.slice(1), honest.leaves());
}

async function rejectWithFinder(s: Settlement, epoch: bigint, lie: EpochTree, attestedTotal: bigint, honest: EpochTree, runs: ChallengeRun[]) {
  // What a lying worker serves, and what an honest watcher loads from it.
  const served = JSON.parse(JSON.stringify(dumpTree(lie))) as unknown;
  assert.ok((served as { inner?: unknown }).inner, "the dump carries the liar's inner levels");
  const theirs = loadTree(served, { epoch, runCount: honest.runCount, root: lie.root });
  await attestQuorum(s, { epoch, root: lie.root, runCount: BigInt(lie.runCount), totalGold: attestedTotal, depth: lie.depth, leaves: [], levels: [], inputs: new Map() });
  const c = findFraud(theirs, attestedTotal, honest, runs);
  assert.ok(c, "the finder finds the lie");
  const call = challengeCall(epoch, c);
  const hash =
    call.functionName === "challengeNode"
      ? s.settlement.write.challengeNode([...call.args], { account: s.challenger.account })
      : s.settlement.write.challenge([...call.args], { account: s.challenger.account });
  const receipt = await receiptOf(s, hash);
  const [ev] = parseEventLogs({ abi: s.settlement.abi, logs: receipt.logs, eventName: "RootRejected" });
  assert.ok(ev, "the root is rejected");
  assert.equal(ev.args.signers, 3n, "every signer is to be slashed");
  await applyAllSlashes(s);
  for (const w of [s.w1, s.w2, s.w3]) assert.equal((await s.workers.read.workerOf([w.account.address])).slashes, 1, "every signer is slashed");
  return { c, fraud: FRAUD_NAMES[ev.args.fraud!] };
}

describe("fraud finder + challengeNode on the real contract", () => {
  it("an inner node whose sum is not its children's, the total inflated to match: challengeNode, WrongSum", async () => {
    const s = await freshSettlement();
    const { epoch, honest, challengeRuns } = await epochOfThree(s);
    const lie = liarTree(honest, (inner) => {
      inner[0]![0] = { ...inner[0]![0]!, sum: inner[0]![0]!.sum + 1_000_000n };
    });
    assert.equal(lie.totalGold, honest.totalGold + 1_000_000n, "the lie's proofs fold to the inflated total");
    const { c, fraud } = await rejectWithFinder(s, epoch, lie, lie.totalGold, honest, challengeRuns);
    assert.deepEqual([c.fn, c.level, c.position, c.kind, fraud], ["challengeNode", 1, 0, "WrongSum", "WrongSum"]);
  });

  it("an empty inner node hiding the last run: challengeNode, WrongDepth", async () => {
    const s = await freshSettlement();
    const { epoch, honest, challengeRuns } = await epochOfThree(s);
    const lie = liarTree(honest, (inner) => {
      inner[0]![1] = EMPTY_NODE;
    });
    const { c, fraud } = await rejectWithFinder(s, epoch, lie, lie.totalGold, honest, challengeRuns);
    assert.deepEqual([c.fn, c.level, c.position, c.kind, fraud], ["challengeNode", 1, 1, "WrongDepth", "WrongDepth"]);
  });

  it("a wrong total over a wrong inner sum on position 0's path: the top is opened (challengeNode, WrongSum)", async () => {
    const s = await freshSettlement();
    const { epoch, honest, challengeRuns } = await epochOfThree(s);
    const lie = liarTree(honest, (inner) => {
      inner[0]![0] = { ...inner[0]![0]!, sum: inner[0]![0]!.sum + 5n };
    });
    const { c, fraud } = await rejectWithFinder(s, epoch, lie, lie.totalGold + 1n, honest, challengeRuns);
    assert.deepEqual([c.fn, c.level, c.kind, fraud], ["challengeNode", lie.depth, "WrongSum", "WrongSum"]);
  });

  it("a dump whose inner node does not hash its children is refused as not the root's tree", async () => {
    const s = await freshSettlement();
    const { epoch, honest } = await epochOfThree(s);
    const lie = liarTree(honest, (inner) => {
      inner[0]![0] = { ...inner[0]![0]!, sum: inner[0]![0]!.sum + 1n };
    });
    const dump = dumpTree(lie);
    dump.inner![0]![0]![0] = honest.root; // a hash that is not its children's
    assert.throws(() => loadTree(dump, { epoch, runCount: honest.runCount, root: lie.root }), /does not hash its children/);
  });
});

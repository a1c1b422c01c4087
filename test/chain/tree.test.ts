/**
 * game/chain's one reading of an epoch (issue 12): the run id codec and its display form, the sum tree's wire dump,
 * the fraud finder's choice of the cheapest challenge for each kind of wrong tree, and the packed claim encoding.
 * Every challenge found is checked the way the contract checks it: its node and proof fold to their root, and the
 * fold's top sum is (or, for WrongTotal, is not) the attested total.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, hexToBigInt, keccak256, sliceHex, size, type Hex } from "viem";
import { claimOf, encodeClaims, packable } from "../../game/chain/claims.js";
import { findFraud, FraudError, type ChallengeRun } from "../../game/chain/fraud.js";
import { boostBpsOf, boosted } from "../../game/chain/payout.js";
import { decodeRunId, encodeRunId, runBoostBps, runLabel, RunIdError, runNonce, runPlayer } from "../../game/chain/runId.js";
import { dumpTree, EMPTY_NODE, EpochTree, foldProof, leafNode, loadTree, TreeError, type TreeLeaf, type TreeNode } from "../../game/chain/tree.js";

const ALICE = getAddress("0x00000000000000000000000000000000000a11ce");
const BOB = getAddress("0x0000000000000000000000000000000000000b0b");
const EPOCH = 7n;

/** An epoch of `n` runs alternating Alice and Bob, run i earning 10 * (i + 1) gold; run i's inputs are 2 + i bytes. */
function epochOf(n: number): { leaves: TreeLeaf[]; runs: ChallengeRun[] } {
  const leaves: TreeLeaf[] = [];
  const runs: ChallengeRun[] = [];
  for (let i = 0; i < n; i++) {
    const runId = encodeRunId({ player: i % 2 === 0 ? ALICE : BOB, boostBps: i === 1 ? 2_500n : 0n, nonce: BigInt(i + 1) });
    leaves.push({ index: BigInt(i), runId, gold: 10n * BigInt(i + 1) });
    runs.push({ index: BigInt(i), runId, inputs: `0x${"ab".repeat(2 + i)}` });
  }
  return { leaves, runs };
}

/** A tree with some positions' nodes replaced, as a liar's dump would give it. */
function lying(honest: EpochTree, changes: Record<number, TreeNode>, leaves: TreeLeaf[] = []): EpochTree {
  const nodes = honest.positions().map((n, p) => changes[p] ?? n);
  return EpochTree.fromPositions(honest.epoch, honest.runCount, nodes, leaves);
}

/** What the contract does with a challenge: fold node + proof to the root and the total. */
function folds(theirs: EpochTree, c: { position: number; node: TreeNode; proof: TreeNode[] }): TreeNode {
  assert.equal(c.proof.length, theirs.depth, "the proof is exactly the tree's depth");
  const top = foldProof(BigInt(c.position), c.node, c.proof);
  assert.equal(top.hash, theirs.root, "the challenge's node and proof fold to the attested root");
  return top;
}

describe("run id codec (RunIdLib)", () => {
  it("packs player << 96 | boostBps << 80 | nonce and reads each field back", () => {
    const id = encodeRunId({ player: ALICE, boostBps: 1_234n, nonce: 42n });
    assert.equal(id, (BigInt(ALICE) << 96n) | (1_234n << 80n) | 42n);
    assert.deepEqual(decodeRunId(id), { player: ALICE, boostBps: 1_234n, nonce: 42n });
    assert.equal(runPlayer(id), ALICE);
    assert.equal(runBoostBps(id), 1_234n);
    assert.equal(boostBpsOf(id), 1_234n, "payout.ts reads the boost through the codec");
    assert.equal(runNonce(id), 42n);
    assert.equal(boosted(100n, id), 112n);
  });

  it("refuses fields that do not fit, with a clear error", () => {
    assert.throws(() => encodeRunId({ player: ALICE, boostBps: 70_000n, nonce: 1n }), RunIdError);
    assert.throws(() => encodeRunId({ player: ALICE, boostBps: 0n, nonce: 1n << 80n }), /does not fit 80 bits/);
    assert.throws(() => runNonce(-1n), /not a run id/);
  });

  it("shows a run one way: 'run #n' for the viewer's own, '0x1234…abcd #n' for another's", () => {
    const id = encodeRunId({ player: BOB, boostBps: 0n, nonce: 3n });
    assert.equal(runLabel(id), "run #3");
    assert.equal(runLabel(id, BOB), "run #3");
    assert.equal(runLabel(id, ALICE), "0x0000…0B0b #3");
    assert.equal(runLabel(id, null), "0x0000…0B0b #3");
  });
});

describe("the epoch tree's wire dump", () => {
  it("round-trips every position and the run leaves, and refuses a dump of another root", () => {
    const honest = EpochTree.fromLeaves(EPOCH, epochOf(5).leaves);
    const dump = JSON.parse(JSON.stringify(dumpTree(honest))) as unknown;
    const back = loadTree(dump, { epoch: EPOCH, runCount: 5, root: honest.root });
    assert.equal(back.root, honest.root);
    assert.equal(back.totalGold, honest.totalGold);
    assert.deepEqual(back.positions(), honest.positions());
    assert.deepEqual(back.leaves(), honest.leaves());
    assert.equal(back.positions().length, 8, "5 runs: depth 3, 8 positions");
    assert.throws(() => loadTree(dump, { epoch: EPOCH, runCount: 5, root: keccak256("0x01") }), /fold to .* not to the attested root/);
    assert.throws(() => loadTree(dump, { epoch: EPOCH, runCount: 4, root: honest.root }), /has 5 runs, the registry 4/);
    assert.throws(() => loadTree({ ...(dump as object), nodes: [["0x12", "1"]] }, { epoch: EPOCH, runCount: 5, root: honest.root }), TreeError);
    assert.throws(() => loadTree("nope", { epoch: EPOCH, runCount: 5, root: honest.root }), /JSON object/);
  });

  it("keeps only the dump's leaves that hash to the node at their position", () => {
    const honest = EpochTree.fromLeaves(EPOCH, epochOf(3).leaves);
    const fake: TreeLeaf = { index: 1n, runId: honest.leaf(1)!.runId, gold: 999n };
    const t = EpochTree.fromPositions(EPOCH, 3, honest.positions(), [honest.leaf(0)!, fake]);
    assert.deepEqual(t.leaf(0), honest.leaf(0));
    assert.equal(t.leaf(1), undefined);
    assert.equal(t.proofOf(honest.leaf(1)!.runId), null);
  });
});

describe("fraud finder: the cheapest one-challenge proof", () => {
  const { leaves, runs } = epochOf(5);
  const honest = EpochTree.fromLeaves(EPOCH, leaves);

  it("finds nothing in the honest tree with its total", () => {
    assert.equal(findFraud(honest, honest.totalGold, honest, runs), null);
  });

  it("a wrong total (right leaves, total 10x): WrongTotal at position 0, no replay", () => {
    const c = findFraud(honest, honest.totalGold * 10n, honest, runs)!;
    assert.equal(c.kind, "WrongTotal");
    assert.equal(c.runId, 0n);
    assert.equal(c.inputs, "0x");
    assert.notEqual(folds(honest, c).sum, honest.totalGold * 10n, "the proof's top sum shows the attested total is wrong");
  });

  it("an understated total hidden in a wrong inner sum is still caught by a position: the leaf sums do not add up", () => {
    // Leaves honest, but the attested total is one run short: the tree itself sums right, so it is WrongTotal.
    const c = findFraud(honest, honest.totalGold - 10n, honest, runs)!;
    assert.equal(c.kind, "WrongTotal");
  });

  it("a wrong gold: WrongLeaf at that run, with the registry's run and inputs", () => {
    const bad = leafNode({ ...leaves[2]!, gold: leaves[2]!.gold + 1_000n });
    const theirs = lying(honest, { 2: bad }, [{ ...leaves[2]!, gold: leaves[2]!.gold + 1_000n }]);
    const c = findFraud(theirs, theirs.totalGold, honest, runs)!;
    assert.equal(c.kind, "WrongLeaf");
    assert.equal(c.position, 2);
    assert.equal(c.runId, runs[2]!.runId);
    assert.equal(c.inputs, runs[2]!.inputs);
    assert.match(c.reason, /earned 1030 gold/);
    assert.equal(folds(theirs, c).sum, theirs.totalGold);
  });

  it("an omitted run (a duplicate in its place): WrongLeaf at its position, preferred over a cheaper wrong gold", () => {
    // Position 3 repeats run 1's leaf (same index can't be: a duplicate is run 1's id at index 3); position 0 has a
    // wrong gold with the shortest inputs of all.
    const dup: TreeLeaf = { index: 3n, runId: leaves[1]!.runId, gold: leaves[1]!.gold };
    const wrongGold: TreeLeaf = { ...leaves[0]!, gold: 1n };
    const theirs = lying(honest, { 0: leafNode(wrongGold), 3: leafNode(dup) }, [wrongGold, dup]);
    const c = findFraud(theirs, theirs.totalGold, honest, runs)!;
    assert.equal(c.position, 3, "the structural difference wins");
    assert.equal(c.kind, "WrongLeaf");
    assert.equal(c.runId, runs[3]!.runId, "the challenge names the registry's run at the position");
    assert.match(c.reason, /another run than the registry's/);
    folds(theirs, c);
  });

  it("an invented leaf the dump names no run for is structural too", () => {
    const theirs = lying(honest, { 4: { hash: keccak256("0xbeef"), sum: 50n } });
    const c = findFraud(theirs, theirs.totalGold, honest, runs)!;
    assert.equal(c.position, 4);
    assert.match(c.reason, /names no run/);
  });

  it("among wrong golds, the run with the shortest inputs (the cheapest replay)", () => {
    const w1: TreeLeaf = { ...leaves[1]!, gold: 0n };
    const w4: TreeLeaf = { ...leaves[4]!, gold: 0n };
    const theirs = lying(honest, { 1: leafNode(w1), 4: leafNode(w4) }, [w1, w4]);
    assert.equal(findFraud(theirs, theirs.totalGold, honest, runs)!.position, 1);
  });

  it("the run's leaf with another sum: WrongSum", () => {
    const n = honest.node(1);
    const theirs = lying(honest, { 1: { hash: n.hash, sum: n.sum * 2n } }, [leaves[1]!]);
    const c = findFraud(theirs, theirs.totalGold, honest, runs)!;
    assert.equal(c.kind, "WrongSum");
    assert.equal(c.position, 1);
  });

  it("a non-empty position past the run count: BeyondCount, no replay", () => {
    const extra: TreeLeaf = { index: 6n, runId: leaves[0]!.runId, gold: 500n };
    const theirs = lying(honest, { 6: leafNode(extra) });
    const c = findFraud(theirs, theirs.totalGold, honest, runs)!;
    assert.equal(c.kind, "BeyondCount");
    assert.equal(c.position, 6);
    assert.equal(c.inputs, "0x");
    assert.equal(folds(theirs, c).sum, theirs.totalGold);
  });

  it("restricted to a player's positions, it finds only what is wrong there (and a wrong total)", () => {
    const w2: TreeLeaf = { ...leaves[2]!, gold: 0n };
    const theirs = lying(honest, { 2: leafNode(w2) }, [w2]);
    assert.equal(findFraud(theirs, theirs.totalGold, honest, runs, { positions: [1, 3] }), null);
    assert.equal(findFraud(theirs, theirs.totalGold, honest, runs, { positions: [2] })!.position, 2);
    assert.equal(findFraud(theirs, theirs.totalGold + 1n, honest, runs, { positions: [1] })!.kind, "WrongTotal");
    assert.throws(() => findFraud(theirs, theirs.totalGold, honest, runs, { positions: [5] }), FraudError);
  });

  it("refuses trees of another run count than the registry's", () => {
    const other = EpochTree.fromLeaves(EPOCH, epochOf(4).leaves);
    assert.throws(() => findFraud(other, other.totalGold, honest, runs), /4 runs, ours 5/);
  });

  it("a one-run epoch has depth 0: its leaf is the root and the proof is empty", () => {
    const one = epochOf(1);
    const t = EpochTree.fromLeaves(EPOCH, one.leaves);
    assert.equal(t.depth, 0);
    assert.equal(t.root, leafNode(one.leaves[0]!).hash);
    // The root hash does not bind a one-run tree's sum: the challenge carries the attested total as the node's sum
    // and the run at position 0, and the contract's replay finds that sum wrong (WrongSum).
    const c = findFraud(t, t.totalGold + 5n, t, one.runs)!;
    assert.deepEqual(c.proof, []);
    assert.equal(c.kind, "WrongSum");
    assert.deepEqual(c.node, { hash: t.root, sum: t.totalGold + 5n });
    assert.equal(c.runId, one.runs[0]!.runId);
    assert.equal(c.inputs, one.runs[0]!.inputs);
    assert.deepEqual(t.node(0), leafNode(one.leaves[0]!));
    assert.notDeepEqual(EMPTY_NODE, t.node(0));
  });
});

describe("packed claims (claimPacked)", () => {
  it("writes 45 bytes per claim then 40 per proof level, fields in place", () => {
    const { leaves } = epochOf(5);
    const t = EpochTree.fromLeaves(EPOCH, leaves);
    const a = claimOf(t, leaves[1]!.runId);
    const b = claimOf(t, leaves[4]!.runId);
    assert.equal(a.proof.length, 3);
    const packed = encodeClaims([a, b]);
    assert.equal(size(packed), 2 * (45 + 40 * 3));
    const at = (from: number, bytes: number): bigint => hexToBigInt(sliceHex(packed, from, from + bytes));
    assert.equal(at(0, 4), EPOCH);
    assert.equal(at(4, 4), 1n);
    assert.equal(at(8, 32), leaves[1]!.runId);
    assert.equal(at(40, 4), leaves[1]!.gold);
    assert.equal(at(44, 1), 3n);
    assert.equal(sliceHex(packed, 45, 77), a.proof[0]!.hash);
    assert.equal(at(77, 8), a.proof[0]!.sum);
    assert.equal(at(165, 4), EPOCH, "the second claim starts after the first's proof");
    // The proof folds to the root and the epoch's total: what the contract checks instead of a stated total.
    const top = foldProof(1n, leafNode(leaves[1]!), a.proof);
    assert.equal(top.hash, t.root);
    assert.equal(top.sum, t.totalGold);
  });

  it("says which claims cannot be packed", () => {
    const { leaves } = epochOf(2);
    const t = EpochTree.fromLeaves(EPOCH, leaves);
    const c = claimOf(t, leaves[0]!.runId);
    assert.ok(packable(c));
    const big = { ...c, proof: [{ hash: c.proof[0]!.hash, sum: 2n ** 64n }] };
    assert.ok(!packable(big));
    assert.throws(() => encodeClaims([big]), /use claim\(\)/);
    assert.throws(() => claimOf(t, 123n), /not a leaf/);
    assert.equal(encodeClaims([]), "0x" as Hex);
  });
});

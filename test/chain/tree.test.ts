/**
 * game/chain's one reading of an epoch (issues 12 and 17): the run id codec and its display form, the tree's leaves
 * in ascending run-id order, the sum tree's wire dump, the fraud finder's choice of the cheapest challenge (which
 * contract function, which arguments) for each kind of wrong tree, and the packed claim encoding. Every challenge
 * found is checked the way the contract checks it: each node or opened leaf and its proof fold to their root, and the
 * fold's top sum is (or, for WrongTotal, is not) the attested total.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, hexToBigInt, keccak256, sliceHex, size, type Hex } from "viem";
import { claimOf, encodeClaims, packable } from "../../game/chain/claims.js";
import { challengeCall, depthFraud, findFraud, FraudError, type Challenge, type ChallengeRun, type LeafOpening } from "../../game/chain/fraud.js";
import { boostBpsOf, boosted } from "../../game/chain/payout.js";
import { decodeRunId, encodeRunId, runBoostBps, runLabel, RunIdError, runNonce, runPlayer } from "../../game/chain/runId.js";
import {
  dumpTree,
  EMPTY_NODE,
  EpochTree,
  foldProof,
  leafNode,
  loadTree,
  parentNode,
  runIdHash,
  sortedLeaves,
  TreeError,
  type TreeLeaf,
  type TreeNode,
} from "../../game/chain/tree.js";

const ALICE = getAddress("0x00000000000000000000000000000000000a11ce");
const BOB = getAddress("0x0000000000000000000000000000000000000b0b");
const EPOCH = 7n;

/**
 * An epoch of `n` runs submitted alternating Alice and Bob (submission i: nonce i + 1, 10 * (i + 1) gold, 2 + i
 * bytes of inputs, a boost for the second). Bob's address is the smaller, so the tree (ascending run id) holds Bob's
 * runs first: tree order is not submission order. `leaves` are in tree order, `runs` in submission order.
 */
function epochOf(n: number): { leaves: TreeLeaf[]; runs: ChallengeRun[] } {
  const played: { runId: bigint; gold: bigint }[] = [];
  const runs: ChallengeRun[] = [];
  for (let i = 0; i < n; i++) {
    const runId = encodeRunId({ player: i % 2 === 0 ? ALICE : BOB, boostBps: i === 1 ? 2_500n : 0n, nonce: BigInt(i + 1) });
    played.push({ runId, gold: 10n * BigInt(i + 1) });
    runs.push({ runId, inputs: `0x${"ab".repeat(2 + i)}` });
  }
  return { leaves: sortedLeaves(EPOCH, played), runs };
}

/** A liar's tree of these leaves in this order (positions renumbered), as an honest watcher loads it from its dump. */
function served(list: readonly { runId: bigint; gold: bigint }[]): EpochTree {
  const t = EpochTree.fromLeaves(EPOCH, list.map((l, i) => ({ index: BigInt(i), runId: l.runId, gold: l.gold })));
  return loadTree(JSON.parse(JSON.stringify(dumpTree(t))), { epoch: EPOCH, runCount: list.length, root: t.root });
}

/** What the contract does with an opened leaf: it folds (bytes32(runId), its sum) along its position to the root. */
function opens(theirs: EpochTree, l: LeafOpening): TreeNode {
  assert.equal(l.proof.length, theirs.depth, "the proof is exactly the tree's depth");
  assert.ok(l.position < BigInt(theirs.runCount), "an opened leaf is below the run count");
  const top = foldProof(l.position, { hash: runIdHash(l.runId), sum: l.sum }, l.proof);
  assert.equal(top.hash, theirs.root, "the opened leaf folds to the attested root");
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
    assert.throws(() => loadTree(dump, { epoch: EPOCH, runCount: 4, root: honest.root }), /has 5 runs, the attestation 4/);
    assert.throws(() => loadTree({ ...(dump as object), nodes: [["0x12", "1"]] }, { epoch: EPOCH, runCount: 5, root: honest.root }), TreeError);
    assert.throws(() => loadTree("nope", { epoch: EPOCH, runCount: 5, root: honest.root }), /JSON object/);
  });

  it("leaves are in the clear: a node is (bytes32(runId), boosted gold); a dump's leaf is kept where its run id is the node", () => {
    const honest = EpochTree.fromLeaves(EPOCH, epochOf(3).leaves);
    const l1 = honest.leaf(1)!;
    assert.deepEqual(honest.node(1), { hash: runIdHash(l1.runId), sum: boosted(l1.gold, l1.runId) });
    assert.equal(BigInt(honest.node(1).hash), l1.runId);
    const fake: TreeLeaf = { index: 1n, runId: l1.runId + 1n, gold: l1.gold };
    const t = EpochTree.fromPositions(EPOCH, 3, honest.positions(), [honest.leaf(0)!, fake]);
    assert.deepEqual(t.leaf(0), honest.leaf(0));
    assert.equal(t.leaf(1), undefined);
    assert.equal(t.proofOf(l1.runId), null);
    assert.equal(t.opening(1)!.runId, l1.runId, "every run position opens from its node alone");
  });
});

describe("the tree's order: ascending run id", () => {
  it("puts run i of the sorted ids at position i, whatever the submission order", () => {
    const { leaves, runs } = epochOf(5);
    const ids = runs.map((r) => r.runId);
    assert.deepEqual(
      leaves.map((l) => l.runId),
      [...ids].sort((a, b) => (a < b ? -1 : 1)),
    );
    assert.notDeepEqual(leaves.map((l) => l.runId), ids, "not the submission order: Bob's runs come first");
    leaves.forEach((l, i) => assert.equal(l.index, BigInt(i)));
    const shuffled = [...leaves].reverse().map((l) => ({ runId: l.runId, gold: l.gold }));
    assert.equal(EpochTree.fromRuns(EPOCH, shuffled).root, EpochTree.fromLeaves(EPOCH, leaves).root);
    assert.throws(() => sortedLeaves(EPOCH, [...shuffled, shuffled[0]!]), /given twice/);
  });

  it("claims carry the position in the sorted tree as their index", () => {
    const { leaves, runs } = epochOf(4);
    const t = EpochTree.fromLeaves(EPOCH, leaves);
    const first = runs[0]!.runId; // Alice's first submission: after Bob's two runs in the tree
    const c = claimOf(t, first);
    assert.equal(c.index, 2n);
    assert.equal(foldProof(c.index, leafNode({ runId: first, gold: c.gold }), c.proof).hash, t.root);
  });
});

describe("fraud finder: the cheapest one-challenge proof, and the call that sends it", () => {
  const { leaves, runs } = epochOf(6);
  const honest = EpochTree.fromLeaves(EPOCH, leaves);
  const plain = leaves.map((l) => ({ runId: l.runId, gold: l.gold }));
  const find = (theirs: EpochTree, total = theirs.totalGold, opts?: { runIds?: bigint[] }) => findFraud(theirs, total, honest, runs, opts);
  const inputsOf = (runId: bigint) => runs.find((r) => r.runId === runId)!.inputs;
  const call = (c: Challenge) => challengeCall(EPOCH, c);

  it("finds nothing in the honest tree with its total, also from its dump", () => {
    assert.equal(find(honest), null);
    assert.equal(find(served(plain)), null);
  });

  it("WrongTotal: challenge(epoch, 0, node, proof), no replay", () => {
    const c = find(honest, honest.totalGold * 10n)!;
    assert.equal(c.kind, "WrongTotal");
    assert.ok(c.fn === "challenge");
    assert.deepEqual(call(c), { functionName: "challenge", args: [EPOCH, 0n, c.node, c.proof] });
    assert.equal(foldProof(0n, c.node, c.proof).hash, honest.root);
    assert.notEqual(foldProof(0n, c.node, c.proof).sum, honest.totalGold * 10n, "the proof's top sum shows the attested total is wrong");
    assert.equal(find(honest, honest.totalGold - 10n)!.kind, "WrongTotal", "an understated total too");
  });

  it("BeyondCount: a count one short of the runs (the last leaf past it), and a node past the count", () => {
    const short = EpochTree.fromPositions(EPOCH, 5, honest.positions(), honest.leaves());
    const c = find(short)!;
    assert.deepEqual([c.fn, c.kind, c.position], ["challenge", "BeyondCount", 5]);
    const extra = EpochTree.fromPositions(EPOCH, 6, honest.positions().map((n, p) => (p === 7 ? leafNode({ runId: 1n, gold: 5n }) : n)));
    const e = find(extra)!;
    assert.deepEqual([e.fn, e.kind, e.position], ["challenge", "BeyondCount", 7]);
    assert.ok(e.fn === "challenge");
    assert.equal(foldProof(7n, e.node, e.proof).sum, extra.totalGold);
  });

  it("Omitted by an empty position: a count one more than the runs, challenge at the empty position", () => {
    const long = EpochTree.fromPositions(EPOCH, 7, honest.positions(), honest.leaves());
    const c = find(long)!;
    assert.deepEqual([c.fn, c.kind, c.position], ["challenge", "Omitted", 6]);
    assert.ok(c.fn === "challenge");
    assert.deepEqual(c.node, EMPTY_NODE);
  });

  for (const [what, k, shape] of [
    ["the first run", 0, "first"],
    ["a middle run", 3, "pair"],
    ["the last run", 5, "last"],
  ] as const) {
    it(`Omitted: ${what} missing (count one short): challengeOmission with the ${shape === "pair" ? "two neighbours" : `${shape} leaf`}`, () => {
      const theirs = served(plain.filter((_, i) => i !== k));
      const c = find(theirs)!;
      assert.equal(c.kind, "Omitted");
      assert.ok(c.fn === "challengeOmission");
      assert.equal(c.runId, leaves[k]!.runId, "the missing run");
      assert.deepEqual(call(c), { functionName: "challengeOmission", args: [EPOCH, c.runId, c.neighbours] });
      const at = c.neighbours.map((n) => Number(n.position));
      assert.deepEqual(at, shape === "first" ? [0] : shape === "last" ? [4] : [k - 1, k]);
      assert.equal(c.position, at[0], "RootRejected carries the first neighbour's position");
      for (const n of c.neighbours) opens(theirs, n);
      if (shape === "first") assert.ok(c.runId < c.neighbours[0]!.runId);
      if (shape === "last") assert.ok(c.runId > c.neighbours[0]!.runId);
      if (shape === "pair") assert.ok(c.neighbours[0]!.runId < c.runId && c.runId < c.neighbours[1]!.runId);
      assert.equal(c.inputs, "0x", "no replay");
    });
  }

  it("Unordered: a duplicated run (count one more): challengeOrder of the two copies", () => {
    const theirs = served([...plain.slice(0, 3), plain[2]!, ...plain.slice(3)]);
    const c = find(theirs)!;
    assert.ok(c.fn === "challengeOrder");
    assert.deepEqual([c.kind, c.position, Number(c.left.position), Number(c.right.position)], ["Unordered", 2, 2, 3]);
    assert.equal(c.left.runId, c.right.runId);
    assert.deepEqual(call(c), { functionName: "challengeOrder", args: [EPOCH, c.left, c.right] });
    opens(theirs, c.left);
    opens(theirs, c.right);
  });

  it("Unordered: two runs swapped (same count), preferred over the replays their wrong positions would need", () => {
    const swapped = [...plain];
    [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
    const c = find(served(swapped))!;
    assert.ok(c.fn === "challengeOrder");
    assert.deepEqual([c.kind, c.position], ["Unordered", 1]);
    assert.ok(c.left.runId > c.right.runId);
  });

  it("Unordered: a run in place of another (same count) is a duplicate, found before the omission it makes", () => {
    const c = find(served(plain.map((l, i) => (i === 4 ? plain[3]! : l))))!;
    assert.deepEqual([c.fn, c.kind, c.position], ["challengeOrder", "Unordered", 3]);
  });

  it("Invented: a run never submitted in the epoch: challengeLeaf with no inputs, before any order or replay", () => {
    const invented = { runId: encodeRunId({ player: ALICE, boostBps: 0n, nonce: 99n }), gold: 5_000n };
    const list = [...plain, invented].sort((a, b) => (a.runId < b.runId ? -1 : 1));
    const theirs = served(list);
    const c = find(theirs)!;
    assert.ok(c.fn === "challengeLeaf");
    assert.deepEqual([c.kind, c.runId, c.inputs], ["Invented", invented.runId, "0x"]);
    assert.equal(c.position, list.indexOf(invented));
    assert.deepEqual(call(c), { functionName: "challengeLeaf", args: [EPOCH, c.leaf, "0x"] });
    assert.equal(opens(theirs, c.leaf).sum, theirs.totalGold);
    // In place of a real run (which is then omitted too): the invented leaf is the cheaper proof.
    const replaced = served(plain.map((l, i) => (i === 2 ? { runId: leaves[2]!.runId + 1n, gold: l.gold } : l)));
    assert.equal(find(replaced)!.kind, "Invented");
  });

  it("WrongLeaf: a real run with another gold: challengeLeaf with its inputs (one replay)", () => {
    const theirs = served(plain.map((l, i) => (i === 2 ? { ...l, gold: l.gold + 1_000n } : l)));
    const c = find(theirs)!;
    assert.ok(c.fn === "challengeLeaf");
    assert.deepEqual([c.kind, c.position, c.runId, c.inputs], ["WrongLeaf", 2, leaves[2]!.runId, inputsOf(leaves[2]!.runId)]);
    const b = (g: bigint) => boosted(g, leaves[2]!.runId);
    assert.match(c.reason, new RegExp(`gives its run ${b(leaves[2]!.gold + 1_000n)} boosted gold; the replay gives ${b(leaves[2]!.gold)}$`));
    assert.deepEqual(call(c), { functionName: "challengeLeaf", args: [EPOCH, c.leaf, c.inputs] });
    assert.equal(opens(theirs, c.leaf).sum, theirs.totalGold);
  });

  it("WrongLeaf: a run's node with another sum (its gold unsaid): challengeLeaf opening it with that sum", () => {
    const n = honest.node(1);
    const theirs = EpochTree.fromPositions(EPOCH, 6, honest.positions().map((x, p) => (p === 1 ? { hash: n.hash, sum: n.sum * 2n + 1n } : x)));
    const c = find(theirs)!;
    assert.ok(c.fn === "challengeLeaf");
    assert.deepEqual([c.kind, c.position, c.leaf.sum], ["WrongLeaf", 1, n.sum * 2n + 1n]);
    assert.equal(c.inputs, inputsOf(leaves[1]!.runId));
    opens(theirs, c.leaf);
  });

  it("among wrong golds, the run with the shortest inputs (the cheapest replay)", () => {
    const short = runs.reduce((a, b) => (a.inputs.length <= b.inputs.length ? a : b)).runId;
    const long = runs.reduce((a, b) => (a.inputs.length >= b.inputs.length ? a : b)).runId;
    const theirs = served(plain.map((l) => (l.runId === short || l.runId === long ? { ...l, gold: 0n } : l)));
    assert.equal(find(theirs)!.runId, short);
  });

  it("any value at a run position is read as a run id: a hash there is an invented run, a 0 an omitted one", () => {
    const hashed = EpochTree.fromPositions(EPOCH, 6, honest.positions().map((n, p) => (p === 4 ? { hash: keccak256("0xbeef"), sum: 50n } : n)));
    const c = find(hashed)!;
    assert.ok(c.fn === "challengeLeaf");
    assert.deepEqual([c.kind, c.position, c.runId, c.inputs], ["Invented", 4, BigInt(keccak256("0xbeef")), "0x"]);
    assert.equal(find(hashed, hashed.totalGold + 1n)!.kind, "WrongTotal", "a wrong total first");
    const zero = EpochTree.fromPositions(EPOCH, 6, honest.positions().map((n, p) => (p === 4 ? { hash: EMPTY_NODE.hash, sum: 50n } : n)));
    const z = find(zero)!;
    assert.deepEqual([z.fn, z.kind, z.position], ["challenge", "Omitted", 4], "hash 0 with a sum: still no run");
  });

  it("an inner node: empty (challengeNode), a sum past 2^256 (WrongSum), a run's id (challengeDepth), or opaque (nothing under it opens)", () => {
    const withInner = (k: number, i: number, n: TreeNode) => {
      const levels = [[...honest.positions()], ...honest.innerLevels().map((l) => [...l])];
      levels[k]![i] = n;
      for (let up = k + 1; up < levels.length; up++) levels[up] = levels[up]!.map((_, j) => parentNode(levels[up - 1]![2 * j]!, levels[up - 1]![2 * j + 1]!));
      return EpochTree.fromLevels(EPOCH, 6, honest.positions(), levels.slice(1));
    };
    const empty = find(withInner(1, 3, EMPTY_NODE))!;
    assert.deepEqual([empty.fn, empty.kind, empty.level, empty.position], ["challengeNode", "WrongDepth", 1, 3]);
    const lifted = withInner(1, 0, leafNode(leaves[0]!));
    const d = find(lifted)!;
    assert.ok(d.fn === "challengeDepth");
    assert.deepEqual([d.kind, d.level, d.position, d.runId, d.leaf.proof.length], ["WrongDepth", 1, 0, leaves[0]!.runId, 2]);
    assert.deepEqual(call(d), { functionName: "challengeDepth", args: [EPOCH, 0n, d.leaf.proof, leaves[0]!.runId, d.leaf.sum] });
    assert.equal(foldProof(0n, { hash: runIdHash(d.runId), sum: d.leaf.sum }, d.leaf.proof).hash, lifted.root);
    const opaque = withInner(1, 0, { hash: keccak256("0x0bad"), sum: honest.nodeAt(1, 0).sum });
    assert.equal(find(opaque), null, "an opaque inner node hides what is under it (the unreadable tree)");
    assert.equal(opaque.reachesRoot(0, 0), false);
    assert.equal(opaque.reachesRoot(0, 2), true);
  });

  it("their run count may differ from ours in both directions: a tree to challenge, never an exception", () => {
    for (let n = 1; n <= 9; n++) {
      const theirs = served(Array.from({ length: n }, (_, i) => plain[i % plain.length]!));
      assert.doesNotThrow(() => find(theirs));
    }
  });

  it("restricted to a player's runs: its missing run (challengeOmission) or wrong gold (challengeLeaf), not another's", () => {
    const mine = leaves[3]!.runId;
    const other = leaves[1]!.runId;
    const wrongOther = served(plain.map((l) => (l.runId === other ? { ...l, gold: 0n } : l)));
    assert.equal(find(wrongOther, undefined, { runIds: [mine] }), null);
    assert.equal(find(wrongOther, undefined, { runIds: [other] })!.runId, other);
    const wrongMine = served(plain.map((l) => (l.runId === mine ? { ...l, gold: 0n } : l)));
    assert.deepEqual([find(wrongMine, undefined, { runIds: [mine] })!.fn, find(wrongMine, undefined, { runIds: [mine] })!.kind], ["challengeLeaf", "WrongLeaf"]);
    const without = served(plain.filter((l) => l.runId !== mine));
    const o = find(without, undefined, { runIds: [mine] })!;
    assert.deepEqual([o.fn, o.kind, o.runId], ["challengeOmission", "Omitted", mine]);
    assert.equal(find(served(plain.filter((l) => l.runId !== other)), undefined, { runIds: [mine] }), null, "another's omission is not the player's");
    assert.equal(find(wrongOther, wrongOther.totalGold + 1n, { runIds: [mine] })!.kind, "WrongTotal", "the cheap structural checks always apply");
  });

  it("refuses runs that are not our tree's (a caller's bug, not their tree's)", () => {
    assert.throws(() => findFraud(honest, honest.totalGold, honest, runs.slice(1)), FraudError);
  });

  it("a one-run epoch has depth 0: a wrong total opens its leaf with the attested total as its sum (challengeLeaf)", () => {
    const one = epochOf(1);
    const t = EpochTree.fromLeaves(EPOCH, one.leaves);
    assert.equal(t.depth, 0);
    assert.equal(t.root, leafNode(one.leaves[0]!).hash);
    const c = findFraud(t, t.totalGold + 5n, t, one.runs)!;
    assert.ok(c.fn === "challengeLeaf");
    assert.equal(c.kind, "WrongLeaf");
    assert.deepEqual(c.leaf, { position: 0n, runId: one.leaves[0]!.runId, sum: t.totalGold + 5n, proof: [] });
    assert.equal(c.inputs, one.runs[0]!.inputs);
    assert.notDeepEqual(EMPTY_NODE, t.node(0));
  });

  it("the honest root attested with a run count of another depth: deeper, challengeDepth; shallower, an inner node read as a run", () => {
    const total = honest.totalGold;
    assert.equal(depthFraud(honest, 6, total), null);
    assert.equal(depthFraud(honest, 5, total), null, "same depth: findFraud over the honest positions does it");
    const c = depthFraud(honest, 9, total)!;
    assert.ok(c.fn === "challengeDepth");
    assert.equal(c.kind, "WrongDepth");
    assert.equal(c.leaf.proof.length, honest.depth, "shorter than the attested depth 4");
    assert.deepEqual(call(c), { functionName: "challengeDepth", args: [EPOCH, 0n, c.leaf.proof, c.leaf.runId, c.leaf.sum] });
    const s = depthFraud(honest, 3, total)!;
    assert.ok(s.fn === "challengeLeaf");
    assert.deepEqual([s.kind, s.leaf.proof.length, s.leaf.runId], ["Invented", 2, BigInt(honest.nodeAt(1, 0).hash)]);
    const one = depthFraud(honest, 1, total + 3n)!;
    assert.ok(one.fn === "challengeLeaf");
    assert.deepEqual([one.leaf.proof, one.leaf.sum, one.leaf.runId], [[], total + 3n, BigInt(honest.root)], "depth 0: the top opened with the attested total");
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

/**
 * The fraud finder: given another worker's tree of an epoch (possibly wrong, from its /trees dump: every position's
 * node, and the inner levels where they are not computed), the run count and total it attested, our honest tree and
 * the epoch's runs (its RunSubmitted logs), the cheapest single RewardSettlement challenge that rejects it, as the
 * contract function to call and its arguments (`challengeCall`). Leaves are in the clear (a run position's node is
 * (bytes32(runId), boosted gold)), so every position that folds to the root can be opened. The worker uses it for
 * every root that reaches quorum, the client for the player's own runs (watch.ts). Their run count may differ from
 * ours (it is attested, not checked on-chain): that is a tree to challenge, never an exception. In order of cost,
 * none but the last replays:
 * 1. WrongTotal: their top sum is not the total they attested. Position 0's proof shows it: `challenge(epoch, 0,
 *    node, proof)`. If that path does not fold to the root (a wrong inner sum on it), the top node itself is opened
 *    with `challengeNode` (its sum, the attested total, against its children's: WrongSum). A one-run tree (depth 0)
 *    is its leaf, whose hash does not bind its sum: the leaf is opened with the attested total as its sum
 *    (`challengeLeaf`: Invented, or WrongLeaf if that sum is not the run's boosted gold).
 * 2. A node above the positions that is empty (WrongDepth) or whose sum is not its children's, or past 2^256
 *    (WrongSum): `challengeNode`; one that does not hash its children but is the id of one of the epoch's runs (a
 *    leaf above the positions, WrongDepth): `challengeDepth`. No position under such a node can be opened.
 * 3. BeyondCount: a position past their run count is not empty: `challenge`.
 * 4. Omitted, by a position below their run count whose hash is 0: `challenge`.
 * 5. Invented: a run position whose value is no run submitted in the epoch: `challengeLeaf` with no inputs.
 * 6. Unordered: two neighbouring positions whose run ids do not ascend (a duplicated or misplaced run):
 *    `challengeOrder`.
 * 7. Omitted: a run of the epoch that is not in their tree, shown by the positions around where it belongs (the
 *    first, the last, or two neighbours): `challengeOmission`.
 * 8. WrongLeaf: a real run's sum is not its boosted replayed gold: `challengeLeaf` with the run's inputs, one on-chain
 *    replay; the run with the shortest inputs first (the replay's gas grows with them).
 * Only an inner node that neither hashes its children nor is a run's id (the "unreadable tree" of the trust model)
 * hides what is under it; the finder returns null if nothing else is wrong.
 */
import type { Hex } from "viem";
import { boosted } from "./payout.js";
import { runLabel } from "./runId.js";
import { EMPTY_NODE, foldProof, parentNode, treeDepth, type EpochTree, type LeafOpening, type TreeNode } from "./tree.js";

export type FraudKind =
  | "WrongLeaf"
  | "WrongSum"
  | "WrongTotal"
  | "BeyondCount"
  | "WrongDepth"
  | "Omitted"
  | "Unordered"
  | "Invented";

/** RewardSettlement.Fraud, by the number RootRejected carries. */
export const FRAUD_NAMES = ["WrongLeaf", "WrongSum", "WrongTotal", "BeyondCount", "WrongDepth", "Omitted", "Unordered", "Invented"] as const;

/** A run of the epoch as the registry recorded it (RunSubmitted): what a replaying challenge must carry. */
export interface ChallengeRun {
  runId: bigint;
  inputs: Hex;
}

export type { LeafOpening };

interface ChallengeBase {
  kind: FraudKind;
  /** 0 but for `challengeNode`: the node's level above the positions (the top is the tree's depth). */
  level: number;
  /**
   * The position RootRejected will carry: the position opened (`challenge`), the leaf's (`challengeLeaf`), the left
   * neighbour's (`challengeOrder`), the first neighbour's (`challengeOmission`); for `challengeNode`, the node's
   * index in its level.
   */
  position: number;
  /** The run the challenge is about: the leaf's (`challengeLeaf`), the omitted one (`challengeOmission`); else 0. */
  runId: bigint;
  /** The inputs the contract replays (`challengeLeaf` of a real run); "0x" when nothing is replayed. */
  inputs: Hex;
  /** What is wrong, in one sentence. */
  reason: string;
}

/** One challenge: which RewardSettlement function proves it, with what (see `challengeCall` for the call itself). */
export type Challenge = ChallengeBase &
  (
    | { fn: "challenge"; node: TreeNode; proof: TreeNode[] }
    | { fn: "challengeNode"; node: TreeNode; left: TreeNode; right: TreeNode; proof: TreeNode[] }
    | { fn: "challengeLeaf"; leaf: LeafOpening }
    | { fn: "challengeOrder"; left: LeafOpening; right: LeafOpening }
    | { fn: "challengeOmission"; neighbours: LeafOpening[] }
    /** A run's id as a node above the positions (its proof shorter than the depth): a leaf out of place. */
    | { fn: "challengeDepth"; leaf: LeafOpening }
  );

export class FraudError extends Error {}

const isEmpty = (n: TreeNode) => BigInt(n.hash) === 0n && n.sum === 0n;
const same = (a: TreeNode, b: TreeNode) => a.hash.toLowerCase() === b.hash.toLowerCase();

/**
 * The cheapest challenge of `theirs` (attested with `theirs.runCount` runs and `attestedTotal`), or null if nothing in
 * it can be proven wrong. `ours` is the honest tree of the epoch and `runs` its runs (any order; the same runs); for
 * an epoch with no runs (which a quorum may still attest: the run count is not checked on-chain), `ours` is null and
 * `runs` empty, and every leaf of theirs is invented.
 * `runIds`, if given, restricts the run checks to those runs (a player checking its own): the steps that need no
 * leaf of a run (1 to 4) always apply; then each such run must be in their tree (else `challengeOmission`, or, when
 * no neighbours can show it, whatever invented or misplaced leaf is in the way) with its honest gold (else
 * `challengeLeaf`).
 */
export function findFraud(
  theirs: EpochTree,
  attestedTotal: bigint,
  ours: EpochTree | null,
  runs: readonly ChallengeRun[],
  opts: { runIds?: readonly bigint[] } = {},
): Challenge | null {
  const epoch = theirs.epoch;
  const honestLeaves = ours?.leaves() ?? [];
  const honestGold = new Map(honestLeaves.map((l) => [l.runId, l.gold]));
  const inputsOf = new Map(runs.map((r) => [r.runId, r.inputs]));
  const ourCount = ours?.runCount ?? 0;
  if (honestGold.size !== ourCount || inputsOf.size !== honestGold.size || runs.some((r) => !honestGold.has(r.runId))) {
    throw new FraudError(`epoch ${epoch}: our tree's ${ourCount} runs are not the ${runs.length} runs given`);
  }
  const count = theirs.runCount;
  const label = (runId: bigint) => {
    try {
      return runLabel(runId, null);
    } catch {
      return `run id ${runId}`;
    }
  };
  const at = (position: number, kind: FraudKind, reason: string): Challenge => ({
    kind,
    fn: "challenge",
    level: 0,
    position,
    node: theirs.node(position),
    proof: theirs.proof(position),
    runId: 0n,
    inputs: "0x",
    reason,
  });
  const atNode = (level: number, i: number, kind: FraudKind, reason: string, node = theirs.nodeAt(level, i)): Challenge => ({
    kind,
    fn: "challengeNode",
    level,
    position: i,
    node,
    left: level > 0 && BigInt(node.hash) !== 0n ? theirs.nodeAt(level - 1, 2 * i) : EMPTY_NODE,
    right: level > 0 && BigInt(node.hash) !== 0n ? theirs.nodeAt(level - 1, 2 * i + 1) : EMPTY_NODE,
    proof: theirs.proofAt(level, i),
    runId: 0n,
    inputs: "0x",
    reason,
  });
  /** Whether node `i` of `level` of their tree folds to its root (always, but under an inner node given opaque). */
  const reaches = (level: number, i: number) => !theirs.innerGiven || theirs.reachesRoot(level, i);
  /** Their run position `p` opened, if it folds to the root and its hash is not 0 (each opened once). */
  const opened = new Map<number, LeafOpening | null>();
  const open = (p: number): LeafOpening | null => {
    let o = opened.get(p);
    if (o === undefined) opened.set(p, (o = p >= 0 && p < count && reaches(0, p) ? theirs.opening(p) : null));
    return o;
  };
  /** What is wrong with their run position `p` opened with `sum`: a challengeLeaf, or null if nothing. */
  const leafFraud = (p: number, sum: bigint): Challenge | null => {
    const o = open(p);
    if (o === null) return null;
    const leaf: LeafOpening = { ...o, sum };
    const gold = honestGold.get(leaf.runId);
    const base = { fn: "challengeLeaf" as const, level: 0, position: p, runId: leaf.runId, leaf };
    if (gold === undefined) {
      return { ...base, kind: "Invented", inputs: "0x", reason: `position ${p} holds ${label(leaf.runId)}, which was not submitted in epoch ${epoch}` };
    }
    const want = boosted(gold, leaf.runId);
    if (sum === want) return null;
    return { ...base, kind: "WrongLeaf", inputs: inputsOf.get(leaf.runId)!, reason: `position ${p} gives its run ${sum} boosted gold; the replay gives ${want}` };
  };

  // 1. The total.
  if (theirs.totalGold !== attestedTotal) {
    const reason = `the tree sums to ${theirs.totalGold} gold but ${attestedTotal} was attested`;
    if (theirs.depth > 0) {
      const folded = foldProof(0n, theirs.node(0), theirs.proof(0));
      if (folded.hash.toLowerCase() === theirs.root.toLowerCase()) return at(0, "WrongTotal", reason);
      // A wrong inner sum on position 0's path: open the top itself, its sum being the attested total.
      return atNode(theirs.depth, 0, "WrongSum", reason, { hash: theirs.root, sum: attestedTotal });
    }
    // A one-run tree is its leaf, whose hash does not bind its sum: open it with the attested total as its sum.
    const c = leafFraud(0, attestedTotal);
    if (c !== null) return { ...c, reason: `${reason}: ${c.reason}` };
  }
  // 2. Inner nodes, from the top down (given only by dumps that carry them; computed ones always add up).
  for (let level = theirs.depth - 1; level >= 1 && theirs.innerGiven; level--) {
    for (let i = 0; i < 2 ** (theirs.depth - level); i++) {
      if (!reaches(level, i)) continue;
      const n = theirs.nodeAt(level, i);
      if (BigInt(n.hash) === 0n) {
        return atNode(level, i, "WrongDepth", `an empty node at level ${level} (index ${i}) stands for runs that are not there`);
      }
      const l = theirs.nodeAt(level - 1, 2 * i);
      const r = theirs.nodeAt(level - 1, 2 * i + 1);
      if (!same(parentNode(l, r), n)) {
        const runId = BigInt(n.hash);
        if (!honestGold.has(runId)) continue; // opaque: nothing under it can be shown (the unreadable tree)
        const leaf: LeafOpening = { position: BigInt(i), runId, sum: n.sum, proof: theirs.proofAt(level, i) };
        return {
          kind: "WrongDepth",
          fn: "challengeDepth",
          level,
          position: i,
          leaf,
          runId,
          inputs: "0x",
          reason: `${label(runId)} sits at level ${level} (index ${i}), above the positions, hiding the runs under it`,
        };
      }
      if (l.sum + r.sum !== n.sum) {
        return atNode(level, i, "WrongSum", `the node at level ${level} (index ${i}) sums to ${n.sum}, its children to ${l.sum + r.sum}`);
      }
    }
  }
  // 3. Past the run count.
  for (let p = count; p < 2 ** theirs.depth; p++) {
    if (!isEmpty(theirs.node(p)) && reaches(0, p)) return at(p, "BeyondCount", `position ${p} is past the ${count} runs attested but not empty`);
  }
  // 4. A hash of 0 below it (whatever its sum: no run has id 0).
  for (let p = 0; p < count; p++) {
    if (BigInt(theirs.node(p).hash) === 0n && reaches(0, p)) {
      return at(p, "Omitted", `position ${p} is empty, below the ${count} runs attested: a run is missing`);
    }
  }

  const known: { p: number; runId: bigint }[] = [];
  for (let p = 0; p < count; p++) {
    const o = open(p);
    if (o !== null) known.push({ p, runId: o.runId });
  }
  const structural = (): Challenge | null => {
    // 5. Invented.
    for (const { p, runId } of known) {
      if (!honestGold.has(runId)) return leafFraud(p, theirs.node(p).sum);
    }
    // 6. Unordered.
    for (let p = 0; p + 1 < count; p++) {
      const a = open(p);
      const b = open(p + 1);
      if (a === null || b === null || a.runId < b.runId) continue;
      const what = a.runId === b.runId ? `${label(a.runId)} is at both` : `${label(a.runId)} and ${label(b.runId)} are out of order at`;
      return {
        kind: "Unordered",
        fn: "challengeOrder",
        level: 0,
        position: p,
        left: a,
        right: b,
        runId: 0n,
        inputs: "0x",
        reason: `${what} positions ${p} and ${p + 1}: run ids must ascend`,
      };
    }
    return null;
  };
  /** 7. A challengeOmission of run `runId`, if their known leaves show where it belongs; null otherwise. */
  const omission = (runId: bigint): Challenge | null => {
    const first = open(0);
    const last = open(count - 1);
    let neighbours: LeafOpening[] | null = null;
    if (first !== null && runId < first.runId) neighbours = [first];
    else if (last !== null && runId > last.runId) neighbours = [last];
    else {
      for (let p = 0; p + 1 < count && neighbours === null; p++) {
        const a = open(p);
        const b = open(p + 1);
        if (a !== null && b !== null && a.runId < runId && runId < b.runId) neighbours = [a, b];
      }
    }
    if (neighbours === null) return null;
    const where =
      neighbours.length === 2
        ? `between positions ${neighbours[0]!.position} and ${neighbours[1]!.position}`
        : neighbours[0]!.position === 0n
          ? "before position 0"
          : `after position ${neighbours[0]!.position}, the last`;
    return {
      kind: "Omitted",
      fn: "challengeOmission",
      level: 0,
      position: Number(neighbours[0]!.position),
      neighbours,
      runId,
      inputs: "0x",
      reason: `${label(runId)} was submitted in epoch ${epoch} but is not in the tree: it belongs ${where}`,
    };
  };
  /** 8. The cheapest wrong gold or sum among `positions`. */
  const cheapestLeaf = (positions: readonly number[]): Challenge | null => {
    let best: Challenge | null = null;
    for (const p of positions) {
      const c = leafFraud(p, theirs.node(p).sum);
      if (c !== null && (best === null || c.inputs.length < best.inputs.length)) best = c;
    }
    return best;
  };

  const present = new Set(known.map((k) => k.runId));
  if (opts.runIds === undefined) {
    const s = structural();
    if (s !== null) return s;
    for (const r of honestLeaves) {
      if (present.has(r.runId)) continue;
      const o = omission(r.runId);
      if (o !== null) return o;
    }
    return cheapestLeaf(known.map((k) => k.p));
  }
  // A player's runs: each must be in their tree with its honest gold.
  const mine = opts.runIds.filter((id) => honestGold.has(id));
  const missing = mine.filter((id) => !present.has(id));
  for (const id of missing) {
    const o = omission(id);
    if (o !== null) return o;
  }
  // A missing run no neighbours can show: an invented or misplaced leaf is in the way, and proving it rejects the root.
  if (missing.length > 0) {
    const s = structural();
    if (s !== null) return s;
  }
  const wanted = new Set(mine);
  return cheapestLeaf(known.filter((k) => wanted.has(k.runId)).map((k) => k.p));
}

/** The settlement call that sends `c` in `epoch`: the function and its arguments, as the ABI takes them. */
export function challengeCall(epoch: bigint, c: Challenge) {
  switch (c.fn) {
    case "challenge":
      return { functionName: "challenge" as const, args: [epoch, BigInt(c.position), c.node, c.proof] as const };
    case "challengeNode":
      return { functionName: "challengeNode" as const, args: [epoch, BigInt(c.position), c.node, c.left, c.right, c.proof] as const };
    case "challengeLeaf":
      return { functionName: "challengeLeaf" as const, args: [epoch, c.leaf, c.inputs] as const };
    case "challengeOrder":
      return { functionName: "challengeOrder" as const, args: [epoch, c.left, c.right] as const };
    case "challengeOmission":
      return { functionName: "challengeOmission" as const, args: [epoch, c.runId, c.neighbours] as const };
    case "challengeDepth": {
      const l = c.leaf;
      return { functionName: "challengeDepth" as const, args: [epoch, l.position, l.proof, l.runId, l.sum] as const };
    }
  }
}

/**
 * The honest root attested with a run count (and `attestedTotal`) of another depth than its own. Deeper: the root's
 * leaves sit above that count's positions, and the first proves it (`challengeDepth`, WrongDepth). Shallower: that
 * count's positions are the honest tree's inner nodes, hashes no run has for its id (`challengeLeaf` of position 0:
 * Invented). Null if the depths agree (then the positions are the honest ones under the attested count: `findFraud`
 * on `EpochTree.fromPositions(epoch, attestedCount, honest.positions(), honest.leaves())`).
 */
export function depthFraud(honest: EpochTree, attestedCount: number, attestedTotal: bigint): Challenge | null {
  const depth = treeDepth(Math.max(1, attestedCount));
  if (attestedCount < 1 || depth === honest.depth) return null;
  const reason = `${attestedCount} runs were attested, a tree of depth ${depth}, but the root's leaves are at depth ${honest.depth}`;
  if (depth > honest.depth) {
    const leaf = honest.opening(0)!;
    return { kind: "WrongDepth", fn: "challengeDepth", level: depth - honest.depth, position: 0, leaf, runId: leaf.runId, inputs: "0x", reason };
  }
  const level = honest.depth - depth;
  const node = honest.nodeAt(level, 0);
  const leaf: LeafOpening = { position: 0n, runId: BigInt(node.hash), sum: depth === 0 ? attestedTotal : node.sum, proof: honest.proofAt(level, 0) };
  return { kind: "Invented", fn: "challengeLeaf", level: 0, position: 0, leaf, runId: leaf.runId, inputs: "0x", reason };
}

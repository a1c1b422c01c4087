/**
 * The fraud finder: given another worker's tree of an epoch (possibly wrong, from its /trees dump), the total it
 * attested, our honest tree and the epoch's runs, the cheapest single `RewardSettlement.challenge` that rejects it.
 * The worker uses it for every root that reaches quorum, the client for the player's own runs (watch.ts).
 * In order of cost:
 * 1. WrongTotal: their top sum is not the total they attested. Any position's proof shows it, no replay: position 0,
 *    run id 0, inputs 0x. A one-run tree (depth 0) is the exception: its root hash does not bind its sum, so the
 *    node goes as (root, attested total) with the run at position 0, and the replay shows the sum wrong (WrongSum).
 *    If position 0's proof does not fold to the root (a wrong inner sum on its path), the top node itself is
 *    opened with `challengeNode` (its sum, the attested total, against its children's).
 * 2. A node above the positions that is empty or whose sum is not its children's (a dump with `inner` levels):
 *    `challengeNode`, no replay. No position under such a node can be proven, so this comes before step 4.
 * 3. BeyondCount: a position past the run count is not empty. No replay.
 * 4. A run position p < runCount whose node is not our (honest) leaf there: the contract replays the registry's run
 *    at p and finds WrongLeaf (an omitted, duplicated, invented or misplaced run, or a wrong gold) or WrongSum. Every
 *    such challenge costs one on-chain replay, so a structural difference (their leaf at p is not the registry's run
 *    at p, or they name no leaf for the node) is preferred, else the run with the shortest inputs (the replay's gas
 *    grows with them).
 */
import type { Hex } from "viem";
import { EMPTY_NODE, foldProof, sameNode, type EpochTree, type TreeNode } from "./tree.js";

export type FraudKind = "WrongTotal" | "BeyondCount" | "WrongLeaf" | "WrongSum" | "WrongDepth";

/** RewardSettlement.Fraud, by the number RootRejected carries. */
export const FRAUD_NAMES = ["WrongLeaf", "WrongSum", "WrongTotal", "BeyondCount", "WrongDepth"] as const;

/** A run of the epoch as the registry recorded it (RunSubmitted): what a challenge at its position must carry. */
export interface ChallengeRun {
  index: bigint;
  runId: bigint;
  inputs: Hex;
}

export interface Challenge {
  kind: FraudKind;
  /** `challenge` opens a position; `challengeNode` a node above the positions (at `level`), with its children. */
  fn: "challenge" | "challengeNode";
  /** 0 for a position; for `challengeNode`, the node's level above the positions (the top is the tree's depth). */
  level: number;
  /** The node's index in its level (a position for `challenge`). */
  position: number;
  /** For `challengeNode`: the node's children as their tree has them. */
  left?: TreeNode;
  right?: TreeNode;
  /** Their node at `position` and its proof in their tree. */
  node: TreeNode;
  proof: TreeNode[];
  /** The registry's run at `position` (0 for WrongTotal and BeyondCount). */
  runId: bigint;
  /** Its inputs ("0x" for WrongTotal and BeyondCount). */
  inputs: Hex;
  /** What is wrong, in one sentence. */
  reason: string;
}

export class FraudError extends Error {}

/**
 * The cheapest challenge of `theirs` (attested with `attestedTotal`), or null if nothing in it is provably wrong.
 * `runs` are the epoch's runs by index (as many as the run count); `positions`, if given, restricts step 3 to those
 * run positions (a player checking only its own runs); steps 1 and 2 always apply.
 */
export function findFraud(
  theirs: EpochTree,
  attestedTotal: bigint,
  ours: EpochTree,
  runs: readonly ChallengeRun[],
  opts: { positions?: readonly number[] } = {},
): Challenge | null {
  if (theirs.runCount !== ours.runCount || runs.length !== ours.runCount) {
    throw new FraudError(
      `epoch ${ours.epoch}: their tree has ${theirs.runCount} runs, ours ${ours.runCount}, the registry ${runs.length}`,
    );
  }
  runs.forEach((r, i) => {
    if (r.index !== BigInt(i)) throw new FraudError(`run ${i} of epoch ${ours.epoch} has index ${r.index}`);
  });
  const at = (position: number, kind: FraudKind, runId: bigint, inputs: Hex, reason: string): Challenge => ({
    kind,
    fn: "challenge",
    level: 0,
    position,
    node: theirs.node(position),
    proof: theirs.proof(position),
    runId,
    inputs,
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
  if (theirs.totalGold !== attestedTotal) {
    const reason = `the tree sums to ${theirs.totalGold} gold but ${attestedTotal} was attested`;
    if (theirs.depth > 0) {
      const folded = foldProof(0n, theirs.node(0), theirs.proof(0));
      if (folded.hash.toLowerCase() === theirs.root.toLowerCase()) return at(0, "WrongTotal", 0n, "0x", reason);
      // A wrong inner sum on position 0's path: open the top itself, its sum being the attested total.
      return atNode(theirs.depth, 0, "WrongSum", reason, { hash: theirs.root, sum: attestedTotal });
    }
    // A one-run tree is its leaf, whose hash does not bind its sum: the contract takes the node as (root, attested
    // total) and finds that sum wrong for the run at position 0, with one replay (WrongSum).
    return {
      kind: "WrongSum",
      fn: "challenge",
      level: 0,
      position: 0,
      node: { hash: theirs.root, sum: attestedTotal },
      proof: [],
      runId: runs[0]!.runId,
      inputs: runs[0]!.inputs,
      reason,
    };
  }
  // Inner nodes, from the top down (given only by dumps that carry them; computed ones always add up).
  for (let level = theirs.depth - 1; level >= 1 && theirs.innerGiven; level--) {
    for (let i = 0; i < 2 ** (theirs.depth - level); i++) {
      const n = theirs.nodeAt(level, i);
      if (BigInt(n.hash) === 0n) {
        return atNode(level, i, "WrongDepth", `an empty node at level ${level} (index ${i}) stands for runs that are not there`);
      }
      const l = theirs.nodeAt(level - 1, 2 * i);
      const r = theirs.nodeAt(level - 1, 2 * i + 1);
      if ((l.sum + r.sum) % 2n ** 256n !== n.sum) {
        return atNode(level, i, "WrongSum", `the node at level ${level} (index ${i}) sums to ${n.sum}, its children to ${l.sum + r.sum}`);
      }
    }
  }
  const size = 2 ** theirs.depth;
  for (let p = theirs.runCount; p < size; p++) {
    if (BigInt(theirs.node(p).hash) !== 0n || theirs.node(p).sum !== 0n) {
      return at(p, "BeyondCount", 0n, "0x", `position ${p} is past the epoch's ${theirs.runCount} runs but not empty`);
    }
  }
  const wanted = opts.positions ?? runs.map((_, i) => i);
  let best: { p: number; structural: boolean; cost: number } | null = null;
  for (const p of wanted) {
    if (p < 0 || p >= theirs.runCount) throw new FraudError(`position ${p} is not a run of epoch ${ours.epoch}`);
    const mine = ours.node(p);
    const node = theirs.node(p);
    if (sameNode(node, mine)) continue;
    const claimed = theirs.leaf(p);
    const structural = claimed === undefined || claimed.runId !== runs[p]!.runId;
    const cost = runs[p]!.inputs.length;
    if (
      best === null ||
      (structural && !best.structural) ||
      (structural === best.structural && !structural && cost < best.cost)
    ) {
      best = { p, structural, cost };
    }
    if (structural) break;
  }
  if (best === null) return null;
  const run = runs[best.p]!;
  const node = theirs.node(best.p);
  const mine = ours.node(best.p);
  const kind: FraudKind = node.hash.toLowerCase() === mine.hash.toLowerCase() ? "WrongSum" : "WrongLeaf";
  const claimed = theirs.leaf(best.p);
  const reason =
    kind === "WrongSum"
      ? `position ${best.p} holds its run's leaf with a sum of ${node.sum}, not ${mine.sum}`
      : claimed === undefined
        ? `position ${best.p} does not hold the registry's run there (the dump names no run for it)`
        : claimed.runId !== run.runId
          ? `position ${best.p} holds another run than the registry's there`
          : `position ${best.p} says its run earned ${claimed.gold} gold; the replay gives another value`;
  return at(best.p, kind, run.runId, run.inputs, reason);
}

/** The arguments of `RewardSettlement.challenge` for `c` in `epoch` (a `challenge`-kind challenge). */
export function challengeArgs(epoch: bigint, c: Challenge) {
  return [epoch, BigInt(c.position), c.node, c.proof, c.runId, c.inputs] as const;
}

/** The settlement call that sends `c`: `challenge` or `challengeNode`, with its arguments. */
export function challengeCall(epoch: bigint, c: Challenge) {
  if (c.fn === "challengeNode") {
    return {
      functionName: "challengeNode" as const,
      args: [epoch, BigInt(c.position), c.node, c.left ?? EMPTY_NODE, c.right ?? EMPTY_NODE, c.proof] as const,
    };
  }
  return { functionName: "challenge" as const, args: challengeArgs(epoch, c) };
}

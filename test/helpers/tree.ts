/**
 * The epoch's Merkle sum tree restated from IRewardSettlementTypes.Node, independently of game/chain/tree.ts: the
 * settlement tests' fixture and the settlement bench build trees (honest and wrong) with it, and
 * test/settlement/TreeAgreement.test.ts checks it against the contract and game/chain/tree.ts. Pure: no chain.
 *
 * A leaf is its run in the clear: `hash = bytes32(runId)`, `sum = gold * (10000 + boostBps(runId)) / 10000`; the
 * leaves are the epoch's runs in ascending run-id order at positions 0 .. n - 1, positions n .. 2^d - 1 are empty
 * (0, 0); a parent is `(keccak256(abi.encode(l.hash, l.sum, r.hash, r.sum)), l.sum + r.sum mod 2^256)`.
 */
import { concatHex, keccak256, numberToHex, type Hex } from "viem";

/** A node of the sum tree (IRewardSettlementTypes.Node). */
export interface SumNode {
  hash: Hex;
  sum: bigint;
}

/**
 * A leaf: its position in the tree (`index`: a claim names it; it is not in the leaf's node), its run id and the raw
 * gold of its replay. In an honest tree the leaves are the epoch's runs in ascending run-id order and a leaf's index
 * is its rank.
 */
export interface Leaf {
  index: bigint;
  runId: bigint;
  gold: bigint;
}

const BPS = 10_000n;
const WORD = 2n ** 256n;
const word = (v: bigint | Hex) => (typeof v === "bigint" ? numberToHex(v % WORD, { size: 32 }) : v);

export const EMPTY: SumNode = { hash: `0x${"00".repeat(32)}`, sum: 0n };

/** Boosted gold of a leaf, as the settlement computes it: gold * (10000 + boost) / 10000, boost from the run id. */
export function boosted(gold: bigint, runId: bigint): bigint {
  return (gold * (BPS + ((runId >> 80n) & 0xffffn))) / BPS;
}

/** A run's leaf: its id in the clear (bytes32(runId)) with sum = its boosted gold. */
export function leafOf(leaf: Pick<Leaf, "runId" | "gold">): SumNode {
  return { hash: word(leaf.runId), sum: boosted(leaf.gold, leaf.runId) };
}

/** keccak256(abi.encode(l.hash, l.sum, r.hash, r.sum)), sum l.sum + r.sum mod 2^256. */
export function parentOf(l: SumNode, r: SumNode): SumNode {
  return { hash: keccak256(concatHex([l.hash, word(l.sum), r.hash, word(r.sum)])), sum: (l.sum + r.sum) % WORD };
}

/** The least d with 2^d >= n. */
export function depthOf(n: number): number {
  return n <= 1 ? 0 : (n - 1).toString(2).length; // the bits of the last position
}

/** A tree's levels: `levels[h][i]` is the node at height h (0: the positions), index i; the last level is the top. */
export interface TreeLevels {
  runCount: bigint;
  depth: number;
  levels: SumNode[][];
  root: Hex;
  /** What the attesters attest as the total (the top's sum unless said otherwise). */
  totalGold: bigint;
}

/**
 * The tree of `runCount` runs over `positions` (padded with empty positions), built bottom-up; `overrides` replace
 * nodes at any height ("h:i" keys) before the level above is built, so trees whose inner nodes lie (a sum not its
 * children's, an empty node, a leaf above the positions) can be written. `attestedTotal` defaults to the top's sum.
 */
export function buildLevels(
  runCount: number,
  positions: readonly SumNode[],
  overrides: Map<string, SumNode> = new Map(),
  attestedTotal?: bigint,
): TreeLevels {
  const depth = depthOf(runCount);
  const width = 2 ** depth;
  if (positions.length > width) throw new Error(`${positions.length} positions in a tree of ${width}`);
  const bottom = [...positions];
  while (bottom.length < width) bottom.push(EMPTY);
  const levels: SumNode[][] = [];
  let level = bottom.map((n, i) => overrides.get(`0:${i}`) ?? n);
  levels.push(level);
  for (let h = 1; h <= depth; h++) {
    const up: SumNode[] = [];
    for (let i = 0; 2 * i < level.length; i++) up.push(overrides.get(`${h}:${i}`) ?? parentOf(level[2 * i]!, level[2 * i + 1]!));
    levels.push(up);
    level = up;
  }
  const top = levels[depth]![0]!;
  return { runCount: BigInt(runCount), depth, levels, root: top.hash, totalGold: attestedTotal ?? top.sum };
}

/** The siblings of the node at `position` of height `height`, from there up to the top. */
export function proofOf(t: Pick<TreeLevels, "levels" | "depth">, position: number, height = 0): SumNode[] {
  const out: SumNode[] = [];
  for (let h = height, i = position; h < t.depth; h++, i >>= 1) out.push(t.levels[h]![i ^ 1]!);
  return out;
}

/** `leaves` sorted by run id (ascending, as big integers) with their indices set to their ranks. */
export function sortedLeaves<T extends Leaf>(leaves: readonly T[]): T[] {
  return [...leaves].sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0)).map((l, i) => ({ ...l, index: BigInt(i) }));
}

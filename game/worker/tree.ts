/**
 * An epoch's Merkle tree, exactly as the settlement checks it: StandardMerkleTree (@openzeppelin/merkle-tree) of
 * leaves (index, runId, player, gold) in submission order, with the raw gold of each replay, and the epoch's total
 * boosted gold. test/settlement/fixture.ts `buildEpoch` builds the same tree; the worker test compares them.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress, type Address, type Hex } from "viem";
import { LEAF_ENCODING, totalGoldOf, type LeafTuple } from "../chain/epoch.js";

export type { LeafTuple } from "../chain/epoch.js";

/** A submitted run as the RunSubmitted and RunStarted events give it. */
export interface EpochRun {
  index: bigint;
  runId: bigint;
  player: Address;
  seed: Hex;
  inputs: Hex;
}

export interface EpochTree {
  epoch: bigint;
  root: Hex;
  tree: StandardMerkleTree<LeafTuple>;
  leaves: LeafTuple[];
  runCount: bigint;
  totalGold: bigint;
}

export function leavesOf(runs: readonly EpochRun[], golds: readonly number[]): LeafTuple[] {
  return runs.map((r, i) => [r.index, r.runId, r.player, BigInt(golds[i]!)]);
}

export function buildTree(epoch: bigint, leaves: LeafTuple[]): EpochTree {
  const tree = StandardMerkleTree.of(leaves, LEAF_ENCODING);
  return { epoch, root: tree.root as Hex, tree, leaves, runCount: BigInt(leaves.length), totalGold: totalGoldOf(leaves) };
}

/** The wire form of a tree, served on /trees/<epoch>/<root> so that other workers can challenge a wrong leaf. */
export interface TreeDump {
  epoch: string;
  root: Hex;
  leaves: [string, string, string, string][];
}

export function dumpTree(t: EpochTree): TreeDump {
  return {
    epoch: t.epoch.toString(),
    root: t.root,
    leaves: t.leaves.map(([i, id, p, g]) => [i.toString(), id.toString(), p, g.toString()]),
  };
}

/** Rebuilds a dumped tree; null unless it is well formed and its root is `expectedRoot`. */
export function loadTree(json: unknown, expectedRoot: Hex): EpochTree | null {
  try {
    const d = json as TreeDump;
    const leaves: LeafTuple[] = d.leaves.map(([i, id, p, g]) => [BigInt(i), BigInt(id), getAddress(p), BigInt(g)]);
    const t = buildTree(BigInt(d.epoch), leaves);
    return t.root.toLowerCase() === expectedRoot.toLowerCase() ? t : null;
  } catch {
    return null;
  }
}

export interface FraudProof {
  leaf: { index: bigint; runId: bigint; player: Address; gold: bigint };
  proof: Hex[];
  inputs: Hex;
  kind: "LeafContradictsRegistry" | "WrongGold";
}

/**
 * The cheapest challenge of `theirs` given the true runs of the epoch (by index) and our leaves: a leaf that
 * contradicts the registry (no replay on-chain) if there is one, else the wrong-gold leaf with the shortest inputs
 * (the on-chain replay's gas grows with them). Null if every leaf of theirs is right.
 */
export function findFraud(theirs: EpochTree, ours: EpochTree, runs: readonly EpochRun[]): FraudProof | null {
  let best: { i: number; kind: FraudProof["kind"]; cost: number } | null = null;
  for (const [i, [index, runId, player, gold]] of theirs.tree.entries()) {
    const n = Number(index);
    const mine = index < BigInt(runs.length) ? ours.leaves[n] : undefined;
    const run = index < BigInt(runs.length) ? runs[n] : undefined;
    if (mine === undefined || run === undefined || mine[1] !== runId || mine[2] !== getAddress(player)) {
      best = { i, kind: "LeafContradictsRegistry", cost: -1 };
      break;
    }
    if (mine[3] !== gold) {
      const cost = run.inputs.length;
      if (best === null || cost < best.cost) best = { i, kind: "WrongGold", cost };
    }
  }
  if (best === null) return null;
  const [index, runId, player, gold] = theirs.tree.at(best.i)!;
  const run = index < BigInt(runs.length) ? runs[Number(index)] : undefined;
  return {
    leaf: { index, runId, player: getAddress(player), gold },
    proof: theirs.tree.getProof(best.i) as Hex[],
    inputs: best.kind === "WrongGold" ? run!.inputs : "0x",
    kind: best.kind,
  };
}

/**
 * An epoch's position-bound Merkle sum tree, exactly as RewardSettlement checks it (IRewardSettlementTypes.Node):
 * the one reading of an epoch's tree for the worker, the client, the scripts and the benches.
 * - An epoch's runs are its RunSubmitted logs (nothing on-chain counts or orders them); their tree order is ascending
 *   run id (bigint compare), and n, their number, is the run count the quorum attests.
 * - An epoch with n runs has depth d, the least with 2^d >= n (0 for one run), and 2^d positions.
 * - Position i < n is the leaf of the i-th run in ascending run-id order (its rank: `TreeLeaf.index` is that
 *   position, never a submission index), in the clear: hash = bytes32(runId), sum = its boosted gold (the replay's
 *   raw gold boosted by the run id's boost: payout.ts `boosted`). Any value at a run position is thus read as a run
 *   id, and every position of any tree can be opened in a challenge (a hash 0 there is an omitted run).
 * - Positions n .. 2^d - 1 are empty: hash 0, sum 0.
 * - A parent is hash = keccak256(abi.encode(left.hash, left.sum, right.hash, right.sum)), sum = left.sum + right.sum.
 * The root is the top node's hash, the epoch's total boosted gold its sum. A proof is the sibling of each level from
 * the bottom up; bit k of the position says whether the node is the right child at level k.
 */
import { encodeAbiParameters, keccak256, numberToHex, zeroHash, type Hex } from "viem";
import { boosted } from "./payout.js";

export interface TreeNode {
  hash: Hex;
  sum: bigint;
}

/** A run's leaf: its position in the tree (its rank by run id in the epoch), its id and the gold its replay earned. */
export interface TreeLeaf {
  index: bigint;
  runId: bigint;
  gold: bigint;
}

/**
 * A leaf of a root's tree, opened (RewardSettlement's `LeafOpening`): its position, its run (the node's hash read as
 * a run id), the sum the tree gives it, and its proof (the siblings from the bottom up).
 */
export interface LeafOpening {
  position: bigint;
  runId: bigint;
  sum: bigint;
  proof: TreeNode[];
}

export const EMPTY_NODE: TreeNode = Object.freeze({ hash: zeroHash, sum: 0n }) as TreeNode;

const U256 = 2n ** 256n;
const NODE_PARAMS = [{ type: "bytes32" }, { type: "uint256" }, { type: "bytes32" }, { type: "uint256" }] as const;

/**
 * A run's leaf node (RewardSettlement.leafNode): its run id in the clear, and its boosted gold. The position
 * (`index`, if given) is not in it: the proof's path binds it.
 */
export function leafNode(leaf: { index?: bigint; runId: bigint; gold: bigint }): TreeNode {
  return { hash: runIdHash(leaf.runId), sum: boosted(leaf.gold, leaf.runId) };
}

/** bytes32(runId): a leaf's hash. */
export function runIdHash(runId: bigint): Hex {
  return numberToHex(runId, { size: 32 });
}

export function parentNode(left: TreeNode, right: TreeNode): TreeNode {
  return {
    hash: keccak256(encodeAbiParameters(NODE_PARAMS, [left.hash, left.sum, right.hash, right.sum])),
    sum: (left.sum + right.sum) % U256,
  };
}

/** The least d with 2^d >= runCount (RewardSettlement.treeDepth). */
export function treeDepth(runCount: number): number {
  let d = 0;
  while (2 ** d < runCount) d++;
  return d;
}

export class TreeError extends Error {}

/** An epoch's tree: its levels from the leaf level (2^depth positions) up to the top node. */
export class EpochTree {
  readonly depth: number;
  /** levels[0] holds the node at every position; levels[depth] the top node alone. */
  private readonly levels: TreeNode[][];
  /** The run leaf behind each position where it is known (all of an honest tree's; a dump's where its hash is the node's). */
  private readonly leafAt: (TreeLeaf | undefined)[];

  /** Whether the nodes above the positions were given (another worker's dump) rather than computed here. */
  readonly innerGiven: boolean;

  private constructor(
    readonly epoch: bigint,
    readonly runCount: number,
    positions: TreeNode[],
    leaves: readonly TreeLeaf[] = [],
    inner?: readonly (readonly TreeNode[])[],
  ) {
    this.depth = treeDepth(runCount);
    if (runCount < 1) throw new TreeError(`epoch ${epoch}: a tree has at least one run, not ${runCount}`);
    if (positions.length !== 2 ** this.depth) {
      throw new TreeError(`a tree of ${runCount} runs has ${2 ** this.depth} positions, not ${positions.length}`);
    }
    this.levels = [positions];
    this.innerGiven = inner !== undefined;
    if (inner !== undefined) {
      // A wrong tree's inner nodes as its attesters built them: a sum need not be its children's, a node may be empty.
      if (inner.length !== this.depth) throw new TreeError(`a tree of depth ${this.depth} has ${this.depth} inner levels, not ${inner.length}`);
      inner.forEach((level, k) => {
        if (level.length !== 2 ** (this.depth - k - 1)) throw new TreeError(`inner level ${k + 1} has ${level.length} nodes`);
        this.levels.push([...level]);
      });
    } else {
      for (let level = positions; level.length > 1; ) {
        const up: TreeNode[] = [];
        for (let i = 0; i < level.length; i += 2) up.push(parentNode(level[i]!, level[i + 1]!));
        this.levels.push(up);
        level = up;
      }
    }
    this.leafAt = new Array<TreeLeaf | undefined>(positions.length);
    // The hash is the run id; the gold is the dump's word (what an honest tree's sum is built from, for claims).
    for (const l of leaves) {
      const p = Number(l.index);
      const n = positions[p];
      if (n !== undefined && p < runCount && BigInt(n.hash) === l.runId) this.leafAt[p] = l;
    }
  }

  /**
   * The honest tree of an epoch's runs (in any order; each with the gold its replay earned): sorted by ascending run
   * id, each run's leaf at its rank. Throws on a run id given twice (the registry submits a run once).
   */
  static fromRuns(epoch: bigint, runs: readonly { runId: bigint; gold: bigint }[]): EpochTree {
    return EpochTree.fromLeaves(epoch, sortedLeaves(epoch, runs));
  }

  /**
   * A tree of the given leaves in position order (leaf i must have index i). The honest tree's leaves are in
   * ascending run-id order (`fromRuns`, `sortedLeaves`); this does not check it, so a test's or a liar's tree with
   * a duplicated, swapped or invented run can be built too.
   */
  static fromLeaves(epoch: bigint, leaves: readonly TreeLeaf[]): EpochTree {
    if (leaves.length === 0) throw new TreeError(`epoch ${epoch} has no runs: there is no tree to build`);
    leaves.forEach((l, i) => {
      if (l.index !== BigInt(i)) throw new TreeError(`leaf ${i} of epoch ${epoch} has index ${l.index}`);
    });
    const positions = leaves.map(leafNode);
    while (positions.length < 2 ** treeDepth(leaves.length)) positions.push(EMPTY_NODE);
    return new EpochTree(epoch, leaves.length, positions, leaves);
  }

  /**
   * Any tree of the epoch's shape from its position nodes, as another worker's dump gives them (also a wrong
   * one: its nodes need not be leaves of real runs). `leaves`, if given, are the run leaves the dump says stand
   * behind its positions; only those that hash to the node at their index are kept.
   */
  static fromPositions(
    epoch: bigint,
    runCount: number,
    positions: readonly TreeNode[],
    leaves: readonly TreeLeaf[] = [],
  ): EpochTree {
    return new EpochTree(epoch, runCount, [...positions], leaves);
  }

  /**
   * A tree with its inner nodes as given (levels 1 .. depth above the positions, the last the top alone): what a dump
   * of a tree whose inner sums were not added up honestly, or that has an empty inner node, looks like. `loadTree`
   * checks that each given node hashes its children (or is empty).
   */
  static fromLevels(
    epoch: bigint,
    runCount: number,
    positions: readonly TreeNode[],
    inner: readonly (readonly TreeNode[])[],
    leaves: readonly TreeLeaf[] = [],
  ): EpochTree {
    return new EpochTree(epoch, runCount, [...positions], leaves, inner);
  }

  /** The node at index `i` of `level` (0: the positions; `depth`: the top). */
  nodeAt(level: number, i: number): TreeNode {
    const n = this.levels[level]?.[i];
    if (n === undefined) throw new TreeError(`no node ${i} at level ${level} of a tree of depth ${this.depth}`);
    return n;
  }

  /** The siblings of node `i` of `level`, from that level up (what `challengeNode` takes, and for level 0 `challenge`). */
  proofAt(level: number, i: number): TreeNode[] {
    this.nodeAt(level, i);
    const out: TreeNode[] = [];
    for (let k = level, j = i; k < this.depth; k++, j >>= 1) out.push(this.levels[k]![j ^ 1]!);
    return out;
  }

  /** The run leaf at `position`, if known (see the constructor). */
  leaf(position: number): TreeLeaf | undefined {
    return this.leafAt[position];
  }

  /** Every known run leaf, in position order. */
  leaves(): TreeLeaf[] {
    return this.leafAt.filter((l): l is TreeLeaf => l !== undefined);
  }

  /**
   * The run position `position` (below the run count) opened as a challenge takes it: its node's hash read as a run
   * id, its sum, its proof. Null for a hash of 0 (an omitted run, for `challenge`) or a position past the count.
   */
  opening(position: number): LeafOpening | null {
    if (position < 0 || position >= this.runCount) return null;
    const n = this.node(position);
    if (BigInt(n.hash) === 0n) return null;
    return { position: BigInt(position), runId: BigInt(n.hash), sum: n.sum, proof: this.proof(position) };
  }

  /** Whether node `i` of `level` folds through its proof to this tree's root (a given inner node may not hash its children). */
  reachesRoot(level: number, i: number): boolean {
    return foldProof(BigInt(i), this.nodeAt(level, i), this.proofAt(level, i)).hash.toLowerCase() === this.root.toLowerCase();
  }

  /** The leaf of run `runId` and its proof, as a claim takes them (null if the run is not a known leaf here). */
  proofOf(runId: bigint): { leaf: TreeLeaf; position: number; proof: TreeNode[] } | null {
    const position = this.leafAt.findIndex((l) => l?.runId === runId);
    return position < 0 ? null : { leaf: this.leafAt[position]!, position, proof: this.proof(position) };
  }

  get root(): Hex {
    return this.top.hash;
  }

  /**
   * The epoch's total boosted gold as a proof folds to it: the top's children's sums added (the root hash binds those,
   * not the top's own sum); for a one-run tree, the leaf's sum.
   */
  get totalGold(): bigint {
    if (this.depth === 0) return this.top.sum;
    return (this.levels[this.depth - 1]![0]!.sum + this.levels[this.depth - 1]![1]!.sum) % 2n ** 256n;
  }

  get top(): TreeNode {
    return this.levels[this.depth]![0]!;
  }

  /** The node at `position` of the leaf level. */
  node(position: number): TreeNode {
    const n = this.levels[0]![position];
    if (n === undefined) throw new TreeError(`position ${position} is outside the tree (${2 ** this.depth} positions)`);
    return n;
  }

  /** Every position's node, in order. */
  positions(): readonly TreeNode[] {
    return this.levels[0]!;
  }

  /** The siblings of `position` from the bottom up (what `claim` and `challenge` take). */
  proof(position: number): TreeNode[] {
    this.node(position);
    return this.proofAt(0, position);
  }

  /** The given inner levels (1 .. depth), for a dump of a tree whose inner nodes were given. */
  innerLevels(): readonly (readonly TreeNode[])[] {
    return this.levels.slice(1);
  }
}

export function sameNode(a: TreeNode, b: TreeNode): boolean {
  return a.sum === b.sum && a.hash.toLowerCase() === b.hash.toLowerCase();
}

/**
 * An epoch's runs in tree order: ascending run id (bigint compare). Throws a TreeError on a run id given twice (the
 * registry submits a run once: two logs of one run are a reader's bug, e.g. overlapping log pages).
 */
export function inTreeOrder<T extends { runId: bigint }>(epoch: bigint, runs: readonly T[]): T[] {
  const sorted = [...runs].sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
  sorted.forEach((r, i) => {
    if (i > 0 && sorted[i - 1]!.runId === r.runId) throw new TreeError(`epoch ${epoch}: run ${r.runId} is given twice`);
  });
  return sorted;
}

/** An epoch's leaves in tree order (`inTreeOrder`), leaf i at position i. */
export function sortedLeaves(epoch: bigint, runs: readonly { runId: bigint; gold: bigint }[]): TreeLeaf[] {
  return inTreeOrder(epoch, runs).map((r, i) => ({ index: BigInt(i), runId: r.runId, gold: r.gold }));
}

/**
 * The wire form of a tree, served by workers on /trees/<epoch>/<root>: every position's node (hash, decimal sum) and
 * every leaf's (position, runId, gold) behind them, so anyone can open any leaf of another worker's (possibly wrong)
 * tree.
 */
export interface TreeDump {
  epoch: string;
  root: Hex;
  runCount: number;
  /** The top sum: the total the tree gives (a liar may attest another). */
  totalGold: string;
  /** Every position's node, in order: [hash, sum]. */
  nodes: [Hex, string][];
  /** The run leaves: [position, runId, gold]. */
  leaves: [string, string, string][];
  /**
   * The nodes above the positions, level by level up to the top ([hash, sum]), when they are not simply computed
   * from the positions: how a tree with a wrong inner sum, an empty inner node or a leaf above the positions is
   * published. Honest dumps leave it out.
   */
  inner?: [Hex, string][][];
}

export function dumpTree(t: EpochTree): TreeDump {
  return {
    epoch: t.epoch.toString(),
    root: t.root,
    runCount: t.runCount,
    totalGold: t.totalGold.toString(),
    nodes: t.positions().map((n) => [n.hash, n.sum.toString()]),
    leaves: t.leaves().map((l) => [l.index.toString(), l.runId.toString(), l.gold.toString()]),
    ...(t.innerGiven ? { inner: t.innerLevels().map((level) => level.map((n): [Hex, string] => [n.hash, n.sum.toString()])) } : {}),
  };
}

const HASH = /^0x[0-9a-fA-F]{64}$/;
const UINT = /^\d{1,78}$/;

/**
 * Rebuilds a dumped tree and checks it: well formed, of `epoch` with `runCount` runs (the count attested with the
 * root, which may differ from the epoch's RunSubmitted logs: that is a tree to challenge), and folding to
 * `expectedRoot`. Throws a TreeError that says what is wrong otherwise.
 */
export function loadTree(json: unknown, expected: { epoch: bigint; runCount: number; root: Hex }): EpochTree {
  const d = json as Partial<TreeDump> | null;
  if (typeof d !== "object" || d === null) throw new TreeError("a tree dump is a JSON object");
  if (typeof d.epoch !== "string" || !UINT.test(d.epoch) || BigInt(d.epoch) !== expected.epoch) {
    throw new TreeError(`the dump is of epoch ${String(d.epoch)}, not ${expected.epoch}`);
  }
  if (d.runCount !== expected.runCount) throw new TreeError(`the dump has ${String(d.runCount)} runs, the attestation ${expected.runCount}`);
  if (!Array.isArray(d.nodes)) throw new TreeError("the dump has no nodes");
  const node = (n: unknown, what: string): TreeNode => {
    if (!Array.isArray(n) || typeof n[0] !== "string" || !HASH.test(n[0]) || typeof n[1] !== "string" || !UINT.test(n[1])) {
      throw new TreeError(`${what} of the dump is not [hash, sum]`);
    }
    return { hash: n[0] as Hex, sum: BigInt(n[1]) };
  };
  const nodes = d.nodes.map((n, i) => node(n, `node ${i}`));
  let inner: TreeNode[][] | undefined;
  if (d.inner !== undefined) {
    if (!Array.isArray(d.inner)) throw new TreeError("the dump's inner levels are not a list");
    inner = d.inner.map((level, k) => {
      if (!Array.isArray(level)) throw new TreeError(`inner level ${k + 1} of the dump is not a list`);
      return level.map((n, i) => node(n, `inner node ${i} of level ${k + 1}`));
    });
  }
  const leaves = (Array.isArray(d.leaves) ? d.leaves : []).map((l, i): TreeLeaf => {
    if (!Array.isArray(l) || l.length !== 3 || !l.every((x) => typeof x === "string" && UINT.test(x))) {
      throw new TreeError(`leaf ${i} of the dump is not [position, runId, gold]`);
    }
    return { index: BigInt(l[0]), runId: BigInt(l[1]), gold: BigInt(l[2]) };
  });
  const t =
    inner === undefined
      ? EpochTree.fromPositions(expected.epoch, expected.runCount, nodes, leaves)
      : EpochTree.fromLevels(expected.epoch, expected.runCount, nodes, inner, leaves);
  // A given inner node need not hash its children: it is what the root commits to (an empty node, or a leaf's run id
  // above the positions, are wrong trees to challenge); the positions under it are then not the root's, and the fraud
  // finder opens only what folds to the root (EpochTree.reachesRoot).
  if (t.root.toLowerCase() !== expected.root.toLowerCase()) {
    throw new TreeError(`the dump's nodes fold to ${t.root}, not to the attested root ${expected.root}`);
  }
  return t;
}

/** Folds `node` at `position` up through `proof`, as the contract does: the root and the total it gives. */
export function foldProof(position: bigint, node: TreeNode, proof: readonly TreeNode[]): TreeNode {
  let at = node;
  proof.forEach((sibling, level) => {
    at = (position >> BigInt(level)) & 1n ? parentNode(sibling, at) : parentNode(at, sibling);
  });
  return at;
}

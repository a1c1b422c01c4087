/**
 * An epoch's reward tree, rebuilt in the browser exactly as a worker builds it (test/settlement/fixture.ts
 * `buildEpoch`): every RunSubmitted of the epoch in index order, each run replayed with game/sim, leaves
 * (index, runId, player, gold) in a StandardMerkleTree. A claim needs its leaf's proof from this tree.
 */
import { getAddress, type Address, type Hex, type PublicClient } from "viem";
import { runRegistryAbi } from "../../../chain/generated/abis.js";
import type { Deployment } from "../../../chain/deployment.js";
import { hexToBytes, replay } from "../../../sim/index.js";

export const LEAF_ENCODING = ["uint256", "uint256", "address", "uint256"];
export type Leaf = [bigint, bigint, Address, bigint];

export interface SubmittedRun {
  runId: bigint;
  player: Address;
  epoch: bigint;
  index: bigint;
  inputs: Hex;
  blockNumber: bigint;
}

/** RunSubmitted events, optionally for one player and/or one epoch. */
export async function submittedRuns(
  client: PublicClient,
  d: Deployment,
  filter: { player?: Address; epoch?: bigint; fromBlock?: bigint } = {},
): Promise<SubmittedRun[]> {
  const logs = await client.getContractEvents({
    address: d.contracts.runRegistry,
    abi: runRegistryAbi,
    eventName: "RunSubmitted",
    args: { player: filter.player, epoch: filter.epoch },
    fromBlock: filter.fromBlock ?? BigInt(d.startBlock),
    toBlock: "latest",
  });
  return logs.map((l) => ({
    runId: l.args.runId!,
    player: getAddress(l.args.player!),
    epoch: l.args.epoch!,
    index: l.args.index!,
    inputs: l.args.inputs!,
    blockNumber: l.blockNumber,
  }));
}

/** The gold a run earned, by replaying it here. */
export function replayGold(seed: Hex, inputs: Hex): number {
  return replay(seed, hexToBytes(inputs)).gold;
}

const seeds = new Map<string, Hex>();
export async function seedOf(client: PublicClient, d: Deployment, runId: bigint): Promise<Hex> {
  const k = `${d.contracts.runRegistry}:${runId}`;
  const cached = seeds.get(k);
  if (cached) return cached;
  const seed = await client.readContract({ address: d.contracts.runRegistry, abi: runRegistryAbi, functionName: "seedOf", args: [runId] });
  seeds.set(k, seed);
  return seed;
}

/** Boosted gold of a leaf, as the settlement weighs it: gold * (10000 + boost) / 10000, the boost in the run id. */
export function boosted(gold: bigint, runId: bigint): bigint {
  return (gold * (10_000n + ((runId >> 80n) & 0xffffn))) / 10_000n;
}

export interface EpochTree {
  epoch: bigint;
  root: Hex;
  leaves: Leaf[];
  /** Sum of the leaves' boosted gold: what the workers attest as `totalGold`. */
  totalGold: bigint;
  proofOf(runId: bigint): { leaf: Leaf; proof: Hex[] } | null;
}

const trees = new Map<string, Promise<EpochTree>>();

/** The tree of a closed epoch (cached: a closed epoch's runs never change). */
export function epochTree(client: PublicClient, d: Deployment, epoch: bigint): Promise<EpochTree> {
  const k = `${d.chainId}:${d.contracts.runRegistry}:${epoch}`;
  let t = trees.get(k);
  if (!t) {
    t = buildEpochTree(client, d, epoch);
    trees.set(k, t);
    t.catch(() => trees.delete(k));
  }
  return t;
}

async function buildEpochTree(client: PublicClient, d: Deployment, epoch: bigint): Promise<EpochTree> {
  const runs = (await submittedRuns(client, d, { epoch })).sort((a, b) => Number(a.index - b.index));
  const leaves: Leaf[] = [];
  for (const r of runs) {
    const seed = await seedOf(client, d, r.runId);
    leaves.push([r.index, r.runId, r.player, BigInt(replayGold(seed, r.inputs))]);
  }
  // Loaded on demand: only claims need it.
  const { StandardMerkleTree } = await import("@openzeppelin/merkle-tree");
  const tree = StandardMerkleTree.of(leaves, LEAF_ENCODING);
  return {
    epoch,
    root: tree.root as Hex,
    leaves,
    totalGold: leaves.reduce((sum, [, runId, , gold]) => sum + boosted(gold, runId), 0n),
    proofOf(runId) {
      for (const [i, v] of tree.entries()) {
        if (v[1] === runId) return { leaf: v, proof: tree.getProof(i) as Hex[] };
      }
      return null;
    },
  };
}

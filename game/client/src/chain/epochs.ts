/**
 * An epoch's reward tree, rebuilt in the browser from the leaves game/chain/epoch.ts reads (as a worker builds it),
 * with the seeds and trees cached: a closed epoch never changes. A claim needs its leaf's proof from this tree.
 */
import type { Hex, PublicClient } from "viem";
import { runRegistryAbi } from "../../../chain/generated/abis.js";
import type { Deployment } from "../../../chain/deployment.js";
import { epochLeaves, LEAF_ENCODING, totalGoldOf, type LeafTuple } from "../../../chain/epoch.js";

export { runGold, submittedRuns, type SubmittedRun } from "../../../chain/epoch.js";
export type Leaf = LeafTuple;

const seeds = new Map<string, Hex>();
export async function seedOf(client: PublicClient, d: Deployment, runId: bigint): Promise<Hex> {
  const k = `${d.contracts.runRegistry}:${runId}`;
  const cached = seeds.get(k);
  if (cached) return cached;
  const seed = await client.readContract({ address: d.contracts.runRegistry, abi: runRegistryAbi, functionName: "seedOf", args: [runId] });
  seeds.set(k, seed);
  return seed;
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
  const leaves = await epochLeaves(client, d, epoch, (runId) => seedOf(client, d, runId));
  // Loaded on demand: only claims need it.
  const { StandardMerkleTree } = await import("@openzeppelin/merkle-tree");
  const tree = StandardMerkleTree.of(leaves, LEAF_ENCODING);
  return {
    epoch,
    root: tree.root as Hex,
    leaves,
    totalGold: totalGoldOf(leaves),
    proofOf(runId) {
      for (const [i, v] of tree.entries()) {
        if (v[1] === runId) return { leaf: v, proof: tree.getProof(i) as Hex[] };
      }
      return null;
    },
  };
}

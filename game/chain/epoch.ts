/**
 * An epoch's runs and leaves as the settlement checks them, for every off-chain reader (worker, client, scripts,
 * benches): the RunSubmitted events whose `epoch` is it (each carries the run's seed, drawn from a block after its
 * start, and its inputs; nothing on-chain counts or orders an epoch's runs), in tree order: ascending run id. Each run
 * is replayed with game/sim; leaf i is `(i, runId, gold)` with the raw gold, in the epoch's position-bound Merkle sum
 * tree (tree.ts). The run count is how many there are. test/settlement/fixture.ts restates it independently.
 */
import { getAddress, type Address, type Hex, type PublicClient } from "viem";
import { hexToBytes, InputError, replay } from "../sim/index.js";
import type { Deployment } from "./deployment.js";
import { boosted } from "./payout.js";
import { runRegistryAbi } from "./generated/abis.js";
import { EpochTree, inTreeOrder, type TreeLeaf } from "./tree.js";

/** Boosted gold of a leaf, as RunId.boosted (its home is payout.ts, with the rest of the payout rules). */
export { boosted };

/** The sum of the leaves' boosted gold: what an honest tree's top sum (the attested total) is. */
export function totalGoldOf(leaves: readonly TreeLeaf[]): bigint {
  return leaves.reduce((sum, l) => sum + boosted(l.gold, l.runId), 0n);
}

/** The gold a run earned, by replaying it; malformed inputs (which submitRun refuses) earn 0. */
export function runGold(seed: Hex, inputs: Hex): number {
  try {
    return replay(seed, hexToBytes(inputs)).gold;
  } catch (e) {
    if (e instanceof InputError) return 0;
    throw e;
  }
}

/** A submitted run as its RunSubmitted event gives it. */
export interface SubmittedRun {
  runId: bigint;
  player: Address;
  epoch: bigint;
  /** The full seed the run was played on (stored at submission). */
  seed: Hex;
  inputs: Hex;
  blockNumber: bigint;
}

/** RunSubmitted events from the deployment's first block, optionally for one player and/or one epoch. */
export async function submittedRuns(
  client: PublicClient,
  d: Deployment,
  filter: { player?: Address; epoch?: bigint; fromBlock?: bigint; toBlock?: bigint } = {},
): Promise<SubmittedRun[]> {
  const logs = await client.getContractEvents({
    address: d.contracts.runRegistry,
    abi: runRegistryAbi,
    eventName: "RunSubmitted",
    args: { player: filter.player, epoch: filter.epoch },
    fromBlock: filter.fromBlock ?? BigInt(d.startBlock),
    toBlock: filter.toBlock ?? "latest",
  });
  return logs.map((l) => ({
    runId: l.args.runId!,
    player: getAddress(l.args.player!),
    epoch: l.args.epoch!,
    seed: l.args.seed!,
    inputs: l.args.inputs!,
    blockNumber: l.blockNumber,
  }));
}

export { inTreeOrder };

/** The leaves of runs replayed here (the gold of each from its seed and inputs), given in tree order: leaf i at position i. */
export function leavesOf(runs: readonly { runId: bigint; seed: Hex; inputs: Hex }[]): TreeLeaf[] {
  return runs.map((r, i) => ({ index: BigInt(i), runId: r.runId, gold: BigInt(runGold(r.seed, r.inputs)) }));
}

/** The runs of `epoch` (in tree order: ascending run id) and their leaves, each run replayed here. */
export async function epochRuns(
  client: PublicClient,
  d: Deployment,
  epoch: bigint,
): Promise<{ runs: SubmittedRun[]; leaves: TreeLeaf[] }> {
  const runs = inTreeOrder(epoch, await submittedRuns(client, d, { epoch }));
  return { runs, leaves: leavesOf(runs) };
}

/** The leaves of `epoch`, in tree order (ascending run id), each run replayed here. */
export async function epochLeaves(client: PublicClient, d: Deployment, epoch: bigint): Promise<TreeLeaf[]> {
  return (await epochRuns(client, d, epoch)).leaves;
}

/** The honest tree of a closed epoch with runs, from the chain's events and replays here (runs in tree order). */
export async function honestTree(client: PublicClient, d: Deployment, epoch: bigint): Promise<{ tree: EpochTree; runs: SubmittedRun[] }> {
  const { runs, leaves } = await epochRuns(client, d, epoch);
  return { tree: EpochTree.fromLeaves(epoch, leaves), runs };
}

/**
 * An epoch's reward leaves as the settlement checks them, for every off-chain reader (worker, client, scripts):
 * the RunSubmitted events of the epoch in index order, each run replayed with game/sim, leaves
 * `(index, runId, player, gold)` with the raw gold, in a StandardMerkleTree of LEAF_ENCODING, and the epoch's total
 * boosted gold (`RewardSettlement._boosted`). test/settlement/fixture.ts restates it independently for the tests.
 */
import { getAddress, type Address, type Hex, type PublicClient } from "viem";
import { hexToBytes, InputError, replay } from "../sim/index.js";
import type { Deployment } from "./deployment.js";
import { boosted } from "./payout.js";
import { runRegistryAbi } from "./generated/abis.js";

export const LEAF_ENCODING = ["uint256", "uint256", "address", "uint256"];
export type LeafTuple = [index: bigint, runId: bigint, player: Address, gold: bigint];

/** Boosted gold of a leaf, as RewardSettlement._boosted (its home is payout.ts, with the rest of the payout rules). */
export { boosted };

/** What the workers attest as `totalGold`: the sum of the leaves' boosted gold. */
export function totalGoldOf(leaves: readonly LeafTuple[]): bigint {
  return leaves.reduce((sum, [, runId, , gold]) => sum + boosted(gold, runId), 0n);
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

export interface SubmittedRun {
  runId: bigint;
  player: Address;
  epoch: bigint;
  index: bigint;
  inputs: Hex;
  blockNumber: bigint;
}

/** RunSubmitted events from the deployment's first block, optionally for one player and/or one epoch. */
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

/** A run's seed from the registry (`seedOf` may be a caching one). */
export type SeedReader = (runId: bigint) => Promise<Hex>;

/** The leaves of `epoch`, in submission order, each run replayed here. */
export async function epochLeaves(
  client: PublicClient,
  d: Deployment,
  epoch: bigint,
  seedOf: SeedReader = (runId) =>
    client.readContract({ address: d.contracts.runRegistry, abi: runRegistryAbi, functionName: "seedOf", args: [runId] }),
): Promise<LeafTuple[]> {
  const runs = (await submittedRuns(client, d, { epoch })).sort((a, b) => Number(a.index - b.index));
  const leaves: LeafTuple[] = [];
  for (const r of runs) leaves.push([r.index, r.runId, r.player, BigInt(runGold(await seedOf(r.runId), r.inputs))]);
  return leaves;
}

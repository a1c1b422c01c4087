/**
 * A run's result as the indexer computes it: the run's inputs replayed with game/sim, from the seed that
 * `replaySeed` picks. Inputs the sim refuses (submitRun refuses them too) give no result rather than a guess.
 */
import type { Hex } from "viem";
import { boosted } from "../../chain/payout.js";
import { hexToBytes, InputError, replay } from "../../sim/index.js";

/**
 * The seed a run is replayed with: the one RunSubmitted carries (seeds are drawn from a block after the start, so
 * RunStarted cannot), else one already kept on the run's row.
 */
export function replaySeed(started: { seed: Hex | null } | undefined, submitted: { seed?: Hex }): Hex | null {
  return submitted.seed ?? started?.seed ?? null;
}

export interface ReplayedRun {
  gold: number;
  maxDepth: number;
  ticks: number;
  /** gold with the run's boost (in its id), as RewardSettlement counts it. */
  boostedGold: bigint;
}

export function replayRun(runId: bigint, seed: Hex | null, inputs: Hex): ReplayedRun | null {
  if (seed === null) return null;
  try {
    const r = replay(seed, hexToBytes(inputs));
    return { gold: r.gold, maxDepth: r.maxDepth, ticks: r.ticks, boostedGold: boosted(BigInt(r.gold), runId) };
  } catch (e) {
    if (e instanceof InputError) return null;
    throw e;
  }
}

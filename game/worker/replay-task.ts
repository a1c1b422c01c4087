/**
 * The piscina task: replays a batch of runs and returns each run's gold. Plain data in and out (hex strings and
 * numbers), so the structured clone between threads stays cheap; one task carries many runs so that the messaging
 * cost is small next to the replays. Imports only `game/sim`.
 */
import { hexToBytes, InputError, replay } from "../sim/index.js";

export interface ReplayBatch {
  /** Full 32-byte seeds (0x + 64 hex digits), as RunRegistry.seedOf returns them. */
  seeds: string[];
  /** The runs' inputs as submitted (0x-prefixed hex), same order as `seeds`. */
  inputs: string[];
}

/**
 * Gold of each run of `batch`, in order. Malformed inputs earn 0: RunRegistry refuses them at submission, so a
 * submitted run can never be malformed; if one ever were, 0 is what the on-chain replay could not disprove either.
 */
export default function replayBatch(batch: ReplayBatch): number[] {
  const out = new Array<number>(batch.seeds.length);
  for (let i = 0; i < batch.seeds.length; i++) {
    try {
      out[i] = replay(batch.seeds[i]!, hexToBytes(batch.inputs[i]!)).gold;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      out[i] = 0;
    }
  }
  return out;
}

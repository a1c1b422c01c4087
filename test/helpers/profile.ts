/** Replays a run tick by tick to learn which events it shows, how it ended, and its highest surge. */
import { Action, advance, createState, EndReason, INPUT_HEADER_BYTES } from "../../game/sim/index.js";

export function profileRun(seed: string, inputs: Uint8Array): { events: number; end: EndReason; maxSurge: number } {
  const s = createState(seed);
  let events = 0;
  let maxSurge = 1;
  for (let i = INPUT_HEADER_BYTES; i < inputs.length && s.ended === EndReason.RUNNING; i++) {
    for (let r = (inputs[i]! & 31) + 1; r > 0 && s.ended === EndReason.RUNNING; r--) {
      advance(s, (inputs[i]! >>> 5) as Action);
      events |= s.events;
      maxSurge = Math.max(maxSurge, s.surge);
    }
  }
  return { events, end: s.ended, maxSurge };
}

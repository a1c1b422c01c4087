/**
 * The dearest-replay search (scripts/lib/replay-search.ts): its planner plays real runs, and `noisy` re-encodes a
 * play in its dearest valid form without changing what the run does.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeInputs, encodeInputs, MAX_TICKS, replay, validateInputs } from "../../game/sim/index.js";
import { noisy, planDearRun, WEIGHT_SETS } from "../../scripts/lib/replay-search.js";
import { Rng } from "../helpers/runs.js";

describe("replay search", () => {
  const rng = new Rng(0x5ea7c4);
  const plays = Array.from({ length: 4 }, (_, i) => {
    const seed = rng.seed();
    return { seed, actions: planDearRun(seed, WEIGHT_SETS[i % WEIGHT_SETS.length]!, i + 1) };
  });

  it("noisy inputs are valid, canonical, full-length and replay to the same result as the play", () => {
    for (const { seed, actions } of plays) {
      const inputs = noisy(seed, actions);
      assert.equal(validateInputs(inputs), MAX_TICKS);
      assert.deepEqual(replay(seed, inputs), replay(seed, encodeInputs(actions)));
    }
  });

  it("noisy gives every ignored tick a token of its own: more tokens than the play's own encoding", () => {
    for (const { seed, actions } of plays) {
      const inputs = noisy(seed, actions);
      const plain = encodeInputs(actions);
      assert.ok(inputs.length > plain.length, `${inputs.length} <= ${plain.length}`);
      // Re-encoding the decoded ticks gives the same bytes: the noisy form is the canonical form of its ticks.
      assert.deepEqual(encodeInputs(decodeInputs(inputs)), inputs);
    }
  });

  it("the planner plays: it digs, earns gold and keeps the prospector alive most of the run", () => {
    const results = plays.map(({ seed, actions }) => replay(seed, encodeInputs(actions)));
    assert.ok(results.some((r) => r.gold > 0 && r.maxDepth > 20), JSON.stringify(results));
    assert.ok(results.filter((r) => r.ticks === MAX_TICKS).length >= 2, JSON.stringify(results));
  });
});

/**
 * Ranked runs kept in the browser (game/client/src/ranked-keep.ts, RunController.keep/restore): the inputs are kept
 * as they are played, keyed by chain + registry + run id, and a run rebuilt from them stands exactly where it stood.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { forgetRun, keepKey, keptRuns, readKept, type KeepStorage } from "../../game/client/src/ranked-keep.js";
import { RunController, type RunSpec } from "../../game/client/src/run.js";
import { Action, decodeInputs, hexToBytes, replay, resultOf } from "../../game/sim/index.js";

class MemoryStorage implements KeepStorage {
  private readonly m = new Map<string, string>();
  get length() {
    return this.m.size;
  }
  key(i: number) {
    return [...this.m.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
}

const SEED = `0x${"00".repeat(24)}00c0ffee12345678` as const;
const REGISTRY = "0x5FbDB2315678afecb367f032d315F4d7A6f5A9Bc";
const PLAYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

function spec(runId: bigint, chainId = 31337): RunSpec {
  return { mode: "ranked", seed: SEED, runId, boostBps: 0, deadline: 500n, signer: "session", chainId, registry: REGISTRY, player: PLAYER };
}

function play(c: RunController, plan: [Action, number][]) {
  for (const [a, ticks] of plan) {
    c.press(a);
    for (let i = 0; i < ticks && !c.over; i++) c.tick();
    c.release(a);
  }
}

describe("ranked runs kept in the browser", () => {
  it("keeps the inputs tick by tick under chain + registry + run id", () => {
    const store = new MemoryStorage();
    const c = new RunController(spec(7n), store);
    play(c, [[Action.DOWN, 30], [Action.LEFT, 8], [Action.NONE, 4]]);
    const kept = readKept(store, 31337, REGISTRY, 7n);
    assert.ok(kept);
    assert.equal(kept.ticks, c.state.tick);
    assert.equal(kept.inputs, c.inputsHex());
    assert.equal(kept.ended, false);
    assert.equal(kept.registry, REGISTRY.toLowerCase());
    assert.equal(store.key(0), keepKey(31337, REGISTRY, 7n));
    assert.equal(store.key(0), `surge-gold.ranked-run.31337.${REGISTRY.toLowerCase()}.7`);
    // Another chain or registry does not see it.
    assert.equal(readKept(store, 1, REGISTRY, 7n), null);
    assert.equal(readKept(store, 31337, PLAYER, 7n), null);
  });

  it("rebuilds the run exactly where it stood, paused, and plays on to the same inputs", () => {
    const store = new MemoryStorage();
    const c = new RunController(spec(8n), store);
    play(c, [[Action.DOWN, 40], [Action.RIGHT, 9], [Action.DOWN, 12]]);
    const kept = readKept(store, 31337, REGISTRY, 8n)!;
    const r = RunController.restore(spec(8n), decodeInputs(hexToBytes(kept.inputs)), false, store);
    assert.equal(r.paused, true, "a resumed run opens paused");
    assert.equal(r.spec.resumed, true);
    assert.deepEqual(resultOf(r.state), resultOf(c.state));
    assert.deepEqual([r.state.tick, r.state.x, r.state.y, r.state.gold, r.state.cooldown], [c.state.tick, c.state.x, c.state.y, c.state.gold, c.state.cooldown]);
    // Both play on alike: the resumed run's inputs are the original's.
    r.paused = false;
    play(c, [[Action.DOWN, 20]]);
    play(r, [[Action.DOWN, 20]]);
    assert.equal(r.inputsHex(), c.inputsHex());
    assert.deepEqual(replay(SEED, r.inputs()), resultOf(r.state));
  });

  it("marks a run over when it ends, and restores an ended run over (only its submission is left)", () => {
    const store = new MemoryStorage();
    const c = new RunController(spec(9n), store);
    play(c, [[Action.DOWN, 25]]);
    c.finish();
    const kept = readKept(store, 31337, REGISTRY, 9n)!;
    assert.equal(kept.ended, true);
    const r = RunController.restore(spec(9n), decodeInputs(hexToBytes(kept.inputs)), true, store);
    assert.equal(r.over, true);
    assert.equal(r.paused, false);
    assert.equal(r.inputsHex(), c.inputsHex());
  });

  it("lists a player's runs newest first, forgets one, and ignores what is not a kept run", () => {
    const store = new MemoryStorage();
    for (const id of [3n, 12n, 5n]) {
      const c = new RunController(spec(id), store);
      play(c, [[Action.DOWN, 2]]);
    }
    store.setItem(keepKey(31337, REGISTRY, 99n), "{not json");
    store.setItem("surge-gold.burner-key", "0x01");
    assert.deepEqual(keptRuns(store, 31337, REGISTRY, PLAYER).map((k) => k.runId), ["12", "5", "3"]);
    assert.deepEqual(keptRuns(store, 31337, REGISTRY, "0x0000000000000000000000000000000000000001"), []);
    forgetRun(store, 31337, REGISTRY, 5n);
    assert.deepEqual(keptRuns(store, 31337, REGISTRY).map((k) => k.runId), ["12", "3"]);
  });

  it("keeps nothing for practice runs or without storage", () => {
    const store = new MemoryStorage();
    const c = new RunController({ mode: "practice", seed: SEED }, store);
    play(c, [[Action.DOWN, 10]]);
    c.finish();
    assert.equal(store.length, 0);
    const r = new RunController(spec(4n), null);
    play(r, [[Action.DOWN, 10]]);
    assert.equal(r.state.tick, 10);
  });
});

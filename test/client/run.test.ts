/**
 * The browser client's run controller (game/client/src/run.ts): it only picks the Action of each tick and keeps the
 * clock, so what it records must replay to exactly the state it drew, taps must not be lost to cooldowns, and pause
 * and background tabs must not play ticks.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { probeRun, RunController, TICK_MS } from "../../game/client/src/run.js";
import { Action, advance, createState, EndReason, replay, resultOf } from "../../game/sim/index.js";

const SEED = `0x${"00".repeat(24)}00c0ffee12345678` as const;

describe("client RunController", () => {
  it("records inputs that replay to the state it played", () => {
    const c = new RunController({ mode: "practice", seed: SEED });
    const plan: [Action, number][] = [
      [Action.DOWN, 40],
      [Action.LEFT, 9],
      [Action.DOWN, 30],
      [Action.RIGHT, 20],
      [Action.NONE, 5],
      [Action.DOWN, 60],
    ];
    for (const [a, ticks] of plan) {
      c.press(a);
      for (let i = 0; i < ticks && !c.over; i++) c.tick();
      c.release(a);
    }
    const runningBefore = c.state.ended === EndReason.RUNNING;
    c.finish();
    assert.ok(c.over);
    if (runningBefore) assert.equal(c.endReason(), "You climbed out");
    assert.ok(c.state.tick > 100, "the run played");
    assert.deepEqual(replay(SEED, c.inputs()), resultOf(c.state));
  });

  it("keeps a tap made during a cooldown until a tick can use it, then forgets it", () => {
    const c = new RunController({ mode: "practice", seed: SEED });
    c.press(Action.DOWN);
    c.tick(); // digs or hits the cell below: a cooldown follows
    c.release(Action.DOWN);
    assert.ok(c.state.cooldown > 0, "the first action starts a cooldown");
    c.press(Action.LEFT);
    c.release(Action.LEFT); // a tap shorter than a tick, made during the cooldown
    const reports = Array.from({ length: 12 }, () => c.tick());
    const acted = reports.findIndex((r) => r.action === Action.LEFT && r.events !== 0);
    assert.ok(acted >= 0, "the tap took effect once the cooldown was over");
    assert.ok(reports.slice(0, acted).every((r) => r.events === 0), "nothing happened during the cooldown");
    assert.ok(reports.slice(acted + 1).every((r) => r.action === Action.NONE), "the tap is used once");
    assert.deepEqual(replay(SEED, c.inputs()), resultOf(c.state));
  });

  it("plays no ticks while paused, and catches up at most a few ticks per frame", () => {
    const c = new RunController({ mode: "practice", seed: SEED });
    c.paused = true;
    assert.equal(c.update(1_000).length, 0);
    assert.equal(c.state.tick, 0);
    c.paused = false;
    assert.equal(c.update(TICK_MS * 3 + 1).length, 3);
    // A tab in the background for 10 s does not fast-forward 200 ticks.
    assert.ok(c.update(10_000).length <= 4);
  });

  it("probes its state for the browser tests: frames counted paused or not, actions that replay to the state", () => {
    const c = new RunController({ mode: "practice", seed: SEED });
    c.press(Action.DOWN);
    c.update(TICK_MS * 2);
    c.release(Action.DOWN);
    c.paused = true;
    c.update(TICK_MS * 2);
    const p = probeRun(c, true);
    assert.equal(p.frames, 2);
    assert.equal(p.tick, 2);
    assert.equal(p.paused, true);
    assert.deepEqual([p.x, p.y, p.cooldown], [c.state.x, c.state.y, c.state.cooldown]);
    const s = createState(SEED);
    for (const a of p.actions!) advance(s, a as Action);
    assert.deepEqual([s.tick, s.x, s.y, s.energy, s.cooldown], [p.tick, p.x, p.y, p.energy, p.cooldown]);
    assert.equal(probeRun(c).actions, undefined);
  });
});

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  Action,
  advance,
  Cell,
  cellAt,
  createState,
  decodeInputs,
  DEPTH,
  encodeInputs,
  generateCell,
  InputError,
  MAX_ENERGY,
  MAX_SURGE,
  MAX_TICKS,
  mix32,
  replay,
  resultOf,
  seedWords,
  START_LIVES,
  step,
  validateInputs,
  WIDTH,
} from "../../game/sim/index.js";
import { inputBytes, loadVectors } from "../helpers/vectors.js";

const seedArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(
  (b) => ("0x" + Buffer.from(b).toString("hex")) as `0x${string}`,
);
const actionsArb = (max: number) => fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: max });
/** Runs biased to action: long held keys, like a player's. */
const heldActionsArb = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 60 })), { maxLength: 120 })
  .map((runs) => runs.flatMap(([a, n]) => new Array<number>(n).fill(a)).slice(0, MAX_TICKS));

describe("shared vectors (TypeScript side)", () => {
  const { accept, reject } = loadVectors();
  it("has vectors of both kinds", () => {
    assert.ok(accept.length >= 30 && reject.length >= 20);
  });
  for (const v of accept) {
    it(`accepts: ${v.name}`, () => {
      const r = replay(v.seed, inputBytes(v));
      assert.deepEqual(r, {
        gold: v.gold,
        ticks: v.ticks,
        maxDepth: v.maxDepth,
        lives: v.lives,
        energy: v.energy,
        digest: v.digest,
      });
    });
  }
  for (const v of reject) {
    it(`rejects: ${v.name}`, () => {
      assert.throws(
        () => replay(v.seed, inputBytes(v)),
        (e: unknown) => e instanceof InputError && e.code === v.error && e.offset === v.offset,
      );
    });
  }
});

describe("hash", () => {
  it("matches reference values of lowbias32", () => {
    // Computed independently with 64-bit BigInt arithmetic below, not with mix32 itself.
    const ref = (v: bigint): bigint => {
      const m = 0xffffffffn;
      v ^= v >> 16n;
      v = (v * 0x7feb352dn) & m;
      v ^= v >> 15n;
      v = (v * 0x846ca68bn) & m;
      return v ^ (v >> 16n);
    };
    for (const v of [0, 1, 2, 0xdeadbeef, 0xffffffff, 0x80000000, 12345678]) {
      assert.equal(BigInt(mix32(v)), ref(BigInt(v)), `mix32(${v})`);
    }
    fc.assert(fc.property(fc.nat({ max: 0xffffffff }), (v) => BigInt(mix32(v)) === ref(BigInt(v))));
  });
  it("is a bijection on samples (no collisions among 100,000 inputs)", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++) seen.add(mix32(i * 7919));
    assert.equal(seen.size, 100_000);
  });
});

describe("world generation", () => {
  it("has an empty surface and a bedrock floor", () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), fc.nat({ max: 15 }), (k0, k1, x) => {
        return generateCell(k0, k1, x, 0) === Cell.EMPTY && generateCell(k0, k1, x, DEPTH - 1) === Cell.BEDROCK;
      }),
    );
  });
  it("never generates a falling rock, and always a known cell", () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), fc.nat({ max: 15 }), fc.nat({ max: DEPTH - 1 }), (k0, k1, x, y) => {
        const c = generateCell(k0, k1, x, y);
        return c >= Cell.EMPTY && c <= Cell.CANTEEN;
      }),
    );
  });
  it("gets richer and more dangerous with depth", () => {
    const count = (y0: number, y1: number) => {
      const n = { gold: 0, danger: 0, cells: 0 };
      for (let s = 0; s < 40; s++) {
        const k0 = mix32(s);
        const k1 = mix32(s + 1000);
        for (let y = y0; y < y1; y++) {
          for (let x = 0; x < WIDTH; x++) {
            const c = generateCell(k0, k1, x, y);
            n.cells++;
            if (c >= Cell.NUGGET && c <= Cell.GEM) n.gold++;
            if (c === Cell.GAS || c === Cell.BOULDER) n.danger++;
          }
        }
      }
      return n;
    };
    const top = count(1, 33);
    const deep = count(256, 288);
    assert.ok(top.gold / top.cells > 0.05 && top.gold / top.cells < 0.15, `top gold share ${top.gold / top.cells}`);
    assert.ok(deep.gold > top.gold, "deep rows hold more gold");
    assert.ok(deep.danger > 1.5 * top.danger, "deep rows hold more gas and boulders");
  });
});

describe("input codec", () => {
  it("round-trips any action sequence", () => {
    fc.assert(
      fc.property(actionsArb(MAX_TICKS), (actions) => {
        const bytes = encodeInputs(actions);
        return Buffer.from(decodeInputs(bytes)).equals(Buffer.from(actions));
      }),
    );
  });
  it("encodes a held key compactly: 32 ticks a byte", () => {
    assert.equal(encodeInputs(new Array<number>(MAX_TICKS).fill(Action.DOWN)).length, 3 + 113);
  });
  it("rejects arbitrary bytes only with an InputError, never anything else", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          const t = validateInputs(bytes);
          return t <= MAX_TICKS;
        } catch (e) {
          return e instanceof InputError && e.message.length > 0;
        }
      }),
      { numRuns: 2000 },
    );
  });
  it("refuses to encode unknown actions and over-long runs", () => {
    assert.throws(() => encodeInputs([0, 5]), (e: unknown) => e instanceof InputError && e.code === "UNKNOWN_ACTION");
    assert.throws(() => encodeInputs([0.5]), (e: unknown) => e instanceof InputError && e.code === "UNKNOWN_ACTION");
    assert.throws(
      () => encodeInputs(new Array<number>(MAX_TICKS + 1).fill(0)),
      (e: unknown) => e instanceof InputError && e.code === "TOO_MANY_TICKS",
    );
  });
  it("says what is wrong and what to do", () => {
    assert.throws(() => validateInputs(Uint8Array.from([1, 0, 10, 0x04])), /cover 5 of the 10 declared ticks/);
    assert.throws(() => validateInputs(Uint8Array.from([9, 0, 0])), /version 9 is not supported/);
  });
});

describe("seed", () => {
  it("accepts exactly 32 bytes of hex", () => {
    assert.deepEqual(seedWords("0x" + "00".repeat(28) + "00000002" ), [2, 0]);
    assert.deepEqual(seedWords("0x" + "00".repeat(24) + "00000001" + "ffffffff"), [0xffffffff, 1]);
    for (const bad of ["", "0x", "0x" + "0".repeat(63), "0x" + "g".repeat(64), "0x" + "0".repeat(66)]) {
      assert.throws(() => createState(bad), /seed must be 0x followed by 64 hex digits/);
    }
  });
});

describe("simulation properties", () => {
  it("is deterministic: same seed and inputs, same result", () => {
    fc.assert(
      fc.property(seedArb, heldActionsArb, (seed, actions) => {
        const bytes = encodeInputs(actions);
        assert.deepEqual(replay(seed, bytes), replay(seed, bytes));
      }),
      { numRuns: 100 },
    );
  });
  it("step is pure and replay equals stepping tick by tick", () => {
    fc.assert(
      fc.property(seedArb, heldActionsArb, (seed, actions) => {
        let s = createState(seed);
        for (const a of actions) {
          const before = JSON.stringify({ ...s, over: Array.from(s.over), rocks: Array.from(s.rocks) });
          const next = step(s, a as Action);
          assert.equal(JSON.stringify({ ...s, over: Array.from(s.over), rocks: Array.from(s.rocks) }), before);
          s = next;
        }
        assert.deepEqual(resultOf(s), replay(seed, encodeInputs(actions)));
      }),
      { numRuns: 40 },
    );
  });
  it("keeps every quantity in bounds, every tick", () => {
    fc.assert(
      fc.property(seedArb, heldActionsArb, (seed, actions) => {
        const s = createState(seed);
        let gold = 0;
        for (const a of actions) {
          advance(s, a as Action);
          assert.ok(s.gold >= gold, "gold never decreases");
          gold = s.gold;
          assert.ok(s.energy >= 0 && s.energy <= MAX_ENERGY);
          assert.ok(s.lives >= 0 && s.lives <= START_LIVES);
          assert.ok(s.surge >= 1 && s.surge <= MAX_SURGE);
          assert.ok(s.x >= 0 && s.x < WIDTH && s.y >= 0 && s.y < DEPTH);
          assert.ok(s.tick <= MAX_TICKS);
          assert.equal(cellAt(s, s.x, s.y), Cell.EMPTY, "the prospector stands in an empty cell");
          assert.ok(s.rockCount >= 0 && s.rockCount <= 6);
        }
      }),
      { numRuns: 60 },
    );
  });
  it("ignores inputs after the run has ended", () => {
    const seed = "0x" + "5eed".repeat(16);
    const dig = new Array<number>(MAX_TICKS).fill(Action.DOWN);
    const r = replay(seed, encodeInputs(dig));
    assert.ok(r.ticks < MAX_TICKS, "this seed's straight dig ends early");
    const altered = dig.slice(0, r.ticks).concat(new Array<number>(MAX_TICKS - r.ticks).fill(Action.LEFT));
    assert.deepEqual(replay(seed, encodeInputs(altered)), r);
  });
  it("inputs during a cooldown change nothing", () => {
    const seed = "0x" + "ab".repeat(32);
    // One DOWN then NONE vs. one DOWN then a different key during the dig cooldown (3 ticks).
    const a = replay(seed, encodeInputs([Action.DOWN, 0, 0, 0, Action.DOWN]));
    const b = replay(seed, encodeInputs([Action.DOWN, Action.LEFT, Action.RIGHT, Action.UP, Action.DOWN]));
    assert.deepEqual(a, b);
  });
  it("surge multiplies consecutive pickups", () => {
    // Find a row-1 gold cell next to the start and check the multiplier sequence on a rich seed by search.
    let checked = 0;
    for (let i = 0; i < 2000 && checked < 5; i++) {
      const s = createState(("0x" + mix32(i).toString(16).padStart(64, "0")) as string);
      let last = 0;
      for (let t = 0; t < 600 && s.ended === 0; t++) {
        advance(s, Action.DOWN);
        if (s.lastGain > 0) {
          assert.equal(s.lastGain % s.surge, 0, "a pickup pays its value times the surge");
          if (last > 0 && s.surge > 1) checked++;
          last = s.lastGain;
        }
      }
    }
    assert.ok(checked > 0, "some straight digs chain pickups into a surge");
  });
});

describe("purity of game/sim", () => {
  const dir = new URL("../../game/sim/", import.meta.url);
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".ts"))) {
    it(`${f} uses no clock, randomness, floating point or outside imports`, () => {
      const src = readFileSync(new URL(f, dir), "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      assert.doesNotMatch(src, /Math\.random|Date\b|performance\.|setTimeout|setInterval|Math\.(floor|ceil|round|sqrt|pow)/);
      assert.doesNotMatch(src, /\d\.\d|\/ \d|\d \//, "no floating-point literals or division");
      for (const m of src.matchAll(/from\s+"([^"]+)"/g)) assert.match(m[1]!, /^\.\/[a-z]+\.js$/, `import ${m[1]}`);
    });
  }
});

/**
 * The rules: `step(state, input) -> state` at a fixed tick, and `replay(seed, inputs) -> result`.
 * Integers only; no clock, no randomness beyond the seed. `contracts/libraries/SurgeRules.sol` is the
 * Solidity twin of this file, kept line for line in the same order.
 */
import * as C from "./constants.js";
import { Action, validateInputs } from "./codec.js";
import { fold, mix32 } from "./hash.js";
import { Cell, type CellType, generateCell } from "./world.js";

export const EndReason = { RUNNING: 0, TIME: 1, EXHAUSTED: 2, OUT_OF_LIVES: 3, INPUTS_ENDED: 4 } as const;
export type EndReason = (typeof EndReason)[keyof typeof EndReason];

/** What happened in the last tick, as bit flags, for the client's sounds and effects. Not part of results. */
export const Event = {
  MOVE: 1,
  DIG: 2,
  HIT: 4,
  BREAK: 8,
  PICKUP: 16,
  GAS: 32,
  CRUSH: 64,
  CANTEEN: 128,
  ROCK_LOOSE: 256,
  ROCK_LAND: 512,
  BLOCKED: 1024,
  SURGE_LOST: 2048,
} as const;

/** Overlay byte of a changed cell: 0 means "as generated", else 0x80 | damage << 4 | type. */
const TOUCHED = 0x80;

export interface SimState {
  /** The two 32-bit seed words that key world generation. */
  readonly k0: number;
  readonly k1: number;
  tick: number;
  x: number;
  y: number;
  energy: number;
  lives: number;
  gold: number;
  /** Surge multiplier, 1..MAX_SURGE. */
  surge: number;
  /** Ticks left before the surge multiplier falls back to 1. */
  surgeTimer: number;
  /** Ticks left before an input counts again. */
  cooldown: number;
  maxDepth: number;
  digest: number;
  /** WIDTH * DEPTH overlay bytes, indexed `y << 4 | x`. */
  over: Uint8Array;
  /** Falling rocks, three ints each: x, y, ticks until they next move. */
  rocks: Int32Array;
  rockCount: number;
  ended: EndReason;
  /** Bit flags of `Event` raised by the last tick, and the gold it earned. */
  events: number;
  lastGain: number;
}

export interface RunResult {
  gold: number;
  ticks: number;
  maxDepth: number;
  lives: number;
  energy: number;
  digest: number;
}

/** Splits a 32-byte seed (0x + 64 hex digits) into the two 32-bit words that key the world. */
export function seedWords(seed: string): [number, number] {
  if (!/^0x[0-9a-fA-F]{64}$/.test(seed)) {
    throw new Error(`seed must be 0x followed by 64 hex digits (32 bytes), got "${seed}"`);
  }
  const k0 = parseInt(seed.slice(58, 66), 16) >>> 0;
  const k1 = parseInt(seed.slice(50, 58), 16) >>> 0;
  return [k0, k1];
}

export function createState(seed: string): SimState {
  const [k0, k1] = seedWords(seed);
  return {
    k0,
    k1,
    tick: 0,
    x: C.START_X,
    y: C.START_Y,
    energy: C.START_ENERGY,
    lives: C.START_LIVES,
    gold: 0,
    surge: 1,
    surgeTimer: 0,
    cooldown: 0,
    maxDepth: 0,
    digest: mix32((k0 ^ k1) >>> 0),
    over: new Uint8Array(C.WIDTH * C.DEPTH),
    rocks: new Int32Array(C.MAX_FALLING * 3),
    rockCount: 0,
    ended: EndReason.RUNNING,
    events: 0,
    lastGain: 0,
  };
}

/** The type of cell (x, y) as the run has left it. Coordinates must lie inside the world. */
export function cellAt(s: SimState, x: number, y: number): CellType {
  const o = s.over[(y << 4) | x]!;
  return o !== 0 ? ((o & 15) as CellType) : generateCell(s.k0, s.k1, x, y);
}

/** Hits a rock or boulder has taken (0 if untouched). */
export function damageAt(s: SimState, x: number, y: number): number {
  return (s.over[(y << 4) | x]! >>> 4) & 7;
}

/** A copy that shares nothing with `s`. */
export function cloneState(s: SimState): SimState {
  return { ...s, over: s.over.slice(), rocks: s.rocks.slice() };
}

/** Pure: returns the state one tick after `s` under `input`; `s` is left untouched. */
export function step(s: SimState, input: Action): SimState {
  const next = cloneState(s);
  advance(next, input);
  return next;
}

/** Checks and replays a whole run. Throws `InputError` on malformed inputs. */
export function replay(seed: string, inputs: Uint8Array): RunResult {
  validateInputs(inputs);
  const s = createState(seed);
  outer: for (let i = C.INPUT_HEADER_BYTES; i < inputs.length; i++) {
    const b = inputs[i]!;
    const action = (b >>> 5) as Action;
    for (let r = (b & 31) + 1; r > 0; r--) {
      if (s.ended !== EndReason.RUNNING) break outer;
      advance(s, action);
    }
  }
  return resultOf(s);
}

export function resultOf(s: SimState): RunResult {
  return {
    gold: s.gold,
    ticks: s.tick,
    maxDepth: s.maxDepth,
    lives: s.lives,
    energy: s.energy,
    digest: fold(s.digest, (s.y << 4) | s.x),
  };
}

/** Advances `s` by one tick in place. The order of the phases is part of the rules. */
export function advance(s: SimState, action: Action): void {
  if (s.ended !== EndReason.RUNNING) return;
  s.events = 0;
  s.lastGain = 0;
  s.tick++;
  // 1. The prospector acts, unless still busy with the last action.
  if (s.cooldown > 0) s.cooldown--;
  else if (action !== Action.NONE) act(s, action);
  // 2. Loose rocks wobble, fall and land.
  if (s.rockCount > 0) updateRocks(s);
  // 3. The surge fades when no gold was found for a while.
  if (s.surgeTimer > 0) {
    s.surgeTimer--;
    if (s.surgeTimer === 0 && s.surge > 1) {
      s.surge = 1;
      s.events |= Event.SURGE_LOST;
    }
  }
  if (s.y > s.maxDepth) s.maxDepth = s.y;
  // 4. The run ends on no lives, no energy, or no time.
  if (s.lives === 0) s.ended = EndReason.OUT_OF_LIVES;
  else if (s.energy === 0) s.ended = EndReason.EXHAUSTED;
  else if (s.tick >= C.MAX_TICKS) s.ended = EndReason.TIME;
}

function act(s: SimState, action: Action): void {
  let nx = s.x;
  let ny = s.y;
  if (action === Action.LEFT) nx--;
  else if (action === Action.RIGHT) nx++;
  else if (action === Action.UP) ny--;
  else ny++;
  if (nx < 0 || nx >= C.WIDTH || ny < 0 || ny >= C.DEPTH) {
    bump(s);
    return;
  }
  const idx = (ny << 4) | nx;
  const o = s.over[idx]!;
  const type = o !== 0 ? o & 15 : generateCell(s.k0, s.k1, nx, ny);
  switch (type) {
    case Cell.EMPTY:
      s.x = nx;
      s.y = ny;
      s.cooldown = C.MOVE_COOLDOWN;
      s.events |= Event.MOVE;
      return;
    case Cell.BEDROCK:
    case Cell.FALLING:
      bump(s);
      return;
    case Cell.ROCK:
    case Cell.BOULDER: {
      spend(s, C.HIT_COST);
      const damage = ((o >>> 4) & 7) + 1;
      if (damage >= (type === Cell.ROCK ? C.ROCK_HP : C.BOULDER_HP)) {
        write(s, idx, TOUCHED | Cell.EMPTY);
        s.events |= Event.BREAK;
        undermine(s, nx, ny);
      } else {
        write(s, idx, TOUCHED | (damage << 4) | type);
        s.events |= Event.HIT;
      }
      s.cooldown = C.HIT_COOLDOWN;
      return;
    }
  }
  // Every other cell is dug out and entered: dirt, gas, treasure, canteen.
  spend(s, C.DIG_COST);
  write(s, idx, TOUCHED | Cell.EMPTY);
  s.x = nx;
  s.y = ny;
  s.cooldown = C.DIG_COOLDOWN;
  s.events |= Event.DIG;
  if (type === Cell.GAS) {
    s.events |= Event.GAS;
    hurt(s);
  } else if (type === Cell.CANTEEN) {
    s.energy = Math.min(C.MAX_ENERGY, s.energy + C.CANTEEN_ENERGY);
    s.events |= Event.CANTEEN;
  } else if (type !== Cell.DIRT) {
    collect(s, type);
  }
  undermine(s, nx, ny);
}

/** Walking into the edge, bedrock or a falling rock: nothing moves, but the bump takes a step's time. */
function bump(s: SimState): void {
  s.cooldown = C.MOVE_COOLDOWN;
  s.events |= Event.BLOCKED;
}

function collect(s: SimState, type: number): void {
  const value =
    type === Cell.NUGGET
      ? C.NUGGET_VALUE
      : type === Cell.ORE
        ? C.ORE_VALUE
        : type === Cell.BIG_NUGGET
          ? C.BIG_NUGGET_VALUE
          : C.GEM_VALUE;
  if (s.surgeTimer > 0 && s.surge < C.MAX_SURGE) s.surge++;
  const gain = value * s.surge;
  s.gold += gain;
  s.lastGain = gain;
  s.surgeTimer = C.SURGE_WINDOW;
  s.events |= Event.PICKUP;
}

function spend(s: SimState, cost: number): void {
  s.energy = s.energy > cost ? s.energy - cost : 0;
}

/**
 * A gas blast or a falling rock: a life lost, the surge gone, and a moment stunned. Two hits can land in one tick
 * (gas dug into as a rock lands there): a hit with no life left takes nothing, so lives never go below zero and
 * the end check after the tick ends the run.
 */
function hurt(s: SimState): void {
  if (s.lives > 0) s.lives--;
  s.surge = 1;
  s.surgeTimer = 0;
  s.cooldown = C.STUN_COOLDOWN;
}

function write(s: SimState, idx: number, value: number): void {
  s.over[idx] = value;
  s.digest = fold(s.digest, ((s.tick << 21) ^ (idx << 8) ^ value) >>> 0);
}

/** Cell (x, y) just became empty: a boulder resting on it comes loose, if a falling slot is free. */
function undermine(s: SimState, x: number, y: number): void {
  if (y === 0 || s.rockCount >= C.MAX_FALLING) return;
  if (cellAt(s, x, y - 1) !== Cell.BOULDER) return;
  write(s, ((y - 1) << 4) | x, TOUCHED | Cell.FALLING);
  const r = s.rockCount * 3;
  s.rocks[r] = x;
  s.rocks[r + 1] = y - 1;
  s.rocks[r + 2] = C.WOBBLE_TICKS;
  s.rockCount++;
  s.events |= Event.ROCK_LOOSE;
}

/**
 * Moves the rocks that were falling at the start of the tick, in slot order. Rocks that land or shatter are
 * marked (y = -1) and compacted out after the loop, so slots freed this tick are reused only from the next.
 */
function updateRocks(s: SimState): void {
  const n = s.rockCount;
  const rocks = s.rocks;
  let removed = 0;
  for (let i = 0; i < n; i++) {
    const r = i * 3;
    if (--rocks[r + 2]! > 0) continue;
    const x = rocks[r]!;
    const y = rocks[r + 1]!;
    const idx = (y << 4) | x;
    if (x === s.x && y + 1 === s.y) {
      // The rock lands on the prospector and shatters.
      hurt(s);
      s.events |= Event.CRUSH;
      write(s, idx, TOUCHED | Cell.EMPTY);
      rocks[r + 1] = -1;
      removed++;
      undermine(s, x, y);
    } else if (cellAt(s, x, y + 1) === Cell.EMPTY) {
      write(s, idx, TOUCHED | Cell.EMPTY);
      write(s, idx + 16, TOUCHED | Cell.FALLING);
      rocks[r + 1] = y + 1;
      rocks[r + 2] = C.FALL_TICKS;
      undermine(s, x, y);
    } else {
      write(s, idx, TOUCHED | Cell.BOULDER);
      rocks[r + 1] = -1;
      removed++;
      s.events |= Event.ROCK_LAND;
    }
  }
  if (removed === 0) return;
  let w = 0;
  for (let i = 0; i < s.rockCount; i++) {
    const r = i * 3;
    if (rocks[r + 1] === -1) continue;
    if (w !== i) {
      rocks[w * 3] = rocks[r]!;
      rocks[w * 3 + 1] = rocks[r + 1]!;
      rocks[w * 3 + 2] = rocks[r + 2]!;
    }
    w++;
  }
  s.rockCount = w;
}

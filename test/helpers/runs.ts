/**
 * Generators of runs for the differential (parity) tests and the benchmarks: random, scripted, agent-played
 * and malformed. Deterministic from a 32-bit PRNG seed, so any failing case can be reproduced from its index.
 * Side-effect free: the Hardhat test runner loads every .ts file under test/.
 */
import {
  Action,
  advance,
  cellAt,
  Cell,
  cloneState,
  createState,
  encodeInputs,
  EndReason,
  Event,
  INPUT_VERSION,
  MAX_TICKS,
  mix32,
  WIDTH,
  type SimState,
} from "../../game/sim/index.js";

/** A small deterministic PRNG (xorshift over mix32) for test data; not part of the game. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = mix32(seed >>> 0) || 1;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  int(n: number): number {
    return this.next() % n;
  }
  chance(pct: number): boolean {
    return this.int(100) < pct;
  }
  seed(): `0x${string}` {
    let h = "0x";
    for (let i = 0; i < 8; i++) h += this.next().toString(16).padStart(8, "0");
    return h as `0x${string}`;
  }
}

export interface GeneratedRun {
  kind: string;
  seed: `0x${string}`;
  inputs: Uint8Array;
}

const DIRS = [Action.LEFT, Action.RIGHT, Action.UP, Action.DOWN] as const;
const TREASURE = new Set<number>([Cell.NUGGET, Cell.ORE, Cell.BIG_NUGGET, Cell.GEM, Cell.CANTEEN]);

/** Random actions in random-length bursts. */
function randomWalk(rng: Rng, ticks: number): number[] {
  const a: number[] = [];
  while (a.length < ticks) {
    const act = rng.chance(15) ? Action.NONE : DIRS[rng.int(4)]!;
    for (let n = 1 + rng.int(40); n > 0 && a.length < ticks; n--) a.push(act);
  }
  return a;
}

/** Mostly down, with sideways bursts: goes deep, meets every hazard. */
function digger(rng: Rng, ticks: number): number[] {
  const a: number[] = [];
  while (a.length < ticks) {
    const act = rng.chance(60) ? Action.DOWN : rng.chance(50) ? Action.LEFT : Action.RIGHT;
    for (let n = 4 + rng.int(24); n > 0 && a.length < ticks; n--) a.push(act);
  }
  return a;
}

/** Runs to a wall and pushes against it: many blocked moves, the most expensive kind of tick. */
function wallPusher(rng: Rng, ticks: number): number[] {
  const a: number[] = [];
  const side = rng.chance(50) ? Action.LEFT : Action.RIGHT;
  for (let i = 0; i < rng.int(60); i++) a.push(Action.DOWN);
  while (a.length < ticks) a.push(rng.chance(97) ? side : Action.DOWN);
  return a.slice(0, ticks);
}

/**
 * A greedy player driven by the simulation itself: takes adjacent treasure, digs under boulders on purpose
 * now and then, avoids gas most of the time, and otherwise heads down. Produces surges, cave-ins and crushes.
 */
function agent(rng: Rng, seed: `0x${string}`, ticks: number): number[] {
  const s: SimState = createState(seed);
  const a: number[] = [];
  let wander: number = DIRS[rng.int(4)]!;
  while (a.length < ticks && s.ended === EndReason.RUNNING) {
    let act: number = Action.NONE;
    if (s.cooldown === 0) {
      const options: [number, number][] = [];
      for (const d of DIRS) {
        const nx = s.x + (d === Action.LEFT ? -1 : d === Action.RIGHT ? 1 : 0);
        const ny = s.y + (d === Action.UP ? -1 : d === Action.DOWN ? 1 : 0);
        if (nx < 0 || nx >= WIDTH || ny < 0 || ny >= 319) continue;
        const c = cellAt(s, nx, ny);
        let score = rng.int(10);
        if (TREASURE.has(c)) score += 100;
        if (c === Cell.GAS) score += rng.chance(10) ? 50 : -100;
        if (c === Cell.BEDROCK || c === Cell.FALLING) score -= 50;
        if (ny > 0 && cellAt(s, nx, ny - 1) === Cell.BOULDER) score += rng.chance(30) ? 40 : -20;
        if (d === Action.DOWN) score += 15;
        if (d === wander) score += 10;
        options.push([score, d]);
      }
      options.sort((p, q) => q[0] - p[0]);
      act = options[0]?.[1] ?? Action.NONE;
      if (rng.chance(3)) wander = DIRS[rng.int(4)]!;
      if (rng.chance(2)) act = Action.NONE;
    } else if (rng.chance(30)) {
      act = DIRS[rng.int(4)]!; // inputs during cooldown are ignored, but must be carried
    }
    a.push(act);
    advance(s, act as Action);
  }
  // Sometimes keep sending inputs after the run ended: they must be ignored by both implementations.
  if (rng.chance(30)) while (a.length < ticks) a.push(DIRS[rng.int(4)]!);
  return a;
}

/** Valid bytes bent out of shape: each kind breaks one rule of the codec. */
function malformed(rng: Rng, valid: Uint8Array): Uint8Array {
  const b = Array.from(valid);
  switch (rng.int(9)) {
    case 0: // truncated body
      return Uint8Array.from(b.slice(0, 3 + rng.int(Math.max(1, b.length - 3))));
    case 1: // truncated header
      return Uint8Array.from(b.slice(0, rng.int(3)));
    case 2: // trailing garbage
      return Uint8Array.from([...b, ...Array.from({ length: 1 + rng.int(4) }, () => rng.int(256))]);
    case 3: // unknown action somewhere
      if (b.length > 3) b[3 + rng.int(b.length - 3)] = ((5 + rng.int(3)) << 5) | rng.int(32);
      else b.push((5 + rng.int(3)) << 5);
      return Uint8Array.from(b);
    case 4: // wrong version
      b[0] = rng.chance(50) ? 0 : 2 + rng.int(254);
      return Uint8Array.from(b);
    case 5: {
      // too many ticks declared
      const t = MAX_TICKS + 1 + rng.int(65535 - MAX_TICKS);
      b[1] = t >>> 8;
      b[2] = t & 0xff;
      return Uint8Array.from(b);
    }
    case 6: {
      // declared count off by a little: overrun or truncation
      const t = Math.max(0, Math.min(MAX_TICKS, ((b[1]! << 8) | b[2]!) + rng.int(9) - 4));
      b[1] = t >>> 8;
      b[2] = t & 0xff;
      return Uint8Array.from(b);
    }
    case 7: // one random byte flipped
      if (b.length > 0) b[rng.int(b.length)] = rng.int(256);
      return Uint8Array.from(b);
    default: // pure garbage with a plausible header
      return Uint8Array.from([
        INPUT_VERSION,
        rng.int(16),
        rng.int(256),
        ...Array.from({ length: rng.int(200) }, () => rng.int(256)),
      ]);
  }
}

export const RUN_KINDS = ["random", "digger", "wall", "agent", "agent-full", "idle", "short", "malformed"] as const;

/** The i-th run of a campaign keyed by `campaign`: kinds rotate so every N covers all of them. */
export function generateRun(campaign: number, i: number): GeneratedRun {
  const rng = new Rng((campaign * 0x9e3779b1 + i) >>> 0);
  const kind = RUN_KINDS[i % RUN_KINDS.length]!;
  const seed = rng.seed();
  const full = MAX_TICKS;
  let actions: number[];
  switch (kind) {
    case "random":
      actions = randomWalk(rng, full);
      break;
    case "digger":
      actions = digger(rng, full);
      break;
    case "wall":
      actions = wallPusher(rng, full);
      break;
    case "agent":
      actions = agent(rng, seed, 200 + rng.int(full - 200));
      break;
    case "agent-full":
      actions = agent(rng, seed, full);
      while (actions.length < full) actions.push(Action.NONE);
      break;
    case "idle":
      actions = new Array<number>(rng.chance(50) ? full : rng.int(full)).fill(Action.NONE);
      break;
    case "short":
      actions = randomWalk(rng, rng.int(120));
      break;
    default:
      return { kind, seed, inputs: malformed(rng, encodeInputs(randomWalk(rng, rng.int(full)))) };
  }
  return { kind, seed, inputs: encodeInputs(actions) };
}

/** Events that hurt or pay: two of them in one tick is where the rules must agree on order. */
const HIT = Event.GAS | Event.CRUSH;
const SAME_TICK = Event.GAS | Event.CRUSH | Event.PICKUP | Event.CANTEEN;

/** How many of the events in `mask` the last tick raised. */
function countEvents(events: number, mask: number): number {
  let n = 0;
  for (let m = events & mask; m !== 0; m &= m - 1) n++;
  return n;
}

/**
 * A player that looks for trouble: each time the prospector can act it tries every action one tick ahead and
 * takes the one that lands the most events in that tick (a gas blast or a pickup as a rock lands there first),
 * else walks under loose and falling rocks, digs next to boulders and into gas. Same-tick hits, hits on the last
 * life and hits at the end of the inputs are what it is for.
 */
function hazardSeeker(rng: Rng, seed: `0x${string}`, ticks: number): number[] {
  const s: SimState = createState(seed);
  const a: number[] = [];
  while (a.length < ticks && s.ended === EndReason.RUNNING) {
    let act: number = Action.NONE;
    if (s.cooldown === 0 && s.rockCount > 0) {
      // A rock is loose: random plans a few ticks ahead, kept if one lands two events in one tick.
      const plan = planSameTick(rng, s, Math.min(24, ticks - a.length));
      if (plan) {
        for (const p of plan) {
          a.push(p);
          advance(s, p as Action);
        }
        continue;
      }
    }
    if (s.cooldown === 0) {
      let best = -1e9;
      for (const d of [Action.NONE, ...DIRS]) {
        const t = cloneState(s);
        advance(t, d);
        // Spend lives down to the last one, then avoid single hits: two at once on the last life is the edge.
        let score = rng.int(8) + 40 * countEvents(t.events, SAME_TICK);
        if (t.events & HIT) score += s.lives > 1 ? 60 : -200;
        if (countEvents(t.events, SAME_TICK) >= 2) score += 1000;
        // Under a rock that is loose or falling, or next to a boulder that the next dig may loosen.
        if (t.y > 0 && cellAt(t, t.x, t.y - 1) === Cell.FALLING) score += 25;
        if (t.y > 0 && cellAt(t, t.x, t.y - 1) === Cell.BOULDER) score += 12;
        if (d === Action.DOWN) score += 6;
        if (d === Action.NONE) score -= 4;
        if (score > best) {
          best = score;
          act = d;
        }
      }
    } else if (rng.chance(40)) {
      act = DIRS[rng.int(4)]!;
    }
    a.push(act);
    advance(s, act as Action);
  }
  return a;
}

/**
 * 64 random plans of `len` ticks from `s`; of those whose ticks raise two events at once (cut there), the one that
 * stacks two hits (gas and a falling rock), else any. Null when no plan does.
 */
function planSameTick(rng: Rng, s: SimState, len: number): number[] | null {
  let found: number[] | null = null;
  for (let k = 0; k < 64; k++) {
    const t = cloneState(s);
    const plan: number[] = [];
    for (let j = 0; j < len && t.ended === EndReason.RUNNING; j++) {
      const d = rng.chance(40) ? Action.NONE : DIRS[rng.int(4)]!;
      plan.push(d);
      advance(t, d);
      if (countEvents(t.events, SAME_TICK) >= 2) {
        if ((t.events & HIT) === HIT) return plan;
        found ??= plan;
        break;
      }
    }
  }
  return found;
}

/** Ticks (1-based) at which the run raised a hit (gas or crush). */
function hitTicks(seed: `0x${string}`, actions: number[]): number[] {
  const s = createState(seed);
  const out: number[] = [];
  for (const act of actions) {
    advance(s, act as Action);
    if (s.events & HIT) out.push(s.tick);
    if (s.ended !== EndReason.RUNNING) break;
  }
  return out;
}

export const HAZARD_KINDS = ["hazard", "hazard-cut", "hazard-full"] as const;

/**
 * The i-th run of a hazard campaign: hazard-seeking play, whole ("hazard"), cut so that its inputs end on the
 * tick of a hit ("hazard-cut"), or padded with random inputs after the end to a full-length input ("hazard-full").
 */
export function generateHazardRun(campaign: number, i: number): GeneratedRun {
  const rng = new Rng((campaign * 0x85ebca6b + i * 0x27d4eb2f + 0x165667b1) >>> 0);
  const kind = HAZARD_KINDS[i % HAZARD_KINDS.length]!;
  const seed = rng.seed();
  let actions = hazardSeeker(rng, seed, MAX_TICKS);
  if (kind === "hazard-cut") {
    const hits = hitTicks(seed, actions);
    if (hits.length > 0) actions = actions.slice(0, hits[rng.int(hits.length)]!);
  } else if (kind === "hazard-full") {
    while (actions.length < MAX_TICKS) actions.push(rng.int(5));
  }
  return { kind, seed, inputs: encodeInputs(actions) };
}

/** The parity campaign: the general kinds, with every fourth run a hazard run. */
export function campaignRun(campaign: number, i: number): GeneratedRun {
  return i % 4 === 3 ? generateHazardRun(campaign, i >> 2) : generateRun(campaign, i - (i >> 2));
}

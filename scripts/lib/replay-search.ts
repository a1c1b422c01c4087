/**
 * A search for the dearest on-chain replay (`sim.replayGasMax`): planners that play to maximize what SurgeRules must
 * do, every candidate encoded in its dearest valid form, each measured with eth_estimateGas.
 *
 * What a replay costs (contracts/libraries/SurgeRules.sol): ticks in which the prospector acts or a rock moves are
 * stepped one by one; quiet ticks are skipped in one step. So the planner wants, over all 3,600 ticks: an action at
 * every tick the prospector is ready (digs, which generate cells and write the overlay; rock hits and breaks; pickups
 * with surge changes), as many rocks falling at once as it can loosen, and no early end (no gas, no crush, energy
 * kept up with canteens). The codec accepts one encoding per action sequence, but inputs sent while the prospector is
 * busy are ignored by the rules and still carried: `noisy` fills every such tick with an action that differs from
 * the tick before, so every tick is a token of its own (the most bytes and tokens a play can have), and pads the
 * inputs to 3,600 ticks after the run ends.
 */
import {
  Action,
  advance,
  Cell,
  cellAt,
  cloneState,
  createState,
  encodeInputs,
  EndReason,
  Event,
  MAX_TICKS,
  type SimState,
} from "../../game/sim/index.js";
import { Rng } from "../../test/helpers/runs.js";

const DIRS = [Action.LEFT, Action.RIGHT, Action.UP, Action.DOWN] as const;

/** How much a planner values each thing the contract must do in a tick. */
export interface Weights {
  dig: number;
  hit: number;
  pickup: number;
  loosen: number;
  falling: number;
  bump: number;
  /** Preference for going down (new rows mean freshly generated cells). */
  down: number;
}

export const WEIGHT_SETS: Weights[] = [
  { dig: 10, hit: 8, pickup: 20, loosen: 30, falling: 6, bump: 2, down: 3 },
  { dig: 6, hit: 12, pickup: 10, loosen: 40, falling: 10, bump: 1, down: 1 },
  { dig: 12, hit: 4, pickup: 30, loosen: 15, falling: 4, bump: 3, down: 6 },
  { dig: 8, hit: 10, pickup: 8, loosen: 60, falling: 15, bump: 0, down: 2 },
];

/** A uniform number in [0, 1) from the test data PRNG, seeded with `seed`, for tie-breaks and perturbations. */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next() / 4294967296;
}

/** Value of one tick's outcome `t` (after acting from `s`) under `w`; dying or running dry is heavily penalized. */
function value(s: SimState, t: SimState, w: Weights): number {
  if (t.ended !== EndReason.RUNNING && t.tick < MAX_TICKS) return -1e6;
  const e = t.events;
  let v = 0;
  if (e & (Event.GAS | Event.CRUSH)) v -= 500;
  if (e & Event.DIG) v += w.dig;
  if (e & (Event.HIT | Event.BREAK)) v += w.hit;
  if (e & Event.PICKUP) v += w.pickup * t.surge;
  if (e & Event.ROCK_LOOSE) v += w.loosen;
  if (e & Event.BLOCKED) v += w.bump;
  if (e & Event.CANTEEN) v += t.energy < 200 ? 80 : 5;
  v += w.falling * t.rockCount;
  if (t.y > s.y) v += w.down;
  // Keep energy for the whole run: a dig costs 1, a hit 2; stay clear of a rock about to land on us.
  if (t.energy < 40 && e & (Event.HIT | Event.BREAK)) v -= 30;
  if (t.y > 0 && cellAt(t, t.x, t.y - 1) === Cell.FALLING) v -= 60;
  return v;
}

/** One full-length play of seed `seed` by a greedy planner with a one-tick lookahead over the five actions. */
export function planDearRun(seed: `0x${string}`, w: Weights, salt: number): number[] {
  const s = createState(seed);
  const next = rng(salt);
  const actions: number[] = [];
  while (actions.length < MAX_TICKS && s.ended === EndReason.RUNNING) {
    let act: number = Action.NONE;
    if (s.cooldown === 0) {
      let best = -Infinity;
      for (const d of [Action.NONE, ...DIRS]) {
        const t = cloneState(s);
        advance(t, d);
        let v = value(s, t, w) + next() * 2;
        // Two moves deep: the best next action once this one's cooldown is over (sees treasure two cells away
        // and dead ends before it walks into them).
        if (v > -1e5) {
          while (t.cooldown > 0 && t.ended === EndReason.RUNNING) advance(t, Action.NONE);
          let second = t.ended === EndReason.RUNNING || t.tick >= MAX_TICKS ? -Infinity : -1e6;
          for (const d2 of DIRS) {
            if (second > -Infinity && t.ended !== EndReason.RUNNING) break;
            const u = cloneState(t);
            advance(u, d2);
            second = Math.max(second, value(t, u, w));
          }
          if (second > -Infinity) v += second / 2;
        }
        if (v > best) {
          best = v;
          act = d;
        }
      }
    }
    actions.push(act);
    advance(s, act as Action);
  }
  return actions;
}

/**
 * The same play in its dearest encoding: every tick whose input the rules ignore (the prospector busy, or the run
 * over) takes an action other than the tick before's, so no two ticks share a token; padded to MAX_TICKS.
 * The result replays to exactly what `actions` gives.
 */
export function noisy(seed: `0x${string}`, actions: number[]): Uint8Array {
  const s = createState(seed);
  const out: number[] = [];
  for (let t = 0; t < MAX_TICKS; t++) {
    const ignored = s.ended !== EndReason.RUNNING || s.cooldown > 0;
    const a = ignored ? (out[t - 1] === Action.UP ? Action.LEFT : Action.UP) : (actions[t] ?? Action.NONE);
    out.push(a);
    advance(s, a as Action);
  }
  return encodeInputs(out);
}

export interface Candidate {
  kind: string;
  seed: `0x${string}`;
  inputs: Uint8Array;
}

/** Planner candidates: `seeds` seeds x every weight set, each in its dearest (noisy) encoding. */
export function plannedCandidates(seeds: `0x${string}`[]): Candidate[] {
  const out: Candidate[] = [];
  seeds.forEach((seed, i) => {
    WEIGHT_SETS.forEach((w, j) => {
      const actions = planDearRun(seed, w, i * 16 + j + 1);
      out.push({ kind: `planner w${j}`, seed, inputs: noisy(seed, actions) });
    });
  });
  return out;
}

export interface SearchResult {
  gas: number;
  candidate: Candidate;
  /** Candidates measured. */
  tried: number;
}

/**
 * Hill-climbs the planner's weights for each seed, measuring real gas: start from every weight set, then `rounds`
 * times perturb the best weights found for that seed and keep the change if the replay got dearer. Extra
 * candidates (scripted or generated runs, already in their dearest encoding) are measured too.
 */
export async function searchDearest(
  seeds: `0x${string}`[],
  rounds: number,
  extra: Candidate[],
  measure: (c: Candidate) => Promise<number>,
): Promise<SearchResult> {
  let best: SearchResult = { gas: 0, candidate: extra[0] ?? plannedCandidates(seeds.slice(0, 1))[0]!, tried: 0 };
  let tried = 0;
  const consider = async (c: Candidate): Promise<number> => {
    const gas = await measure(c);
    tried++;
    if (gas > best.gas) best = { gas, candidate: c, tried: 0 };
    return gas;
  };
  for (const c of extra) await consider(c);
  for (const [i, seed] of seeds.entries()) {
    const next = rng(0x9e3779b1 ^ (i + 1));
    let top = { gas: 0, w: WEIGHT_SETS[0]! };
    for (const [j, w] of WEIGHT_SETS.entries()) {
      const gas = await consider({ kind: `planner w${j}`, seed, inputs: noisy(seed, planDearRun(seed, w, i * 64 + j)) });
      if (gas > top.gas) top = { gas, w };
    }
    for (let r = 0; r < rounds; r++) {
      const w = { ...top.w };
      for (const k of Object.keys(w) as (keyof Weights)[]) w[k] = Math.max(0, Math.round(w[k] * (0.5 + next())));
      const kind = `planner tuned (${Object.values(w).join("/")})`;
      const gas = await consider({ kind, seed, inputs: noisy(seed, planDearRun(seed, w, i * 64 + 8 + r)) });
      if (gas > top.gas) top = { gas, w };
    }
  }
  return { ...best, tried };
}

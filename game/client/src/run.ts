/**
 * A run in progress: the sim state, the fixed 20 Hz clock, the keys held, and the actions recorded tick by tick.
 * This module only chooses *which* Action to feed `advance` each tick and keeps the time; every rule lives in
 * game/sim. The recorded actions replay to the same result anywhere (`encodeInputs` -> `replay`).
 */
import {
  Action,
  advance,
  bytesToHex,
  createState,
  encodeInputs,
  EndReason,
  MAX_TICKS,
  resultOf,
  TICK_RATE,
  type RunResult,
  type SimState,
} from "../../sim/index.js";
import { browserStorage, keepRun, type KeepStorage } from "./ranked-keep.js";

export const TICK_MS = 1000 / TICK_RATE;
/** At most this many ticks are caught up per frame (a background tab must not fast-forward the run). */
const MAX_CATCH_UP = 4;

/** What one tick did, for the scene's effects: the flags of `Event`, where, and the action taken. */
export interface TickReport {
  tick: number;
  events: number;
  gain: number;
  surge: number;
  action: Action;
  fromX: number;
  fromY: number;
  x: number;
  y: number;
}

export type RunMode = "practice" | "ranked";

export interface RunSpec {
  mode: RunMode;
  seed: `0x${string}`;
  /** On-chain run id (ranked only). */
  runId?: bigint;
  boostBps?: number;
  /** Last block in which the run may be submitted (ranked only). */
  deadline?: bigint;
  /** Who signs the submission: the session key that started the run, or the wallet. */
  signer?: "session" | "wallet";
  /** Where the run lives (ranked only): its inputs are kept in this browser under chain + registry + run id. */
  chainId?: number;
  registry?: string;
  player?: string;
  /** Rebuilt from the inputs kept in this browser (after a reload): it opens paused, where it stood. */
  resumed?: boolean;
}

export class RunController {
  readonly spec: RunSpec;
  state: SimState;
  /** One action per tick played. */
  private readonly actions = new Uint8Array(MAX_TICKS);
  private held: Action[] = [];
  /** A tap that has not been acted on yet: kept until a tick can use it, so short taps are never lost. */
  private tapped: Action = Action.NONE;
  private acc = 0;
  paused = false;
  /** Set when the player ends the run early: the inputs then stop at the last tick played. */
  endedByPlayer = false;
  /** Why the run ended, when the page ended it (a resumed run with no time left to play on). */
  endNote: string | null = null;
  /** Frames the scene has drawn while this run was on (paused or not): the clock's driver, for the run probe. */
  frames = 0;

  /** Where a ranked run's inputs are kept as they are played (null: not kept). */
  private readonly keepIn: KeepStorage | null;

  constructor(spec: RunSpec, storage: KeepStorage | null = browserStorage()) {
    this.spec = spec;
    this.state = createState(spec.seed);
    this.keepIn = spec.mode === "ranked" && spec.runId !== undefined && spec.chainId !== undefined && spec.registry && spec.player ? storage : null;
  }

  /**
   * A ranked run rebuilt from its kept inputs: the sim replays them from the seed, so the state is exactly the one
   * the inputs were kept at. It opens paused (the player resumes it); an ended run is over at once.
   */
  static restore(spec: RunSpec, actions: ArrayLike<number>, ended: boolean, storage: KeepStorage | null = browserStorage()): RunController {
    const c = new RunController({ ...spec, resumed: true }, storage);
    for (let i = 0; i < actions.length && c.state.ended === EndReason.RUNNING; i++) {
      const a = actions[i]! as Action;
      c.actions[c.state.tick] = a;
      advance(c.state, a);
    }
    if (ended) c.finish();
    else c.paused = !c.over;
    return c;
  }

  /** Keeps a ranked run's inputs so far in this browser (ranked-keep.ts). */
  keep(): void {
    const { spec, keepIn } = this;
    if (!keepIn || spec.runId === undefined || spec.chainId === undefined || !spec.registry || !spec.player) return;
    keepRun(keepIn, {
      chainId: spec.chainId,
      registry: spec.registry,
      player: spec.player,
      runId: spec.runId.toString(),
      seed: spec.seed,
      boostBps: spec.boostBps ?? 0,
      deadline: (spec.deadline ?? 0n).toString(),
      signer: spec.signer ?? "wallet",
      inputs: this.inputsHex(),
      ticks: this.state.tick,
      ended: this.over,
      savedAt: Date.now(),
    });
  }

  get over(): boolean {
    return this.state.ended !== EndReason.RUNNING || this.endedByPlayer;
  }

  /** Fraction of the next tick elapsed, for interpolation (0..1). */
  get alpha(): number {
    return this.acc / TICK_MS;
  }

  press(a: Action): void {
    if (a === Action.NONE) return;
    this.held = this.held.filter((h) => h !== a);
    this.held.push(a);
    this.tapped = a;
  }

  release(a: Action): void {
    this.held = this.held.filter((h) => h !== a);
  }

  releaseAll(): void {
    this.held = [];
    this.tapped = Action.NONE;
  }

  /** The action for the next tick: the latest key still held, else the last tap not yet used. */
  private nextAction(): Action {
    const held = this.held[this.held.length - 1];
    if (held !== undefined) return held;
    return this.tapped;
  }

  /** Plays one tick. */
  tick(): TickReport {
    const s = this.state;
    const action = this.nextAction();
    // The sim ignores input while the prospector is busy; a tap waits for a tick where it counts.
    if (s.cooldown === 0) this.tapped = Action.NONE;
    const fromX = s.x;
    const fromY = s.y;
    this.actions[s.tick] = action;
    advance(s, action);
    this.keep();
    return { tick: s.tick, events: s.events, gain: s.lastGain, surge: s.surge, action, fromX, fromY, x: s.x, y: s.y };
  }

  /** Advances the clock by `deltaMs` of real time and plays the ticks that fall due. */
  update(deltaMs: number): TickReport[] {
    const reports: TickReport[] = [];
    this.frames++;
    if (this.paused || this.over) return reports;
    this.acc += Math.min(deltaMs, TICK_MS * MAX_CATCH_UP);
    while (this.acc >= TICK_MS && !this.over) {
      this.acc -= TICK_MS;
      reports.push(this.tick());
    }
    if (this.over) this.acc = 0;
    return reports;
  }

  /** Ends the run now (the player's choice); the inputs cover the ticks played. */
  finish(): void {
    if (this.state.ended === EndReason.RUNNING) this.endedByPlayer = true;
    this.keep();
  }

  /** The run's inputs in the on-chain format. */
  inputs(): Uint8Array {
    return encodeInputs(this.actions.subarray(0, this.state.tick));
  }

  inputsHex(): `0x${string}` {
    return bytesToHex(this.inputs());
  }

  /** The actions played so far, one per tick (what `inputs()` encodes). */
  actionsPlayed(): number[] {
    return Array.from(this.actions.subarray(0, this.state.tick));
  }

  result(): RunResult {
    return resultOf(this.state);
  }

  /** Why the run ended, in words. */
  endReason(): string {
    if (this.endNote) return this.endNote;
    if (this.endedByPlayer) return "You climbed out";
    switch (this.state.ended) {
      case EndReason.TIME:
        return "Time is up";
      case EndReason.EXHAUSTED:
        return "Out of energy";
      case EndReason.OUT_OF_LIVES:
        return "Out of lives";
      default:
        return "Run over";
    }
  }
}

/** A random practice seed (practice runs are never submitted, so any seed will do). */
export function randomSeed(): `0x${string}` {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return bytesToHex(bytes);
}

const SEED = /^0x[0-9a-fA-F]{64}$/;

/**
 * The seed given with `?seed=0x…` (32 bytes, 64 hex digits) in the page URL, if any: practice runs then dig that
 * mine instead of a random one, so a test (or a player sharing a mine) gets the same ground every time. Ranked runs
 * never read it: their seed comes from the chain.
 */
export function seedFromUrl(): `0x${string}` | null {
  if (urlSeed === undefined) urlSeed = readUrlSeed();
  return urlSeed;
}
let urlSeed: `0x${string}` | null | undefined;

function readUrlSeed(): `0x${string}` | null {
  const search = (globalThis as { location?: { search: string } }).location?.search;
  const value = search === undefined ? null : new URLSearchParams(search).get("seed");
  if (value === null) return null;
  if (SEED.test(value)) return value.toLowerCase() as `0x${string}`;
  console.warn(`?seed= must be 0x followed by 64 hex digits (32 bytes); got "${value}": practice uses a random mine`);
  return null;
}

/** The seed of the next practice run: `?seed=` from the page URL, else a random one. */
export function practiceSeed(): `0x${string}` {
  return seedFromUrl() ?? randomSeed();
}

/**
 * What `window.__surgeRun()` answers: the run on screen as the sim sees it, read-only, for the browser tests to wait
 * on the game's state (tick, position, cooldown) instead of on the wall clock. `actions` (every action played, one
 * per tick) only with `__surgeRun(true)`; replaying them from `seed` gives the exact sim state.
 */
export interface RunProbe {
  mode: RunMode;
  seed: `0x${string}`;
  tick: number;
  x: number;
  y: number;
  energy: number;
  lives: number;
  gold: number;
  maxDepth: number;
  /** Ticks before an input counts again (0: the next key acts at the next tick). */
  cooldown: number;
  paused: boolean;
  over: boolean;
  /** Frames drawn during this run, paused or not. */
  frames: number;
  actions?: number[];
}

export function probeRun(c: RunController, withActions = false): RunProbe {
  const s = c.state;
  return {
    mode: c.spec.mode,
    seed: c.spec.seed,
    tick: s.tick,
    x: s.x,
    y: s.y,
    energy: s.energy,
    lives: s.lives,
    gold: s.gold,
    maxDepth: s.maxDepth,
    cooldown: s.cooldown,
    paused: c.paused,
    over: c.over,
    frames: c.frames,
    ...(withActions ? { actions: c.actionsPlayed() } : {}),
  };
}

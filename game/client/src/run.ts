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

  constructor(spec: RunSpec) {
    this.spec = spec;
    this.state = createState(spec.seed);
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
    return { tick: s.tick, events: s.events, gain: s.lastGain, surge: s.surge, action, fromX, fromY, x: s.x, y: s.y };
  }

  /** Advances the clock by `deltaMs` of real time and plays the ticks that fall due. */
  update(deltaMs: number): TickReport[] {
    const reports: TickReport[] = [];
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
  }

  /** The run's inputs in the on-chain format. */
  inputs(): Uint8Array {
    return encodeInputs(this.actions.subarray(0, this.state.tick));
  }

  inputsHex(): `0x${string}` {
    return bytesToHex(this.inputs());
  }

  result(): RunResult {
    return resultOf(this.state);
  }

  /** Why the run ended, in words. */
  endReason(): string {
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

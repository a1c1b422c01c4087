/**
 * Planning a prospector's moves with game/sim itself, for the browser tests: the exact state of a run from its seed and
 * actions, the shortest safe dig to a goal from that state, and whole input sequences played as fast as the sim allows.
 * Pure: no page, no clock.
 */
import { Action, advance, Cell, cellAt, createState, DEPTH, EndReason, WIDTH, type CellType, type SimState } from "../game/sim/index.js";

export const TREASURE = new Set<CellType>([Cell.NUGGET, Cell.ORE, Cell.BIG_NUGGET, Cell.GEM]);
/** Cells one move enters: walked through (empty) or dug out (no rock to hit, no gas). */
const ENTERABLE = new Set<CellType>([Cell.EMPTY, Cell.DIRT, Cell.CANTEEN, ...TREASURE]);

export interface Step {
  action: Action;
  x: number;
  y: number;
}

/** Which cells a plan is looking for. */
export type Goal = (s: SimState, x: number, y: number) => boolean;
export const toTreasure: Goal = (s, x, y) => TREASURE.has(cellAt(s, x, y));
export const toDepth =
  (depth: number): Goal =>
  (_s, _x, y) =>
    y >= depth;
export const toCell =
  (cx: number, cy: number): Goal =>
  (_s, x, y) =>
    x === cx && y === cy;

/** The nearest cell (in safe moves) that meets `goal`, fixed once so that reaching it ends the plan. */
export function targetOf(s: SimState, goal: Goal): { x: number; y: number } | null {
  const path = planPath(s, goal);
  if (path === null) return null;
  return path.length === 0 ? { x: s.x, y: s.y } : { x: path[path.length - 1]!.x, y: path[path.length - 1]!.y };
}

/** The sim state after `actions` (one per tick) from `seed`: exactly what the page computed for the same actions. */
export function stateAfter(seed: string, actions: ArrayLike<number>): SimState {
  const s = createState(seed);
  for (let i = 0; i < actions.length; i++) advance(s, actions[i] as Action);
  return s;
}

const MOVES = [
  [Action.DOWN, 0, 1],
  [Action.LEFT, -1, 0],
  [Action.RIGHT, 1, 0],
  [Action.UP, 0, -1],
] as const;

/**
 * The shortest path from the prospector's cell in `s` to a cell meeting `goal`, one cell per action, through cells
 * entered in one move (no rock to break, no gas), never into a cell under a boulder or a falling rock (digging it
 * would bring the rock down). Cells change only where the prospector digs, so the plan holds while nothing falls.
 * Empty when the prospector already stands on a goal cell; null when no goal cell is reachable within `maxDepth`.
 */
export function planPath(s: SimState, goal: Goal, maxDepth = 60): Step[] | null {
  const key = (x: number, y: number) => y * WIDTH + x;
  const from = new Map<number, { prev: number } & Step>();
  const queue: [number, number][] = [[s.x, s.y]];
  from.set(key(s.x, s.y), { prev: -1, action: Action.NONE, x: s.x, y: s.y });
  for (let head = 0; head < queue.length; head++) {
    const [x, y] = queue[head]!;
    if (goal(s, x, y)) {
      const path: Step[] = [];
      for (let k = key(x, y); from.get(k)!.prev !== -1; k = from.get(k)!.prev) {
        const { action, x: px, y: py } = from.get(k)!;
        path.unshift({ action, x: px, y: py });
      }
      return path;
    }
    for (const [action, dx, dy] of MOVES) {
      const nx = x + dx;
      const ny = y + dy;
      if (nx < 0 || nx >= WIDTH || ny < 0 || ny > Math.min(maxDepth, DEPTH - 1) || from.has(key(nx, ny))) continue;
      if (!ENTERABLE.has(cellAt(s, nx, ny))) continue;
      if (ny > 0 && (cellAt(s, nx, ny - 1) === Cell.BOULDER || cellAt(s, nx, ny - 1) === Cell.FALLING)) continue;
      from.set(key(nx, ny), { prev: key(x, y), action, x: nx, y: ny });
      queue.push([nx, ny]);
    }
  }
  return null;
}

/**
 * One action per tick that takes a run from its start through each goal in turn, acting on every tick the sim
 * accepts input (idle ticks are NONE), as the browser would record it. Throws when a goal is out of reach.
 */
export function actionsThrough(seed: string, goals: Goal[]): Action[] {
  const s = createState(seed);
  const actions: Action[] = [];
  for (const goal of goals) {
    const target = targetOf(s, goal);
    if (target === null) throw new Error(`no safe dig from (${s.x}, ${s.y}) to the goal for seed ${seed}`);
    for (;;) {
      if (s.ended !== EndReason.RUNNING) throw new Error(`the run of seed ${seed} ended (reason ${s.ended}) before its goals`);
      if (s.cooldown > 0) {
        actions.push(Action.NONE);
        advance(s, Action.NONE);
        continue;
      }
      const path = planPath(s, toCell(target.x, target.y));
      if (path === null) throw new Error(`no safe dig from (${s.x}, ${s.y}) to (${target.x}, ${target.y}) for seed ${seed}`);
      if (path.length === 0) break;
      actions.push(path[0]!.action);
      advance(s, path[0]!.action);
    }
  }
  return actions;
}

/** Helpers shared by the browser tests. */
import { expect, type Page } from "@playwright/test";
import { Action } from "../game/sim/index.js";
import { planPath, stateAfter, targetOf, toCell, type Goal } from "./plan.js";
import type { RunProbe as ClientRunProbe } from "../game/client/src/run.js";
import type { GamePhase } from "../game/client/src/store.js";

export function appUrl(query = ""): string {
  const base = process.env.E2E_BASE_URL;
  if (!base) throw new Error("E2E_BASE_URL is not set: run through `npm run test:e2e` (global setup serves the build)");
  return `${base}${query}`;
}

export async function startPractice(page: Page): Promise<void> {
  await page.getByTestId("play-practice").click();
  await enterMine(page);
}

/** Waits for the run's title card and starts the run with Enter. */
export async function enterMine(page: Page): Promise<void> {
  const host = page.getByTestId("game-host");
  await expect(host).toHaveAttribute("data-phase", "ready", { timeout: 30_000 });
  await page.keyboard.press("Enter");
  await expect(host).toHaveAttribute("data-phase", "playing");
}


/** What the page's `window.__surgeRun()` answers: the client's own probe type, plus the page's phase. */
export type RunProbe = ClientRunProbe & { phase: GamePhase };

/** The run on screen as the page's sim sees it (null before a run starts). */
export async function probeRun(page: Page, withActions = false): Promise<RunProbe | null> {
  return page.evaluate(
    (w) => (globalThis as unknown as { __surgeRun?: (w: boolean) => RunProbe | null }).__surgeRun?.(w) ?? null,
    withActions,
  );
}

/**
 * Waits until the run's state meets `ready` (checked every 50 ms, as often as the page answers). `timeout` only bounds
 * a test that is stuck: the condition is on the game's state, never on how much time passed.
 */
export async function waitForRun(
  page: Page,
  what: string,
  ready: (p: RunProbe) => boolean,
  { timeout = 60_000, withActions = false } = {},
): Promise<RunProbe> {
  const until = Date.now() + timeout;
  for (;;) {
    const last = await probeRun(page, withActions);
    if (last && ready(last)) return last;
    if (Date.now() > until) {
      const { actions: _actions, ...shown } = last ?? {};
      throw new Error(`the run never reached "${what}" (waited ${timeout / 1000} s); its state: ${JSON.stringify(shown)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Plays a first move that the run records, whatever the world: a dig, a hit, or a step. Straight down from the spawn
 * may be bedrock (a bump changes nothing: the seed decides), so the keys are tried in turn, each until the run shows
 * its effect or a few seconds pass; then the last wait bounds only a stuck test.
 */
export async function firstMove(page: Page, fresh: RunProbe): Promise<RunProbe> {
  const moved = (p: RunProbe) => p.energy < fresh.energy || p.x !== fresh.x || p.y !== fresh.y || p.over;
  for (const key of ["ArrowDown", "ArrowLeft", "ArrowRight"]) {
    await page.keyboard.press(key);
    const after = await waitForRun(page, "a first move", moved, { timeout: 5_000 }).catch(() => null);
    if (after !== null) return after;
  }
  return waitForRun(page, "a first move", moved);
}

/** Waits until the page has drawn `n` more frames of the run (the frames drive its clock). */
export async function waitFrames(page: Page, n: number): Promise<RunProbe> {
  const from = (await probeRun(page))!.frames;
  return waitForRun(page, `${n} more frames`, (p) => p.frames >= from + n);
}

const KEY: Record<number, string> = { [Action.LEFT]: "ArrowLeft", [Action.RIGHT]: "ArrowRight", [Action.UP]: "ArrowUp", [Action.DOWN]: "ArrowDown" };
const PAD: Record<number, string> = { [Action.LEFT]: "left", [Action.RIGHT]: "right", [Action.UP]: "up", [Action.DOWN]: "down" };

/** Presses an action's arrow key. */
export const byKeyboard = (page: Page) => (a: Action) => page.keyboard.press(KEY[a]!);
/** Taps an action's button on the touch pad. */
export const byTouch = (page: Page) => (a: Action) => page.getByRole("button", { name: PAD[a]!, exact: true }).tap();

/**
 * Digs to the nearest cell meeting `goal` (chosen once, from the run's exact state), one input at a time: waits until
 * the prospector is idle (cooldown 0), rebuilds the page's exact sim state from its seed and actions, plans from
 * there, gives the plan's first action, and waits until the prospector has moved. Planning from the actual cell after
 * every input makes it immune to a late key release (a held key that moved twice) on a busy machine. Returns the
 * state on the goal cell.
 */
export async function digTo(page: Page, goal: Goal, act: (a: Action) => Promise<void>, maxSteps = 120): Promise<RunProbe> {
  let target: { x: number; y: number } | null = null;
  for (let i = 0; i < maxSteps; i++) {
    const p = await waitForRun(page, "the prospector is idle", (q) => q.phase === "playing" && !q.paused && (q.cooldown === 0 || q.over), {
      withActions: true,
    });
    if (p.over) throw new Error(`the run ended before reaching its goal: ${JSON.stringify({ ...p, actions: undefined })}`);
    const s = stateAfter(p.seed, p.actions!);
    // The page's sim and game/sim agree on every tick: the plan starts from where the prospector really is.
    expect([s.tick, s.x, s.y, s.gold, s.cooldown], "the page's state equals a replay of its actions").toEqual([p.tick, p.x, p.y, p.gold, p.cooldown]);
    target ??= targetOf(s, goal);
    if (target === null) throw new Error(`no safe dig to the goal from (${s.x}, ${s.y}) in the mine of ${p.seed}`);
    const path = planPath(s, toCell(target.x, target.y));
    if (path === null) throw new Error(`(${target.x}, ${target.y}) became unreachable from (${s.x}, ${s.y})`);
    if (path.length === 0) return p;
    await act(path[0]!.action);
    await waitForRun(page, `a move from (${p.x}, ${p.y})`, (q) => q.x !== p.x || q.y !== p.y || q.over);
  }
  throw new Error(`no goal after ${maxSteps} inputs`);
}

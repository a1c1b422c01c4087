/**
 * Layout (issue 16, item 6) at 1280x800, 1366x768 and 390x844: a run plays without scrolling the page (on a phone the
 * pad's ▼ is on screen), the result and "Play again" are in view when the run ends, zoom is allowed, and coming back
 * to the Play tab mid-run shows the mine as it stood (paused), not a title card. No chain needed. Screenshots at each
 * size are kept in test-results/.
 */
import { expect, test, type Page } from "@playwright/test";
import { Action, Cell, cellAt, DEPTH, WIDTH, type SimState } from "../game/sim/index.js";
import { appUrl, byKeyboard, byTouch, digTo, probeRun, waitForRun } from "./app.js";
import { stateAfter, toDepth, type Goal } from "./plan.js";

const SEED = `0x${"5eed".repeat(16)}` as const;

/** How far the page scrolls: 0 when everything fits the window. */
const overflow = (page: Page) =>
  page.evaluate(() => {
    const g = globalThis as unknown as { document: { scrollingElement: { scrollHeight: number } }; innerHeight: number };
    return g.document.scrollingElement.scrollHeight - g.innerHeight;
  });

const SIZES = [
  { name: "1280x800", viewport: { width: 1280, height: 800 }, touch: false },
  { name: "1366x768", viewport: { width: 1366, height: 768 }, touch: false },
  { name: "390x844", viewport: { width: 390, height: 844 }, touch: true },
];

for (const size of SIZES) {
  test.describe(`at ${size.name}`, () => {
    test.use(size.touch ? { viewport: size.viewport, hasTouch: true, isMobile: true } : { viewport: size.viewport });

    test("a run plays without page scroll and ends with its result in view", async ({ page }, info) => {
      await page.goto(appUrl(`?seed=${SEED}`));
      const meta = await page.locator('meta[name="viewport"]').getAttribute("content");
      expect(meta, "zoom is allowed").not.toMatch(/user-scalable\s*=\s*no|maximum-scale/);
      await page.getByTestId("play-practice").click();
      const host = page.getByTestId("game-host");
      await expect(host).toHaveAttribute("data-phase", "ready", { timeout: 30_000 });
      if (size.touch) await host.locator("canvas").tap();
      else await page.keyboard.press("Enter");
      await expect(host).toHaveAttribute("data-phase", "playing");

      // During play the page does not scroll, and every control of the run is on screen.
      expect(await overflow(page), "the page scrolls during play").toBeLessThanOrEqual(0);
      await expect(host).toBeInViewport({ ratio: 1 });
      await expect(page.getByTestId("hud")).toBeInViewport({ ratio: 1 });
      if (size.touch) {
        await expect(page.getByRole("button", { name: "down", exact: true })).toBeInViewport({ ratio: 1 });
        await expect(page.getByRole("button", { name: "Climb out" })).toBeInViewport({ ratio: 1 });
      }
      await digTo(page, toDepth(3), size.touch ? byTouch(page) : byKeyboard(page));
      expect(await overflow(page), "the page scrolls during play").toBeLessThanOrEqual(0);
      await page.screenshot({ path: info.outputPath(`layout-${size.name}-playing.png`) });

      // Climb out: the result and "Play again" are in view.
      if (size.touch) await page.getByRole("button", { name: "Climb out" }).tap();
      else await page.keyboard.press("KeyQ");
      await expect(host).toHaveAttribute("data-phase", "over");
      await expect(page.getByTestId("outcome-gold")).toBeInViewport();
      await expect(page.getByTestId("play-again")).toBeInViewport({ ratio: 1 });
      await page.screenshot({ path: info.outputPath(`layout-${size.name}-result.png`) });
    });
  });
}

test("back on the Play tab mid-run, the mine comes back paused where it stood", async ({ page }, info) => {
  await page.goto(appUrl(`?seed=${SEED}`));
  await page.getByTestId("play-practice").click();
  const host = page.getByTestId("game-host");
  await expect(host).toHaveAttribute("data-phase", "ready", { timeout: 30_000 });
  await page.keyboard.press("Enter");
  await expect(host).toHaveAttribute("data-phase", "playing");
  const there = await digTo(page, toDepth(2), byKeyboard(page));
  await page.getByTestId("tab-leaderboard").click();
  await expect(host).toHaveCount(0);
  await page.getByTestId("tab-play").click();
  // No title card: the same run, paused, the HUD showing where the prospector stands.
  await expect(page.getByTestId("game-host")).toHaveAttribute("data-phase", "paused", { timeout: 30_000 });
  const back = await waitForRun(page, "paused", (p) => p.paused);
  expect([back.x, back.y, back.seed]).toEqual([there.x, there.y, there.seed]);
  await expect(page.getByTestId("hud")).toHaveAttribute("data-pos", `${there.x},${there.y}`);
  await page.screenshot({ path: info.outputPath("layout-back-to-play-paused.png") });
  await page.keyboard.press("KeyP");
  await expect(page.getByTestId("game-host")).toHaveAttribute("data-phase", "playing");
  await page.keyboard.press("ArrowDown");
  await waitForRun(page, "playing on", (p) => p.tick > back.tick);
  expect((await probeRun(page))!.over).toBe(false);
});

/** A cell from which one move (down, left or right) walks into a gas pocket. */
const GAS_MOVES = [
  [Action.DOWN, 0, 1],
  [Action.LEFT, -1, 0],
  [Action.RIGHT, 1, 0],
] as const;
const gasMove = (s: SimState, x: number, y: number) =>
  GAS_MOVES.find(([, dx, dy]) => x + dx >= 0 && x + dx < WIDTH && y + dy < DEPTH && cellAt(s, x + dx, y + dy) === Cell.GAS);
const nextToGas: Goal = (s, x, y) => gasMove(s, x, y) !== undefined;

test("a run that ends in gas leaves the mine under OUT OF LIVES, not a frozen flash", async ({ page }, info) => {
  await page.goto(appUrl(`?seed=${SEED}`));
  await page.getByTestId("play-practice").click();
  const host = page.getByTestId("game-host");
  await expect(host).toHaveAttribute("data-phase", "ready", { timeout: 30_000 });
  await page.keyboard.press("Enter");
  await expect(host).toHaveAttribute("data-phase", "playing");
  const key = byKeyboard(page);
  // Three lives lost to gas. Each time the move into gas is taken from the prospector's actual state: when a plan
  // ends elsewhere than a cell next to gas (seen once on a loaded machine), it is made again from where it stands.
  for (let hits = 0, plans = 0; hits < 3; plans++) {
    expect(plans, "plans to reach a cell next to gas").toBeLessThan(12);
    const p = await digTo(page, nextToGas, key, 200);
    const s = stateAfter(p.seed, p.actions!);
    const move = gasMove(s, s.x, s.y);
    if (move === undefined) continue;
    await key(move[0]);
    await waitForRun(page, "a life lost to gas", (q) => q.lives < p.lives || q.over);
    hits++;
  }
  await expect(host).toHaveAttribute("data-phase", "over");
  await expect(page.getByTestId("outcome")).toContainText(/lives/i);
  await expect(page.getByTestId("play-again")).toBeInViewport({ ratio: 1 });
  // The flash of the last gas pocket must not stay frozen over the mine: the mine's canvas keeps its colours (a frozen
  // green flash would make every pixel green-dominated).
  await host.locator("canvas").screenshot({ path: info.outputPath("layout-gas-end.png") });
  const colours = await host.locator("canvas").evaluate((el) => {
    const c = el as unknown as { width: number; height: number; getContext(t: "2d"): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    const seen = new Set<string>();
    for (let y = 8; y < c.height / 3; y += 16) {
      for (let x = 8; x < c.width; x += 16) seen.add(Array.from(c.getContext("2d").getImageData(x, y, 1, 1).data).join(","));
    }
    return seen.size;
  });
  expect(colours, "the mine under the result is drawn, not one flat colour").toBeGreaterThan(4);
});

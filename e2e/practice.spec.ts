/**
 * (a) A practice run: no wallet, played by keyboard, its result shown and equal to a replay of its inputs. The mine is
 * fixed with `?seed=` and every key is planned from the run's actual state, so the run is the same on any machine;
 * the tests wait on the game's state (tick, cell, cooldown), never on the wall clock.
 */
import { expect, test } from "@playwright/test";
import { hexToBytes, replay } from "../game/sim/index.js";
import { appUrl, byKeyboard, byTouch, digTo, enterMine, probeRun, waitForRun, waitFrames } from "./app.js";
import { toDepth, toTreasure } from "./plan.js";

/** A mine with a nugget and safe dirt down to depth 7 near the start (e2e/plan.ts finds the way). */
const SEED = `0x${"5eed".repeat(16)}` as const;

test("a practice run plays by keyboard and shows its result", async ({ page }, info) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(appUrl(`?seed=${SEED}`));
  await page.getByTestId("play-practice").click();
  await expect(page.getByTestId("game-host")).toHaveAttribute("data-phase", "ready", { timeout: 30_000 });
  await expect(page.getByTestId("game-host")).toHaveAttribute("data-seed", SEED);
  await page.screenshot({ path: info.outputPath("practice-title.png") });
  await enterMine(page);

  // Dig to the nearest treasure, then down to depth 6: digging costs energy and takes the prospector deeper.
  const key = byKeyboard(page);
  const atTreasure = await digTo(page, toTreasure, key);
  expect(atTreasure.gold).toBeGreaterThan(0);
  const deep = await digTo(page, toDepth(6), key);
  expect(deep.y).toBeGreaterThanOrEqual(6);
  // The prospector left the start cell (8, 0) and the clock runs (a second of sim time shows as 2:59).
  await expect(page.getByTestId("hud")).not.toHaveAttribute("data-pos", "8,0");
  await waitForRun(page, "a second played", (p) => p.tick >= 20);
  await expect(page.getByTestId("hud-time")).not.toHaveText("3:00");
  await page.screenshot({ path: info.outputPath("practice-playing.png") });

  // Pause stops the clock: while paused, 30 frames are drawn (half a second at 60 fps, far more ticks' worth than
  // one at any frame rate) and no tick is played.
  await page.keyboard.press("KeyP");
  await expect(page.getByTestId("game-host")).toHaveAttribute("data-phase", "paused");
  const paused = await waitForRun(page, "paused", (p) => p.paused);
  const frozen = await page.getByTestId("hud-time").textContent();
  const later = await waitFrames(page, 30);
  expect(later.tick).toBe(paused.tick);
  expect(await page.getByTestId("hud-time").textContent()).toBe(frozen);
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("game-host")).toHaveAttribute("data-phase", "playing");
  // Resumed, the clock runs again: play on past tick 40 before climbing out.
  await waitForRun(page, "tick 41", (p) => p.tick > Math.max(paused.tick, 40));

  // Climb out: the run ends and the result is shown.
  await page.keyboard.press("KeyQ");
  const outcome = page.getByTestId("outcome");
  await expect(outcome).toBeVisible();
  await expect(page.getByTestId("game-host")).toHaveAttribute("data-phase", "over");
  const shownGold = Number(await page.getByTestId("outcome-gold").textContent());
  const hudGold = Number(await page.getByTestId("hud-gold").textContent());
  expect(shownGold).toBe(hudGold);
  const inputs = page.getByTestId("outcome-inputs");
  const seed = (await inputs.getAttribute("data-seed")) as string;
  expect(seed).toBe(SEED);
  const hex = (await inputs.textContent()) as string;
  // The page's inputs replay to the page's result: the game drew exactly what game/sim computes.
  const result = replay(seed, hexToBytes(hex));
  expect(result.gold).toBe(shownGold);
  expect(result.gold).toBeGreaterThan(0);
  expect(result.maxDepth).toBeGreaterThan(3);
  expect(result.ticks).toBeGreaterThan(40);
  const final = await probeRun(page);
  expect([result.ticks, result.maxDepth]).toEqual([final!.tick, final!.maxDepth]);
  await page.screenshot({ path: info.outputPath("practice-result.png") });
  expect(errors).toEqual([]);
});

test.describe("on a phone-sized touch screen", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test("the touch pad plays and pauses the run", async ({ page }, info) => {
    await page.goto(appUrl(`?seed=${SEED}`));
    await page.getByTestId("play-practice").click();
    const host = page.getByTestId("game-host");
    await expect(host).toHaveAttribute("data-phase", "ready", { timeout: 30_000 });
    await host.locator("canvas").tap();
    await expect(host).toHaveAttribute("data-phase", "playing");
    // Down, sideways and down again by the pad's buttons, each tap planned from where the prospector stands.
    const tap = byTouch(page);
    const reached = await digTo(page, toTreasure, tap);
    expect(reached.gold).toBeGreaterThan(0);
    await digTo(page, toDepth(4), tap);
    await expect(page.getByTestId("hud")).not.toHaveAttribute("data-pos", "8,0");
    await page.getByRole("button", { name: "Pause" }).tap();
    await expect(host).toHaveAttribute("data-phase", "paused");
    const paused = await waitForRun(page, "paused", (p) => p.paused);
    expect((await waitFrames(page, 30)).tick).toBe(paused.tick);
    await page.getByRole("button", { name: "Pause" }).tap();
    await expect(host).toHaveAttribute("data-phase", "playing");
    await waitForRun(page, "the clock runs again", (p) => p.tick > paused.tick);
    await page.screenshot({ path: info.outputPath("touch-playing.png"), fullPage: true });
    await page.getByRole("button", { name: "Climb out" }).tap();
    await expect(page.getByTestId("outcome")).toBeVisible();
    const final = await probeRun(page);
    expect(final!.over).toBe(true);
    expect(final!.maxDepth).toBeGreaterThanOrEqual(4);
  });
});

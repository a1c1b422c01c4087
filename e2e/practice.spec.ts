/** (a) A practice run: no wallet, played by keyboard, its result shown and equal to a replay of its inputs. */
import { expect, test } from "@playwright/test";
import { hexToBytes, replay } from "../game/sim/index.js";
import { appUrl, enterMine } from "./app.js";

test("a practice run plays by keyboard and shows its result", async ({ page }, info) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(appUrl());
  await page.getByTestId("play-practice").click();
  await expect(page.getByTestId("game-host")).toHaveAttribute("data-phase", "ready", { timeout: 30_000 });
  await page.screenshot({ path: info.outputPath("practice-title.png") });
  await enterMine(page);

  // Dig straight down for a while: digging costs energy and takes the prospector deeper.
  await page.keyboard.down("ArrowDown");
  await page.waitForTimeout(1500);
  await page.keyboard.up("ArrowDown");
  for (const key of ["ArrowLeft", "ArrowLeft", "KeyS", "KeyD", "KeyD", "KeyD", "Space"]) {
    await page.keyboard.press(key);
    await page.waitForTimeout(160);
  }
  // The prospector left the start cell (8, 0) and the clock runs.
  await expect(page.getByTestId("hud")).not.toHaveAttribute("data-pos", "8,0");
  await expect(page.getByTestId("hud-time")).not.toHaveText("3:00");
  await page.screenshot({ path: info.outputPath("practice-playing.png") });

  // Pause stops the clock.
  await page.keyboard.press("KeyP");
  await expect(page.getByTestId("game-host")).toHaveAttribute("data-phase", "paused");
  const frozen = await page.getByTestId("hud-time").textContent();
  await page.waitForTimeout(1200);
  expect(await page.getByTestId("hud-time").textContent()).toBe(frozen);
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("game-host")).toHaveAttribute("data-phase", "playing");

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
  const hex = (await inputs.textContent()) as string;
  // The page's inputs replay to the page's result: the game drew exactly what game/sim computes.
  const result = replay(seed, hexToBytes(hex));
  expect(result.gold).toBe(shownGold);
  expect(result.maxDepth).toBeGreaterThan(3);
  expect(result.ticks).toBeGreaterThan(40);
  await page.screenshot({ path: info.outputPath("practice-result.png") });
  expect(errors).toEqual([]);
});

test.describe("on a phone-sized touch screen", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test("the touch pad plays and pauses the run", async ({ page }, info) => {
    await page.goto(appUrl());
    await page.getByTestId("play-practice").click();
    const host = page.getByTestId("game-host");
    await expect(host).toHaveAttribute("data-phase", "ready", { timeout: 30_000 });
    await host.locator("canvas").tap();
    await expect(host).toHaveAttribute("data-phase", "playing");
    for (const name of ["down", "down", "left", "down", "right", "right"]) {
      await page.getByRole("button", { name, exact: true }).tap();
      await page.waitForTimeout(200);
    }
    await expect(page.getByTestId("hud")).not.toHaveAttribute("data-pos", "8,0");
    await page.getByRole("button", { name: "Pause" }).tap();
    await expect(host).toHaveAttribute("data-phase", "paused");
    await page.getByRole("button", { name: "Pause" }).tap();
    await expect(host).toHaveAttribute("data-phase", "playing");
    await page.screenshot({ path: info.outputPath("touch-playing.png"), fullPage: true });
    await page.getByRole("button", { name: "Climb out" }).tap();
    await expect(page.getByTestId("outcome")).toBeVisible();
  });
});

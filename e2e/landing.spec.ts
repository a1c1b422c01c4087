/**
 * The landing page and the sound (issue 16, items 4 and 5). The attract loop is waited on through
 * `window.__surgeAttract()` (ticks played) and the sound through `window.__surgeSound()` (switch, AudioContext state,
 * effects played): every wait is on the page's state, never on the wall clock.
 */
import { expect, test, type Page } from "@playwright/test";
import { Action } from "../game/sim/index.js";
import { appUrl, byKeyboard, digTo, enterMine, waitForRun } from "./app.js";
import { toTreasure } from "./plan.js";

/** The practice spec's mine: a nugget a few safe digs from the start. */
const SEED = `0x${"5eed".repeat(16)}` as const;

interface AttractProbe {
  tick: number;
  ticks: number;
  loops: number;
  frames: number;
  artLoaded: boolean;
}
interface SoundProbe {
  muted: boolean;
  contextState: "none" | "suspended" | "running" | "closed";
  played: Record<string, number>;
}

const attract = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { __surgeAttract?: () => AttractProbe | null }).__surgeAttract?.() ?? null);
const sound = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { __surgeSound: () => SoundProbe }).__surgeSound());

/** Waits until the attract loop meets `ready` (polled; the timeout only bounds a stuck page). */
async function waitForAttract(page: Page, what: string, ready: (p: AttractProbe) => boolean): Promise<AttractProbe> {
  let last: AttractProbe | null = null;
  await expect
    .poll(async () => {
      last = await attract(page);
      return last !== null && ready(last);
    }, { message: `the attract loop never reached "${what}"`, timeout: 60_000 })
    .toBe(true);
  return last!;
}

const canvasImage = (page: Page) => page.getByTestId("attract").evaluate((c) => (c as unknown as { toDataURL(): string }).toDataURL());

test("the landing page plays a recorded run by itself, says what you earn, and offers both ways to play", async ({ page }, info) => {
  const scripts: string[] = [];
  page.on("request", (r) => {
    if (r.url().endsWith(".js")) scripts.push(new URL(r.url()).pathname);
  });
  await page.goto(appUrl());
  const line = page.getByTestId("landing-line");
  await expect(line).toBeVisible();
  await expect(line).toHaveText("Dig gold, mint GOLD: every run is replayed by independent workers and provable on-chain.");
  await expect(page.getByTestId("play-practice")).toBeVisible();
  await expect(page.getByTestId("cta-ranked")).toBeVisible();
  await expect(page.getByTestId("attract")).toBeVisible();

  // No click, no key: the mine moves. Two snapshots of the canvas, 20 ticks (a second of the recording) apart, differ.
  const first = await waitForAttract(page, "art loaded and ticking", (p) => p.artLoaded && p.ticks >= 10);
  const before = await canvasImage(page);
  await waitForAttract(page, "20 more ticks", (p) => p.ticks >= first.ticks + 20);
  const after = await canvasImage(page);
  expect(after).not.toBe(before);
  await page.screenshot({ path: info.outputPath("landing-1100x900.png") });
  // The attract loop needs no Phaser: the game chunk is not fetched before Play.
  expect(scripts.filter((p) => p.includes("/game-"))).toEqual([]);
  // And no sound before the player's first input.
  expect((await sound(page)).contextState).toBe("none");

  // Play ranked loads the wallet code and brings the ranked card (its own Play ranked button) into view.
  await page.getByTestId("cta-ranked").click();
  const card = page.getByTestId("ranked-card");
  await expect(card.getByTestId("play-ranked")).toBeVisible({ timeout: 30_000 });
  await expect(card).toBeInViewport();
  await page.screenshot({ path: info.outputPath("landing-ranked.png") });

  // Play practice opens the run's title card; the attract loop stops.
  await page.getByTestId("play-practice").click();
  await expect(page.getByTestId("game-host")).toHaveAttribute("data-phase", "ready", { timeout: 30_000 });
  expect(await attract(page)).toBeNull();
});

test.describe("on a phone-sized screen", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test("the attract loop, the line and both calls to action are on the first screen", async ({ page }, info) => {
    await page.goto(appUrl());
    const first = await waitForAttract(page, "ticking", (p) => p.ticks >= 1);
    await waitForAttract(page, "20 more ticks", (p) => p.ticks >= first.ticks + 20);
    for (const id of ["attract", "landing-line", "play-practice", "cta-ranked"]) await expect(page.getByTestId(id)).toBeInViewport();
    await page.screenshot({ path: info.outputPath("landing-390x844.png") });
  });
});

test("the sound switch is remembered, nothing sounds before the first input, and digging is heard", async ({ page }, info) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(appUrl(`?seed=${SEED}`));
  const toggle = page.getByTestId("sound-toggle");
  await expect(toggle).toHaveText(/Sound on/);
  expect(await sound(page)).toEqual({ muted: false, contextState: "none", played: {} });

  // Off (the click is the first input: the context was created, and muting suspends it), and still off after a
  // reload, where a muted page creates no AudioContext even on input.
  await toggle.click();
  await expect(toggle).toHaveText(/Sound off/);
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await expect.poll(async () => (await sound(page)).contextState).toBe("suspended");
  expect((await sound(page)).muted).toBe(true);
  await page.reload();
  await expect(page.getByTestId("sound-toggle")).toHaveText(/Sound off/);
  expect(await sound(page)).toMatchObject({ muted: true, contextState: "none" });
  await page.getByTestId("attract").click();
  await page.keyboard.press("ArrowDown");
  expect(await sound(page)).toMatchObject({ muted: true, contextState: "none" });

  // On again (the click is an input: the AudioContext starts), and still on after a reload, with no context until
  // the player's first input.
  await page.getByTestId("sound-toggle").click();
  await expect(page.getByTestId("sound-toggle")).toHaveText(/Sound on/);
  await expect.poll(async () => (await sound(page)).contextState).toBe("running");
  await page.reload();
  await expect(page.getByTestId("sound-toggle")).toHaveText(/Sound on/);
  await waitForAttract(page, "ticking", (p) => p.ticks >= 20);
  expect(await sound(page)).toEqual({ muted: false, contextState: "none", played: {} });

  // The first input (Play practice) starts the context; digging to a nugget plays dig and pickup sounds.
  await page.getByTestId("play-practice").click();
  await expect.poll(async () => (await sound(page)).contextState).toBe("running");
  await enterMine(page);
  const key = byKeyboard(page);
  const reached = await digTo(page, toTreasure, key);
  expect(reached.gold).toBeGreaterThan(0);
  const heard = await sound(page);
  expect(heard.played.dig ?? 0).toBeGreaterThan(0);
  expect(heard.played.pickup ?? 0).toBeGreaterThan(0);

  // M mutes during the run: the next digs are silent.
  await page.keyboard.press("KeyM");
  await expect(page.getByTestId("sound-toggle")).toHaveText(/Sound off/);
  const mutedAt = await sound(page);
  expect(mutedAt.muted).toBe(true);
  const from = await waitForRun(page, "idle", (p) => p.cooldown === 0);
  await key(Action.DOWN);
  await waitForRun(page, "a tick after the key", (p) => p.tick > from.tick + 4);
  expect((await sound(page)).played).toEqual(mutedAt.played);

  // Climbing out plays nothing while muted; unmuted, the end of a run is heard.
  await page.getByTestId("sound-toggle").click();
  await page.keyboard.press("KeyQ");
  await expect(page.getByTestId("outcome")).toBeVisible();
  await expect.poll(async () => (await sound(page)).played.runOver ?? 0).toBe(1);
  await page.screenshot({ path: info.outputPath("sound-run-over.png") });
  expect(errors).toEqual([]);
});

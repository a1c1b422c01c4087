/** Helpers shared by the browser tests. */
import { expect, type Page } from "@playwright/test";

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


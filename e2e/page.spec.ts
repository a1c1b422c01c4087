/** The page shell: a first load is clean (no console error, no failed request) and the tab icon is served. */
import { expect, test } from "@playwright/test";
import { appUrl } from "./app.js";

test("a page load logs no console error, fails no request, and /favicon.ico answers 200", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on("response", (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(appUrl(), { waitUntil: "networkidle" });
  await expect(page.getByTestId("play-practice")).toBeVisible();

  // The page names its icon, and the server (vite preview here; vite dev serves public/ the same way) has it.
  const href = await page.locator('link[rel="icon"]').getAttribute("href");
  expect(href).toBe("/favicon.ico");
  const icon = await page.request.get(new URL("/favicon.ico", appUrl()).href);
  expect(icon.status()).toBe(200);
  const body = await icon.body();
  expect([...body.subarray(0, 4)], "an .ico file: reserved 0, type 1 (icon)").toEqual([0, 0, 1, 0]);
  // The browser's own fetch of it, as a tab would do.
  const status = await page.evaluate(async () => (await fetch("/favicon.ico")).status);
  expect(status).toBe(200);
  await page.waitForLoadState("networkidle");
  expect(errors).toEqual([]);
});

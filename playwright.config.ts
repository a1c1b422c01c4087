/**
 * Browser tests of the client (`npm run test:e2e`), in the system's Chromium: CHROME_PATH if set, else
 * /usr/bin/chromium. Global setup builds the client if it is stale, serves the production build with vite preview on a
 * free port, and starts a local chain with the contracts (and worker nodes, when they exist) for the chain tests.
 */
import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

const chromePath = process.env.CHROME_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromePath)) {
  throw new Error(
    `No Chromium at ${chromePath}. Install one (Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y chromium) ` +
      "or point CHROME_PATH at a Chrome/Chromium binary. Do not run `npx playwright install` on offline machines.",
  );
}

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export default defineConfig({
  testDir: "e2e",
  testMatch: "*.spec.ts",
  globalSetup: "./e2e/global-setup.ts",
  // The chain tests share one chain and one deployment file: run one test at a time.
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  outputDir: "test-results",
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    launchOptions: { executablePath: chromePath, args: CHROMIUM_ARGS },
    viewport: { width: 1100, height: 900 },
    screenshot: "on",
    trace: "retain-on-failure",
  },
});

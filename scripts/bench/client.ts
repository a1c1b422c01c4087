/**
 * Browser client figures, from the production build (built first if stale) served by vite preview and played in
 * headless Chromium (CHROME_PATH or /usr/bin/chromium):
 *   client.firstLoadGzipBytes  JS + CSS the browser fetches before the player starts a game, gzipped (-9)
 *   client.entryGzipBytes      the same from the Vite manifest: the entry chunk, its static imports and CSS
 *   client.fps                 median frames per second of the Play scene over 10 s of digging (1 s windows)
 *   client.playableMs          navigation start to the first frame of the Play scene (Play and Enter pressed at once)
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { preview } from "vite";
import { DIST, ensureClientBuilt, ROOT } from "../../e2e/build.js";
import { CHROMIUM_ARGS } from "../../playwright.config.js";

const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

function entryGzipBytes(): number {
  const manifest = JSON.parse(readFileSync(join(DIST, ".vite", "manifest.json"), "utf8")) as Record<string, ManifestChunk>;
  const files = new Set<string>();
  const visit = (key: string) => {
    const c = manifest[key];
    if (!c || files.has(c.file)) return;
    files.add(c.file);
    c.css?.forEach((f) => files.add(f));
    c.imports?.forEach(visit);
  };
  for (const [key, c] of Object.entries(manifest)) if (c.isEntry) visit(key);
  return [...files].reduce((sum, f) => sum + gz(join(DIST, f)), 0);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

export default {
  name: "client",
  async run(): Promise<Record<string, number>> {
    ensureClientBuilt();
    const chromePath = process.env.CHROME_PATH ?? "/usr/bin/chromium";
    if (!existsSync(chromePath)) throw new Error(`no Chromium at ${chromePath}: install one (apt-get install chromium) or set CHROME_PATH`);
    const server = await preview({
      configFile: join(ROOT, "game/client/vite.config.ts"),
      preview: { port: 0, strictPort: false, host: "127.0.0.1", open: false },
      logLevel: "silent",
    });
    const base = server.resolvedUrls!.local[0]!;
    const browser = await chromium.launch({ executablePath: chromePath, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const fetched = new Set<string>();
      page.on("response", (r) => {
        const path = new URL(r.url()).pathname;
        if (/\.(js|css)$/.test(path)) fetched.add(path);
      });
      // A chain URL nobody answers on: the page must load without one (practice needs none).
      await page.goto(`${base}?rpc=http://127.0.0.1:9`, { waitUntil: "networkidle" });
      await page.waitForTimeout(500);
      const firstLoad = [...fetched].reduce((sum, p) => sum + gz(join(DIST, p)), 0);
      if ([...fetched].some((p) => p.includes("/game-"))) throw new Error("the Phaser chunk loaded before Play");

      await page.getByTestId("play-practice").click();
      const host = page.getByTestId("game-host");
      await host.locator("xpath=self::*[@data-phase='ready']").waitFor({ timeout: 60_000 });
      await page.keyboard.press("Enter");
      await host.locator("xpath=self::*[@data-phase='playing']").waitFor({ timeout: 30_000 });
      const playableMs = await page.evaluate<number>("window.__surgePlayableAt ?? NaN");

      await page.keyboard.down("ArrowDown");
      // A string, not a function: tsx would wrap a named function in helpers the page does not have.
      const sampler = page.evaluate<number[]>(`new Promise((resolve) => {
        const stamps = [];
        const t0 = performance.now();
        const frame = (t) => {
          stamps.push(t);
          if (t - t0 < 10000) requestAnimationFrame(frame);
          else resolve(stamps);
        };
        requestAnimationFrame(frame);
      })`);
      for (let i = 0; i < 10; i++) {
        await page.waitForTimeout(900);
        await page.keyboard.press(i % 2 === 0 ? "ArrowLeft" : "ArrowRight");
      }
      const stamps = await sampler;
      await page.keyboard.up("ArrowDown");
      const windows: number[] = [];
      const start = stamps[0]!;
      for (let w = 0; w < 10; w++) windows.push(stamps.filter((t) => t >= start + w * 1000 && t < start + (w + 1) * 1000).length);
      return {
        "client.firstLoadGzipBytes": firstLoad,
        "client.entryGzipBytes": entryGzipBytes(),
        "client.fps": median(windows),
        "client.playableMs": Math.round(playableMs),
      };
    } finally {
      await browser.close();
      await server.close();
    }
  },
};

/** Builds the client into dist/client when the build is missing or older than any of its sources. */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const DIST = join(ROOT, "dist", "client");

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === "node_modules" || name === "deployments") continue;
    m = Math.max(m, newest(join(path, name)));
  }
  return m;
}

export function ensureClientBuilt(): void {
  const index = join(DIST, "index.html");
  const sources = ["game/client", "game/sim", "game/chain", "public/assets"].map((p) => join(ROOT, p));
  const stale = !existsSync(index) || Math.max(...sources.map(newest)) > statSync(index).mtimeMs;
  if (!stale && process.env.E2E_REBUILD !== "1") return;
  console.log("[e2e] building the client (npm run client:build)…");
  execFileSync("npm", ["run", "client:build"], { cwd: ROOT, stdio: "inherit" });
}

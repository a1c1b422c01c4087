/** Whether the client's production build (dist/client) is missing or older than any of its sources. */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { CLIENT_DIST, ROOT } from "./paths.js";

export { CLIENT_DIST };

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === "node_modules" || name === "deployments") continue;
    m = Math.max(m, newest(join(path, name)));
  }
  return m;
}

export function clientBuildIsStale(): boolean {
  const index = join(CLIENT_DIST, "index.html");
  if (!existsSync(index)) return true;
  const sources = ["game/client", "game/sim", "game/chain", "public/assets", "public/favicon.ico"].map((p) => join(ROOT, p));
  return Math.max(...sources.map(newest)) > statSync(index).mtimeMs;
}

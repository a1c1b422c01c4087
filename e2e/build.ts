/** Builds the client into dist/client when the build is missing or older than any of its sources. */
import { execFileSync } from "node:child_process";
import { clientBuildIsStale, CLIENT_DIST } from "../scripts/lib/client-build.js";
import { ROOT } from "../scripts/lib/deploy.js";

export { ROOT };
export const DIST = CLIENT_DIST;

export function ensureClientBuilt(): void {
  if (!clientBuildIsStale() && process.env.E2E_REBUILD !== "1") return;
  console.log("[e2e] building the client (npm run client:build)…");
  execFileSync("npm", ["run", "client:build"], { cwd: ROOT, stdio: "inherit" });
}

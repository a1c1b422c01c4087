/**
 * Builds the client when it is stale. Unless E2E_CHAIN=0, starts the devnet exactly as `npm start` does
 * (scripts/devnet.ts on free ports: hardhat node, the contracts, three worker nodes, the served build; reward reports
 * off) and points the tests at its page (E2E_BASE_URL), chain (E2E_RPC_URL) and deployment. With E2E_CHAIN=0 it only
 * serves the production build with vite preview on a free port.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FullConfig } from "@playwright/test";
import { preview } from "vite";
import { startDevnetProcess } from "../scripts/lib/devnet-process.js";
import { ensureClientBuilt, ROOT } from "./build.js";

const WORKERS = 3;

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  ensureClientBuilt();
  if (process.env.E2E_CHAIN === "0") {
    const server = await preview({
      configFile: `${ROOT}game/client/vite.config.ts`,
      preview: { port: 0, strictPort: false, host: "127.0.0.1", open: false },
      logLevel: "warn",
    });
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error("vite preview did not report a URL");
    process.env.E2E_BASE_URL = url;
    console.log(`[e2e] client at ${url} (no chain: E2E_CHAIN=0)`);
    return async () => {
      await server.close();
    };
  }
  const devnet = await startDevnetProcess({ workers: WORKERS });
  process.env.E2E_BASE_URL = `http://127.0.0.1:${devnet.webPort}/`;
  process.env.E2E_RPC_URL = devnet.url;
  process.env.E2E_WORKERS = String(WORKERS);
  process.env.E2E_DEPLOYMENT = readFileSync(join(ROOT, "public", "deployments", "31337.json"), "utf8");
  console.log(`[e2e] npm start's devnet: page ${process.env.E2E_BASE_URL}, chain ${devnet.url}, ${WORKERS} workers`);
  return async () => {
    const code = await devnet.stop();
    if (code !== 0) console.error(`[e2e] the devnet exited with ${code} on Ctrl+C:\n${devnet.output().slice(-2_000)}`);
  };
}

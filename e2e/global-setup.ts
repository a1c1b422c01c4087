/**
 * Serves the production build with vite preview on a free port (E2E_BASE_URL) and, unless E2E_CHAIN=0, starts a
 * local chain with Surge Gold deployed (E2E_RPC_URL) and, when the worker node exists, three workers.
 */
import type { FullConfig } from "@playwright/test";
import { preview } from "vite";
import { ensureClientBuilt, ROOT } from "./build.js";
import { startDevnet, type Devnet } from "./devnet.js";

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  ensureClientBuilt();
  const server = await preview({
    configFile: `${ROOT}game/client/vite.config.ts`,
    preview: { port: 0, strictPort: false, host: "127.0.0.1", open: false },
    logLevel: "warn",
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error("vite preview did not report a URL");
  process.env.E2E_BASE_URL = url;
  console.log(`[e2e] client at ${url}`);
  let devnet: Devnet | null = null;
  if (process.env.E2E_CHAIN !== "0") {
    devnet = await startDevnet();
    process.env.E2E_RPC_URL = devnet.url;
    process.env.E2E_WORKERS = String(devnet.workers);
    process.env.E2E_DEPLOYMENT = JSON.stringify(devnet.deployment);
  }
  return async () => {
    await devnet?.stop();
    await server.close();
  };
}

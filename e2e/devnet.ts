/** Starts e2e/devnet-child.ts and waits for its "ready" line; `stop()` ends it (and all it started). */
import { spawn } from "node:child_process";
import type { Deployment } from "../game/chain/deployment.js";
import { ROOT } from "./build.js";

export interface Devnet {
  url: string;
  workers: number;
  deployment: Deployment;
  stop: () => Promise<void>;
}

export async function startDevnet(timeoutMs = 300_000): Promise<Devnet> {
  const child = spawn(process.execPath, ["--import", "tsx", "e2e/devnet-child.ts"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  let out = "";
  const ready = await new Promise<{ url: string; workers: number; deployment: Deployment }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the e2e chain was not ready within ${timeoutMs} ms`)), timeoutMs);
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      for (const line of out.split("\n")) {
        if (line.startsWith("{") && line.includes('"ready"')) {
          clearTimeout(timer);
          resolve(JSON.parse(line) as { url: string; workers: number; deployment: Deployment });
        }
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the e2e chain process exited before it was ready:\n${out.slice(-2000)}`));
    });
  }).catch(async (e: unknown) => {
    await stop();
    throw e;
  });
  console.log(`[e2e] chain at ${ready.url} with ${ready.workers} workers`);
  return { ...ready, stop };
}

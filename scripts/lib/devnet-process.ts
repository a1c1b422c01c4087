/**
 * Runs `npm start`'s devnet (scripts/devnet.ts) as a child process on free ports and waits until it says it is
 * ready: for the devnet smoke test and the devnet bench. `stop()` presses Ctrl+C (SIGINT) and resolves with the
 * exit code.
 */
import { spawn } from "node:child_process";
import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import { ROOT } from "./deploy.js";
import { freePort } from "./node.js";
import { workerPidFile } from "./paths.js";

export interface DevnetProcess {
  url: string;
  webPort: number;
  /** The first worker's metrics port; worker i (0-based) serves on metricsPort + i. */
  metricsPort: number;
  /** The indexer's URL (its /healthz, /api/*). */
  indexerUrl: string;
  output: () => string;
  /** Worker `n`'s (1-based) current process id, from the file the devnet rewrites at each (re)start. */
  workerPid: (n: number) => number;
  stop: () => Promise<number | null>;
}

/** The process id in a devnet's `.devnet/<port>/worker-N.pid`. */
export function readWorkerPid(rpcPort: number, n: number): number {
  const pid = Number(readFileSync(workerPidFile(rpcPort, n), "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no process id in ${workerPidFile(rpcPort, n)}`);
  return pid;
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

export async function startDevnetProcess(options: { workers?: number; timeoutMs?: number } = {}): Promise<DevnetProcess> {
  const workers = options.workers ?? 3;
  const port = await freePort();
  const webPort = await freePort();
  // Consecutive free ports for the workers' metrics: a random high base, each checked.
  let metricsPort = 0;
  for (let attempt = 0; attempt < 20 && metricsPort === 0; attempt++) {
    const base = randomInt(20_000, 40_000);
    const busy = await Promise.all(Array.from({ length: workers }, (_, i) => answers(`http://127.0.0.1:${base + i}/`)));
    if (!busy.some(Boolean)) metricsPort = base;
  }
  const indexerPort = await freePort();
  const args = [
    "--port",
    String(port),
    "--web-port",
    String(webPort),
    "--metrics-port",
    String(metricsPort),
    "--indexer-port",
    String(indexerPort),
  ];
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/devnet.ts", ...args, "--workers", String(workers), "--report-every", "0"],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
    return exited;
  };
  const deadline = Date.now() + (options.timeoutMs ?? 540_000);
  while (!out.includes("devnet ready")) {
    if (child.exitCode !== null) throw new Error(`the devnet exited before it was ready:\n${out.slice(-3_000)}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the devnet was not ready in time:\n${out.slice(-3_000)}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    webPort,
    metricsPort,
    indexerUrl: `http://127.0.0.1:${indexerPort}`,
    output: () => out,
    workerPid: (n) => readWorkerPid(port, n),
    stop,
  };
}

export { answers };

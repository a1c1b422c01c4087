/**
 * Starts and stops a local chain: `hardhat node` on 127.0.0.1 as a child process. Shared by the devnet
 * (`npm start`), the worker tests and the browser tests. The child is its own process group, so `stop()` takes
 * down everything it started, and waits for it (hardhat node takes over a second to exit after SIGTERM).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { ROOT } from "./deploy.js";

export interface LocalChain {
  url: string;
  port: number;
  child: ChildProcess;
  /** Output of the node so far (for error messages). */
  output: () => string;
  stop: () => Promise<void>;
}

export class PortBusyError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} on 127.0.0.1 is already in use: stop what holds it, or choose another port`);
  }
}

/** Resolves if `port` can be bound on 127.0.0.1, rejects with PortBusyError if not. */
export async function checkPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once("error", () => reject(new PortBusyError(port)));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
  });
}

/** A port the OS says is free now (for tests that run side by side). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

export interface StartOptions {
  port?: number;
  /** Mine an (empty) block every `blockTimeMs` on top of automining each transaction; 0 = automine only. */
  blockTimeMs?: number;
  timeoutMs?: number;
}

export async function startLocalChain(options: StartOptions = {}): Promise<LocalChain> {
  const port = options.port ?? (await freePort());
  await checkPortFree(port);
  const bin = `${ROOT}node_modules/.bin/hardhat`;
  const child = spawn(bin, ["node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => {
    if (out.length < 200_000) out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    if (out.length < 200_000) out += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once("exit", () => {
    exited = true;
    resolve();
  }));
  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      return;
    }
    const killer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* gone */
      }
    }, 5_000);
    await exitedPromise;
    clearTimeout(killer);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (exited) throw new Error(`hardhat node exited before it was ready:\n${out.slice(-2_000)}`);
    try {
      await rpc<string>(url, "eth_chainId");
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`hardhat node did not answer on ${url} within ${options.timeoutMs ?? 60_000} ms`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  if ((options.blockTimeMs ?? 0) > 0) await rpc(url, "evm_setIntervalMining", [options.blockTimeMs]);
  return { url, port, child, output: () => out, stop };
}

/**
 * Runs the indexer (Ponder, `ponder start` on game/indexer) as a child process: for `npm run indexer`, the devnet,
 * the tests and the bench. The child gets its settings by environment (lib/settings.ts); `stop()` sends SIGTERM
 * (Ponder shuts down gracefully: the HTTP server, then the database) and resolves with the exit code.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ENV } from "./settings.js";

export const INDEXER_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const PONDER_BIN = join(INDEXER_ROOT, "..", "..", "node_modules", "ponder", "dist", "esm", "bin", "ponder.js");

export interface IndexerOptions {
  deploymentFile: string;
  rpc: string;
  port: number;
  /** PGlite directory (ignored with databaseUrl). */
  dbDir?: string;
  /** Postgres connection string: the embedded PGlite if absent. */
  databaseUrl?: string;
  /** Postgres schema (or PGlite namespace) for the tables. Default "surge". */
  schema?: string;
  pollMs?: number;
  /** Write the child's output here too (it is always kept in memory, the last 200 kB). */
  logFile?: string;
  logLevel?: "error" | "warn" | "info" | "debug";
  /** Parent process id: the child's wrapper exits if it dies (see scripts/indexer.ts). */
  env?: Record<string, string>;
}

export interface IndexerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

export function spawnIndexer(o: IndexerOptions): IndexerProcess {
  const env: Record<string, string | undefined> = {
    ...process.env,
    [ENV.deployment]: o.deploymentFile,
    [ENV.rpc]: o.rpc,
    [ENV.pollMs]: String(o.pollMs ?? 1000),
    [ENV.dbDir]: o.dbDir,
    [ENV.databaseUrl]: o.databaseUrl,
    PONDER_TELEMETRY_DISABLED: "true",
    NO_COLOR: "1",
    PONDER_LOG_LEVEL: undefined,
    // Ponder's terminal UI is for a person at a terminal: this child always writes plain log lines.
    CI: "true",
    ...o.env,
  };
  if (o.databaseUrl === undefined) delete env[ENV.databaseUrl];
  if (o.dbDir === undefined) delete env[ENV.dbDir];
  const args = [
    PONDER_BIN,
    "start",
    "--root",
    INDEXER_ROOT,
    "--port",
    String(o.port),
    "--hostname",
    "127.0.0.1",
    "--schema",
    o.schema ?? "surge",
    "--log-level",
    o.logLevel ?? "info",
  ];
  const child = spawn(process.execPath, args, { cwd: INDEXER_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const log = o.logFile ? (mkdirSync(dirname(o.logFile), { recursive: true }), createWriteStream(o.logFile, { flags: "a" })) : null;
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-150_000);
    log?.write(d);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      log?.end();
      resolve(code);
    }),
  );
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      const code = await exited;
      clearTimeout(killer);
      return code;
    }
    return exited;
  };
  return { url: `http://127.0.0.1:${o.port}`, child, output: () => out, exited, stop };
}

export interface IndexerHealth {
  ok: boolean;
  ready: boolean;
  chainId: number;
  head: number;
  indexed: number;
  lagBlocks: number;
}

/** GET /healthz (src/api): null if the indexer does not answer. */
export async function indexerHealth(url: string, timeoutMs = 3_000): Promise<IndexerHealth | null> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    if (res.status !== 200 && res.status !== 503) return null;
    return (await res.json()) as IndexerHealth;
  } catch {
    return null;
  }
}

/** Waits until the indexer has indexed at least `block` (or, without one, until its historical backfill is done). */
export async function waitForIndexed(
  p: IndexerProcess,
  block?: bigint | number,
  timeoutMs = 180_000,
): Promise<IndexerHealth> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) {
      throw new Error(`the indexer exited (${p.child.exitCode ?? p.child.signalCode}):\n${p.output().slice(-3_000)}`);
    }
    const h = await indexerHealth(p.url);
    if (h && h.ready && (block === undefined || h.indexed >= Number(block))) return h;
    if (Date.now() > deadline) {
      throw new Error(
        `the indexer had not indexed block ${block ?? "(backfill)"} within ${timeoutMs} ms (health: ${JSON.stringify(h)}):\n` +
          p.output().slice(-3_000),
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

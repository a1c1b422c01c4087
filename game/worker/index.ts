/**
 * The worker node as a library: `runWorker(config)` does what `npm run worker` does and returns a handle to stop
 * it. The CLI (main.ts) and the tests' lying worker (test-support/liar-worker.ts) are its two callers.
 */
import { pino, type Logger } from "pino";
import { connect, type ChainContext } from "./chain.js";
import type { WorkerConfig } from "./config.js";
import { WorkerMetrics } from "./metrics.js";
import { WorkerNode, type NodeOptions } from "./node.js";
import { ensureBonded } from "./operator.js";
import { ReplayPool } from "./pool.js";
import { startServer } from "./server.js";

export { ConfigError, loadConfig, usage, type WorkerConfig } from "./config.js";
export type { TreeLeaf } from "../chain/tree.js";

export interface RunningWorker {
  node: WorkerNode;
  ctx: ChainContext;
  metricsPort: number | undefined;
  /** Stops the loop, closes the pool and the HTTP server. */
  stop: () => Promise<void>;
  /** Settles when the loop ends. */
  done: Promise<void>;
}

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: "surge-worker" }, timestamp: pino.stdTimeFunctions.isoTime });
}

export async function runWorker(
  config: WorkerConfig,
  log: Logger = createLogger(config.logLevel),
  hooks: Pick<NodeOptions, "tamper" | "tamperTotal"> = {},
): Promise<RunningWorker> {
  const ctx = await connect(config);
  log.info(
    { chainId: ctx.chainId, deployment: ctx.deploymentFile, worker: ctx.account.address, confirmations: ctx.confirmations },
    "connected",
  );
  await ensureBonded(ctx, config.bond, log);
  const metrics = new WorkerMetrics();
  const pool = new ReplayPool(config.threads === undefined ? {} : { threads: config.threads });
  const node = new WorkerNode(ctx, pool, log, metrics, {
    pollMs: config.pollMs,
    logPageBlocks: config.logPageBlocks,
    peers: config.peers,
    aggregateDelay: config.aggregateDelay,
    ...hooks,
  });
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  if (config.metricsPort !== 0) {
    server = await startServer(config.metricsPort, config.metricsHost, {
      metrics,
      health: () => node.health(),
      tree: (epoch, root) => node.treeDump(epoch, root),
      signature: (epoch, round) => node.signature(epoch, round),
    });
    log.info({ port: server.port, host: config.metricsHost }, "serving /metrics, /healthz, /trees and /signatures");
  }
  const done = node.start();
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await node.stop();
      await pool.close();
      await server?.close();
      log.info("worker stopped");
    })());
  return { node, ctx, metricsPort: server?.port, stop, done };
}

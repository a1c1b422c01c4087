/**
 * The replay pool: worker threads (piscina) that replay runs in batches. Created once per node, closed on shutdown.
 */
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import type { ReplayBatch } from "./replay-task.js";

export interface ReplayRun {
  seed: string;
  inputs: string;
}

export interface PoolOptions {
  threads?: number;
  /** Runs per task: enough that a task takes milliseconds, so thread messaging is negligible. */
  batchSize?: number;
}

export class ReplayPool {
  readonly threads: number;
  private readonly pool: Piscina<ReplayBatch, number[]>;
  private readonly batchSize: number;

  constructor(options: PoolOptions = {}) {
    this.threads = Math.max(1, options.threads ?? availableParallelism());
    this.batchSize = Math.max(1, options.batchSize ?? 64);
    this.pool = new Piscina<ReplayBatch, number[]>({
      filename: new URL("./replay-task.js", import.meta.url).href,
      minThreads: this.threads,
      maxThreads: this.threads,
      // The sim allocates little; a cap keeps a runaway run from taking the host down.
      resourceLimits: { maxOldGenerationSizeMb: 256 },
      // Under tsx the task file is TypeScript: the threads need the same loader as the main thread.
      execArgv: process.execArgv,
    });
  }

  /**
   * Gold of every run, in order. Runs are cut into at most `batchSize` runs per task, and into at least
   * `threads` tasks when there are enough runs, so every thread has work.
   */
  async replay(runs: readonly ReplayRun[], signal?: AbortSignal): Promise<number[]> {
    if (runs.length === 0) return [];
    const size = Math.max(1, Math.min(this.batchSize, Math.ceil(runs.length / this.threads)));
    const tasks: Promise<number[]>[] = [];
    for (let i = 0; i < runs.length; i += size) {
      const slice = runs.slice(i, i + size);
      tasks.push(
        this.pool.run({ seeds: slice.map((r) => r.seed), inputs: slice.map((r) => r.inputs) }, signal ? { signal } : {}),
      );
    }
    return (await Promise.all(tasks)).flat();
  }

  async close(): Promise<void> {
    await this.pool.close({ force: true });
  }
}

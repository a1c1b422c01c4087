/**
 * Keeps a child process alive for the devnet (scripts/devnet.ts): when it exits while nobody asked it to (a crash, a
 * SIGKILL, an out-of-memory kill), it is started again after an exponential backoff (2 s, 4 s, 8 s, … capped at 30 s),
 * and the backoff starts over once a process has run healthily for a minute. Every step is said in one line
 * ("worker 2 exited (signal SIGKILL); restarting in 2 s (attempt 1)", "worker 2 is back (pid 1234)"), and the current
 * process id is written to a file so that tests (and operators) can find it. `stop()` ends it without a restart.
 */
import type { ChildProcess } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";

export interface Backoff {
  /** The delay before the first restart. */
  firstMs: number;
  /** The longest delay. */
  maxMs: number;
  /** A process that ran healthily this long is forgiven: the next restart waits `firstMs` again. */
  resetAfterMs: number;
}

export const WORKER_BACKOFF: Backoff = { firstMs: 2_000, maxMs: 30_000, resetAfterMs: 60_000 };

/** The delay before restart number `attempt` (1-based): firstMs doubled each attempt, at most maxMs. */
export function restartDelay(attempt: number, b: Backoff): number {
  return Math.min(b.maxMs, b.firstMs * 2 ** Math.max(0, attempt - 1));
}

export interface KeepAliveOptions {
  /** How the output names it: "worker 2". */
  name: string;
  start: () => ChildProcess;
  /** Where the current process id is written (removed when stopped). */
  pidFile: string;
  /** Whether it answers as healthy now (its /healthz). */
  healthy: () => Promise<boolean>;
  say: (line: string) => void;
  backoff?: Backoff;
  /** How often `healthy` is asked while waiting for a restarted process. */
  pollMs?: number;
}

export class KeepAlive {
  private child: ChildProcess;
  private attempt = 0;
  private healthySince: number | null = null;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly backoff: Backoff;

  constructor(private readonly o: KeepAliveOptions) {
    this.backoff = o.backoff ?? WORKER_BACKOFF;
    this.child = this.spawn();
  }

  /** The process running now (a new one after each restart). */
  get process(): ChildProcess {
    return this.child;
  }

  /** Marks the first start healthy (the devnet waited for it): its crash a minute later restarts after `firstMs`. */
  markHealthy(): void {
    this.healthySince ??= Date.now();
  }

  private spawn(): ChildProcess {
    const child = this.o.start();
    if (child.pid !== undefined) writeFileSync(this.o.pidFile, `${child.pid}\n`);
    child.once("exit", (code, signal) => this.exited(code, signal));
    return child;
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopped) return;
    const ranHealthy = this.healthySince !== null && Date.now() - this.healthySince >= this.backoff.resetAfterMs;
    if (ranHealthy) this.attempt = 0;
    this.healthySince = null;
    this.attempt++;
    const delay = restartDelay(this.attempt, this.backoff);
    this.o.say(
      `${this.o.name} exited (${signal ? `signal ${signal}` : `code ${code}`}); restarting in ${delay / 1000} s (attempt ${this.attempt})`,
    );
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopped) return;
      this.child = this.spawn();
      void this.announceBack(this.child);
    }, delay);
  }

  /** Says "<name> is back" once the restarted process answers as healthy (nothing if it dies first). */
  private async announceBack(child: ChildProcess): Promise<void> {
    while (!this.stopped && child === this.child && child.exitCode === null && child.signalCode === null) {
      if (await this.o.healthy().catch(() => false)) {
        if (this.stopped || child !== this.child || child.exitCode !== null || child.signalCode !== null) return;
        this.healthySince = Date.now();
        this.o.say(`${this.o.name} is back (pid ${child.pid})`);
        return;
      }
      await new Promise((r) => setTimeout(r, this.o.pollMs ?? 500));
    }
  }

  /** Stops it for good: no restart; SIGKILL if it has not exited after `graceMs`. */
  async stop(signal: NodeJS.Signals = "SIGTERM", graceMs = 10_000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const child = this.child;
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        child.once("exit", () => {
          clearTimeout(killer);
          resolve();
        });
        child.kill(signal);
      });
    }
    rmSync(this.o.pidFile, { force: true });
  }
}

/**
 * The devnet's restart policy (scripts/lib/keep-alive.ts) on a real child process that only sleeps: a SIGKILL is
 * followed by a restart after the backoff (doubling, capped) and a "back" line once it counts as healthy; a process
 * that ran healthily long enough starts the backoff over; `stop()` restarts nothing and removes the pid file.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { KeepAlive, restartDelay, type Backoff } from "../../scripts/lib/keep-alive.js";

const sleeper = () => spawn(process.execPath, ["-e", "setTimeout(() => {}, 600_000)"], { stdio: "ignore" });

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs / 1000} s: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A KeepAlive of a sleeper, fast backoff, that records what it says. */
function keptSleeper(name: string, backoff: Backoff) {
  const pidFile = join(mkdtempSync(join(tmpdir(), "keep-alive-")), "w.pid");
  const lines: string[] = [];
  const keeper = new KeepAlive({ name, start: sleeper, pidFile, healthy: async () => true, say: (l) => lines.push(l), backoff, pollMs: 20 });
  return { keeper, lines, pidFile };
}

describe("KeepAlive (the devnet's worker restarts)", () => {
  it("doubles the delay from the first, up to the cap", () => {
    const b: Backoff = { firstMs: 2_000, maxMs: 30_000, resetAfterMs: 60_000 };
    assert.deepEqual([1, 2, 3, 4, 5, 6, 20].map((a) => restartDelay(a, b)), [2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it("restarts a killed process after the backoff, says so, and stops for good on stop()", { timeout: 60_000 }, async () => {
    const { keeper, lines, pidFile } = keptSleeper("worker 9", { firstMs: 100, maxMs: 250, resetAfterMs: 60_000 });
    const pids = [keeper.process.pid!];
    try {
      assert.equal(Number(readFileSync(pidFile, "utf8")), pids[0]);
      for (const [attempt, delay] of [
        [1, 0.1],
        [2, 0.2],
        [3, 0.25],
      ] as const) {
        process.kill(pids.at(-1)!, "SIGKILL");
        await until(`attempt ${attempt} back`, () => lines.filter((l) => l.startsWith("worker 9 is back")).length === attempt);
        assert.equal(lines.at(-2), `worker 9 exited (signal SIGKILL); restarting in ${delay} s (attempt ${attempt})`);
        const pid = keeper.process.pid!;
        assert.equal(lines.at(-1), `worker 9 is back (pid ${pid})`);
        assert.ok(!pids.includes(pid));
        assert.equal(Number(readFileSync(pidFile, "utf8")), pid, "the pid file names the new process");
        pids.push(pid);
      }
    } finally {
      const before = lines.length;
      const last = keeper.process;
      await keeper.stop("SIGTERM", 5_000);
      assert.equal(last.signalCode, "SIGTERM");
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(lines.length, before, "nothing restarted after stop()");
      assert.equal(existsSync(pidFile), false);
    }
  });

  it("starts the backoff over once a process has run healthily for resetAfterMs", { timeout: 60_000 }, async () => {
    const { keeper, lines } = keptSleeper("w", { firstMs: 50, maxMs: 1_000, resetAfterMs: 300 });
    try {
      process.kill(keeper.process.pid!, "SIGKILL");
      await until("back once", () => lines.some((l) => l.startsWith("w is back")));
      // Killed again at once: not yet forgiven, the delay doubles.
      process.kill(keeper.process.pid!, "SIGKILL");
      await until("second exit", () => lines.some((l) => l.includes("attempt 2")));
      assert.match(lines.at(-1)!, /restarting in 0\.1 s \(attempt 2\)$/);
      await until("back twice", () => lines.filter((l) => l.startsWith("w is back")).length === 2);
      // Healthy for longer than resetAfterMs: the next crash is attempt 1 again.
      await new Promise((r) => setTimeout(r, 500));
      process.kill(keeper.process.pid!, "SIGKILL");
      await until("third exit", () => lines.filter((l) => l.includes("exited")).length === 3);
      assert.match(lines.at(-1)!, /restarting in 0\.05 s \(attempt 1\)$/);
    } finally {
      await keeper.stop();
    }
  });
});

/**
 * The duties' attempts and backoff (game/worker/retry.ts), on a clock driven by hand: exponential pauses up to a cap,
 * a try only once its pause has passed, a success that starts the backoff afresh, and states kept per (epoch, round).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backoffMs, RetryBook, RetryState } from "../../game/worker/retry.js";

const POLICY = { baseMs: 1_000, capMs: 8_000 };

describe("retry state and backoff", () => {
  it("doubles the pause after each failure, up to the cap, and never overflows", () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, POLICY)), [0, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    assert.equal(backoffMs(10_000, POLICY), 8_000);
  });

  it("tries again only once the pause has passed, and a success resets it", () => {
    let now = 50_000;
    const s = new RetryState(3n, 1n, POLICY, () => now);
    assert.equal(s.due(), true, "nothing failed yet");
    assert.equal(s.failed("insufficient funds"), 1_000);
    assert.equal(s.attempts, 1);
    assert.equal(s.lastError, "insufficient funds");
    assert.equal(s.retryAt, 51_000);
    now += 999;
    assert.equal(s.due(), false);
    now += 1;
    assert.equal(s.due(), true);
    assert.equal(s.failed("again"), 2_000);
    assert.equal(s.failed("again"), 4_000);
    assert.equal(s.failed("again"), 8_000);
    assert.equal(s.failed("again"), 8_000, "capped");
    assert.equal(s.attempts, 5, "no limit on attempts: the duty decides when the work is moot");
    s.succeeded();
    assert.equal(s.attempts, 0);
    assert.equal(s.due(), true);
    assert.equal(s.lastError, undefined);
    assert.equal(s.failed("after a success"), 1_000, "the backoff starts afresh");
  });

  it("keeps one state per (epoch, round), lists the failing ones and drops them by epoch", () => {
    let now = 0;
    const book = new RetryBook(POLICY, () => now);
    assert.equal(book.get(5n, 0n), book.get(5n), "round 0 by default");
    assert.notEqual(book.get(5n, 1n), book.get(5n, 0n));
    book.get(7n).failed("x");
    book.get(5n, 1n).failed("y");
    book.get(5n, 0n).failed("z");
    now = 10;
    assert.deepEqual(
      book.failing().map((s) => [s.epoch, s.round]),
      [[5n, 0n], [5n, 1n], [7n, 0n]],
      "oldest epoch first; a state that never failed is not listed",
    );
    const dropped = book.drop(5n, (s) => s.round < 1n);
    assert.deepEqual(dropped.map((s) => s.round), [0n]);
    assert.equal(book.peek(5n, 0n), undefined);
    assert.equal(book.peek(5n, 1n)?.attempts, 1);
    assert.equal(book.drop(5n).length, 1);
    assert.equal(book.peek(5n, 1n), undefined);
    assert.deepEqual(book.drop(99n), []);
  });
});

/**
 * What the Vault panel tells a staker (game/client/src/chain/vaultStats.ts): the APR over 7 and 30 days of reports
 * (and "not enough history" when they do not reach back that far), the restaked share, each queued withdrawal's ETA
 * as the later of the vault's delay (blocks) and Symbiotic's epoch (seconds), the instant-exit check against the
 * free buffer and today's limit (issue 14: a new user was promised 0.2999 ETH, then `InsufficientLiquidity`), and the
 * chart's time axis.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther } from "viem";
import {
  aprOver,
  aprWords,
  checkInstantExit,
  DAY,
  restakedShare,
  sharesForMaxExit,
  Status,
  timeTicks,
  withdrawalEta,
  YEAR,
  type EtaInput,
} from "../../game/client/src/chain/vaultStats.js";

const T0 = 1_780_000_000; // some unix time

/** Daily reports from T0, each raising the rate by `daily` (relative), for `days` days. */
function daily(days: number, dailyRise: number) {
  return Array.from({ length: days + 1 }, (_, i) => ({ at: T0 + i * DAY, rate: (1 + dailyRise) ** i }));
}

describe("APR over the last reports", () => {
  it("annualises the rise over the window, to the last report: 0.01% a day for 8 days is ~3.65% over 7 days", () => {
    const a = aprOver(daily(8, 0.0001), 7 * DAY);
    assert.ok(a.ok);
    assert.equal(a.to, T0 + 8 * DAY);
    assert.equal(a.from, T0 + DAY);
    assert.equal(a.reports, 8);
    // (1.0001^7 - 1) * 365 / 7, restated by hand.
    assert.ok(Math.abs(a.apr - ((1.0001 ** 7 - 1) * 365) / 7) < 1e-12);
    assert.equal(aprWords(a), "3.65%");
  });

  it("uses the latest report at or before the window's start, so the span is never shorter than the window", () => {
    const points = [
      { at: T0, rate: 1 },
      { at: T0 + 2 * DAY, rate: 1.001 },
      { at: T0 + 10 * DAY, rate: 1.004 },
    ];
    const a = aprOver(points, 7 * DAY);
    assert.ok(a.ok);
    assert.equal(a.from, T0 + 2 * DAY);
    assert.ok(Math.abs(a.apr - (1.004 / 1.001 - 1) * (YEAR / (8 * DAY))) < 1e-12);
  });

  it("says not enough history when the reports do not reach back over the window, or there are too few", () => {
    const short = aprOver(daily(8, 0.0001), 30 * DAY);
    assert.equal(short.ok, false);
    assert.equal(aprWords(short), "not enough history (reports span 8.0 days of the 30 days needed)");
    assert.equal(aprWords(aprOver([], 7 * DAY)), "not enough history (no reports yet; 7 days needed)");
    assert.equal(aprWords(aprOver([{ at: T0, rate: 1 }], 7 * DAY)), "not enough history (one report so far; 7 days needed)");
    const hours = aprOver(
      [
        { at: T0, rate: 1 },
        { at: T0 + 5 * 3600, rate: 1.001 },
      ],
      7 * DAY,
    );
    assert.equal(aprWords(hours), "not enough history (reports span 5 h of the 7 days needed)");
  });

  it("reads a loss as a negative APR and leaves out reports without a rate, in any order", () => {
    const points = [
      { at: T0 + 7 * DAY, rate: 0.99 },
      { at: T0 + 3 * DAY, rate: 0 },
      { at: T0, rate: 1 },
    ];
    const a = aprOver(points, 7 * DAY);
    assert.ok(a.ok);
    assert.ok(a.apr < 0);
    assert.equal(a.reports, 2);
  });
});

describe("restaked vs buffer", () => {
  it("splits the holdings between the strategy and the buffer", () => {
    const s = restakedShare({ buffer: parseEther("0.5"), inStrategy: parseEther("4.5") });
    assert.deepEqual(s, { restaked: 0.9, buffer: 1 - 0.9 });
    assert.equal(restakedShare({ buffer: 0n, inStrategy: 0n }), null);
  });
});

describe("a queued withdrawal's ETA", () => {
  const base: EtaInput = {
    status: Status.Pending,
    claimableBlock: 130n,
    block: 100n,
    now: T0,
    blockSeconds: 12,
    liquidity: { buffer: parseEther("2"), queued: parseEther("1"), unstaking: 0n },
    unstakesCompletableAt: [],
    strategyDelay: 240,
  };

  it("is the vault's delay when the buffer covers the whole queue", () => {
    const e = withdrawalEta(base);
    assert.equal(e.state, "waiting");
    assert.ok(e.state === "waiting" && e.why === "delay" && e.seconds === 30 * 12);
    assert.equal(e.text, "ready in ~6 min (the vault's delay: 30 blocks)");
  });

  it("waits for Symbiotic's epoch when the unstake in flight completes after the vault's delay", () => {
    const e = withdrawalEta({
      ...base,
      liquidity: { buffer: parseEther("0.5"), queued: parseEther("1.5"), unstaking: parseEther("1") },
      unstakesCompletableAt: [T0 + 100, T0 + 1_200],
    });
    assert.ok(e.state === "waiting" && e.why === "epoch" && e.seconds === 1_200);
    assert.equal(e.text, "ready in ~20 min (waiting for Symbiotic's epoch to end)");
  });

  it("keeps the vault's delay when the epoch ends first", () => {
    const e = withdrawalEta({
      ...base,
      liquidity: { buffer: parseEther("0.5"), queued: parseEther("1.5"), unstaking: parseEther("1") },
      unstakesCompletableAt: [T0 + 60],
    });
    assert.ok(e.state === "waiting" && e.why === "delay" && e.seconds === 360);
  });

  it("says an unstake must be queued first (at most the strategy's delay) when nothing in flight covers the queue", () => {
    const e = withdrawalEta({ ...base, blockSeconds: 1, liquidity: { buffer: parseEther("0.5"), queued: parseEther("1.5"), unstaking: 0n } });
    assert.ok(e.state === "waiting" && e.why === "unstake" && e.needsRebalance && e.seconds === 240);
    assert.match(e.text, /^ready in at most ~4 min once the vault queues an unstake from Symbiotic/);
    // Past its delay, unpaid, and the matured unstakes fell short (a slash): a new unstake again.
    const late = withdrawalEta({
      ...base,
      status: Status.AwaitingLiquidity,
      block: 200n,
      liquidity: { buffer: parseEther("0.5"), queued: parseEther("1.5"), unstaking: parseEther("1") },
      unstakesCompletableAt: [T0 - 10],
    });
    assert.ok(late.state === "waiting" && late.why === "unstake");
  });

  it("needs no wait once claimable or claimed", () => {
    assert.equal(withdrawalEta({ ...base, status: Status.Claimable }).state, "ready");
    assert.equal(withdrawalEta({ ...base, status: Status.Claimed }).state, "claimed");
    assert.equal(withdrawalEta({ ...base, block: 130n }).text, "ready with the next block");
  });
});

describe("the instant-exit check", () => {
  const limits = { free: parseEther("0.25"), remaining: parseEther("100"), dailyLimit: parseEther("100"), withdrawalsPaused: false };

  it("refuses what the free buffer cannot pay, saying the most it can (issue 14's 0.2999 ETH)", () => {
    const c = checkInstantExit(parseEther("0.2999"), limits);
    assert.equal(c.ok, false);
    assert.equal(c.max, parseEther("0.25"));
    assert.ok(!c.ok);
    assert.equal(
      c.message,
      "The vault can pay at most 0.25 ETH now (its free buffer: the part not reserved for queued withdrawals); the rest goes through the queue",
    );
    assert.deepEqual(checkInstantExit(parseEther("0.25"), limits), { ok: true, max: parseEther("0.25") });
  });

  it("refuses what is over today's limit, and everything when paused or nothing is left", () => {
    const c = checkInstantExit(parseEther("2"), { ...limits, free: parseEther("5"), remaining: parseEther("1.5"), dailyLimit: parseEther("10") });
    assert.ok(!c.ok);
    assert.equal(c.max, parseEther("1.5"));
    assert.match(c.message, /^The vault can pay at most 1\.5 ETH now \(what is left of today's instant-exit limit of 10 ETH; it resets at 00:00 UTC\)/);
    const none = checkInstantExit(1n, { ...limits, free: 0n });
    assert.ok(!none.ok);
    assert.match(none.message, /^The vault can pay no instant exit now .*request a withdrawal through the queue instead$/);
    const paused = checkInstantExit(1n, { ...limits, withdrawalsPaused: true });
    assert.ok(!paused.ok);
    assert.match(paused.message, /paused/);
  });

  it("scales the shares down to the most the vault can pay, with a margin", () => {
    const shares = 10n ** 21n; // one sgETH
    const s = sharesForMaxExit(parseEther("0.25"), shares, parseEther("0.995"));
    assert.ok(s > 0n && s < shares);
    // Paying at the same rate, the scaled shares stay below the maximum.
    assert.ok((s * parseEther("0.995")) / shares <= parseEther("0.25"));
    assert.ok((s * parseEther("0.995")) / shares > parseEther("0.249"));
    assert.equal(sharesForMaxExit(0n, shares, parseEther("1")), 0n);
  });
});

describe("the rate chart's time axis", () => {
  it("labels times of day over a short span and dates over a long one", () => {
    const t = timeTicks(T0, T0 + 3 * 3600, 4, "UTC");
    assert.equal(t.length, 4);
    assert.deepEqual(
      t.map((x) => x.at),
      [T0, T0 + 3600, T0 + 7200, T0 + 10800],
    );
    const hm = (at: number) => new Date(at * 1000).toISOString().slice(11, 16);
    assert.deepEqual(
      t.map((x) => x.label),
      t.map((x) => hm(x.at)),
    );
    const long = timeTicks(T0, T0 + 9 * DAY, 4, "UTC");
    assert.match(long[0]!.label, /^\d{1,2} [A-Z][a-z]{2,3} \d\d:\d\d$/);
    assert.equal(timeTicks(T0, T0, 4, "UTC").length, 1);
  });
});

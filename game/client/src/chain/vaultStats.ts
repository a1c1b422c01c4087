/**
 * What the Vault panel tells a staker, as plain functions of what it read from the chain (or the indexer): the APR
 * over the last reports, where the assets are (restaked vs buffer), each queued withdrawal's honest ETA (the vault's
 * delay in blocks AND the strategy's unstake, which waits for Symbiotic's epoch, in seconds), what an instant exit
 * can pay before anyone signs, and the chart's time axis. No React, no wallet code; unit-tested in
 * test/client/vaultStats.test.ts.
 */
import { secondsToWords } from "./blocktime.js";
import { ethWords } from "./errors.js";

export const DAY = 86_400;
export const YEAR = 365 * DAY;

// ---------------------------------------------------------------- APR

/** The exchange rate at a report: unix seconds, ETH per sgETH. */
export interface RatePoint {
  at: number;
  rate: number;
}

export type Apr =
  | { ok: true; apr: number; from: number; to: number; reports: number }
  | { ok: false; message: string };

/**
 * The APR over the last `windowSeconds` of reports: from the latest report at or before (last report - window) to the
 * last report, the rate's rise annualised without compounding (APR, not APY). The span it covers is at least the
 * window (longer when reports are sparse; `from`/`to` say which). Reports with no rate (an empty vault) are left out.
 * Not enough history (fewer than two reports, or none as old as the window) is said, never guessed.
 */
export function aprOver(points: readonly RatePoint[], windowSeconds: number): Apr {
  const ps = points.filter((p) => Number.isFinite(p.rate) && p.rate > 0 && Number.isFinite(p.at)).sort((a, b) => a.at - b.at);
  const days = windowSeconds / DAY;
  const need = `${days} day${days === 1 ? "" : "s"}`;
  if (ps.length < 2) {
    return { ok: false, message: `not enough history (${ps.length === 0 ? "no reports yet" : "one report so far"}; ${need} needed)` };
  }
  const last = ps[ps.length - 1]!;
  const start = last.at - windowSeconds;
  let i = -1;
  for (let k = ps.length - 2; k >= 0; k--) {
    if (ps[k]!.at <= start) {
      i = k;
      break;
    }
  }
  if (i < 0) {
    return { ok: false, message: `not enough history (reports span ${spanWords(last.at - ps[0]!.at)} of the ${need} needed)` };
  }
  const base = ps[i]!;
  const apr = (last.rate / base.rate - 1) * (YEAR / (last.at - base.at));
  return { ok: true, apr, from: base.at, to: last.at, reports: ps.length - i };
}

/** A span of seconds in words at the scale of days: "3.5 days", "5 h", "20 min". */
export function spanWords(seconds: number): string {
  if (seconds >= DAY) return `${(seconds / DAY).toFixed(1)} days`;
  return secondsToWords(seconds);
}

/** An APR as the panel prints it: "4.12%" (or the sentence saying why there is none). */
export function aprWords(a: Apr): string {
  return a.ok ? `${(a.apr * 100).toFixed(2)}%` : a.message;
}

// ---------------------------------------------------------------- where the assets are

export interface Liquidity {
  /** WETH the vault holds (reservations for the queue included). */
  buffer: bigint;
  /** Last accounted value of the strategy position (unstakes in flight included). */
  inStrategy: bigint;
  /** Sum of unclaimed requests' assets: the part of the buffer reserved for the queue. */
  queued: bigint;
  /** Assets being withdrawn from the strategy. */
  unstaking: bigint;
  /** The buffer not reserved for the queue: what instant exits can use. */
  free: bigint;
}

/** The share of the vault's holdings restaked in the strategy and kept in the buffer, in [0, 1] (null when empty). */
export function restakedShare(l: Pick<Liquidity, "buffer" | "inStrategy">): { restaked: number; buffer: number } | null {
  const total = l.buffer + l.inStrategy;
  if (total <= 0n) return null;
  const restaked = Number((l.inStrategy * 1_000_000n) / total) / 1_000_000;
  return { restaked, buffer: 1 - restaked };
}

/** A share in [0, 1] as a percentage with one decimal: "90.0%". */
export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

// ---------------------------------------------------------------- withdrawal ETA

/** `ISurgeVaultTypes.WithdrawalStatus`. */
export const Status = { None: 0, Pending: 1, Claimable: 2, Claimed: 3, AwaitingLiquidity: 4 } as const;

export interface EtaInput {
  status: number;
  claimableBlock: bigint;
  /** The latest block and its timestamp (unix s): "now" on the chain. */
  block: bigint;
  now: number;
  /** Measured seconds per block. */
  blockSeconds: number;
  liquidity: Pick<Liquidity, "buffer" | "queued" | "unstaking">;
  /** Unix times at which the vault's strategy withdrawals still in flight complete. */
  unstakesCompletableAt: readonly number[];
  /** The strategy's longest withdrawal delay, seconds (Symbiotic: up to two epochs). */
  strategyDelay: number;
}

export type Eta =
  | { state: "claimed" | "ready" | "unknown"; text: string }
  | { state: "waiting"; seconds: number; why: "delay" | "epoch" | "unstake"; needsRebalance: boolean; text: string };

/**
 * When a request can be claimed: the later of the vault's own delay (its claimable block, in blocks, turned into
 * seconds at the measured block time) and the wait for the strategy (in seconds) when the buffer cannot pay the queue:
 * - the buffer holds at least everything queued: no strategy wait (instant exits cannot touch the reservation);
 * - the buffer plus the unstakes in flight cover it: until the last of those unstakes can complete (Symbiotic pays a
 *   withdrawal once its epoch has ended; the claim completes matured unstakes itself);
 * - otherwise an unstake must first be queued (`rebalance`, which anyone may call), then wait up to the strategy's
 *   delay: said as "at most".
 */
export function withdrawalEta(x: EtaInput): Eta {
  if (x.status === Status.Claimed) return { state: "claimed", text: "claimed" };
  if (x.status === Status.Claimable) return { state: "ready", text: "ready to claim" };
  if (x.status !== Status.Pending && x.status !== Status.AwaitingLiquidity) return { state: "unknown", text: "unknown request" };
  const blocksLeft = x.claimableBlock > x.block ? Number(x.claimableBlock - x.block) : 0;
  const delaySeconds = blocksLeft * x.blockSeconds;
  const { buffer, queued, unstaking } = x.liquidity;
  let epochSeconds = 0;
  let needsUnstake = false;
  if (buffer < queued) {
    if (buffer + unstaking >= queued && x.unstakesCompletableAt.length > 0) {
      epochSeconds = Math.max(0, Math.max(...x.unstakesCompletableAt) - x.now);
    } else {
      needsUnstake = true;
    }
  }
  // Past its delay yet unpaid although the numbers say the unstakes have landed (a slash shrank them): a new one.
  if (x.status === Status.AwaitingLiquidity && !needsUnstake && epochSeconds === 0) needsUnstake = true;
  if (needsUnstake) {
    const seconds = Math.max(delaySeconds, x.strategyDelay);
    return {
      state: "waiting",
      seconds,
      why: "unstake",
      needsRebalance: true,
      text:
        `ready in at most ~${secondsToWords(seconds)} once the vault queues an unstake from Symbiotic ` +
        "(Rebalance, anyone may; then Symbiotic's epoch must end)",
    };
  }
  if (epochSeconds > delaySeconds) {
    return {
      state: "waiting",
      seconds: epochSeconds,
      why: "epoch",
      needsRebalance: false,
      text: `ready in ~${secondsToWords(epochSeconds)} (waiting for Symbiotic's epoch to end)`,
    };
  }
  return {
    state: "waiting",
    seconds: delaySeconds,
    why: "delay",
    needsRebalance: false,
    text:
      blocksLeft === 0
        ? "ready with the next block"
        : `ready in ~${secondsToWords(delaySeconds)} (the vault's delay: ${blocksLeft} block${blocksLeft === 1 ? "" : "s"})`,
  };
}

// ---------------------------------------------------------------- instant exit

export interface InstantExitLimits {
  /** The buffer not reserved for the queue (`liquidity().free`). */
  free: bigint;
  /** What is left of today's instant-exit limit (`instantExitRemaining()`). */
  remaining: bigint;
  /** The daily limit itself (`parameters().instantExitDailyLimit`), for the sentence. */
  dailyLimit: bigint;
  withdrawalsPaused: boolean;
}

export type ExitCheck = { ok: true; max: bigint } | { ok: false; max: bigint; message: string };

/**
 * Whether an instant exit paying `assets` (after its fee, as `previewInstantExit` says) can go through now: the
 * contract pays it only from the free buffer and within today's limit (`InsufficientLiquidity`,
 * `InstantExitLimitExceeded`), so the panel refuses before anyone signs and says the most it can pay.
 */
export function checkInstantExit(assets: bigint, l: InstantExitLimits): ExitCheck {
  if (l.withdrawalsPaused) {
    return { ok: false, max: 0n, message: "Withdrawals are paused by the guardian: no instant exit (nor claim) goes through now" };
  }
  const max = l.free < l.remaining ? l.free : l.remaining;
  if (assets <= max) return { ok: true, max };
  const why =
    l.free <= l.remaining
      ? "its free buffer: the part not reserved for queued withdrawals"
      : `what is left of today's instant-exit limit of ${ethWords(l.dailyLimit)}; it resets at 00:00 UTC`;
  if (max === 0n) {
    return { ok: false, max, message: `The vault can pay no instant exit now (${why}): request a withdrawal through the queue instead` };
  }
  return { ok: false, max, message: `The vault can pay at most ${ethWords(max)} now (${why}); the rest goes through the queue` };
}

/**
 * The sgETH an instant exit can take for at most `max` ETH, from a preview of `shares` paying `assets`: scaled
 * linearly, less 0.1% so that the rate's vesting between now and the block cannot push it over (0 if none).
 */
export function sharesForMaxExit(max: bigint, shares: bigint, assets: bigint): bigint {
  if (max <= 0n || shares <= 0n || assets <= 0n) return 0n;
  return (shares * max * 999n) / (assets * 1000n);
}

// ---------------------------------------------------------------- the chart's time axis

/**
 * `count` labelled ticks evenly spread over [t0, t1] (unix seconds): times of day ("14:05") over a span shorter
 * than two days, dates with the time ("29 Nov 14:05") over longer ones, in `timeZone` (the viewer's by default).
 */
export function timeTicks(t0: number, t1: number, count = 4, timeZone?: string): { at: number; label: string }[] {
  if (!(t1 > t0) || count < 2) return [{ at: t0, label: timeLabel(t0, 0, timeZone) }];
  const span = t1 - t0;
  return Array.from({ length: count }, (_, i) => {
    const at = Math.round(t0 + (span * i) / (count - 1));
    return { at, label: timeLabel(at, span, timeZone) };
  });
}

function timeLabel(at: number, span: number, timeZone?: string): string {
  const d = new Date(at * 1000);
  const time = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(d);
  if (span < 2 * DAY) return time;
  const date = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone }).format(d);
  return `${date} ${time}`;
}


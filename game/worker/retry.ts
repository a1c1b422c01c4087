/**
 * Attempts and backoff of the worker's duties. Each duty keeps its own `RetryBook`: one `RetryState` per
 * (epoch, round) it is trying to do something for, with the number of failures, the time of the next try
 * (exponential backoff with a cap) and the last error. Nothing here gives up: a duty retries while the chain says its
 * work is still possible, and drops the state (saying why) when the chain says it is moot. The clock is injected, so
 * tests drive it by hand.
 */

export interface BackoffPolicy {
  /** Pause after the first failure. */
  baseMs: number;
  /** Longest pause, however many failures. */
  capMs: number;
}

/** The pause after `failures` failures in a row: base, 2 base, 4 base, … up to the cap (0 before any failure). */
export function backoffMs(failures: number, policy: BackoffPolicy): number {
  if (failures <= 0) return 0;
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(failures - 1, 30));
}

export type Clock = () => number;

/** One duty's attempts at one (epoch, round). */
export class RetryState {
  private failures = 0;
  private nextAt = 0;
  private error: string | undefined;

  constructor(
    readonly epoch: bigint,
    readonly round: bigint,
    private readonly policy: BackoffPolicy,
    private readonly now: Clock,
  ) {}

  /** Failures in a row so far. */
  get attempts(): number {
    return this.failures;
  }

  get lastError(): string | undefined {
    return this.error;
  }

  /** When the next try may be made (ms since the epoch of `now`); 0 while nothing failed. */
  get retryAt(): number {
    return this.nextAt;
  }

  /** Whether a try may be made now. */
  due(): boolean {
    return this.now() >= this.nextAt;
  }

  /** Records a failure; returns the pause before the next try. */
  failed(error: string): number {
    this.failures++;
    this.error = error;
    const pause = backoffMs(this.failures, this.policy);
    this.nextAt = this.now() + pause;
    return pause;
  }

  /** Records a success: the next failure starts the backoff afresh. */
  succeeded(): void {
    this.failures = 0;
    this.nextAt = 0;
    this.error = undefined;
  }
}

/** One duty's retry states, by epoch and round (round 0 for duties that have no rounds). */
export class RetryBook {
  private readonly byEpoch = new Map<bigint, Map<bigint, RetryState>>();

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly now: Clock,
  ) {}

  /** The state of (epoch, round), created on first use. */
  get(epoch: bigint, round = 0n): RetryState {
    let rounds = this.byEpoch.get(epoch);
    if (rounds === undefined) this.byEpoch.set(epoch, (rounds = new Map()));
    let state = rounds.get(round);
    if (state === undefined) rounds.set(round, (state = new RetryState(epoch, round, this.policy, this.now)));
    return state;
  }

  /** The state of (epoch, round) if there is one. */
  peek(epoch: bigint, round = 0n): RetryState | undefined {
    return this.byEpoch.get(epoch)?.get(round);
  }

  /** Removes and returns the states of `epoch` (every round, or only those `which` selects). */
  drop(epoch: bigint, which: (s: RetryState) => boolean = () => true): RetryState[] {
    const rounds = this.byEpoch.get(epoch);
    if (rounds === undefined) return [];
    const dropped = [...rounds.values()].filter(which);
    for (const s of dropped) rounds.delete(s.round);
    if (rounds.size === 0) this.byEpoch.delete(epoch);
    return dropped;
  }

  /** The states that have failed at least once, oldest epoch first. */
  failing(): RetryState[] {
    return [...this.byEpoch.values()]
      .flatMap((rounds) => [...rounds.values()])
      .filter((s) => s.attempts > 0)
      .sort((a, b) => (a.epoch < b.epoch ? -1 : a.epoch > b.epoch ? 1 : Number(a.round - b.round)));
  }
}

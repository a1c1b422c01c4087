/**
 * What every duty of the worker is: a module that the loop hands each ended epoch's view (read at the confirmed
 * block), that decides from the chain alone whether it has something to do, and that owns its attempts: a typed retry
 * state per (epoch, round) with capped exponential backoff. A failure is logged with a hint at what to do and retried
 * once its pause has passed, for as long as the chain says the work is still possible; the duty gives up only when
 * the chain says it is moot (the window closed, someone else did it), and logs why. An RPC outage is not the duty's
 * failure: it is rethrown, and the loop backs off as a whole.
 */
import type { Logger } from "pino";
import type { Address } from "viem";
import { STATUS_NAMES, type EpochView } from "../contracts.js";
import type { ErrorKind, WorkerMetrics } from "../metrics.js";
import { RetryBook, type BackoffPolicy, type Clock, type RetryState } from "../retry.js";
import { errorLine, isRpcDown, revertName, type SettlementSend } from "../tx.js";

export type DutyName = "sign" | "aggregate" | "slash" | "challenge" | "finalize" | "claim";

/** "settled": the duty needs nothing more of the epoch as it stands; "pending": it is (or may be) still at work. */
export type DutyOutcome = "settled" | "pending";

export interface DutyHealth {
  /** Confirmed block and time of the duty's last success, and the epoch it was for. */
  lastSuccessBlock: number | null;
  lastSuccessAt: string | null;
  lastSuccessEpoch: number | null;
  /** Attempts that failed and will be retried. */
  failing: { epoch: number; round: number; attempts: number; retryAt: string; lastError: string | undefined }[];
}

/** One duty, as the loop sees it. The attest duty can be swapped for others (sign, aggregate) behind this. */
export interface Duty {
  readonly name: DutyName;
  /** Does what `view`'s epoch needs of this duty now, if anything. Throws only when the RPC is down. */
  step(view: EpochView): Promise<DutyOutcome>;
  /** Work not tied to an epoch of the loop's window (the reward backlog); called once per poll. */
  background?(safe: bigint): Promise<void>;
  /** The loop is past `epoch`: drop what is kept for it. */
  forget(epoch: bigint): void;
  health(): DutyHealth;
}

/** What a duty is given: who it is, how it logs and counts, how it sends, its clock and backoff. */
export interface DutyDeps {
  me: Address;
  log: Logger;
  metrics: WorkerMetrics;
  send: SettlementSend;
  now: Clock;
  backoff: BackoffPolicy;
}

/** A failure of a step inside a duty's attempt that is of another kind than the duty's (a replay, a missing tree). */
export class DutyFailure extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly hint: string,
    readonly reason: unknown,
  ) {
    super(errorLine(reason));
  }
}

/** Where an attempt stands: the epoch and round it is for, and the confirmed block it acts on. */
export interface AttemptAt {
  epoch: bigint;
  round: bigint;
  safe: bigint;
}

export abstract class DutyBase implements Duty {
  abstract readonly name: DutyName;
  protected readonly retries: RetryBook;
  private lastSuccess: { block: bigint; at: number; epoch: bigint } | undefined;

  constructor(protected readonly deps: DutyDeps) {
    this.retries = new RetryBook(deps.backoff, deps.now);
  }

  abstract step(view: EpochView): Promise<DutyOutcome>;

  /**
   * Runs `action` for (epoch, round) if its retry state is due. Its result on success; undefined when not due or
   * when it failed (logged with `hint`, or with a DutyFailure's own kind and hint, and retried after the backoff).
   */
  protected async attempt<T>(
    at: AttemptAt,
    failure: { kind: ErrorKind; hint: string },
    action: () => Promise<T>,
  ): Promise<T | undefined> {
    const state = this.retries.get(at.epoch, at.round);
    if (!state.due()) return undefined;
    try {
      const result = await action();
      state.succeeded();
      return result;
    } catch (e) {
      const cause = e instanceof DutyFailure ? e.reason : e;
      if (isRpcDown(cause)) throw cause;
      const { kind, hint } = e instanceof DutyFailure ? e : failure;
      const message = errorLine(cause);
      const pause = state.failed(message);
      this.deps.metrics.error(kind);
      this.deps.log.error(
        {
          kind,
          duty: this.name,
          err: message,
          revert: revertName(cause),
          epoch: Number(at.epoch),
          round: Number(at.round),
          attempt: state.attempts,
          retryInMs: pause,
        },
        hint,
      );
      return undefined;
    }
  }

  /** Records that the duty did its work for `epoch` at block `safe` (for /healthz). */
  protected succeeded(epoch: bigint, safe: bigint): void {
    this.lastSuccess = { block: safe, at: this.deps.now(), epoch };
  }

  /** The chain says the work is moot: drops the retry states of `epoch` (`which` of them), saying why for failed ones. */
  protected moot(epoch: bigint, why: string, which?: (s: RetryState) => boolean): void {
    for (const s of this.retries.drop(epoch, which)) {
      if (s.attempts === 0) continue;
      this.deps.log.warn(
        { duty: this.name, epoch: Number(epoch), round: Number(s.round), attempts: s.attempts, lastError: s.lastError },
        `${this.name}: gave up after ${s.attempts} failed attempt(s): ${why}`,
      );
    }
  }

  /** Moot because the epoch's status moved on. */
  protected statusMoot(view: EpochView, why: string): void {
    this.moot(view.epoch, `the epoch is ${STATUS_NAMES[view.status]}: ${why}`);
  }

  forget(epoch: bigint): void {
    this.retries.drop(epoch);
  }

  health(): DutyHealth {
    const s = this.lastSuccess;
    return {
      lastSuccessBlock: s === undefined ? null : Number(s.block),
      lastSuccessAt: s === undefined ? null : new Date(s.at).toISOString(),
      lastSuccessEpoch: s === undefined ? null : Number(s.epoch),
      failing: this.retries.failing().map((f) => ({
        epoch: Number(f.epoch),
        round: Number(f.round),
        attempts: f.attempts,
        retryAt: new Date(f.retryAt).toISOString(),
        lastError: f.lastError,
      })),
    };
  }
}

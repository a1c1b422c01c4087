/**
 * The claim duty: this worker's attester reward of every Final epoch whose root it attested, once. Epochs older than
 * the loop's window (found after a restart by the loop's reward sweep) wait in a backlog that is retried the same
 * way. A reward stays claimable, so a failed claim is retried (with backoff) until it is paid.
 */
import { EpochStatus, type EpochView } from "../contracts.js";
import type { SettlementEvents } from "../events.js";
import { DutyBase, type DutyDeps, type DutyOutcome } from "./duty.js";

export const CLAIM_HINT = "claiming the attester reward failed: check the worker's ETH balance for gas; retrying";

export class ClaimDuty extends DutyBase {
  readonly name = "claim" as const;
  /** Epochs whose reward was claimed (or found already paid) by this process. */
  private readonly claimed = new Set<bigint>();
  /** Final epochs before the loop's window whose reward is unclaimed. */
  private readonly backlog = new Set<bigint>();

  constructor(
    deps: DutyDeps,
    private readonly events: Pick<SettlementEvents, "attestedBy" | "rewarded">,
  ) {
    super(deps);
  }

  /** Adds epochs (Final, attested by this worker, reward unpaid) older than the loop's window. */
  enqueue(epochs: Iterable<bigint>): void {
    for (const e of epochs) this.backlog.add(e);
  }

  async step(v: EpochView): Promise<DutyOutcome> {
    if (v.status !== EpochStatus.Final || v.root === undefined) {
      if (v.status === EpochStatus.Fallback) this.statusMoot(v, "no root was final in time: it pays no attester rewards");
      return v.status === EpochStatus.Fallback ? "settled" : "pending";
    }
    const root = v.root;
    if (!this.events.attestedBy(v.epoch, this.deps.me).some((a) => a.root === root)) {
      this.moot(v.epoch, "this worker did not attest the final root");
      return "settled";
    }
    if (this.claimed.has(v.epoch) || this.events.rewarded(v.epoch)) return "settled";
    return (await this.claim(v.epoch, v.safe)) ? "settled" : "pending";
  }

  async background(safe: bigint): Promise<void> {
    for (const epoch of [...this.backlog]) {
      if (await this.claim(epoch, safe)) this.backlog.delete(epoch);
    }
  }

  /** Claims `epoch`'s reward; true once it is paid (now or before). */
  private async claim(epoch: bigint, safe: bigint): Promise<boolean> {
    const sent = await this.attempt({ epoch, round: 0n, safe }, { kind: "claim", hint: CLAIM_HINT }, () =>
      this.deps.send({ functionName: "claimAttesterReward", args: [epoch] }, ["NoAttesterReward"]),
    );
    if (sent === undefined) return false;
    this.claimed.add(epoch);
    if (sent.status === "sent") {
      this.succeeded(epoch, safe);
      this.deps.metrics.rewardsClaimed.inc();
      this.deps.log.info({ epoch: Number(epoch), tx: sent.hash }, "claimed attester reward");
    }
    return true;
  }

  override forget(epoch: bigint): void {
    super.forget(epoch);
    this.claimed.delete(epoch);
  }
}

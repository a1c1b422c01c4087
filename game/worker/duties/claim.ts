/**
 * The claim duty: this worker's attester reward of every Final epoch whose aggregate attestation counts it among the
 * signers (its index is not in the attestation's non-signer list), once. Epochs older than
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
    private readonly events: Pick<SettlementEvents, "rewarded">,
    /** The non-signer list of the final root's attestation of `epoch`. */
    private readonly nonSigners: (epoch: bigint) => Promise<readonly bigint[]>,
    private readonly index: () => bigint | undefined,
  ) {
    super(deps);
  }

  /** Adds epochs (Final, reward unpaid) older than the loop's window. */
  enqueue(epochs: Iterable<bigint>): void {
    for (const e of epochs) this.backlog.add(e);
  }

  async step(v: EpochView): Promise<DutyOutcome> {
    if (v.status !== EpochStatus.Final || v.root === undefined) {
      if (v.status === EpochStatus.Fallback) this.statusMoot(v, "no root was final in time: it pays no attester rewards");
      return v.status === EpochStatus.Fallback ? "settled" : "pending";
    }
    if (this.claimed.has(v.epoch) || this.events.rewarded(v.epoch)) return "settled";
    return (await this.claim(v.epoch, v.safe)) ? "settled" : "pending";
  }

  async background(safe: bigint): Promise<void> {
    for (const epoch of [...this.backlog]) {
      if (await this.claim(epoch, safe)) this.backlog.delete(epoch);
    }
  }

  /** Claims `epoch`'s reward; true once it is paid (now or before) or not this worker's. */
  private async claim(epoch: bigint, safe: bigint): Promise<boolean> {
    const index = this.index();
    if (index === undefined) return true; // not registered: no signer index to be paid as
    const sent = await this.attempt({ epoch, round: 0n, safe }, { kind: "claim", hint: CLAIM_HINT }, async () => {
      const list = await this.nonSigners(epoch);
      if (list.includes(index)) return { status: "skipped" as const, reason: "did not sign the final root" };
      return this.deps.send({ functionName: "claimAttesterReward", args: [epoch, index, list] }, ["NoAttesterReward"]);
    });
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

/**
 * The attest duty: for an Open epoch that this worker has not attested in the current round, build its tree (the
 * epoch's runs replayed in the pool) and send `attest(epoch, root, runCount, totalGold)`. Self-contained behind the
 * Duty interface, so that a BLS design can replace it with "sign" and "aggregate" duties without touching the others.
 */
import { EpochStatus, type EpochView } from "../contracts.js";
import type { TreeSource } from "../epoch-data.js";
import type { SettlementEvents } from "../events.js";
import { DutyBase, DutyFailure, type DutyDeps, type DutyOutcome } from "./duty.js";

export const ATTEST_HINT =
  "the attestation failed: if it repeats, check the worker's ETH balance for gas and its bond (status)";
export const REPLAY_HINT = "could not fetch or replay the epoch's runs; retrying";

export class AttestDuty extends DutyBase {
  readonly name = "attest" as const;
  private highest: bigint | undefined;

  constructor(
    deps: DutyDeps,
    private readonly trees: Pick<TreeSource, "ownTree">,
    private readonly events: Pick<SettlementEvents, "attestedBy">,
  ) {
    super(deps);
  }

  /** The highest epoch this worker attested since it started. */
  get lastEpochAttested(): bigint | undefined {
    return this.highest;
  }

  async step(v: EpochView): Promise<DutyOutcome> {
    if (v.status !== EpochStatus.Open) {
      this.statusMoot(v, "a root reached quorum or the epoch settles otherwise; it takes no more attestations");
      return "settled";
    }
    this.moot(v.epoch, `round ${v.round} replaced it (a root was rejected)`, (s) => s.round < v.round);
    if (!v.eligible) {
      this.moot(v.epoch, "this worker may not attest (see `npm run worker -- status`)");
      return "pending";
    }
    if (this.events.attestedBy(v.epoch, this.deps.me).some((a) => a.round === v.round)) {
      this.moot(v.epoch, "this worker's attestation of this round is on-chain");
      return "pending";
    }
    const t0 = performance.now();
    const done = await this.attempt(v, { kind: "attest", hint: ATTEST_HINT }, async () => {
      const own = await this.trees.ownTree(v.epoch, v.runCount).catch((e: unknown) => {
        throw new DutyFailure("replay", REPLAY_HINT, e);
      });
      const { tree, total } = own;
      const sent = await this.deps.send(
        { functionName: "attest", args: [v.epoch, tree.root, BigInt(tree.runCount), total] },
        ["AlreadyAttested", "WrongEpochStatus"],
      );
      return { tree, total, sent };
    });
    if (done === undefined) return "pending";
    const { tree, total, sent } = done;
    if (sent.status === "skipped") {
      this.deps.log.info({ epoch: Number(v.epoch), round: Number(v.round) }, "already attested or no longer open: skipped");
      return "pending";
    }
    this.succeeded(v.epoch, v.safe);
    this.deps.metrics.epochsAttested.inc();
    if (this.highest === undefined || v.epoch > this.highest) {
      this.highest = v.epoch;
      this.deps.metrics.lastEpochAttested.set(Number(v.epoch));
    }
    this.deps.log.info(
      {
        epoch: Number(v.epoch),
        round: Number(v.round),
        root: tree.root,
        runs: tree.runCount,
        totalGold: total.toString(),
        tx: sent.hash,
        seconds: Math.round(performance.now() - t0) / 1000,
      },
      "attested epoch",
    );
    return "pending";
  }
}

/** The finalize duty: an epoch whose root's challenge window passed unchallenged is finalized (anyone may). */
import { EpochStatus, type EpochView } from "../contracts.js";
import { DutyBase, type DutyOutcome } from "./duty.js";

export const FINALIZE_HINT = "finalize failed: someone may have finalized first; retrying";

export class FinalizeDuty extends DutyBase {
  readonly name = "finalize" as const;

  async step(v: EpochView): Promise<DutyOutcome> {
    if (v.status !== EpochStatus.Finalizable) {
      this.statusMoot(v, "it is not (or no longer) waiting to be finalized");
      return "settled";
    }
    const sent = await this.attempt({ ...v, round: 0n }, { kind: "finalize", hint: FINALIZE_HINT }, () =>
      this.deps.send({ functionName: "finalize", args: [v.epoch] }, ["WrongEpochStatus"]),
    );
    if (sent?.status === "sent") {
      this.succeeded(v.epoch, v.safe);
      this.deps.metrics.epochsFinalized.inc();
      this.deps.log.info({ epoch: Number(v.epoch) }, "finalized epoch");
    }
    return "pending";
  }
}

/**
 * The sign duty: for an Open epoch, once per round, build this worker's tree (the epoch's runs replayed in the pool)
 * and sign its root, run count and total with the worker's BLS key (`RewardSettlement.attestationDigest`). The
 * signature is kept in the SignatureBook, which the HTTP server serves on /signatures/<epoch>/<round> and the
 * aggregate duty (this worker's or a peer's) puts into the epoch's one aggregate attestation. No transaction.
 */
import type { Address } from "viem";
import { attestationDigest, signAttestation, type BlsKey } from "../../chain/bls.js";
import { EpochStatus, type EpochView } from "../contracts.js";
import type { TreeSource } from "../epoch-data.js";
import type { SignatureBook } from "../signatures.js";
import { DutyBase, DutyFailure, type DutyDeps, type DutyOutcome } from "./duty.js";

export const SIGN_HINT = "signing the epoch's root failed; retrying";
export const REPLAY_HINT = "could not fetch or replay the epoch's runs; retrying";

export class SignDuty extends DutyBase {
  readonly name = "sign" as const;
  private highest: bigint | undefined;

  constructor(
    deps: DutyDeps,
    private readonly trees: Pick<TreeSource, "ownTree">,
    private readonly book: SignatureBook,
    private readonly signer: { key: BlsKey; index: () => bigint | undefined; chainId: number; settlement: Address },
  ) {
    super(deps);
  }

  /** The highest epoch this worker signed since it started. */
  get lastEpochSigned(): bigint | undefined {
    return this.highest;
  }

  async step(v: EpochView): Promise<DutyOutcome> {
    if (v.status !== EpochStatus.Open) {
      this.statusMoot(v, "a root reached quorum or the epoch settles otherwise; it takes no more signatures");
      return "settled";
    }
    this.moot(v.epoch, `round ${v.round} replaced it (a root was rejected)`, (s) => s.round < v.round);
    const index = this.signer.index();
    if (!v.eligible || index === undefined) {
      this.moot(v.epoch, "this worker may not sign (see `npm run worker -- status`)");
      return "pending";
    }
    if (this.book.get(v.epoch, v.round) !== undefined) return "pending";
    const t0 = performance.now();
    const own = await this.attempt(v, { kind: "attest", hint: SIGN_HINT }, () =>
      this.trees.ownTree(v.epoch).catch((e: unknown) => {
        throw new DutyFailure("replay", REPLAY_HINT, e);
      }),
    );
    if (own === undefined) return "pending";
    const { tree, total } = own;
    const runCount = BigInt(tree.runCount);
    const digest = attestationDigest({
      chainId: this.signer.chainId,
      settlement: this.signer.settlement,
      epoch: v.epoch,
      round: v.round,
      root: tree.root,
      runCount,
      totalGold: total,
    });
    this.book.add({
      worker: this.deps.me,
      index: index.toString(),
      epoch: v.epoch.toString(),
      round: v.round.toString(),
      root: tree.root,
      runCount: runCount.toString(),
      totalGold: total.toString(),
      signature: signAttestation(this.signer.key.secretKey, digest),
    });
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
        seconds: Math.round(performance.now() - t0) / 1000,
      },
      "signed epoch",
    );
    return "pending";
  }
}

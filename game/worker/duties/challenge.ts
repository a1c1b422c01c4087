/**
 * The check-and-challenge duty: a root, run count or total that reached quorum and is not this worker's own is opened
 * in its tree (this worker's, or a peer's from /trees, which serves every leaf's (position, runId, gold)) and the
 * cheapest provable fraud game/chain/fraud.ts finds is sent as the contract call it names (`challenge`,
 * `challengeLeaf`, `challengeOrder`, `challengeOmission`, `challengeNode` or `challengeDepth`). It retries while the
 * epoch is Challengeable; once the window closes or the root is gone, it is moot.
 */
import type { Hex } from "viem";
import { challengeCall, depthFraud, findFraud } from "../../chain/fraud.js";
import { EpochTree } from "../../chain/tree.js";
import { EpochStatus, type EpochView } from "../contracts.js";
import type { TreeSource } from "../epoch-data.js";
import type { SettlementEvents } from "../events.js";
import { DutyBase, DutyFailure, type DutyDeps, type DutyOutcome } from "./duty.js";

export const CHALLENGE_HINT = "the challenge failed: if it repeats, the peer's tree may be wrong; the epoch stays watched";
export const NO_TREE_HINT =
  "a wrong root reached quorum but its tree is unavailable, so no position can be opened: add peers " +
  "(--peers) that serve /trees, and alert the network";

const same = (a: Hex, b: Hex) => a.toLowerCase() === b.toLowerCase();

export class ChallengeDuty extends DutyBase {
  readonly name = "challenge" as const;

  constructor(
    deps: DutyDeps,
    private readonly trees: TreeSource,
    private readonly events: Pick<SettlementEvents, "attestedBy" | "quorumAttestation">,
  ) {
    super(deps);
  }

  async step(v: EpochView): Promise<DutyOutcome> {
    if (v.status !== EpochStatus.Challengeable || v.root === undefined) {
      this.statusMoot(v, "its quorum root is final, rejected or past its challenge window");
      return "settled";
    }
    this.moot(v.epoch, `round ${v.round} replaced it (the root was rejected)`, (s) => s.round < v.round);
    const root = v.root;
    const done = await this.attempt(v, { kind: "challenge", hint: CHALLENGE_HINT }, async () => {
      // An epoch without runs may still get a quorum root (the run count is attested, not checked on-chain): every
      // leaf of it is invented.
      const ours =
        v.runCount === 0n
          ? null
          : await this.trees.ownTree(v.epoch).catch((e: unknown) => {
              throw new DutyFailure("replay", "could not fetch or replay the epoch's runs to check its root; retrying", e);
            });
      const attested = this.events.quorumAttestation(v.epoch, v.round, root);
      if (attested === undefined) return undefined; // its Attested events are not scanned yet
      const { totalGold: total } = attested;
      const count = Number(attested.runCount);
      const honest = ours?.tree ?? null;
      if (honest !== null && same(root, honest.root) && total === honest.totalGold && count === honest.runCount) return undefined;
      // A root and total this worker attested in this round are what it stands by (only a tampered test worker gets here).
      const mine = this.events
        .attestedBy(v.epoch, this.deps.me)
        .some((a) => a.round === v.round && same(a.root, root) && a.totalGold === total && a.runCount === attested.runCount);
      if (mine) return undefined;
      const ownRoot = honest !== null && same(root, honest.root);
      let fraud = ownRoot ? depthFraud(honest, count, total) : null;
      if (fraud === null) {
        // The honest root under another count of the same depth is the honest positions under that count.
        const theirs = ownRoot
          ? count === honest.runCount
            ? honest
            : EpochTree.fromPositions(v.epoch, count, honest.positions(), honest.leaves())
          : await this.trees.foreignTree(v.epoch, root, count);
        if (theirs === null) throw new DutyFailure("tree", NO_TREE_HINT, new Error(`no peer serves the tree of root ${root}`));
        fraud = findFraud(theirs, total, honest, ours?.runs ?? []);
      }
      if (fraud === null) {
        throw new DutyFailure(
          "tree",
          "cannot challenge: nothing provably wrong",
          new Error("every leaf of the foreign tree that it opens matches ours"),
        );
      }
      const sent = await this.deps.send(challengeCall(v.epoch, fraud), ["WrongEpochStatus", "ChallengeWindowClosed"]);
      return { fraud, sent, count };
    });
    if (done === undefined) return "pending";
    const { fraud, sent, count } = done;
    if (sent.status === "skipped") {
      this.deps.log.info({ epoch: Number(v.epoch), root }, "root already challenged or window closed: skipped");
      return "pending";
    }
    this.succeeded(v.epoch, v.safe);
    this.deps.metrics.challengesSent.inc();
    this.deps.log.warn(
      {
        epoch: Number(v.epoch),
        round: Number(v.round),
        root,
        call: fraud.fn,
        level: fraud.level,
        position: fraud.position,
        runId: fraud.runId.toString(),
        attestedRuns: count,
        fraud: fraud.kind,
        why: fraud.reason,
        tx: sent.hash,
      },
      "challenged a wrong root: its attesters were slashed and the epoch reopened",
    );
    return "pending";
  }
}

/**
 * The aggregate duty: for an Open epoch, gather the signatures of the current round (this worker's and its peers',
 * from their /signatures/<epoch>/<round>), check each against its signer's registered key, group them by what they
 * sign (root, run count, total), and once the group of its own signature (any group, for a worker that did not sign)
 * holds two thirds of the eligible stake (`quorumBps`), send the epoch's one aggregate attestation: `attest(epoch, root, runCount, totalGold, nonSigners, signature)`.
 *
 * Any worker may aggregate; to avoid everyone paying for the same transaction, the eligible workers take turns by
 * epoch: the one at position (epoch + round) mod n of the eligible indices goes at the epoch's end, the next
 * `aggregateDelay` blocks later, and so on, so a crashed aggregator is replaced within a few blocks. A duplicate that
 * loses the race is a skip (`WrongEpochStatus`), not an error.
 */
import type { Address } from "viem";
import { aggregateSignatures, nonSignersOf } from "../../chain/bls.js";
import { EpochStatus, type EpochView, type WorkerContracts } from "../contracts.js";
import type { EpochClock } from "../epoch-data.js";
import {
  checkSignature,
  claimKey,
  fetchSignatures,
  readSignerSet,
  type SignatureBook,
  type SignedRoot,
  type SignerSet,
} from "../signatures.js";
import { DutyBase, type DutyDeps, type DutyOutcome } from "./duty.js";

export const AGGREGATE_HINT =
  "the aggregate attestation failed: if it repeats, check the worker's ETH balance for gas (status); retrying";

const BPS = 10_000n;

export interface AggregateOptions {
  peers: readonly string[];
  /** Blocks between one aggregator's turn and the next's. */
  delayBlocks: bigint;
  quorumBps: bigint;
  chainId: number;
  settlement: Address;
  index: () => bigint | undefined;
}

export class AggregateDuty extends DutyBase {
  readonly name = "aggregate" as const;
  private readonly keys = new Map<bigint, `0x${string}`>();
  /** Checked signatures, by "epoch:round": index -> signature. */
  private readonly checked = new Map<string, Map<bigint, SignedRoot>>();

  constructor(
    deps: DutyDeps,
    private readonly contracts: WorkerContracts,
    private readonly clock: EpochClock,
    private readonly book: SignatureBook,
    private readonly o: AggregateOptions,
  ) {
    super(deps);
  }

  async step(v: EpochView): Promise<DutyOutcome> {
    if (v.status !== EpochStatus.Open) {
      this.checked.delete(`${v.epoch}:${v.round}`);
      this.statusMoot(v, "a root reached quorum or the epoch settles otherwise");
      return "settled";
    }
    this.moot(v.epoch, `round ${v.round} replaced it (a root was rejected)`, (s) => s.round < v.round);
    const set = await readSignerSet(this.contracts, v.safe, this.keys);
    const n = BigInt(set.indices.length);
    if (n === 0n) return "pending";
    // My place in the turn order (after everyone if this worker is not in the set).
    const me = this.o.index();
    const position = me === undefined ? -1 : set.indices.indexOf(me);
    const turn = (v.epoch + v.round) % n;
    const offset = position < 0 ? n : (BigInt(position) - turn + n) % n;
    if (v.safe < this.clock.epochEnd(v.epoch) + offset * this.o.delayBlocks) return "pending";

    const best = await this.bestGroup(v, set);
    if (best === undefined) return "pending";
    const { group, stake } = best;
    if (stake * BPS < this.o.quorumBps * set.eligibleStake) {
      this.deps.log.debug(
        { epoch: Number(v.epoch), round: Number(v.round), signers: group.length, stake: stake.toString() },
        "not enough signatures for a quorum yet",
      );
      return "pending";
    }
    const first = group[0]!;
    const signed = new Set(group.map((s) => BigInt(s.index)));
    const nonSigners = nonSignersOf(set.indices, signed);
    const signature = aggregateSignatures(group.map((s) => s.signature));
    const args = [v.epoch, first.root, BigInt(first.runCount), BigInt(first.totalGold), nonSigners, signature] as const;
    const sent = await this.attempt(v, { kind: "attest", hint: AGGREGATE_HINT }, () =>
      this.deps.send({ functionName: "attest", args }, ["WrongEpochStatus"]),
    );
    if (sent === undefined) return "pending";
    if (sent.status === "skipped") {
      this.deps.log.info({ epoch: Number(v.epoch), round: Number(v.round) }, "already attested or no longer open: skipped");
      return "pending";
    }
    this.succeeded(v.epoch, v.safe);
    this.deps.log.info(
      {
        epoch: Number(v.epoch),
        round: Number(v.round),
        root: first.root,
        runs: Number(first.runCount),
        totalGold: first.totalGold,
        signers: group.length,
        nonSigners: nonSigners.length,
        stake: stake.toString(),
        tx: sent.hash,
      },
      "attested epoch",
    );
    return "pending";
  }

  /** The checked signatures of (epoch, round) that agree with each other and hold the most stake. */
  private async bestGroup(v: EpochView, set: SignerSet): Promise<{ group: SignedRoot[]; stake: bigint } | undefined> {
    const key = `${v.epoch}:${v.round}`;
    let known = this.checked.get(key);
    if (known === undefined) this.checked.set(key, (known = new Map()));
    const own = this.book.get(v.epoch, v.round);
    const candidates = [...(own ? [own] : []), ...(await fetchSignatures(this.o.peers, v.epoch, v.round))];
    const at = { chainId: this.o.chainId, settlement: this.o.settlement, epoch: v.epoch, round: v.round };
    for (const s of candidates) {
      const index = BigInt(s.index);
      if (known.get(index)?.signature === s.signature) continue;
      if (checkSignature(s, set, at)) known.set(index, s);
      else this.deps.log.warn({ epoch: Number(v.epoch), worker: s.worker, index: s.index }, "a peer's signature does not verify: left out");
    }
    const groups = new Map<string, { group: SignedRoot[]; stake: bigint }>();
    // The run count is attested, not checked on-chain: a worker that signed submits only its own (what it counted in
    // the epoch's logs, and a tampered test worker its tree's); one that did not, only the count of the logs it reads.
    const count = own !== undefined ? BigInt(own.runCount) : v.runCount;
    for (const [index, s] of known) {
      const bond = set.bonds.get(index);
      if (bond === undefined || BigInt(s.runCount) !== count) continue; // left the set, or a wrong run count
      const k = claimKey(s);
      const g = groups.get(k) ?? { group: [], stake: 0n };
      g.group.push(s);
      g.stake += bond;
      groups.set(k, g);
    }
    // A worker that signed submits only what it signed itself (what it replayed); one that did not, the best group.
    if (own !== undefined) return groups.get(claimKey(own));
    let best: { group: SignedRoot[]; stake: bigint } | undefined;
    for (const g of groups.values()) if (best === undefined || g.stake > best.stake) best = g;
    return best;
  }

  override forget(epoch: bigint): void {
    super.forget(epoch);
    for (const k of [...this.checked.keys()]) if (k.startsWith(`${epoch}:`)) this.checked.delete(k);
  }
}

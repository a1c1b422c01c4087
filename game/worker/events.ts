/**
 * The worker's cache of the settlement's events, read in pages up to the confirmed block: who attested what in each
 * epoch and round, the transaction of each round's QuorumReached (the attestation in it carries the quorum's total),
 * which epochs paid this worker its attester reward, and roots of this worker's that were rejected (logged as the
 * slash they are). Rebuilt from the chain after a restart; epochs are forgotten once the loop is past them.
 */
import type { Logger } from "pino";
import { getAddress, parseEventLogs, type Address, type Hex } from "viem";
import { FRAUD_NAMES } from "../chain/fraud.js";
import { rewardSettlementAbi } from "../chain/generated/abis.js";
import type { ChainContext } from "./chain.js";
import type { WorkerMetrics } from "./metrics.js";
import type { SignatureBook } from "./signatures.js";

export interface Attestation {
  worker: Address;
  root: Hex;
  round: bigint;
  runCount: bigint;
  totalGold: bigint;
  tx: Hex | null;
}

/** What the duties read of the cache (a test gives them a fake). */
export interface SettlementEvents {
  /** Attestations of `epoch` by `worker`, every round: for this worker, the roots it signed; for others, the
   * aggregate attestations they submitted. */
  attestedBy(epoch: bigint, worker: Address): Attestation[];
  /** The total attested with the quorum root of (epoch, round), or undefined while its events are not scanned. */
  quorumTotal(epoch: bigint, round: bigint, root: Hex): bigint | undefined;
  /**
   * The run count and total attested with the quorum root of (epoch, round) (the run count is attested, not checked
   * on-chain), or undefined while its events are not scanned.
   */
  quorumAttestation(epoch: bigint, round: bigint, root: Hex): { runCount: bigint; totalGold: bigint } | undefined;
  /** Whether this worker's attester reward of `epoch` was paid. */
  rewarded(epoch: bigint): boolean;
}

interface EpochEvents {
  attestations: Attestation[];
  /** Transaction of QuorumReached, by round. */
  quorumTx: Map<bigint, Hex>;
  rewarded: boolean;
}

const sameRoot = (a: Hex, b: Hex) => a.toLowerCase() === b.toLowerCase();

export class EventCache implements SettlementEvents {
  private readonly epochs = new Map<bigint, EpochEvents>();
  /** Last block scanned. */
  private cursor = -1n;

  constructor(
    private readonly ctx: ChainContext,
    private readonly me: Address,
    private readonly log: Logger,
    private readonly metrics: WorkerMetrics,
    private readonly pageBlocks: number,
    /** What this worker signed: its own "attestations" (it sends none unless it aggregates). */
    private readonly book: SignatureBook,
  ) {}

  /** Scanning starts after `block`. */
  startAfter(block: bigint): void {
    this.cursor = block;
  }

  get scannedTo(): bigint {
    return this.cursor;
  }

  private of(epoch: bigint): EpochEvents {
    let e = this.epochs.get(epoch);
    if (e === undefined) this.epochs.set(epoch, (e = { attestations: [], quorumTx: new Map(), rewarded: false }));
    return e;
  }

  attestedBy(epoch: bigint, worker: Address): Attestation[] {
    if (worker === this.me) {
      return this.book.all(epoch).map((s) => ({
        worker,
        root: s.root,
        round: BigInt(s.round),
        runCount: BigInt(s.runCount),
        totalGold: BigInt(s.totalGold),
        tx: null,
      }));
    }
    return (this.epochs.get(epoch)?.attestations ?? []).filter((a) => a.worker === worker);
  }

  quorumTotal(epoch: bigint, round: bigint, root: Hex): bigint | undefined {
    return this.quorumAttestation(epoch, round, root)?.totalGold;
  }

  quorumAttestation(epoch: bigint, round: bigint, root: Hex): { runCount: bigint; totalGold: bigint } | undefined {
    const e = this.epochs.get(epoch);
    const list = (e?.attestations ?? []).filter((a) => a.round === round && sameRoot(a.root, root));
    const tx = e?.quorumTx.get(round);
    const inTx = list.find((a) => a.tx !== null && a.tx === tx);
    if (inTx !== undefined) return { runCount: inTx.runCount, totalGold: inTx.totalGold };
    const kinds = new Set(list.map((a) => `${a.runCount}:${a.totalGold}`));
    return kinds.size === 1 ? { runCount: list[0]!.runCount, totalGold: list[0]!.totalGold } : undefined;
  }

  rewarded(epoch: bigint): boolean {
    return this.epochs.get(epoch)?.rewarded ?? false;
  }

  forget(epoch: bigint): void {
    this.epochs.delete(epoch);
  }

  /** Reads the settlement's events up to `safe`, in pages. */
  async scan(safe: bigint): Promise<void> {
    while (this.cursor < safe) {
      const from = this.cursor + 1n;
      const last = from + BigInt(this.pageBlocks) - 1n;
      const to = last < safe ? last : safe;
      const logs = await this.ctx.publicClient.getLogs({
        address: this.ctx.deployment.contracts.settlement,
        fromBlock: from,
        toBlock: to,
      });
      for (const log of parseEventLogs({ abi: rewardSettlementAbi, logs, strict: false })) {
        if (log.eventName === "Attested") {
          const a = log.args;
          if (a.epoch === undefined || a.worker === undefined || a.root === undefined) continue;
          this.of(a.epoch).attestations.push({
            worker: getAddress(a.worker),
            root: a.root,
            round: a.round ?? 0n,
            runCount: a.runCount ?? 0n,
            totalGold: a.totalGold ?? 0n,
            tx: log.transactionHash ?? null,
          });
        } else if (log.eventName === "QuorumReached") {
          const a = log.args;
          if (a.epoch !== undefined && log.transactionHash) this.of(a.epoch).quorumTx.set(a.round ?? 0n, log.transactionHash);
        } else if (log.eventName === "RootRejected") {
          const a = log.args;
          if (a.epoch === undefined || a.root === undefined) continue;
          const mine = this.attestedBy(a.epoch, this.me).some((x) => x.round === a.round && sameRoot(x.root, a.root!));
          if (mine) this.rejected(a.epoch, a.round, a.root, a.challenger, a.position, a.fraud);
        } else if (log.eventName === "AttesterRewarded") {
          const a = log.args;
          if (a.worker !== undefined && getAddress(a.worker) === this.me && a.epoch !== undefined) this.of(a.epoch).rewarded = true;
        }
      }
      this.cursor = to;
    }
  }

  private rejected(epoch: bigint, round?: bigint, root?: Hex, challenger?: Address, position?: bigint, fraud?: number) {
    this.metrics.challengesReceived.inc();
    this.log.error(
      { epoch: Number(epoch), round: Number(round), root, challenger, position: Number(position), fraud: FRAUD_NAMES[fraud ?? 0] },
      "a root this worker signed was rejected: this worker is slashed (applySlashes) and can no longer attest. " +
        "Check that it runs the current release and that its replays match the chain's (npm run replay), " +
        "then `npm run worker -- leave` and withdraw what is left",
    );
  }

  /**
   * Epochs from `first` to `last` (blocks) with an aggregate attestation (this worker may be among its signers), and
   * those whose reward it was paid: what a restarted worker needs to claim rewards older than the loop's window.
   */
  async attestedAndRewarded(first: bigint, last: bigint): Promise<{ attested: Set<bigint>; rewarded: Set<bigint> }> {
    const page = BigInt(this.pageBlocks);
    const attested = new Set<bigint>();
    const rewarded = new Set<bigint>();
    const settlement = { address: this.ctx.deployment.contracts.settlement, abi: rewardSettlementAbi } as const;
    for (let from = first; from <= last; from += page) {
      const to = from + page - 1n < last ? from + page - 1n : last;
      const range = { fromBlock: from, toBlock: to } as const;
      // Any aggregate attestation may count this worker among its signers: the claim finds out (NoAttesterReward).
      const [att, rew] = await Promise.all([
        this.ctx.publicClient.getContractEvents({ ...settlement, eventName: "Attested", ...range }),
        this.ctx.publicClient.getContractEvents({ ...settlement, eventName: "AttesterRewarded", args: { worker: this.me }, ...range }),
      ]);
      for (const l of att) attested.add(l.args.epoch!);
      for (const l of rew) rewarded.add(l.args.epoch!);
    }
    return { attested, rewarded };
  }
}

/**
 * The worker loop. Every `pollMs` it looks at the chain's latest block minus `confirmations` (the "safe" block: the
 * worker acts only on what it holds final, so a reorg above that depth cannot mislead it), scans the settlement's
 * events up to it (events.ts), and hands every ended epoch that may still need something to each duty
 * (duties/: attest, challenge, finalize, claim) as one view read at the safe block (contracts.ts). The duties decide
 * what to do, send through one transaction sender (tx.ts) and keep their own attempts and backoff (retry.ts); the
 * epoch's runs, replays and trees are epoch-data.ts's. Its memory is only a cache of the chain: after a restart it
 * rebuilds it from events and views, and every transaction is simulated first, so a second attestation in a round is
 * never sent.
 */
import type { Logger } from "pino";
import { getAddress, type Address, type Hex } from "viem";
import type { TreeDump } from "../chain/tree.js";
import type { ChainContext } from "./chain.js";
import { EpochStatus, isEligible, readEpoch, STATUS_NAMES, workerContracts, type WorkerContracts } from "./contracts.js";
import { AggregateDuty } from "./duties/aggregate.js";
import { ChallengeDuty } from "./duties/challenge.js";
import { ClaimDuty } from "./duties/claim.js";
import type { Duty, DutyDeps, DutyHealth, DutyName } from "./duties/duty.js";
import { FinalizeDuty } from "./duties/finalize.js";
import { SignDuty } from "./duties/sign.js";
import { SlashDuty } from "./duties/slash.js";
import { SignatureBook, type SignedRoot } from "./signatures.js";
import { EpochClock, EpochData, type EpochDataOptions } from "./epoch-data.js";
import { EventCache } from "./events.js";
import type { WorkerMetrics } from "./metrics.js";
import type { ReplayPool } from "./pool.js";
import { backoffMs, type BackoffPolicy, type Clock } from "./retry.js";
import { errorLine, revertName, TxSender } from "./tx.js";
import { rewardSettlementAbi } from "../chain/generated/abis.js";


export interface NodeOptions extends EpochDataOptions {
  pollMs: number;
  /** Blocks between one aggregator's turn and the next's (see duties/aggregate.ts). */
  aggregateDelay?: number;
  /** The clock of the duties' backoff (tests drive it by hand). */
  now?: Clock;
}

/** Epochs kept in the caches after the loop is past them (a late challenge of a recent epoch still finds its tree). */
const KEEP_EPOCHS = 8n;

/** The longest pause of a backoff: 32 poll intervals, at most 30 s. */
const capMs = (pollMs: number) => Math.min(30_000, 32 * pollMs);

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    });
  });

export class WorkerNode {
  private readonly me: Address;
  private readonly tx: TxSender;
  private readonly contracts: WorkerContracts;
  private readonly events: EventCache;
  private readonly stopController = new AbortController();
  private loopDone: Promise<void> = Promise.resolve();
  private data!: EpochData;
  private readonly book = new SignatureBook();
  /** This worker's signer index in the registry (undefined while not registered), read each poll. */
  private index: bigint | undefined;
  private sign!: SignDuty;
  private claim!: ClaimDuty;
  private challenger!: ChallengeDuty;
  /** Blocks after an epoch's end until attesting it closes (the settlement's `fallbackDelay`). */
  private fallbackDelay = 0n;
  private duties: Duty[] = [];

  /** The oldest epoch that may still need something; epochs below it (and in `done`) need nothing more. */
  private lowEpoch = 0n;
  private readonly done = new Set<bigint>();
  private warnedIneligible = false;
  private deployedAtSafe = false;

  // ---- health
  private head = -1n;
  private safe = -1n;
  private rpcFailures = 0;
  private lastOkAt = 0;
  private lastError: string | undefined;

  constructor(
    private readonly ctx: ChainContext,
    private readonly pool: ReplayPool,
    private readonly log: Logger,
    private readonly metrics: WorkerMetrics,
    private readonly options: NodeOptions,
  ) {
    this.me = getAddress(ctx.account.address);
    this.tx = new TxSender(ctx);
    this.contracts = workerContracts(ctx);
    this.events = new EventCache(ctx, this.me, log, metrics, options.logPageBlocks, this.book);
  }

  /** Backoff of the RPC loop: twice the poll interval, doubling, up to 32 intervals or 30 s. */
  private get rpcBackoff(): BackoffPolicy {
    return { baseMs: 2 * this.options.pollMs, capMs: capMs(this.options.pollMs) };
  }

  health() {
    const stale = Date.now() - this.lastOkAt > Math.max(15_000, 10 * this.options.pollMs);
    const ok = this.lastOkAt > 0 && this.rpcFailures < 2 && !stale;
    const duties = Object.fromEntries(this.duties.map((d) => [d.name, d.health()])) as Partial<Record<DutyName, DutyHealth>>;
    const last = this.sign?.lastEpochSigned;
    return {
      ok,
      worker: this.me,
      block: Number(this.head),
      safeBlock: Number(this.safe),
      epoch: this.safe >= 0n && this.data !== undefined ? Number(this.data.clock.epochOf(this.safe)) : null,
      lastEpochAttested: last === undefined ? null : Number(last),
      rpcFailures: this.rpcFailures,
      lastError: ok ? undefined : this.lastError,
      failingDuties: this.duties.filter((d) => duties[d.name]!.failing.length > 0).map((d) => d.name),
      duties,
    };
  }

  treeDump(epoch: bigint, root: Hex): TreeDump | undefined {
    return this.data?.treeDump(epoch, root);
  }

  /** This worker's signature of `epoch`'s root in `round`, for aggregators. */
  signature(epoch: bigint, round: bigint): SignedRoot | undefined {
    return this.book.get(epoch, round);
  }

  /** Reads the fixed parameters, then runs the loop until `stop()`. */
  async start(): Promise<void> {
    const [clock, config] = await Promise.all([EpochClock.read(this.contracts), this.contracts.settlement.read.config()]);
    this.data = new EpochData(this.ctx, clock, this.pool, this.log, this.metrics, this.options);
    const deps: DutyDeps = {
      me: this.me,
      log: this.log,
      metrics: this.metrics,
      send: this.tx.settlement,
      now: this.options.now ?? Date.now,
      backoff: { baseMs: this.options.pollMs, capMs: capMs(this.options.pollMs) },
    };
    const index = () => this.index;
    const settlement = this.ctx.deployment.contracts.settlement;
    // The index at the latest block (the confirmed one may predate the deployment); each poll reads it at `safe`.
    await this.readIndex();
    this.sign = new SignDuty(deps, this.data, this.book, { key: this.ctx.bls, index, chainId: this.ctx.chainId, settlement });
    const aggregate = new AggregateDuty(deps, this.contracts, clock, this.book, {
      peers: this.options.peers,
      delayBlocks: BigInt(this.options.aggregateDelay ?? 2),
      quorumBps: config.quorumBps,
      chainId: this.ctx.chainId,
      settlement,
      index,
    });
    this.claim = new ClaimDuty(deps, this.events, (epoch) => this.finalNonSigners(epoch), index);
    this.challenger = new ChallengeDuty(deps, this.data, this.events);
    this.fallbackDelay = config.fallbackDelay;
    this.duties = [
      this.sign,
      aggregate,
      new SlashDuty(deps, this.ctx, this.contracts, this.tx, index),
      this.challenger,
      new FinalizeDuty(deps),
      this.claim,
    ];

    const head = await this.ctx.publicClient.getBlockNumber();
    const safe = head - BigInt(this.ctx.confirmations);
    // Anything older than this can no longer be attested or challenged; the reward sweep covers its claims.
    const lookback = config.fallbackDelay + config.challengeWindow + 2n * clock.epochBlocks;
    const from = safe - lookback > clock.genesis ? safe - lookback : clock.genesis;
    this.lowEpoch = clock.epochOf(from);
    let cursor = (clock.epochEnd(this.lowEpoch) > 0n ? clock.epochEnd(this.lowEpoch) : 1n) - 1n;
    const deployed = BigInt(this.ctx.deployment.startBlock) - 1n;
    if (deployed > cursor) cursor = deployed;
    this.events.startAfter(cursor);
    this.log.info(
      { worker: this.me, fromEpoch: Number(this.lowEpoch), head: Number(head), confirmations: this.ctx.confirmations },
      "worker started: following the chain",
    );
    await this.sweepRewards(safe).catch((e: unknown) => this.fail("claim", e, "could not sweep old attester rewards"));
    this.loopDone = this.loop();
    return this.loopDone;
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    await this.loopDone.catch(() => undefined);
  }

  private async loop(): Promise<void> {
    const signal = this.stopController.signal;
    while (!signal.aborted) {
      try {
        await this.tick();
        if (this.rpcFailures > 0) this.log.info({ failures: this.rpcFailures }, "RPC answers again: resuming");
        this.rpcFailures = 0;
        this.lastOkAt = Date.now();
        this.metrics.rpcHealthy.set(1);
        await sleep(this.options.pollMs, signal);
      } catch (e) {
        this.rpcFailures++;
        this.metrics.rpcHealthy.set(0);
        this.fail("rpc", e, "the RPC endpoint is failing: check the node or the network; retrying with backoff");
        await sleep(backoffMs(this.rpcFailures, this.rpcBackoff), signal);
      }
    }
  }

  private fail(kind: "rpc" | "claim", e: unknown, action: string) {
    this.metrics.error(kind);
    const message = errorLine(e);
    this.lastError = message;
    this.log.error({ kind, err: message, revert: revertName(e) }, action);
  }

  /** One look at the chain. Throws only when the RPC fails (the loop backs off); duties log their own failures. */
  private async tick(): Promise<void> {
    const head = await this.ctx.publicClient.getBlockNumber({ cacheTime: 0 });
    const safe = head - BigInt(this.ctx.confirmations);
    this.head = head;
    this.metrics.headBlock.set(Number(head));
    const clock = this.data.clock;
    if (safe < clock.genesis) return;
    this.safe = safe;
    this.metrics.safeBlock.set(Number(safe));
    const current = clock.epochOf(safe);
    this.metrics.currentEpoch.set(Number(current));
    if (!this.deployedAtSafe) {
      // Right after a deployment the confirmed block may predate the contracts: wait until it does not.
      const code = await this.ctx.publicClient.getCode({ address: this.ctx.deployment.contracts.settlement, blockNumber: safe });
      if (code === undefined || code === "0x") return;
      this.deployedAtSafe = true;
    }
    await this.events.scan(safe);
    await this.readIndex(safe);
    const eligible = await isEligible(this.contracts, this.me, safe);
    if (!eligible && !this.warnedIneligible) {
      this.warnedIneligible = true;
      this.log.warn(
        { worker: this.me },
        "this worker may not attest (not bonded, exiting, slashed, or bonded below the minimum): it still finalizes, " +
          "challenges and claims; see `npm run worker -- status`",
      );
    }
    for (const d of this.duties) await d.background?.(safe);
    for (let e = this.lowEpoch; e < current && !this.stopController.signal.aborted; e++) {
      if (this.done.has(e)) continue;
      await this.handleEpoch(e, safe, eligible);
    }
    while (this.done.has(this.lowEpoch)) {
      this.done.delete(this.lowEpoch);
      const old = this.lowEpoch - KEEP_EPOCHS;
      this.events.forget(old);
      this.data.forget(old);
      this.book.forget(old);
      for (const d of this.duties) d.forget(old);
      this.lowEpoch++;
    }
  }

  /** Hands the epoch's view to every duty; the epoch is done once it is Final or Fallback and no duty needs more. */
  private async handleEpoch(epoch: bigint, safe: bigint, eligible: boolean): Promise<void> {
    const runs = await this.data.runsOf(epoch);
    const view = await readEpoch(this.contracts, epoch, safe, eligible, BigInt(runs.length));
    if (view.runCount === 0n) {
      // Nothing to sign, but the run count is attested, not checked on-chain: a quorum may attest a tree of invented
      // runs for an empty epoch. Watch it (challenge only) until attesting it has closed or it is settled.
      if (view.status === EpochStatus.Challengeable) await this.challenger.step(view);
      const closed = safe >= this.data.clock.epochEnd(epoch) + this.fallbackDelay;
      if (view.status !== EpochStatus.Challengeable && (view.status !== EpochStatus.Open || closed)) {
        this.done.add(epoch);
      }
      return;
    }
    let settled = true;
    for (const d of this.duties) {
      if ((await d.step(view)) === "pending") settled = false;
    }
    if (settled && (view.status === EpochStatus.Final || view.status === EpochStatus.Fallback)) {
      this.log.debug({ epoch: Number(epoch), status: STATUS_NAMES[view.status] }, "epoch needs nothing more");
      this.done.add(epoch);
    }
  }

  /** This worker's signer index at `safe` (a worker that leaves and registers again gets a new one). */
  private async readIndex(safe?: bigint): Promise<void> {
    const w = await this.contracts.workerRegistry.read.workerOf([this.me], safe === undefined ? {} : { blockNumber: safe });
    this.index = w.registered ? BigInt(w.index) : undefined;
  }

  /** The non-signer list of the attestation of `epoch`'s final root (its current round's), from its Attested event. */
  private async finalNonSigners(epoch: bigint): Promise<readonly bigint[]> {
    const round = await this.contracts.settlement.read.roundOf([epoch]);
    const logs = await this.ctx.publicClient.getContractEvents({
      address: this.ctx.deployment.contracts.settlement,
      abi: rewardSettlementAbi,
      eventName: "Attested",
      args: { epoch },
      fromBlock: BigInt(this.ctx.deployment.startBlock),
    });
    const log = logs.find((l) => l.args.round === round);
    if (log === undefined || log.args.nonSigners === undefined) throw new Error(`no attestation of epoch ${epoch} round ${round}`);
    return log.args.nonSigners;
  }

  /** After a restart: rewards of final epochs older than the loop's window (the claim finds out if it signed). */
  private async sweepRewards(safe: bigint): Promise<void> {
    const first = BigInt(this.ctx.deployment.startBlock);
    const last = this.events.scannedTo;
    if (last < first) return;
    const { attested, rewarded } = await this.events.attestedAndRewarded(first, last);
    const finals: bigint[] = [];
    for (const e of attested) {
      if (rewarded.has(e) || e >= this.lowEpoch) continue;
      const status = await this.contracts.settlement.read.epochStatus([e], { blockNumber: safe });
      if (status === EpochStatus.Final) finals.push(e);
    }
    this.claim.enqueue(finals);
  }
}

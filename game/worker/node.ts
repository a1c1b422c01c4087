/**
 * The worker loop. Every `pollMs` it looks at the chain's latest block minus `confirmations` (the "safe" block: the
 * worker acts only on what it holds final, so a reorg above that depth cannot mislead it), and for every epoch that
 * has ended and may still need something:
 * - Open: fetch the epoch's runs, replay them in the pool, build the tree and attest (once per round);
 * - Challengeable with a root or total other than its own: fetch that root's tree from peers (its dump opens every
 *   position) and send the cheapest challenge game/chain/fraud.ts finds (a wrong total, a non-empty position past
 *   the run count, else a run position whose node is not the honest leaf);
 * - Finalizable: finalize (anyone may); Final: claim this worker's attester reward.
 * Its memory is only a cache of the chain: after a restart it rebuilds it from events and views, and every
 * transaction is simulated first, so a second attestation in a round is never sent.
 */
import type { Logger } from "pino";
import { getAddress, parseEventLogs, type Address, type Hex } from "viem";
import { inIndexOrder } from "../chain/epoch.js";
import { challengeCall, FRAUD_NAMES, findFraud, type ChallengeRun } from "../chain/fraud.js";
import { rewardSettlementAbi, runRegistryAbi, workerRegistryAbi } from "../chain/generated/abis.js";
import { dumpTree, EpochTree, loadTree, type TreeDump, type TreeLeaf } from "../chain/tree.js";
import type { ChainContext } from "./chain.js";
import type { WorkerMetrics } from "./metrics.js";
import type { ReplayPool } from "./pool.js";

/** A submitted run as its RunSubmitted event gives it (the seed included). */
export interface EpochRun extends ChallengeRun {
  player: Address;
  seed: Hex;
}
import { revertName, TxSender } from "./tx.js";

/** RewardSettlement.EpochStatus. */
const Status = { Open: 0, Challengeable: 1, Finalizable: 2, Final: 3, Fallback: 4 } as const;
const STATUS_NAMES = ["Open", "Challengeable", "Finalizable", "Final", "Fallback"];

export interface NodeOptions {
  pollMs: number;
  logPageBlocks: number;
  peers: string[];
  /** Test hook only (a lying worker in the tests): changes the leaves before the tree is built. */
  tamper?: (epoch: bigint, leaves: TreeLeaf[]) => void;
  /** Test hook only: the total gold this worker attests instead of its tree's top sum. */
  tamperTotal?: (epoch: bigint, total: bigint) => bigint;
}

interface Attestation {
  worker: Address;
  root: Hex;
  round: bigint;
  runCount: bigint;
  totalGold: bigint;
  tx: Hex | null;
}

interface Params {
  genesis: bigint;
  epochBlocks: bigint;
  submitWindow: bigint;
  fallbackDelay: bigint;
  challengeWindow: bigint;
}

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
  private params!: Params;
  private readonly stopController = new AbortController();
  private loopDone: Promise<void> = Promise.resolve();

  // ---- caches of the chain (rebuilt from it after a restart)
  private lowEpoch = 0n;
  private cursor = -1n;
  private readonly attestations = new Map<bigint, Attestation[]>();
  private readonly rewarded = new Set<bigint>();
  private readonly done = new Set<bigint>();
  private readonly trees = new Map<bigint, { tree: EpochTree; runs: EpochRun[]; total: bigint }>();
  /** The transaction of each (epoch, round)'s QuorumReached: the attestation in it carries the quorum's total. */
  private readonly quorumTx = new Map<string, Hex>();
  private readonly served = new Map<string, TreeDump>();
  private readonly failures = new Map<string, number>();
  private warnedIneligible = false;
  private deployedAtSafe = false;

  // ---- health
  private head = -1n;
  private safe = -1n;
  private rpcFailures = 0;
  private lastOkAt = 0;
  private lastError: string | undefined;
  private lastEpochAttested: bigint | undefined;

  constructor(
    private readonly ctx: ChainContext,
    private readonly pool: ReplayPool,
    private readonly log: Logger,
    private readonly metrics: WorkerMetrics,
    private readonly options: NodeOptions,
  ) {
    this.me = getAddress(ctx.account.address);
    this.tx = new TxSender(ctx);
  }

  private get c() {
    return this.ctx.deployment.contracts;
  }

  health() {
    const stale = Date.now() - this.lastOkAt > Math.max(15_000, 10 * this.options.pollMs);
    const ok = this.lastOkAt > 0 && this.rpcFailures < 2 && !stale;
    return {
      ok,
      worker: this.me,
      block: Number(this.head),
      safeBlock: Number(this.safe),
      epoch: this.safe >= 0n && this.params ? Number(this.epochOf(this.safe)) : null,
      lastEpochAttested: this.lastEpochAttested === undefined ? null : Number(this.lastEpochAttested),
      rpcFailures: this.rpcFailures,
      lastError: ok ? undefined : this.lastError,
    };
  }

  treeDump(epoch: bigint, root: Hex): TreeDump | undefined {
    return this.served.get(`${epoch}:${root.toLowerCase()}`);
  }

  /** Reads the fixed parameters, then runs the loop until `stop()`. */
  async start(): Promise<void> {
    const read = this.ctx.publicClient;
    const [genesis, epochBlocks, submitWindow, config] = await Promise.all([
      read.readContract({ address: this.c.runRegistry, abi: runRegistryAbi, functionName: "genesisBlock" }),
      read.readContract({ address: this.c.runRegistry, abi: runRegistryAbi, functionName: "epochBlocks" }),
      read.readContract({ address: this.c.runRegistry, abi: runRegistryAbi, functionName: "submitWindow" }),
      read.readContract({ address: this.c.settlement, abi: rewardSettlementAbi, functionName: "config" }),
    ]);
    this.params = {
      genesis,
      epochBlocks,
      submitWindow,
      fallbackDelay: config.fallbackDelay,
      challengeWindow: config.challengeWindow,
    };
    const head = await read.getBlockNumber();
    const safe = head - BigInt(this.ctx.confirmations);
    // Anything older than this can no longer be attested or challenged; the reward sweep covers its claims.
    const lookback = config.fallbackDelay + config.challengeWindow + 2n * epochBlocks;
    const from = safe - lookback > genesis ? safe - lookback : genesis;
    this.lowEpoch = this.epochOf(from);
    this.cursor = (this.epochEnd(this.lowEpoch) > 0n ? this.epochEnd(this.lowEpoch) : 1n) - 1n;
    if (BigInt(this.ctx.deployment.startBlock) - 1n > this.cursor) this.cursor = BigInt(this.ctx.deployment.startBlock) - 1n;
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

  private epochOf(block: bigint): bigint {
    return block < this.params.genesis ? 0n : (block - this.params.genesis) / this.params.epochBlocks;
  }

  private epochEnd(epoch: bigint): bigint {
    return this.params.genesis + (epoch + 1n) * this.params.epochBlocks;
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
        await sleep(Math.min(30_000, this.options.pollMs * 2 ** Math.min(this.rpcFailures, 5)), signal);
      }
    }
  }

  private fail(kind: Parameters<WorkerMetrics["error"]>[0], e: unknown, action: string, extra: object = {}) {
    this.metrics.error(kind);
    const message = (e instanceof Error ? (e as Error & { shortMessage?: string }).shortMessage ?? e.message : String(e))
      .split("\n")[0];
    this.lastError = message;
    this.log.error({ kind, err: message, revert: revertName(e), ...extra }, action);
  }

  /** One look at the chain. Throws only when the RPC fails (the loop backs off); action errors are logged. */
  private async tick(): Promise<void> {
    const head = await this.ctx.publicClient.getBlockNumber({ cacheTime: 0 });
    const safe = head - BigInt(this.ctx.confirmations);
    this.head = head;
    this.metrics.headBlock.set(Number(head));
    if (safe < this.params.genesis) return;
    this.safe = safe;
    this.metrics.safeBlock.set(Number(safe));
    const current = this.epochOf(safe);
    this.metrics.currentEpoch.set(Number(current));
    if (!this.deployedAtSafe) {
      // Right after a deployment the confirmed block may predate the contracts: wait until it does not.
      const code = await this.ctx.publicClient.getCode({ address: this.c.settlement, blockNumber: safe });
      if (code === undefined || code === "0x") return;
      this.deployedAtSafe = true;
    }
    await this.scanEvents(safe);
    const eligible = await this.ctx.publicClient.readContract({
      address: this.c.workerRegistry,
      abi: workerRegistryAbi,
      functionName: "isEligible",
      args: [this.me],
      blockNumber: safe,
    });
    if (!eligible && !this.warnedIneligible) {
      this.warnedIneligible = true;
      this.log.warn(
        { worker: this.me },
        "this worker may not attest (not bonded, exiting, slashed, or bonded below the minimum): it still finalizes, " +
          "challenges and claims; see `npm run worker -- status`",
      );
    }
    for (let e = this.lowEpoch; e < current && !this.stopController.signal.aborted; e++) {
      if (this.done.has(e)) continue;
      await this.handleEpoch(e, safe, eligible);
    }
    while (this.done.has(this.lowEpoch)) {
      this.done.delete(this.lowEpoch);
      this.attestations.delete(this.lowEpoch - 8n);
      this.trees.delete(this.lowEpoch - 8n);
      for (const k of this.served.keys()) if (k.startsWith(`${this.lowEpoch - 8n}:`)) this.served.delete(k);
      this.lowEpoch++;
    }
  }

  /** Reads the settlement's events up to `safe`, in pages of `logPageBlocks`. */
  private async scanEvents(safe: bigint): Promise<void> {
    while (this.cursor < safe) {
      const from = this.cursor + 1n;
      const to = from + BigInt(this.options.logPageBlocks) - 1n < safe ? from + BigInt(this.options.logPageBlocks) - 1n : safe;
      const logs = await this.ctx.publicClient.getLogs({ address: this.c.settlement, fromBlock: from, toBlock: to });
      for (const log of parseEventLogs({ abi: rewardSettlementAbi, logs, strict: false })) {
        if (log.eventName === "Attested") {
          const a = log.args;
          if (a.epoch === undefined || a.worker === undefined || a.root === undefined) continue;
          const list = this.attestations.get(a.epoch) ?? [];
          list.push({
            worker: getAddress(a.worker),
            root: a.root,
            round: a.round ?? 0n,
            runCount: a.runCount ?? 0n,
            totalGold: a.totalGold ?? 0n,
            tx: log.transactionHash ?? null,
          });
          this.attestations.set(a.epoch, list);
        } else if (log.eventName === "QuorumReached") {
          const a = log.args;
          if (a.epoch !== undefined && log.transactionHash) this.quorumTx.set(`${a.epoch}:${a.round ?? 0n}`, log.transactionHash);
        } else if (log.eventName === "RootRejected") {
          const a = log.args;
          const mine = (this.attestations.get(a.epoch ?? -1n) ?? []).some(
            (x) => x.worker === this.me && x.round === a.round && x.root === a.root,
          );
          if (mine) {
            this.metrics.challengesReceived.inc();
            this.log.error(
              {
                epoch: Number(a.epoch),
                round: Number(a.round),
                root: a.root,
                challenger: a.challenger,
                position: Number(a.position),
                fraud: FRAUD_NAMES[a.fraud ?? 0],
              },
              "a root this worker attested was rejected: this worker was slashed and can no longer attest. " +
                "Check that it runs the current release and that its replays match the chain's (npm run replay), " +
                "then `npm run worker -- leave` and withdraw what is left",
            );
          }
        } else if (log.eventName === "AttesterRewarded") {
          if (log.args.worker !== undefined && getAddress(log.args.worker) === this.me && log.args.epoch !== undefined) {
            this.rewarded.add(log.args.epoch);
          }
        }
      }
      this.cursor = to;
    }
  }

  private async read<T>(functionName: string, args: readonly unknown[], safe: bigint, address = this.c.settlement, abi: unknown = rewardSettlementAbi): Promise<T> {
    return (await this.ctx.publicClient.readContract({
      address,
      abi: abi as typeof rewardSettlementAbi,
      functionName: functionName as "epochStatus",
      args: args as [bigint],
      blockNumber: safe,
    })) as T;
  }

  private async handleEpoch(epoch: bigint, safe: bigint, eligible: boolean): Promise<void> {
    const runCount = await this.read<bigint>("runCount", [epoch], safe, this.c.runRegistry, runRegistryAbi);
    if (runCount === 0n) {
      this.done.add(epoch);
      return;
    }
    const status = await this.read<number>("epochStatus", [epoch], safe);
    const round = await this.read<bigint>("roundOf", [epoch], safe);
    const mine = (this.attestations.get(epoch) ?? []).filter((a) => a.worker === this.me);
    switch (status) {
      case Status.Open: {
        if (!eligible || mine.some((a) => a.round === round)) return;
        await this.attest(epoch, round, runCount);
        return;
      }
      case Status.Challengeable: {
        const [root] = await this.read<[Hex, bigint]>("rootOf", [epoch], safe);
        await this.check(epoch, round, root, runCount);
        return;
      }
      case Status.Finalizable: {
        await this.act("finalize", epoch, () => this.send("finalize", [epoch], ["WrongEpochStatus"]), (r) => {
          if (r === "sent") {
            this.metrics.epochsFinalized.inc();
            this.log.info({ epoch: Number(epoch) }, "finalized epoch");
          }
        });
        return;
      }
      case Status.Final: {
        const [root] = await this.read<[Hex, bigint]>("rootOf", [epoch], safe);
        if (!mine.some((a) => a.root === root) || this.rewarded.has(epoch)) {
          this.done.add(epoch);
          return;
        }
        await this.claim(epoch);
        return;
      }
      default:
        this.log.debug({ epoch: Number(epoch), status: STATUS_NAMES[status] }, "epoch needs nothing more");
        this.done.add(epoch);
    }
  }

  /** Runs `action` unless it failed too often for this key; errors are logged, never thrown (the loop goes on). */
  private async act(
    kind: "attest" | "challenge" | "finalize" | "claim",
    epoch: bigint,
    action: () => Promise<{ status: "sent" | "skipped"; hash?: Hex; reason?: string }>,
    after: (status: "sent" | "skipped", hash?: Hex) => void,
  ): Promise<void> {
    const key = `${kind}:${epoch}`;
    if ((this.failures.get(key) ?? 0) >= 5) return;
    try {
      const r = await action();
      this.failures.delete(key);
      after(r.status, r.hash);
    } catch (e) {
      if (isRpcDown(e)) throw e;
      this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
      const hint = {
        attest: "the attestation failed: if it repeats, check the worker's ETH balance for gas and its bond (status)",
        challenge: "the challenge failed: if it repeats, the peer's tree may be wrong; the epoch stays watched",
        finalize: "finalize failed: someone may have finalized first; retrying",
        claim: "claiming the attester reward failed: check the worker's ETH balance for gas; retrying",
      }[kind];
      this.fail(kind, e, hint, { epoch: Number(epoch), attempt: this.failures.get(key) });
    }
  }

  private async send(functionName: string, args: readonly unknown[], benign: string[]) {
    const r = await this.tx.send(
      { address: this.c.settlement, abi: rewardSettlementAbi, functionName, args },
      benign,
    );
    return r.status === "sent" ? { status: r.status, hash: r.hash } : { status: r.status, reason: r.reason };
  }

  /** The epoch's runs (from RunSubmitted and RunStarted events), replayed, as a tree; cached per epoch. */
  private async ourTree(epoch: bigint, runCount: bigint): Promise<{ tree: EpochTree; runs: EpochRun[]; total: bigint }> {
    const cached = this.trees.get(epoch);
    if (cached !== undefined && BigInt(cached.tree.runCount) === runCount) return cached;
    const t0 = performance.now();
    const runs = await this.fetchRuns(epoch, runCount);
    const golds = await this.pool.replay(runs.map((r) => ({ seed: r.seed, inputs: r.inputs })));
    this.metrics.runsReplayed.inc(runs.length);
    const leaves: TreeLeaf[] = runs.map((r, i) => ({ index: r.index, runId: r.runId, gold: BigInt(golds[i]!) }));
    this.options.tamper?.(epoch, leaves);
    const tree = EpochTree.fromLeaves(epoch, leaves);
    const total = this.options.tamperTotal?.(epoch, tree.totalGold) ?? tree.totalGold;
    const seconds = (performance.now() - t0) / 1000;
    this.metrics.replaySeconds.observe(seconds);
    this.log.debug({ epoch: Number(epoch), runs: runs.length, seconds }, "replayed epoch");
    const entry = { tree, runs, total };
    this.trees.set(epoch, entry);
    this.served.set(`${epoch}:${tree.root.toLowerCase()}`, dumpTree(tree));
    return entry;
  }

  /** The epoch's runs from its RunSubmitted events (each carries the run's seed and inputs), in index order. */
  private async fetchRuns(epoch: bigint, runCount: bigint): Promise<EpochRun[]> {
    const start = this.params.genesis + epoch * this.params.epochBlocks;
    const end = this.epochEnd(epoch) - 1n; // the last block whose submissions join this epoch
    const page = BigInt(this.options.logPageBlocks);
    const runs: EpochRun[] = [];
    for (let from = start; from <= end; from += page) {
      const to = from + page - 1n < end ? from + page - 1n : end;
      const logs = await this.ctx.publicClient.getContractEvents({
        address: this.c.runRegistry,
        abi: runRegistryAbi,
        eventName: "RunSubmitted",
        args: { epoch },
        fromBlock: from,
        toBlock: to,
      });
      for (const l of logs) {
        runs.push({ index: l.args.index!, runId: l.args.runId!, player: getAddress(l.args.player!), seed: l.args.seed!, inputs: l.args.inputs! });
      }
    }
    if (BigInt(runs.length) !== runCount) {
      throw new Error(`epoch ${epoch}: found ${runs.length} RunSubmitted events, the registry counts ${runCount}`);
    }
    return inIndexOrder(epoch, runs);
  }

  private async attest(epoch: bigint, round: bigint, runCount: bigint): Promise<void> {
    let t: EpochTree;
    let total: bigint;
    const t0 = performance.now();
    try {
      ({ tree: t, total } = await this.ourTree(epoch, runCount));
    } catch (e) {
      if (isRpcDown(e)) throw e;
      this.fail("replay", e, "could not fetch or replay the epoch's runs; retrying", { epoch: Number(epoch) });
      return;
    }
    await this.act(
      "attest",
      epoch,
      () => this.send("attest", [epoch, t.root, BigInt(t.runCount), total], ["AlreadyAttested", "WrongEpochStatus"]),
      (status, hash) => {
        if (status === "sent") {
          this.metrics.epochsAttested.inc();
          if (this.lastEpochAttested === undefined || epoch > this.lastEpochAttested) {
            this.lastEpochAttested = epoch;
            this.metrics.lastEpochAttested.set(Number(epoch));
          }
          this.log.info(
            {
              epoch: Number(epoch),
              round: Number(round),
              root: t.root,
              runs: t.runCount,
              totalGold: total.toString(),
              tx: hash,
              seconds: Math.round(performance.now() - t0) / 1000,
            },
            "attested epoch",
          );
        } else {
          this.log.info({ epoch: Number(epoch), round: Number(round) }, "already attested or no longer open: skipped");
        }
      },
    );
  }

  /**
   * A root reached quorum: if it (or the total attested with it) is not ours, find the cheapest provable fraud in its
   * tree and challenge it.
   */
  private async check(epoch: bigint, round: bigint, root: Hex, runCount: bigint): Promise<void> {
    let ours: { tree: EpochTree; runs: EpochRun[] };
    try {
      ours = await this.ourTree(epoch, runCount);
    } catch (e) {
      if (isRpcDown(e)) throw e;
      this.fail("replay", e, "could not fetch or replay the epoch's runs to check its root; retrying", { epoch: Number(epoch) });
      return;
    }
    const key = `checked:${epoch}:${round}`;
    const total = this.quorumTotal(epoch, round, root);
    if (total === undefined) return; // its Attested events are not scanned yet
    const honest = ours.tree;
    if (root.toLowerCase() === honest.root.toLowerCase() && total === honest.totalGold) return;
    // A root and total this worker attested in this round are what it stands by (only a tampered test worker gets here).
    const mine = (x: Attestation) => x.worker === this.me && x.round === round && x.root.toLowerCase() === root.toLowerCase() && x.totalGold === total;
    if ((this.attestations.get(epoch) ?? []).some(mine)) return;
    if ((this.failures.get(`challenge:${epoch}`) ?? 0) >= 5) return;
    const theirs = root.toLowerCase() === honest.root.toLowerCase() ? honest : await this.foreignTree(epoch, root, Number(runCount));
    if (theirs === null) {
      if (!this.failures.has(key)) {
        this.failures.set(key, 1);
        this.fail("tree", new Error(`no peer serves the tree of root ${root}`),
          "a wrong root reached quorum but its tree is unavailable, so no position can be opened: add peers " +
            "(--peers) that serve /trees, and alert the network", { epoch: Number(epoch), root });
      }
      return;
    }
    const fraud = findFraud(theirs, total, honest, ours.runs);
    if (fraud === null) {
      if (!this.failures.has(key)) {
        this.failures.set(key, 1);
        this.fail("tree", new Error("every position of the foreign tree matches ours"), "cannot challenge: nothing provably wrong", { epoch: Number(epoch) });
      }
      return;
    }
    await this.act(
      "challenge",
      epoch,
      () => {
        const call = challengeCall(epoch, fraud);
        return this.send(call.functionName, call.args, ["WrongEpochStatus", "ChallengeWindowClosed"]);
      },
      (status, hash) => {
        if (status === "sent") {
          this.metrics.challengesSent.inc();
          this.log.warn(
            {
              epoch: Number(epoch),
              round: Number(round),
              root,
              call: fraud.fn,
              level: fraud.level,
              position: fraud.position,
              runId: fraud.runId.toString(),
              fraud: fraud.kind,
              why: fraud.reason,
              tx: hash,
            },
            "challenged a wrong root: its attesters were slashed and the epoch reopened",
          );
        } else {
          this.log.info({ epoch: Number(epoch), root }, "root already challenged or window closed: skipped");
        }
      },
    );
  }

  /** The total attested with the quorum root of (epoch, round): the attestation sent in QuorumReached's transaction. */
  private quorumTotal(epoch: bigint, round: bigint, root: Hex): bigint | undefined {
    const list = (this.attestations.get(epoch) ?? []).filter((a) => a.round === round && a.root.toLowerCase() === root.toLowerCase());
    const tx = this.quorumTx.get(`${epoch}:${round}`);
    const inTx = list.find((a) => a.tx !== null && a.tx === tx);
    if (inTx !== undefined) return inTx.totalGold;
    const totals = new Set(list.map((a) => a.totalGold));
    return totals.size === 1 ? [...totals][0] : undefined;
  }

  private async foreignTree(epoch: bigint, root: Hex, runCount: number): Promise<EpochTree | null> {
    const expected = { epoch, runCount, root };
    const local = this.served.get(`${epoch}:${root.toLowerCase()}`);
    if (local !== undefined) return loadTree(local, expected);
    for (const peer of this.options.peers) {
      try {
        const res = await fetch(`${peer.replace(/\/$/, "")}/trees/${epoch}/${root}`, { signal: AbortSignal.timeout(10_000) });
        if (!res.ok) continue;
        return loadTree(await res.json(), expected);
      } catch (e) {
        this.log.warn({ peer, epoch: Number(epoch), root, err: (e as Error).message }, "peer did not serve a usable tree");
      }
    }
    return null;
  }

  private async claim(epoch: bigint): Promise<void> {
    await this.act(
      "claim",
      epoch,
      () => this.send("claimAttesterReward", [epoch], ["NoAttesterReward"]),
      (status, hash) => {
        this.rewarded.add(epoch);
        this.done.add(epoch);
        if (status === "sent") {
          this.metrics.rewardsClaimed.inc();
          this.log.info({ epoch: Number(epoch), tx: hash }, "claimed attester reward");
        }
      },
    );
  }

  /** After a restart: claim rewards of epochs older than the loop's window that this worker attested and are final. */
  private async sweepRewards(safe: bigint): Promise<void> {
    const first = BigInt(this.ctx.deployment.startBlock);
    const last = this.cursor;
    if (last < first) return;
    const page = BigInt(this.options.logPageBlocks);
    const epochs = new Set<bigint>();
    const claimed = new Set<bigint>();
    for (let from = first; from <= last; from += page) {
      const to = from + page - 1n < last ? from + page - 1n : last;
      const [att, rew] = await Promise.all([
        this.ctx.publicClient.getContractEvents({
          address: this.c.settlement, abi: rewardSettlementAbi, eventName: "Attested", args: { worker: this.me }, fromBlock: from, toBlock: to,
        }),
        this.ctx.publicClient.getContractEvents({
          address: this.c.settlement, abi: rewardSettlementAbi, eventName: "AttesterRewarded", args: { worker: this.me }, fromBlock: from, toBlock: to,
        }),
      ]);
      for (const l of att) epochs.add(l.args.epoch!);
      for (const l of rew) claimed.add(l.args.epoch!);
    }
    for (const e of epochs) {
      if (claimed.has(e) || e >= this.lowEpoch) continue;
      const status = await this.read<number>("epochStatus", [e], safe);
      if (status === Status.Final) await this.claim(e);
    }
  }
}

/** Whether `e` means the RPC itself is failing (the loop backs off) rather than a transaction being refused. */
function isRpcDown(e: unknown): boolean {
  if (revertName(e) !== undefined) return false;
  const text = e instanceof Error ? `${e.name} ${e.message}` : String(e);
  return /HttpRequestError|TimeoutError|fetch failed|ECONNREFUSED|ECONNRESET|socket hang up|other side closed|network/i.test(text);
}

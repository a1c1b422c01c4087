/**
 * An epoch's data as this worker knows it: the epoch clock (from RunRegistry's parameters), the epoch's runs (its
 * RunSubmitted events, each with the run's seed and inputs), their replay in the thread pool, the tree built from
 * them (cached per epoch, and served on /trees so that others can challenge), and trees of other roots fetched from
 * peers (to challenge them).
 */
import type { Logger } from "pino";
import { getAddress, type Address, type Hex } from "viem";
import { inIndexOrder } from "../chain/epoch.js";
import type { ChallengeRun } from "../chain/fraud.js";
import { runRegistryAbi } from "../chain/generated/abis.js";
import { dumpTree, EpochTree, loadTree, type TreeDump, type TreeLeaf } from "../chain/tree.js";
import type { ChainContext } from "./chain.js";
import type { WorkerContracts } from "./contracts.js";
import type { WorkerMetrics } from "./metrics.js";
import type { ReplayPool } from "./pool.js";

/** A submitted run as its RunSubmitted event gives it (the seed included). */
export interface EpochRun extends ChallengeRun {
  player: Address;
  seed: Hex;
}

/** This worker's tree of an epoch, the runs it was built from and the total it attests. */
export interface OwnTree {
  tree: EpochTree;
  runs: EpochRun[];
  total: bigint;
}

/** What the duties need of an epoch's data (a test gives them a fake). */
export interface TreeSource {
  /** This worker's tree of `epoch`, which has `runCount` runs (built once, then cached). */
  ownTree(epoch: bigint, runCount: bigint): Promise<OwnTree>;
  /** The tree of another root, from this worker's own trees or its peers; null if nobody serves it. */
  foreignTree(epoch: bigint, root: Hex, runCount: number): Promise<EpochTree | null>;
}

export interface EpochDataOptions {
  logPageBlocks: number;
  peers: string[];
  /** Test hook only (a lying worker in the tests): changes the leaves before the tree is built. */
  tamper?: (epoch: bigint, leaves: TreeLeaf[]) => void;
  /** Test hook only: the total gold this worker attests instead of its tree's top sum. */
  tamperTotal?: (epoch: bigint, total: bigint) => bigint;
}

/** The epoch clock: RunRegistry's genesis block and epoch length. */
export class EpochClock {
  constructor(
    readonly genesis: bigint,
    readonly epochBlocks: bigint,
  ) {}

  static async read(contracts: WorkerContracts): Promise<EpochClock> {
    const [genesis, epochBlocks] = await Promise.all([
      contracts.runRegistry.read.genesisBlock(),
      contracts.runRegistry.read.epochBlocks(),
    ]);
    return new EpochClock(genesis, epochBlocks);
  }

  epochOf(block: bigint): bigint {
    return block < this.genesis ? 0n : (block - this.genesis) / this.epochBlocks;
  }

  /** The epoch's first block. */
  epochStart(epoch: bigint): bigint {
    return this.genesis + epoch * this.epochBlocks;
  }

  /** The first block after the epoch. */
  epochEnd(epoch: bigint): bigint {
    return this.epochStart(epoch + 1n);
  }
}

export class EpochData implements TreeSource {
  private readonly trees = new Map<bigint, OwnTree>();
  /** Dumps of the trees this worker built, by epoch and lower-case root: what /trees serves. */
  private readonly served = new Map<bigint, Map<string, TreeDump>>();

  constructor(
    private readonly ctx: ChainContext,
    readonly clock: EpochClock,
    private readonly pool: ReplayPool,
    private readonly log: Logger,
    private readonly metrics: WorkerMetrics,
    private readonly options: EpochDataOptions,
  ) {}

  treeDump(epoch: bigint, root: Hex): TreeDump | undefined {
    return this.served.get(epoch)?.get(root.toLowerCase());
  }

  forget(epoch: bigint): void {
    this.trees.delete(epoch);
    this.served.delete(epoch);
  }

  async ownTree(epoch: bigint, runCount: bigint): Promise<OwnTree> {
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
    let dumps = this.served.get(epoch);
    if (dumps === undefined) this.served.set(epoch, (dumps = new Map()));
    dumps.set(tree.root.toLowerCase(), dumpTree(tree));
    return entry;
  }

  /** The epoch's runs from its RunSubmitted events (each carries the run's seed and inputs), in index order. */
  private async fetchRuns(epoch: bigint, runCount: bigint): Promise<EpochRun[]> {
    const start = this.clock.epochStart(epoch);
    const end = this.clock.epochEnd(epoch) - 1n; // the last block whose submissions join this epoch
    const page = BigInt(this.options.logPageBlocks);
    const runs: EpochRun[] = [];
    for (let from = start; from <= end; from += page) {
      const to = from + page - 1n < end ? from + page - 1n : end;
      const logs = await this.ctx.publicClient.getContractEvents({
        address: this.ctx.deployment.contracts.runRegistry,
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

  async foreignTree(epoch: bigint, root: Hex, runCount: number): Promise<EpochTree | null> {
    const expected = { epoch, runCount, root };
    const local = this.treeDump(epoch, root);
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
}

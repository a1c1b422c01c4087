/**
 * An epoch's data as this worker knows it: the epoch clock (from RunRegistry's parameters), the epoch's runs (the
 * RunSubmitted logs whose `epoch` is it, each with the run's seed and inputs; nothing on-chain counts them, so their
 * number is the run count this worker attests), in tree order (ascending run id), their replay in the thread pool,
 * the tree built from them (cached per epoch, and served on /trees with every leaf's (position, runId, gold) so that
 * any watcher can open its leaves), and trees of other roots fetched from peers (to challenge them).
 */
import type { Logger } from "pino";
import { getAddress, type Address, type Hex } from "viem";
import { inTreeOrder } from "../chain/epoch.js";
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
  /** This worker's tree of `epoch`, from the epoch's RunSubmitted logs (built once per set of logs, then cached). */
  ownTree(epoch: bigint): Promise<OwnTree>;
  /**
   * The tree of another root attested with `runCount` runs, from this worker's own trees or its peers; null if
   * nobody serves it.
   */
  foreignTree(epoch: bigint, root: Hex, runCount: number): Promise<EpochTree | null>;
}

export interface EpochDataOptions {
  logPageBlocks: number;
  peers: string[];
  /**
   * Test hook only (a lying worker in the tests): changes the leaves (in tree order) before the tree is built; it may
   * drop, add or reorder them, and the positions are then numbered as it left them.
   */
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
  /** Each epoch's runs, with the hash of the epoch's last block they were read under (a reorg changes it). */
  private readonly runs = new Map<bigint, { hash: Hex; runs: EpochRun[] }>();
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
    this.runs.delete(epoch);
  }

  /**
   * The ended epoch's runs in tree order (ascending run id): its RunSubmitted logs, read again only when the epoch's
   * last block is another (a reorg). Their number is the epoch's run count.
   */
  async runsOf(epoch: bigint): Promise<EpochRun[]> {
    const last = this.clock.epochEnd(epoch) - 1n;
    const { hash } = await this.ctx.publicClient.getBlock({ blockNumber: last });
    const cached = this.runs.get(epoch);
    if (cached !== undefined && cached.hash === hash) return cached.runs;
    const runs = await this.fetchRuns(epoch);
    this.runs.set(epoch, { hash: hash!, runs });
    return runs;
  }

  async ownTree(epoch: bigint): Promise<OwnTree> {
    const runs = await this.runsOf(epoch);
    const cached = this.trees.get(epoch);
    if (cached !== undefined && cached.runs === runs) return cached;
    if (runs.length === 0) throw new Error(`epoch ${epoch} has no runs: there is no tree to build`);
    const t0 = performance.now();
    const golds = await this.pool.replay(runs.map((r) => ({ seed: r.seed, inputs: r.inputs })));
    this.metrics.runsReplayed.inc(runs.length);
    const leaves: TreeLeaf[] = runs.map((r, i) => ({ index: BigInt(i), runId: r.runId, gold: BigInt(golds[i]!) }));
    if (this.options.tamper !== undefined) {
      this.options.tamper(epoch, leaves);
      leaves.forEach((l, i) => (l.index = BigInt(i)));
    }
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

  /** The epoch's runs from its RunSubmitted logs (each carries the run's seed and inputs), in tree order. */
  private async fetchRuns(epoch: bigint): Promise<EpochRun[]> {
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
        runs.push({ runId: l.args.runId!, player: getAddress(l.args.player!), seed: l.args.seed!, inputs: l.args.inputs! });
      }
    }
    return inTreeOrder(epoch, runs);
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

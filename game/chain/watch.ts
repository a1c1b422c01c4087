/**
 * A player watches their own runs: when a root of an epoch holding one of the player's runs reaches quorum
 * (Challengeable), the player's page rebuilds the epoch's honest tree (epoch.ts: the epoch's RunSubmitted logs in
 * run-id order, replayed, as for claims) and compares it with the attested root, run count and total. If they differ
 * it fetches the attested tree from a worker that serves it (/trees/<epoch>/<root>, the deployment file's `workers`):
 * each of the player's runs must be in it with the honest gold. A run missing is proven by `challengeOmission`, a
 * wrong gold or sum by `challengeLeaf`, after the cheap structural checks (the total, past the count, empty
 * positions), all found by fraud.ts. Plain TS over a viem client: the Runs panel uses it, and
 * test/worker/watch.test.ts runs it against a lying quorum.
 */
import type { Address, Hex, PublicClient, WalletClient, Account, Chain, Transport } from "viem";
import type { Deployment } from "./deployment.js";
import { runLabel } from "./runId.js";
import { honestTree, type SubmittedRun } from "./epoch.js";
import { challengeCall, depthFraud, findFraud, type Challenge } from "./fraud.js";
import { rewardSettlementAbi } from "./generated/abis.js";
import { EpochTree, loadTree, treeDepth } from "./tree.js";

/** RewardSettlement.EpochStatus.Challengeable */
const CHALLENGEABLE = 1;

export type WatchVerdict =
  | { state: "not-challengeable"; epoch: bigint }
  /** The player has no run in the epoch. */
  | { state: "no-runs"; epoch: bigint }
  /** The attested root, run count and total are the honest ones: every run of the player's checked. */
  | { state: "ok"; epoch: bigint; root: Hex; runIds: bigint[] }
  /** The root is wrong, but not at the player's runs nor in its structure (the workers challenge the rest). */
  | { state: "wrong-elsewhere"; epoch: bigint; root: Hex; runIds: bigint[]; elsewhere: Challenge | null }
  /** The root is not the honest one and no worker serves its tree: nothing can be opened. */
  | { state: "unavailable"; epoch: bigint; root: Hex; runIds: bigint[]; tried: string[]; why: string }
  /** The root is wrong at (or without) one of the player's runs, or in its structure: `challenge` proves it. */
  | { state: "wrong"; epoch: bigint; root: Hex; runIds: bigint[]; challenge: Challenge };

/**
 * The quorum root of `epoch`'s current round and the run count and total attested with it (from the QuorumReached
 * transaction's Attested event).
 */
export async function quorumOf(
  client: PublicClient,
  d: Deployment,
  epoch: bigint,
): Promise<{ root: Hex; round: bigint; runCount: number; totalGold: bigint; windowEnd: bigint } | null> {
  const s = d.contracts.settlement;
  const [status, [root, windowEnd], round] = await Promise.all([
    client.readContract({ address: s, abi: rewardSettlementAbi, functionName: "epochStatus", args: [epoch] }),
    client.readContract({ address: s, abi: rewardSettlementAbi, functionName: "rootOf", args: [epoch] }),
    client.readContract({ address: s, abi: rewardSettlementAbi, functionName: "roundOf", args: [epoch] }),
  ]);
  if (status !== CHALLENGEABLE) return null;
  const fromBlock = BigInt(d.startBlock);
  const [quorums, attested] = await Promise.all([
    client.getContractEvents({ address: s, abi: rewardSettlementAbi, eventName: "QuorumReached", args: { epoch, root }, fromBlock }),
    client.getContractEvents({ address: s, abi: rewardSettlementAbi, eventName: "Attested", args: { epoch, root }, fromBlock }),
  ]);
  const q = quorums.filter((l) => l.args.round === round).at(-1);
  const inRound = attested.filter((l) => l.args.round === round);
  const a = inRound.find((l) => l.transactionHash === q?.transactionHash) ?? inRound.at(-1);
  if (a === undefined) return null;
  return { root, round, runCount: Number(a.args.runCount!), totalGold: a.args.totalGold!, windowEnd };
}

/** Fetches `epoch`'s tree of `root` from the first worker that serves a well-formed one. */
export async function fetchAttestedTree(
  workers: readonly string[],
  expected: { epoch: bigint; runCount: number; root: Hex },
  fetchJson: (url: string) => Promise<unknown> = defaultFetchJson,
): Promise<{ tree: EpochTree; from: string } | { tree: null; why: string }> {
  const why: string[] = [];
  for (const w of workers) {
    const url = `${w.replace(/\/$/, "")}/trees/${expected.epoch}/${expected.root}`;
    try {
      return { tree: loadTree(await fetchJson(url), expected), from: w };
    } catch (e) {
      why.push(`${w}: ${(e as Error).message}`);
    }
  }
  return { tree: null, why: why.length === 0 ? "no worker URL is known (the deployment file lists none)" : why.join("; ") };
}

async function defaultFetchJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

/**
 * Checks `player`'s runs in `epoch` against its quorum root. `honest` may be given (a cached honest tree and runs);
 * `workers` are the URLs to fetch an attested tree from.
 */
export async function checkPlayerRuns(opts: {
  client: PublicClient;
  deployment: Deployment;
  epoch: bigint;
  player: Address;
  workers: readonly string[];
  honest?: { tree: EpochTree; runs: SubmittedRun[] };
  fetchJson?: (url: string) => Promise<unknown>;
}): Promise<WatchVerdict> {
  const { client, deployment: d, epoch } = opts;
  const q = await quorumOf(client, d, epoch);
  if (q === null) return { state: "not-challengeable", epoch };
  const { tree: honest, runs } = opts.honest ?? (await honestTree(client, d, epoch));
  const player = opts.player.toLowerCase();
  const runIds = runs.filter((r) => r.player.toLowerCase() === player).map((r) => r.runId);
  if (runIds.length === 0) return { state: "no-runs", epoch };
  const same = q.root.toLowerCase() === honest.root.toLowerCase();
  if (same && q.totalGold === honest.totalGold && q.runCount === honest.runCount) return { state: "ok", epoch, root: q.root, runIds };
  let theirs: EpochTree;
  if (same) {
    // The honest root with another run count: of another depth, its leaves sit at the wrong level (challengeDepth, or
    // challengeLeaf of an inner node read as a run); of the same, it is the honest positions under the attested count
    // (past it, or an empty one below it).
    const deeper = depthFraud(honest, q.runCount, q.totalGold);
    if (deeper !== null) return { state: "wrong", epoch, root: q.root, runIds, challenge: deeper };
    theirs = q.runCount === honest.runCount ? honest : EpochTree.fromPositions(epoch, q.runCount, honest.positions(), honest.leaves());
  } else {
    const got = await fetchAttestedTree(opts.workers, { epoch, runCount: q.runCount, root: q.root }, opts.fetchJson);
    if (got.tree === null) {
      return { state: "unavailable", epoch, root: q.root, runIds, tried: [...opts.workers], why: got.why };
    }
    theirs = got.tree;
  }
  const mine = findFraud(theirs, q.totalGold, honest, runs, { runIds });
  if (mine !== null) return { state: "wrong", epoch, root: q.root, runIds, challenge: mine };
  return { state: "wrong-elsewhere", epoch, root: q.root, runIds, elsewhere: findFraud(theirs, q.totalGold, honest, runs) };
}

/** The honest tree's depth is `treeDepth(runCount)`: exported for readers that check a dump's shape. */
export { treeDepth };

/** Sends the challenge (anyone may: the player's wallet or its session key, which pays the gas). */
export async function sendChallenge(
  wallet: WalletClient<Transport, Chain | undefined, Account>,
  d: Deployment,
  epoch: bigint,
  c: Challenge,
): Promise<Hex> {
  const call = challengeCall(epoch, c);
  const common = { address: d.contracts.settlement, abi: rewardSettlementAbi, chain: wallet.chain, account: wallet.account } as const;
  switch (call.functionName) {
    case "challenge":
      return wallet.writeContract({ ...common, functionName: call.functionName, args: call.args });
    case "challengeNode":
      return wallet.writeContract({ ...common, functionName: call.functionName, args: call.args });
    case "challengeLeaf":
      return wallet.writeContract({ ...common, functionName: call.functionName, args: call.args });
    case "challengeOrder":
      return wallet.writeContract({ ...common, functionName: call.functionName, args: call.args });
    case "challengeOmission":
      return wallet.writeContract({ ...common, functionName: call.functionName, args: call.args });
    case "challengeDepth":
      return wallet.writeContract({ ...common, functionName: call.functionName, args: call.args });
  }
}

/** One line for the page: what the watch found. */
export function describeVerdict(v: WatchVerdict): string {
  switch (v.state) {
    case "not-challengeable":
      return "no root to check yet";
    case "no-runs":
      return "none of your runs in this epoch";
    case "ok":
      return v.runIds.length === 1 ? "your run checked ✓ against the attested root" : `your ${v.runIds.length} runs checked ✓ against the attested root`;
    case "wrong-elsewhere":
      return "your runs are right in the attested root, but it is wrong elsewhere: the workers challenge it";
    case "unavailable":
      return `the attested root is not what the replay gives, and no worker serves its tree to prove where (${v.why})`;
    case "wrong": {
      const c = v.challenge;
      const yours = v.runIds.includes(c.runId) ? runLabel(c.runId) : null;
      if (yours !== null && c.kind === "Omitted") return `root wrong: your ${yours} is missing from it (${c.reason})`;
      if (yours !== null) return `root wrong at your ${yours}: ${c.reason}`;
      return `root wrong: ${c.reason}`;
    }
  }
}

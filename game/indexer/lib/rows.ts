/**
 * Event → row mapping, one small function per event, free of Ponder so that the tests call them directly and a
 * change of an event's fields is a change here.
 * The handlers in src/ only look rows up and store what these return.
 */
import { getAddress, type Address, type Hex } from "viem";
import { replayRun, replaySeed, type ReplayedRun } from "./replay.js";

/** Where an event happened. */
export interface At {
  block: bigint;
  timestamp: bigint;
}

/** `player << 96 | boost << 80 | nonce`: the boost of a run is in its id (RunRegistry). */
export function boostOfRunId(runId: bigint): number {
  return Number((runId >> 80n) & 0xffffn);
}

// ---------------------------------------------------------------- RunRegistry

/** RunStarted: the seed is not known yet (it is drawn from the seed block's hash); RunSubmitted carries it. */
export interface RunStartedArgs {
  runId: bigint;
  player: Address;
  boostBps: bigint;
  seedBlock: bigint;
  deadline: bigint;
}

export function runStartedRow(a: RunStartedArgs, at: At) {
  return {
    id: a.runId,
    player: getAddress(a.player),
    boostBps: Number(a.boostBps),
    seed: null,
    startBlock: at.block,
    startedAt: at.timestamp,
    deadline: a.deadline,
  };
}

/** RunSubmitted: no index (nothing on chain numbers an epoch's runs; its tree is sorted by run id). */
export interface RunSubmittedArgs {
  runId: bigint;
  player: Address;
  epoch: bigint;
  inputs: Hex;
  seed: Hex;
}

/**
 * The run row's update at submission, with the indexer's replay of its inputs. `logIndex` is the RunSubmitted log's
 * place in its block: with the block, the submission order that breaks ties on the boards.
 */
export function runSubmittedUpdate(a: RunSubmittedArgs, started: { seed: Hex | null } | undefined, at: At & { logIndex: number }) {
  const result: ReplayedRun | null = replayRun(a.runId, replaySeed(started, a), a.inputs);
  return {
    result,
    update: {
      submitted: true,
      seed: a.seed,
      submitBlock: at.block,
      submittedAt: at.timestamp,
      epoch: a.epoch,
      submitLogIndex: at.logIndex,
      inputsBytes: (a.inputs.length - 2) / 2,
      gold: result?.gold ?? null,
      maxDepth: result?.maxDepth ?? null,
      ticks: result?.ticks ?? null,
      boostedGold: result?.boostedGold ?? null,
    },
  };
}

// ---------------------------------------------------------------- RewardSettlement

/**
 * RewardSettlement.Fraud, by the number RootRejected carries (IRewardSettlement.sol; issue 17 appended 5-7).
 * test/indexer/rows.test.ts checks that the fraud finder's list (game/chain/fraud.ts) names the same kinds.
 */
export const FRAUD = [
  "WrongLeaf",
  "WrongSum",
  "WrongTotal",
  "BeyondCount",
  "WrongDepth",
  "Omitted",
  "Unordered",
  "Invented",
] as const;

export function fraudName(code: number): string {
  return FRAUD[code] ?? `fraud ${code}`;
}

export function attestationRow(
  a: { epoch: bigint; worker: Address; root: Hex; round: bigint; runCount: bigint; totalGold: bigint; stake: bigint; attesters: bigint },
  at: At,
) {
  return {
    id: `${a.epoch}:${a.round}:${getAddress(a.worker)}`,
    epoch: a.epoch,
    worker: getAddress(a.worker),
    root: a.root,
    round: Number(a.round),
    runCount: Number(a.runCount),
    totalGold: a.totalGold,
    stake: a.stake,
    attesters: Number(a.attesters),
    block: at.block,
    timestamp: at.timestamp,
  };
}

export function quorumUpdate(a: { root: Hex; round: bigint; windowEnd: bigint }, at: At) {
  return {
    status: "challengeable",
    round: Number(a.round),
    quorumRoot: a.root,
    quorumBlock: at.block,
    quorumAt: at.timestamp,
    windowEnd: a.windowEnd,
  };
}

export function challengeRow(
  id: string,
  a: { epoch: bigint; root: Hex; challenger: Address; round: bigint; position: bigint; fraud: number; signers: bigint },
  at: At,
) {
  return {
    id,
    epoch: a.epoch,
    root: a.root,
    challenger: getAddress(a.challenger),
    round: Number(a.round),
    position: a.position,
    fraud: fraudName(a.fraud),
    signers: Number(a.signers),
    // Slashes are applied later (WorkerRegistry.SlashesApplied, which adds to this).
    slashed: 0n,
    block: at.block,
  };
}

export function finalizedUpdate(a: { root: Hex; totalGold: bigint; playerPool: bigint; attesterPool: bigint }, at: At) {
  return {
    status: "final",
    finalRoot: a.root,
    finalBlock: at.block,
    finalAt: at.timestamp,
    totalGold: a.totalGold,
    playerPool: a.playerPool,
    attesterPool: a.attesterPool,
  };
}

export function goldClaimRow(
  id: string,
  a: { player: Address; amount: bigint; runs: bigint },
  decoded: readonly bigint[],
  at: At & { transaction: Hex },
) {
  return {
    id,
    player: getAddress(a.player),
    amount: a.amount,
    runs: Number(a.runs),
    runsDecoded: decoded.length,
    block: at.block,
    timestamp: at.timestamp,
    transaction: at.transaction,
  };
}

// ---------------------------------------------------------------- WorkerRegistry

/** A slash is burned whole (no challenger's share): the worker, the amount and the bond it leaves. */
export function slashRow(id: string, a: { worker: Address; amount: bigint; bondLeft: bigint }, at: At) {
  return {
    id,
    worker: getAddress(a.worker),
    amount: a.amount,
    bondLeft: a.bondLeft,
    block: at.block,
    timestamp: at.timestamp,
  };
}

// ---------------------------------------------------------------- SurgeVault

/** sgETH has 21 decimals, WETH 18: ETH per sgETH with 18 decimals is assets * 10^21 / supply. */
export function rateE18(totalAssets: bigint, totalSupply: bigint): bigint {
  return totalSupply === 0n ? 10n ** 18n : (totalAssets * 10n ** 21n) / totalSupply;
}

export function rateReportRow(
  id: string,
  a: { totalAssets: bigint; totalSupply: bigint; previousTotalAssets: bigint; strategyAssets: bigint; feeShares: bigint },
  at: At,
) {
  return {
    id,
    kind: "report",
    block: at.block,
    timestamp: at.timestamp,
    totalAssets: a.totalAssets,
    totalSupply: a.totalSupply,
    previousTotalAssets: a.previousTotalAssets,
    strategyAssets: a.strategyAssets,
    feeShares: a.feeShares,
    rateE18: rateE18(a.totalAssets, a.totalSupply),
  };
}

export function lossRow(id: string, a: { totalAssets: bigint; previousTotalAssets: bigint; strategyAssets: bigint }, at: At) {
  return {
    id,
    kind: "loss",
    block: at.block,
    timestamp: at.timestamp,
    totalAssets: a.totalAssets,
    totalSupply: null,
    previousTotalAssets: a.previousTotalAssets,
    strategyAssets: a.strategyAssets,
    feeShares: null,
    rateE18: null,
  };
}

export function withdrawalRequestRow(
  a: { requestId: bigint; owner: Address; shares: bigint; assets: bigint; claimableBlock: bigint },
  at: At,
) {
  return {
    id: a.requestId,
    owner: getAddress(a.owner),
    shares: a.shares,
    assets: a.assets,
    claimableBlock: a.claimableBlock,
    requestBlock: at.block,
  };
}

/** WithdrawalFinalized: rebalance fixed the request's payout and set it aside; it is claimable. */
export function withdrawalFinalizedUpdate(a: { assets: bigint }, at: At) {
  return { status: "finalized", finalAssets: a.assets, finalBlock: at.block };
}

/** WithdrawalClaimed: paid to `receiver` (finalized or not before). */
export function withdrawalClaimedUpdate(a: { receiver: Address; assets: bigint }, at: At) {
  return { status: "claimed", receiver: getAddress(a.receiver), paid: a.assets, claimBlock: at.block };
}

export function depositRow(id: string, a: { sender: Address; owner: Address; assets: bigint; shares: bigint }, at: At) {
  return { id, sender: getAddress(a.sender), owner: getAddress(a.owner), assets: a.assets, shares: a.shares, block: at.block, timestamp: at.timestamp };
}

export function instantExitRow(
  id: string,
  a: { owner: Address; receiver: Address; shares: bigint; assets: bigint; fee: bigint },
  at: At,
) {
  return {
    id,
    owner: getAddress(a.owner),
    receiver: getAddress(a.receiver),
    shares: a.shares,
    assets: a.assets,
    fee: a.fee,
    block: at.block,
    timestamp: at.timestamp,
  };
}

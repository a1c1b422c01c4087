/**
 * Shared deployment for the settlement tests: the vault system from test/vault/fixture.ts (sgETH), then the
 * RunRegistry, the WorkerRegistry, a SurgeReplayer and the RewardSettlement (which deploys GOLD), with four bonded
 * workers. Helpers play runs, build an epoch's StandardMerkleTree from the chain's events exactly as a worker
 * does, attest and claim. Side-effect free apart from the shared network connection of the vault fixture.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress, parseEther, parseEventLogs, type Address, type Hash, type Hex } from "viem";
import { bytesToHex, encodeInputs, hexToBytes, replay } from "../../game/sim/index.js";
import { deploySystem, depositEth, networkHelpers, SGETH, viem } from "../vault/fixture.js";

export { networkHelpers, SGETH, viem };

export const EPOCH_BLOCKS = 20n;
export const SUBMIT_WINDOW = 30n;
export const MIN_LOCK_BLOCKS = 50n;
export const BOOST_FULL_STAKE = 10n * SGETH;
export const MIN_BOND = SGETH;
export const UNBONDING_DELAY = 500n;
export const CHALLENGE_WINDOW = 10n;
export const FALLBACK_DELAY = 40n;
export const EPOCH_CAP = parseEther("1000000");
export const ATTESTER_BPS = 500n;
export const QUORUM_BPS = 6_667n;
export const SLASH_BPS = 5_000n;
export const CHALLENGER_BPS = 5_000n;
export const BPS = 10_000n;
export const GOLD_PER_POINT = 10n ** 18n;
/** Players are paid in whole micro-GOLD (rounded down). */
export const MINT_UNIT = 10n ** 12n;
export const BURN_ADDRESS: Address = "0x000000000000000000000000000000000000dEaD";
export const LEAF_ENCODING = ["uint256", "uint256", "address", "uint256"];

export interface SettlementConfig {
  epochCap: bigint;
  attesterBps: bigint;
  quorumBps: bigint;
  minAttesters: bigint;
  maxAttesters: bigint;
  challengeWindow: bigint;
  fallbackDelay: bigint;
  slashBps: bigint;
  challengerBps: bigint;
}

export function defaultConfig(): SettlementConfig {
  return {
    epochCap: EPOCH_CAP,
    attesterBps: ATTESTER_BPS,
    quorumBps: QUORUM_BPS,
    minAttesters: 2n,
    maxAttesters: 16n,
    challengeWindow: CHALLENGE_WINDOW,
    fallbackDelay: FALLBACK_DELAY,
    slashBps: SLASH_BPS,
    challengerBps: CHALLENGER_BPS,
  };
}

export async function deploySettlement(config: SettlementConfig = defaultConfig()) {
  const system = await deploySystem();
  const wallets = await viem.getWalletClients();
  const [w1, w2, w3, w4, p1, p2, challenger, sessionKey] = wallets.slice(7);
  if (w1 === undefined || w2 === undefined || w3 === undefined || w4 === undefined) throw new Error("need accounts");
  if (p1 === undefined || p2 === undefined || challenger === undefined || sessionKey === undefined) {
    throw new Error("the test chain needs 15 accounts");
  }
  const genesis = BigInt(await networkHelpers.time.latestBlock());
  const runs = await viem.deployContract("RunRegistry", [
    system.vault.address,
    genesis,
    EPOCH_BLOCKS,
    SUBMIT_WINDOW,
    MIN_LOCK_BLOCKS,
    BOOST_FULL_STAKE,
  ]);
  const workers = await viem.deployContract("WorkerRegistry", [system.vault.address, MIN_BOND, UNBONDING_DELAY]);
  const replayer = await viem.deployContract("SurgeReplayer");
  const settlement = await viem.deployContract("RewardSettlement", [
    runs.address,
    workers.address,
    replayer.address,
    config,
  ]);
  await workers.write.bindSettlement([settlement.address]);
  const gold = await viem.getContractAt("GoldToken", await settlement.read.gold());
  const workerWallets = [w1, w2, w3, w4];
  for (const w of [...workerWallets, challenger]) {
    await depositEth(system, w, parseEther("3"));
    await system.vault.write.approve([workers.address, 2n ** 256n - 1n], { account: w.account });
  }
  for (const w of workerWallets) await workers.write.register([MIN_BOND], { account: w.account });
  const publicClient = await viem.getPublicClient();
  return {
    ...system,
    runs,
    workers,
    replayer,
    settlement,
    gold,
    genesis,
    workerWallets,
    w1,
    w2,
    w3,
    w4,
    p1,
    p2,
    challenger,
    sessionKey,
    publicClient,
  };
}

export type Settlement = Awaited<ReturnType<typeof deploySettlement>>;
export type Wallet = Settlement["p1"];

async function deployDefault(): Promise<Settlement> {
  return deploySettlement();
}

/** A fresh copy of the deployed system (a Hardhat fixture snapshot). */
export async function freshSettlement(): Promise<Settlement> {
  return networkHelpers.loadFixture(deployDefault);
}

export async function receiptOf(s: Settlement, hash: Promise<Hash> | Hash) {
  return s.publicClient.waitForTransactionReceipt({ hash: await hash });
}

export interface PlayedRun {
  runId: bigint;
  seed: Hex;
  player: Address;
  inputs: Uint8Array;
  epoch: bigint;
  index: bigint;
  boostBps: bigint;
  gold: number;
}

/** Starts a run for `player` (through `via` if given, a session key) and returns its id and seed. */
export async function startRun(s: Settlement, player: Wallet, via?: Wallet) {
  const hash = via
    ? await s.runs.write.startRunFor([player.account.address], { account: via.account })
    : await s.runs.write.startRun({ account: player.account });
  const receipt = await receiptOf(s, hash);
  const [event] = parseEventLogs({ abi: s.runs.abi, logs: receipt.logs, eventName: "RunStarted" });
  if (event === undefined) throw new Error("no RunStarted event");
  return { runId: event.args.runId, seed: event.args.seed, boostBps: event.args.boostBps, receipt };
}

/** Starts and submits a run of `actions` (or raw `inputs`) for `player`. */
export async function playRun(
  s: Settlement,
  player: Wallet,
  inputs: Uint8Array = encodeInputs([4, 4, 4, 4, 4, 4, 1, 1, 2, 2, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4]),
  via?: Wallet,
): Promise<PlayedRun> {
  const { runId, seed, boostBps } = await startRun(s, player, via);
  const receipt = await receiptOf(
    s,
    s.runs.write.submitRun([runId, bytesToHex(inputs)], { account: (via ?? player).account }),
  );
  const [event] = parseEventLogs({ abi: s.runs.abi, logs: receipt.logs, eventName: "RunSubmitted" });
  if (event === undefined) throw new Error("no RunSubmitted event");
  return {
    runId,
    seed,
    player: getAddress(player.account.address),
    inputs,
    epoch: event.args.epoch,
    index: event.args.index,
    boostBps,
    gold: replay(seed, inputs).gold,
  };
}

export interface EpochTree {
  epoch: bigint;
  tree: StandardMerkleTree<[bigint, bigint, Address, bigint]>;
  leaves: [bigint, bigint, Address, bigint][];
  runCount: bigint;
  totalGold: bigint;
  inputs: Map<bigint, Uint8Array>;
}

/** Boosted gold of a leaf, as the settlement computes it: gold * (10000 + boost) / 10000, boost from the run id. */
export function boosted(gold: bigint, runId: bigint): bigint {
  return (gold * (BPS + ((runId >> 80n) & 0xffffn))) / BPS;
}

/**
 * What an honest worker does for `epoch`: read every RunSubmitted of the epoch from the chain, replay each run, and
 * build the tree of (index, runId, player, gold) in submission order. `tamper` may change leaves (for attacks).
 */
export async function buildEpoch(
  s: Settlement,
  epoch: bigint,
  tamper?: (leaves: [bigint, bigint, Address, bigint][]) => void,
): Promise<EpochTree> {
  const logs = await s.publicClient.getContractEvents({
    address: s.runs.address,
    abi: s.runs.abi,
    eventName: "RunSubmitted",
    args: { epoch },
    fromBlock: 0n,
  });
  const leaves: [bigint, bigint, Address, bigint][] = [];
  const inputs = new Map<bigint, Uint8Array>();
  for (const log of logs.sort((a, b) => Number(a.args.index! - b.args.index!))) {
    const runId = log.args.runId!;
    const bytes = hexToBytes(log.args.inputs!);
    const seed = await s.runs.read.seedOf([runId]);
    leaves.push([log.args.index!, runId, getAddress(log.args.player!), BigInt(replay(seed, bytes).gold)]);
    inputs.set(runId, bytes);
  }
  tamper?.(leaves);
  const tree = StandardMerkleTree.of(leaves, LEAF_ENCODING);
  const totalGold = leaves.reduce((sum, [, runId, , gold]) => sum + boosted(gold, runId), 0n);
  return { epoch, tree, leaves, runCount: BigInt(leaves.length), totalGold, inputs };
}

/** Mines until `epoch` has ended (attestations are accepted from its end block on). */
export async function mineToEpochEnd(s: Settlement, epoch: bigint) {
  const end = await s.runs.read.epochEnd([epoch]);
  const now = BigInt(await networkHelpers.time.latestBlock());
  if (now < end) await networkHelpers.mine(end - now);
}

export async function attest(s: Settlement, t: EpochTree, worker: Wallet) {
  return s.settlement.write.attest([t.epoch, t.tree.root as Hex, t.runCount, t.totalGold], { account: worker.account });
}

/** Attests `t` with the first `n` workers (default 3 of 4: a quorum at 66.67%). */
export async function attestQuorum(s: Settlement, t: EpochTree, n = 3) {
  for (const w of s.workerWallets.slice(0, n)) await attest(s, t, w);
}

/** Attests with a quorum, waits out the challenge window and finalizes. */
export async function settleEpoch(s: Settlement, t: EpochTree) {
  await attestQuorum(s, t);
  await networkHelpers.mine(CHALLENGE_WINDOW + 1n);
  await s.settlement.write.finalize([t.epoch]);
}

export function leafOf(t: EpochTree, runId: bigint) {
  for (const [i, v] of t.tree.entries()) {
    if (v[1] === runId) return { leaf: v, proof: t.tree.getProof(i) as Hex[] };
  }
  throw new Error(`run ${runId} is not in the tree`);
}

/** The `RunClaim` of `runId` in `t`. */
export function claimOf(t: EpochTree, runId: bigint) {
  const { leaf, proof } = leafOf(t, runId);
  return { epoch: t.epoch, index: leaf[0], runId: leaf[1], gold: leaf[3], totalGold: t.totalGold, proof };
}

/** What a final epoch pays a leaf: boosted * playerPool / totalGold, playerPool = min(cap, total) less the share. */
export function expectedPay(t: EpochTree, runId: bigint, cap = EPOCH_CAP): bigint {
  const { leaf } = leafOf(t, runId);
  const demand = t.totalGold * GOLD_PER_POINT;
  const emission = demand < cap ? demand : cap;
  const playerPool = emission - (emission * ATTESTER_BPS) / BPS;
  if (t.totalGold === 0n) return 0n;
  const pay = (boosted(leaf[3], runId) * playerPool) / t.totalGold;
  return pay - (pay % MINT_UNIT);
}

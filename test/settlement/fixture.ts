/**
 * Shared deployment for the settlement tests: the vault system from test/vault/fixture.ts (sgETH), then the
 * RunRegistry, the WorkerRegistry, a SurgeReplayer and the RewardSettlement (which deploys GOLD), with four bonded
 * workers. Helpers play runs (start, wait for the seed block, submit), build an epoch's Merkle sum tree from the
 * chain's events as a worker does, attest, challenge and claim. Side-effect free apart from the shared network
 * connection of the vault fixture.
 *
 * The tree here is this file's own restatement of IRewardSettlementTypes.Node, written from the contract's natspec
 * and NOT from game/chain/tree.ts: test/settlement/TreeAgreement.test.ts checks that the two and the contract agree.
 */
import {
  concatHex,
  decodeFunctionData,
  getAddress,
  numberToHex,
  padHex,
  parseEther,
  parseEventLogs,
  type Address,
  type Hash,
  type Hex,
} from "viem";
import {
  aggregateSignatures,
  attestationDigest,
  blsKey,
  deriveBlsSecretKey,
  nonSignersOf,
  signAttestation,
  signPop,
  type BlsKey,
} from "../../game/chain/bls.js";
import { bytesToHex, encodeInputs, hexToBytes, replay } from "../../game/sim/index.js";
import { boosted, buildLevels, leafOf, proofOf, type Leaf, type SumNode } from "../helpers/tree.js";
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
export const QUORUM_BPS = 6_666n;
export const SLASH_BPS = 5_000n;
export const BPS = 10_000n;
export const GOLD_PER_POINT = 10n ** 18n;
/** Players are paid in whole micro-GOLD (rounded down). */
export const MINT_UNIT = 10n ** 12n;
export const BURN_ADDRESS: Address = "0x000000000000000000000000000000000000dEaD";
/** IRewardSettlementTypes.Fraud */
export const Fraud = {
  WrongLeaf: 0,
  WrongSum: 1,
  WrongTotal: 2,
  BeyondCount: 3,
  WrongDepth: 4,
  Omitted: 5,
  Unordered: 6,
  Invented: 7,
} as const;

export interface SettlementConfig {
  epochCap: bigint;
  attesterBps: bigint;
  quorumBps: bigint;
  challengeWindow: bigint;
  fallbackDelay: bigint;
  slashBps: bigint;
}

export function defaultConfig(): SettlementConfig {
  return {
    epochCap: EPOCH_CAP,
    attesterBps: ATTESTER_BPS,
    quorumBps: QUORUM_BPS,
    challengeWindow: CHALLENGE_WINDOW,
    fallbackDelay: FALLBACK_DELAY,
    slashBps: SLASH_BPS,
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
  const publicClient = await viem.getPublicClient();
  for (const w of workerWallets) await registerWorker({ workers, publicClient }, w, MIN_BOND);
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
  boostBps: bigint;
  gold: number;
}

/**
 * Starts a run for `player` (through `via` if given, a session key): its id, boost and seed block. The seed does not
 * exist yet: `drawSeed` waits for it.
 */
export async function startRun(s: Settlement, player: Wallet, via?: Wallet) {
  const hash = via
    ? await s.runs.write.startRunFor([player.account.address], { account: via.account })
    : await s.runs.write.startRun({ account: player.account });
  const receipt = await receiptOf(s, hash);
  const [event] = parseEventLogs({ abi: s.runs.abi, logs: receipt.logs, eventName: "RunStarted" });
  if (event === undefined) throw new Error("no RunStarted event");
  return {
    runId: event.args.runId,
    boostBps: event.args.boostBps,
    seedBlock: event.args.seedBlock,
    deadline: event.args.deadline,
    receipt,
  };
}

/** Mines until run `runId`'s seed block exists: the next transaction (the submit) draws its seed. */
export async function mineSeedBlock(s: Settlement, runId: bigint) {
  const seedBlock = await s.runs.read.seedBlockOf([runId]);
  const now = BigInt(await networkHelpers.time.latestBlock());
  if (now < seedBlock) await networkHelpers.mine(seedBlock - now);
}

/**
 * Mines until run `runId`'s seed can be read and reads it: a call runs in the latest block, where `blockhash` of
 * that block itself is not known yet, so `seedOf` answers from the block after the seed block on.
 */
export async function drawSeed(s: Settlement, runId: bigint): Promise<Hex> {
  const seedBlock = await s.runs.read.seedBlockOf([runId]);
  const now = BigInt(await networkHelpers.time.latestBlock());
  if (now <= seedBlock) await networkHelpers.mine(seedBlock - now + 1n);
  return s.runs.read.seedOf([runId]);
}

/**
 * Starts and submits a run of `inputs` (or of what `inputsFor(seed)` plays, for runs that depend on their seed) for
 * `player`: start, wait for the seed block, submit.
 */
export async function playRun(
  s: Settlement,
  player: Wallet,
  inputs: Uint8Array | ((seed: Hex) => Uint8Array) = encodeInputs([4, 4, 4, 4, 4, 4, 1, 1, 2, 2, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4]),
  via?: Wallet,
): Promise<PlayedRun> {
  const { runId, boostBps } = await startRun(s, player, via);
  let bytes: Uint8Array;
  if (typeof inputs === "function") bytes = inputs(await drawSeed(s, runId));
  else {
    bytes = inputs;
    await mineSeedBlock(s, runId);
  }
  const receipt = await receiptOf(
    s,
    s.runs.write.submitRun([runId, bytesToHex(bytes)], { account: (via ?? player).account }),
  );
  const [event] = parseEventLogs({ abi: s.runs.abi, logs: receipt.logs, eventName: "RunSubmitted" });
  if (event === undefined) throw new Error("no RunSubmitted event");
  const seed = event.args.seed;
  if (seed !== (await s.runs.read.seedOf([runId]))) throw new Error("the stored seed is not the one submitted");
  return {
    runId,
    seed,
    player: getAddress(player.account.address),
    inputs: bytes,
    epoch: event.args.epoch,
    boostBps,
    gold: replay(seed, bytes).gold,
  };
}

/** Fixed fees: with automine off viem then sends each transaction without asking the node for them. */
const FEES = { maxFeePerGas: 100n * 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n };
/** Where `playInOneBlock`'s players live: `PLAYER_BASE + family * 2^16 + i`, funded and impersonated. */
const PLAYER_BASE = 0x5e77_0000_0000n;

/**
 * `n` fresh players (family `family`: impersonated, funded addresses) each start a run in ONE block, and each submits
 * it (the inputs `inputsFor(i)`) in ONE later block, of one fresh epoch: what a busy epoch looks like, and what a
 * shared counter in `submitRun` would serialize. Throws unless every transaction succeeded, in its one block.
 */
export async function playInOneBlock(
  s: Settlement,
  n: number,
  inputsFor: (i: number) => Uint8Array,
  family = 0,
): Promise<{ runs: PlayedRun[]; startBlock: bigint; submitBlock: bigint }> {
  const test = await viem.getTestClient();
  const players: Address[] = [];
  for (let i = 0; i < n; i++) {
    const a = getAddress(`0x${(PLAYER_BASE + BigInt(family) * 2n ** 16n + BigInt(i)).toString(16).padStart(40, "0")}`);
    await networkHelpers.impersonateAccount(a);
    await networkHelpers.setBalance(a, parseEther("10"));
    players.push(a);
  }
  await toFreshEpoch(s);
  const nonces = await Promise.all(players.map((a) => s.publicClient.getTransactionCount({ address: a })));
  const inBlock = async (send: (a: Address, i: number) => Promise<Hash>) => {
    await test.setAutomine(false);
    let hashes: Hash[];
    try {
      hashes = await Promise.all(players.map(send));
      await networkHelpers.mine(1);
    } finally {
      await test.setAutomine(true);
    }
    const receipts = await Promise.all(hashes.map((hash) => s.publicClient.getTransactionReceipt({ hash })));
    const block = receipts[0]!.blockNumber;
    for (const r of receipts) {
      if (r.status !== "success") throw new Error(`a transaction reverted (${r.transactionHash})`);
      if (r.blockNumber !== block) throw new Error(`the transactions took blocks ${block} and ${r.blockNumber}`);
    }
    return receipts;
  };
  const started = await inBlock((a, i) => s.runs.write.startRun({ account: a, gas: 400_000n, nonce: nonces[i]!, ...FEES }));
  const runIds = started.map((r) => parseEventLogs({ abi: s.runs.abi, logs: r.logs, eventName: "RunStarted" })[0]!.args.runId);
  const boosts = started.map((r) => parseEventLogs({ abi: s.runs.abi, logs: r.logs, eventName: "RunStarted" })[0]!.args.boostBps);
  for (const id of runIds) await drawSeed(s, id);
  const inputs = players.map((_, i) => inputsFor(i));
  // Each submit's gas, estimated against the chain with every run started (a tight limit: the block holds them all).
  const gas = await Promise.all(
    players.map(async (a, i) => ((await s.runs.estimateGas.submitRun([runIds[i]!, bytesToHex(inputs[i]!)], { account: a })) * 12n) / 10n),
  );
  const submitted = await inBlock((a, i) =>
    s.runs.write.submitRun([runIds[i]!, bytesToHex(inputs[i]!)], { account: a, gas: gas[i]!, nonce: nonces[i]! + 1, ...FEES }),
  );
  const runs = submitted.map((r, i) => {
    const [ev] = parseEventLogs({ abi: s.runs.abi, logs: r.logs, eventName: "RunSubmitted" });
    return {
      runId: runIds[i]!,
      seed: ev!.args.seed,
      player: players[i]!,
      inputs: inputs[i]!,
      epoch: ev!.args.epoch,
      boostBps: boosts[i]!,
      gold: replay(ev!.args.seed, inputs[i]!).gold,
    };
  });
  return { runs, startBlock: started[0]!.blockNumber, submitBlock: submitted[0]!.blockNumber };
}

// ---------------------------------------------------------------- the epoch's Merkle sum tree, restated

export { boosted, depthOf, EMPTY, leafOf, parentOf, proofOf, type Leaf, type SumNode } from "../helpers/tree.js";
/**
 * An epoch's tree as attested: `levels[h][i]` is the node at height h (0: the positions), index i. Built bottom-up
 * from the position nodes; `overrides` replace nodes at any height ("h:i" keys) before the level above is built, so
 * a test can write trees whose inner nodes lie (a sum not its children's, an empty node, a leaf above the
 * positions). `attestedTotal` defaults to the top's sum.
 */
export interface EpochTree {
  epoch: bigint;
  runCount: bigint;
  depth: number;
  /** The honest leaves (or tampered ones) the positions were built from, by index. */
  leaves: Leaf[];
  levels: SumNode[][];
  root: Hex;
  /** What the attesters attest as the total (the top's sum unless a test says otherwise). */
  totalGold: bigint;
  inputs: Map<bigint, Uint8Array>;
}

/** The tree of `runCount` runs over `positions` (test/helpers/tree.ts's `buildLevels`), of `epoch`. */
export function buildTree(
  epoch: bigint,
  runCount: number,
  positions: SumNode[],
  overrides: Map<string, SumNode> = new Map(),
  attestedTotal?: bigint,
): Omit<EpochTree, "leaves" | "inputs"> {
  return { epoch, ...buildLevels(runCount, positions, overrides, attestedTotal) };
}


/**
 * An epoch's runs as an honest worker reads them, with no on-chain count: every RunSubmitted log of the epoch, each
 * run replayed with the seed in its event, sorted by run id (ascending, as big integers); a leaf's index is its rank.
 */
export async function honestLeaves(s: Settlement, epoch: bigint) {
  const logs = await s.publicClient.getContractEvents({
    address: s.runs.address,
    abi: s.runs.abi,
    eventName: "RunSubmitted",
    args: { epoch },
    fromBlock: 0n,
  });
  const runs = logs.map((log) => ({ runId: log.args.runId!, seed: log.args.seed!, bytes: hexToBytes(log.args.inputs!) }));
  runs.sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
  const inputs = new Map<bigint, Uint8Array>();
  const leaves: Leaf[] = runs.map((r, i) => {
    inputs.set(r.runId, r.bytes);
    return { index: BigInt(i), runId: r.runId, gold: BigInt(replay(r.seed, r.bytes).gold) };
  });
  return { leaves, inputs };
}

/** `leaves` in this order with their indices set to their positions (a tampered list, made a consistent tree). */
export function ranked(leaves: readonly Leaf[]): Leaf[] {
  return leaves.map((l, i) => ({ ...l, index: BigInt(i) }));
}

/**
 * A tree attested with `leaves` at positions 0.. (their nodes from their own index, run id and gold), or with
 * `positions` of its own, and `runCount` (default the number of leaves); `overrides`, `attestedTotal` as in
 * `buildTree`. `leaves` stay the tree's leaves by position: openings and claims read them.
 */
export function treeOf(
  epoch: bigint,
  leaves: readonly Leaf[],
  opts: {
    runCount?: number | bigint;
    positions?: SumNode[];
    overrides?: Map<string, SumNode>;
    attestedTotal?: bigint;
    inputs?: Map<bigint, Uint8Array>;
  } = {},
): EpochTree {
  const runCount = Number(opts.runCount ?? leaves.length);
  const positions = opts.positions ?? leaves.map(leafOf);
  return {
    ...buildTree(epoch, runCount, positions, opts.overrides, opts.attestedTotal),
    leaves: [...leaves],
    inputs: opts.inputs ?? new Map(),
  };
}

/**
 * What an honest worker does for `epoch` (`honestLeaves`, then the tree of its sorted leaves, counted). `tamper` may
 * change the leaves in place (their gold, ids), return a new leaf list in tree order (for attacks: used as given,
 * indices included; `ranked` re-indexes), or return position nodes of its own; `overrides`, `attestedTotal` as in
 * `buildTree`; `runCount` is the attested count (default: how many leaves the tree has).
 */
export async function buildEpoch(
  s: Settlement,
  epoch: bigint,
  tamper?: (leaves: Leaf[]) => SumNode[] | Leaf[] | void,
  overrides?: Map<string, SumNode>,
  attestedTotal?: bigint,
  runCount?: number | bigint,
): Promise<EpochTree> {
  const honest = await honestLeaves(s, epoch);
  const honestCount = honest.leaves.length;
  const out = tamper?.(honest.leaves);
  if (out !== undefined && out.length > 0 && "runId" in out[0]!) {
    const leaves = out as Leaf[];
    return treeOf(epoch, leaves, { runCount: runCount ?? leaves.length, overrides, attestedTotal, inputs: honest.inputs });
  }
  const positions = (out as SumNode[] | undefined) ?? honest.leaves.map(leafOf);
  return treeOf(epoch, honest.leaves, { runCount: runCount ?? honestCount, positions, overrides, attestedTotal, inputs: honest.inputs });
}

/**
 * The chain's clock as the next transactions see it. A restored fixture snapshot's last block can be far behind the
 * wall clock that stamps every new block (on a loaded CI machine, many minutes): an expiry computed from that block
 * may already be past. So mine one block (evm_mine stamps it with the clock) and read its timestamp.
 */
export async function chainNow(): Promise<bigint> {
  await (await viem.getPublicClient()).request({ method: "evm_mine" } as never);
  return BigInt(await networkHelpers.time.latest());
}

/** Mines to the end of the current epoch, so the next transaction opens a fresh one (a run takes three blocks). */
export async function toFreshEpoch(s: Settlement) {
  const now = BigInt(await networkHelpers.time.latestBlock());
  await mineToEpochEnd(s, await s.runs.read.epochOf([now + 1n]));
}

/** Mines until `epoch` has ended (attestations are accepted from its end block on). */
export async function mineToEpochEnd(s: Settlement, epoch: bigint) {
  const end = await s.runs.read.epochEnd([epoch]);
  const now = BigInt(await networkHelpers.time.latestBlock());
  if (now < end) await networkHelpers.mine(end - now);
}

// ---------------------------------------------------------------- BLS keys and aggregate attestations

/** The BLS key of a test wallet: derived from its address (test wallets do not show their ECDSA keys). */
export function blsKeyOf(address: Address): BlsKey {
  return blsKey(deriveBlsSecretKey(padHex(address, { size: 32 })));
}

/** Registers `wallet` as a worker with `bond`, its BLS key and a proof of possession for it. */
export async function registerWorker(
  s: { workers: Settlement["workers"]; publicClient: Settlement["publicClient"] },
  wallet: Wallet,
  bond: bigint,
) {
  const key = blsKeyOf(wallet.account.address);
  const chainId = await s.publicClient.getChainId();
  const pop = signPop(key, chainId, s.workers.address, wallet.account.address);
  return s.workers.write.register([bond, key.publicKey, pop], { account: wallet.account });
}

/** The indices of the workers eligible now (the signer set an attestation is checked against). */
export async function eligibleIndices(s: Settlement): Promise<bigint[]> {
  const version = await s.workers.read.version();
  return [...(await s.workers.read.eligibleAt([version, 0n, await s.workers.read.workerCount()]))];
}

/** The aggregate signature of `t`'s attestation by `signers` and the non-signers (eligible now, not among them). */
export async function aggregateOf(s: Settlement, t: EpochTree, signers: readonly Wallet[], round?: bigint) {
  const digest = attestationDigest({
    chainId: await s.publicClient.getChainId(),
    settlement: s.settlement.address,
    epoch: t.epoch,
    round: round ?? (await s.settlement.read.roundOf([t.epoch])),
    root: t.root,
    runCount: t.runCount,
    totalGold: t.totalGold,
  });
  const signed = new Set<bigint>();
  for (const w of signers) {
    // A wallet that is not registered signs too (its signature then fails the check): tests of refusals need it.
    const rec = await s.workers.read.workerOf([w.account.address]);
    if (rec.registered) signed.add(BigInt(rec.index));
  }
  const nonSigners = nonSignersOf(await eligibleIndices(s), signed);
  const signature = aggregateSignatures(signers.map((w) => signAttestation(blsKeyOf(w.account.address).secretKey, digest)));
  return { digest, nonSigners, signature };
}

/**
 * Attests `t` with one aggregate signature of `signers` (one wallet or several), submitted by `by` (default the
 * first signer); every other eligible worker is a non-signer. Reverts NoQuorum below two thirds of the eligible stake.
 */
export async function attest(s: Settlement, t: EpochTree, signers: Wallet | readonly Wallet[], by?: Wallet) {
  const list = Array.isArray(signers) ? (signers as readonly Wallet[]) : [signers as Wallet];
  const { nonSigners, signature } = await aggregateOf(s, t, list);
  return s.settlement.write.attest([t.epoch, t.root, t.runCount, t.totalGold, nonSigners, signature], {
    account: (by ?? list[0] ?? s.p1).account,
  });
}

/** Attests `t` with the first `n` workers (default 3 of 4: a quorum at 66.67%). */
export async function attestQuorum(s: Settlement, t: EpochTree, n = 3) {
  return receiptOf(s, attest(s, t, s.workerWallets.slice(0, n)));
}

/** The non-signer list of `epoch`'s quorum attestation (from its Attested transaction's input). */
export async function quorumNonSigners(s: Settlement, epoch: bigint): Promise<bigint[]> {
  const [log] = (
    await s.publicClient.getContractEvents({ address: s.settlement.address, abi: s.settlement.abi, eventName: "Attested", args: { epoch }, fromBlock: 0n })
  ).slice(-1);
  if (log === undefined) throw new Error(`no attestation of epoch ${epoch}`);
  const tx = await s.publicClient.getTransaction({ hash: log.transactionHash });
  const { args } = decodeFunctionData({ abi: s.settlement.abi, data: tx.input });
  return [...(args[4] as readonly bigint[])];
}

/** Applies every pending slash: each rejection's signers, all indices in one batch. */
export async function applyAllSlashes(s: Settlement, by?: Wallet) {
  const count = await s.workers.read.rejectionCount();
  const n = await s.workers.read.workerCount();
  const all = Array.from({ length: Number(n) }, (_, i) => BigInt(i));
  const rejected = await s.publicClient.getContractEvents({ address: s.settlement.address, abi: s.settlement.abi, eventName: "RootRejected", fromBlock: 0n });
  for (let r = 0n; r < count; r++) {
    const ev = rejected.find((l) => l.args.rejection === r);
    if (ev === undefined) throw new Error(`no RootRejected for rejection ${r}`);
    // The rejected root's attestation: the Attested event of its epoch and round.
    const attested = (
      await s.publicClient.getContractEvents({ address: s.settlement.address, abi: s.settlement.abi, eventName: "Attested", args: { epoch: ev.args.epoch }, fromBlock: 0n })
    ).find((l) => l.args.round === ev.args.round);
    if (attested === undefined) throw new Error(`no attestation for rejection ${r}`);
    const att = await s.publicClient.getTransaction({ hash: attested.transactionHash });
    const nonSigners = decodeFunctionData({ abi: s.settlement.abi, data: att.input }).args[4] as readonly bigint[];
    await receiptOf(s, s.workers.write.applySlashes([r, nonSigners, all], by ? { account: by.account } : {}));
  }
}

/** Attests with a quorum, waits out the challenge window and finalizes. */
export async function settleEpoch(s: Settlement, t: EpochTree) {
  await attestQuorum(s, t);
  await networkHelpers.mine(CHALLENGE_WINDOW + 1n);
  await s.settlement.write.finalize([t.epoch]);
}

/** The leaf of `runId` in `t` (by the leaves it was built from). */
export function leafOfRun(t: EpochTree, runId: bigint): Leaf {
  const leaf = t.leaves.find((l) => l.runId === runId);
  if (leaf === undefined) throw new Error(`run ${runId} is not in the tree`);
  return leaf;
}

/** A `RunClaim` of `runId` in `t`: the leaf fields and the siblings of its position. */
export function claimOf(t: EpochTree, runId: bigint) {
  const leaf = leafOfRun(t, runId);
  return { epoch: t.epoch, index: leaf.index, runId, gold: leaf.gold, proof: proofOf(t, Number(leaf.index)) };
}
export type Claim = ReturnType<typeof claimOf>;

/**
 * `claimPacked`'s bytes, restated from the interface: per claim `uint32 epoch | uint32 index | uint256 runId |
 * uint32 gold | uint8 proofLength`, then `bytes32 hash | uint64 sum` per level.
 */
export function packClaims(claims: readonly Claim[]): Hex {
  const parts: Hex[] = ["0x"];
  for (const c of claims) {
    parts.push(
      numberToHex(c.epoch, { size: 4 }),
      numberToHex(c.index, { size: 4 }),
      numberToHex(c.runId, { size: 32 }),
      numberToHex(c.gold, { size: 4 }),
      numberToHex(c.proof.length, { size: 1 }),
    );
    for (const n of c.proof) parts.push(n.hash, numberToHex(n.sum, { size: 8 }));
  }
  return concatHex(parts);
}

/** `challenge`'s arguments at `position` of `t`: its node (or `node`) and its proof. No replay, no run. */
export function challengeArgs(t: EpochTree, position: number, node?: SumNode) {
  return [t.epoch, BigInt(position), node ?? t.levels[0]![position]!, proofOf(t, position)] as const;
}

/** IRewardSettlementTypes.LeafOpening: a position's node read as a leaf, `(bytes32(runId), sum)`, and its proof. */
export interface LeafOpening {
  position: bigint;
  runId: bigint;
  sum: bigint;
  proof: SumNode[];
}

/**
 * The opening of `t`'s node at `position` as a leaf: the run id it holds (its hash read as a number: whatever value
 * a position holds is a run id) and its sum, with its proof. `runId` overrides the id (an opening of another leaf).
 */
export function openingOf(t: EpochTree, position: number, runId?: bigint): LeafOpening {
  const node = t.levels[0]![position];
  if (node === undefined) throw new Error(`no position ${position}`);
  return { position: BigInt(position), runId: runId ?? BigInt(node.hash), sum: node.sum, proof: proofOf(t, position) };
}

/** `challengeLeaf`'s arguments at `position` of `t`: the opening and the run's inputs (or `inputs`; empty if none). */
export function leafChallengeArgs(t: EpochTree, position: number, inputs?: Uint8Array) {
  const opening = openingOf(t, position);
  return [t.epoch, opening, bytesToHex(inputs ?? t.inputs.get(opening.runId) ?? new Uint8Array())] as const;
}

/** `challengeOrder`'s arguments: the leaves of `t` at `left` and `left + 1`. */
export function orderChallengeArgs(t: EpochTree, left: number) {
  return [t.epoch, openingOf(t, left), openingOf(t, left + 1)] as const;
}

/**
 * The neighbours that show run `runId` missing from `t` (the leaves below its run count): the first leaf if every
 * leaf's id is greater, the last if every one is smaller, else the two around where the run belongs.
 */
export function omissionNeighbours(t: EpochTree, runId: bigint): LeafOpening[] {
  const n = Number(t.runCount);
  const next = t.leaves.slice(0, n).findIndex((l) => l.runId > runId);
  if (next === 0) return [openingOf(t, 0)];
  if (next === -1) return [openingOf(t, n - 1)];
  return [openingOf(t, next - 1), openingOf(t, next)];
}

/** `challengeOmission`'s arguments for run `runId` of `t`'s epoch. */
export function omissionChallengeArgs(t: EpochTree, runId: bigint) {
  return [t.epoch, runId, omissionNeighbours(t, runId)] as const;
}

/** What a final epoch pays a leaf: boosted * playerPool / totalGold, playerPool = min(cap, total) less the share. */
export function expectedPay(t: EpochTree, runId: bigint, cap = EPOCH_CAP): bigint {
  const leaf = leafOfRun(t, runId);
  const demand = t.totalGold * GOLD_PER_POINT;
  const emission = demand < cap ? demand : cap;
  const playerPool = emission - (emission * ATTESTER_BPS) / BPS;
  if (t.totalGold === 0n) return 0n;
  const pay = (boosted(leaf.gold, runId) * playerPool) / t.totalGold;
  return pay - (pay % MINT_UNIT);
}

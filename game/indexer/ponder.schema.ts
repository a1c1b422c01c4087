/**
 * The indexer's tables (Ponder onchain tables: Ponder rolls them back on a reorg). Amounts are raw integers as the
 * contracts emit them (GOLD and WETH 18 decimals, sgETH 21); blocks and timestamps are the chain's. A run's gold,
 * depth and ticks are the indexer's own replay of its inputs with game/sim (lib/replay.ts), not a worker's word.
 */
import { index, onchainTable } from "ponder";

/** One run: started, then (maybe) submitted and replayed, then (maybe) paid by a claim or by on-chain replay. */
export const run = onchainTable(
  "run",
  (t) => ({
    id: t.bigint().primaryKey(),
    player: t.hex().notNull(),
    boostBps: t.integer().notNull(),
    seed: t.hex(),
    startBlock: t.bigint().notNull(),
    startedAt: t.bigint().notNull(),
    deadline: t.bigint().notNull(),
    submitted: t.boolean().notNull().default(false),
    submitBlock: t.bigint(),
    submittedAt: t.bigint(),
    epoch: t.bigint(),
    /** The RunSubmitted log's index in its block: with the block, the run's place in submission order (ties on the
     * boards go to the run submitted first). A run's place in its epoch's tree is not kept: it is its rank by run id
     * among the epoch's runs (RewardSettlement sorts the tree by run id). */
    submitLogIndex: t.integer(),
    inputsBytes: t.integer(),
    /** The replay's result: null until submitted (and for inputs the sim refuses, which submitRun refuses too). */
    gold: t.integer(),
    maxDepth: t.integer(),
    ticks: t.integer(),
    /** gold with the run's boost, as the settlement counts it. */
    boostedGold: t.bigint(),
    claimed: t.boolean().notNull().default(false),
    claimBlock: t.bigint(),
    /** GOLD paid when settled by on-chain replay (claims pay per transaction: see goldClaim). */
    replayPaid: t.bigint(),
  }),
  (t) => ({
    byGold: index().on(t.gold.desc().nullsLast(), t.submitBlock.asc(), t.submitLogIndex.asc()),
    byDepth: index().on(t.maxDepth.desc().nullsLast(), t.gold.desc(), t.submitBlock.asc(), t.submitLogIndex.asc()),
    byPlayer: index().on(t.player, t.startBlock),
    bySubmittedAt: index().on(t.submittedAt),
    /** An epoch's runs in tree order (ascending run id). */
    byEpoch: index().on(t.epoch, t.id),
  }),
);

/** A player's totals (their own rank needs only their best run: see the API). */
export const player = onchainTable("player", (t) => ({
  id: t.hex().primaryKey(),
  runs: t.integer().notNull().default(0),
  submitted: t.integer().notNull().default(0),
  bestGold: t.integer().notNull().default(0),
  bestDepth: t.integer().notNull().default(0),
  totalGold: t.bigint().notNull().default(0n),
  claimedGold: t.bigint().notNull().default(0n),
  firstBlock: t.bigint().notNull(),
  lastBlock: t.bigint().notNull(),
}));

/** One epoch of the settlement: its runs, its roots and their fate, and how long settling took. */
export const epoch = onchainTable(
  "epoch",
  (t) => ({
    id: t.bigint().primaryKey(),
    /** The block after the epoch's last block: attestations may start here. */
    endBlock: t.bigint().notNull(),
    /** The epoch's RunSubmitted events as the indexer counted them: the honest run count (nothing on chain counts
     * an epoch's runs). */
    runCount: t.integer().notNull().default(0),
    /** The run count the last aggregate attestation of the epoch (Attested) claimed: the quorum's word, which a
     * challenge may reject; the final root's once the epoch is final. */
    attestedRunCount: t.integer(),
    /** Sum of the runs' boosted gold as replayed by the indexer (what an honest root attests). */
    replayedGold: t.bigint().notNull().default(0n),
    round: t.integer().notNull().default(0),
    status: t.text().notNull().default("open"),
    attestations: t.integer().notNull().default(0),
    firstAttestBlock: t.bigint(),
    quorumRoot: t.hex(),
    quorumBlock: t.bigint(),
    quorumAt: t.bigint(),
    windowEnd: t.bigint(),
    finalRoot: t.hex(),
    finalBlock: t.bigint(),
    finalAt: t.bigint(),
    totalGold: t.bigint(),
    playerPool: t.bigint(),
    attesterPool: t.bigint(),
    challenges: t.integer().notNull().default(0),
    slashed: t.bigint().notNull().default(0n),
    replays: t.integer().notNull().default(0),
    replayPaid: t.bigint().notNull().default(0n),
  }),
  (t) => ({ byFinal: index().on(t.finalBlock) }),
);

export const attestation = onchainTable(
  "attestation",
  (t) => ({
    id: t.text().primaryKey(),
    epoch: t.bigint().notNull(),
    worker: t.hex().notNull(),
    root: t.hex().notNull(),
    round: t.integer().notNull(),
    runCount: t.integer().notNull(),
    totalGold: t.bigint().notNull(),
    stake: t.bigint().notNull(),
    attesters: t.integer().notNull(),
    block: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (t) => ({ byEpoch: index().on(t.epoch), byWorker: index().on(t.worker, t.block) }),
);

/** A root rejected by a challenge (RootRejected): the fraud, its signers, and the stake slashed from them so far
 * (WorkerRegistry.SlashesApplied, applied after the challenge in batches). */
export const challenge = onchainTable(
  "challenge",
  (t) => ({
    id: t.text().primaryKey(),
    epoch: t.bigint().notNull(),
    root: t.hex().notNull(),
    challenger: t.hex().notNull(),
    round: t.integer().notNull(),
    /** The tree position the challenge opened (RootRejected). */
    position: t.bigint().notNull(),
    fraud: t.text().notNull(),
    signers: t.integer().notNull(),
    slashed: t.bigint().notNull(),
    block: t.bigint().notNull(),
  }),
  (t) => ({ byEpoch: index().on(t.epoch) }),
);

/** The registry's rejection id of a challenge, to book its slashes (SlashesApplied names the rejection only). */
export const rejection = onchainTable("rejection", (t) => ({
  id: t.bigint().primaryKey(),
  epoch: t.bigint().notNull(),
  challenge: t.text().notNull(),
}));

export const worker = onchainTable("worker", (t) => ({
  id: t.hex().primaryKey(),
  bond: t.bigint().notNull().default(0n),
  status: t.text().notNull().default("active"),
  registeredBlock: t.bigint().notNull(),
  exitBlock: t.bigint(),
  attestations: t.integer().notNull().default(0),
  lastAttestBlock: t.bigint(),
  lastAttestAt: t.bigint(),
  slashes: t.integer().notNull().default(0),
  slashedTotal: t.bigint().notNull().default(0n),
  rewards: t.bigint().notNull().default(0n),
}));

export const slash = onchainTable(
  "slash",
  (t) => ({
    id: t.text().primaryKey(),
    worker: t.hex().notNull(),
    /** Burned whole: no part goes to the challenger. */
    amount: t.bigint().notNull(),
    bondLeft: t.bigint().notNull(),
    block: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (t) => ({ byWorker: index().on(t.worker) }),
);

/** ExchangeRateReported ("report") and LossSynced ("loss"): the points of the rate chart. */
export const vaultReport = onchainTable(
  "vault_report",
  (t) => ({
    id: t.text().primaryKey(),
    kind: t.text().notNull(),
    block: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    totalAssets: t.bigint().notNull(),
    totalSupply: t.bigint(),
    previousTotalAssets: t.bigint().notNull(),
    strategyAssets: t.bigint().notNull(),
    feeShares: t.bigint(),
    /** ETH per sgETH, 18 decimals (null for a loss sync, which does not report the supply). */
    rateE18: t.bigint(),
  }),
  (t) => ({ byBlock: index().on(t.block) }),
);

export const deposit = onchainTable(
  "deposit",
  (t) => ({
    id: t.text().primaryKey(),
    sender: t.hex().notNull(),
    owner: t.hex().notNull(),
    assets: t.bigint().notNull(),
    shares: t.bigint().notNull(),
    block: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (t) => ({ byOwner: index().on(t.owner) }),
);

/**
 * The withdrawal queue: `requested` (WithdrawalRequested), then `finalized` by a `rebalance` (WithdrawalFinalized:
 * its payout fixed and set aside, claimable), then `claimed` (WithdrawalClaimed). A request past its delay may also
 * be claimed without being finalized first (the claim then pays the value of its shares): requested → claimed.
 */
export const withdrawal = onchainTable(
  "withdrawal",
  (t) => ({
    id: t.bigint().primaryKey(),
    owner: t.hex().notNull(),
    shares: t.bigint().notNull(),
    /** What the shares were worth at the request (the most it can pay). */
    assets: t.bigint().notNull(),
    claimableBlock: t.bigint().notNull(),
    requestBlock: t.bigint().notNull(),
    status: t.text().notNull().default("requested"),
    /** The payout rebalance fixed (WithdrawalFinalized), null until finalized. */
    finalAssets: t.bigint(),
    finalBlock: t.bigint(),
    receiver: t.hex(),
    paid: t.bigint(),
    claimBlock: t.bigint(),
  }),
  (t) => ({ byOwner: index().on(t.owner) }),
);

export const instantExit = onchainTable("instant_exit", (t) => ({
  id: t.text().primaryKey(),
  owner: t.hex().notNull(),
  receiver: t.hex().notNull(),
  shares: t.bigint().notNull(),
  assets: t.bigint().notNull(),
  fee: t.bigint().notNull(),
  block: t.bigint().notNull(),
  timestamp: t.bigint().notNull(),
}));

/** A RewardsClaimed: one per claim transaction; the runs it paid are marked claimed in `run`. */
export const goldClaim = onchainTable(
  "gold_claim",
  (t) => ({
    id: t.text().primaryKey(),
    player: t.hex().notNull(),
    amount: t.bigint().notNull(),
    runs: t.integer().notNull(),
    /** How many of those runs the indexer read from the transaction's input (a claim through a contract: 0). */
    runsDecoded: t.integer().notNull(),
    block: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    transaction: t.hex().notNull(),
  }),
  (t) => ({ byPlayer: index().on(t.player) }),
);

/** GOLD balances, from the token's Transfer events. */
export const goldBalance = onchainTable("gold_balance", (t) => ({
  id: t.hex().primaryKey(),
  balance: t.bigint().notNull().default(0n),
}));

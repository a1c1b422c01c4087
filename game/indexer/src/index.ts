/**
 * Ponder's indexing functions: each looks rows up and stores what lib/rows.ts maps the event to. Runs are replayed
 * here (lib/replay.ts) as they are submitted, so the leaderboard is the indexer's own count, not a worker's word.
 */
import { ponder, type Context } from "ponder:registry";
import {
  attestation,
  challenge,
  rejection,
  deposit,
  epoch,
  goldBalance,
  goldClaim,
  instantExit,
  player,
  run,
  slash,
  vaultReport,
  withdrawal,
  worker,
} from "ponder:schema";
import { getAddress, zeroAddress, type Address } from "viem";
import { runRegistryAbi } from "../../chain/generated/abis.js";
import { claimedRunIds } from "../lib/claims.js";
import {
  attestationRow,
  challengeRow,
  depositRow,
  finalizedUpdate,
  goldClaimRow,
  instantExitRow,
  lossRow,
  quorumUpdate,
  rateReportRow,
  runStartedRow,
  runSubmittedUpdate,
  slashRow,
  withdrawalClaimedUpdate,
  withdrawalFinalizedUpdate,
  withdrawalRequestRow,
  type At,
} from "../lib/rows.js";

const at = (e: { block: { number: bigint; timestamp: bigint } }): At => ({ block: e.block.number, timestamp: e.block.timestamp });

// ---------------------------------------------------------------- epochs' geometry (immutables, read once)

let geometry: Promise<{ genesis: bigint; epochBlocks: bigint }> | undefined;
function epochGeometry(context: Context) {
  geometry ??= (async () => {
    const address = context.contracts.RunRegistry.address as Address;
    const [genesis, epochBlocks] = await Promise.all([
      context.client.readContract({ address, abi: runRegistryAbi, functionName: "genesisBlock" }),
      context.client.readContract({ address, abi: runRegistryAbi, functionName: "epochBlocks" }),
    ]);
    return { genesis, epochBlocks };
  })();
  geometry.catch(() => (geometry = undefined));
  return geometry;
}

async function ensureEpoch(context: Context, id: bigint) {
  const found = await context.db.find(epoch, { id });
  if (found) return found;
  const { genesis, epochBlocks } = await epochGeometry(context);
  return context.db.insert(epoch).values({ id, endBlock: genesis + (id + 1n) * epochBlocks });
}

async function ensureWorker(context: Context, id: Address, block: bigint) {
  const found = await context.db.find(worker, { id });
  return found ?? context.db.insert(worker).values({ id, registeredBlock: block });
}

// ---------------------------------------------------------------- RunRegistry

ponder.on("RunRegistry:RunStarted", async ({ event, context }) => {
  const row = runStartedRow(event.args, at(event));
  await context.db.insert(run).values(row);
  await context.db
    .insert(player)
    .values({ id: row.player, runs: 1, firstBlock: row.startBlock, lastBlock: row.startBlock })
    .onConflictDoUpdate((p) => ({ runs: p.runs + 1, lastBlock: row.startBlock }));
});

ponder.on("RunRegistry:RunSubmitted", async ({ event, context }) => {
  const started = await context.db.find(run, { id: event.args.runId });
  const { result, update } = runSubmittedUpdate(event.args, started ?? undefined, { ...at(event), logIndex: event.log.logIndex });
  await context.db.update(run, { id: event.args.runId }).set(update);
  await ensureEpoch(context, event.args.epoch);
  // The epoch's run count is the indexer's count of its RunSubmitted events (the registry keeps none).
  await context.db.update(epoch, { id: event.args.epoch }).set((e) => ({
    runCount: e.runCount + 1,
    replayedGold: e.replayedGold + (result?.boostedGold ?? 0n),
  }));
  await context.db.update(player, { id: getAddress(event.args.player) }).set((p) => ({
    submitted: p.submitted + 1,
    bestGold: Math.max(p.bestGold, result?.gold ?? 0),
    bestDepth: Math.max(p.bestDepth, result?.maxDepth ?? 0),
    totalGold: p.totalGold + BigInt(result?.gold ?? 0),
    lastBlock: event.block.number,
  }));
});

// ---------------------------------------------------------------- RewardSettlement

ponder.on("RewardSettlement:Attested", async ({ event, context }) => {
  const row = attestationRow(event.args, at(event));
  await context.db.insert(attestation).values(row);
  await ensureEpoch(context, row.epoch);
  await context.db.update(epoch, { id: row.epoch }).set((e) => ({
    attestations: e.attestations + 1,
    // The run count the quorum attested (one aggregate per round; a later round's replaces a rejected one's).
    attestedRunCount: row.round >= e.round ? row.runCount : e.attestedRunCount,
    round: Math.max(e.round, row.round),
    firstAttestBlock: e.firstAttestBlock ?? row.block,
  }));
  await ensureWorker(context, row.worker, row.block);
  await context.db.update(worker, { id: row.worker }).set((w) => ({
    attestations: w.attestations + 1,
    lastAttestBlock: row.block,
    lastAttestAt: row.timestamp,
  }));
});

ponder.on("RewardSettlement:QuorumReached", async ({ event, context }) => {
  await ensureEpoch(context, event.args.epoch);
  await context.db.update(epoch, { id: event.args.epoch }).set(quorumUpdate(event.args, at(event)));
});

ponder.on("RewardSettlement:RootRejected", async ({ event, context }) => {
  const row = challengeRow(event.id, event.args, at(event));
  await context.db.insert(challenge).values(row);
  await context.db.insert(rejection).values({ id: event.args.rejection, epoch: row.epoch, challenge: row.id });
  await ensureEpoch(context, row.epoch);
  await context.db.update(epoch, { id: row.epoch }).set((e) => ({
    status: "open",
    round: row.round + 1,
    challenges: e.challenges + 1,
  }));
});

ponder.on("RewardSettlement:EpochFinalized", async ({ event, context }) => {
  await ensureEpoch(context, event.args.epoch);
  await context.db.update(epoch, { id: event.args.epoch }).set(finalizedUpdate(event.args, at(event)));
});

ponder.on("RewardSettlement:RewardsClaimed", async ({ event, context }) => {
  const runIds = claimedRunIds(event.transaction.input, event.args.player);
  const row = goldClaimRow(event.id, event.args, runIds, { ...at(event), transaction: event.transaction.hash });
  await context.db.insert(goldClaim).values(row);
  for (const id of runIds) {
    if (await context.db.find(run, { id })) await context.db.update(run, { id }).set({ claimed: true, claimBlock: row.block });
  }
  const known = await context.db.find(player, { id: row.player });
  if (known) await context.db.update(player, { id: row.player }).set((p) => ({ claimedGold: p.claimedGold + row.amount }));
});

ponder.on("RewardSettlement:RunSettledByReplay", async ({ event, context }) => {
  const { runId, epoch: id, amount } = event.args;
  if (await context.db.find(run, { id: runId })) {
    await context.db.update(run, { id: runId }).set({ claimed: true, claimBlock: event.block.number, replayPaid: amount });
  }
  await ensureEpoch(context, id);
  await context.db.update(epoch, { id }).set((e) => ({ status: "fallback", replays: e.replays + 1, replayPaid: e.replayPaid + amount }));
  const p = getAddress(event.args.player);
  if (await context.db.find(player, { id: p })) {
    await context.db.update(player, { id: p }).set((row) => ({ claimedGold: row.claimedGold + amount }));
  }
});

ponder.on("RewardSettlement:AttesterRewarded", async ({ event, context }) => {
  const id = getAddress(event.args.worker);
  await ensureWorker(context, id, event.block.number);
  await context.db.update(worker, { id }).set((w) => ({ rewards: w.rewards + event.args.amount }));
});

// ---------------------------------------------------------------- WorkerRegistry

ponder.on("WorkerRegistry:WorkerRegistered", async ({ event, context }) => {
  await context.db
    .insert(worker)
    .values({ id: getAddress(event.args.worker), bond: event.args.bond, registeredBlock: event.block.number })
    .onConflictDoUpdate({ bond: event.args.bond, status: "active", registeredBlock: event.block.number, exitBlock: null });
});

ponder.on("WorkerRegistry:BondAdded", async ({ event, context }) => {
  const id = getAddress(event.args.worker);
  await ensureWorker(context, id, event.block.number);
  await context.db.update(worker, { id }).set({ bond: event.args.bond });
});

ponder.on("WorkerRegistry:ExitRequested", async ({ event, context }) => {
  const id = getAddress(event.args.worker);
  await ensureWorker(context, id, event.block.number);
  await context.db.update(worker, { id }).set({ status: "exiting", exitBlock: event.args.exitBlock });
});

ponder.on("WorkerRegistry:WorkerWithdrawn", async ({ event, context }) => {
  const id = getAddress(event.args.worker);
  await ensureWorker(context, id, event.block.number);
  await context.db.update(worker, { id }).set({ status: "withdrawn", bond: 0n });
});

ponder.on("WorkerRegistry:SlashesApplied", async ({ event, context }) => {
  const r = await context.db.find(rejection, { id: event.args.rejection });
  if (!r || event.args.amount === 0n) return;
  const amount = event.args.amount;
  await context.db.update(challenge, { id: r.challenge }).set((c) => ({ slashed: c.slashed + amount }));
  await context.db.update(epoch, { id: r.epoch }).set((e) => ({ slashed: e.slashed + amount }));
});

ponder.on("WorkerRegistry:WorkerSlashed", async ({ event, context }) => {
  const row = slashRow(event.id, event.args, at(event));
  await context.db.insert(slash).values(row);
  await ensureWorker(context, row.worker, row.block);
  await context.db.update(worker, { id: row.worker }).set((w) => ({
    bond: w.bond > row.amount ? w.bond - row.amount : 0n,
    slashes: w.slashes + 1,
    slashedTotal: w.slashedTotal + row.amount,
  }));
});

// ---------------------------------------------------------------- SurgeVault

ponder.on("SurgeVault:ExchangeRateReported", async ({ event, context }) => {
  await context.db.insert(vaultReport).values(rateReportRow(event.id, event.args, at(event)));
});

ponder.on("SurgeVault:LossSynced", async ({ event, context }) => {
  await context.db.insert(vaultReport).values(lossRow(event.id, event.args, at(event)));
});

ponder.on("SurgeVault:Deposit", async ({ event, context }) => {
  await context.db.insert(deposit).values(depositRow(event.id, event.args, at(event)));
});

ponder.on("SurgeVault:WithdrawalRequested", async ({ event, context }) => {
  await context.db.insert(withdrawal).values(withdrawalRequestRow(event.args, at(event)));
});

ponder.on("SurgeVault:WithdrawalFinalized", async ({ event, context }) => {
  const id = event.args.requestId;
  if (!(await context.db.find(withdrawal, { id }))) return;
  await context.db.update(withdrawal, { id }).set(withdrawalFinalizedUpdate(event.args, at(event)));
});

ponder.on("SurgeVault:WithdrawalClaimed", async ({ event, context }) => {
  const id = event.args.requestId;
  if (!(await context.db.find(withdrawal, { id }))) return;
  await context.db.update(withdrawal, { id }).set(withdrawalClaimedUpdate(event.args, at(event)));
});

ponder.on("SurgeVault:InstantExited", async ({ event, context }) => {
  await context.db.insert(instantExit).values(instantExitRow(event.id, event.args, at(event)));
});

// ---------------------------------------------------------------- GOLD

ponder.on("GoldToken:Transfer", async ({ event, context }) => {
  const { from, to, value } = event.args;
  if (from !== zeroAddress) {
    await context.db
      .insert(goldBalance)
      .values({ id: getAddress(from), balance: -value })
      .onConflictDoUpdate((b) => ({ balance: b.balance - value }));
  }
  if (to !== zeroAddress) {
    await context.db
      .insert(goldBalance)
      .values({ id: getAddress(to), balance: value })
      .onConflictDoUpdate((b) => ({ balance: b.balance + value }));
  }
});

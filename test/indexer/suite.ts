/**
 * The indexer's suite, run once on the embedded PGlite (indexer.test.ts) and once on a real Postgres server
 * (postgres.test.ts). Against a real `hardhat node` with the system deployed, the test itself plays the network
 * (no worker processes: every step is a transaction it waits for, so nothing depends on timing): players play runs;
 * a whale worker attests the honest root with a wrong total and reaches quorum alone; an honest worker challenges it
 * (`challenge(epoch, position, node, proof)`: WrongTotal; the whale is slashed), attests the honest root, finalizes
 * it; a player claims with claimPacked; the honest worker claims its attester reward; vault deposits, a withdrawal
 * request finalized by a rebalance and then claimed, and an instant exit. The indexer's answers are checked against
 * the chain and an independent replay (the epoch's RunSubmitted events sorted by run id, replayed here with
 * game/sim). Then a reorg below Ponder's confirmation depth (evm_snapshot / evm_revert) and a restart on the same
 * database.
 */
import { actionsThrough, toTreasure } from "../../e2e/plan.js";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  createWalletClient,
  encodeFunctionData,
  getAddress,
  createPublicClient,
  http,
  parseEventLogs,
  toHex,
  type Abi,
  type Address,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { aggregateSignatures, blsKey, deriveBlsSecretKey, nonSignersOf, signAttestation, signPop } from "../../game/chain/bls.js";
import { claimOf, encodeClaims } from "../../game/chain/claims.js";
import { runPlayer } from "../../game/chain/runId.js";
import { EpochTree, type TreeLeaf } from "../../game/chain/tree.js";
import { rewardSettlementAbi, runRegistryAbi, surgeVaultAbi, workerRegistryAbi } from "../../game/chain/generated/abis.js";
import { spawnIndexer, waitForIndexed, type IndexerProcess } from "../../game/indexer/lib/process.js";
import { freePort, rpc } from "../../scripts/lib/node.js";
import { bytesToHex, encodeInputs, hexToBytes, replay } from "../../game/sim/index.js";
import { accountKey, fundPlayers, mineTo, playRuns, rpcBatch, startSystem, type System } from "../worker/harness.js";

const SGETH = 10n ** 21n;
const EPOCH_BLOCKS = 10n; // two rounds of runs (start, seed block, one more, submit) fit one epoch
const WINDOW = 10n;

export interface Database {
  /** Postgres connection string; undefined = PGlite in a temporary folder. */
  databaseUrl?: string;
  label: string;
}

async function get(ix: IndexerProcess, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${ix.url}${path}`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function graphql<T>(ix: IndexerProcess, query: string): Promise<T> {
  const res = await fetch(`${ix.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown };
  if (body.errors) throw new Error(`graphql: ${JSON.stringify(body.errors)}`);
  return body.data!;
}

/** Short inputs that differ with `i`: the candidates a run's inputs are chosen from, once its seed is known. */
function candidate(i: number): Uint8Array {
  return encodeInputs([4, 4, 4, (i % 2) + 1, 4, 4, 4, 4, (i % 3) + 1, 4, 4, 4, 4, 4, (i % 5) % 3 + 1, 4, 4, 4, 4, (i % 7) % 3 + 1]);
}

/**
 * One run for each player, all started in one block and submitted three blocks later, once its seed can be read
 * (automine off, evm_mine), each with
 * the candidate inputs that find the most gold in its seed: so the epoch has gold to claim whatever the seeds.
 * Returns each run's inputs by run id.
 */
async function playGoldRuns(url: string, registry: Address, players: Address[]): Promise<Map<bigint, Hex>> {
  const gas = toHex(300_000);
  const send = (from: Address, data: Hex) => ({ method: "eth_sendTransaction", params: [{ from, to: registry, gas, data }] });
  await rpc(url, "evm_setAutomine", [false]);
  const inputs = new Map<bigint, Hex>();
  try {
    const started = (await rpcBatch(url, players.map((p) => send(p, encodeFunctionData({ abi: runRegistryAbi, functionName: "startRun" }))))) as Hex[];
    await rpc(url, "evm_mine");
    const receipts = (await rpcBatch(url, started.map((h) => ({ method: "eth_getTransactionReceipt", params: [h] })))) as {
      logs: { address: Address; topics: [Hex, ...Hex[]]; data: Hex }[];
    }[];
    const runs = parseEventLogs({ abi: runRegistryAbi, eventName: "RunStarted", logs: receipts.flatMap((r) => r.logs) as never });
    // Seeds are drawn from the block after the start; a view answers once a block after that exists (in the seed
    // block itself its hash is not known yet): mine both, then read them.
    await rpc(url, "evm_mine");
    await rpc(url, "evm_mine");
    const client = createPublicClient({ transport: http(url) });
    for (const r of runs) {
      const runId = r.args.runId!;
      const seed = await client.readContract({ address: registry, abi: runRegistryAbi, functionName: "seedOf", args: [runId] });
      // The short candidates, and a planned dig to the nearest treasure (e2e/plan.ts: none when no treasure is in
      // safe reach), so that the epoch has gold to claim whatever the seeds.
      const planned: Uint8Array[] = [];
      try {
        planned.push(encodeInputs(actionsThrough(seed, [toTreasure])));
      } catch {
        /* no safe dig to a treasure in this mine: the candidates stand */
      }
      const best = [...Array.from({ length: 16 }, (_, i) => candidate(i)), ...planned].reduce((a, b) =>
        replay(seed, b).gold > replay(seed, a).gold ? b : a,
      );
      inputs.set(runId, bytesToHex(best));
    }
    await rpcBatch(
      url,
      runs.map((r) =>
        send(getAddress(r.args.player!), encodeFunctionData({ abi: runRegistryAbi, functionName: "submitRun", args: [r.args.runId!, inputs.get(r.args.runId!)!] })),
      ),
    );
    await rpc(url, "evm_mine");
  } finally {
    await rpc(url, "evm_setAutomine", [true]);
  }
  return inputs;
}

/**
 * The honest leaves of `epoch`, restated here: its RunSubmitted events in ascending run-id order (the tree's order),
 * each replayed with game/sim from the seed and inputs the event carries.
 */
async function honestLeavesOf(client: System["client"], registry: Address, epoch: bigint): Promise<TreeLeaf[]> {
  const logs = await client.getContractEvents({ address: registry, abi: runRegistryAbi, eventName: "RunSubmitted", args: { epoch }, fromBlock: 0n });
  return logs
    .map((l) => ({ runId: l.args.runId!, gold: BigInt(replay(l.args.seed!, hexToBytes(l.args.inputs!)).gold) }))
    .sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0))
    .map((l, i) => ({ index: BigInt(i), ...l }));
}

type BoardRun = { rank: number; runId: string; player: string; gold: number; epoch: string; claimed: boolean; submitBlock: string; submitLogIndex: number };

export function indexerSuite(label: string, db: () => Promise<Database & { cleanup: () => Promise<void> }>) {
  describe(`the indexer against a real chain (${label})`, { timeout: 300_000 }, () => {
    let s: System;
    let database: Database & { cleanup: () => Promise<void> };
    let ix: IndexerProcess;
    let dbDir: string;
    let port: number;
    const start = () =>
      spawnIndexer({ deploymentFile: s.deploymentFile, rpc: s.chain.url, port, dbDir, databaseUrl: database.databaseUrl, pollMs: 100 });
    const head = () => s.client.getBlockNumber({ cacheTime: 0 });

    const whale = privateKeyToAccount(accountKey(10));
    const honest = privateKeyToAccount(accountKey(11));
    const saver = privateKeyToAccount(accountKey(12));
    /** The workers' ECDSA keys, from which their BLS keys are derived (as the worker node does). */
    const accountKeys = new Map<Address, Hex>([
      [whale.address, accountKey(10)],
      [honest.address, accountKey(11)],
    ]);
    const wallet = (account: ReturnType<typeof privateKeyToAccount>) =>
      createWalletClient({ account, chain: hardhat, transport: http(s.chain.url) });
    async function send(
      account: ReturnType<typeof privateKeyToAccount>,
      call: { address: Address; abi: Abi; functionName: string; args?: readonly unknown[]; value?: bigint },
    ) {
      const hash = await wallet(account).writeContract(call as Parameters<ReturnType<typeof wallet>["writeContract"]>[0]);
      const receipt = await s.client.waitForTransactionReceipt({ hash });
      assert.equal(receipt.status, "success", `${call.functionName} reverted`);
      return receipt;
    }
    async function bond(account: ReturnType<typeof privateKeyToAccount>, shares: bigint) {
      const c = s.deployment.contracts;
      const assets = await s.client.readContract({ address: c.vault, abi: surgeVaultAbi, functionName: "previewMint", args: [shares] });
      await send(account, { address: c.vault, abi: surgeVaultAbi, functionName: "depositETH", args: [account.address, shares], value: assets });
      await send(account, { address: c.vault, abi: surgeVaultAbi, functionName: "approve", args: [c.workerRegistry, shares] });
      const key = blsKey(deriveBlsSecretKey(accountKeys.get(account.address)!));
      const pop = signPop(key, s.deployment.chainId, c.workerRegistry, account.address);
      await send(account, { address: c.workerRegistry, abi: workerRegistryAbi, functionName: "register", args: [shares, key.publicKey, pop] });
    }
    /** The aggregate attestation of `root` by `signers` (every other eligible worker a non-signer). */
    async function attestBy(signers: ReturnType<typeof privateKeyToAccount>[], root: Hex, runCount: bigint, totalGold: bigint) {
      const c = s.deployment.contracts;
      const round = await s.client.readContract({ address: c.settlement, abi: rewardSettlementAbi, functionName: "roundOf", args: [epoch] });
      const digest = await s.client.readContract({
        address: c.settlement,
        abi: rewardSettlementAbi,
        functionName: "attestationDigest",
        args: [epoch, round, root, runCount, totalGold],
      });
      const count = await s.client.readContract({ address: c.workerRegistry, abi: workerRegistryAbi, functionName: "workerCount" });
      const version = await s.client.readContract({ address: c.workerRegistry, abi: workerRegistryAbi, functionName: "version" });
      const eligible = await s.client.readContract({ address: c.workerRegistry, abi: workerRegistryAbi, functionName: "eligibleAt", args: [version, 0n, count] });
      const signed = new Set<bigint>();
      for (const a of signers) {
        const w = await s.client.readContract({ address: c.workerRegistry, abi: workerRegistryAbi, functionName: "workerOf", args: [a.address] });
        signed.add(BigInt(w.index));
      }
      const signature = aggregateSignatures(signers.map((a) => signAttestation(deriveBlsSecretKey(accountKeys.get(a.address)!), digest)));
      const nonSigners = nonSignersOf(eligible, signed);
      await send(signers[0]!, { address: c.settlement, abi: rewardSettlementAbi, functionName: "attest", args: [epoch, root, runCount, totalGold, nonSigners, signature] });
      return nonSigners;
    }

    before(async () => {
      database = await db();
      s = await startSystem({
        epochBlocks: EPOCH_BLOCKS,
        challengeWindow: WINDOW,
        fallbackDelay: 100n,
        unbondingDelay: 200n,
        slashBps: 10_000n,
        withdrawalDelayBlocks: 5n,
      });
      dbDir = mkdtempSync(join(tmpdir(), "surge-indexer-"));
      port = await freePort();
      ix = start();
    });
    after(async () => {
      const code = await ix?.stop("SIGTERM");
      await s?.cleanup();
      rmSync(dbDir, { recursive: true, force: true });
      await database?.cleanup();
      assert.equal(code, 0, "SIGTERM stops the indexer with exit code 0");
    });

    let epoch: bigint;
    let honestLeaves: TreeLeaf[];
    let players: Address[];

    it("indexes runs, a challenged epoch, a slash, claims and the vault", async () => {
      await bond(whale, 7n * SGETH);
      await bond(honest, 1n * SGETH);
      const c = s.deployment.contracts;

      // Six runs of three players submitted in one block, in a fresh epoch.
      players = await fundPlayers(s.chain.url, 3, 41);
      const h = await head();
      await mineTo(s.chain.url, h + EPOCH_BLOCKS - ((h + 1n) % EPOCH_BLOCKS));
      await playGoldRuns(s.chain.url, c.runRegistry, players);
      await playGoldRuns(s.chain.url, c.runRegistry, players);
      epoch = await s.client.readContract({ address: c.runRegistry, abi: runRegistryAbi, functionName: "epochOf", args: [await head()] });
      const end = await s.client.readContract({ address: c.runRegistry, abi: runRegistryAbi, functionName: "epochEnd", args: [epoch] });
      await mineTo(s.chain.url, end);

      // The honest tree, independently: the epoch's runs by run id, replayed with game/sim.
      honestLeaves = await honestLeavesOf(s.client, c.runRegistry, epoch);
      assert.equal(honestLeaves.length, 6);
      const honestTree = EpochTree.fromLeaves(epoch, honestLeaves);

      // The whale (7 of 8 bonded sgETH) attests the honest root with a wrong total: quorum alone. The honest worker
      // opens position 0 (no replay): its proof folds to the real total, not the attested one (WrongTotal).
      const lieNonSigners = await attestBy([whale], honestTree.root, 6n, honestTree.totalGold + 1_000n);
      await send(honest, {
        address: c.settlement,
        abi: rewardSettlementAbi,
        functionName: "challenge",
        args: [epoch, 0n, honestTree.node(0), honestTree.proof(0)],
      });
      // Anyone applies the whale's slash (here the honest worker); then the honest worker alone is the signer set.
      await send(honest, { address: c.workerRegistry, abi: workerRegistryAbi, functionName: "applySlashes", args: [0n, lieNonSigners, [0n, 1n]] });
      const totalGold = honestTree.totalGold;
      const honestNonSigners = await attestBy([honest], honestTree.root, 6n, totalGold);
      await mineTo(s.chain.url, (await head()) + WINDOW + 1n);
      await send(honest, { address: c.settlement, abi: rewardSettlementAbi, functionName: "finalize", args: [epoch] });

      // The player of the best run claims it (claimPacked), the honest worker its attester reward.
      const claimed = honestLeaves.reduce((best, l) => (l.gold > best.gold ? l : best));
      assert.ok(claimed.gold > 0n, "some run found gold");
      const claimant = runPlayer(claimed.runId);
      const data = encodeFunctionData({
        abi: rewardSettlementAbi,
        functionName: "claimPacked",
        args: [claimant, encodeClaims([claimOf(honestTree, claimed.runId)])],
      });
      const [claimHash] = (await rpcBatch(s.chain.url, [{ method: "eth_sendTransaction", params: [{ from: claimant, to: c.settlement, data, gas: toHex(500_000) }] }])) as Hex[];
      assert.equal((await s.client.waitForTransactionReceipt({ hash: claimHash! })).status, "success");
      await send(honest, { address: c.settlement, abi: rewardSettlementAbi, functionName: "claimAttesterReward", args: [epoch, 1n, honestNonSigners] });

      // The vault: a deposit, a withdrawal request, an instant exit.
      await send(saver, { address: c.vault, abi: surgeVaultAbi, functionName: "depositETH", args: [saver.address, 0n], value: 10n ** 18n });
      const requested = parseEventLogs({
        abi: surgeVaultAbi,
        eventName: "WithdrawalRequested",
        logs: (await send(saver, { address: c.vault, abi: surgeVaultAbi, functionName: "requestWithdrawal", args: [SGETH / 10n, 0n] })).logs,
      })[0]!.args;
      await send(saver, { address: c.vault, abi: surgeVaultAbi, functionName: "instantExit", args: [SGETH / 10n, 0n, saver.address] });
      const withdrawalsOf = async () =>
        (await get(ix, `/api/vault/withdrawals/${saver.address}`)).body.withdrawals as { id: string; status: string; assets: string; finalAssets: string | null; paid: string | null }[];
      await waitForIndexed(ix, await head());
      assert.deepEqual((await withdrawalsOf()).map((x) => [x.id, x.status]), [[requested.requestId.toString(), "requested"]]);
      // Past its delay a rebalance finalizes it (its payout fixed and set aside: claimable), then the saver claims it.
      await mineTo(s.chain.url, requested.claimableBlock);
      const finalized = parseEventLogs({
        abi: surgeVaultAbi,
        eventName: "WithdrawalFinalized",
        logs: (await send(saver, { address: c.vault, abi: surgeVaultAbi, functionName: "rebalance" })).logs,
      });
      assert.equal(finalized.length, 1, "the rebalance finalized the request");
      await waitForIndexed(ix, await head());
      const [asFinal] = await withdrawalsOf();
      assert.equal(asFinal!.status, "finalized");
      assert.equal(asFinal!.finalAssets, finalized[0]!.args.assets.toString());
      await send(saver, { address: c.vault, abi: surgeVaultAbi, functionName: "claimWithdrawal", args: [requested.requestId, saver.address, 0n] });

      const last = await head();
      await waitForIndexed(ix, last);
      const [asClaimed] = await withdrawalsOf();
      assert.deepEqual([asClaimed!.status, asClaimed!.paid], ["claimed", finalized[0]!.args.assets.toString()], "it pays the finalized amount");

      // Runs: the indexer's replay is the independent one, and the all-time board is ordered by gold.
      const board = await get(ix, `/api/leaderboard?period=all&by=gold&limit=100&player=${claimant}`);
      assert.equal(board.status, 200);
      const runs = board.body.runs as BoardRun[];
      assert.equal(runs.length, 6);
      const expected = new Map(honestLeaves.map((l) => [l.runId.toString(), Number(l.gold)]));
      for (const r of runs) {
        assert.equal(r.gold, expected.get(r.runId), `run ${r.runId}: the indexer's gold is the replayed gold`);
        assert.equal(r.epoch, epoch.toString());
      }
      const golds = runs.map((r) => r.gold);
      assert.deepEqual(golds, [...golds].sort((a, b) => b - a), "best gold first");
      // Ties go to the run submitted first: its block, then its RunSubmitted log's place in the block.
      for (let i = 1; i < runs.length; i++) {
        const [a, b] = [runs[i - 1]!, runs[i]!];
        if (a.gold !== b.gold) continue;
        assert.ok(
          BigInt(a.submitBlock) < BigInt(b.submitBlock) || (a.submitBlock === b.submitBlock && a.submitLogIndex < b.submitLogIndex),
          `runs ${a.runId} and ${b.runId}: a tie in submission order`,
        );
      }
      assert.equal(new Set(runs.map((r) => `${r.submitBlock}:${r.submitLogIndex}`)).size, 6, "every run has its own place");
      assert.deepEqual(runs.map((r) => r.rank), [1, 2, 3, 4, 5, 6]);
      assert.equal(runs.find((r) => r.runId === claimed.runId.toString())!.claimed, true, "the claimed run is marked claimed");
      assert.equal(runs.filter((r) => r.claimed).length, 1);
      const me = board.body.me as { rank: number; best: { runId: string; gold: number } };
      const mine = honestLeaves.filter((l) => runPlayer(l.runId) === claimant).map((l) => Number(l.gold));
      assert.equal(me.best.gold, Math.max(...mine));
      assert.equal(me.rank, runs.find((r) => r.runId === me.best.runId)!.rank, "the player's rank is its best run's place");

      const week = await get(ix, "/api/leaderboard?period=week&by=depth");
      assert.equal((week.body.runs as BoardRun[]).length, 6, "all six runs are of this week");

      // Paging a player's history: two runs, one per page.
      const p1 = await get(ix, `/api/players/${players[0]}/runs?limit=1`);
      const page1 = p1.body.runs as { runId: string }[];
      assert.equal(page1.length, 1);
      assert.ok(p1.body.next);
      const p2 = await get(ix, `/api/players/${players[0]}/runs?limit=1&before=${p1.body.next as string}`);
      const page2 = p2.body.runs as { runId: string }[];
      assert.equal(page2.length, 1);
      assert.notEqual(page2[0]!.runId, page1[0]!.runId);
      assert.equal(p2.body.next, null, "no third page");

      // The epoch: rejected once, slashed, final with the honest root, its latencies counted from its end.
      const epochs = (await get(ix, "/api/epochs?limit=5")).body.epochs as Record<string, string | number | null>[];
      const e = epochs.find((x) => x.id === epoch.toString())!;
      assert.equal(e.status, "final");
      assert.equal(e.runCount, 6, "the indexer's count of the epoch's RunSubmitted events");
      assert.equal(e.attestedRunCount, 6, "the final root's attested run count (Attested)");
      assert.equal(e.challenges, 1);
      assert.equal(e.slashed, (7n * SGETH).toString());
      assert.equal(e.finalRoot, (honestTree.root as string).toLowerCase());
      assert.equal(e.totalGold, totalGold.toString());
      assert.equal(e.replayedGold, totalGold.toString(), "the indexer's replay agrees with the final root's total");
      assert.equal(e.attestations, 2);
      assert.equal(e.round, 1);
      assert.equal(e.endBlock, end.toString());
      assert.ok(Number(e.finalLatencyBlocks) > Number(e.quorumLatencyBlocks) && Number(e.quorumLatencyBlocks) >= 0);

      // Workers, the slash, GOLD and the vault, over GraphQL.
      const g = await graphql<{
        workers: { items: { id: string; bond: string; slashes: number; attestations: number; rewards: string }[] };
        slashs: { items: { worker: string; amount: string; bondLeft: string }[] };
        goldClaims: { items: { player: string; amount: string; runs: number; runsDecoded: number }[] };
        goldBalances: { items: { id: string; balance: string }[] };
        deposits: { totalCount: number };
        challenges: { items: { fraud: string; position: string; slashed: string }[] };
        withdrawals: { items: { owner: string; status: string }[] };
        instantExits: { items: { owner: string; fee: string }[] };
      }>(
        ix,
        `{ workers { items { id bond slashes attestations rewards } }
           slashs { items { worker amount bondLeft } }
           goldClaims { items { player amount runs runsDecoded } }
           goldBalances { items { id balance } }
           deposits { totalCount }
           challenges { items { fraud position slashed } }
           withdrawals { items { owner status } }
           instantExits { items { owner fee } } }`,
      );
      const w = new Map(g.workers.items.map((x) => [getAddress(x.id), x]));
      assert.equal(w.get(whale.address)!.slashes, 1);
      assert.equal(w.get(whale.address)!.bond, "0");
      assert.equal(w.get(honest.address)!.bond, SGETH.toString());
      assert.equal(w.get(honest.address)!.attestations, 1);
      assert.ok(BigInt(w.get(honest.address)!.rewards) > 0n, "the attester reward is counted");
      // The slash is burned whole: no challenger field, the whale's bond is gone (slashBps 100%).
      assert.deepEqual(g.slashs.items.map((x) => [getAddress(x.worker), x.amount, x.bondLeft]), [[whale.address, (7n * SGETH).toString(), "0"]]);
      assert.equal(g.goldClaims.items.length, 1);
      const claim = g.goldClaims.items[0]!;
      assert.deepEqual([getAddress(claim.player), claim.runs, claim.runsDecoded], [claimant, 1, 1]);
      assert.ok(BigInt(claim.amount) > 0n, "the claim paid GOLD");
      const balances = new Map(g.goldBalances.items.map((x) => [getAddress(x.id), BigInt(x.balance)]));
      assert.equal(balances.get(claimant), BigInt(claim.amount), "the claim's GOLD is the player's balance");
      assert.ok((balances.get(honest.address) ?? 0n) > 0n);
      assert.equal(g.deposits.totalCount, 3, "two bonds and the saver's deposit");
      assert.deepEqual(g.challenges.items.map((x) => [x.fraud, x.position, x.slashed]), [["WrongTotal", "0", (7n * SGETH).toString()]]);
      assert.deepEqual(g.withdrawals.items.map((x) => [getAddress(x.owner), x.status]), [[saver.address, "claimed"]]);
      assert.equal(g.instantExits.items.length, 1);

      const health = await get(ix, "/healthz");
      assert.equal(health.status, 200);
      assert.equal(health.body.ok, true);
      assert.ok(Number(health.body.lagBlocks) <= 1);
    });

    it("answers bad parameters with 400 and a sentence", async () => {
      const bad = await get(ix, "/api/leaderboard?period=month");
      assert.equal(bad.status, 400);
      assert.match(String(bad.body.error), /period must be one of all, day, week/);
      const addr = await get(ix, "/api/players/0x1234/runs");
      assert.equal(addr.status, 400);
      assert.match(String(addr.body.error), /player must be an address/);
      const limit = await get(ix, "/api/leaderboard?limit=5000");
      assert.match(String(limit.body.error), /limit must be a whole number from 1 to 100/);
    });

    it("follows a reorg below the confirmation depth", async () => {
      const c = s.deployment.contracts;
      const snapshot = await rpc<Hex>(s.chain.url, "evm_snapshot");
      const dropped = await fundPlayers(s.chain.url, 3, 42);
      await playRuns(s.chain.url, c.runRegistry, dropped, 3, { perBlock: 3 });
      await mineTo(s.chain.url, (await head()) + 2n);
      const oldHead = await head();
      await waitForIndexed(ix, oldHead);
      const seen = (await get(ix, `/api/players/${dropped[0]}/runs`)).body.runs as unknown[];
      assert.equal(seen.length, 1, "the indexer saw the run that the reorg will drop");

      assert.equal(await rpc<boolean>(s.chain.url, "evm_revert", [snapshot]), true);
      const kept = await fundPlayers(s.chain.url, 2, 43);
      await playRuns(s.chain.url, c.runRegistry, kept, 2, { perBlock: 2 });
      await mineTo(s.chain.url, oldHead + 3n);
      const newHead = await head();
      await waitForIndexed(ix, newHead);
      for (const p of dropped) assert.deepEqual((await get(ix, `/api/players/${p}/runs`)).body.runs, [], "dropped runs are gone");
      for (const p of kept) assert.equal(((await get(ix, `/api/players/${p}/runs`)).body.runs as unknown[]).length, 1);
      const all = (await get(ix, "/api/leaderboard?limit=100")).body.runs as BoardRun[];
      assert.equal(all.length, 8, "six runs before the fork, two on the chain that stayed");
      assert.match(ix.output(), /reorg/i, "Ponder logged the reorg");
    });

    it("restarts where it stopped, on the same database", async () => {
      assert.equal(await ix.stop("SIGTERM"), 0);
      const later = await fundPlayers(s.chain.url, 2, 44);
      await playRuns(s.chain.url, s.deployment.contracts.runRegistry, later, 2, { perBlock: 2 });
      ix = start();
      await waitForIndexed(ix, await head());
      assert.match(ix.output(), /Detected crash recovery/, "Ponder resumed the previous app's tables");
      const all = (await get(ix, "/api/leaderboard?limit=100")).body.runs as BoardRun[];
      assert.equal(all.length, 10);
      assert.equal(new Set(all.map((r) => r.runId)).size, 10, "no run twice");
    });
  });
}

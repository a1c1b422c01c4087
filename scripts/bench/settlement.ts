/**
 * Bench module for runs and settlement: gas of the player, worker and challenger paths, read from receipts.
 *
 * Deploys the vault (test/vault/fixture.ts), the RunRegistry, WorkerRegistry, a SurgeReplayer and the
 * RewardSettlement (with GOLD) on the in-process chain, bonds four equal workers (quorum: two thirds of the eligible
 * stake, so three sign one aggregate), then:
 * - run.startGas: a returning player's startRun (it has played before and holds a stake, so its boost is read);
 *   run.submitGas: a typical three-minute run: the agent-full run (inputs covering 3,600 ticks) of median size among
 *   generated ones (1,098 input bytes; the printed line says how many ticks it played with the seed drawn); a run is
 *   submitted two blocks after its start (its seed is the hash of the block after the start);
 * - settlement.gasPerRunAt10k: one epoch of 10,000 runs (100 players, many per block, automine off), then a quorum's
 *   three attestations plus finalize, divided by 10,000; settlement.attestGas is the first (dearest) attestation;
 * - claim.gasOneEpoch: a player who has claimed before claims one run of the 10,000-run epoch (proof depth 13-14);
 *   claim.gasFirstEver is the same player's very first claim (new GOLD holder, new claim bitmap word), after another
 *   player's claim has warmed the epoch's ledger;
 * - claim.gasTenEpochs: the same player claims one run in each of ten further final epochs in one call (each epoch
 *   has RUNS_PER_SMALL_EPOCH = 1,024 runs: proof depth 10) with claimPacked, as the client does;
 *   claim.gasTenEpochsAbi is the same claim through the ABI-encoded `claim(player, RunClaim[])`;
 * - settlement.challengeGas.<kind>: one challenge per kind of wrong tree over the first epoch (3 runs sorted by run
 *   id, depth 2), each from the same snapshot: attested by three workers, rejected by ONE challenge that slashes all
 *   three, with the Fraud it must show. Leaves are in the clear, `(bytes32(runId), boosted gold)`. With one replay
 *   (`challengeLeaf` of the typical run, WrongLeaf): wrongGold (the sum of another gold), wrongSum (the sum off by
 *   one). Without a replay: omittedRun (`challengeOmission`: the typical run left out and counted out),
 *   overstatedCount (`challenge`: an empty position below the count, Omitted), duplicatedLeaf and misplacedRun
 *   (`challengeOrder`: a run twice, two runs swapped; Unordered), inventedLeaf and hiddenRun (`challengeLeaf`: a run
 *   never submitted, a hash nobody can open; Invented), wrongTotal, beyondCount (a non-empty padding position),
 *   wrongDepth (`challengeDepth`: a leaf above the positions), innerSum and emptyInner (`challengeNode`: an inner node
 *   whose sum is not its children's, an empty inner node). settlement.challengeGas is the dearest of them. Attestations are one aggregate BLS signature of three workers.
 * - settlement.attestGas1000: 996 more workers register (1,000 in all, each with its BLS key and PoP); an epoch's root
 *   signed by all 1,000: its attest plus finalize, both transactions. settlement.challengeGas1000: a wrong root signed
 *   by all 1,000 and the one challenge (a wrong total, no replay) that rejects it; settlement.applySlashesGas1000: the
 *   gas of all the `applySlashes` transactions (125 workers each) that then slash the 1,000 signers. The seed comes from the chain's randomness, so the world, and
 *   with it a replay's gas, differs from one bench run to the next (seen: 1.4M to 2.4M).
 * SURGE_BENCH_RUNS and SURGE_BENCH_SMALL_RUNS change the epoch sizes for a quick look (the keys then mean less).
 */
import { getAddress, keccak256, padHex, parseEther, parseEventLogs, toHex, type Address, type Hash, type Hex } from "viem";
import { aggregateSignatures, attestationDigest, blsKey, deriveBlsSecretKey, nonSignersOf, signAttestation, signPop } from "../../game/chain/bls.js";
import { aggregateSignature, registerWorkers, type Network } from "../../test/helpers/workers.js";
import { encodeClaims, type RunClaim } from "../../game/chain/claims.js";
import { EMPTY_NODE, EpochTree, inTreeOrder, leafNode, parentNode, type TreeNode } from "../../game/chain/tree.js";
import { bytesToHex, encodeInputs, hexToBytes, replay } from "../../game/sim/index.js";
import { generateRun } from "../../test/helpers/runs.js";
import { deploySystemOn, depositEth } from "../../test/vault/fixture.js";
import { deployGame } from "../lib/deploy-game.js";
import { fundedAccounts } from "../lib/funded.js";
import { assertProductionCode, productionNetwork } from "../lib/production-build.js";

const EPOCH_BLOCKS = 4_000n;
const SUBMIT_WINDOW = 200n;
const MIN_BOND = 10n ** 21n;
const PLAYERS = 100;
const BIG_EPOCH_RUNS = Number(process.env.SURGE_BENCH_RUNS ?? 10_000);
const RUNS_PER_SMALL_EPOCH = Number(process.env.SURGE_BENCH_SMALL_RUNS ?? 1_024);
const CHALLENGE_WINDOW = 10n;

/** A claim as the product writes it (game/chain/claims.ts): the bench measures the client's own encoding. */
type BenchClaim = RunClaim;

export default {
  name: "settlement",
  async run(): Promise<Record<string, number>> {
    const { viem, networkHelpers } = await productionNetwork(); // deploys the production build, checked
    const system = await deploySystemOn(viem);
    const publicClient = system.publicClient;
    const testClient = await viem.getTestClient();
    const wallets = await viem.getWalletClients();
    const workerWallets = wallets.slice(7, 11);
    const genesis = BigInt(await networkHelpers.time.latestBlock());
    const { runs, workers, settlement } = await deployGame(viem, system.vault.address, {
      genesis,
      epochBlocks: EPOCH_BLOCKS,
      submitWindow: SUBMIT_WINDOW,
      minBond: MIN_BOND,
      challengeWindow: CHALLENGE_WINDOW,
    });
    await assertProductionCode({ viem }, "GoldToken", await settlement.read.gold()); // deployed by the settlement
    const chainId = await publicClient.getChainId();
    // The four workers' BLS keys, derived as a worker node derives them (from a key; here from the address).
    const workerKeys = workerWallets.map((w) => blsKey(deriveBlsSecretKey(padHex(w.account.address, { size: 32 }))));
    for (const [i, w] of workerWallets.entries()) {
      await depositEth(system, w, parseEther("2"));
      await system.vault.write.approve([workers.address, MIN_BOND], { account: w.account });
      const pop = signPop(workerKeys[i]!, chainId, workers.address, w.account.address);
      await workers.write.register([MIN_BOND, workerKeys[i]!.publicKey, pop], { account: w.account });
    }

    const gas = async (hash: Promise<Hash> | Hash): Promise<number> => {
      const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
      if (receipt.status !== "success") throw new Error("transaction reverted");
      return Number(receipt.gasUsed);
    };

    // Players: impersonated, funded accounts; `player` (the first) is the one whose gas we measure.
    const players = await fundedAccounts(networkHelpers, PLAYERS, 0x5eed0000, parseEther("100"));
    const player = players[0]!;
    // Fixed gas and fees, and nonces counted here: viem then sends each transaction without asking the node first.
    const nonces = new Map<Address, number>();
    const fees = { gas: 400_000n, maxFeePerGas: 100n * 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n };
    const as = (a: Address) => ({ account: a, ...fees });
    const fast = (a: Address) => {
      const nonce = nonces.get(a)!;
      nonces.set(a, nonce + 1);
      return { account: a, nonce, ...fees };
    };

    /** Starts and submits `count` runs, spread over the players, many per block: start, the seed block, submit. */
    const playMany = async (count: number, inputsOf: (i: number) => Uint8Array) => {
      for (const p of players) nonces.set(p, await publicClient.getTransactionCount({ address: p }));
      await testClient.setAutomine(false);
      for (let done = 0; done < count; ) {
        const batch = players.slice(0, Math.min(PLAYERS, count - done));
        const started: Hash[] = [];
        for (const p of batch) started.push(await runs.write.startRun(fast(p)));
        await networkHelpers.mine(2); // the start block, then the seed block
        const submits: Hash[] = [];
        for (const [k, hash] of started.entries()) {
          const receipt = await publicClient.getTransactionReceipt({ hash });
          const runId = BigInt(receipt.logs[0]!.topics[1]!);
          submits.push(await runs.write.submitRun([runId, bytesToHex(inputsOf(done + k))], fast(batch[k]!)));
        }
        await networkHelpers.mine(1);
        for (const hash of submits) {
          if ((await publicClient.getTransactionReceipt({ hash })).status !== "success") throw new Error("submit failed");
        }
        done += batch.length;
      }
      await testClient.setAutomine(true);
    };

    /** An honest worker's tree of `epoch` (game/chain/tree.ts), from the RunSubmitted events: seeds and inputs, the
     * runs sorted by run id. */
    const leavesOf = async (epoch: bigint) => {
      const logs = await publicClient.getContractEvents({
        address: runs.address,
        abi: runs.abi,
        eventName: "RunSubmitted",
        args: { epoch },
        fromBlock: 0n,
      });
      // The tree's order: ascending run id (nothing on-chain counts or orders an epoch's runs); a leaf's index is its rank.
      const runsOf = logs.map((log) => ({
        runId: log.args.runId!,
        player: getAddress(log.args.player!),
        gold: BigInt(replay(log.args.seed!, hexToBytes(log.args.inputs!)).gold),
        inputs: hexToBytes(log.args.inputs!),
      }));
      return inTreeOrder(epoch, runsOf).map((r, i) => ({ index: BigInt(i), ...r }));
    };
    type BenchLeaf = Awaited<ReturnType<typeof leavesOf>>[number];
    const buildTree = async (epoch: bigint) => {
      const leaves = await leavesOf(epoch);
      const tree = EpochTree.fromLeaves(epoch, leaves);
      return { tree, leaves, total: tree.totalGold, count: BigInt(leaves.length) };
    };
    const toEnd = async (epoch: bigint) => {
      const end = await runs.read.epochEnd([epoch]);
      const now = BigInt(await networkHelpers.time.latestBlock());
      if (now < end) await networkHelpers.mine(end - now);
    };
    /** One aggregate attestation by the first three workers (the fourth a non-signer): its gas. */
    const attestRoot = async (epoch: bigint, root: Hex, count: bigint, total: bigint) => {
      const round = await settlement.read.roundOf([epoch]);
      const digest = attestationDigest({ chainId, settlement: settlement.address, epoch, round, root, runCount: count, totalGold: total });
      const signature = aggregateSignatures(workerKeys.slice(0, 3).map((k) => signAttestation(k.secretKey, digest)));
      return [await gas(settlement.write.attest([epoch, root, count, total, [3n], signature], { account: workerWallets[0]!.account }))];
    };
    const attestAll = (epoch: bigint, t: Awaited<ReturnType<typeof buildTree>>) =>
      attestRoot(epoch, t.tree.root, t.count, t.total);
    const claimOf = (epoch: bigint, t: Awaited<ReturnType<typeof buildTree>>, runId: bigint): BenchClaim => {
      const leaf = t.leaves.find((l) => l.runId === runId);
      if (leaf === undefined) throw new Error("run not in tree");
      return { epoch, index: leaf.index, runId, gold: leaf.gold, proof: t.tree.proof(Number(leaf.index)) };
    };
    // Short runs that dig down with a turn: about half find gold. Settlement gas does not depend on run length.
    const small = (i: number) => encodeInputs([4, 4, 4, 4, (i % 2) + 1, 4, 4, 4, 4, 4, 4, 4, 4, (i % 3) + 1, 4, 4, 4, 4]);

    // ---- run.startGas, run.submitGas: the player stakes, plays once, then a typical run.
    await system.vault.write.depositETH([player, 0n], { account: player, value: parseEther("2") });
    await runs.write.stakeETH([0n], { account: player, value: parseEther("2") });
    await networkHelpers.mine(1);
    const runIdOf = async (hash: Hash) => BigInt((await publicClient.getTransactionReceipt({ hash })).logs[0]!.topics[1]!);
    const firstId = await runIdOf(await runs.write.startRun(as(player)));
    await networkHelpers.mine(1); // the seed block
    await runs.write.submitRun([firstId, bytesToHex(small(0))], as(player));
    const sizes: { i: number; n: number }[] = [];
    for (let i = 4; i < 400; i += 8) sizes.push({ i, n: generateRun(11, i).inputs.length });
    sizes.sort((a, b) => a.n - b.n);
    const typical = generateRun(11, sizes[sizes.length >> 1]!.i);
    const startHash = await runs.write.startRun(as(player));
    const startGas = await gas(startHash);
    const typicalId = await runIdOf(startHash);
    await networkHelpers.mine(1); // the seed block
    const submitHash = runs.write.submitRun([typicalId, bytesToHex(typical.inputs)], as(player));
    const submitGas = await gas(submitHash);
    const [submitted] = parseEventLogs({
      abi: runs.abi,
      logs: (await publicClient.getTransactionReceipt({ hash: await submitHash })).logs,
      eventName: "RunSubmitted",
    });
    const typicalResult = replay(submitted!.args.seed, typical.inputs);
    console.error(
      `  typical run: ${typical.kind}, ${typical.inputs.length} input bytes, ${typicalResult.ticks} ticks played, ` +
        `gold ${typicalResult.gold}`,
    );
    // A third run in the epoch, of another player: 3 runs, depth 2, one padding position.
    const otherId = await runIdOf(await runs.write.startRun(as(players[1]!)));
    await networkHelpers.mine(1);
    await runs.write.submitRun([otherId, bytesToHex(small(1))], as(players[1]!));

    // ---- settlement.challengeGas.<kind>: wrong trees over this first epoch, each from the same snapshot.
    const epoch0 = await runs.read.epochOf([BigInt(await networkHelpers.time.latestBlock())]);
    await toEnd(epoch0);
    const honest0 = await buildTree(epoch0);
    if (honest0.leaves.length !== 3) throw new Error(`the first epoch has ${honest0.leaves.length} runs, not 3`);
    const pos = honest0.leaves.findIndex((l) => l.runId === typicalId);
    const at = (l: BenchLeaf): TreeNode => leafNode(l);
    const honestPositions = honest0.tree.positions();
    const withPositions = (edit: (p: TreeNode[]) => void) => {
      const p = [...honestPositions];
      edit(p);
      return EpochTree.fromPositions(epoch0, 3, p);
    };
    const [p0, p1, p2, p3] = honestPositions as [TreeNode, TreeNode, TreeNode, TreeNode];
    const challenger = { account: wallets[12]!.account };
    const typicalInputs = bytesToHex(typical.inputs);
    /** A leaf of `t` opened: position, run, gold (of `leaf`, else the honest leaf there), the tree's sum, the proof. */
    /** A position of `t` opened as a leaf: its node's hash read as the run id (leaves are in the clear), its sum. */
    const opening = (t: EpochTree, position: number) => ({
      position: BigInt(position),
      runId: BigInt(t.node(position).hash),
      sum: t.node(position).sum,
      proof: t.proof(position),
    });
    const atPosition = (t: EpochTree, position: number) =>
      settlement.write.challenge([epoch0, BigInt(position), t.node(position), t.proof(position)], challenger);
    const L = honest0.leaves;
    type Lie = { root: Hex; total: bigint; count?: bigint; fraud: number; challenge: () => Promise<Hash> };
    // IRewardSettlementTypes.Fraud
    const F = { WrongLeaf: 0, WrongSum: 1, WrongTotal: 2, BeyondCount: 3, WrongDepth: 4, Omitted: 5, Unordered: 6, Invented: 7 };
    const kinds: Record<string, () => Promise<Lie>> = {
      wrongGold: async () => {
        // The typical run's gold off by one: challengeLeaf replays it (WrongLeaf).
        const lie = { runId: typicalId, gold: L[pos]!.gold + 1n };
        const t = withPositions((p) => (p[pos] = leafNode(lie)));
        return { root: t.root, total: t.totalGold, fraud: F.WrongLeaf, challenge: () => settlement.write.challengeLeaf([epoch0, opening(t, pos), typicalInputs], challenger) };
      },
      wrongSum: async () => {
        // The typical run's leaf with its sum off by one: challengeLeaf replays it (WrongLeaf: a leaf is its run id
        // and its sum, so a wrong gold and a wrong sum are one fault).
        const t = withPositions((p) => (p[pos] = { hash: p[pos]!.hash, sum: p[pos]!.sum + 1n }));
        return { root: t.root, total: t.totalGold, fraud: F.WrongLeaf, challenge: () => settlement.write.challengeLeaf([epoch0, opening(t, pos), typicalInputs], challenger) };
      },
      omittedRun: async () => {
        // The typical run left out, counted out (2 runs, depth 1): challengeOmission with the leaves around it.
        const kept = L.filter((l) => l.runId !== typicalId).map((l, i) => ({ ...l, index: BigInt(i) }));
        const t = EpochTree.fromLeaves(epoch0, kept);
        const next = kept.findIndex((l) => l.runId > typicalId);
        const around = next === 0 ? [0] : next === -1 ? [kept.length - 1] : [next - 1, next];
        const neighbours = around.map((i) => opening(t, i));
        return { root: t.root, total: t.totalGold, count: 2n, fraud: F.Omitted, challenge: () => settlement.write.challengeOmission([epoch0, typicalId, neighbours], challenger) };
      },
      overstatedCount: async () => {
        // Four runs counted, three there: position 3 is empty below the count (challenge, no replay: Omitted).
        return { root: honest0.tree.root, total: honest0.total, count: 4n, fraud: F.Omitted, challenge: () => atPosition(honest0.tree, 3) };
      },
      duplicatedLeaf: async () => {
        // Position 1 holds position 0's run again (run 1 left out): challengeOrder of positions 0 and 1 (Unordered).
        const t = withPositions((p) => (p[1] = at(L[0]!)));
        return { root: t.root, total: t.totalGold, fraud: F.Unordered, challenge: () => settlement.write.challengeOrder([epoch0, opening(t, 0), opening(t, 1)], challenger) };
      },
      misplacedRun: async () => {
        // Runs 1 and 2 swapped: challengeOrder of positions 1 and 2 (Unordered).
        const t = withPositions((p) => ((p[1] = at(L[2]!)), (p[2] = at(L[1]!))));
        return { root: t.root, total: t.totalGold, fraud: F.Unordered, challenge: () => settlement.write.challengeOrder([epoch0, opening(t, 1), opening(t, 2)], challenger) };
      },
      inventedLeaf: async () => {
        // A run that was never submitted, in the typical run's place: challengeLeaf, no replay (Invented).
        const lie = { runId: typicalId + 2n ** 200n, gold: 5_000n };
        const t = withPositions((p) => (p[pos] = leafNode(lie)));
        return { root: t.root, total: t.totalGold, fraud: F.Invented, challenge: () => settlement.write.challengeLeaf([epoch0, opening(t, pos), "0x"], challenger) };
      },
      hiddenRun: async () => {
        // The typical run's position holds a hash nobody can open: read as a run id, it is no run (Invented).
        const t = withPositions((p) => (p[pos] = { hash: keccak256(toHex("no preimage")), sum: 0n }));
        return { root: t.root, total: t.totalGold, fraud: F.Invented, challenge: () => settlement.write.challengeLeaf([epoch0, opening(t, pos), "0x"], challenger) };
      },
      wrongTotal: async () => ({
        root: honest0.tree.root,
        total: honest0.total + 1n,
        fraud: F.WrongTotal,
        challenge: () => atPosition(honest0.tree, 3),
      }),
      beyondCount: async () => {
        const t = withPositions((p) => (p[3] = { hash: p0.hash, sum: 0n }));
        return { root: t.root, total: t.totalGold, fraud: F.BeyondCount, challenge: () => atPosition(t, 3) };
      },
      wrongDepth: async () => {
        // Run 0's leaf one level up, where positions 0 and 1 should hang: run 1 is gone.
        const l0 = leafNode(L[0]!);
        const right = parentNode(p2, p3);
        const top = parentNode(l0, right);
        const r0 = L[0]!;
        return {
          root: top.hash,
          total: top.sum,
          fraud: F.WrongDepth,
          challenge: () => settlement.write.challengeDepth([epoch0, 0n, [right], r0.runId, l0.sum], challenger),
        };
      },
      innerSum: async () => {
        const left = parentNode(p0, p1);
        const lie = { hash: left.hash, sum: left.sum + 1_000n };
        const right = parentNode(p2, p3);
        const top = parentNode(lie, right);
        return { root: top.hash, total: top.sum, fraud: F.WrongSum, challenge: () => settlement.write.challengeNode([epoch0, 0n, lie, p0, p1, [right]], challenger) };
      },
      emptyInner: async () => {
        // Positions 2 and 3 replaced by one empty node: run 2 is gone.
        const left = parentNode(p0, p1);
        const top = parentNode(left, EMPTY_NODE);
        return {
          root: top.hash,
          total: top.sum,
          fraud: F.WrongDepth,
          challenge: () => settlement.write.challengeNode([epoch0, 1n, EMPTY_NODE, EMPTY_NODE, EMPTY_NODE, [left]], challenger),
        };
      },
    };
    const challengeGas: Record<string, number> = {};
    for (const [kind, make] of Object.entries(kinds)) {
      const snap = await networkHelpers.takeSnapshot();
      const lie = await make();
      await attestRoot(epoch0, lie.root, lie.count ?? 3n, lie.total);
      const hash = await lie.challenge();
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      const [rejected] = parseEventLogs({ abi: settlement.abi, logs: receipt.logs, eventName: "RootRejected" });
      if (receipt.status !== "success" || rejected === undefined) throw new Error(`the ${kind} challenge did not reject`);
      if (rejected.args.fraud !== lie.fraud) throw new Error(`the ${kind} challenge showed fraud ${rejected.args.fraud}, not ${lie.fraud}`);
      if (rejected.args.signers !== 3n) throw new Error(`the ${kind} challenge did not record its three signers`);
      challengeGas[kind] = Number(receipt.gasUsed);
      await snap.restore();
    }
    await attestAll(epoch0, honest0);
    await networkHelpers.mine(CHALLENGE_WINDOW + 1n);
    await settlement.write.finalize([epoch0]);

    // ---- settlement.gasPerRunAt10k: one epoch of 10,000 runs.
    await toEnd(epoch0);
    const t0 = Date.now();
    await playMany(BIG_EPOCH_RUNS, small);
    const bigEpoch = await runs.read.epochOf([BigInt(await networkHelpers.time.latestBlock())]);
    // Nothing on-chain counts an epoch's runs: count its RunSubmitted logs.
    const count = BigInt((await leavesOf(bigEpoch)).length);
    if (count !== BigInt(BIG_EPOCH_RUNS)) throw new Error(`expected ${BIG_EPOCH_RUNS} runs in one epoch, got ${count}`);
    console.error(`  played ${BIG_EPOCH_RUNS} runs in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    await toEnd(bigEpoch);
    const big = await buildTree(bigEpoch);
    const attests = await attestAll(bigEpoch, big);
    await networkHelpers.mine(CHALLENGE_WINDOW + 1n);
    const finalizeGas = await gas(settlement.write.finalize([bigEpoch]));
    const settleTotal = attests.reduce((a, b) => a + b, 0) + finalizeGas;

    // ---- claims: first ever, then a returning claim of one run in the big epoch.
    // Another player claims first, so the epoch's ledger and GOLD's supply are warm, as in steady state.
    const withGold = (who: Address) => big.leaves.filter((l) => l.player === who && l.gold > 0n).map((l) => l.runId);
    const other = players[1]!;
    await gas(settlement.write.claim([other, [claimOf(bigEpoch, big, withGold(other)[0]!)]], as(other)));
    const mineInBig = withGold(player);
    if (mineInBig.length < 2) throw new Error("the measured player needs two runs with gold");
    const firstEver = await gas(settlement.write.claim([player, [claimOf(bigEpoch, big, mineInBig[0]!)]], as(player)));
    const oneEpoch = await gas(settlement.write.claim([player, [claimOf(bigEpoch, big, mineInBig[1]!)]], as(player)));
    const oneDepth = claimOf(bigEpoch, big, mineInBig[1]!).proof.length;

    // ---- ten further epochs, one run of the player in each.
    const tenClaims = [];
    let depth = 0;
    for (let e = 0; e < 10; e++) {
      await toEnd(await runs.read.epochOf([BigInt(await networkHelpers.time.latestBlock())]));
      await playMany(RUNS_PER_SMALL_EPOCH, small);
      const epoch = await runs.read.epochOf([BigInt(await networkHelpers.time.latestBlock())]);
      await toEnd(epoch);
      const t = await buildTree(epoch);
      await attestAll(epoch, t);
      await networkHelpers.mine(CHALLENGE_WINDOW + 1n);
      await settlement.write.finalize([epoch]);
      const runId = (t.leaves.find((l) => l.player === player && l.gold > 0n) ?? t.leaves.find((l) => l.player === player))!.runId;
      const c = claimOf(epoch, t, runId);
      depth = c.proof.length;
      tenClaims.push(c);
    }
    // The same ten claims both ways, each in a snapshot of the same state: packed (what the client sends) and ABI.
    const snapshot = await networkHelpers.takeSnapshot();
    const tenEpochsAbi = await gas(settlement.write.claim([player, tenClaims], as(player)));
    await snapshot.restore();
    const tenEpochs = await gas(settlement.write.claimPacked([player, encodeClaims(tenClaims)], as(player)));
    // What the calldata of that claim costs (EIP-2028 and EIP-7623's floor), to tell it from execution.
    const packedBytes = hexToBytes(encodeClaims(tenClaims));
    const zeros = packedBytes.filter((b) => b === 0).length;
    console.error(
      `  ten-epoch claimPacked: ${packedBytes.length} bytes of claims (${zeros} zero), their calldata ` +
        `${16 * (packedBytes.length - zeros) + 4 * zeros} gas (floor ${10 * (4 * (packedBytes.length - zeros) + zeros)})`,
    );
    console.error(
      `  attestations ${attests.join(", ")}, finalize ${finalizeGas}; one-epoch claim: proof depth ${oneDepth}; ` +
        `ten-epoch claim: ${RUNS_PER_SMALL_EPOCH} runs per epoch, proof depth ${depth}`,
    );

    // ---- 1,000 workers: attest + finalize an epoch signed by all of them; a wrong root signed by all, its challenge
    // and the slashing of every signer.
    const net = { publicClient, networkHelpers, testClient, vault: system.vault, workers } as unknown as Network;
    const thousand = await (async () => {
      const t0 = Date.now();
      // 1,000 bonds are past the vault's deposit cap in the test parameters: raise it.
      await system.vault.write.setParameters([{ ...system.params, depositCap: parseEther("1000000") }], { account: system.admin.account });
      const more = await registerWorkers(net, 0xbe7c4, 996, MIN_BOND);
      console.error(`  registered 996 more workers in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      const keys = workerKeys.map((k) => k.secretKey);
      for (const w of more) keys[Number(w.index!)] = w.secretKey;
      const all = Array.from({ length: Number(await workers.read.workerCount()) }, (_, i) => BigInt(i));
      if (all.length !== 1_000 || (await workers.read.eligibleCount()) !== 1_000n) throw new Error("expected 1,000 eligible workers");
      const epochNow = async () => runs.read.epochOf([BigInt(await networkHelpers.time.latestBlock())]);
      const signedBy = async (epoch: bigint, root: Hex, count: bigint, total: bigint) => {
        const round = await settlement.read.roundOf([epoch]);
        const digest = attestationDigest({ chainId: chainId, settlement: settlement.address, epoch, round, root, runCount: count, totalGold: total });
        return { nonSigners: nonSignersOf(all, new Set(all)), signature: aggregateSignature(keys, digest) };
      };
      // An honest epoch signed by all 1,000.
      await toEnd(await epochNow());
      await playMany(8, small);
      const e1 = await epochNow();
      await toEnd(e1);
      const t1 = await buildTree(e1);
      const a1 = await signedBy(e1, t1.tree.root, t1.count, t1.total);
      const attestGas = await gas(settlement.write.attest([e1, t1.tree.root, t1.count, t1.total, a1.nonSigners, a1.signature]));
      await networkHelpers.mine(CHALLENGE_WINDOW + 1n);
      const finalizeGas = await gas(settlement.write.finalize([e1]));
      // A wrong total signed by all 1,000, rejected by one challenge, then every signer slashed.
      await toEnd(await epochNow());
      await playMany(8, small);
      const e2 = await epochNow();
      await toEnd(e2);
      const t2 = await buildTree(e2);
      const a2 = await signedBy(e2, t2.tree.root, t2.count, t2.total + 1n);
      await gas(settlement.write.attest([e2, t2.tree.root, t2.count, t2.total + 1n, a2.nonSigners, a2.signature]));
      const last = Number(t2.count) - 1;
      const challengeGas = await gas(
        settlement.write.challenge([e2, BigInt(last), t2.tree.node(last), t2.tree.proof(last)], challenger),
      );
      let slashGas = 0;
      const rejection = (await workers.read.rejectionCount()) - 1n;
      for (let i = 0; i < all.length; i += 125) {
        slashGas += await gas(workers.write.applySlashes([rejection, a2.nonSigners, all.slice(i, i + 125)]));
      }
      if ((await workers.read.pendingSlashes()) !== 0n || (await workers.read.eligibleCount()) !== 0n) {
        throw new Error("the 1,000 signers were not all slashed");
      }
      console.error(
        `  1,000 signers: attest ${attestGas} + finalize ${finalizeGas}; challenge ${challengeGas}; applySlashes ${slashGas} in ` +
          `${Math.ceil(all.length / 125)} transactions`,
      );
      return { attestGas1000: attestGas + finalizeGas, challengeGas1000: challengeGas, applySlashesGas1000: slashGas };
    })();

    return {
      "run.startGas": startGas,
      "run.submitGas": submitGas,
      "settlement.attestGas": attests[0]!,
      "settlement.attestGas1000": thousand.attestGas1000,
      "settlement.challengeGas1000": thousand.challengeGas1000,
      "settlement.applySlashesGas1000": thousand.applySlashesGas1000,
      "settlement.gasPerRunAt10k": Math.round(settleTotal / BIG_EPOCH_RUNS),
      "claim.gasOneEpoch": oneEpoch,
      "claim.gasFirstEver": firstEver,
      "claim.gasTenEpochs": tenEpochs,
      "claim.gasTenEpochsAbi": tenEpochsAbi,
      "settlement.challengeGas": Math.max(...Object.values(challengeGas)),
      ...Object.fromEntries(Object.entries(challengeGas).map(([k, v]) => [`settlement.challengeGas.${k}`, v])),
    };
  },
};

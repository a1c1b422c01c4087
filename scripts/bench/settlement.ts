/**
 * Bench module for runs and settlement: gas of the player, worker and challenger paths, read from receipts.
 *
 * Deploys the vault (test/vault/fixture.ts), the RunRegistry, WorkerRegistry, a SurgeReplayer and the
 * RewardSettlement (with GOLD) on the in-process chain, bonds four equal workers (quorum 66.67%: three attest), then:
 * - run.startGas: a returning player's startRun (it has played before and holds a stake, so its boost is read);
 *   run.submitGas: a typical three-minute run: the agent-full run (inputs covering 3,600 ticks) of median size among
 *   generated ones (1,098 input bytes; the printed line says how many ticks it played with the seed drawn);
 * - settlement.gasPerRunAt10k: one epoch of 10,000 runs (100 players, many per block, automine off), then a quorum's
 *   three attestations plus finalize, divided by 10,000; settlement.attestGas is the first (dearest) attestation;
 * - claim.gasOneEpoch: a player who has claimed before claims one run of the 10,000-run epoch (proof depth 13-14);
 *   claim.gasFirstEver is the same player's very first claim (new GOLD holder, new claim bitmap word), after another
 *   player's claim has warmed the epoch's ledger;
 * - claim.gasTenEpochs: the same player claims one run in each of ten further final epochs in one call (each epoch
 *   has RUNS_PER_SMALL_EPOCH = 1,024 runs: proof depth 10) with claimPacked, as the client does;
 *   claim.gasTenEpochsAbi is the same claim through the ABI-encoded `claim(player, RunClaim[])`;
 * - settlement.challengeGas: a challenge that replays the typical run and rejects a root with a wrong gold value,
 *   slashing its three attesters. The seed comes from the chain's randomness, so the world, and with it the
 *   replay's gas, differs from one bench run to the next (seen: 1.4M to 2.4M).
 * SURGE_BENCH_RUNS and SURGE_BENCH_SMALL_RUNS change the epoch sizes for a quick look (the keys then mean less).
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress, parseEther, type Address, type Hash, type Hex } from "viem";
import { encodeClaims } from "../../game/chain/claims.js";
import { LEAF_ENCODING, totalGoldOf, type LeafTuple } from "../../game/chain/epoch.js";
import { bytesToHex, encodeInputs, replay } from "../../game/sim/index.js";
import { generateRun } from "../../test/helpers/runs.js";
import { deploySystemOn, depositEth } from "../../test/vault/fixture.js";
import { assertProductionCode, productionNetwork } from "../lib/production-build.js";

const EPOCH_BLOCKS = 4_000n;
const SUBMIT_WINDOW = 200n;
const MIN_BOND = 10n ** 21n;
const PLAYERS = 100;
const BIG_EPOCH_RUNS = Number(process.env.SURGE_BENCH_RUNS ?? 10_000);
const RUNS_PER_SMALL_EPOCH = Number(process.env.SURGE_BENCH_SMALL_RUNS ?? 1_024);
const CHALLENGE_WINDOW = 10n;
type Leaf = LeafTuple;

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
    const runs = await viem.deployContract("RunRegistry", [
      system.vault.address,
      genesis,
      EPOCH_BLOCKS,
      SUBMIT_WINDOW,
      50n,
      10n * MIN_BOND,
    ]);
    const workers = await viem.deployContract("WorkerRegistry", [system.vault.address, MIN_BOND, 20_000n]);
    const replayer = await viem.deployContract("SurgeReplayer");
    const settlement = await viem.deployContract("RewardSettlement", [
      runs.address,
      workers.address,
      replayer.address,
      {
        epochCap: parseEther("10000000"),
        attesterBps: 500n,
        quorumBps: 6_667n,
        minAttesters: 2n,
        maxAttesters: 32n,
        challengeWindow: CHALLENGE_WINDOW,
        fallbackDelay: 5_000n,
        slashBps: 5_000n,
        challengerBps: 5_000n,
      },
    ]);
    await assertProductionCode({ viem }, "GoldToken", await settlement.read.gold()); // deployed by the settlement
    await workers.write.bindSettlement([settlement.address]);
    for (const w of workerWallets) {
      await depositEth(system, w, parseEther("2"));
      await system.vault.write.approve([workers.address, MIN_BOND], { account: w.account });
      await workers.write.register([MIN_BOND], { account: w.account });
    }

    const gas = async (hash: Promise<Hash> | Hash): Promise<number> => {
      const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
      if (receipt.status !== "success") throw new Error("transaction reverted");
      return Number(receipt.gasUsed);
    };

    // Players: impersonated, funded accounts; `player` (the first) is the one whose gas we measure.
    const players: Address[] = [];
    for (let i = 0; i < PLAYERS; i++) {
      const a = getAddress(`0x${(0x5eed0000 + i).toString(16).padStart(40, "0")}`);
      await networkHelpers.impersonateAccount(a);
      await networkHelpers.setBalance(a, parseEther("100"));
      players.push(a);
    }
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
    const seeds = new Map<bigint, Hex>();
    const played = new Map<bigint, { player: Address; inputs: Uint8Array }>();

    /** Starts and submits `count` runs, spread over the players, many per block. */
    const playMany = async (count: number, inputsOf: (i: number) => Uint8Array) => {
      for (const p of players) nonces.set(p, await publicClient.getTransactionCount({ address: p }));
      await testClient.setAutomine(false);
      for (let done = 0; done < count; ) {
        const batch = players.slice(0, Math.min(PLAYERS, count - done));
        const started: Hash[] = [];
        for (const p of batch) started.push(await runs.write.startRun(fast(p)));
        await networkHelpers.mine(1);
        const submits: Hash[] = [];
        for (const [k, hash] of started.entries()) {
          const receipt = await publicClient.getTransactionReceipt({ hash });
          const log = receipt.logs[0]!;
          const runId = BigInt(log.topics[1]!);
          const seed = log.data.slice(0, 66) as Hex;
          const inputs = inputsOf(done + k);
          seeds.set(runId, seed);
          played.set(runId, { player: batch[k]!, inputs });
          submits.push(await runs.write.submitRun([runId, bytesToHex(inputs)], fast(batch[k]!)));
        }
        await networkHelpers.mine(1);
        for (const hash of submits) {
          if ((await publicClient.getTransactionReceipt({ hash })).status !== "success") throw new Error("submit failed");
        }
        done += batch.length;
      }
      await testClient.setAutomine(true);
    };

    const buildTree = async (epoch: bigint, tamper?: (leaves: Leaf[]) => void) => {
      const logs = await publicClient.getContractEvents({
        address: runs.address,
        abi: runs.abi,
        eventName: "RunSubmitted",
        args: { epoch },
        fromBlock: 0n,
      });
      const leaves: Leaf[] = logs
        .sort((a, b) => Number(a.args.index! - b.args.index!))
        .map((log) => {
          const runId = log.args.runId!;
          const gold = replay(seeds.get(runId)!, played.get(runId)!.inputs).gold;
          return [log.args.index!, runId, getAddress(log.args.player!), BigInt(gold)];
        });
      tamper?.(leaves);
      const tree = StandardMerkleTree.of(leaves, LEAF_ENCODING);
      const total = totalGoldOf(leaves);
      return { tree, leaves, total, count: BigInt(leaves.length) };
    };
    const toEnd = async (epoch: bigint) => {
      const end = await runs.read.epochEnd([epoch]);
      const now = BigInt(await networkHelpers.time.latestBlock());
      if (now < end) await networkHelpers.mine(end - now);
    };
    const attestAll = async (epoch: bigint, t: Awaited<ReturnType<typeof buildTree>>) => {
      const used: number[] = [];
      for (const w of workerWallets.slice(0, 3)) {
        used.push(
          await gas(settlement.write.attest([epoch, t.tree.root as Hex, t.count, t.total], { account: w.account })),
        );
      }
      return used;
    };
    const claimOf = (epoch: bigint, t: Awaited<ReturnType<typeof buildTree>>, runId: bigint) => {
      for (const [i, v] of t.tree.entries()) {
        if (v[1] === runId) return { epoch, index: v[0], runId, gold: v[3], totalGold: t.total, proof: t.tree.getProof(i) as Hex[] };
      }
      throw new Error("run not in tree");
    };
    // Short runs that dig down with a turn: about half find gold. Settlement gas does not depend on run length.
    const small = (i: number) => encodeInputs([4, 4, 4, 4, (i % 2) + 1, 4, 4, 4, 4, 4, 4, 4, 4, (i % 3) + 1, 4, 4, 4, 4]);

    // ---- run.startGas, run.submitGas: the player stakes, plays once, then a typical run.
    await system.vault.write.depositETH([player, 0n], { account: player, value: parseEther("2") });
    await runs.write.stakeETH([0n], { account: player, value: parseEther("2") });
    await networkHelpers.mine(1);
    const first = await runs.write.startRun(as(player));
    const firstLog = (await publicClient.getTransactionReceipt({ hash: first })).logs[0]!;
    const firstId = BigInt(firstLog.topics[1]!);
    seeds.set(firstId, firstLog.data.slice(0, 66) as Hex);
    played.set(firstId, { player, inputs: small(0) });
    await runs.write.submitRun([firstId, bytesToHex(small(0))], as(player));
    const sizes: { i: number; n: number }[] = [];
    for (let i = 4; i < 400; i += 8) sizes.push({ i, n: generateRun(11, i).inputs.length });
    sizes.sort((a, b) => a.n - b.n);
    const typical = generateRun(11, sizes[sizes.length >> 1]!.i);
    const startHash = await runs.write.startRun(as(player));
    const startGas = await gas(startHash);
    const startReceipt = await publicClient.getTransactionReceipt({ hash: startHash });
    const typicalId = BigInt(startReceipt.logs[0]!.topics[1]!);
    seeds.set(typicalId, startReceipt.logs[0]!.data.slice(0, 66) as Hex);
    played.set(typicalId, { player, inputs: typical.inputs });
    const submitGas = await gas(runs.write.submitRun([typicalId, bytesToHex(typical.inputs)], as(player)));
    const typicalResult = replay(seeds.get(typicalId)!, typical.inputs);
    console.error(
      `  typical run: ${typical.kind}, ${typical.inputs.length} input bytes, ${typicalResult.ticks} ticks played, ` +
        `gold ${typicalResult.gold}`,
    );

    // ---- settlement.challengeGas: a forged root over this first epoch (the typical run plus the first one).
    const epoch0 = await runs.read.epochOf([BigInt(await networkHelpers.time.latestBlock())]);
    await toEnd(epoch0);
    const forged = await buildTree(epoch0, (leaves) => {
      for (const l of leaves) if (l[1] === typicalId) l[3] += 1n;
    });
    await attestAll(epoch0, forged);
    const fc = claimOf(epoch0, forged, typicalId);
    const challengeGas = await gas(
      settlement.write.challenge(
        [epoch0, { index: fc.index, runId: typicalId, player, gold: fc.gold }, fc.proof, bytesToHex(typical.inputs)],
        { account: wallets[12]!.account },
      ),
    );
    // Fresh workers for the rest (the three attesters were slashed and are out); with two sgETH each, three of them
    // hold over 2/3 of the bonded stake.
    for (const w of wallets.slice(13, 16)) {
      await depositEth(system, w, parseEther("3"));
      await system.vault.write.approve([workers.address, 2n * MIN_BOND], { account: w.account });
      await workers.write.register([2n * MIN_BOND], { account: w.account });
    }
    workerWallets.splice(0, 3, ...wallets.slice(13, 16));
    const honest0 = await buildTree(epoch0);
    await attestAll(epoch0, honest0);
    await networkHelpers.mine(CHALLENGE_WINDOW + 1n);
    await settlement.write.finalize([epoch0]);

    // ---- settlement.gasPerRunAt10k: one epoch of 10,000 runs.
    await toEnd(epoch0);
    const t0 = Date.now();
    await playMany(BIG_EPOCH_RUNS, small);
    const bigEpoch = await runs.read.epochOf([BigInt(await networkHelpers.time.latestBlock())]);
    const count = await runs.read.runCount([bigEpoch]);
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
    const withGold = (who: Address) => big.leaves.filter((l) => l[2] === who && l[3] > 0n).map((l) => l[1]);
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
      const runId = (t.leaves.find((l) => l[2] === player && l[3] > 0n) ?? t.leaves.find((l) => l[2] === player))![1];
      const c = claimOf(epoch, t, runId);
      depth = c.proof.length;
      tenClaims.push(c);
    }
    // The same ten claims both ways, each in a snapshot of the same state: packed (what the client sends) and ABI.
    const snapshot = await networkHelpers.takeSnapshot();
    const tenEpochsAbi = await gas(settlement.write.claim([player, tenClaims], as(player)));
    await snapshot.restore();
    const tenEpochs = await gas(settlement.write.claimPacked([player, encodeClaims(tenClaims)], as(player)));
    console.error(
      `  attestations ${attests.join(", ")}, finalize ${finalizeGas}; one-epoch claim: proof depth ${oneDepth}; ` +
        `ten-epoch claim: ${RUNS_PER_SMALL_EPOCH} runs per epoch, proof depth ${depth}`,
    );

    return {
      "run.startGas": startGas,
      "run.submitGas": submitGas,
      "settlement.attestGas": attests[0]!,
      "settlement.gasPerRunAt10k": Math.round(settleTotal / BIG_EPOCH_RUNS),
      "claim.gasOneEpoch": oneEpoch,
      "claim.gasFirstEver": firstEver,
      "claim.gasTenEpochs": tenEpochs,
      "claim.gasTenEpochsAbi": tenEpochsAbi,
      "settlement.challengeGas": challengeGas,
    };
  },
};

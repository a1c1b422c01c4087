/**
 * Bench module `chain`: how parallel the game's own transactions are, as a parallel EVM would see them.
 *
 * Deploys the vault, the RunRegistry, WorkerRegistry, SurgeReplayer and RewardSettlement (with GOLD) from the
 * production build on the in-process chain, bonds one worker (the whole eligible stake: a quorum alone), then for a
 * block of PLAYERS (100) players, each with one transaction in it:
 * - chain.parallelismStart: every player's `startRun` in one block;
 * - chain.parallelismSubmit: every player's `submitRun` of that run in one block (two blocks later: the seed block);
 * - chain.parallelismClaim: the epoch of those runs attested (its tree sorted by run id), past its challenge window
 *   and finalized, every player's `claimPacked` of its own run in one block, as the client sends it;
 * each as total gas over the gas of the conflict graph's critical path (scripts/lib/parallelism.ts: prestate traces,
 * the coinbase excluded). 100 means no transaction waits for another; 1 means they all run one after another. The
 * printed lines name the storage written by more than one transaction (what serializes them) by contract and
 * variable, from the storage layouts of the deployed build (e.g. `GoldToken._totalSupply`; `RewardSettlement._minted`
 * is keyed by epoch >> 2, four epochs' mint counters a slot), and the figure the block would have without them.
 * With no conflict at all the critical path is the heaviest transaction, so the figure is total / that gas (below
 * 100 when the transactions' gas differs, as the submits' with their inputs' lengths).
 * Blocks are mined one at a time with evm_mine.
 */
import { padHex, parseEther, type Address, type Hash, type Hex } from "viem";
import { aggregateSignatures, attestationDigest, blsKey, deriveBlsSecretKey, signAttestation, signPop } from "../../game/chain/bls.js";
import { encodeClaims } from "../../game/chain/claims.js";
import { EpochTree, sortedLeaves } from "../../game/chain/tree.js";
import { bytesToHex, hexToBytes, replay } from "../../game/sim/index.js";
import { generateRun } from "../../test/helpers/runs.js";
import { deploySystemOn, depositEth } from "../../test/vault/fixture.js";
import { deployGame } from "../lib/deploy-game.js";
import { fundedAccounts } from "../lib/funded.js";
import { measureBlock, nameHotKeys, parallelismWithout, storageLayouts, type BlockParallelism, type NamedContract } from "../lib/parallelism.js";
import { productionHre, productionNetwork } from "../lib/production-build.js";

const PLAYERS = 100;
const MIN_BOND = 10n ** 21n;
/** Short epochs: the runs' epoch ends a few blocks after their submits, mined one by one. */
const EPOCH_BLOCKS = 20n;
const CHALLENGE_WINDOW = 3n;

export default {
  name: "chain",
  async run(): Promise<Record<string, number>> {
    const { viem, networkHelpers } = await productionNetwork();
    const system = await deploySystemOn(viem);
    const client = system.publicClient;
    const testClient = await viem.getTestClient();
    const genesis = BigInt(await networkHelpers.time.latestBlock());
    const { runs, workers, settlement } = await deployGame(viem, system.vault.address, {
      genesis,
      epochBlocks: EPOCH_BLOCKS,
      submitWindow: 200n,
      minBond: MIN_BOND,
      challengeWindow: CHALLENGE_WINDOW,
    });
    const gold = await settlement.read.gold();
    const chainId = await client.getChainId();
    const worker = (await viem.getWalletClients())[7]!;
    const workerKey = blsKey(deriveBlsSecretKey(padHex(worker.account.address, { size: 32 })));
    await depositEth(system, worker, parseEther("2"));
    await system.vault.write.approve([workers.address, MIN_BOND], { account: worker.account });
    await workers.write.register([MIN_BOND, workerKey.publicKey, signPop(workerKey, chainId, workers.address, worker.account.address)], {
      account: worker.account,
    });

    const players = await fundedAccounts(networkHelpers, PLAYERS, 0xc4a10000, parseEther("10"));
    const fees = { gas: 2_000_000n, maxFeePerGas: 100n * 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n };
    const nonce = new Map<Address, number>();
    for (const p of players) nonce.set(p, await client.getTransactionCount({ address: p }));
    const next = (p: Address) => {
      const n = nonce.get(p)!;
      nonce.set(p, n + 1);
      return { account: p, nonce: n, ...fees };
    };

    // evm_mine, one block at a time: blocks made by hardhat_mine in bulk have no usable blockhash for the seed.
    const mineOne = () => client.request({ method: "evm_mine" } as never);
    const mineTo = async (block: bigint) => {
      while ((await client.getBlockNumber({ cacheTime: 0 })) < block) await mineOne();
    };
    await testClient.setAutomine(false);
    const starts: Hash[] = [];
    for (const p of players) starts.push(await runs.write.startRun(next(p)));
    await mineOne();
    const start = await measureBlock(client, starts);
    await mineOne(); // the seed block
    const submits: Hash[] = [];
    const runIds: bigint[] = [];
    for (const [k, hash] of starts.entries()) {
      const receipt = await client.getTransactionReceipt({ hash });
      const runId = BigInt(receipt.logs[0]!.topics[1]!);
      runIds.push(runId);
      const inputs = generateRun(17, 4 + 8 * k).inputs; // agent-full runs: three minutes of play, ~1,100 bytes
      submits.push(await runs.write.submitRun([runId, bytesToHex(inputs)], next(players[k]!)));
    }
    await mineOne();
    const submit = await measureBlock(client, submits);

    // The epoch of the submits, its honest tree (RunSubmitted by ascending run id, each replayed), attested by the
    // worker, past its window, final; then every player claims its run in one block.
    const submitBlock = (await client.getTransactionReceipt({ hash: submits[0]! })).blockNumber;
    const epoch = await runs.read.epochOf([submitBlock]);
    const logs = await client.getContractEvents({ address: runs.address, abi: runs.abi, eventName: "RunSubmitted", args: { epoch }, fromBlock: submitBlock });
    const leaves = sortedLeaves(
      epoch,
      logs.map((l) => ({ runId: l.args.runId!, gold: BigInt(replay(l.args.seed!, hexToBytes(l.args.inputs!)).gold) })),
    );
    if (leaves.length !== PLAYERS) throw new Error(`epoch ${epoch} has ${leaves.length} runs, not ${PLAYERS}`);
    const tree = EpochTree.fromLeaves(epoch, leaves);
    await mineTo(await runs.read.epochEnd([epoch]));
    const round = await settlement.read.roundOf([epoch]);
    const count = BigInt(leaves.length);
    const digest = attestationDigest({ chainId, settlement: settlement.address, epoch, round, root: tree.root, runCount: count, totalGold: tree.totalGold });
    const signature = aggregateSignatures([signAttestation(workerKey.secretKey, digest)]);
    const attested = await settlement.write.attest([epoch, tree.root, count, tree.totalGold, [], signature], { account: worker.account, gas: 2_000_000n });
    await mineOne();
    if ((await client.getTransactionReceipt({ hash: attested })).status !== "success") throw new Error("attest reverted");
    await mineTo((await client.getBlockNumber({ cacheTime: 0 })) + CHALLENGE_WINDOW + 1n);
    const finalized = await settlement.write.finalize([epoch], { account: worker.account, gas: 2_000_000n });
    await mineOne();
    if ((await client.getTransactionReceipt({ hash: finalized })).status !== "success") throw new Error("finalize reverted");
    const claims: Hash[] = [];
    for (const [k, p] of players.entries()) {
      const claim = tree.proofOf(runIds[k]!);
      if (claim === null) throw new Error(`run ${runIds[k]} is not in the tree`);
      const packed: Hex = encodeClaims([{ epoch, index: claim.leaf.index, runId: runIds[k]!, gold: claim.leaf.gold, proof: claim.proof }]);
      claims.push(await settlement.write.claimPacked([p, packed], next(p)));
    }
    await mineOne();
    const claim = await measureBlock(client, claims);
    await testClient.setAutomine(true);

    // Name what serializes each block: the contracts' variables, mapping keys among the epoch, its mint group, the
    // players, the run ids and small numbers.
    const hre = await productionHre();
    const deployed: [string, Address][] = [
      ["RunRegistry", runs.address],
      ["RewardSettlement", settlement.address],
      ["GoldToken", gold],
      ["WorkerRegistry", workers.address],
      ["SurgeVault", system.vault.address],
    ];
    const layouts = await storageLayouts(hre.artifacts, deployed.map(([name]) => name));
    const named: NamedContract[] = deployed.map(([name, address]) => ({ name, address, layout: layouts.get(name)! }));
    const keys = [...Array.from({ length: 64 }, (_, i) => BigInt(i)), epoch, ...players.map((p) => BigInt(p)), ...runIds];
    const describe = (what: string, r: BlockParallelism) => {
      const hot = nameHotKeys(r.hotKeys, named, keys);
      const head =
        `  ${what}: ${r.parallelism.toFixed(1)}x (total ${r.totalGas} gas, critical path ${r.criticalPathGas} gas over ` +
        `${r.longestChain} transaction${r.longestChain === 1 ? "" : "s"})`;
      if (hot.length === 0) {
        // No conflict: the critical path is the heaviest transaction alone, and the figure total / its gas.
        return `${head}; written by more than one: nothing (no transaction waits for another; the bound is the heaviest one)`;
      }
      const without = parallelismWithout(r.accesses, r.hotKeys.map(([k]) => k));
      return (
        `${head}; written by more than one: ` +
        hot.map((h) => `${h.name} (${h.writers} writers${h.name === h.key ? "" : `, ${h.key}`})`).join(", ") +
        `; without those: ${without.parallelism.toFixed(1)}x`
      );
    };
    console.error(describe("startRun x100", start));
    console.error(describe("submitRun x100", submit));
    console.error(describe(`claimPacked x100 (one run each, epoch ${epoch}, proof depth ${tree.depth})`, claim));
    return {
      "chain.parallelismStart": Math.round(start.parallelism * 10) / 10,
      "chain.parallelismSubmit": Math.round(submit.parallelism * 10) / 10,
      "chain.parallelismClaim": Math.round(claim.parallelism * 10) / 10,
    };
  },
};

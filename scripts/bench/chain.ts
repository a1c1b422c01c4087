/**
 * Bench module `chain`: how parallel the game's own transactions are, as a parallel EVM would see them.
 *
 * Deploys the vault and the RunRegistry from the production build on the in-process chain, then for a block of
 * PLAYERS (100) players, each with one transaction in it:
 * - chain.parallelismStart: every player's `startRun` in one block;
 * - chain.parallelismSubmit: every player's `submitRun` of that run in one block (two blocks later: the seed block);
 * each as total gas over the gas of the conflict graph's critical path (scripts/lib/parallelism.ts: prestate traces,
 * the coinbase excluded). 100 means no transaction waits for another; 1 means they all run one after another. The
 * printed line names the state keys written by more than one transaction (what serializes them).
 * Claims (chain.parallelismClaim) need a final epoch per player and are not measured yet (issue 17).
 */
import { parseEther, type Address, type Hash } from "viem";
import { bytesToHex } from "../../game/sim/index.js";
import { generateRun } from "../../test/helpers/runs.js";
import { deploySystemOn } from "../../test/vault/fixture.js";
import { fundedAccounts } from "../lib/funded.js";
import { measureBlock, type Parallelism } from "../lib/parallelism.js";
import { productionNetwork } from "../lib/production-build.js";

const PLAYERS = 100;
const MIN_BOND = 10n ** 21n;

export default {
  name: "chain",
  async run(): Promise<Record<string, number>> {
    const { viem, networkHelpers } = await productionNetwork();
    const system = await deploySystemOn(viem);
    const client = system.publicClient;
    const testClient = await viem.getTestClient();
    const genesis = BigInt(await networkHelpers.time.latestBlock());
    const runs = await viem.deployContract("RunRegistry", [system.vault.address, genesis, 4_000n, 200n, 50n, 10n * MIN_BOND]);
    const players = await fundedAccounts(networkHelpers, PLAYERS, 0xc4a10000, parseEther("10"));
    const fees = { gas: 2_000_000n, maxFeePerGas: 100n * 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n };
    const nonce = new Map<Address, number>();
    for (const p of players) nonce.set(p, await client.getTransactionCount({ address: p }));
    const next = (p: Address) => {
      const n = nonce.get(p)!;
      nonce.set(p, n + 1);
      return { account: p, nonce: n, ...fees };
    };
    const describe = (what: string, r: Parallelism) =>
      `  ${what}: ${r.parallelism.toFixed(1)}x (total ${r.totalGas} gas, critical path ${r.criticalPathGas} gas over ` +
      `${r.longestChain} transactions); keys written by more than one: ` +
      (r.hotKeys.length === 0 ? "none" : r.hotKeys.slice(0, 3).map(([k, n]) => `${k} (${n})`).join(", "));

    // evm_mine, one block at a time: blocks made by hardhat_mine in bulk have no usable blockhash for the seed.
    const mineOne = () => client.request({ method: "evm_mine" } as never);
    await testClient.setAutomine(false);
    const starts: Hash[] = [];
    for (const p of players) starts.push(await runs.write.startRun(next(p)));
    await mineOne();
    const start = await measureBlock(client, starts);
    await mineOne(); // the seed block
    const submits: Hash[] = [];
    for (const [k, hash] of starts.entries()) {
      const receipt = await client.getTransactionReceipt({ hash });
      const runId = BigInt(receipt.logs[0]!.topics[1]!);
      const inputs = generateRun(17, 4 + 8 * k).inputs; // agent-full runs: three minutes of play, ~1,100 bytes
      submits.push(await runs.write.submitRun([runId, bytesToHex(inputs)], next(players[k]!)));
    }
    await mineOne();
    const submit = await measureBlock(client, submits);
    await testClient.setAutomine(true);
    console.error(describe("startRun x100", start));
    console.error(describe("submitRun x100", submit));
    return {
      "chain.parallelismStart": Math.round(start.parallelism * 10) / 10,
      "chain.parallelismSubmit": Math.round(submit.parallelism * 10) / 10,
    };
  },
};

/**
 * The parallelism measure of `npm run bench` (scripts/lib/parallelism.ts): the critical path of a block's conflict
 * graph, on synthetic accesses with known answers, then on real prestate traces of the in-process chain, where
 * independent ETH transfers run side by side and vault deposits (one shared total supply) one after another.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, parseEther, type Address, type Hash } from "viem";
import { fundedAccounts } from "../../scripts/lib/funded.js";
import { measureBlock, parallelismOf, type Access } from "../../scripts/lib/parallelism.js";
import { deployMockSystem, networkHelpers, viem } from "../vault/fixture.js";

const tx = (gas: number, reads: string[], writes: string[]): Access => ({ gas, reads: new Set(reads), writes: new Set(writes) });

describe("parallelism of a block", () => {
  it("is the transaction count for independent transactions and 1 for a chain over one slot", () => {
    const free = parallelismOf(Array.from({ length: 10 }, (_, i) => tx(100, [`a:${i}`], [`a:${i}`])));
    assert.equal(free.parallelism, 10);
    assert.equal(free.longestChain, 1);
    assert.deepEqual(free.hotKeys, []);
    const serial = parallelismOf(Array.from({ length: 10 }, () => tx(100, ["c:0"], ["c:0"])));
    assert.equal(serial.parallelism, 1);
    assert.equal(serial.longestChain, 10);
    assert.deepEqual(serial.hotKeys, [["c:0", 10]]);
  });

  it("follows read-after-write and write-after-write, not read-after-read, and weighs paths by gas", () => {
    // t0 writes x; t1 reads x (depends); t2 reads y only (free); t3 writes x (depends on t0); heavy t4 reads z.
    const r = parallelismOf([
      tx(10, [], ["x"]),
      tx(20, ["x"], ["p"]),
      tx(30, ["y"], []),
      tx(5, [], ["x"]),
      tx(50, ["z", "y"], []),
    ]);
    assert.equal(r.totalGas, 115);
    assert.equal(r.criticalPathGas, 50, "the lone heavy transaction outweighs the chain t0 -> t1 (30 gas)");
    assert.equal(r.longestChain, 1);
    const chained = parallelismOf([tx(10, [], ["x"]), tx(20, ["x"], ["y"]), tx(30, ["y"], [])]);
    assert.equal(chained.criticalPathGas, 60);
    assert.equal(chained.longestChain, 3);
    assert.throws(() => parallelismOf([]), /no transactions/);
  });

  it("reads real prestate traces: transfers to fresh accounts are independent, deposits into one vault are not", async () => {
    const system = await deployMockSystem();
    const client = await viem.getPublicClient();
    const testClient = await viem.getTestClient();
    const senders = await fundedAccounts(networkHelpers, 8, 0xb10c0000, parseEther("10"));
    const wallets = await viem.getWalletClients();
    const send = async (make: (a: Address, i: number) => Promise<Hash>): Promise<Hash[]> => {
      await testClient.setAutomine(false);
      try {
        const hashes: Hash[] = [];
        for (const [i, a] of senders.entries()) hashes.push(await make(a, i));
        await client.request({ method: "evm_mine" } as never);
        return hashes;
      } finally {
        await testClient.setAutomine(true);
      }
    };
    const wallet = wallets[0]!;
    const transfers = await send((a, i) =>
      wallet.sendTransaction({
        account: a,
        to: getAddress(`0x${(0xf4e50000 + i).toString(16).padStart(40, "0")}`),
        value: 1n,
        gas: 21_000n,
      }),
    );
    const independent = await measureBlock(client, transfers);
    assert.equal(independent.parallelism, senders.length, `${JSON.stringify(independent.hotKeys)}`);
    const deposits = await send((a) =>
      system.vault.write.depositETH([a, 0n], { account: a, value: parseEther("1"), gas: 1_000_000n }),
    );
    const shared = await measureBlock(client, deposits);
    assert.ok(shared.parallelism < 1.5, `deposits share the vault's totals: ${shared.parallelism}`);
    assert.equal(shared.longestChain, senders.length);
    assert.ok(shared.hotKeys.length > 0);
  });
});

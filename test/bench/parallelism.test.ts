/**
 * The parallelism measure of `npm run bench` (scripts/lib/parallelism.ts): the critical path of a block's conflict
 * graph, on synthetic accesses with known answers, then on real prestate traces of the in-process chain, where
 * independent ETH transfers run side by side and vault deposits (one shared total supply) one after another; and
 * the names it gives the slots that serialize a block, on a synthetic layout and on the vault's own.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import hre from "hardhat";
import { concatHex, getAddress, keccak256, pad, parseEther, toHex, type Address, type Hash } from "viem";
import { fundedAccounts } from "../../scripts/lib/funded.js";
import { measureBlock, nameHotKeys, parallelismOf, parallelismWithout, slotName, storageLayouts, type Access, type StorageLayout } from "../../scripts/lib/parallelism.js";
import { deployMockSystem, networkHelpers, viem } from "../vault/fixture.js";

const word = (v: bigint) => pad(toHex(v), { size: 32 });
const entry = (key: bigint, base: bigint) => BigInt(keccak256(concatHex([word(key), word(base)])));

/** A layout as solc writes it: a packed pair, a struct, a mapping to a struct, a nested mapping by address. */
const LAYOUT: StorageLayout = {
  storage: [
    { label: "owner", slot: "0", offset: 0, type: "t_address" },
    { label: "paused", slot: "0", offset: 20, type: "t_bool" },
    { label: "totals", slot: "1", offset: 0, type: "t_struct(Totals)" },
    { label: "epochs", slot: "3", offset: 0, type: "t_mapping(t_uint256,t_struct(Totals))" },
    { label: "claimed", slot: "4", offset: 0, type: "t_mapping(t_address,t_mapping(t_uint256,t_uint256))" },
  ],
  types: {
    t_address: { encoding: "inplace", label: "address", numberOfBytes: "20" },
    t_bool: { encoding: "inplace", label: "bool", numberOfBytes: "1" },
    t_uint256: { encoding: "inplace", label: "uint256", numberOfBytes: "32" },
    "t_struct(Totals)": {
      encoding: "inplace",
      label: "struct Totals",
      numberOfBytes: "64",
      members: [
        { label: "minted", slot: "0", offset: 0, type: "t_uint256" },
        { label: "runs", slot: "1", offset: 0, type: "t_uint256" },
      ],
    },
    "t_mapping(t_uint256,t_struct(Totals))": { encoding: "mapping", label: "mapping", numberOfBytes: "32", key: "t_uint256", value: "t_struct(Totals)" },
    "t_mapping(t_uint256,t_uint256)": { encoding: "mapping", label: "mapping", numberOfBytes: "32", key: "t_uint256", value: "t_uint256" },
    "t_mapping(t_address,t_mapping(t_uint256,t_uint256))": {
      encoding: "mapping",
      label: "mapping",
      numberOfBytes: "32",
      key: "t_address",
      value: "t_mapping(t_uint256,t_uint256)",
    },
  },
};

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
    // Without the key that chains them, the chain falls apart (what a counter added up after the block would give).
    const apart = parallelismWithout(Array.from({ length: 10 }, (_, i) => tx(100, ["c:0", `a:${i}`], ["c:0", `a:${i}`])), ["c:0"]);
    assert.equal(apart.parallelism, 10);
    assert.deepEqual(apart.hotKeys, []);
  });

  it("names a slot by its variable, its struct member and its mapping keys", () => {
    const player = getAddress("0x00000000000000000000000000000000c4a10007");
    const keys = [0n, 1n, 7n, BigInt(player)];
    assert.equal(slotName(LAYOUT, 0n, keys), "{owner, paused}", "two variables packed in one slot");
    assert.equal(slotName(LAYOUT, 2n, keys), "totals.runs");
    assert.equal(slotName(LAYOUT, entry(7n, 3n) + 1n, keys), "epochs[7].runs");
    assert.equal(slotName(LAYOUT, entry(1n, entry(BigInt(player), 4n)), keys), `claimed[${player}][1]`);
    assert.equal(slotName(LAYOUT, entry(9n, 3n), keys), null, "a key not among those tried");
    const named = nameHotKeys(
      [
        [`0x00000000000000000000000000000000000000aa:${word(entry(7n, 3n))}`, 5],
        ["0x00000000000000000000000000000000000000aa:balance", 2],
        [`0x00000000000000000000000000000000000000bb:${word(2n)}`, 2],
      ],
      [{ name: "Settlement", address: "0x00000000000000000000000000000000000000AA", layout: LAYOUT }],
      keys,
    );
    assert.deepEqual(
      named.map((n) => [n.name, n.writers]),
      [
        ["Settlement.epochs[7].minted", 5],
        ["Settlement.balance", 2],
        [`0x00000000000000000000000000000000000000bb:${word(2n)}`, 2],
      ],
      "an unknown contract's slot keeps its raw key",
    );
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
    assert.equal(independent.accesses.length, senders.length, "one access set per transaction, in block order");
    const deposits = await send((a) =>
      system.vault.write.depositETH([a, 0n], { account: a, value: parseEther("1"), gas: 1_000_000n }),
    );
    const shared = await measureBlock(client, deposits);
    assert.ok(shared.parallelism < 1.5, `deposits share the vault's totals: ${shared.parallelism}`);
    assert.equal(shared.longestChain, senders.length);
    assert.ok(shared.hotKeys.length > 0);
    // What serializes them, named from the vault's storage layout (solc's, for the build the test deployed).
    const layouts = await storageLayouts(hre.artifacts, ["SurgeVault", "MockWETH"]);
    const named = nameHotKeys(
      shared.hotKeys,
      [
        { name: "SurgeVault", address: system.vault.address, layout: layouts.get("SurgeVault")! },
        { name: "MockWETH", address: system.weth.address, layout: layouts.get("MockWETH")! },
      ],
      [BigInt(system.vault.address), BigInt(system.layer.address)],
    ).map((n) => n.name);
    assert.ok(named.includes("SurgeVault._totalSupply"), `every deposit adds to the vault's total supply: ${named.join(", ")}`);
  });
});

/**
 * withLogPaging: eth_getLogs over a long range is split into ranges of at most pageBlocks, in order, covering the
 * range exactly once; results are joined in order; short ranges, block-hash filters and other methods pass through.
 * Checked against a fake transport that records the requests, and against a real chain (Hardhat's in-process one)
 * where paged and unpaged reads of the same events must be equal.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { createPublicClient, custom, numberToHex, parseAbiItem } from "viem";
import { network } from "hardhat";
import { withLogPaging } from "../../game/chain/paging.js";

function fake(head: bigint) {
  const calls: { method: string; params?: unknown }[] = [];
  const transport = custom({
    request: async (args: { method: string; params?: unknown }) => {
      calls.push(args);
      if (args.method === "eth_blockNumber") return numberToHex(head);
      if (args.method === "eth_chainId") return "0x7a69";
      if (args.method === "eth_getLogs") {
        const [f] = args.params as [{ fromBlock: string; toBlock: string }];
        // One "log" per request: its range, so the test sees the pages.
        return [{ from: f.fromBlock, to: f.toBlock }];
      }
      throw new Error(`unexpected ${args.method}`);
    },
  });
  return { calls, transport };
}

describe("withLogPaging", () => {
  it("splits any range into ordered pages that cover it exactly once", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 0n, max: 50_000n }),
        fc.bigInt({ min: 0n, max: 50_000n }),
        fc.bigInt({ min: 1n, max: 7_000n }),
        async (from, length, page) => {
          const { calls, transport } = fake(from + length + 10n);
          const t = withLogPaging(transport, page)({});
          const to = from + length;
          const result = (await t.request({
            method: "eth_getLogs",
            params: [{ address: "0x0000000000000000000000000000000000000001", fromBlock: numberToHex(from), toBlock: numberToHex(to) }],
          } as never)) as { from: string; to: string }[];
          const pages = result.map((r) => [BigInt(r.from), BigInt(r.to)] as const);
          assert.equal(pages[0]![0], from);
          assert.equal(pages.at(-1)![1], to);
          for (let i = 0; i < pages.length; i++) {
            const [a, b] = pages[i]!;
            assert.ok(b >= a && b - a < page, `page ${a}-${b} within ${page}`);
            if (i > 0) assert.equal(a, pages[i - 1]![1] + 1n, "contiguous, no overlap");
          }
          assert.equal(calls.filter((c) => c.method === "eth_getLogs").length, pages.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("resolves latest to the head, and passes block-hash filters and other methods through", async () => {
    const { calls, transport } = fake(12_345n);
    const t = withLogPaging(transport, 5_000n)({});
    const pages = (await t.request({ method: "eth_getLogs", params: [{ fromBlock: "0x0", toBlock: "latest" }] } as never)) as unknown[];
    assert.equal(pages.length, 3);
    calls.length = 0;
    await t.request({ method: "eth_getLogs", params: [{ blockHash: `0x${"11".repeat(32)}` }] } as never);
    assert.deepEqual(calls.map((c) => c.method), ["eth_getLogs"]);
    assert.equal(await t.request({ method: "eth_chainId" } as never), "0x7a69");
  });

  it("reads the same events as an unpaged client on a real chain", async () => {
    const { viem, networkHelpers } = await network.create();
    const [wallet] = await viem.getWalletClients();
    const weth = await viem.deployContract("MockWETH");
    for (let i = 0; i < 12; i++) {
      await weth.write.deposit({ value: BigInt(i + 1), account: wallet!.account });
      await networkHelpers.mine(7);
    }
    const plain = await viem.getPublicClient();
    const paged = createPublicClient({ transport: withLogPaging(custom(plain), 10n) });
    const event = parseAbiItem("event Deposit(address indexed to, uint256 amount)");
    const a = await plain.getLogs({ address: weth.address, event, fromBlock: 0n, toBlock: "latest" });
    const b = await paged.getLogs({ address: weth.address, event, fromBlock: 0n, toBlock: "latest" });
    assert.equal(a.length, 12);
    assert.deepEqual(b.map((l) => l.args.amount), a.map((l) => l.args.amount));
  });
});

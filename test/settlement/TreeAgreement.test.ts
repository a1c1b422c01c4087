/**
 * game/chain/tree.ts (the product's tree), the fixture's independent restatement and the contract agree: on leaves,
 * depths, roots, totals and proofs of random epochs, and a claim with game/chain/tree.ts's proof pays.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EpochTree, foldProof, leafNode, treeDepth } from "../../game/chain/tree.js";
import { Rng } from "../helpers/runs.js";
import { buildTree, depthOf, freshSettlement, leafOf, packClaims, proofOf, settleEpoch, type Leaf, type PlayedRun } from "./fixture.js";

describe("one reading of an epoch's tree", () => {
  it("tree.ts, the fixture and the contract agree on random epochs of 1, 2, 3, 5, 8, 13 and 100 runs", async () => {
    const s = await freshSettlement();
    const rng = new Rng(12);
    for (const n of [1, 2, 3, 5, 8, 13, 100]) {
      assert.equal(treeDepth(n), depthOf(n));
      assert.equal(BigInt(treeDepth(n)), await s.settlement.read.treeDepth([BigInt(n)]));
      const leaves: Leaf[] = [];
      for (let i = 0; i < n; i++) {
        const player = BigInt(rng.next()) << 128n;
        const runId = (player << 32n) | (BigInt(rng.int(5_001)) << 80n) | BigInt(1 + rng.int(1000));
        leaves.push({ index: BigInt(i), runId, gold: BigInt(rng.int(3) === 0 ? 0 : rng.int(100_000)) });
      }
      const product = EpochTree.fromLeaves(7n, leaves);
      const mine = buildTree(7n, n, leaves.map(leafOf));
      assert.equal(product.root, mine.root, `root of ${n}`);
      assert.equal(product.totalGold, mine.totalGold, `total of ${n}`);
      for (const i of [0, n - 1, rng.int(n)]) {
        const onChain = await s.settlement.read.leafNode([leaves[i]!.runId, leaves[i]!.gold]);
        assert.deepEqual(onChain, leafNode(leaves[i]!));
        assert.deepEqual(onChain, leafOf(leaves[i]!));
        assert.deepEqual(product.proof(i), proofOf(mine, i));
        assert.deepEqual(foldProof(BigInt(i), leafNode(leaves[i]!), product.proof(i)), product.top);
      }
    }
  });

  it("a claim built from game/chain/tree.ts's proof pays on-chain (claim and claimPacked)", async () => {
    const s = await freshSettlement();
    const { playRun, mineToEpochEnd, buildEpoch, toFreshEpoch, expectedPay } = await import("./fixture.js");
    await toFreshEpoch(s);
    const runs: PlayedRun[] = [];
    for (let i = 0; i < 5; i++) runs.push(await playRun(s, i % 2 ? s.p2 : s.p1));
    await mineToEpochEnd(s, runs[0]!.epoch);
    const t = await buildEpoch(s, runs[0]!.epoch);
    const product = EpochTree.fromLeaves(t.epoch, t.leaves);
    assert.equal(product.root, t.root);
    assert.deepEqual(t.leaves.map((l) => l.runId), runs.map((r) => r.runId).sort((a, b) => (a < b ? -1 : 1)), "sorted by run id");
    await settleEpoch(s, t);
    const [a, b] = [runs[0]!, runs[2]!];
    // A run's position is its rank by run id among the epoch's runs (counted from the logs, as a worker does).
    const rank = (r: PlayedRun) => BigInt(runs.filter((o) => o.runId < r.runId).length);
    const claimOf = (r: PlayedRun) => ({ epoch: t.epoch, index: rank(r), runId: r.runId, gold: BigInt(r.gold), proof: product.proof(Number(rank(r))) });
    await s.settlement.write.claim([s.p1.account.address, [claimOf(a)]], { account: s.p1.account });
    await s.settlement.write.claimPacked([s.p1.account.address, packClaims([claimOf(b)])], { account: s.p1.account });
    assert.equal(await s.gold.read.balanceOf([s.p1.account.address]), expectedPay(t, a.runId) + expectedPay(t, b.runId));
  });
});

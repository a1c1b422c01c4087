/**
 * The payout rules the Runs panel shows (game/chain/payout.ts) restated by hand from RewardSettlement: the attesters'
 * share, the boost from the run id, the cap's pro-rata scaling, micro-GOLD rounding, and the replay settlement.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { boosted as epochBoosted, totalGoldOf } from "../../game/chain/epoch.js";
import type { TreeLeaf } from "../../game/chain/tree.js";
import { boostBpsOf, boosted, claimPay, formatGold, GOLD_PER_POINT, MINT_UNIT, payoutOf, pools, replayPay } from "../../game/chain/payout.js";

const GOLD = GOLD_PER_POINT;
const RULES = { attesterBps: 500n, epochCap: 1_000_000n * GOLD };
/** A run id as RunRegistry._runIdOf builds it: player << 96 | boost << 80 | nonce. */
const runId = (boostBps: bigint, nonce = 1n, player = 0xabcn) => (player << 96n) | (boostBps << 80n) | nonce;

describe("payout (RewardSettlement's rules)", () => {
  it("a lone run below the cap pays its gold less the attesters' 5%: 760 gold pays 722 GOLD", () => {
    const id = runId(0n);
    assert.equal(claimPay(760n, id, 760n, RULES), 722n * GOLD);
    const p = payoutOf(760n, id, { kind: "claim", totalGold: 760n, rules: RULES, final: true });
    assert.equal(p.amount, 722n * GOLD);
    assert.match(p.reason, /95% to you, 5% to the attesting workers/);
    assert.equal(formatGold(p.amount), "722");
  });

  it("the boost in the run id raises the run's points (floor), as _boosted", () => {
    const id = runId(2_500n);
    assert.equal(boostBpsOf(id), 2_500n);
    assert.equal(boosted(101n, id), 126n); // floor(101 * 1.25)
    assert.equal(epochBoosted(101n, id), 126n, "epoch.ts uses the same formula");
    // Alone in its epoch: 126 points, 95% of them.
    assert.equal(claimPay(101n, id, 126n, RULES), (126n * GOLD * 9_500n) / 10_000n);
    assert.match(payoutOf(101n, id, { kind: "claim", totalGold: 126n, rules: RULES, final: true }).reason, /\+25% stake boost = 126/);
  });

  it("shares the players' pool pro rata, rounded down to whole micro-GOLD", () => {
    const a = runId(0n, 1n);
    const b = runId(333n, 2n, 0xdefn);
    const leaves: TreeLeaf[] = [
      { index: 0n, runId: a, gold: 7n },
      { index: 1n, runId: b, gold: 13n },
    ];
    const total = totalGoldOf(leaves);
    assert.equal(total, 7n + 13n); // floor(13 * 1.0333) = 13
    const pa = claimPay(7n, a, total, RULES);
    const pb = claimPay(13n, b, total, RULES);
    assert.equal(pa % MINT_UNIT, 0n);
    assert.equal(pb % MINT_UNIT, 0n);
    assert.ok(pa + pb <= pools(total, RULES).playerPool, "claims never exceed the players' pool");
  });

  it("above the cap everyone is scaled down to the cap", () => {
    const rules = { attesterBps: 500n, epochCap: 1_000n * GOLD };
    const id = runId(0n);
    // The epoch earned 4,000 points: emission 1,000 GOLD, players' pool 950, this run's 760 points get 760/4000 of it.
    const pay = claimPay(760n, id, 4_000n, rules);
    assert.equal(pay, (760n * 950n * GOLD) / 4_000n);
    assert.equal(pay, 180_500_000_000_000_000_000n);
    const p = payoutOf(760n, id, { kind: "claim", totalGold: 4_000n, rules, final: false });
    assert.match(p.reason, /scaled to the epoch cap of 1,000 GOLD/);
    assert.match(p.reason, /estimate while the epoch is open/);
    assert.equal(formatGold(p.amount), "180.5");
  });

  it("a run settled by replay pays all its boosted gold, no attesters' share", () => {
    const id = runId(1_000n);
    assert.equal(replayPay(490n, id), 539n * GOLD);
    const p = payoutOf(490n, id, { kind: "replay", totalGold: 0n, rules: RULES, final: true });
    assert.equal(p.amount, 539n * GOLD);
    assert.equal(p.kind, "replay");
    assert.match(p.reason, /settled by on-chain replay/);
    assert.equal(replayPay(490n, runId(0n)), 490n * GOLD);
  });

  it("an epoch with no points pays nothing", () => {
    assert.equal(claimPay(0n, runId(0n), 0n, RULES), 0n);
  });
});

/**
 * Issue 12's attacks, one test each: every test fails if its defence is removed (seeds from a later block's hash,
 * the sum tree sorted by run id with its challenges, slashes burned whole, stakes held while they boost a live run).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeAbiParameters, keccak256, parseEther, parseEventLogs, type Hex } from "viem";
import { generateRun } from "../helpers/runs.js";
import {
  chainNow,
  applyAllSlashes,
  attestQuorum,
  BPS,
  buildEpoch,
  BURN_ADDRESS,
  challengeArgs,
  drawSeed,
  leafChallengeArgs,
  omissionChallengeArgs,
  orderChallengeArgs,
  ranked,
  EMPTY,
  Fraud,
  freshSettlement,
  leafOf,
  MIN_BOND,
  MIN_LOCK_BLOCKS,
  mineToEpochEnd,
  networkHelpers,
  playRun,
  proofOf,
  receiptOf,
  SLASH_BPS,
  startRun,
  SUBMIT_WINDOW,
  toFreshEpoch,
  viem,
  type EpochTree,
  type PlayedRun,
  type Settlement,
} from "./fixture.js";

const ZERO_TICKS = "0x010000" as Hex;
const inputsFor = (i: number) => generateRun(31, 1 + 8 * i).inputs;

describe("Issue 12: seed shopping gains nothing", () => {
  it("a contract wallet cannot read its run's seed in the start transaction, so it cannot revert a bad one", async () => {
    const s = await freshSettlement();
    const shopper = await viem.deployContract("SeedShopper", [s.runs.address]);
    // Whatever the threshold, reading the seed in the start transaction reverts: the seed block does not exist.
    await viem.assertions.revertWithCustomError(shopper.write.startIfGood([2n ** 63n]), s.runs, "SeedNotDrawn");
    assert.equal(await shopper.read.keptCount(), 0n);
    // What it is reduced to: start, wait for the seed, keep it. Over N tries the seeds it gets are no better than
    // random: as many below the median as above (a shopper keeping only good ones would have all below).
    const N = 24;
    let below = 0;
    for (let i = 0; i < N; i++) {
      const runId = parseEventLogs({
        abi: s.runs.abi,
        logs: (await receiptOf(s, shopper.write.start())).logs,
        eventName: "RunStarted",
      })[0]!.args.runId;
      const seed = await drawSeed(s, runId);
      if (BigInt(seed) < 2n ** 63n) below++;
      await shopper.write.submit([runId, ZERO_TICKS]);
    }
    assert.ok(below >= 4 && below <= N - 4, `${below} of ${N} seeds below the median: not a fair draw`);
  });

  it("a session key cannot burn a seed with a zero-tick run in the start transaction", async () => {
    const s = await freshSettlement();
    const shopper = await viem.deployContract("SeedShopper", [s.runs.address]);
    await viem.assertions.revertWithCustomError(shopper.write.startAndBurn([ZERO_TICKS]), s.runs, "SeedNotDrawn");
    // Through a real session key: a submit in the seed block itself (the block after the start) fails too.
    const now = await chainNow();
    await s.runs.write.authorizeSessionKey([s.sessionKey.account.address, now + 3600n], { account: s.p1.account });
    const test = await viem.getTestClient();
    await test.setAutomine(false);
    const start = await s.runs.write.startRunFor([s.p1.account.address], { account: s.sessionKey.account, gas: 300_000n });
    await networkHelpers.mine(1);
    await test.setAutomine(true);
    const [ev] = parseEventLogs({ abi: s.runs.abi, logs: (await receiptOf(s, start)).logs, eventName: "RunStarted" });
    await test.setAutomine(false);
    // The run's own block has passed; its seed block is the one being built now: still not drawn.
    const burn = await s.runs.write.submitRun([ev!.args.runId!, ZERO_TICKS], { account: s.sessionKey.account, gas: 300_000n });
    await networkHelpers.mine(1);
    await test.setAutomine(true);
    const receipt = await s.publicClient.getTransactionReceipt({ hash: burn });
    assert.equal(receipt.status, "reverted", "a submit in the seed block itself is refused");
    assert.equal(receipt.blockNumber, ev!.args.seedBlock);
  });

  it("nobody predicts a seed from what is known before the start block: the seed block's hash decides", async () => {
    const s = await freshSettlement();
    const chainId = BigInt(await s.publicClient.getChainId());
    const wallets = [s.p1, s.p2, s.challenger, s.sessionKey];
    let exact = 0;
    for (const w of wallets) {
      // Everything an off-chain predictor knows before the start: the latest block's hash, the player, its next
      // nonce, the chain and the registry. The old rule mixed the start block's parent hash; try both it and the
      // latest hash as the "next block" guess.
      const latest = await s.publicClient.getBlock();
      const nonce = ((await s.runs.read.lastRunOf([w.account.address])) & (2n ** 80n - 1n)) + 1n;
      const guess = (h: Hex) =>
        BigInt(
          keccak256(
            encodeAbiParameters(
              [{ type: "bytes32" }, { type: "address" }, { type: "uint256" }, { type: "uint256" }, { type: "address" }],
              [h, w.account.address, nonce, chainId, s.runs.address],
            ),
          ),
        ) & (2n ** 64n - 1n);
      const a = await startRun(s, w);
      const seed = BigInt(await drawSeed(s, a.runId));
      if (seed === guess(latest.hash!)) exact++;
      // The seed is exactly the formula over the seed block's hash: that block did not exist before the start.
      const seedBlock = await s.publicClient.getBlock({ blockNumber: a.seedBlock });
      assert.equal(seed, guess(seedBlock.hash!));
      assert.ok(seedBlock.number! > a.receipt.blockNumber);
    }
    assert.equal(exact, 0, "a seed was predicted before its start");
  });

  it("a run whose seed block is out of reach is past its deadline, and a new run starts", async () => {
    const s = await freshSettlement();
    const a = await startRun(s, s.p1);
    assert.ok(SUBMIT_WINDOW + 1n < 256n, "the registry keeps the window inside blockhash's reach");
    await networkHelpers.mine(300);
    await viem.assertions.revertWithCustomError(s.runs.read.seedOf([a.runId]), s.runs, "SeedExpired");
    await viem.assertions.revertWithCustomError(
      s.runs.write.submitRun([a.runId, ZERO_TICKS], { account: s.p1.account }),
      s.runs,
      "SubmitDeadlinePassed",
    );
    const b = await startRun(s, s.p1);
    assert.notEqual(b.runId, a.runId);
    assert.ok(BigInt(await drawSeed(s, b.runId)) >= 0n);
    // The registry refuses a window that would let a live run's seed fall out of reach.
    await assert.rejects(
      viem.deployContract("RunRegistry", [s.vault.address, 0n, 20n, 255n, MIN_LOCK_BLOCKS, 10n]),
      /InvalidParameter/,
    );
  });
});

describe("Issue 12: one stake never boosts two live runs", () => {
  it("unlock reverts while the boosted run is live; after its submit the stake moves", async () => {
    const s = await freshSettlement();
    await s.runs.write.stakeETH([0n], { account: s.p1.account, value: parseEther("10") });
    await networkHelpers.mine(MIN_LOCK_BLOCKS);
    const a = await startRun(s, s.p1);
    assert.equal(a.boostBps, 5_000n);
    const locked = (await s.runs.read.stakeOf([s.p1.account.address])).locked;
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.runs.write.unlock([locked], { account: s.p1.account }),
      s.runs,
      "StakeBoostingRun",
      [a.runId, a.deadline],
    );
    await drawSeed(s, a.runId);
    await s.runs.write.submitRun([a.runId, ZERO_TICKS], { account: s.p1.account });
    await s.runs.write.unlock([locked], { account: s.p1.account });
    await s.vault.write.transfer([s.p2.account.address, locked], { account: s.p1.account });
    await s.vault.write.approve([s.runs.address, locked], { account: s.p2.account });
    await s.runs.write.lockShares([locked], { account: s.p2.account });
    await networkHelpers.mine(1);
    const b = await startRun(s, s.p2);
    assert.equal(b.boostBps, 5_000n, "the stake boosts p2 now, p1's run being over");
    assert.equal(await s.runs.read.currentBoostOf([s.p1.account.address]), 0n);
  });

  it("an expired boosted run frees the stake too", async () => {
    const s = await freshSettlement();
    await s.runs.write.stakeETH([0n], { account: s.p1.account, value: parseEther("10") });
    await networkHelpers.mine(MIN_LOCK_BLOCKS);
    await startRun(s, s.p1);
    await networkHelpers.mine(SUBMIT_WINDOW - 1n); // the next transaction lands at the deadline: still live
    await viem.assertions.revertWithCustomError(s.runs.write.unlock([1n], { account: s.p1.account }), s.runs, "StakeBoostingRun");
    await networkHelpers.mine(1);
    await s.runs.write.unlock([1n], { account: s.p1.account });
  });
});

/** Runs of p1 and p2 in one fresh epoch (n of them), ended. */
async function epochOf(s: Settlement, n: number) {
  await toFreshEpoch(s);
  const runs: PlayedRun[] = [];
  for (let i = 0; i < n; i++) runs.push(await playRun(s, i % 2 === 0 ? s.p1 : s.p2, inputsFor(i)));
  assert.ok(runs.every((r) => r.epoch === runs[0]!.epoch));
  await mineToEpochEnd(s, runs[0]!.epoch);
  return { runs, epoch: runs[0]!.epoch };
}

type Lie = { tree: EpochTree; challenge: (s: Settlement) => Promise<Hex>; fraud: number };

describe("Issue 12: every wrong root is rejected by ONE challenge whose signers are all slashed", () => {
  const cases: [string, (s: Settlement, epoch: bigint, runs: PlayedRun[]) => Promise<Lie>][] = [
    ["an omitted run (the runs after it shifted down, the last position below the count empty)", async (s, epoch) => {
      const tree = await buildEpoch(s, epoch, (leaves) => ranked([...leaves.slice(0, 1), ...leaves.slice(2)]), undefined, undefined, 3);
      return { tree, fraud: Fraud.Omitted, challenge: (s) => s.settlement.write.challenge([...challengeArgs(tree, 2)], { account: s.challenger.account }) };
    }],
    ["an omitted run, counted out (count 2): challengeOmission", async (s, epoch) => {
      const honest = await buildEpoch(s, epoch);
      const tree = await buildEpoch(s, epoch, (leaves) => ranked([...leaves.slice(0, 1), ...leaves.slice(2)]));
      return { tree, fraud: Fraud.Omitted, challenge: (s) => s.settlement.write.challengeOmission([...omissionChallengeArgs(tree, honest.leaves[1]!.runId)], { account: s.challenger.account }) };
    }],
    ["a duplicated leaf in a run's place", async (s, epoch) => {
      const tree = await buildEpoch(s, epoch, (leaves) => ranked(leaves.map((l, i) => (i === 2 ? leaves[1]! : l))));
      return { tree, fraud: Fraud.Unordered, challenge: (s) => s.settlement.write.challengeOrder([...orderChallengeArgs(tree, 1)], { account: s.challenger.account }) };
    }],
    ["an invented leaf", async (s, epoch) => {
      const tree = await buildEpoch(s, epoch, (leaves) => ranked(leaves.map((l, i) => (i === 0 ? { ...l, runId: l.runId + 2n ** 60n, gold: 10_000n } : l))));
      return { tree, fraud: Fraud.Invented, challenge: (s) => s.settlement.write.challengeLeaf([...leafChallengeArgs(tree, 0)], { account: s.challenger.account }) };
    }],
    ["a misplaced leaf (two runs swapped, each at the other's position)", async (s, epoch) => {
      const tree = await buildEpoch(s, epoch, (leaves) => ranked([leaves[1]!, leaves[0]!, ...leaves.slice(2)]));
      return { tree, fraud: Fraud.Unordered, challenge: (s) => s.settlement.write.challengeOrder([...orderChallengeArgs(tree, 0)], { account: s.challenger.account }) };
    }],
    ["an overstated total", async (s, epoch) => {
      const honest = await buildEpoch(s, epoch);
      const tree = { ...honest, totalGold: honest.totalGold * 10n + 1n };
      return { tree, fraud: Fraud.WrongTotal, challenge: (s) => s.settlement.write.challenge([...challengeArgs(tree, 0)], { account: s.challenger.account }) };
    }],
    ["an understated total", async (s, epoch) => {
      const honest = await buildEpoch(s, epoch);
      assert.ok(honest.totalGold > 0n);
      const tree = { ...honest, totalGold: honest.totalGold - 1n };
      return { tree, fraud: Fraud.WrongTotal, challenge: (s) => s.settlement.write.challenge([...challengeArgs(tree, 1)], { account: s.challenger.account }) };
    }],
    ["a leaf with a wrong sum", async (s, epoch) => {
      const tree = await buildEpoch(s, epoch, (leaves) => leaves.map((l, i) => (i === 1 ? { ...leafOf(l), sum: leafOf(l).sum + 7n } : leafOf(l))));
      return { tree, fraud: Fraud.WrongLeaf, challenge: (s) => s.settlement.write.challengeLeaf([...leafChallengeArgs(tree, 1)], { account: s.challenger.account }) };
    }],
    ["a non-empty padding position", async (s, epoch) => {
      const tree = await buildEpoch(s, epoch, (leaves) => [...leaves.map(leafOf), { hash: leafOf(leaves[0]!).hash, sum: 0n }]);
      return { tree, fraud: Fraud.BeyondCount, challenge: (s) => s.settlement.write.challenge([...challengeArgs(tree, 3)], { account: s.challenger.account }) };
    }],
    ["a leaf at a wrong depth (run 0's leaf where positions 0 and 1 should hang)", async (s, epoch) => {
      const honest = await buildEpoch(s, epoch);
      const l0 = honest.leaves[0]!;
      const tree = await buildEpoch(s, epoch, undefined, new Map([["1:0", leafOf(l0)]]));
      return {
        tree,
        fraud: Fraud.WrongDepth,
        challenge: (s) => s.settlement.write.challengeDepth([epoch, 0n, proofOf(tree, 0, 1), l0.runId, leafOf(l0).sum], { account: s.challenger.account }),
      };
    }],
    ["an inner node whose sum is not its children's (total inflated to match)", async (s, epoch) => {
      const honest = await buildEpoch(s, epoch);
      const node = honest.levels[1]![0]!;
      const tree = await buildEpoch(s, epoch, undefined, new Map([["1:0", { hash: node.hash, sum: node.sum + 1_000_000n }]]));
      const [l, r] = [honest.levels[0]![0]!, honest.levels[0]![1]!];
      return {
        tree,
        fraud: Fraud.WrongSum,
        challenge: (s) => s.settlement.write.challengeNode([epoch, 0n, tree.levels[1]![0]!, l, r, proofOf(tree, 0, 1)], { account: s.challenger.account }),
      };
    }],
    ["an empty inner node hiding the last run", async (s, epoch) => {
      const tree = await buildEpoch(s, epoch, undefined, new Map([["1:1", EMPTY]]));
      return {
        tree,
        fraud: Fraud.WrongDepth,
        challenge: (s) => s.settlement.write.challengeNode([epoch, 1n, EMPTY, EMPTY, EMPTY, proofOf(tree, 1, 1)], { account: s.challenger.account }),
      };
    }],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      const s = await freshSettlement();
      const { runs, epoch } = await epochOf(s, 3);
      const honest = await buildEpoch(s, epoch);
      const lie = await make(s, epoch, runs);
      assert.ok(lie.tree.root !== honest.root || lie.tree.totalGold !== honest.totalGold, "the lie differs");
      // Without the lie's own challenge, no position of it passes for fraud... the honest watcher needs just one.
      await attestQuorum(s, lie.tree);
      const bonds = await Promise.all([s.w1, s.w2, s.w3].map(async (w) => (await s.workers.read.workerOf([w.account.address])).bond));
      const burned = await s.vault.read.balanceOf([BURN_ADDRESS]);
      const receipt = await receiptOf(s, lie.challenge(s));
      const [ev] = parseEventLogs({ abi: s.settlement.abi, logs: receipt.logs, eventName: "RootRejected" });
      assert.equal(ev!.args.fraud, lie.fraud);
      assert.equal(ev!.args.signers, 3n);
      await applyAllSlashes(s);
      const slashed = bonds.map((b) => (b * SLASH_BPS) / BPS);
      for (const [i, w] of [s.w1, s.w2, s.w3].entries()) {
        assert.equal((await s.workers.read.workerOf([w.account.address])).bond, bonds[i]! - slashed[i]!);
      }
      assert.equal((await s.vault.read.balanceOf([BURN_ADDRESS])) - burned, slashed.reduce((a, b) => a + b, 0n));
      assert.equal(await s.settlement.read.epochStatus([epoch]), 0, "open again");
    });
  }

  it("a self-challenge from a third address leaves the liar the full slash lost; the challenger gets nothing", async () => {
    const s = await freshSettlement();
    const { epoch } = await epochOf(s, 3);
    const lie = await buildEpoch(s, epoch, (leaves) => {
      leaves[0]!.gold += 100n;
    });
    await attestQuorum(s, lie);
    // The liars' accomplice (the challenger account stands for "an address funded by a liar") challenges first.
    const before = {
      accomplice: await s.vault.read.balanceOf([s.challenger.account.address]),
      burn: await s.vault.read.balanceOf([BURN_ADDRESS]),
      w1: (await s.workers.read.workerOf([s.w1.account.address])).bond,
      w1Shares: await s.vault.read.balanceOf([s.w1.account.address]),
    };
    await s.settlement.write.challengeLeaf([...leafChallengeArgs(lie, 0)], { account: s.challenger.account });
    await applyAllSlashes(s, s.challenger);
    const slashEach = (MIN_BOND * SLASH_BPS) / BPS;
    assert.equal(await s.vault.read.balanceOf([s.challenger.account.address]), before.accomplice, "the challenger receives nothing");
    assert.equal(await s.vault.read.balanceOf([s.w1.account.address]), before.w1Shares);
    assert.equal((await s.vault.read.balanceOf([BURN_ADDRESS])) - before.burn, 3n * slashEach, "the whole slash is burned");
    assert.equal((await s.workers.read.workerOf([s.w1.account.address])).bond, before.w1 - slashEach, "the liar loses the full slash");
    // An honest challenger coming second finds nothing to win and nothing lost but its gas.
    await viem.assertions.revertWithCustomError(
      s.settlement.write.challengeLeaf([...leafChallengeArgs(lie, 0)], { account: s.p2.account }),
      s.settlement,
      "WrongEpochStatus",
    );
  });

  it("an honest root survives a challenge at every position, and no honest one-run root can be 'proved' wrong", async () => {
    const s = await freshSettlement();
    const { epoch } = await epochOf(s, 3);
    const t = await buildEpoch(s, epoch);
    await attestQuorum(s, t);
    for (let p = 0; p < 4; p++) {
      await viem.assertions.revertWithCustomError(s.settlement.write.challenge([...challengeArgs(t, p)], { account: s.challenger.account }), s.settlement, "NoFraud");
    }
    for (const [h, i] of [[1, 0], [1, 1], [2, 0]] as const) {
      const below = t.levels[h - 1]!;
      await viem.assertions.revertWithCustomError(
        s.settlement.write.challengeNode([epoch, BigInt(i), t.levels[h]![i]!, below[2 * i]!, below[2 * i + 1]!, proofOf(t, i, h)], { account: s.challenger.account }),
        s.settlement,
        "NoFraud",
      );
    }
    // Depth 0: the one leaf is the root; a node with another sum is not the root's node (it would "prove" WrongTotal).
    const one = await epochOf(s, 1);
    const t1 = await buildEpoch(s, one.epoch);
    await attestQuorum(s, t1);
    const [e, pos, node, proof] = challengeArgs(t1, 0);
    await viem.assertions.revertWithCustomError(
      s.settlement.write.challenge([e, pos, { ...node, sum: node.sum + 1n }, proof], { account: s.challenger.account }),
      s.settlement,
      "InvalidProof",
    );
    await viem.assertions.revertWithCustomError(s.settlement.write.challenge([...challengeArgs(t1, 0)], { account: s.challenger.account }), s.settlement, "NoFraud");
    await viem.assertions.revertWithCustomError(s.settlement.write.challengeLeaf([...leafChallengeArgs(t1, 0)], { account: s.challenger.account }), s.settlement, "NoFraud");
    // A one-run leaf opened with another sum is not the root's node either.
    const [, opening, runInputs] = leafChallengeArgs(t1, 0);
    await viem.assertions.revertWithCustomError(
      s.settlement.write.challengeLeaf([e, { ...opening, sum: opening.sum + 1n }, runInputs], { account: s.challenger.account }),
      s.settlement,
      "InvalidProof",
    );
  });
});

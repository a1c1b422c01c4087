/**
 * The fraud finder (game/chain/fraud.ts) against the real contract (issue 17: an epoch's leaves are its runs sorted
 * by run id, the run count is attested, not counted on-chain). For every kind of wrong tree a quorum can attest, the
 * lie is published as a worker's /trees dump (every position's node, every leaf's position, run and gold, and for a
 * wrong inner node its inner levels), loaded back with loadTree as an honest watcher does, attested by a quorum with
 * the lie's run count and total, and the call the finder names (challengeCall, sent by watch.ts `sendChallenge`)
 * must reject the root with the Fraud the finder expects and slash every attester:
 * - `challenge` (a position, no replay): WrongTotal, BeyondCount (a count one short), Omitted (an empty position);
 * - `challengeOmission`: a run left out (the first, a middle one, the last; one run fewer attested);
 * - `challengeOrder`: a duplicated run (one more attested), two runs swapped;
 * - `challengeLeaf`: Invented (a run never submitted; a run of another epoch; a hash at a run position; the honest
 *   root attested as a shallower tree; an epoch without runs), WrongLeaf (a wrong gold; a wrong sum), and a one-run
 *   epoch's wrong total (its leaf opened with the attested total as its sum: WrongLeaf);
 * - `challengeNode`: an inner sum that is not its children's (WrongSum), an empty inner node (WrongDepth), a wrong
 *   total over a wrong inner sum on position 0's path (the top opened: WrongSum);
 * - `challengeDepth`: a run's leaf above the positions (WrongDepth), the honest root attested as a deeper tree.
 * Leaves are in the clear (a run position's node is (bytes32(runId), boosted gold)): every position opens.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bytesToHex, keccak256, parseEventLogs } from "viem";
import type { Deployment } from "../../game/chain/deployment.js";
import { challengeCall, depthFraud, findFraud, FRAUD_NAMES, type Challenge, type ChallengeRun } from "../../game/chain/fraud.js";
import { dumpTree, EMPTY_NODE, EpochTree, leafNode, loadTree, parentNode, sortedLeaves, type TreeLeaf, type TreeNode } from "../../game/chain/tree.js";
import { sendChallenge } from "../../game/chain/watch.js";
import { generateRun } from "../helpers/runs.js";
import {
  applyAllSlashes,
  attestQuorum,
  freshSettlement,
  mineToEpochEnd,
  networkHelpers,
  playRun,
  receiptOf,
  toFreshEpoch,
  type PlayedRun,
  type Settlement,
} from "../settlement/fixture.js";

type Leaf = { runId: bigint; gold: bigint };

/**
 * One run alone in an epoch (a one-run tree, and a run of another epoch for the four-run one), then four runs of p1
 * and p2 in a fresh epoch (depth 2: positions 0..3), both ended. Snapshotted once (loadFixture).
 */
async function fourRuns() {
  const s = await freshSettlement();
  await toFreshEpoch(s);
  const lone = await playRun(s, s.p2, generateRun(37, 5).inputs);
  await mineToEpochEnd(s, lone.epoch);
  const played: PlayedRun[] = [];
  for (let i = 0; i < 4; i++) played.push(await playRun(s, i % 2 === 0 ? s.p1 : s.p2, generateRun(31, 1 + 8 * i).inputs));
  const epoch = played[0]!.epoch;
  assert.ok(played.every((r) => r.epoch === epoch) && lone.epoch < epoch);
  await mineToEpochEnd(s, epoch);
  return { s, epoch, played, lone };
}

function honestOf(epoch: bigint, played: readonly PlayedRun[]) {
  const tree = EpochTree.fromRuns(epoch, played.map((r) => ({ runId: r.runId, gold: BigInt(r.gold) })));
  const runs: ChallengeRun[] = played.map((r) => ({ runId: r.runId, inputs: bytesToHex(r.inputs) }));
  const plain: Leaf[] = tree.leaves().map((l) => ({ runId: l.runId, gold: l.gold }));
  return { tree, runs, plain };
}

/** A liar's tree of these leaves in this order (positions numbered as given). */
function liarOf(epoch: bigint, list: readonly Leaf[]): EpochTree {
  return EpochTree.fromLeaves(epoch, list.map((l, i): TreeLeaf => ({ index: BigInt(i), runId: l.runId, gold: l.gold })));
}

/**
 * A tree with the honest positions and the given inner levels (bottom up, the top last), re-hashing above any node
 * changed (keeping each given sum, or with `sums` adding them up too); an empty node, or with `sums` a changed one,
 * is kept as given.
 */
function innerLiar(honest: EpochTree, change: (inner: TreeNode[][]) => void, sums = false): EpochTree {
  const inner = honest.innerLevels().map((level) => [...level]);
  const before = inner.map((level) => [...level]);
  change(inner);
  const levels = [[...honest.positions()], ...inner];
  for (let k = 1; k < levels.length; k++) {
    levels[k] = levels[k]!.map((n, i) => {
      if (BigInt(n.hash) === 0n || (sums && n !== before[k - 1]![i])) return n;
      const p = parentNode(levels[k - 1]![2 * i]!, levels[k - 1]![2 * i + 1]!);
      return { hash: p.hash, sum: sums ? p.sum : n.sum };
    });
  }
  return EpochTree.fromLevels(honest.epoch, honest.runCount, honest.positions(), levels.slice(1), honest.leaves());
}

/**
 * Attests `lie` (its root and run count) with `total` by a quorum, has the finder find the challenge from the lie's
 * dump (or takes `given`), sends it and checks the rejection: the Fraud, every signer slashed.
 */
async function rejects(
  s: Settlement,
  lie: EpochTree,
  total: bigint,
  honest: { tree: EpochTree | null; runs: ChallengeRun[] },
  given?: Challenge,
) {
  const epoch = lie.epoch;
  const theirs = loadTree(JSON.parse(JSON.stringify(dumpTree(lie))), { epoch, runCount: lie.runCount, root: lie.root });
  await attestQuorum(s, { epoch, root: lie.root, runCount: BigInt(lie.runCount), totalGold: total, depth: lie.depth, leaves: [], levels: [], inputs: new Map() });
  const c = given ?? findFraud(theirs, total, honest.tree, honest.runs);
  assert.ok(c, "the finder finds the lie");
  const d = { contracts: { settlement: s.settlement.address } } as Deployment;
  const receipt = await receiptOf(s, sendChallenge(s.challenger, d, epoch, c));
  assert.equal(receipt.status, "success");
  const [ev] = parseEventLogs({ abi: s.settlement.abi, logs: receipt.logs, eventName: "RootRejected" });
  assert.ok(ev, "the root is rejected");
  assert.equal(ev.args.signers, 3n, "every signer is to be slashed");
  assert.equal(ev.args.position, BigInt(c.position), "RootRejected carries the challenge's position");
  await applyAllSlashes(s);
  for (const w of [s.w1, s.w2, s.w3]) assert.equal((await s.workers.read.workerOf([w.account.address])).slashes, 1, "every signer is slashed");
  return { c, fraud: FRAUD_NAMES[ev.args.fraud], gas: receipt.gasUsed };
}

const setup = () => networkHelpers.loadFixture(fourRuns);

describe("fraud finder + every challenge on the real contract", () => {
  it("an honest root and total: nothing to challenge, and a forged challenge is NoFraud", async () => {
    const { s, epoch, played } = await setup();
    const h = honestOf(epoch, played);
    assert.equal(findFraud(h.tree, h.tree.totalGold, h.tree, h.runs), null);
    await attestQuorum(s, { epoch, root: h.tree.root, runCount: BigInt(h.tree.runCount), totalGold: h.tree.totalGold, depth: 2, leaves: [], levels: [], inputs: new Map() });
    const call = challengeCall(epoch, { kind: "WrongLeaf", fn: "challengeLeaf", level: 0, position: 1, runId: 0n, inputs: h.runs.find((r) => r.runId === h.tree.leaf(1)!.runId)!.inputs, reason: "", leaf: h.tree.opening(1)! });
    assert.ok(call.functionName === "challengeLeaf");
    await assert.rejects(s.settlement.simulate.challengeLeaf([...call.args], { account: s.challenger.account.address }), /NoFraud/);
  });

  const cases: { what: string; fn: Challenge["fn"]; fraud: string; lie: (e: bigint, h: ReturnType<typeof honestOf>, o: { lone: PlayedRun }) => { tree: EpochTree; total?: bigint } }[] = [
    { what: "a total 10x too high", fn: "challenge", fraud: "WrongTotal", lie: (_e, h) => ({ tree: h.tree, total: h.tree.totalGold * 10n + 1_000n }) },
    {
      what: "a count one short: the last leaf past it",
      fn: "challenge",
      fraud: "BeyondCount",
      lie: (e, h) => ({ tree: EpochTree.fromPositions(e, 3, h.tree.positions(), h.tree.leaves()) }),
    },
    {
      what: "an empty position below the count",
      fn: "challenge",
      fraud: "Omitted",
      lie: (e, h) => ({ tree: EpochTree.fromPositions(e, 4, h.tree.positions().map((n, p) => (p === 2 ? EMPTY_NODE : n)), h.tree.leaves()) }),
    },
    ...([0, 2, 3] as const).map((k) => ({
      what: `${k === 0 ? "the first" : k === 3 ? "the last" : "a middle"} run left out (one run fewer attested)`,
      fn: "challengeOmission" as const,
      fraud: "Omitted",
      lie: (e: bigint, h: ReturnType<typeof honestOf>) => ({ tree: liarOf(e, h.plain.filter((_, i) => i !== k)) }),
    })),
    {
      what: "a run twice (one run more attested)",
      fn: "challengeOrder",
      fraud: "Unordered",
      lie: (e, h) => ({ tree: liarOf(e, [h.plain[0]!, h.plain[1]!, h.plain[1]!, h.plain[2]!, h.plain[3]!]) }),
    },
    {
      what: "two runs swapped",
      fn: "challengeOrder",
      fraud: "Unordered",
      lie: (e, h) => ({ tree: liarOf(e, [h.plain[0]!, h.plain[2]!, h.plain[1]!, h.plain[3]!]) }),
    },
    {
      what: "a run never submitted (one run more attested)",
      fn: "challengeLeaf",
      fraud: "Invented",
      lie: (e, h) => ({ tree: liarOf(e, [...h.plain, { runId: h.plain[3]!.runId + 1n, gold: 1_000n }]) }),
    },
    {
      what: "a run of another epoch (one run more attested)",
      fn: "challengeLeaf",
      fraud: "Invented",
      lie: (e, h, { lone }) => ({ tree: liarOf(e, sortedLeaves(e, [...h.plain, { runId: lone.runId, gold: BigInt(lone.gold) }])) }),
    },
    {
      what: "a run's gold 1,000 too high",
      fn: "challengeLeaf",
      fraud: "WrongLeaf",
      lie: (e, h) => ({ tree: liarOf(e, h.plain.map((l, i) => (i === 1 ? { ...l, gold: l.gold + 1_000n } : l))) }),
    },
    {
      what: "a run's node with another sum",
      fn: "challengeLeaf",
      fraud: "WrongLeaf",
      lie: (e, h) => ({
        tree: EpochTree.fromPositions(e, 4, h.tree.positions().map((n, p) => (p === 2 ? { hash: n.hash, sum: n.sum * 2n + 1n } : n))),
      }),
    },
    {
      what: "a hash at a run position (read as a run id: none)",
      fn: "challengeLeaf",
      fraud: "Invented",
      lie: (e, h) => ({ tree: EpochTree.fromPositions(e, 4, h.tree.positions().map((n, p) => (p === 1 ? { hash: keccak256("0xbeef"), sum: n.sum } : n))) }),
    },
    {
      what: "a run position holding (hash 0, sum > 0): gold with no run",
      fn: "challenge",
      fraud: "Omitted",
      lie: (e, h) => ({ tree: EpochTree.fromPositions(e, 4, h.tree.positions().map((n, p) => (p === 2 ? { hash: EMPTY_NODE.hash, sum: 7n } : n))) }),
    },
    {
      what: "a run's leaf lifted above the positions (its two runs hidden under it)",
      fn: "challengeDepth",
      fraud: "WrongDepth",
      lie: (_e, h) => ({ tree: innerLiar(h.tree, (inner) => void (inner[0]![1] = leafNode(h.tree.leaf(2)!)), true) }),
    },
    {
      what: "an inner sum that is not its children's, the total inflated to match",
      fn: "challengeNode",
      fraud: "WrongSum",
      lie: (_e, h) => ({ tree: innerLiar(h.tree, (inner) => void (inner[0]![0] = { ...inner[0]![0]!, sum: inner[0]![0]!.sum + 1_000_000n })) }),
    },
    {
      what: "an empty inner node hiding the last two runs",
      fn: "challengeNode",
      fraud: "WrongDepth",
      lie: (_e, h) => ({ tree: innerLiar(h.tree, (inner) => void (inner[0]![1] = EMPTY_NODE)) }),
    },
    {
      what: "a wrong total over a wrong inner sum on position 0's path (the top opened)",
      fn: "challengeNode",
      fraud: "WrongSum",
      lie: (_e, h) => {
        const tree = innerLiar(h.tree, (inner) => void (inner[0]![0] = { ...inner[0]![0]!, sum: inner[0]![0]!.sum + 5n }));
        return { tree, total: tree.totalGold + 1n };
      },
    },
  ];

  for (const k of cases) {
    it(`${k.what}: ${k.fn}, ${k.fraud}`, async (t) => {
      const { s, epoch, played, lone } = await setup();
      const h = honestOf(epoch, played);
      const { tree, total } = k.lie(epoch, h, { lone });
      const { c, fraud, gas } = await rejects(s, tree, total ?? tree.totalGold, h);
      assert.deepEqual([c.fn, c.kind, fraud], [k.fn, k.fraud, k.fraud]);
      assert.equal(c.inputs !== "0x", c.kind === "WrongLeaf", "only a wrong sum at a run position replays");
      t.diagnostic(`${k.fn} (${k.fraud}): ${gas} gas`);
    });
  }

  for (const [count, fn, fraud] of [
    [2, "challengeLeaf", "Invented"],
    [5, "challengeDepth", "WrongDepth"],
  ] as const) {
    it(`the honest root attested with ${count} runs (depth ${count === 2 ? 1 : 3}, not 2): ${fn}, ${fraud}`, async () => {
      const { s, epoch, played } = await setup();
      const h = honestOf(epoch, played);
      const c = depthFraud(h.tree, count, h.tree.totalGold)!;
      await attestQuorum(s, { epoch, root: h.tree.root, runCount: BigInt(count), totalGold: h.tree.totalGold, depth: 0, leaves: [], levels: [], inputs: new Map() });
      const d = { contracts: { settlement: s.settlement.address } } as Deployment;
      const receipt = await receiptOf(s, sendChallenge(s.challenger, d, epoch, c));
      const [ev] = parseEventLogs({ abi: s.settlement.abi, logs: receipt.logs, eventName: "RootRejected" });
      assert.ok(ev);
      assert.deepEqual([c.fn, c.kind, FRAUD_NAMES[ev.args.fraud]], [fn, fraud, fraud]);
    });
  }

  it("an epoch without runs attested anyway (the count is not checked on-chain): challengeLeaf, Invented", async () => {
    const { s, epoch, played } = await setup();
    const empty = epoch + 1n;
    await mineToEpochEnd(s, empty);
    const lie = liarOf(empty, [{ runId: played[0]!.runId, gold: 50n }, { runId: played[1]!.runId + 7n, gold: 9n }].sort((a, b) => (a.runId < b.runId ? -1 : 1)));
    const { c, fraud } = await rejects(s, lie, lie.totalGold, { tree: null, runs: [] });
    assert.deepEqual([c.fn, c.kind, fraud], ["challengeLeaf", "Invented", "Invented"]);
  });

  it("a one-run epoch's wrong total: its leaf opened with the attested total as its sum (challengeLeaf, WrongLeaf)", async () => {
    const { s, lone } = await setup();
    const h = honestOf(lone.epoch, [lone]);
    assert.equal(h.tree.depth, 0);
    const { c, fraud } = await rejects(s, h.tree, h.tree.totalGold + 5n, h);
    assert.deepEqual([c.fn, c.kind, fraud], ["challengeLeaf", "WrongLeaf", "WrongLeaf"]);
  });

  it("an opaque inner node (no hash of its children, no run's id) hides the runs under it: nothing to open (the unreadable tree)", async () => {
    const { epoch, played } = await setup();
    const h = honestOf(epoch, played);
    const lie = innerLiar(h.tree, (inner) => void (inner[0]![0] = { hash: keccak256("0x0bad"), sum: inner[0]![0]!.sum }), true);
    const theirs = loadTree(JSON.parse(JSON.stringify(dumpTree(lie))), { epoch, runCount: 4, root: lie.root });
    assert.equal(findFraud(theirs, lie.totalGold, h.tree, h.runs), null);
    assert.equal(theirs.reachesRoot(0, 0), false);
  });

  it("challengeOmission of a run not submitted in the epoch is refused: RunNotInEpoch", async () => {
    const { s, epoch, played, lone } = await setup();
    const h = honestOf(epoch, played);
    await attestQuorum(s, { epoch, root: h.tree.root, runCount: 4n, totalGold: h.tree.totalGold, depth: 2, leaves: [], levels: [], inputs: new Map() });
    await assert.rejects(
      s.settlement.simulate.challengeOmission([epoch, lone.runId, [h.tree.opening(3)!]], { account: s.challenger.account.address }),
      /RunNotInEpoch/,
    );
  });
});

/**
 * Duties in isolation (game/worker/duties/), with a fake chain: a view of the epoch as the loop would read it, fake
 * trees and events, a sender that fails or succeeds on demand, and a clock driven by hand. No node, no processes.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pino } from "pino";
import type { Address, Hash, Hex, TransactionReceipt } from "viem";
import { EpochTree, type TreeLeaf } from "../../game/chain/tree.js";
import { EpochStatus, type EpochView } from "../../game/worker/contracts.js";
import { attestationDigest, blsKey, deriveBlsSecretKey, verify } from "../../game/chain/bls.js";
import { SignDuty } from "../../game/worker/duties/sign.js";
import { SignatureBook } from "../../game/worker/signatures.js";
import { ChallengeDuty } from "../../game/worker/duties/challenge.js";
import { ClaimDuty } from "../../game/worker/duties/claim.js";
import type { DutyDeps } from "../../game/worker/duties/duty.js";
import type { OwnTree, TreeSource } from "../../game/worker/epoch-data.js";
import type { SettlementEvents } from "../../game/worker/events.js";
import { WorkerMetrics } from "../../game/worker/metrics.js";
import type { SendResult, SettlementCall } from "../../game/worker/tx.js";

const ME: Address = "0x00000000000000000000000000000000000000a1";
const TX: Hash = `0x${"ab".repeat(32)}`;

function leaves(n: number, extra = 0n): TreeLeaf[] {
  return Array.from({ length: n }, (_, i) => ({ index: BigInt(i), runId: BigInt(1000 + i), gold: BigInt(10 * i) + (i === 0 ? extra : 0n) }));
}

/** A fake world: its clock, log lines, sent calls and the sender's next answers. */
function world() {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: "debug" }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  const calls: SettlementCall[] = [];
  const answers: (Error | "sent" | "skipped")[] = [];
  const clock = { now: 1_000_000 };
  const metrics = new WorkerMetrics();
  const deps: DutyDeps = {
    me: ME,
    log,
    metrics,
    now: () => clock.now,
    backoff: { baseMs: 1_000, capMs: 4_000 },
    send: async (call): Promise<SendResult> => {
      calls.push(call);
      const a = answers.shift() ?? "sent";
      if (a instanceof Error) throw a;
      return a === "sent" ? { status: "sent", hash: TX, receipt: {} as TransactionReceipt } : { status: "skipped", reason: "AlreadyAttested" };
    },
  };
  const msgs = (m: string) => lines.filter((l) => typeof l.msg === "string" && l.msg.startsWith(m));
  return { deps, lines, calls, answers, clock, metrics, msgs };
}

const view = (over: Partial<EpochView> = {}): EpochView => ({
  epoch: 4n,
  safe: 120n,
  runCount: 3n,
  status: EpochStatus.Open,
  round: 0n,
  root: undefined,
  eligible: true,
  ...over,
});

function ownTree(epoch: bigint, extra = 0n): OwnTree {
  const l = leaves(3, extra);
  const tree = EpochTree.fromLeaves(epoch, l);
  return { tree, total: tree.totalGold, runs: l.map((x) => ({ runId: x.runId, player: ME, seed: "0x01", inputs: "0x" })) };
}

describe("the sign duty, alone", () => {
  const trees: Pick<TreeSource, "ownTree"> = { ownTree: async (epoch) => ownTree(epoch) };
  const key = blsKey(deriveBlsSecretKey(`0x${"42".repeat(32)}`));
  const SETTLEMENT: Address = "0x00000000000000000000000000000000000005e7";
  const signer = { key, index: () => 3n as bigint | undefined, chainId: 31337, settlement: SETTLEMENT };

  it("signs the root it replayed once per round with its BLS key, sends nothing, and serves it from the book", async () => {
    const w = world();
    const book = new SignatureBook();
    const duty = new SignDuty(w.deps, trees, book, signer);
    assert.equal(await duty.step(view()), "pending");
    assert.equal(w.calls.length, 0, "signing is no transaction");
    const s = book.get(4n, 0n)!;
    const own = ownTree(4n);
    assert.deepEqual([s.root, s.runCount, s.totalGold, s.index], [own.tree.root, "3", own.total.toString(), "3"]);
    const digest = attestationDigest({ chainId: 31337, settlement: SETTLEMENT, epoch: 4n, round: 0n, root: own.tree.root, runCount: 3n, totalGold: own.total });
    assert.equal(verify(key.publicKey, digest, s.signature), true, "a signature of the attestation digest under its key");
    assert.equal(w.msgs("signed epoch")[0]?.epoch, 4);
    assert.equal(duty.lastEpochSigned, 4n);
    assert.equal(duty.health().lastSuccessBlock, 120);
    // A new round (the root was rejected) gets a new signature, bound to its round.
    await duty.step(view({ round: 1n }));
    assert.notEqual(book.get(4n, 1n)!.signature, s.signature);
    // Not in the signer set: nothing signed.
    const other = new SignatureBook();
    await new SignDuty(w.deps, trees, other, signer).step(view({ eligible: false, epoch: 5n }));
    assert.equal(other.get(5n, 0n), undefined);
  });

  it("counts a failed replay as a replay error, retries it with backoff, and leaves an RPC outage to the loop", async () => {
    const w = world();
    let fail: Error | undefined = new Error("epoch 4: found 2 RunSubmitted events, the registry counts 3");
    const flaky: Pick<TreeSource, "ownTree"> = {
      ownTree: async (epoch) => {
        if (fail !== undefined) throw fail;
        return ownTree(epoch);
      },
    };
    const book = new SignatureBook();
    const duty = new SignDuty(w.deps, flaky, book, signer);
    await duty.step(view());
    const [first] = w.msgs("could not fetch or replay");
    assert.equal(first?.kind, "replay");
    assert.equal(first?.retryInMs, 1_000);
    await duty.step(view());
    assert.equal(duty.health().failing[0]?.attempts, 1, "not again before the pause has passed");
    fail = new Error("fetch failed");
    w.clock.now += 1_000;
    await assert.rejects(duty.step(view()), /fetch failed/, "the RPC's failure goes to the loop");
    assert.equal(duty.health().failing[0]?.attempts, 1, "and is not the duty's");
    fail = undefined;
    w.clock.now += 10_000;
    await duty.step(view());
    assert.ok(book.get(4n, 0n), "signed once the replay works");
    assert.deepEqual(duty.health().failing, []);
    // Moot once the epoch is no longer open.
    assert.equal(await duty.step(view({ status: EpochStatus.Challengeable, root: `0x${"11".repeat(32)}` })), "settled");
  });
});

describe("the challenge duty, alone", () => {
  const honest = ownTree(4n);
  const lie = ownTree(4n, 1_000n).tree;
  const quorum = (over: Partial<EpochView> = {}) => view({ status: EpochStatus.Challengeable, root: lie.root, ...over });
  const attestation = (t: EpochTree, total = t.totalGold) => () => ({ runCount: BigInt(t.runCount), totalGold: total });
  const events: Pick<SettlementEvents, "attestedBy" | "quorumAttestation"> = { attestedBy: () => [], quorumAttestation: attestation(lie) };

  it("challenges a wrong gold with the leaf that shows it (challengeLeaf, with the run's inputs)", async () => {
    const w = world();
    const trees: TreeSource = { ownTree: async () => honest, foreignTree: async () => lie };
    const duty = new ChallengeDuty(w.deps, trees, events);
    await duty.step(quorum());
    assert.equal(w.calls.length, 1);
    const call = w.calls[0]!;
    assert.ok(call.functionName === "challengeLeaf");
    assert.equal(call.args[0], 4n);
    assert.equal(call.args[1].position, 0n, "the lie is at position 0");
    assert.equal(call.args[1].runId, 1000n);
    const [sent] = w.msgs("challenged a wrong root");
    assert.equal(sent?.fraud, "WrongLeaf");
    assert.equal(sent?.call, "challengeLeaf");
  });

  it("a tree of another run count (a run left out) is a tree to challenge: challengeOmission", async () => {
    const w = world();
    const short = EpochTree.fromLeaves(4n, [honest.tree.leaf(0)!, { ...honest.tree.leaf(2)!, index: 1n }]);
    const duty = new ChallengeDuty(w.deps, { ownTree: async () => honest, foreignTree: async () => short }, {
      attestedBy: () => [],
      quorumAttestation: attestation(short),
    });
    await duty.step(quorum({ root: short.root }));
    const call = w.calls[0]!;
    assert.ok(call.functionName === "challengeOmission");
    assert.equal(call.args[1], 1001n, "the run left out");
    assert.deepEqual(call.args[2].map((n) => n.position), [0n, 1n], "between its two neighbours");
    assert.equal(w.msgs("challenged a wrong root")[0]?.attestedRuns, 2);
  });

  it("the honest root with a wrong run count: an empty position below it (same depth), or another depth", async () => {
    const w = world();
    const trees: TreeSource = { ownTree: async () => honest, foreignTree: async () => null };
    const long = new ChallengeDuty(w.deps, trees, { attestedBy: () => [], quorumAttestation: () => ({ runCount: 4n, totalGold: honest.total }) });
    await long.step(quorum({ root: honest.tree.root }));
    assert.ok(w.calls[0]!.functionName === "challenge");
    assert.equal(w.calls[0]!.args[1], 3n, "Omitted: the empty fourth position below the count of 4");
    assert.equal(w.msgs("challenged a wrong root")[0]?.fraud, "Omitted");
    const w2 = world();
    const short = new ChallengeDuty(w2.deps, trees, { attestedBy: () => [], quorumAttestation: () => ({ runCount: 2n, totalGold: honest.total }) });
    await short.step(quorum({ root: honest.tree.root }));
    assert.equal(w2.calls[0]!.functionName, "challengeLeaf", "2 runs make a tree of depth 1: its positions are inner nodes, no run's id");
    assert.equal(w2.msgs("challenged a wrong root")[0]?.fraud, "Invented");
    const w3 = world();
    const deep = new ChallengeDuty(w3.deps, trees, { attestedBy: () => [], quorumAttestation: () => ({ runCount: 5n, totalGold: honest.total }) });
    await deep.step(quorum({ root: honest.tree.root }));
    assert.equal(w3.calls[0]!.functionName, "challengeDepth", "5 runs make a tree of depth 3; the root's leaves are at depth 2");
  });

  it("an epoch without runs with a quorum root anyway: every leaf is invented (challengeLeaf, no inputs)", async () => {
    const w = world();
    const duty = new ChallengeDuty(w.deps, { ownTree: async () => assert.fail("no tree of an empty epoch"), foreignTree: async () => lie }, events);
    await duty.step(quorum({ runCount: 0n }));
    const call = w.calls[0]!;
    assert.ok(call.functionName === "challengeLeaf");
    assert.deepEqual([call.args[1].position, call.args[2]], [0n, "0x"]);
    assert.equal(w.msgs("challenged a wrong root")[0]?.fraud, "Invented");
  });

  it("agrees with its own root, and sends nothing", async () => {
    const w = world();
    const duty = new ChallengeDuty(w.deps, { ownTree: async () => honest, foreignTree: async () => null }, {
      attestedBy: () => [],
      quorumAttestation: attestation(honest.tree),
    });
    await duty.step(quorum({ root: honest.tree.root }));
    assert.equal(w.calls.length, 0);
    assert.deepEqual(duty.health().failing, []);
  });

  it("keeps asking peers for a missing tree with backoff until the window closes", async () => {
    const w = world();
    let served: EpochTree | null = null;
    const duty = new ChallengeDuty(w.deps, { ownTree: async () => honest, foreignTree: async () => served }, events);
    for (let i = 0; i < 4; i++) {
      await duty.step(quorum());
      w.clock.now += 4_000;
    }
    const missing = w.msgs("a wrong root reached quorum but its tree is unavailable");
    assert.equal(missing.length, 4, "each failure is logged with what to do");
    assert.deepEqual(missing.map((l) => l.retryInMs), [1_000, 2_000, 4_000, 4_000], "capped backoff");
    assert.ok(missing.every((l) => l.kind === "tree"));
    served = lie;
    await duty.step(quorum());
    assert.equal(w.calls.length, 1, "a peer serves it now: challenged");

    const w2 = world();
    const blind = new ChallengeDuty(w2.deps, { ownTree: async () => honest, foreignTree: async () => null }, events);
    await blind.step(quorum());
    assert.equal(await blind.step(quorum({ status: EpochStatus.Finalizable })), "settled");
    assert.ok(w2.msgs("challenge: gave up after 1 failed attempt(s): the epoch is Finalizable")[0]);
  });
});

describe("the claim duty, alone", () => {
  const root: Hex = `0x${"22".repeat(32)}`;
  const final = (over: Partial<EpochView> = {}) => view({ status: EpochStatus.Final, root, ...over });
  /** Epoch 4's attestation left out index 7; epoch 5's left out this worker (index 3). */
  const nonSigners = async (epoch: bigint) => (epoch === 5n ? [3n, 7n] : [7n]);

  it("claims the reward of a final root it signed, once, proving it with the non-signer list; not one it did not sign", async () => {
    const w = world();
    const duty = new ClaimDuty(w.deps, { rewarded: () => false }, nonSigners, () => 3n);
    assert.equal(await duty.step(final()), "settled");
    assert.equal(await duty.step(final()), "settled");
    assert.deepEqual(w.calls, [{ functionName: "claimAttesterReward", args: [4n, 3n, [7n]] }]);
    assert.equal(w.msgs("claimed attester reward")[0]?.epoch, 4);
    assert.equal(await duty.step(final({ epoch: 5n })), "settled", "epoch 5's attestation lists it as a non-signer");
    assert.equal(w.calls.length, 1);
    assert.equal(await duty.step(view({ epoch: 6n, status: EpochStatus.Finalizable })), "pending", "not final yet");
  });

  it("retries a backlog claim with backoff until it is paid", async () => {
    const w = world();
    const duty = new ClaimDuty(w.deps, { rewarded: () => false }, nonSigners, () => 3n);
    duty.enqueue([1n, 2n]);
    w.answers.push(new Error("insufficient funds for gas"), "skipped");
    await duty.background(100n);
    assert.equal(w.msgs("claiming the attester reward failed")[0]?.epoch, 1);
    assert.equal(w.calls.length, 2, "epoch 2's reward was already paid: skipped, and done");
    await duty.background(101n);
    assert.equal(w.calls.length, 2, "epoch 1 waits for its pause");
    w.clock.now += 1_000;
    await duty.background(102n);
    assert.deepEqual(w.calls.map((c) => c.args[0]), [1n, 2n, 1n]);
    assert.equal(w.msgs("claimed attester reward")[0]?.epoch, 1);
    assert.equal(duty.health().lastSuccessBlock, 102);
    await duty.background(103n);
    assert.equal(w.calls.length, 3, "the backlog is empty");
  });
});

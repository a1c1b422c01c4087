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
import { AttestDuty } from "../../game/worker/duties/attest.js";
import { ChallengeDuty } from "../../game/worker/duties/challenge.js";
import { ClaimDuty } from "../../game/worker/duties/claim.js";
import type { DutyDeps } from "../../game/worker/duties/duty.js";
import type { OwnTree, TreeSource } from "../../game/worker/epoch-data.js";
import type { Attestation, SettlementEvents } from "../../game/worker/events.js";
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
  return { tree, total: tree.totalGold, runs: l.map((x) => ({ ...x, player: ME, seed: "0x01", inputs: "0x" })) };
}

describe("the attest duty, alone", () => {
  const trees: Pick<TreeSource, "ownTree"> = { ownTree: async (epoch) => ownTree(epoch) };

  it("retries a failed attestation with backoff, attests once it goes through, and says so", async () => {
    const w = world();
    const attested: Attestation[] = [];
    const duty = new AttestDuty(w.deps, trees, { attestedBy: () => attested });
    w.answers.push(new Error("insufficient funds for gas"), new Error("insufficient funds for gas"));

    assert.equal(await duty.step(view()), "pending");
    assert.equal(w.calls.length, 1);
    const [first] = w.msgs("the attestation failed");
    assert.equal(first?.kind, "attest");
    assert.equal(first?.attempt, 1);
    assert.equal(first?.retryInMs, 1_000);
    assert.deepEqual(duty.health().failing.map((f) => [f.epoch, f.attempts]), [[4, 1]]);

    await duty.step(view());
    assert.equal(w.calls.length, 1, "not again before the pause has passed");
    w.clock.now += 1_000;
    await duty.step(view());
    assert.equal(w.calls.length, 2);
    assert.equal(w.msgs("the attestation failed")[1]?.retryInMs, 2_000, "the pause doubles");
    w.clock.now += 2_000;
    await duty.step(view());
    assert.equal(w.calls.length, 3);
    const call = w.calls[2]!;
    assert.equal(call.functionName, "attest");
    assert.deepEqual(call.args, [4n, ownTree(4n).tree.root, 3n, ownTree(4n).total]);
    const [ok] = w.msgs("attested epoch");
    assert.equal(ok?.epoch, 4);
    assert.equal(ok?.tx, TX);
    assert.equal(duty.lastEpochAttested, 4n);
    const h = duty.health();
    assert.deepEqual(h.failing, [], "nothing failing once it went through");
    assert.equal(h.lastSuccessBlock, 120);
    assert.equal(h.lastSuccessEpoch, 4);
    assert.equal((await w.metrics.epochsAttested.get()).values[0]?.value, 1);

    // Once its attestation is on-chain, the duty sends nothing more in that round.
    attested.push({ worker: ME, root: call.args[1] as Hex, round: 0n, runCount: 3n, totalGold: 0n, tx: TX });
    await duty.step(view());
    assert.equal(w.calls.length, 3);
  });

  it("gives up only when the chain says the attestation is moot, and says why", async () => {
    const w = world();
    const duty = new AttestDuty(w.deps, trees, { attestedBy: () => [] });
    w.answers.push(new Error("nonce too low"));
    await duty.step(view());
    assert.equal(duty.health().failing.length, 1);
    w.clock.now += 60_000;
    assert.equal(await duty.step(view({ status: EpochStatus.Challengeable, root: `0x${"11".repeat(32)}` })), "settled");
    assert.equal(w.calls.length, 1, "nothing sent once the epoch is no longer open");
    const [gaveUp] = w.msgs("attest: gave up after 1 failed attempt(s): the epoch is Challengeable");
    assert.ok(gaveUp, w.lines.map((l) => l.msg).join("\n"));
    assert.equal(gaveUp.lastError, "nonce too low");
    assert.deepEqual(duty.health().failing, []);
  });

  it("counts a failed replay as a replay error, and leaves an RPC outage to the loop", async () => {
    const w = world();
    let fail: Error | undefined = new Error("epoch 4: found 2 RunSubmitted events, the registry counts 3");
    const flaky: Pick<TreeSource, "ownTree"> = {
      ownTree: async (epoch) => {
        if (fail !== undefined) throw fail;
        return ownTree(epoch);
      },
    };
    const duty = new AttestDuty(w.deps, flaky, { attestedBy: () => [] });
    await duty.step(view());
    assert.equal(w.msgs("could not fetch or replay")[0]?.kind, "replay");
    assert.equal(w.calls.length, 0);
    fail = new Error("fetch failed");
    w.clock.now += 1_000;
    await assert.rejects(duty.step(view()), /fetch failed/, "the RPC's failure goes to the loop");
    assert.equal(duty.health().failing[0]?.attempts, 1, "and is not the duty's");
  });
});

describe("the challenge duty, alone", () => {
  const honest = ownTree(4n);
  const lie = ownTree(4n, 1_000n).tree;
  const quorum = (over: Partial<EpochView> = {}) => view({ status: EpochStatus.Challengeable, root: lie.root, ...over });
  const events: Pick<SettlementEvents, "attestedBy" | "quorumTotal"> = { attestedBy: () => [], quorumTotal: () => lie.totalGold };

  it("challenges a wrong quorum root at the position that shows it", async () => {
    const w = world();
    const trees: TreeSource = { ownTree: async () => honest, foreignTree: async () => lie };
    const duty = new ChallengeDuty(w.deps, trees, events);
    await duty.step(quorum());
    assert.equal(w.calls.length, 1);
    const call = w.calls[0]!;
    assert.equal(call.functionName, "challenge");
    assert.equal(call.args[0], 4n);
    assert.equal(call.args[1], 0n, "the lie is at position 0");
    const [sent] = w.msgs("challenged a wrong root");
    assert.equal(sent?.fraud, "WrongLeaf");
  });

  it("agrees with its own root, and sends nothing", async () => {
    const w = world();
    const duty = new ChallengeDuty(w.deps, { ownTree: async () => honest, foreignTree: async () => null }, {
      attestedBy: () => [],
      quorumTotal: () => honest.total,
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
  const mine: Attestation = { worker: ME, root, round: 0n, runCount: 3n, totalGold: 30n, tx: TX };

  it("claims the reward of a final root it attested, once; not one it did not attest", async () => {
    const w = world();
    const duty = new ClaimDuty(w.deps, { attestedBy: (e) => (e === 4n ? [mine] : []), rewarded: () => false });
    assert.equal(await duty.step(final()), "settled");
    assert.equal(await duty.step(final()), "settled");
    assert.deepEqual(w.calls, [{ functionName: "claimAttesterReward", args: [4n] }]);
    assert.equal(w.msgs("claimed attester reward")[0]?.epoch, 4);
    assert.equal(await duty.step(final({ epoch: 5n })), "settled", "epoch 5's final root is not one it attested");
    assert.equal(w.calls.length, 1);
    assert.equal(await duty.step(view({ epoch: 6n, status: EpochStatus.Finalizable })), "pending", "not final yet");
  });

  it("retries a backlog claim with backoff until it is paid", async () => {
    const w = world();
    const duty = new ClaimDuty(w.deps, { attestedBy: () => [], rewarded: () => false });
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

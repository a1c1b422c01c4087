/**
 * Worker nodes against a real `hardhat node`, as child processes (`node --import tsx game/worker/main.ts`).
 *
 * 1. Three honest workers bond themselves (--bond 1) and settle an epoch: the root they attest is the one an
 *    independent replay of the chain's events gives, it reaches quorum (2 of 3 equal bonds are enough), becomes final, and each
 *    worker claims its attester reward.
 * 2. A liar among them. With the default quorum (66.67% of bonded stake AND at least 2 workers) a lone liar can never
 *    reach quorum, and only a quorum root can be challenged: a wrong root that does not reach quorum simply loses.
 *    The case that matters is a wrong root that does reach quorum, so this deployment lets one whale do it: the liar
 *    bonds 7 sgETH against three honest workers' 1 each (70% of the stake: it signs and aggregates alone). `slashBps` is
 *    100%, because with a 50% slash the liar would keep 3.5 of 6.5 bonded sgETH and the honest 3 could never reach
 *    66.67% again (the epoch would go to the fallback instead). The liar serves its tree on /trees like any worker;
 *    the honest workers fetch it (--peers), challenge the wrong leaf, the liar is slashed, and in the next round the
 *    honest root becomes final.
 * 3. The same liar attesting the honest root with a total 10x too high (plus 1,000, so that an epoch whose runs
 *    found no gold still gets a wrong total): the honest workers challenge it with their own tree (WrongTotal at
 *    position 0, no replay), and the honest root with the honest total becomes final.
 * 4. The same liar with every other wrong tree of issue 17 (the leaves sorted by run id, the run count attested, not
 *    counted on-chain): a run left out with one run fewer attested (challengeOmission: Omitted), the first run
 *    duplicated with one more (challengeOrder: Unordered), the first two swapped (challengeOrder: Unordered), and a
 *    leaf of a run never submitted with one more (challengeLeaf: Invented). Each is caught by the honest workers from
 *    the liar's /trees dump, the liar is slashed and the honest root becomes final.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { getAddress, parseEventLogs } from "viem";
import { FRAUD_NAMES } from "../../game/chain/fraud.js";
import { rewardSettlementAbi } from "../../game/chain/generated/abis.js";
import { freePort, rpc } from "../../scripts/lib/node.js";
import {
  accountAddress,
  accountKey,
  attestedEvents,
  doubleAttestation,
  expectedRoot,
  playBatch,
  spawnWorker,
  startSystem,
  until,
  slashedOf,
  type System,
  type WorkerProcess,
} from "./harness.js";

const SGETH = 10n ** 21n;
// A challenge window of 20 blocks (8 s at 400 ms): enough for an honest worker on a loaded machine to see the quorum,
// fetch the tree and challenge. At 3 blocks a slow machine lets the wrong root through, as it would on a real chain.
const BASE = { epochBlocks: 5n, challengeWindow: 20n, fallbackDelay: 60n, unbondingDelay: 200n };

async function settlementEvents(s: System) {
  const logs = await s.client.getLogs({ address: s.deployment.contracts.settlement, fromBlock: 0n });
  return parseEventLogs({ abi: rewardSettlementAbi, logs });
}

describe("worker nodes settle epochs", { timeout: 420_000 }, () => {
  describe("three honest workers", () => {
    let s: System;
    const workers: WorkerProcess[] = [];
    before(async () => {
      s = await startSystem(BASE, 400);
      const ports = await Promise.all([0, 1, 2].map(() => freePort()));
      const peers = ports.map((p) => `http://127.0.0.1:${p}`).join(",");
      for (const [k, i] of [10, 11, 12].entries()) {
        const args = ["--bond", "1", "--poll-ms", "200", "--threads", "1", "--metrics-port", String(ports[k]), "--peers", peers];
        workers.push(spawnWorker({ rpc: s.chain.url, key: accountKey(i), deployment: s.deploymentFile, args }));
      }
      await Promise.all(workers.map((w) => w.waitForLog((l) => l.msg === "worker started: following the chain")));
    });
    after(async () => {
      const codes = await Promise.all(workers.map((w) => w.kill("SIGTERM")));
      await s?.cleanup();
      assert.deepEqual(codes, [0, 0, 0], "SIGTERM stops each worker with exit code 0");
    });

    it("attest the independently replayed root, finalize it and claim their rewards", async () => {
      const epoch = await playBatch(s, 1, 6);
      const root = await expectedRoot(s, epoch);
      const finalized = await until("EpochFinalized", async () =>
        (await settlementEvents(s)).find((e) => e.eventName === "EpochFinalized" && e.args.epoch === epoch),
      );
      assert.equal(finalized.eventName === "EpochFinalized" && finalized.args.root, root);
      // One aggregate attestation of the epoch, sent by one worker, signed by at least two (2 of 3 equal bonds are a
      // quorum: the aggregator may send before the third signature is in).
      const attested = (await attestedEvents(s)).filter((e) => e.args.epoch === epoch);
      assert.equal(attested.length, 1, "one aggregate attestation");
      const a = attested[0]!;
      assert.equal(a.args.root, root);
      const signers = Number(a.args.attesters);
      assert.ok(signers >= 2, `signed by ${signers}`);
      assert.equal(a.args.stake, BigInt(signers) * SGETH);
      const submitter = getAddress(a.args.worker!);
      assert.ok([10, 11, 12].map(accountAddress).includes(submitter));
      await workers[[10, 11, 12].map(accountAddress).indexOf(submitter)]!.waitForLog((l) => l.msg === "attested epoch" && l.epoch === Number(epoch));
      // Every signer claims its reward, proving it signed with the attestation's non-signer list.
      const rewarded = await until(`${signers} AttesterRewarded`, async () => {
        const r = (await settlementEvents(s)).filter((e) => e.eventName === "AttesterRewarded" && e.args.epoch === epoch);
        return r.length === signers ? r : undefined;
      });
      const paid = rewarded.map((e) => (e.eventName === "AttesterRewarded" ? getAddress(e.args.worker) : "")).sort();
      assert.equal(new Set(paid).size, signers, "each signer once");
      for (const [k, w] of workers.entries()) {
        if (!paid.includes(accountAddress(10 + k))) continue;
        await w.waitForLog((l) => l.msg === "signed epoch" && l.epoch === Number(epoch));
      }
    });
  });

  for (const lie of [
    { mode: "gold", what: "wrong root", fraud: "WrongLeaf", call: "challengeLeaf" },
    { mode: "total", what: "honest root with a total 10x too high", fraud: "WrongTotal", call: "challenge" },
    { mode: "omit", what: "tree without one run (one run fewer attested)", fraud: "Omitted", call: "challengeOmission" },
    { mode: "duplicate", what: "tree with a run twice (one run more attested)", fraud: "Unordered", call: "challengeOrder" },
    { mode: "swap", what: "tree with two runs swapped", fraud: "Unordered", call: "challengeOrder" },
    { mode: "invent", what: "tree with a run never submitted (one run more attested)", fraud: "Invented", call: "challengeLeaf" },
  ] as const) describe(`a liar's ${lie.what}, reaching quorum`, () => {
    let s: System;
    const workers: WorkerProcess[] = [];
    let liar: WorkerProcess;
    before(async () => {
      s = await startSystem({ ...BASE, slashBps: 10_000n }, 400);
      const ports = await Promise.all([0, 1, 2, 3].map(() => freePort()));
      const peers = ports.map((p) => `http://127.0.0.1:${p}`).join(",");
      const common = (port: number) => ["--poll-ms", "200", "--threads", "1", "--metrics-port", String(port), "--peers", peers];
      liar = spawnWorker({
        rpc: s.chain.url,
        key: accountKey(13),
        deployment: s.deploymentFile,
        entry: "test-support/liar-worker.ts",
        env: { SURGE_LIAR: lie.mode },
        args: ["--bond", "7", ...common(ports[3]!)],
      });
      for (const [k, i] of [10, 11, 12].entries()) {
        workers.push(
          spawnWorker({ rpc: s.chain.url, key: accountKey(i), deployment: s.deploymentFile, args: ["--bond", "1", ...common(ports[k]!)] }),
        );
      }
      await Promise.all([...workers, liar].map((w) => w.waitForLog((l) => l.msg === "worker started: following the chain")));
    });
    after(async () => {
      await Promise.all([...workers, liar].map((w) => w?.kill("SIGTERM")));
      await s?.cleanup();
    });

    it("is challenged and slashed, and the honest root becomes final", async () => {
      const epoch = await playBatch(s, 2, 4);
      const root = await expectedRoot(s, epoch);
      // The liar's root reaches quorum alone. From then on the chain only moves by transactions (automine): interval
      // mining stops, so the challenge window cannot close on a slow machine before the honest workers have replayed,
      // fetched the tree and challenged. Whether they challenge at all is what this test checks, not how fast.
      await until(
        "QuorumReached",
        async () => (await settlementEvents(s)).find((e) => e.eventName === "QuorumReached" && e.args.epoch === epoch),
        120_000,
      );
      await rpc(s.chain.url, "evm_setIntervalMining", [0]);
      await until(
        "RootRejected",
        async () => (await settlementEvents(s)).find((e) => e.eventName === "RootRejected" && e.args.epoch === epoch),
        180_000,
      );
      await rpc(s.chain.url, "evm_setIntervalMining", [400]);
      const finalized = await until(
        "EpochFinalized",
        async () => (await settlementEvents(s)).find((e) => e.eventName === "EpochFinalized" && e.args.epoch === epoch),
        180_000,
      );
      const events = await settlementEvents(s);
      const rejected = events.filter((e) => e.eventName === "RootRejected");
      assert.equal(rejected.length, 1, "exactly one root was rejected");
      const r = rejected[0]!;
      assert.ok(r.eventName === "RootRejected");
      assert.equal(r.args.epoch, epoch);
      if (lie.mode !== "total") assert.notEqual(r.args.root, root, "the rejected root is not the honest one");
      else assert.equal(r.args.root, root, "the honest root was rejected: its attested total was wrong");
      assert.equal(FRAUD_NAMES[r.args.fraud], lie.fraud);
      if (lie.mode === "total") assert.equal(r.args.position, 0n, "a wrong total shows at any position: the first");
      assert.ok([10, 11, 12].map(accountAddress).includes(getAddress(r.args.challenger)), "an honest worker challenged");
      assert.equal(await slashedOf(s, accountAddress(13)), 7n * SGETH, "the liar lost its whole bond");
      for (const i of [10, 11, 12]) assert.equal(await slashedOf(s, accountAddress(i)), 0n);
      assert.ok(finalized.eventName === "EpochFinalized");
      assert.equal(finalized.args.root, root, "the honest root is final");
      // The next round's attestation is the honest workers' signatures (anyone may submit it: the slashed liar, no
      // longer a signer, aggregates its peers' signatures too), with the total they replayed.
      const next = (await attestedEvents(s)).find((e) => e.args.epoch === epoch && e.args.round === r.args.round + 1n)!;
      assert.equal(next.args.root, root);
      // The liar is out of the set (3 sgETH eligible): two or three honest signatures are a quorum.
      assert.ok(next.args.stake! >= 2n * SGETH, "signed by at least two of the three honest workers");
      const signed = workers.flatMap((w) => w.logs()).filter((l) => l.msg === "signed epoch" && l.epoch === Number(epoch) && l.round === 1);
      assert.ok(signed.length >= 2, "the honest workers signed round 1");
      assert.deepEqual([...new Set(signed.map((l) => l.totalGold))], [finalized.args.totalGold.toString()], "with the honest total");
      const attested = await attestedEvents(s);
      assert.equal(doubleAttestation(attested), undefined, "no worker attested twice in a round");
      assert.ok(
        attested.some((e) => getAddress(e.args.worker!) === accountAddress(13) && e.args.root === r.args.root),
        "the liar attested the rejected root",
      );
      const sent = workers.flatMap((w) => w.logs()).filter((l) => l.msg?.toString().startsWith("challenged a wrong root"));
      assert.equal(sent.length, 1, "one challenge was sent (the others saw the root gone)");
      assert.deepEqual([sent[0]!.call, sent[0]!.fraud], [lie.call, lie.fraud], "the contract function the finder named");
      const liarAttested = attested.find((e) => getAddress(e.args.worker!) === accountAddress(13) && e.args.root === r.args.root)!;
      const counted = { omit: -1n, duplicate: 1n, invent: 1n } as Record<string, bigint | undefined>;
      assert.equal(liarAttested.args.runCount, next.args.runCount! + (counted[lie.mode] ?? 0n), "the run count the liar attested");
      await liar.waitForLog((l) => l.msg?.toString().startsWith("a root this worker signed was rejected") === true);
      // Its slash was applied by a worker's slash duty (any worker's, the liar's own included), before the honest
      // attestation could count.
      assert.ok([...workers, liar].flatMap((w) => w.logs()).some((l) => l.msg === "applied a rejected root's slashes"));
    });
  });
});

/**
 * A 10,000-run epoch: three workers (equal bonds) replay it, agree on one root and attest it with the full run
 * count; it reaches quorum and becomes final. The runs are short (the replay cost of long runs is what the bench
 * measures: scripts/bench/worker.ts); what this pins down is paging through 10,000 RunSubmitted events, batching the
 * pool, and building and attesting a 10,000-leaf tree.
 */
import assert from "node:assert/strict";
import { freePort } from "../../scripts/lib/node.js";
import { after, before, describe, it } from "node:test";
import { getAddress } from "viem";
import {
  accountAddress,
  accountKey,
  attestedEvents,
  doubleAttestation,
  epochStatus,
  fillEpoch,
  mineTo,
  spawnWorker,
  startSystem,
  until,
  type System,
  type WorkerProcess,
} from "./harness.js";

const RUNS = 10_000;

describe("a 10,000-run epoch", { timeout: 300_000 }, () => {
  let s: System;
  const workers: WorkerProcess[] = [];
  before(async () => {
    // quorumBps 100%: every worker must sign (2 of 3 would do by default), so all three replays are checked.
    s = await startSystem({ epochBlocks: 100n, challengeWindow: 3n, fallbackDelay: 200n, unbondingDelay: 400n, quorumBps: 10_000n });
    const ports = await Promise.all([0, 1, 2].map(() => freePort()));
    const peers = ports.map((p) => `http://127.0.0.1:${p}`).join(",");
    for (const [k, i] of [10, 11, 12].entries()) {
      workers.push(
        spawnWorker({
          rpc: s.chain.url,
          key: accountKey(i),
          deployment: s.deploymentFile,
          // Small log pages on purpose: the runs span many pages.
          args: ["--bond", "1", "--poll-ms", "250", "--log-page-blocks", "16", "--metrics-port", String(ports[k]), "--peers", peers],
        }),
      );
    }
    await Promise.all(workers.map((w) => w.waitForLog((l) => l.msg === "worker started: following the chain")));
  });
  after(async () => {
    await Promise.all(workers.map((w) => w.kill("SIGTERM")));
    await s?.cleanup();
  });

  it("is replayed, attested by all three workers with the same root, and becomes final", async () => {
    const { epoch, end } = await fillEpoch(s, RUNS);
    await mineTo(s.chain.url, end);
    const attested = await until(
      "the aggregate attestation",
      async () => {
        const a = (await attestedEvents(s)).filter((e) => e.args.epoch === epoch);
        return a.length > 0 ? a : undefined;
      },
      240_000,
    );
    assert.equal(attested.length, 1, "one aggregate attestation");
    assert.equal(attested[0]!.args.attesters, 3n, "signed by all three workers: their three replays agree on one root");
    assert.ok([10, 11, 12].map(accountAddress).includes(getAddress(attested[0]!.args.worker!)));
    assert.equal(attested[0]!.args.runCount, BigInt(RUNS), "attested with the full run count");
    assert.equal(doubleAttestation(attested), undefined);
    // Blocks only advance with transactions here: mine through the challenge window, then a worker finalizes.
    const head = await s.client.getBlockNumber();
    await mineTo(s.chain.url, head + 5n);
    await until("final", async () => ((await epochStatus(s, epoch)) === 3 ? true : undefined), 60_000);
  });
});

/**
 * A reorg above the confirmation depth does not mislead a worker: with --confirmations 6 it sees an epoch whose runs
 * are then dropped by a reorg (evm_snapshot / evm_revert on the node) and replaced by other runs, and it attests only
 * the runs of the chain that stayed. The epoch (3 blocks) ends within the dropped blocks, so a worker that acted on
 * unconfirmed blocks would have attested the dropped runs' root.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { getAddress, type Hex } from "viem";
import { freePort, rpc } from "../../scripts/lib/node.js";
import {
  accountAddress,
  accountKey,
  attestedEvents,
  expectedRoot,
  fundPlayers,
  getJson,
  mineTo,
  playRuns,
  runCount,
  shortInputs,
  spawnWorker,
  startSystem,
  until,
  type System,
  type WorkerProcess,
} from "./harness.js";

const CONFIRMATIONS = 6n;

describe("a reorg above the confirmation depth", { timeout: 240_000 }, () => {
  let s: System;
  let worker: WorkerProcess;
  let port: number;
  before(async () => {
    s = await startSystem({ epochBlocks: 3n, challengeWindow: 3n, fallbackDelay: 60n, unbondingDelay: 200n });
    port = await freePort();
    worker = spawnWorker({
      rpc: s.chain.url,
      key: accountKey(10),
      deployment: s.deploymentFile,
      args: ["--bond", "1", "--poll-ms", "100", "--confirmations", String(CONFIRMATIONS), "--metrics-port", String(port)],
    });
    await worker.waitForLog((l) => l.msg === "worker started: following the chain");
  });
  after(async () => {
    await worker?.kill("SIGTERM");
    await s?.cleanup();
  });

  it("attests only the runs of the chain that stayed", async () => {
    const head = await s.client.getBlockNumber();
    const h = head + 3n - ((head + 1n) % 3n); // the next block is the first of an epoch
    await mineTo(s.chain.url, h);
    const epoch = (h + 1n) / 3n;
    const snapshot = await rpc<Hex>(s.chain.url, "evm_snapshot");

    // The runs that the reorg will drop: 3 runs started in the epoch's first block, submitted in its last (after
    // their seed block); the epoch ends at h + 4.
    const dropped = await fundPlayers(s.chain.url, 3, 20);
    await playRuns(s.chain.url, s.deployment.contracts.runRegistry, dropped, 3, { perBlock: 3 });
    assert.equal(await runCount(s, epoch), 3n);
    await mineTo(s.chain.url, h + CONFIRMATIONS - 1n);
    await until("the worker has seen the head", async () => {
      const health = await getJson(`http://127.0.0.1:${port}/healthz`);
      return health.body?.block === Number(h + CONFIRMATIONS - 1n) ? true : undefined;
    });
    assert.equal((await attestedEvents(s)).length, 0, "nothing attested from unconfirmed blocks");

    // The reorg: those blocks go, and the epoch gets 2 other runs instead.
    assert.equal(await rpc<boolean>(s.chain.url, "evm_revert", [snapshot]), true);
    const kept = await fundPlayers(s.chain.url, 2, 21);
    await playRuns(s.chain.url, s.deployment.contracts.runRegistry, kept, 2, { perBlock: 2, inputs: (i) => shortInputs(i + 7) });
    assert.equal(await runCount(s, epoch), 2n);
    await mineTo(s.chain.url, h + 4n + CONFIRMATIONS);
    const attested = await until("the attestation", async () => {
      const a = (await attestedEvents(s)).filter((e) => e.args.epoch === epoch);
      return a.length > 0 ? a : undefined;
    });
    assert.equal(attested.length, 1);
    assert.equal(getAddress(attested[0]!.args.worker!), accountAddress(10));
    assert.equal(attested[0]!.args.runCount, 2n);
    assert.equal(attested[0]!.args.root, await expectedRoot(s, epoch));
  });
});

/**
 * Workers survive what operators see: a crash (SIGKILL) and restart, and an RPC endpoint that goes away and comes
 * back. Three workers with equal bonds, and a quorum of 100% of the stake, so every epoch needs all three: an epoch cannot
 * settle while one of them is down, and settles once it is back, which is how "no epoch lost" shows.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { getAddress, parseEventLogs } from "viem";
import { rewardSettlementAbi } from "../../game/chain/generated/abis.js";
import { freePort } from "../../scripts/lib/node.js";
import {
  accountAddress,
  accountKey,
  attestedEvents,
  doubleAttestation,
  epochStatus,
  getJson,
  playBatch,
  spawnWorker,
  startProxy,
  startSystem,
  until,
  type Proxy,
  type System,
  type WorkerProcess,
} from "./harness.js";

// quorumBps 100% (the default 66.66% lets 2 of 3 settle): an epoch waits for the worker that is down.
const BASE = { epochBlocks: 5n, challengeWindow: 3n, fallbackDelay: 120n, unbondingDelay: 300n, quorumBps: 10_000n };
const FINAL = 3;
const started = (l: Record<string, unknown>) => l.msg === "worker started: following the chain";

async function finalized(s: System, epoch: bigint) {
  return until(`epoch ${epoch} final`, async () => ((await epochStatus(s, epoch)) === FINAL ? true : undefined), 180_000);
}

describe("worker robustness", { timeout: 300_000 }, () => {
  describe("a worker killed mid-epoch and restarted", () => {
    let s: System;
    const workers: WorkerProcess[] = [];
    let args: (k: number) => string[];
    before(async () => {
      s = await startSystem(BASE, 400);
      const ports = await Promise.all([0, 1, 2].map(() => freePort()));
      const peers = ports.map((p) => `http://127.0.0.1:${p}`).join(",");
      args = (k) => ["--poll-ms", "200", "--threads", "1", "--metrics-port", String(ports[k]), "--peers", peers];
      for (const [k, i] of [10, 11, 12].entries()) {
        workers.push(spawnWorker({ rpc: s.chain.url, key: accountKey(i), deployment: s.deploymentFile, args: ["--bond", "1", ...args(k)] }));
      }
      await Promise.all(workers.map((w) => w.waitForLog(started)));
    });
    after(async () => {
      await Promise.all(workers.map((w) => w.kill("SIGTERM")));
      await s?.cleanup();
    });

    it("loses no epoch and never attests twice", async () => {
      const victim = accountAddress(12);
      // Epoch A: the victim signs, and is killed at once (its signature may not even have been gathered yet).
      const a = await playBatch(s, 3, 3);
      await workers[2]!.waitForLog((l) => l.msg === "signed epoch" && l.epoch === Number(a));
      assert.equal(await workers[2]!.kill("SIGKILL"), null, "killed by the signal");
      // Epoch B is played while it is down: the two others sign, but the quorum here is all of the stake.
      const b = await playBatch(s, 4, 3);
      await Promise.all(workers.slice(0, 2).map((w) => w.waitForLog((l) => l.msg === "signed epoch" && l.epoch === Number(b))));
      assert.notEqual(await epochStatus(s, b), FINAL, "B cannot settle without the third worker");
      // Restart with the same key (already bonded: no --bond needed); it signs again (BLS signatures are deterministic).
      workers[2] = spawnWorker({ rpc: s.chain.url, key: accountKey(12), deployment: s.deploymentFile, args: args(2) });
      await finalized(s, a);
      await finalized(s, b);
      const events = await attestedEvents(s);
      assert.equal(doubleAttestation(events), undefined, "each worker sent at most one attestation per (epoch, round)");
      for (const e of [a, b]) {
        const of = events.filter((x) => x.args.epoch === e);
        assert.equal(of.length, 1, `one aggregate attestation of epoch ${e}`);
        assert.equal(of[0]!.args.attesters, 3n, `all three signed epoch ${e}, the victim too`);
      }
      // The restarted worker claims its rewards for both epochs (A's from before the crash included).
      await until("the victim's rewards", async () => {
        const logs = await s.client.getLogs({ address: s.deployment.contracts.settlement, fromBlock: 0n });
        const mine = parseEventLogs({ abi: rewardSettlementAbi, logs, eventName: "AttesterRewarded" }).filter(
          (l) => getAddress(l.args.worker) === victim,
        );
        return mine.length === 2 ? true : undefined;
      });
    });
  });

  describe("the RPC goes away and comes back", () => {
    let s: System;
    let proxy: Proxy;
    const workers: WorkerProcess[] = [];
    let port: number;
    before(async () => {
      s = await startSystem(BASE, 400);
      proxy = await startProxy(s.chain.port);
      port = await freePort();
      const ports = [await freePort(), await freePort(), port];
      const peers = ports.map((p) => `http://127.0.0.1:${p}`).join(",");
      const args = (k: number) => ["--bond", "1", "--poll-ms", "200", "--threads", "1", "--metrics-port", String(ports[k]), "--peers", peers];
      for (const [k, i] of [10, 11].entries()) {
        workers.push(spawnWorker({ rpc: s.chain.url, key: accountKey(i), deployment: s.deploymentFile, args: args(k) }));
      }
      workers.push(spawnWorker({ rpc: proxy.url, key: accountKey(12), deployment: s.deploymentFile, args: args(2) }));
      await Promise.all(workers.map((w) => w.waitForLog(started)));
    });
    after(async () => {
      const codes = await Promise.all(workers.map((w) => w.kill("SIGINT")));
      await proxy?.close();
      await s?.cleanup();
      assert.deepEqual(codes, [0, 0, 0], "SIGINT stops each worker with exit code 0");
    });

    it("reports 503 while it is gone, recovers by itself and attests later epochs", async () => {
      const health = `http://127.0.0.1:${port}/healthz`;
      const a = await playBatch(s, 5, 2);
      await finalized(s, a);
      const ok = await until("healthy", async () => {
        const h = await getJson(health);
        return h.status === 200 ? h : undefined;
      });
      assert.equal(ok.body?.ok, true);
      assert.equal(typeof ok.body?.block, "number");

      await proxy.cut();
      const down = await until("503", async () => {
        const h = await getJson(health);
        return h.status === 503 ? h : undefined;
      });
      assert.equal(down.body?.ok, false);
      // An epoch played while the worker is cut off cannot settle without it.
      const b = await playBatch(s, 6, 2);
      await Promise.all(workers.slice(0, 2).map((w) => w.waitForLog((l) => l.msg === "signed epoch" && l.epoch === Number(b))));
      assert.notEqual(await epochStatus(s, b), FINAL);

      await proxy.restore();
      await finalized(s, b);
      const back = await until("200 again", async () => {
        const h = await getJson(health);
        return h.status === 200 ? h : undefined;
      });
      assert.equal(back.body?.lastEpochAttested, Number(b));
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
      assert.match(metrics, /surge_worker_errors_total\{kind="rpc"\} [1-9]/);
      assert.match(metrics, /surge_worker_epochs_attested_total [2-9]/);
      assert.equal(doubleAttestation(await attestedEvents(s)), undefined);
    });
  });
});

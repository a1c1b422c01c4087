/**
 * Smoke test of `npm start` (scripts/devnet.ts) as a user runs it: start it on free ports, wait until it says it is
 * ready, check the chain's RPC, the deployment file, every worker's /healthz and the page; kill a worker with SIGKILL
 * (twice) and see the devnet restart it with a growing backoff and say so; then press Ctrl+C (SIGINT) and check that
 * it exits 0, restarts nothing and leaves no process behind: no port answers and no process of it remains.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseDeployment } from "../../game/chain/deployment.js";
import { ROOT } from "../../scripts/lib/deploy.js";
import { answers, startDevnetProcess, type DevnetProcess } from "../../scripts/lib/devnet-process.js";
import { rpc } from "../../scripts/lib/node.js";
import { workerPidFile } from "../../scripts/lib/paths.js";

const WORKERS = 3;

/** Whether a process with this id exists (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, out: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs / 1000} s: ${what}\n${out().slice(-3_000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function health(port: number): Promise<{ status: number; ok: boolean; worker: string } | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3_000) });
    const body = (await res.json()) as { ok: boolean; worker: string };
    return { status: res.status, ok: body.ok, worker: body.worker };
  } catch {
    return null;
  }
}

describe("npm start (the devnet)", () => {
  let devnet: DevnetProcess;
  let stopped = false;
  before(async () => {
    devnet = await startDevnetProcess({ workers: WORKERS });
  }, { timeout: 600_000 });
  after(async () => {
    if (!stopped) await devnet.stop();
  });

  it("starts chain, contracts, three healthy workers, the indexer and the page", { timeout: 120_000 }, async () => {
    const { url, webPort, metricsPort: metrics, indexerUrl } = devnet;
    assert.equal(await rpc<string>(url, "eth_chainId"), "0x7a69");
    const deployment = parseDeployment(
      JSON.parse(readFileSync(join(ROOT, "public", "deployments", "31337.json"), "utf8")),
      "public/deployments/31337.json",
    );
    const bytecode = await rpc<string>(url, "eth_getCode", [deployment.contracts.settlement, "latest"]);
    assert.ok(bytecode.length > 1_000, "the settlement contract is deployed where the file says");
    assert.deepEqual(
      deployment.workers,
      Array.from({ length: WORKERS }, (_, i) => `http://127.0.0.1:${metrics + i}`),
      "the deployment file lists the workers' /trees servers for players' pages",
    );
    for (let i = 0; i < WORKERS; i++) {
      const res = await fetch(`http://127.0.0.1:${metrics + i}/healthz`);
      assert.equal(res.status, 200, `worker ${i + 1} healthy`);
      const health = (await res.json()) as { ok: boolean; worker: string };
      assert.equal(health.ok, true);
    }
    assert.equal(deployment.indexer, indexerUrl, "the deployment file says where the indexer is");
    const indexer = await fetch(`${indexerUrl}/healthz`);
    assert.equal(indexer.status, 200, "the indexer is healthy");
    const ih = (await indexer.json()) as { ok: boolean; chainId: number; lagBlocks: number };
    assert.deepEqual([ih.ok, ih.chainId], [true, 31337]);
    assert.match(devnet.output(), /indexer: {5}http:\/\/127\.0\.0\.1:\d+\/healthz .*indexed block \d+ of \d+/);
    const page = await fetch(`http://127.0.0.1:${webPort}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<div id="root">/);
    const served = await fetch(`http://127.0.0.1:${webPort}/deployments/31337.json`);
    const servedSettlement = ((await served.json()) as { contracts: { settlement: string } }).contracts.settlement;
    assert.equal(servedSettlement, deployment.contracts.settlement);
  });

  it("restarts a worker killed with SIGKILL, with a growing backoff, and says so", { timeout: 300_000 }, async () => {
    const port = Number(new URL(devnet.url).port);
    const metrics = devnet.metricsPort + 1; // worker 2
    const before = await health(metrics);
    assert.equal(before?.ok, true, "worker 2 is healthy before the kill");
    let pid = devnet.workerPid(2);
    for (const [attempt, delay] of [
      [1, 2],
      [2, 4],
    ] as const) {
      process.kill(pid, "SIGKILL");
      const exited = `devnet: worker 2 exited (signal SIGKILL); restarting in ${delay} s (attempt ${attempt})`;
      await until(`"${exited}"`, () => devnet.output().includes(exited), 30_000, devnet.output);
      assert.equal(alive(pid), false, "the killed process is gone");
      // "is back" once the new process answers /healthz: count them, the first one was said after attempt 1.
      await until(`"worker 2 is back" (${attempt})`, () => devnet.output().split("devnet: worker 2 is back (pid ").length - 1 === attempt, 180_000, devnet.output);
      const next = devnet.workerPid(2);
      assert.notEqual(next, pid, "a new process");
      assert.ok(alive(next), "the new process runs");
      assert.match(devnet.output(), new RegExp(`worker 2 is back \\(pid ${next}\\)`));
      const after = await health(metrics);
      assert.deepEqual([after?.status, after?.ok, after?.worker], [200, true, before!.worker], "the same worker, healthy again");
      pid = next;
    }
    // The other workers were left alone.
    for (const n of [1, 3]) assert.ok(alive(devnet.workerPid(n)), `worker ${n} still runs`);
    assert.ok(existsSync(workerPidFile(port, 2)));
  });

  it("Ctrl+C stops every process and restarts none", { timeout: 120_000 }, async () => {
    const { url, webPort, metricsPort: metrics, indexerUrl } = devnet;
    const port = Number(new URL(url).port);
    const pids = [1, 2, 3].map((n) => devnet.workerPid(n));
    stopped = true;
    const code = await devnet.stop();
    const out = devnet.output();
    assert.equal(code, 0, `exit code after Ctrl+C:\n${out.slice(-3_000)}`);
    assert.match(out, /stopped\./);
    const afterCtrlC = out.slice(out.lastIndexOf("stopping:"));
    assert.doesNotMatch(afterCtrlC, /restarting in/, "no worker is restarted once Ctrl+C is pressed");
    for (const [i, pid] of pids.entries()) {
      assert.equal(alive(pid), false, `worker ${i + 1} (pid ${pid}) stopped`);
      assert.equal(existsSync(workerPidFile(port, i + 1)), false, `worker ${i + 1}'s pid file removed`);
    }
    for (const p of [port, webPort, metrics, metrics + 1, metrics + 2, Number(new URL(indexerUrl).port)]) {
      assert.equal(await answers(`http://127.0.0.1:${p}/`), false, `port ${p} still answers after Ctrl+C`);
    }
    // The chain (`--port P`), the workers (`--rpc http://127.0.0.1:P`) and the devnet itself (`--port P`).
    for (const pattern of [`127.0.0.1 --port ${port}`, `127.0.0.1:${port}`, `devnet.ts --port ${port}`]) {
      const left = spawnSync("pgrep", ["-f", pattern], { encoding: "utf8" });
      assert.equal(left.status, 1, `processes matching "${pattern}" left behind: ${left.stdout}${left.stderr}`);
    }
  });
});

/**
 * Smoke test of `npm start` (scripts/devnet.ts) as a user runs it: start it on free ports, wait until it says it is
 * ready, check the chain's RPC, the deployment file, every worker's /healthz and the page, then press Ctrl+C
 * (SIGINT) and check that it exits 0 and leaves no process behind: no port answers and no process of it remains.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseDeployment } from "../../game/chain/deployment.js";
import { ROOT } from "../../scripts/lib/deploy.js";
import { answers, startDevnetProcess } from "../../scripts/lib/devnet-process.js";
import { rpc } from "../../scripts/lib/node.js";

const WORKERS = 3;

describe("npm start (the devnet)", () => {
  it("starts chain, contracts, three healthy workers, the indexer and the page; Ctrl+C stops every process", { timeout: 600_000 }, async () => {
    const devnet = await startDevnetProcess({ workers: WORKERS });
    const { url, webPort, metricsPort: metrics, indexerUrl } = devnet;
    const port = Number(new URL(url).port);
    let code: number | null;
    try {
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
    } finally {
      code = await devnet.stop();
    }
    const out = devnet.output();
    assert.equal(code, 0, `exit code after Ctrl+C:\n${out.slice(-3_000)}`);
    assert.match(out, /stopped\./);
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

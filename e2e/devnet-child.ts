/**
 * The chain the browser tests play on, run as its own process (`tsx e2e/devnet-child.ts`) so Hardhat loads in plain
 * Node: starts `hardhat node` on a free port mining a block a second, deploys Surge Gold with the devnet defaults,
 * writes the deployment where the served build reads it (dist/client/deployments/31337.json), starts three worker
 * nodes and prints one JSON line when all three are bonded. SIGTERM stops everything it started.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { network } from "hardhat";
import { createPublicClient, http, toHex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { workerRegistryAbi } from "../game/chain/generated/abis.js";
import { deploySurgeGold, ROOT } from "../scripts/lib/deploy.js";
import { rpc, startLocalChain } from "../scripts/lib/node.js";

const MNEMONIC = "test test test test test test test test test test test junk";
const WORKERS = Number(process.env.E2E_WORKER_COUNT ?? 3);
const BLOCK_MS = Number(process.env.E2E_BLOCK_MS ?? 1000);

const chain = await startLocalChain({});
const deploymentId = `test-e2e-${chain.port}`;
const dir = mkdtempSync(join(tmpdir(), "surge-e2e-"));
const workers: ChildProcess[] = [];
const servedFile = join(ROOT, "dist", "client", "deployments", "31337.json");
let stopping = false;

async function stop(code: number): Promise<never> {
  stopping = true;
  for (const w of workers) if (w.exitCode === null) w.kill("SIGTERM");
  await Promise.all(workers.map((w) => (w.exitCode === null ? new Promise((r) => w.once("exit", r)) : null)));
  await chain.stop();
  rmSync(dir, { recursive: true, force: true });
  // The served build must not point at a chain that is gone.
  rmSync(servedFile, { force: true });
  rmSync(join(ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
  process.exit(code);
}
process.on("SIGTERM", () => void stop(0));
process.on("SIGINT", () => void stop(0));

try {
  const connection = await network.create({ network: "localhost", override: { url: chain.url } });
  const deployment = await deploySurgeGold(connection, { network: "e2e", deploymentId, fresh: true });
  await connection.close();
  mkdirSync(join(servedFile, ".."), { recursive: true });
  writeFileSync(servedFile, JSON.stringify(deployment, null, 2));
  const deploymentFile = join(dir, `${deployment.chainId}.json`);
  writeFileSync(deploymentFile, JSON.stringify(deployment));
  await rpc(chain.url, "evm_setIntervalMining", [BLOCK_MS]);

  let started = 0;
  if (existsSync(join(ROOT, "game", "worker", "main.ts"))) {
    for (let i = 1; i <= WORKERS; i++) {
      const key = toHex(mnemonicToAccount(MNEMONIC, { addressIndex: i }).getHdKey().privateKey!);
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "game/worker/main.ts", "--rpc", chain.url, "--key", key, "--deployment", deploymentFile, "--bond", "1", "--metrics-port", "0", "--threads", "1", "--log-level", "warn"],
        { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] },
      );
      child.once("exit", (c) => {
        if (!stopping) console.error(`[e2e devnet] worker ${i} exited with ${c}`);
      });
      workers.push(child);
      started++;
    }
    const client = createPublicClient({ transport: http(chain.url) });
    const deadline = Date.now() + 180_000;
    for (;;) {
      const logs = await client.getContractEvents({
        address: deployment.contracts.workerRegistry,
        abi: workerRegistryAbi,
        eventName: "WorkerRegistered",
        fromBlock: 0n,
      });
      if (logs.length >= WORKERS) break;
      if (Date.now() > deadline) throw new Error(`only ${logs.length} of ${WORKERS} workers registered within 180 s`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  console.log(JSON.stringify({ ready: true, url: chain.url, workers: started, deployment }));
} catch (e) {
  console.error(`[e2e devnet] ${e instanceof Error ? e.stack : String(e)}\n${chain.output().slice(-2000)}`);
  await stop(1);
}
